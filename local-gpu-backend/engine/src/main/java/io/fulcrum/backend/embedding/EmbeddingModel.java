package io.fulcrum.backend.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.fulcrum.backend.batching.BatchLimits;
import io.fulcrum.backend.batching.BatchListener;
import io.fulcrum.backend.batching.BatchProcessor;
import io.fulcrum.backend.batching.DynamicBatcher;
import io.fulcrum.backend.encoder.SentenceEncoder;
import io.fulcrum.backend.tokenizer.WordPieceTokenizer;
import org.jspecify.annotations.Nullable;

/**
 * A served embedding model: text in, sentence embeddings out. Tokenises on the caller's thread, applies the
 * window policy, and hands the token sequences to a {@link DynamicBatcher} whose engine thread runs the
 * encoder; each request's inputs may share a forward pass with other requests'.
 */
public final class EmbeddingModel implements AutoCloseable {

	private final String id;

	private final WordPieceTokenizer tokenizer;

	private final int window;

	private final WindowPolicy policy;

	private final DynamicBatcher<int[], float[]> batcher;

	private final String device;

	private final int dimensions;

	/** Set on the engine thread before the batcher's constructor returns; read-only elsewhere. */
	private volatile @Nullable SentenceEncoder encoder;

	/**
	 * Starts the engine thread and creates the encoder on it.
	 * @param id the model's name in the API
	 * @param tokenizer its tokenizer
	 * @param window most tokens per input, special tokens included (at most the model's position table)
	 * @param policy what to do with longer inputs
	 * @param encoder creates the encoder; called once, on the engine thread
	 */
	public EmbeddingModel(String id, WordPieceTokenizer tokenizer, int window, WindowPolicy policy,
			Supplier<SentenceEncoder> encoder, BatchLimits limits, BatchListener listener) {
		if (window < 3) {
			throw new IllegalArgumentException("the window must hold at least one token besides [CLS] and [SEP]");
		}
		this.id = id;
		this.tokenizer = tokenizer;
		this.window = window;
		this.policy = policy;
		this.batcher = new DynamicBatcher<>("fulcrum-engine-" + id, limits, () -> {
			SentenceEncoder created = encoder.get();
			this.encoder = created;
			return new EncoderProcessor(created);
		}, listener);
		this.device = requireEncoder().device();
		// One pass through the engine thread (the encoder's only thread) tells the width and warms it up.
		this.dimensions = embed(List.of(tokenize(0, ""))).join().get(0).length;
	}

	/** The model's name in the API. */
	public String id() {
		return this.id;
	}

	/** Length of every embedding. */
	public int dimensions() {
		return this.dimensions;
	}

	/** Most tokens per input, special tokens included. */
	public int window() {
		return this.window;
	}

	/** Where the encoder runs, for logs and {@code /health}. */
	public String device() {
		return this.device;
	}

	/** Device memory the encoder holds (0 on the CPU). */
	public long deviceMemoryBytes() {
		return requireEncoder().deviceMemoryBytes();
	}

	/** Inputs waiting for a forward pass. */
	public int waiting() {
		return this.batcher.waiting();
	}

	/** Inputs in the forward pass running now. */
	public int running() {
		return this.batcher.running();
	}

	/**
	 * Tokenises one input and fits it to the window.
	 * @param index the input's position in its request, for the error message
	 * @throws InputTooLongException when it is too long and the policy is to reject
	 */
	public TokenizedInput tokenize(int index, String text) {
		int[] pieces = this.tokenizer.tokenize(text);
		int room = this.window - 2;
		boolean truncated = pieces.length > room;
		if (truncated && this.policy == WindowPolicy.REJECT) {
			throw new InputTooLongException(index, pieces.length, room);
		}
		int kept = Math.min(room, pieces.length);
		int[] ids = new int[kept + 2];
		ids[0] = this.tokenizer.cls();
		System.arraycopy(pieces, 0, ids, 1, kept);
		ids[kept + 1] = this.tokenizer.sep();
		return new TokenizedInput(ids, kept, truncated);
	}

	/**
	 * Queues a request's inputs; the future completes with one embedding per input, in order.
	 * @throws io.fulcrum.backend.batching.QueueFullException when the queue cannot take them now
	 */
	public CompletableFuture<List<float[]>> embed(List<TokenizedInput> inputs) {
		List<int[]> sequences = new ArrayList<>(inputs.size());
		int[] costs = new int[inputs.size()];
		for (int i = 0; i < inputs.size(); i++) {
			sequences.add(inputs.get(i).ids());
			costs[i] = inputs.get(i).ids().length;
		}
		List<CompletableFuture<float[]>> parts = this.batcher.submit(sequences, costs);
		CompletableFuture<List<float[]>> all = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
			.thenApply(done -> parts.stream().map(CompletableFuture::join).toList());
		// A caller that gives up (client gone) takes its inputs out of the queue.
		all.whenComplete((result, error) -> {
			if (all.isCancelled()) {
				parts.forEach(p -> p.cancel(false));
			}
		});
		return all;
	}

	@Override
	public void close() {
		this.batcher.close();
	}

	private SentenceEncoder requireEncoder() {
		SentenceEncoder e = this.encoder;
		if (e == null) {
			throw new IllegalStateException("the encoder has not started");
		}
		return e;
	}

	private record EncoderProcessor(SentenceEncoder encoder) implements BatchProcessor<int[], float[]> {

		@Override
		public List<float[]> process(List<int[]> batch) {
			return List.of(this.encoder.encode(batch));
		}

		@Override
		public void close() {
			this.encoder.close();
		}

	}

}
