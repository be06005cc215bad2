package io.fulcrum.routing.policy;

import java.util.List;

/** A policy that cannot be applied, with every problem found, each naming where it is. */
public final class PolicyException extends RuntimeException {

	private final List<String> problems;

	public PolicyException(List<String> problems) {
		super("invalid routing policy: " + String.join("; ", problems));
		this.problems = List.copyOf(problems);
	}

	/** Each problem as {@code path: what is wrong}, e.g. {@code chat.slo.interactive.ttft: '8xs' is not a duration}. */
	public List<String> problems() {
		return this.problems;
	}

}
