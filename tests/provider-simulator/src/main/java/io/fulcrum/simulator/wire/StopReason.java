package io.fulcrum.simulator.wire;

/**
 * Why the simulated generation ended, named by each provider in its own words.
 */
public enum StopReason {

	/** The model finished on its own: OpenAI's {@code stop}, Anthropic's {@code end_turn}. */
	END_TURN("stop", "end_turn"),

	/** The output hit the request's token cap: OpenAI's {@code length}, Anthropic's {@code max_tokens}. */
	MAX_TOKENS("length", "max_tokens");

	private final String openAi;

	private final String anthropic;

	StopReason(String openAi, String anthropic) {
		this.openAi = openAi;
		this.anthropic = anthropic;
	}

	/** OpenAI's {@code finish_reason}. */
	public String openAi() {
		return this.openAi;
	}

	/** Anthropic's {@code stop_reason}. */
	public String anthropic() {
		return this.anthropic;
	}

}
