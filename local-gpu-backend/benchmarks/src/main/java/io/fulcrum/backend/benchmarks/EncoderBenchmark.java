package io.fulcrum.backend.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.fulcrum.backend.embedding.BundledModel;
import io.fulcrum.backend.encoder.SentenceEncoder;
import io.fulcrum.backend.encoder.cpu.CpuBertEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One forward pass of all-MiniLM-L6-v2 over a batch, by Fulcrum's CPU encoder and by ONNX Runtime (the same model
 * file, the same thread count), including mean pooling. Sample-time mode gives each pass's latency
 * distribution; embeddings per second is {@code batch / mean}. ONNX Runtime gets a padded batch with an attention
 * mask, as real clients feed it; our encoder packs the batch without padding. The fork runs with the Vector API
 * module, so our encoder uses its SIMD kernel; {@code -jvmArgsAppend -Dfulcrum.cpu.scalar=true} measures the
 * plain-loop fallback.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = { "-Xms2g", "-Xmx2g", "--add-modules", "jdk.incubator.vector" })
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class EncoderBenchmark {

	@Param({ "fulcrum-cpu", "onnxruntime" })
	public String engine;

	@Param({ "1", "8", "32" })
	public int batch;

	/** Tokens per sequence, [CLS] and [SEP] included: a short query and a paragraph. */
	@Param({ "16", "128" })
	public int tokens;

	@Param({ "2" })
	public int threads;

	private SentenceEncoder fulcrum;

	private OrtEnvironment env;

	private OrtSession session;

	private List<int[]> sequences;

	@Setup(Level.Trial)
	public void setUp() throws IOException, OrtException {
		Random random = new Random(42);
		this.sequences = new ArrayList<>();
		for (int s = 0; s < this.batch; s++) {
			int[] ids = new int[this.tokens];
			ids[0] = 101;
			for (int i = 1; i < this.tokens - 1; i++) {
				ids[i] = 1000 + random.nextInt(29_000);
			}
			ids[this.tokens - 1] = 102;
			this.sequences.add(ids);
		}
		BundledModel model = BundledModel.ALL_MINILM_L6_V2;
		if (this.engine.equals("fulcrum-cpu")) {
			this.fulcrum = new CpuBertEncoder(model.weights(), this.threads);
		}
		else {
			this.env = OrtEnvironment.getEnvironment();
			OrtSession.SessionOptions options = new OrtSession.SessionOptions();
			options.setIntraOpNumThreads(this.threads);
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			try (InputStream in = BundledModel.class.getResourceAsStream(model.onnxResource())) {
				this.session = this.env.createSession(in.readAllBytes(), options);
			}
		}
	}

	@Benchmark
	public float[][] encodeBatch() throws OrtException {
		return this.fulcrum != null ? this.fulcrum.encode(this.sequences) : onnxRuntime();
	}

	private float[][] onnxRuntime() throws OrtException {
		int n = this.sequences.size();
		long[] ids = new long[n * this.tokens];
		long[] mask = new long[n * this.tokens];
		for (int s = 0; s < n; s++) {
			int[] seq = this.sequences.get(s);
			for (int i = 0; i < seq.length; i++) {
				ids[s * this.tokens + i] = seq[i];
				mask[s * this.tokens + i] = 1;
			}
		}
		long[] shape = { n, this.tokens };
		try (OnnxTensor inputIds = OnnxTensor.createTensor(this.env, LongBuffer.wrap(ids), shape);
				OnnxTensor attention = OnnxTensor.createTensor(this.env, LongBuffer.wrap(mask), shape);
				OnnxTensor types = OnnxTensor.createTensor(this.env, LongBuffer.wrap(new long[ids.length]), shape);
				OrtSession.Result result = this.session
					.run(Map.of("input_ids", inputIds, "attention_mask", attention, "token_type_ids", types))) {
			float[][][] hidden = (float[][][]) result.get(0).getValue();
			float[][] out = new float[n][];
			for (int s = 0; s < n; s++) {
				float[] sum = new float[hidden[s][0].length];
				for (float[] token : hidden[s]) {
					for (int c = 0; c < sum.length; c++) {
						sum[c] += token[c];
					}
				}
				out[s] = sum;
			}
			return out;
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() throws OrtException {
		if (this.fulcrum != null) {
			this.fulcrum.close();
		}
		if (this.session != null) {
			this.session.close();
		}
	}

}
