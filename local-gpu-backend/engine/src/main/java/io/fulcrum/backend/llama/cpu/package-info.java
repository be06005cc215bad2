/**
 * The Llama decoder on the CPU, in pure Java: for machines without a GPU, and the reference the GPU path is checked
 * against.
 */
@NullMarked
package io.fulcrum.backend.llama.cpu;

import org.jspecify.annotations.NullMarked;
