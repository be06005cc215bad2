package io.fulcrum.gateway.catalog;

/** The wire protocols Fulcrum can call. */
public enum ProviderKind {

	/** OpenAI and every OpenAI-compatible server: vLLM, Ollama, Fulcrum's own local GPU backend. */
	OPENAI("openai"),

	/** Anthropic's Messages API. */
	ANTHROPIC("anthropic");

	private final String configName;

	ProviderKind(String configName) {
		this.configName = configName;
	}

	public String configName() {
		return this.configName;
	}

	public static ProviderKind fromConfig(String name) {
		for (ProviderKind kind : values()) {
			if (kind.configName.equals(name)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("unknown provider type '" + name + "' (expected openai or anthropic)");
	}

}
