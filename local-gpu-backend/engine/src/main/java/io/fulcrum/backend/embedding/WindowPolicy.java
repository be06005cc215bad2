package io.fulcrum.backend.embedding;

/**
 * What happens to an input longer than the model's window.
 */
public enum WindowPolicy {

	/**
	 * Embed the first tokens that fit and drop the rest, as sentence-transformers and Hugging Face's text
	 * embeddings server (with {@code truncate}) do. The default: an embedding of a long document's opening is
	 * what most retrieval code expects, and usage reports only the tokens embedded.
	 */
	TRUNCATE,

	/** Refuse the request with a 400 that says how long the input is and what fits, as OpenAI's API does. */
	REJECT;

	/** Parses {@code truncate} or {@code reject}, case-insensitively. */
	public static WindowPolicy fromConfig(String value) {
		for (WindowPolicy p : values()) {
			if (p.name().equalsIgnoreCase(value.trim())) {
				return p;
			}
		}
		throw new IllegalArgumentException("unknown window policy '" + value + "' (expected truncate or reject)");
	}

}
