package io.fulcrum.backend.encoder;

import java.util.function.Supplier;

import io.fulcrum.backend.bert.BertWeights;
import io.fulcrum.backend.encoder.cpu.CpuBertEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the encoder for a {@link Device}. The returned supplier is called on the engine thread, which then owns
 * the encoder (and, on a GPU, its CUDA context).
 */
public final class EncoderSelection {

	private static final Logger log = LoggerFactory.getLogger(EncoderSelection.class);

	private EncoderSelection() {
	}

	public static Supplier<SentenceEncoder> forDevice(Device device, BertWeights weights, int cpuThreads) {
		return () -> {
			SentenceEncoder encoder = switch (device) {
				case CPU, AUTO -> new CpuBertEncoder(weights, cpuThreads);
				case CUDA -> throw new IllegalStateException("no CUDA encoder in this build");
			};
			log.info("Encoder runs on {}", encoder.device());
			return encoder;
		};
	}

}
