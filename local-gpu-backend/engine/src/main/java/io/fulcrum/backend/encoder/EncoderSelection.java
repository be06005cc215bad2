package io.fulcrum.backend.encoder;

import java.util.function.Supplier;

import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.encoder.cpu.CpuBertEncoder;
import io.fulcrum.backend.encoder.cuda.CudaAvailability;
import io.fulcrum.backend.encoder.cuda.CudaBertEncoder;
import io.fulcrum.backend.encoder.cuda.CudaRuntimeProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the encoder for a {@link Device}. The returned supplier is called on the engine thread, which then owns
 * the encoder (and, on a GPU, its CUDA context). {@link Device#AUTO} probes CUDA first and logs why it falls back
 * to the CPU; {@link Device#CUDA} fails with that reason instead.
 */
public final class EncoderSelection {

	private static final Logger log = LoggerFactory.getLogger(EncoderSelection.class);

	private EncoderSelection() {
	}

	public static Supplier<SentenceEncoder> forDevice(Device device, BertWeights weights, int cpuThreads) {
		return () -> {
			SentenceEncoder encoder = switch (device) {
				case CPU -> new CpuBertEncoder(weights, cpuThreads);
				case CUDA -> cuda(weights, CudaRuntimeProbe.probe());
				case AUTO -> auto(weights, cpuThreads);
			};
			if (encoder instanceof CpuBertEncoder) {
				log.info("Encoder runs on {}, SIMD: {}", encoder.device(), CpuBertEncoder.simd());
			}
			else {
				log.info("Encoder runs on {}", encoder.device());
			}
			return encoder;
		};
	}

	private static SentenceEncoder auto(BertWeights weights, int cpuThreads) {
		CudaAvailability cuda = CudaRuntimeProbe.probe();
		if (!cuda.isAvailable()) {
			log.info("No usable CUDA GPU ({}); embeddings run on the CPU", cuda.detail());
			return new CpuBertEncoder(weights, cpuThreads);
		}
		try {
			return new CudaBertEncoder(weights);
		}
		catch (RuntimeException ex) {
			log.warn("CUDA GPU {} found ({}) but the encoder could not start on it; embeddings run on the CPU",
					cuda.deviceName(), cuda.detail(), ex);
			return new CpuBertEncoder(weights, cpuThreads);
		}
	}

	private static SentenceEncoder cuda(BertWeights weights, CudaAvailability cuda) {
		if (!cuda.isAvailable()) {
			throw new IllegalStateException("device cuda was asked for, but CUDA is not usable here: " + cuda.detail());
		}
		log.info("CUDA: {} ({})", cuda.deviceName(), cuda.detail());
		return new CudaBertEncoder(weights);
	}

}
