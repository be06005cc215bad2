/** Text to token ids in plain Java, matching what Hugging Face's tokenizers produce for the same tokenizer.json. */
@NullMarked
package io.fulcrum.backend.tokenizer;

import org.jspecify.annotations.NullMarked;
