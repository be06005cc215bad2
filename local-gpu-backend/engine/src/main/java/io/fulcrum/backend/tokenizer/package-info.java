/**
 * Text to token ids in plain Java: BERT's WordPiece from a Hugging Face tokenizer.json, and the SentencePiece-style
 * and byte-level BPE tokenizers that GGUF files carry ({@link io.fulcrum.backend.tokenizer.GgufTokenizers}), each
 * matching what Hugging Face's tokenizers produce for the equivalent tokenizer.json.
 */
@NullMarked
package io.fulcrum.backend.tokenizer;

import org.jspecify.annotations.NullMarked;
