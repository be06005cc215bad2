package io.fulcrum.backend.encoder.cuda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.fulcrum.backend.bert.BertConfig;
import io.fulcrum.backend.bert.BertLayer;
import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.bert.Tensor;

/**
 * A BERT model in a file small enough to carry to a GPU machine, where everything that travels (runtime,
 * libraries, model) must fit in 64 MiB: the fp32 MiniLM (90 MB) does not, and compresses by only a few percent.
 * Matrices are stored as int8 with one fp32 scale per {@value #BLOCK} consecutive values (symmetric, scale =
 * max |v| / 127); vectors (biases, LayerNorm) stay fp32. The file is gzip'd: about 21 MB for MiniLM.
 *
 * <p>Lossy on purpose, and harmless for what it is for: {@link GpuCheck} runs the CPU and the CUDA encoder on the
 * same dequantized weights, so their difference measures the kernels, not the rounding. It is not a way to serve
 * the model. (On the CPU encoder, MiniLM's embeddings from these weights keep a cosine of at least 0.9995 with the
 * fp32 model's on real sentences of 5 to 256 tokens, so the check sees realistic activations.)
 */
public final class CompactWeights {

	/** Values sharing one scale. */
	static final int BLOCK = 64;

	private static final int MAGIC = 0x46515738; // "FQW8"

	private static final int VERSION = 1;

	private static final byte FP32 = 0;

	private static final byte INT8_BLOCKS = 1;

	private CompactWeights() {
	}

	/** Writes {@code weights} to {@code file}, quantizing every matrix. */
	public static void write(BertWeights weights, Path file) throws IOException {
		try (DataOutputStream out = new DataOutputStream(
				new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16))) {
			out.writeInt(MAGIC);
			out.writeInt(VERSION);
			BertConfig c = weights.config();
			for (int v : new int[] { c.vocabSize(), c.hidden(), c.layers(), c.heads(), c.intermediate(),
					c.maxPositions() }) {
				out.writeInt(v);
			}
			out.writeFloat(c.layerNormEps());
			List<Tensor> all = tensors(weights);
			out.writeInt(all.size());
			for (Tensor t : all) {
				writeTensor(out, t);
			}
		}
	}

	/** Reads a file written by {@link #write}, as dequantized fp32 weights. */
	public static BertWeights read(Path file) throws IOException {
		try (DataInputStream in = new DataInputStream(
				new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16), 1 << 16))) {
			if (in.readInt() != MAGIC || in.readInt() != VERSION) {
				throw new IOException(file + " is not a compact weights file (version " + VERSION + ")");
			}
			BertConfig c = new BertConfig(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
					in.readInt(), in.readFloat());
			int count = in.readInt();
			if (count != 5 + 16 * c.layers()) {
				throw new IOException(file + ": " + count + " tensors for " + c.layers() + " layers");
			}
			List<Tensor> t = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				t.add(readTensor(in));
			}
			List<BertLayer> layers = new ArrayList<>();
			for (int l = 0; l < c.layers(); l++) {
				int b = 5 + 16 * l;
				layers.add(new BertLayer(t.get(b), t.get(b + 1), t.get(b + 2), t.get(b + 3), t.get(b + 4), t.get(b + 5),
						t.get(b + 6), t.get(b + 7), t.get(b + 8), t.get(b + 9), t.get(b + 10), t.get(b + 11), t.get(b + 12),
						t.get(b + 13), t.get(b + 14), t.get(b + 15)));
			}
			return new BertWeights(c, t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), layers);
		}
	}

	/** Every tensor in file order: the embeddings, then each layer's in {@link BertLayer}'s component order. */
	static List<Tensor> tensors(BertWeights w) {
		List<Tensor> all = new ArrayList<>(List.of(w.wordEmbeddings(), w.positionEmbeddings(),
				w.tokenTypeEmbeddings(), w.embeddingNormGamma(), w.embeddingNormBeta()));
		for (BertLayer l : w.layers()) {
			all.addAll(List.of(l.query(), l.queryBias(), l.key(), l.keyBias(), l.value(), l.valueBias(),
					l.attentionOutput(), l.attentionOutputBias(), l.attentionNormGamma(), l.attentionNormBeta(),
					l.intermediate(), l.intermediateBias(), l.output(), l.outputBias(), l.outputNormGamma(),
					l.outputNormBeta()));
		}
		return all;
	}

	private static void writeTensor(DataOutputStream out, Tensor t) throws IOException {
		out.writeUTF(t.name());
		out.writeInt(t.shape().length);
		for (int d : t.shape()) {
			out.writeInt(d);
		}
		float[] v = t.data();
		if (t.shape().length < 2) {
			out.writeByte(FP32);
			ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES);
			bytes.asFloatBuffer().put(v);
			out.write(bytes.array());
			return;
		}
		out.writeByte(INT8_BLOCKS);
		int blocks = (v.length + BLOCK - 1) / BLOCK;
		float[] scales = new float[blocks];
		byte[] q = new byte[v.length];
		for (int b = 0; b < blocks; b++) {
			int end = Math.min(v.length, (b + 1) * BLOCK);
			float max = 0;
			for (int i = b * BLOCK; i < end; i++) {
				max = Math.max(max, Math.abs(v[i]));
			}
			float scale = max / 127f;
			scales[b] = scale;
			for (int i = b * BLOCK; i < end; i++) {
				q[i] = scale == 0 ? 0 : (byte) Math.max(-127, Math.min(127, Math.round(v[i] / scale)));
			}
		}
		ByteBuffer scaleBytes = ByteBuffer.allocate(blocks * Float.BYTES);
		scaleBytes.asFloatBuffer().put(scales);
		out.write(scaleBytes.array());
		out.write(q);
	}

	private static Tensor readTensor(DataInputStream in) throws IOException {
		String name = in.readUTF();
		int[] shape = new int[in.readInt()];
		long n = 1;
		for (int i = 0; i < shape.length; i++) {
			shape[i] = in.readInt();
			n *= shape[i];
		}
		if (n > Integer.MAX_VALUE / Float.BYTES) {
			throw new IOException("tensor " + name + " is too large: " + n + " values");
		}
		float[] v = new float[(int) n];
		byte kind = in.readByte();
		if (kind == FP32) {
			byte[] bytes = new byte[v.length * Float.BYTES];
			in.readFully(bytes);
			ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
		}
		else if (kind == INT8_BLOCKS) {
			int blocks = (v.length + BLOCK - 1) / BLOCK;
			byte[] scaleBytes = new byte[blocks * Float.BYTES];
			in.readFully(scaleBytes);
			float[] scales = new float[blocks];
			ByteBuffer.wrap(scaleBytes).asFloatBuffer().get(scales);
			byte[] q = new byte[v.length];
			in.readFully(q);
			for (int i = 0; i < v.length; i++) {
				v[i] = q[i] * scales[i / BLOCK];
			}
		}
		else {
			throw new IOException("tensor " + name + ": unknown storage kind " + kind);
		}
		return new Tensor(name, shape, v);
	}

}
