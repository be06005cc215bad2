package io.fulcrum.backend.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamicBatcherTests {

	private static final BatchLimits LIMITS = new BatchLimits(4, 100, Duration.ZERO, 10);

	/** Doubles its inputs; records each batch and the thread it ran on; can be held at the gate. */
	static final class Doubler implements BatchProcessor<Integer, Integer> {

		final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

		final List<Thread> threads = new CopyOnWriteArrayList<>();

		final CountDownLatch entered = new CountDownLatch(1);

		volatile CountDownLatch gate = new CountDownLatch(0);

		volatile boolean closed;

		@Override
		public List<Integer> process(List<Integer> batch) {
			this.threads.add(Thread.currentThread());
			this.batches.add(List.copyOf(batch));
			this.entered.countDown();
			try {
				this.gate.await();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
			if (batch.contains(-1)) {
				throw new IllegalArgumentException("cannot process -1");
			}
			return batch.stream().map(i -> i * 2).toList();
		}

		@Override
		public void close() {
			this.threads.add(Thread.currentThread());
			this.closed = true;
		}

	}

	@Test
	void inputsThatArriveWhileABatchRunsFormTheNextBatchUpToItsLimit() throws Exception {
		Doubler doubler = new Doubler();
		doubler.gate = new CountDownLatch(1);
		try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("test", LIMITS, () -> doubler,
				BatchListener.NONE)) {
			CompletableFuture<Integer> first = batcher.submit(List.of(1), new int[] { 1 }).get(0);
			doubler.entered.await();
			List<CompletableFuture<Integer>> rest = new ArrayList<>();
			for (int i = 2; i <= 7; i++) {
				rest.addAll(batcher.submit(List.of(i), new int[] { 1 }));
			}
			assertThat(batcher.waiting()).isEqualTo(6);
			assertThat(batcher.running()).isEqualTo(1);
			doubler.gate.countDown();
			assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(2);
			for (int i = 0; i < rest.size(); i++) {
				assertThat(rest.get(i).get(5, TimeUnit.SECONDS)).isEqualTo((i + 2) * 2);
			}
			assertThat(doubler.batches).containsExactly(List.of(1), List.of(2, 3, 4, 5), List.of(6, 7));
		}
	}

	@Test
	void aBatchStopsBeforeItsCostLimitButALoneExpensiveInputStillRuns() throws Exception {
		Doubler doubler = new Doubler();
		doubler.gate = new CountDownLatch(1);
		try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("test", LIMITS, () -> doubler,
				BatchListener.NONE)) {
			batcher.submit(List.of(0), new int[] { 1 });
			doubler.entered.await();
			List<CompletableFuture<Integer>> all = new ArrayList<>();
			all.addAll(batcher.submit(List.of(1, 2), new int[] { 60, 60 }));
			all.addAll(batcher.submit(List.of(3), new int[] { 500 }));
			doubler.gate.countDown();
			CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
			assertThat(doubler.batches).containsExactly(List.of(0), List.of(1), List.of(2), List.of(3));
		}
	}

	@Test
	void aSubmissionThatDoesNotFitIsRefusedWholeWithARetryEstimate() throws Exception {
		Doubler doubler = new Doubler();
		doubler.gate = new CountDownLatch(1);
		try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("test", LIMITS, () -> doubler,
				BatchListener.NONE)) {
			batcher.submit(List.of(0), new int[] { 1 });
			doubler.entered.await();
			batcher.submit(List.of(1, 2, 3, 4, 5, 6, 7, 8), new int[8]);
			assertThatThrownBy(() -> batcher.submit(List.of(9, 10, 11), new int[3]))
				.isInstanceOfSatisfying(QueueFullException.class,
						ex -> assertThat(ex.retryAfterMillis()).isGreaterThanOrEqualTo(1000))
				.hasMessageContaining("8 inputs waiting, limit 10");
			assertThat(batcher.waiting()).isEqualTo(8);
			doubler.gate.countDown();
		}
	}

	@Test
	void cancelledInputsAreDroppedBeforeTheyRun() throws Exception {
		Doubler doubler = new Doubler();
		doubler.gate = new CountDownLatch(1);
		try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("test", LIMITS, () -> doubler,
				BatchListener.NONE)) {
			batcher.submit(List.of(0), new int[] { 1 });
			doubler.entered.await();
			List<CompletableFuture<Integer>> futures = batcher.submit(List.of(1, 2, 3), new int[3]);
			futures.get(1).cancel(false);
			doubler.gate.countDown();
			assertThat(futures.get(2).get(5, TimeUnit.SECONDS)).isEqualTo(6);
			assertThat(doubler.batches).containsExactly(List.of(0), List.of(1, 3));
		}
	}

	@Test
	void aFailingBatchFailsItsInputsAndTheEngineGoesOn() throws Exception {
		Doubler doubler = new Doubler();
		try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("test", LIMITS, () -> doubler,
				BatchListener.NONE)) {
			CompletableFuture<Integer> bad = batcher.submit(List.of(-1), new int[] { 1 }).get(0);
			assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasRootCauseMessage("cannot process -1");
			assertThat(batcher.submit(List.of(4), new int[] { 1 }).get(0).get(5, TimeUnit.SECONDS)).isEqualTo(8);
		}
	}

	@Test
	void theProcessorIsCreatedUsedAndClosedOnTheEngineThreadOnly() throws Exception {
		List<Thread> created = Collections.synchronizedList(new ArrayList<>());
		Doubler doubler = new Doubler();
		DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("engine-under-test", LIMITS, () -> {
			created.add(Thread.currentThread());
			return doubler;
		}, BatchListener.NONE);
		batcher.submit(List.of(1), new int[] { 1 }).get(0).get(5, TimeUnit.SECONDS);
		batcher.close();
		assertThat(doubler.closed).isTrue();
		assertThat(created).hasSize(1);
		assertThat(created.get(0).getName()).isEqualTo("engine-under-test");
		assertThat(doubler.threads).containsOnly(created.get(0));
	}

	@Test
	void closingFailsWhatIsQueuedAndRefusesNewWork() throws Exception {
		Doubler doubler = new Doubler();
		doubler.gate = new CountDownLatch(1);
		DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("test", LIMITS, () -> doubler,
				BatchListener.NONE);
		CompletableFuture<Integer> running = batcher.submit(List.of(1), new int[] { 1 }).get(0);
		doubler.entered.await();
		CompletableFuture<Integer> queued = batcher.submit(List.of(2), new int[] { 1 }).get(0);
		Thread closer = new Thread(batcher::close);
		closer.start();
		assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("the inference engine is shutting down");
		doubler.gate.countDown();
		closer.join(5000);
		assertThat(running.get()).isEqualTo(2);
		assertThatThrownBy(() -> batcher.submit(List.of(3), new int[] { 1 })).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void aProcessorThatCannotStartFailsTheConstructorWithItsCause() {
		assertThatThrownBy(() -> new DynamicBatcher<Integer, Integer>("test", LIMITS, () -> {
			throw new IllegalStateException("no CUDA device");
		}, BatchListener.NONE)).hasMessageContaining("no CUDA device");
	}

	@Test
	void aWaitGathersInputsThatArriveShortlyAfter() throws Exception {
		Doubler doubler = new Doubler();
		BatchLimits waiting = new BatchLimits(4, 100, Duration.ofMillis(300), 10);
		try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("test", waiting, () -> doubler,
				BatchListener.NONE)) {
			List<CompletableFuture<Integer>> futures = new ArrayList<>(batcher.submit(List.of(1), new int[] { 1 }));
			Thread.sleep(20);
			futures.addAll(batcher.submit(List.of(2, 3, 4), new int[3]));
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
			assertThat(doubler.batches).containsExactly(List.of(1, 2, 3, 4));
		}
	}

}
