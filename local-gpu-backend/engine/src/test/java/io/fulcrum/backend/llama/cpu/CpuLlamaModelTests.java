package io.fulcrum.backend.llama.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.llama.DecodeBatch;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.Llama2cReference;
import io.fulcrum.backend.testing.SharedModels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

public class CpuLlamaModelTests {

	private static final int BOS = 1;

	@Test
	void greedyGenerationFromBosReproducesLlama2cReferenceOutput() throws IOException {
		GgufFile file = GgufFile.open(SharedModels.stories260K());
		String expected = Files.readString(SharedModels.stories260KGreedy(), StandardCharsets.UTF_8);
		List<String> vocab = file.strings("tokenizer.ggml.tokens");
		try (CpuLlamaModel model = CpuLlamaModel.load(file, new KvCacheShape(32, 16), 2)) {
			List<Integer> tokens = greedy(model, 256);
			assertThat(decode(vocab, tokens)).isEqualTo(expected.strip());
		}
	}

	@Test
	void aSequencesLogitsAreBitForBitTheSameAloneAndInAnyBatch() throws IOException {
		GgufFile file = GgufFile.open(SharedModels.stories260K());
		int[] prompt = { 1, 403, 261, 374, 289, 262, 270 };
		float[] alone = new float[512];
		float[] batched = new float[512];
		try (CpuLlamaModel model = CpuLlamaModel.load(file, new KvCacheShape(8, 16), 2)) {
			model.forward(new DecodeBatch(prompt, new int[] { 0, prompt.length }, new int[] { 0 }, new int[][] { { 0 } },
					new boolean[] { true })).copy(0, alone);
		}
		for (int others = 1; others <= 9; others += 4) {
			try (CpuLlamaModel model = CpuLlamaModel.load(file, new KvCacheShape(8, 16), 2)) {
				// Another sequence's prompt chunk first, so this one's tokens fall into other groups of four.
				int[] tokens = new int[others + prompt.length];
				for (int i = 0; i < others; i++) {
					tokens[i] = 300 + i;
				}
				System.arraycopy(prompt, 0, tokens, others, prompt.length);
				model.forward(new DecodeBatch(tokens, new int[] { 0, others, tokens.length }, new int[] { 0, 0 },
						new int[][] { { 1 }, { 0 } }, new boolean[] { true, true })).copy(1, batched);
			}
			assertThat(batched).as("after %d other tokens", others).containsExactly(alone);
		}
	}

	/** The greedy tokens from BOS that reproduce the reference text (256 positions, as run.c ran). */
	public static List<Integer> greedyReference(GgufFile file) {
		try (CpuLlamaModel model = CpuLlamaModel.load(file, new KvCacheShape(32, 16), 1)) {
			return greedy(model, 256);
		}
	}

	/** run.c's loop over a block table in reverse order (the table, not adjacency, decides). */
	static List<Integer> greedy(CpuLlamaModel model, int steps) {
		int[] blocks = new int[model.cacheShape().blocks()];
		for (int i = 0; i < blocks.length; i++) {
			blocks[i] = blocks.length - 1 - i;
		}
		return Llama2cReference.greedyFromBos(model, blocks, steps, BOS);
	}

	static String decode(List<String> vocab, List<Integer> tokens) {
		return Llama2cReference.decode(vocab, tokens);
	}

}
