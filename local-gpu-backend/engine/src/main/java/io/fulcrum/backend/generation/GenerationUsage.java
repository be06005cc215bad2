package io.fulcrum.backend.generation;

/**
 * Exact token counts of one generation.
 *
 * @param promptTokens tokens of the prompt (BOS included when the model adds one)
 * @param completionTokens tokens the model generated, the end-of-generation token included when it produced one
 * @param cachedPromptTokens prompt tokens whose keys and values were reused from the prefix cache instead of computed
 */
public record GenerationUsage(int promptTokens, int completionTokens, int cachedPromptTokens) {

	/** Prompt plus completion. */
	public int totalTokens() {
		return this.promptTokens + this.completionTokens;
	}

}
