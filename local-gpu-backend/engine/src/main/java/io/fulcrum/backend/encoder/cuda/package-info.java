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
 */
@NullMarked
package io.fulcrum.backend.encoder.cuda;

import org.jspecify.annotations.NullMarked;
