package io.fulcrum.backend.generation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

import io.fulcrum.backend.batching.EngineClosedException;
import io.fulcrum.backend.batching.EngineThread;
import io.fulcrum.backend.batching.QueueFullException;
import io.fulcrum.backend.llama.DecodeBatch;
import io.fulcrum.backend.llama.DecoderModel;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.LlamaConfig;
import io.fulcrum.backend.llama.StepLogits;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous batching over a {@link DecoderModel}, on one engine thread that owns the model.
 * <p>
 * Each step the scheduler builds one batch: first the next token of every running sequence (decode), then chunks of
 * prompts, those already started and then newly admitted ones in arrival order, up to
 * {@link EngineLimits#maxStepTokens()} tokens in all. So requests join and leave the batch at every step, and a long
 * prompt is prefilled a chunk at a time between decode steps instead of stalling them. Cache blocks are taken as a
 * sequence grows and given back when it ends or is cancelled; a new request is admitted only while blocks remain
 * (keeping a small reserve for the running ones to grow), and when a running sequence finds none left, the most
 * recently admitted sequence is preempted: its blocks are taken back and it is recomputed later from its tokens so
 * far (its output continues where it left off). Identical prompt prefixes share full cache blocks
 * ({@link BlockManager}).
 * <p>
 * {@link #submit} never blocks: a request that can never fit is refused with {@link PromptTooLongException}, and one
 * that finds the waiting queue full with {@link QueueFullException}.
 */
public final class GenerationEngine implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(GenerationEngine.class);

	private final EngineLimits limits;

	private final IntPredicate endOfGeneration;

	private final GenerationListener listener;

	private final ConcurrentLinkedQueue<Sequence> inbox = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queued = new AtomicInteger();

	private final Thread engine;

	private volatile boolean closed;

	/** Set once the model is loaded: its shape, for admission checks on callers' threads. */
	private volatile @Nullable LlamaConfig config;

	private volatile @Nullable KvCacheShape cacheShape;

	private volatile String device = "starting";

	private volatile long weightBytesPerToken;

	private volatile int runningCount;

	/** Moving average of a request's time in the engine, for Retry-After estimates. */
	private volatile double meanRequestNanos = 1e9;

	// Engine-thread state.
	private @Nullable DecoderModel model;

	private @Nullable BlockManager blocks;

	private final List<Sequence> running = new ArrayList<>();

	private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();

	/**
	 * Starts the engine thread, loads the model on it, and returns once it is ready.
	 * @param name the engine thread's name
	 * @param model loads the model, on the engine thread (a CUDA context belongs to the thread that made it)
	 * @param endOfGeneration which sampled tokens end a generation (EOS, end-of-turn)
	 * @throws IllegalStateException when the model cannot be loaded (the cause attached)
	 */
	public GenerationEngine(String name, EngineLimits limits, Supplier<? extends DecoderModel> model,
			IntPredicate endOfGeneration, GenerationListener listener) {
		this.limits = limits;
		this.endOfGeneration = endOfGeneration;
		this.listener = listener;
		this.engine = EngineThread.start(name, () -> load(model), this::serve);
	}

	/** The model's shape. */
	public LlamaConfig config() {
		return require(this.config);
	}

	/** The cache's shape. */
	public KvCacheShape cacheShape() {
		return require(this.cacheShape);
	}

	/** Where the model runs, e.g. {@code cpu (2 threads, Vector API)}. */
	public String device() {
		return this.device;
	}

	/** Bytes of weights the model reads per forward pass, as it holds them (see {@link DecoderModel}). */
	public long weightBytesPerToken() {
		return this.weightBytesPerToken;
	}

	/** Requests in the running batch now. */
	public int running() {
		return this.runningCount;
	}

	/** Requests waiting to be admitted now. */
	public int waiting() {
		return this.queued.get();
	}

	/**
	 * Queues a generation. {@code request.sampling().maxTokens()} must fit the context window with the prompt.
	 * @throws PromptTooLongException when the request can never fit the context window or the cache
	 * @throws QueueFullException when the waiting queue is full (retry later)
	 * @throws EngineClosedException after {@link #close()}
	 */
	public GenerationHandle submit(GenerationRequest request, TokenSink sink) {
		LlamaConfig shape = config();
		int total = request.prompt().length + request.sampling().maxTokens();
		if (total > shape.contextLength()) {
			throw new PromptTooLongException("This model's maximum context length is " + shape.contextLength()
					+ " tokens. However, you requested " + total + " tokens (" + request.prompt().length
					+ " in the prompt, " + request.sampling().maxTokens() + " for the completion). Please reduce the"
					+ " prompt or max_tokens.");
		}
		KvCacheShape cache = cacheShape();
		int blocksNeeded = (total + cache.blockSize() - 1) / cache.blockSize();
		if (blocksNeeded > cache.blocks()) {
			throw new PromptTooLongException("This request needs " + total + " tokens of cache, more than this server's"
					+ " whole cache of " + (long) cache.blocks() * cache.blockSize() + " tokens. Please reduce the prompt"
					+ " or max_tokens.");
		}
		if (this.closed) {
			throw new EngineClosedException();
		}
		int ahead = this.queued.incrementAndGet();
		if (ahead > this.limits.maxWaiting()) {
			this.queued.decrementAndGet();
			long retryMillis = (long) (this.meanRequestNanos * (1 + ahead / (double) this.limits.maxRunning()) / 1e6);
			throw new QueueFullException("the generation queue is full (" + (ahead - 1) + " requests waiting, limit "
					+ this.limits.maxWaiting() + ")", Math.max(1000, retryMillis));
		}
		Sequence sequence = new Sequence(request, sink, ThreadLocalRandom.current().nextLong(), System.nanoTime(),
				this::wake);
		this.inbox.add(sequence);
		wake();
		return sequence;
	}

	private void wake() {
		LockSupport.unpark(this.engine);
	}

	private DecoderModel load(Supplier<? extends DecoderModel> factory) {
		DecoderModel loaded = factory.get();
		this.model = loaded;
		this.blocks = new BlockManager(loaded.cacheShape().blocks(), loaded.cacheShape().blockSize(),
				this.limits.prefixCaching());
		this.config = loaded.config();
		this.cacheShape = loaded.cacheShape();
		this.device = loaded.device();
		this.weightBytesPerToken = loaded.weightBytesPerToken();
		log.info("Generation engine ready on {}: {} cache blocks of {} tokens, up to {} running", loaded.device(),
				loaded.cacheShape().blocks(), loaded.cacheShape().blockSize(), this.limits.maxRunning());
		return loaded;
	}

	private void serve(DecoderModel loaded) {
		try {
			while (!this.closed) {
				admitArrivals();
				dropCancelled();
				if (this.running.isEmpty() && this.waiting.isEmpty()) {
					publishLoad();
					LockSupport.park(this);
					continue;
				}
				step();
			}
		}
		catch (Throwable ex) {
			log.error("The generation engine stopped on an unexpected error", ex);
			this.closed = true;
		}
		finally {
			failAll(new EngineClosedException());
			loaded.close();
		}
	}

	private void admitArrivals() {
		for (Sequence s = this.inbox.poll(); s != null; s = this.inbox.poll()) {
			this.waiting.add(s);
		}
	}

	private void dropCancelled() {
		for (Iterator<Sequence> it = this.waiting.iterator(); it.hasNext();) {
			Sequence s = it.next();
			if (s.cancelled()) {
				it.remove();
				if (!s.admitted) {
					this.queued.decrementAndGet();
				}
				finish(s, FinishReason.CANCELLED);
			}
		}
		for (Iterator<Sequence> it = this.running.iterator(); it.hasNext();) {
			Sequence s = it.next();
			if (s.cancelled()) {
				it.remove();
				finish(s, FinishReason.CANCELLED);
			}
		}
	}

	/** One scheduled piece of work: {@code tokens} tokens of {@code sequence} from its first uncomputed one. */
	private record Work(Sequence sequence, int tokens) {
	}

	private void step() {
		BlockManager cache = require(this.blocks);
		List<Work> work = new ArrayList<>();
		int budget = this.limits.maxStepTokens();
		// Decode first: every running sequence's next token, preempting the newest sequences when blocks run out.
		for (int i = 0; i < this.running.size(); i++) {
			Sequence s = this.running.get(i);
			if (s.pending() != 1) {
				continue;
			}
			boolean preemptedSelf = false;
			while (!reserve(s, s.computed + 1, cache)) {
				Sequence victim = this.running.get(this.running.size() - 1);
				preempt(victim, cache);
				if (victim == s) {
					preemptedSelf = true;
					break;
				}
			}
			if (!preemptedSelf) {
				work.add(new Work(s, 1));
				budget--;
			}
		}
		// Then chunks of prompts already started, in arrival order.
		for (Sequence s : this.running) {
			if (budget == 0) {
				break;
			}
			if (s.pending() > 1) {
				int chunk = fit(s, Math.min(s.pending(), budget), cache);
				if (chunk > 0) {
					work.add(new Work(s, chunk));
					budget -= chunk;
				}
			}
		}
		// Then new requests, first come first served, while tokens, slots and blocks remain (keeping a reserve of
		// blocks for the running sequences to grow into, so admission does not force preemption at once).
		int reserveBlocks = this.running.isEmpty() ? 0 : Math.max(1, cache.totalBlocks() / 100);
		while (budget > 0 && !this.waiting.isEmpty() && this.running.size() < this.limits.maxRunning()) {
			Sequence s = this.waiting.peekFirst();
			if (s.needsLookup) {
				lookupPrefix(s, cache);
			}
			int room = (s.blockCount + cache.available() - reserveBlocks) * cache.blockSize() - s.computed;
			int chunk = Math.min(Math.min(s.pending(), budget), room);
			if (chunk <= 0) {
				releaseBlocks(s, cache);
				s.computed = 0;
				s.needsLookup = true;
				break;
			}
			reserve(s, s.computed + chunk, cache);
			this.waiting.pollFirst();
			if (!s.admitted) {
				s.admitted = true;
				this.queued.decrementAndGet();
				this.listener.admitted(s.promptLength(), s.cachedPromptTokens);
			}
			s.needsLookup = false;
			this.running.add(s);
			work.add(new Work(s, chunk));
			budget -= chunk;
		}
		publishLoad();
		if (work.isEmpty()) {
			// Every running sequence is mid-prompt and none can grow: give the newest one's blocks to the others.
			preempt(this.running.get(this.running.size() - 1), cache);
			return;
		}
		run(work, cache);
	}

	private void run(List<Work> work, BlockManager cache) {
		DecoderModel loaded = require(this.model);
		int sequences = work.size();
		int[] tokenStart = new int[sequences + 1];
		for (int i = 0; i < sequences; i++) {
			tokenStart[i + 1] = tokenStart[i] + work.get(i).tokens;
		}
		int[] tokens = new int[tokenStart[sequences]];
		int[] startPosition = new int[sequences];
		int[][] tables = new int[sequences][];
		boolean[] wantLogits = new boolean[sequences];
		for (int i = 0; i < sequences; i++) {
			Work w = work.get(i);
			Sequence s = w.sequence;
			System.arraycopy(s.tokens, s.computed, tokens, tokenStart[i], w.tokens);
			startPosition[i] = s.computed;
			// Exactly the sequence's blocks: its array has spare capacity whose entries mean nothing.
			tables[i] = Arrays.copyOf(s.blockTable, s.blockCount);
			wantLogits[i] = s.computed + w.tokens == s.length;
		}
		long began = System.nanoTime();
		StepLogits logits;
		try {
			logits = loaded.forward(new DecodeBatch(tokens, tokenStart, startPosition, tables, wantLogits));
		}
		catch (RuntimeException ex) {
			log.error("A generation step of {} sequences failed; failing them", sequences, ex);
			for (Work w : work) {
				this.running.remove(w.sequence);
				releaseBlocks(w.sequence, cache);
				w.sequence.sink.onError(ex, w.sequence.usage());
				this.listener.finished(FinishReason.ERROR, w.sequence.usage(), System.nanoTime() - w.sequence.submittedNanos);
			}
			return;
		}
		long now = System.nanoTime();
		this.listener.step(sequences, tokens.length, now - began);
		int vocab = loaded.config().vocabSize();
		for (int i = 0; i < sequences; i++) {
			Work w = work.get(i);
			Sequence s = w.sequence;
			s.computed += w.tokens;
			publishFullBlocks(s, cache);
			if (!wantLogits[i]) {
				continue;
			}
			int token = s.sampler.next(logits, i, vocab);
			s.append(token);
			if (s.generated == 1) {
				this.listener.firstToken(now - s.submittedNanos);
			}
			else {
				this.listener.nextToken(now - s.lastTokenNanos);
			}
			s.lastTokenNanos = now;
			FinishReason reason = null;
			if (this.endOfGeneration.test(token) && !s.request.sampling().ignoreEos()) {
				reason = FinishReason.STOP;
			}
			else if (deliver(s, token)) {
				reason = FinishReason.STOP;
			}
			else if (s.generated >= s.request.sampling().maxTokens()) {
				reason = FinishReason.LENGTH;
			}
			if (reason != null) {
				this.running.remove(s);
				finish(s, reason);
			}
		}
	}

	/** Hands a token to the request's sink; a sink that throws ends its request, never the engine. */
	private boolean deliver(Sequence s, int token) {
		try {
			return s.sink.onToken(token);
		}
		catch (RuntimeException ex) {
			log.warn("A generation's sink failed; cancelling it", ex);
			s.cancel();
			return false;
		}
	}

	/** Makes sure {@code s} has blocks for {@code tokens} tokens, taking free ones; false when there are too few. */
	private boolean reserve(Sequence s, int tokens, BlockManager cache) {
		int needed = cache.blocksFor(tokens) - s.blockCount;
		if (needed > cache.available()) {
			return false;
		}
		for (int i = 0; i < needed; i++) {
			s.addBlock(cache.allocate());
		}
		return true;
	}

	/** Reserves blocks for up to {@code chunk} more tokens of {@code s} without preempting; returns how many fit. */
	private int fit(Sequence s, int chunk, BlockManager cache) {
		int fits = Math.min(chunk, (s.blockCount + cache.available()) * cache.blockSize() - s.computed);
		if (fits <= 0) {
			return 0;
		}
		reserve(s, s.computed + fits, cache);
		return fits;
	}

	private void lookupPrefix(Sequence s, BlockManager cache) {
		// Always leave the last token to compute: its logits give the next token.
		int maxBlocks = (s.length - 1) / cache.blockSize();
		int[] found = new int[maxBlocks];
		int hits = cache.lookup(s.tokens, maxBlocks, found);
		for (int i = 0; i < hits; i++) {
			s.addBlock(found[i]);
		}
		s.computed = hits * cache.blockSize();
		s.publishedBlocks = hits;
		s.lastContentId = hits > 0 ? cache.contentId(found[hits - 1]) : BlockManager.ROOT;
		if (!s.admitted) {
			s.cachedPromptTokens = Math.min(s.computed, s.promptLength());
		}
	}

	private void publishFullBlocks(Sequence s, BlockManager cache) {
		while ((s.publishedBlocks + 1) * cache.blockSize() <= s.computed) {
			int index = s.publishedBlocks;
			s.lastContentId = cache.publish(s.blockTable[index], s.lastContentId, s.tokens, index);
			s.publishedBlocks++;
		}
	}

	private void preempt(Sequence victim, BlockManager cache) {
		this.running.remove(victim);
		releaseBlocks(victim, cache);
		victim.computed = 0;
		victim.needsLookup = true;
		this.waiting.addFirst(victim);
		this.listener.preempted();
		log.debug("Preempted a sequence of {} tokens: the cache is full", victim.length);
	}

	private void releaseBlocks(Sequence s, BlockManager cache) {
		for (int i = 0; i < s.blockCount; i++) {
			cache.release(s.blockTable[i]);
		}
		s.blockCount = 0;
		s.publishedBlocks = 0;
		s.lastContentId = BlockManager.ROOT;
	}

	private void finish(Sequence s, FinishReason reason) {
		releaseBlocks(s, require(this.blocks));
		long nanos = System.nanoTime() - s.submittedNanos;
		this.meanRequestNanos = 0.9 * this.meanRequestNanos + 0.1 * nanos;
		GenerationUsage usage = s.usage();
		this.listener.finished(reason, usage, nanos);
		try {
			s.sink.onFinish(reason, usage);
		}
		catch (RuntimeException ex) {
			log.warn("A generation's sink failed on finish", ex);
		}
	}

	private void publishLoad() {
		this.runningCount = this.running.size();
		BlockManager cache = this.blocks;
		this.listener.load(this.running.size(), this.queued.get(), cache == null ? 0 : cache.usage());
	}

	private void failAll(RuntimeException error) {
		admitArrivals();
		List<Sequence> all = new ArrayList<>(this.running);
		all.addAll(this.waiting);
		this.running.clear();
		this.waiting.clear();
		for (Sequence s : all) {
			s.sink.onError(error, s.usage());
		}
	}

	@Override
	public void close() {
		this.closed = true;
		wake();
		try {
			this.engine.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// Anything submitted after the engine thread's last look is refused here.
		for (Sequence s = this.inbox.poll(); s != null; s = this.inbox.poll()) {
			s.sink.onError(new EngineClosedException(), s.usage());
		}
	}

	private static <T> T require(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("the engine is not started");
		}
		return value;
	}

}
