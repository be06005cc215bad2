package io.fulcrum.protocol.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SseDecoderTests {

	private static final String STREAM = "event: message_start\r\ndata: {\"a\":\"héllo ✓\"}\r\n\r\n: keep-alive\n\n"
			+ "data: first\ndata:second\n\ndata: {\"b\":1}\r\rdata\n\nid: 7\ndata: [DONE]\n\n";

	private static final List<SseEvent> EXPECTED = List.of(new SseEvent("message_start", "{\"a\":\"héllo ✓\"}"),
			SseEvent.data("first\nsecond"), SseEvent.data("{\"b\":1}"), SseEvent.data(""), SseEvent.data("[DONE]"));

	@Test
	void decodesAWholeStream() {
		assertThat(decode(STREAM.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE)).isEqualTo(EXPECTED);
	}

	@Test
	void decodesTheSameWhereverReadsSplitTheStream() {
		byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
		for (int size = 1; size <= 17; size++) {
			assertThat(decode(bytes, size)).as("reads of %d bytes", size).isEqualTo(EXPECTED);
		}
	}

	@Test
	void finishReturnsAnUnterminatedEvent() {
		SseDecoder decoder = new SseDecoder();
		assertThat(decoder.feed("data: a\ndata: b".getBytes(StandardCharsets.UTF_8))).isEmpty();
		assertThat(decoder.finish()).containsExactly(SseEvent.data("a\nb"));
	}

	@Test
	void encodesOneDataLineOrSeveral() {
		assertThat(new String(SseEvent.data("{\"x\":\"é\"}").encode(), StandardCharsets.UTF_8))
			.isEqualTo("data: {\"x\":\"é\"}\n\n");
		assertThat(new String(new SseEvent("ping", "a\nb").encode(), StandardCharsets.UTF_8))
			.isEqualTo("event: ping\ndata: a\ndata: b\n\n");
	}

	private static List<SseEvent> decode(byte[] bytes, int readSize) {
		SseDecoder decoder = new SseDecoder();
		List<SseEvent> events = new ArrayList<>();
		for (int from = 0; from < bytes.length; from += readSize) {
			byte[] read = new byte[Math.min(readSize, bytes.length - from)];
			System.arraycopy(bytes, from, read, 0, read.length);
			events.addAll(decoder.feed(read));
		}
		events.addAll(decoder.finish());
		return events;
	}

}
