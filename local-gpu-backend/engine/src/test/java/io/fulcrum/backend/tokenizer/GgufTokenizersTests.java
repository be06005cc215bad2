package io.fulcrum.backend.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.gguf.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GgufTokenizersTests {

	@TempDir
	Path dir;

	private GgufFile write(String model) throws IOException {
		Path file = this.dir.resolve(model + ".gguf");
		GgufWriter writer = new GgufWriter().put("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "</s>", "a"));
		if (!model.isEmpty()) {
			writer.put("tokenizer.ggml.model", model);
		}
		writer.write(file);
		return GgufFile.open(file);
	}

	@Test
	void choosesTheTokenizerTheModelTypeNames() throws IOException {
		assertThat(GgufTokenizers.load(write("llama"))).isInstanceOf(SentencePieceBpeTokenizer.class);
		assertThat(GgufTokenizers.load(write("gpt2"))).isInstanceOf(ByteLevelBpeTokenizer.class);
	}

	@Test
	void refusesAnUnsupportedModelTypeByName() throws IOException {
		GgufFile bert = write("bert");
		assertThatThrownBy(() -> GgufTokenizers.load(bert)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("\"bert\"")
			.hasMessageContaining("not supported");
	}

	@Test
	void refusesAFileWithoutATokenizer() throws IOException {
		GgufFile none = write("");
		assertThatThrownBy(() -> GgufTokenizers.load(none)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("no tokenizer.ggml.model");
	}

	@Test
	void llamaDefaultsApplyWhenTheMetadataLeavesSpecialIdsOut() throws IOException {
		TextTokenizer tokenizer = GgufTokenizers.load(write("llama"));
		assertThat(tokenizer.bos()).isEqualTo(1);
		assertThat(tokenizer.eos()).isEqualTo(2);
		assertThat(tokenizer.addBos()).isTrue();
		// no byte tokens: each byte of "▁b" (E2 96 81 62) not in the vocabulary falls back to the unknown token
		assertThat(tokenizer.encode("b", false)).containsExactly(0, 0, 0, 0);
		assertThat(tokenizer.tokenText(3)).isEqualTo("a");
		assertThatThrownBy(() -> tokenizer.tokenText(4)).isInstanceOf(IllegalArgumentException.class);
	}

}
