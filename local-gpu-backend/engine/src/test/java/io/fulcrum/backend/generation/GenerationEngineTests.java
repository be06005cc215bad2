package io.fulcrum.backend.generation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.fulcrum.backend.batching.QueueFullException;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.cpu.CpuLlamaModel;
import io.fulcrum.backend.testing.SharedModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenerationEngineTests {

	private static final int BOS = 1;

	private static final int EOS = 2;

	private static GgufFile model;

	@BeforeAll
	static void openModel() throws IOException {
		model = GgufFile.open(SharedModels.stories260K());
	}

	private static GenerationEngine engine(EngineLimits limits, KvCacheShape cache, GenerationListener listener) {
		return new GenerationEngine("test-engine", limits, () -> CpuLlamaModel.load(model, cache, 2),
				token -> token == EOS, listener);
	}

	private static GenerationEngine engine(EngineLimits limits, KvCacheShape cache) {
		return engine(limits, cache, new GenerationListener() {
		});
	}

	/** A prompt of BOS and {@code length - 1} ordinary tokens, different for each seed. */
	private static int[] prompt(int length, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		int[] tokens = new int[length];
		tokens[0] = BOS;
		for (int i = 1; i < length; i++) {
			tokens[i] = 259 + random.nextInt(253);
		}
		return tokens;
	}

	private static List<Integer> generateAlone(int[] prompt, SamplingParams sampling) {
		try (GenerationEngine solo = engine(new EngineLimits(1, 1024, 16, false), new KvCacheShape(64, 16))) {
			CollectingSink sink = new CollectingSink();
			solo.submit(new GenerationRequest(prompt, sampling), sink);
			sink.await();
			return sink.tokens;
		}
	}

	@Test
	void greedyGenerationFromBosReproducesReferenceThroughTheEngine() {
		List<Integer> direct = io.fulcrum.backend.llama.cpu.CpuLlamaModelTests.greedyReference(model);
		assertThat(generateAlone(new int[] { BOS }, SamplingParams.greedy(direct.size()))).isEqualTo(direct);
	}

	@Test
	void batchingDoesNotChangeAnyRequestsGreedyOutput() {
		int[][] prompts = new int[8][];
		List<List<Integer>> alone = new ArrayList<>();
		for (int i = 0; i < prompts.length; i++) {
			prompts[i] = prompt(1 + i * 23, i);
			alone.add(generateAlone(prompts[i], SamplingParams.greedy(40 + 7 * i)));
		}
		// Small steps: long prompts are prefilled in chunks while the others decode.
		try (GenerationEngine batched = engine(new EngineLimits(8, 24, 16, true), new KvCacheShape(128, 16))) {
			List<CollectingSink> sinks = new ArrayList<>();
			for (int i = 0; i < prompts.length; i++) {
				CollectingSink sink = new CollectingSink();
				sinks.add(sink);
				batched.submit(new GenerationRequest(prompts[i], SamplingParams.greedy(40 + 7 * i)), sink);
			}
			for (int i = 0; i < prompts.length; i++) {
				sinks.get(i).await();
				assertThat(sinks.get(i).tokens).as("request %d", i).isEqualTo(alone.get(i));
			}
		}
	}

	@Test
	void aFullCachePreemptsAndRecomputesWithoutChangingOutputAndFreesEveryBlock() {
		AtomicInteger preemptions = new AtomicInteger();
		double[] lastUsage = { -1 };
		GenerationListener listener = new GenerationListener() {
			@Override
			public void preempted() {
				preemptions.incrementAndGet();
			}

			@Override
			public void load(int running, int waiting, double cacheUsage) {
				lastUsage[0] = cacheUsage;
			}
		};
		int[][] prompts = new int[4][];
		List<List<Integer>> alone = new ArrayList<>();
		for (int i = 0; i < prompts.length; i++) {
			prompts[i] = prompt(30, 100 + i);
			alone.add(generateAlone(prompts[i], SamplingParams.greedy(90)));
		}
		// Each request needs 120 tokens = 8 blocks of 16; 16 blocks hold two of them at most.
		try (GenerationEngine small = engine(new EngineLimits(4, 64, 16, false), new KvCacheShape(16, 16), listener)) {
			List<CollectingSink> sinks = new ArrayList<>();
			for (int[] p : prompts) {
				CollectingSink sink = new CollectingSink();
				sinks.add(sink);
				small.submit(new GenerationRequest(p, SamplingParams.greedy(90)), sink);
			}
			for (int i = 0; i < prompts.length; i++) {
				assertThat(sinks.get(i).await()).isEqualTo(FinishReason.LENGTH);
				assertThat(sinks.get(i).tokens).as("request %d", i).isEqualTo(alone.get(i));
				assertThat(sinks.get(i).usage).isEqualTo(new GenerationUsage(30, 90, 0));
			}
			assertThat(preemptions.get()).isPositive();
			awaitIdle(small);
			assertThat(lastUsage[0]).isZero();
		}
	}

	@Test
	void anIdenticalPromptPrefixIsReusedFromTheCache() {
		int[] shared = prompt(70, 7);
		try (GenerationEngine cached = engine(new EngineLimits(4, 256, 16, true), new KvCacheShape(64, 16))) {
			CollectingSink first = new CollectingSink();
			cached.submit(new GenerationRequest(shared, SamplingParams.greedy(20)), first);
			first.await();
			CollectingSink second = new CollectingSink();
			cached.submit(new GenerationRequest(shared, SamplingParams.greedy(20)), second);
			second.await();
			assertThat(first.usage.cachedPromptTokens()).isZero();
			assertThat(second.usage.cachedPromptTokens()).isEqualTo(64);
			assertThat(second.tokens).isEqualTo(first.tokens);
		}
	}

	@Test
	void aSeedMakesSamplingReproducibleAndTopKOfOneIsGreedy() {
		int[] p = prompt(5, 3);
		SamplingParams seeded = new SamplingParams(1.0, 0.9, 40, 42L, 60, false);
		List<Integer> once = generateAlone(p, seeded);
		assertThat(generateAlone(p, seeded)).isEqualTo(once);
		assertThat(generateAlone(p, new SamplingParams(1.0, 0.9, 40, 43L, 60, false))).isNotEqualTo(once);
		assertThat(generateAlone(p, new SamplingParams(1.0, 1.0, 1, 5L, 60, false)))
			.isEqualTo(generateAlone(p, SamplingParams.greedy(60)));
	}

	@Test
	void aSinkCanStopTheGenerationAndCancellingFreesTheRequest() {
		try (GenerationEngine e = engine(new EngineLimits(4, 256, 16, true), new KvCacheShape(128, 16))) {
			CollectingSink stopper = new CollectingSink(token -> true);
			e.submit(new GenerationRequest(prompt(3, 1), SamplingParams.greedy(100)), stopper);
			assertThat(stopper.await()).isEqualTo(FinishReason.STOP);
			assertThat(stopper.tokens).hasSize(1);
			assertThat(stopper.usage.completionTokens()).isEqualTo(1);

			CollectingSink cancelled = new CollectingSink();
			GenerationHandle handle = e.submit(
					new GenerationRequest(prompt(3, 2), new SamplingParams(0, 1, 0, null, 1500, true)), cancelled);
			handle.cancel();
			assertThat(cancelled.await()).isEqualTo(FinishReason.CANCELLED);
			assertThat(cancelled.usage.completionTokens()).isLessThan(1500);
		}
	}

	@Test
	void requestsThatCannotFitAreRefusedBeforeQueueing() {
		try (GenerationEngine e = engine(new EngineLimits(1, 64, 1, true), new KvCacheShape(8, 16))) {
			assertThatThrownBy(() -> e.submit(new GenerationRequest(prompt(2000, 1), SamplingParams.greedy(100)),
					new CollectingSink()))
				.isInstanceOf(PromptTooLongException.class)
				.hasMessageContaining("maximum context length is 2048 tokens")
				.hasMessageContaining("2100 tokens");
			assertThatThrownBy(() -> e.submit(new GenerationRequest(prompt(100, 1), SamplingParams.greedy(100)),
					new CollectingSink()))
				.isInstanceOf(PromptTooLongException.class)
				.hasMessageContaining("whole cache of 128 tokens");
		}
	}

	@Test
	void aFullWaitingQueueRefusesWithARetryEstimate() {
		try (GenerationEngine e = engine(new EngineLimits(1, 64, 1, true), new KvCacheShape(64, 16))) {
			List<GenerationHandle> handles = new ArrayList<>();
			SamplingParams longRun = new SamplingParams(0, 1, 0, null, 900, true);
			assertThatThrownBy(() -> {
				for (int i = 0; i < 10; i++) {
					handles.add(e.submit(new GenerationRequest(prompt(3, i), longRun), new CollectingSink()));
				}
			}).isInstanceOf(QueueFullException.class)
				.satisfies(ex -> assertThat(((QueueFullException) ex).retryAfterMillis()).isGreaterThanOrEqualTo(1000));
			handles.forEach(GenerationHandle::cancel);
		}
	}

	@Test
	void aModelThatCannotLoadFailsTheEngineWithTheReason() {
		assertThatThrownBy(() -> new GenerationEngine("broken-engine", EngineLimits.defaults(), () -> {
			throw new IllegalStateException("no such device");
		}, token -> false, new GenerationListener() {
		})).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("broken-engine could not start: no such device")
			.hasRootCauseMessage("no such device");
	}

	private static void awaitIdle(GenerationEngine e) {
		for (int i = 0; i < 500 && (e.running() > 0 || e.waiting() > 0); i++) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
