/**
 * Reading and writing GGUF model files (llama.cpp's format, version 3): metadata, tensor directory and memory-mapped
 * tensor data.
 */
@NullMarked
package io.fulcrum.backend.gguf;

import org.jspecify.annotations.NullMarked;
