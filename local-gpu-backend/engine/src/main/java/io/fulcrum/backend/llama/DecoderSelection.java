package io.fulcrum.backend.llama;

import io.fulcrum.backend.encoder.Device;
import io.fulcrum.backend.encoder.cuda.CudaAvailability;
import io.fulcrum.backend.encoder.cuda.CudaRuntimeProbe;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.llama.cpu.CpuLlamaModel;
import io.fulcrum.backend.llama.cuda.CudaLlamaModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a decoder on a {@link Device}. Call it on the engine thread, which then owns the model (and, on a GPU, its
 * CUDA context). {@link Device#AUTO} probes CUDA first and logs why it falls back to the CPU; {@link Device#CUDA}
 * fails with that reason instead. The CUDA decoder must first pass {@link DecoderSelfCheck} on the device: a GPU
 * whose results disagree with the CPU's is refused (with {@code auto}, the CPU serves instead).
 */
public final class DecoderSelection {

	private static final Logger log = LoggerFactory.getLogger(DecoderSelection.class);

	private DecoderSelection() {
	}

	public static DecoderModel load(Device device, GgufFile file, KvCacheShape cache, int cpuThreads) {
		return switch (device) {
			case CPU -> CpuLlamaModel.load(file, cache, cpuThreads);
			case CUDA -> cuda(file, cache, CudaRuntimeProbe.probe());
			case AUTO -> auto(file, cache, cpuThreads);
		};
	}

	private static DecoderModel auto(GgufFile file, KvCacheShape cache, int cpuThreads) {
		CudaAvailability cuda = CudaRuntimeProbe.probe();
		if (!cuda.isAvailable()) {
			log.info("No usable CUDA GPU ({}); text generation runs on the CPU", cuda.detail());
			return CpuLlamaModel.load(file, cache, cpuThreads);
		}
		try {
			return cudaModel(file, cache);
		}
		catch (RuntimeException ex) {
			log.warn("CUDA GPU {} found ({}) but the decoder could not start on it; text generation runs on the CPU",
					cuda.deviceName(), cuda.detail(), ex);
			return CpuLlamaModel.load(file, cache, cpuThreads);
		}
	}

	private static DecoderModel cuda(GgufFile file, KvCacheShape cache, CudaAvailability cuda) {
		if (!cuda.isAvailable()) {
			throw new IllegalStateException("device cuda was asked for, but CUDA is not usable here: " + cuda.detail());
		}
		log.info("CUDA: {} ({})", cuda.deviceName(), cuda.detail());
		return cudaModel(file, cache);
	}

	/** The CUDA decoder, after it has passed the self-check against the CPU on this device. */
	private static DecoderModel cudaModel(GgufFile file, KvCacheShape cache) {
		DecoderSelfCheck.verify("the CUDA decoder", CudaLlamaModel::load);
		log.info("The CUDA decoder passed its self-check against the CPU reference");
		return CudaLlamaModel.load(file, cache);
	}

}
