package io.fulcrum.backend.llama;

/** How rotary position embedding pairs up a head's dimensions. */
public enum RopeStyle {

	/** Dimensions {@code (2i, 2i+1)} rotate together: Llama weights as GGUF stores them (llama.cpp's "normal" mode). */
	ADJACENT_PAIRS,

	/** Dimensions {@code (i, i + d/2)} rotate together: GPT-NeoX's layout, which Qwen2 uses. */
	HALF_SPLIT

}
