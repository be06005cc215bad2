package io.fulcrum.backend.encoder;

import java.util.List;

/**
 * Runs a BERT-family encoder over a batch of token sequences and returns one sentence embedding per sequence:
 * the mean of the last layer's hidden states over the sequence's tokens, L2-normalised.
 *
 * <p>Implementations own their device state and are not thread-safe: one engine thread calls them (the
 * {@link io.fulcrum.backend.batching.DynamicBatcher}'s).
 */
public interface SentenceEncoder extends AutoCloseable {

	/**
	 * @param batch token ids per sequence, special tokens included ({@code [CLS] ... [SEP]}), each at most the
	 * model's {@code maxPositions} long and at least one token
	 * @return one embedding of {@code hidden} values per sequence, in order
	 */
	float[][] encode(List<int[]> batch);

	/** Where it runs, for logs and metrics: {@code cpu (2 threads)}, {@code cuda:0 NVIDIA H200}. */
	String device();

	/** Device memory this encoder holds now (weights and work buffers); 0 on the CPU. */
	long deviceMemoryBytes();

	/** Frees device memory and contexts. */
	@Override
	void close();

}
