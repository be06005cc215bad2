package io.fulcrum.backend.reference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.fulcrum.backend.embedding.BundledModel;

/**
 * ONNX Runtime running the same model file: the reference our encoders are checked against (test scope only).
 * Returns sentence embeddings the way sentence-transformers makes them: mean of the last hidden states over the
 * tokens, L2-normalised.
 */
public final class OnnxRuntimeReference implements AutoCloseable {

	private final OrtEnvironment env = OrtEnvironment.getEnvironment();

	private final OrtSession session;

	public OnnxRuntimeReference(BundledModel model) throws IOException, OrtException {
		byte[] bytes;
		try (InputStream in = BundledModel.class.getResourceAsStream(model.onnxResource())) {
			bytes = in.readAllBytes();
		}
		OrtSession.SessionOptions options = new OrtSession.SessionOptions();
		options.setIntraOpNumThreads(2);
		this.session = this.env.createSession(bytes, options);
	}

	/** One sequence's embedding, special tokens included in {@code ids}. */
	public float[] embed(int[] ids) throws OrtException {
		long[] input = new long[ids.length];
		long[] mask = new long[ids.length];
		for (int i = 0; i < ids.length; i++) {
			input[i] = ids[i];
			mask[i] = 1;
		}
		long[] shape = { 1, ids.length };
		try (OnnxTensor inputIds = OnnxTensor.createTensor(this.env, LongBuffer.wrap(input), shape);
				OnnxTensor attention = OnnxTensor.createTensor(this.env, LongBuffer.wrap(mask), shape);
				OnnxTensor types = OnnxTensor.createTensor(this.env, LongBuffer.wrap(new long[ids.length]), shape);
				OrtSession.Result result = this.session
					.run(Map.of("input_ids", inputIds, "attention_mask", attention, "token_type_ids", types))) {
			float[][][] hidden = (float[][][]) result.get(0).getValue();
			int width = hidden[0][0].length;
			double[] sum = new double[width];
			for (float[] token : hidden[0]) {
				for (int c = 0; c < width; c++) {
					sum[c] += token[c];
				}
			}
			double norm = 0;
			for (int c = 0; c < width; c++) {
				norm += sum[c] * sum[c];
			}
			norm = Math.sqrt(norm);
			float[] out = new float[width];
			for (int c = 0; c < width; c++) {
				out[c] = (float) (sum[c] / norm);
			}
			return out;
		}
	}

	@Override
	public void close() throws OrtException {
		this.session.close();
	}

	/** Cosine similarity of two vectors. */
	public static double cosine(float[] a, float[] b) {
		double dot = 0;
		double na = 0;
		double nb = 0;
		for (int i = 0; i < a.length; i++) {
			dot += (double) a[i] * b[i];
			na += (double) a[i] * a[i];
			nb += (double) b[i] * b[i];
		}
		return dot / Math.sqrt(na * nb);
	}

}
