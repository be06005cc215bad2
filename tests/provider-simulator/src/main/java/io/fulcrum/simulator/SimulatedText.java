package io.fulcrum.simulator;

/**
 * The text every simulated model generates: words of "lorem ipsum", in order and repeating, each one token with a
 * leading space. Tests use it to predict answers: a response of {@code n} tokens has the content
 * {@code text(n)}, and its stream's content chunks are {@code token(0)} to {@code token(n - 1)}.
 */
public final class SimulatedText {

	private static final String[] WORDS = { "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing",
			"elit", "sed", "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna",
			"aliqua" };

	private static final String[] TOKENS = new String[WORDS.length];

	// The text of up to CACHED tokens is a prefix of one string built once, so text(n) is one copy.
	private static final int CACHED = 8192;

	private static final String PREFIX;

	private static final int[] END = new int[CACHED + 1];

	static {
		for (int i = 0; i < WORDS.length; i++) {
			TOKENS[i] = " " + WORDS[i];
		}
		StringBuilder text = new StringBuilder(CACHED * 8);
		for (int i = 0; i < CACHED; i++) {
			text.append(token(i));
			END[i + 1] = text.length();
		}
		PREFIX = text.toString();
	}

	private SimulatedText() {
	}

	/** The token at this position of every answer, such as {@code " lorem"} for 0. */
	public static String token(int index) {
		return TOKENS[index % TOKENS.length];
	}

	/** The text of an answer of this many tokens, such as {@code " lorem ipsum"} for 2. */
	public static String text(int tokens) {
		if (tokens <= CACHED) {
			return PREFIX.substring(0, END[tokens]);
		}
		StringBuilder text = new StringBuilder(PREFIX);
		for (int i = CACHED; i < tokens; i++) {
			text.append(token(i));
		}
		return text.toString();
	}

}
