package io.fulcrum.backend.llama;

/**
 * A Llama-family decoder bound to its weights and its paged key/value cache, on one device. The generation engine calls
 * {@link #forward} from one thread at a time; implementations need not be thread-safe.
 */
public interface DecoderModel extends AutoCloseable {

	/** The model's shape. */
	LlamaConfig config();

	/** The cache this model allocated. */
	KvCacheShape cacheShape();

	/** Where it runs, for logs and metrics: e.g. {@code cpu (2 threads, simd)} or {@code cuda:0 NVIDIA H200}. */
	String device();

	/**
	 * Bytes of weights one forward pass reads from memory as this implementation holds them (each matrix once; the
	 * embedding rows aside): what bounds decode speed at batch 1.
	 */
	long weightBytesPerToken();

	/**
	 * Runs every token of {@code batch} through the model, writing keys and values into the cache, and returns the
	 * logits of each sequence's last token where {@link DecodeBatch#wantLogits()} asks. The result is valid until the
	 * next call.
	 */
	StepLogits forward(DecodeBatch batch);

	@Override
	void close();

}
