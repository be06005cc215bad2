package io.fulcrum.backend.llama;

/**
 * What a {@link DecoderModel} step produced: next-token logits for each sequence that asked for them. A device
 * implementation may keep the logits on the device and copy a row only when asked, and answer {@link #argmax} (all
 * greedy requests need) without copying at all.
 */
public interface StepLogits {

	/** The highest-scoring token of sequence {@code s} (the lowest id among ties). */
	int argmax(int s);

	/** Copies sequence {@code s}'s logits (vocabulary-sized) into {@code into}. */
	void copy(int s, float[] into);

}
