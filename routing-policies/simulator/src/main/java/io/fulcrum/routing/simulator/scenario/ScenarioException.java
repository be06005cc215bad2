package io.fulcrum.routing.simulator.scenario;

import java.util.List;

/** A scenario that is not valid; {@link #problems()} lists every problem with its location in the file. */
public final class ScenarioException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final List<String> problems;

	public ScenarioException(String source, List<String> problems) {
		super(source + " is not a valid scenario:\n  - " + String.join("\n  - ", problems));
		this.problems = List.copyOf(problems);
	}

	public List<String> problems() {
		return this.problems;
	}

}
