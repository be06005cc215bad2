package io.fulcrum.backend.generation;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/** Collects a generation's tokens; {@link #await()} returns them once it finishes. */
final class CollectingSink implements TokenSink {

	final List<Integer> tokens = new CopyOnWriteArrayList<>();

	final CompletableFuture<FinishReason> finished = new CompletableFuture<>();

	volatile GenerationUsage usage;

	private final IntPredicate stopAfter;

	CollectingSink() {
		this(token -> false);
	}

	CollectingSink(IntPredicate stopAfter) {
		this.stopAfter = stopAfter;
	}

	@Override
	public boolean onToken(int token) {
		this.tokens.add(token);
		return this.stopAfter.test(token);
	}

	@Override
	public void onFinish(FinishReason reason, GenerationUsage usage) {
		this.usage = usage;
		this.finished.complete(reason);
	}

	@Override
	public void onError(RuntimeException error, GenerationUsage usage) {
		this.usage = usage;
		this.finished.completeExceptionally(error);
	}

	FinishReason await() {
		try {
			return this.finished.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("the generation did not finish", ex);
		}
	}

}
