package io.fulcrum.backend.gguf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GgufFileTests {

	@TempDir
	Path dir;

	@Test
	void whatTheWriterWritesTheReaderReadsBackForEveryMetadataAndTensorType() throws IOException {
		float[] values = new float[64];
		for (int i = 0; i < values.length; i++) {
			values[i] = (float) Math.sin(i) * 3;
		}
		Path file = this.dir.resolve("m.gguf");
		new GgufWriter().put("general.architecture", "llama")
			.put("llama.block_count", 5)
			.put("big", 1L << 40)
			.put("eps", 1e-5f)
			.put("flag", true)
			.put("tokens", List.of("<s>", "▁a", "日本"))
			.put("scores", new float[] { 0f, -1.5f, 2f })
			.put("types", new int[] { 3, 1, 1 })
			.tensor("f32", GgmlType.F32, new long[] { 32, 2 }, () -> values)
			.tensor("f16", GgmlType.F16, new long[] { 64 }, () -> values)
			.tensor("q8", GgmlType.Q8_0, new long[] { 32, 2 }, () -> values)
			.write(file);

		GgufFile read = GgufFile.open(file);
		assertThat(read.version()).isEqualTo(3);
		assertThat(read.string("general.architecture")).isEqualTo("llama");
		assertThat(read.integer("llama.block_count")).isEqualTo(5);
		assertThat(read.integer("big")).isEqualTo(1L << 40);
		assertThat(read.real("eps", 0)).isCloseTo(1e-5, within(1e-12));
		assertThat(read.bool("flag", false)).isTrue();
		assertThat(read.strings("tokens")).containsExactly("<s>", "▁a", "日本");
		assertThat(read.floats("scores")).containsExactly(0f, -1.5f, 2f);
		assertThat(read.integers("types")).containsExactly(3, 1, 1);
		GgufTensor f32 = read.tensor("f32");
		assertThat(f32.rows()).isEqualTo(2);
		assertThat(f32.cols()).isEqualTo(32);
		assertThat(f32.toFloats()).containsExactly(values);
		float[] f16 = read.tensor("f16").toFloats();
		float[] q8 = read.tensor("q8").toFloats();
		for (int i = 0; i < values.length; i++) {
			assertThat(f16[i]).isCloseTo(values[i], within(Math.abs(values[i]) / 1000 + 1e-4f));
			// Q8_0 keeps each value within half a quantisation step of its block's scale (max/127).
			assertThat(q8[i]).isCloseTo(values[i], within(3f / 127 / 2 * 1.01f));
		}
	}

	@Test
	void halfPrecisionConversionRoundsToNearestEvenAndKeepsSpecialValues() {
		for (float v : new float[] { 0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.1f, 1000.3f }) {
			float back = GgmlDecoding.halfToFloat(GgmlDecoding.floatToHalf(v));
			assertThat(back).isCloseTo(v, within(Math.abs(v) / 1024 + 1e-7f));
		}
		assertThat(GgmlDecoding.halfToFloat(GgmlDecoding.floatToHalf(Float.POSITIVE_INFINITY))).isInfinite();
		assertThat(GgmlDecoding.halfToFloat(GgmlDecoding.floatToHalf(Float.NaN))).isNaN();
		assertThat(GgmlDecoding.halfToFloat(GgmlDecoding.floatToHalf(1e6f))).isInfinite();
		// 1 + 2^-11 lies exactly between two halves: ties go to the even one, 1.0.
		assertThat(GgmlDecoding.halfToFloat(GgmlDecoding.floatToHalf(1f + 0x1p-11f))).isEqualTo(1f);
	}

	@Test
	void aFileThatIsNotGgufOrIsCutShortIsRefusedWithAClearMessage() throws IOException {
		Path notGguf = Files.writeString(this.dir.resolve("x.gguf"), "this is not a model, just some text here");
		assertThatThrownBy(() -> GgufFile.open(notGguf)).isInstanceOf(GgufFormatException.class)
			.hasMessageContaining("not a GGUF file");

		Path whole = this.dir.resolve("whole.gguf");
		new GgufWriter().put("general.architecture", "llama")
			.tensor("w", GgmlType.F32, new long[] { 32, 32 }, () -> new float[1024])
			.write(whole);
		byte[] bytes = Files.readAllBytes(whole);
		Path cut = Files.write(this.dir.resolve("cut.gguf"), Arrays.copyOf(bytes, bytes.length - 100));
		assertThatThrownBy(() -> GgufFile.open(cut)).isInstanceOf(GgufFormatException.class)
			.hasMessageContaining("runs past the end");
		Path header = Files.write(this.dir.resolve("header.gguf"), Arrays.copyOf(bytes, 30));
		assertThatThrownBy(() -> GgufFile.open(header)).isInstanceOf(GgufFormatException.class)
			.hasMessageContaining("ends inside its header");
	}

	@Test
	void quantisationTypesTheEngineCannotComputeWithAreNamedWhenUsed() {
		assertThat(GgmlType.Q4_K.supported()).isFalse();
		assertThatThrownBy(() -> GgmlDecoding.toFloats(GgmlType.Q4_K, java.nio.ByteBuffer.allocate(144), 256))
			.isInstanceOf(GgufFormatException.class)
			.hasMessageContaining("Q4_K")
			.hasMessageContaining("F32, F16 and Q8_0");
	}

}
