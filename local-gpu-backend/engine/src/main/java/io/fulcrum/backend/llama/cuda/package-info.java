/**
 * The CUDA Llama decoder: {@link io.fulcrum.backend.llama.cuda.CudaLlamaModel}, whose kernels
 * ({@code src/main/cuda/llama_kernels.cu}, shipped as PTX) run through JCuda's driver API on the CUDA plumbing of
 * {@code encoder.cuda} (context, device memory, PTX modules); {@code LlamaKernels} launches each kernel with its
 * grid, {@code DeviceMatrix} and {@code LlamaDeviceWeights} hold the weights in their file's type.
 * {@link io.fulcrum.backend.llama.cuda.LlamaGpuCheck} checks it against the CPU model on a GPU machine.
 */
@NullMarked
package io.fulcrum.backend.llama.cuda;

import org.jspecify.annotations.NullMarked;
