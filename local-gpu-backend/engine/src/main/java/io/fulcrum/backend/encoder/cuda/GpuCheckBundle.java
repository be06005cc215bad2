package io.fulcrum.backend.encoder.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.fulcrum.backend.embedding.BundledModel;
import io.fulcrum.backend.tokenizer.WordPieceTokenizer;

/**
 * Writes what {@link GpuCheck} reads on a GPU machine, where the 83 MB model jar cannot travel: MiniLM's weights
 * as {@link CompactWeights} and the token ids of a few real sentences (with {@code [CLS]} and {@code [SEP]}), one
 * sequence a line. Run by {@code local-gpu-backend/gpu/prepare.sh} on a machine with the model jar.
 */
public final class GpuCheckBundle {

	/** File names inside the bundle folder. */
	static final String WEIGHTS = "all-minilm-l6-v2.fqw8.gz";

	static final String TEXT_IDS = "real-text-ids.txt";

	private static final List<String> SENTENCES = List.of("Hello world.",
			"The gateway routes each request to the cheapest model that meets its latency objective.",
			"A quick brown fox jumps over the lazy dog, twice, and then takes a well-earned nap in the sun.",
			"Budgets are reserved at the customer price and settled to the actual amount once usage is known.",
			"GPUs read every weight once per forward pass; small batches are bound by kernel launches, not bandwidth.",
			"Où est la gare ? 東京は日本の首都です。 Ünïcödé and emoji 🙂 go through the same normaliser.");

	private GpuCheckBundle() {
	}

	/** {@code GpuCheckBundle OUT_DIR}. */
	public static void main(String[] args) throws IOException {
		if (args.length != 1) {
			System.err.println("usage: GpuCheckBundle OUT_DIR");
			System.exit(2);
		}
		Path out = Files.createDirectories(Path.of(args[0]));
		BundledModel model = BundledModel.ALL_MINILM_L6_V2;
		CompactWeights.write(model.weights(), out.resolve(WEIGHTS));
		WordPieceTokenizer tokenizer;
		try (InputStream json = model.tokenizerJson()) {
			tokenizer = WordPieceTokenizer.fromJson(json);
		}
		List<String> lines = new ArrayList<>();
		for (String s : SENTENCES) {
			lines.add(line(tokenizer, s));
		}
		// A long one: a paragraph of all of them, repeated, cut to 256 tokens.
		String paragraph = String.join(" ", SENTENCES).repeat(4);
		int[] ids = tokenizer.tokenize(paragraph);
		lines.add(join(tokenizer, IntStream.of(ids).limit(254).toArray()));
		Files.write(out.resolve(TEXT_IDS), lines);
		System.out.println("wrote " + out.resolve(WEIGHTS) + " (" + Files.size(out.resolve(WEIGHTS)) + " bytes) and "
				+ lines.size() + " sequences of real text to " + out.resolve(TEXT_IDS));
	}

	private static String line(WordPieceTokenizer tokenizer, String text) {
		return join(tokenizer, tokenizer.tokenize(text));
	}

	private static String join(WordPieceTokenizer tokenizer, int[] ids) {
		return IntStream.concat(IntStream.concat(IntStream.of(tokenizer.cls()), IntStream.of(ids)),
				IntStream.of(tokenizer.sep()))
			.mapToObj(Integer::toString)
			.collect(Collectors.joining(" "));
	}

}
