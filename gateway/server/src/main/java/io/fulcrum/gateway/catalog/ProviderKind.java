package io.fulcrum.gateway.catalog;

/** The wire protocols Fulcrum can call. */
public enum ProviderKind {

	/** OpenAI and every OpenAI-compatible server: vLLM, Ollama, Hugging Face's servers. */
	OPENAI("openai"),

	/** Anthropic's Messages API. */
	ANTHROPIC("anthropic"),

	/**
	 * Fulcrum's own local GPU backend: OpenAI's wire format, and load gauges at {@code /metrics} on the same
	 * server, which the router polls without further configuration.
	 */
	FULCRUM_LOCAL("fulcrum-local");

	private final String configName;

	ProviderKind(String configName) {
		this.configName = configName;
	}

	public String configName() {
		return this.configName;
	}

	/** Whether requests go out in OpenAI's wire format (chat completions and embeddings). */
	public boolean speaksOpenAi() {
		return this != ANTHROPIC;
	}

	public static ProviderKind fromConfig(String name) {
		for (ProviderKind kind : values()) {
			if (kind.configName.equals(name)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("unknown provider type '" + name + "' (expected openai, anthropic or fulcrum-local)");
	}

}
