package io.fulcrum.backend.tokenizer;

import java.io.IOException;
import java.io.InputStream;

/**
 * Not a test: a rough throughput figure for {@link WordPieceTokenizer#tokenize} on long English text, single thread,
 * after a warm-up. Run with the test classpath: {@code java -cp ... io.fulcrum.backend.tokenizer.WordPieceTokenizerThroughput}.
 */
public final class WordPieceTokenizerThroughput {

	private WordPieceTokenizerThroughput() {
	}

	public static void main(String[] args) throws IOException {
		WordPieceTokenizer tokenizer;
		try (InputStream in = WordPieceTokenizerThroughput.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
			if (in == null) {
				throw new IOException("all-minilm-l6-v2-tokenizer.json is not on the classpath");
			}
			tokenizer = WordPieceTokenizer.fromJson(in);
		}
		String text = WordPieceTokenizerTest.longEnglish(10_000);
		long sink = 0;
		for (int i = 0; i < 300; i++) {
			sink += tokenizer.tokenize(text).length;
		}
		for (int round = 0; round < 5; round++) {
			long tokens = 0;
			int calls = 0;
			long start = System.nanoTime();
			while (System.nanoTime() - start < 2_000_000_000L) {
				tokens += tokenizer.tokenize(text).length;
				calls++;
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			System.out.printf("%,d calls of %,d chars: %,.0f tokens/s, %.1f MB/s of text%n", calls, text.length(),
					tokens / seconds, (double) calls * text.length() / seconds / 1e6);
			sink += tokens;
		}
		System.out.println("(" + sink + ")");
	}

}
