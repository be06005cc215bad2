/**
 * The CUDA sentence encoder: fp32 kernels ({@code src/main/cuda/bert_kernels.cu}, shipped as PTX) launched through
 * JCuda's driver API. JCublas is not used: JCuda 12.0.0's cuBLAS binding does not load against CUDA 13's
 * libraries, so the GEMMs are our own.
 *
 * <p>The parts, each with one job: {@link io.fulcrum.backend.encoder.cuda.CudaRuntimeProbe} says whether CUDA is
 * usable here without failing; {@code CudaContext} owns the device's context and the thread it belongs to;
 * {@code DeviceMemory} allocates and counts device memory; {@code CudaKernels} loads the PTX module and launches
 * each kernel with its grid; {@code DeviceWeights} and {@code WorkBuffers} hold what lives on the device;
 * {@link io.fulcrum.backend.encoder.cuda.CudaBertEncoder} chains the kernels into the forward pass.
 *
 * <p>The plumbing is public for the engine's other CUDA model, the Llama decoder in {@code llama.cuda}:
 * {@link io.fulcrum.backend.encoder.cuda.CudaContext}, {@link io.fulcrum.backend.encoder.cuda.DeviceMemory},
 * {@link io.fulcrum.backend.encoder.cuda.PtxModule} (loads a PTX resource, launches its kernels, also under
 * {@code CudaKernels}), {@link io.fulcrum.backend.encoder.cuda.CudaException}, and for the GPU checks
 * {@link io.fulcrum.backend.encoder.cuda.CopyBandwidth} and {@link io.fulcrum.backend.encoder.cuda.Tee}.
 */
@NullMarked
package io.fulcrum.backend.encoder.cuda;

import org.jspecify.annotations.NullMarked;
