package io.fulcrum.backend.llama;

import java.util.ArrayList;
import java.util.List;

/**
 * llama2.c's reference run ({@code run.c} at temperature 0), which produced {@code stories260K.greedy.txt}: the
 * greedy loop and the decoding of its tokens, so any {@link DecoderModel} can be checked against that text.
 */
public final class Llama2cReference {

	private Llama2cReference() {
	}

	/**
	 * run.c's loop: {@code bos} at position 0, then each argmax fed back, for {@code positions} positions or until a
	 * BOS comes out; the cache blocks of the one sequence are {@code blockTable}.
	 */
	public static List<Integer> greedyFromBos(DecoderModel model, int[] blockTable, int positions, int bos) {
		List<Integer> out = new ArrayList<>();
		int token = bos;
		for (int pos = 0; pos < positions; pos++) {
			token = model.forward(new DecodeBatch(new int[] { token }, new int[] { 0, 1 }, new int[] { pos },
					new int[][] { blockTable }, new boolean[] { true })).argmax(0);
			if (token == bos) {
				break;
			}
			out.add(token);
		}
		return out;
	}

	/** run.c's decoding: '▁' is a space, {@code <0xNN>} a byte, and the first piece after BOS loses its space. */
	public static String decode(List<String> vocab, List<Integer> tokens) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < tokens.size(); i++) {
			String piece = vocab.get(tokens.get(i));
			if (piece.matches("<0x[0-9A-F]{2}>")) {
				piece = String.valueOf((char) Integer.parseInt(piece.substring(3, 5), 16));
			}
			piece = piece.replace('\u2581', ' ');
			text.append(i == 0 && piece.startsWith(" ") ? piece.substring(1) : piece);
		}
		return text.toString().strip();
	}

}
