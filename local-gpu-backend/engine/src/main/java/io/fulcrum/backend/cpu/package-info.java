/** CPU machinery shared by the encoder and decoder kernels: the worker pool and the SIMD switch. */
@NullMarked
package io.fulcrum.backend.cpu;

import org.jspecify.annotations.NullMarked;
