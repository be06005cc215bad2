package io.fulcrum.backend.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8StreamDecoderTests {

	private final Utf8StreamDecoder decoder = new Utf8StreamDecoder();

	private static byte[] bytes(int... values) {
		byte[] out = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			out[i] = (byte) values[i];
		}
		return out;
	}

	@Test
	void holdsBackACharacterSplitAcrossTokensUntilItIsComplete() {
		// 日 is E6 97 A5: one byte per token, as byte-fallback tokens come
		assertThat(this.decoder.append(bytes('a', 0xE6))).isEqualTo("a");
		assertThat(this.decoder.hasPending()).isTrue();
		assertThat(this.decoder.append(bytes(0x97))).isEmpty();
		assertThat(this.decoder.append(bytes(0xA5, 'b'))).isEqualTo("日b");
		assertThat(this.decoder.hasPending()).isFalse();
	}

	@Test
	void decodesAFourByteCharacterSplitTwoAndTwo() {
		byte[] emoji = "🙂".getBytes(StandardCharsets.UTF_8);
		assertThat(this.decoder.append(Arrays.copyOfRange(emoji, 0, 2))).isEmpty();
		assertThat(this.decoder.append(Arrays.copyOfRange(emoji, 2, 4))).isEqualTo("🙂");
	}

	@Test
	void givesCompleteTextAtOnceAndNothingForEmptyTokens() {
		assertThat(this.decoder.append(" Once upon".getBytes(StandardCharsets.UTF_8))).isEqualTo(" Once upon");
		assertThat(this.decoder.append(new byte[0])).isEmpty();
		assertThat(this.decoder.flush()).isEmpty();
	}

	@Test
	void flushTurnsAnUnfinishedCharacterIntoAReplacementCharacter() {
		assertThat(this.decoder.append(bytes('x', 0xE6, 0x97))).isEqualTo("x");
		assertThat(this.decoder.flush()).isEqualTo("\uFFFD");
		assertThat(this.decoder.hasPending()).isFalse();
	}

	@Test
	void malformedBytesAreReplacedNotHeldBack() {
		assertThat(this.decoder.append(bytes(0x80, 'a'))).isEqualTo("\uFFFDa");
		assertThat(this.decoder.append(bytes(0xFF))).isEqualTo("\uFFFD");
		assertThat(this.decoder.hasPending()).isFalse();
	}

}
