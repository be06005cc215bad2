package io.fulcrum.gateway.config;

import java.util.List;

/** Thrown at start-up when the configuration has problems; its message lists every one of them. */
public final class InvalidConfigurationException extends RuntimeException {

	private final List<String> problems;

	public InvalidConfigurationException(List<String> problems) {
		super("Fulcrum configuration is invalid (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
				+ "):\n  - " + String.join("\n  - ", problems));
		this.problems = List.copyOf(problems);
	}

	public List<String> problems() {
		return this.problems;
	}

}
