package io.fulcrum.backend.generation;

/**
 * A prompt, already tokenised (with BOS where the model wants it), and how to continue it.
 *
 * @param prompt the prompt's token ids
 * @param sampling sampling parameters and the token limit
 */
public record GenerationRequest(int[] prompt, SamplingParams sampling) {

	public GenerationRequest {
		if (prompt.length == 0) {
			throw new IllegalArgumentException("the prompt is empty");
		}
	}

}
