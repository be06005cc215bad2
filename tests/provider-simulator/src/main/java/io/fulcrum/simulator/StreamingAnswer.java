package io.fulcrum.simulator;

import java.io.ByteArrayOutputStream;

import io.fulcrum.simulator.wire.ChatStream;
import io.fulcrum.simulator.wire.StopReason;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Sends one streamed answer: after the time to first token, the opening events and the first token, the other
 * tokens paced by the decode speed, then the closing events. At unlimited speed the events go out as one body;
 * for a profile that breaks streams, the connection is cut after some tokens. Counts how each stream ended.
 */
final class StreamingAnswer {

	private static final AsciiString EVENT_STREAM = AsciiString.cached("text/event-stream");

	private final SimulatorControl control;

	private final HttpServerResponse response;

	private final Channel channel;

	private int promptTokens;

	private int outputTokens;

	StreamingAnswer(SimulatorControl control, HttpServerResponse response) {
		this.control = control;
		this.response = response;
		this.channel = Channels.of(response);
	}

	Mono<Void> send(ChatStream stream, ModelProfile profile, int promptTokens, int outputTokens,
			StopReason stopReason) {
		this.promptTokens = promptTokens;
		this.outputTokens = outputTokens;
		EventLoopTimer timer = new EventLoopTimer(this.channel);
		Mono<Void> firstToken = timer.delay(Latency.ttftNanos(profile));
		long interval = Latency.tokenIntervalNanos(profile);
		if (profile.failAfterChunks() >= 0) {
			int tokens = Math.min(outputTokens, profile.failAfterChunks());
			Flux<byte[]> events = firstToken.thenMany(paced(stream, timer, tokens, interval, Flux.empty()));
			return start().sendByteArray(counted(events, false)).then().then(Mono.fromRunnable(this::cutConnection));
		}
		if (interval > 0) {
			Flux<byte[]> closing = Flux.defer(() -> Flux.fromIterable(stream.closing(stopReason, outputTokens)));
			Flux<byte[]> events = firstToken.thenMany(paced(stream, timer, outputTokens, interval, closing));
			return start().sendByteArray(counted(events, true)).then();
		}
		// At unlimited speed the whole stream is one body with a content-length, written at once: a benchmark's
		// hot path, and SSE clients read it the same.
		Mono<byte[]> whole = firstToken.then(Mono.fromCallable(() -> whole(stream, outputTokens, stopReason)));
		return start().sendByteArray(whole.doFinally((signal) -> count(signal, true))).then();
	}

	private HttpServerResponse start() {
		return this.response.status(HttpResponseStatus.OK)
			.header(HttpHeaderNames.CONTENT_TYPE, EVENT_STREAM)
			.header(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
	}

	/** The opening events with the first token, then the other tokens one interval apart, then the closing. */
	private static Flux<byte[]> paced(ChatStream stream, EventLoopTimer timer, int tokens, long interval,
			Flux<byte[]> closing) {
		Flux<byte[]> content = timer.ticks(tokens, interval).map((index) -> stream.token(SimulatedText.token(index)));
		return Flux.concat(Flux.defer(() -> Flux.fromIterable(stream.opening())), content, closing);
	}

	/** Counts how the stream ends: cancelled by the client, or (unless it is cut on purpose) completed. */
	private Flux<byte[]> counted(Flux<byte[]> events, boolean completes) {
		return events.doFinally((signal) -> count(signal, completes));
	}

	private void count(SignalType signal, boolean completes) {
		if (signal == SignalType.CANCEL) {
			this.control.streamCancelled();
		}
		else if (signal == SignalType.ON_COMPLETE && completes) {
			this.control.streamCompleted();
			this.control.answered(this.promptTokens, this.outputTokens);
		}
	}

	/** All the events of a complete stream in one array. */
	private static byte[] whole(ChatStream stream, int tokens, StopReason stopReason) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256 * (tokens + 4));
		stream.opening().forEach(out::writeBytes);
		for (int index = 0; index < tokens; index++) {
			out.writeBytes(stream.token(SimulatedText.token(index)));
		}
		stream.closing(stopReason, tokens).forEach(out::writeBytes);
		return out.toByteArray();
	}

	/** Closes the connection once the events so far are written, without ending the chunked body. */
	private void cutConnection() {
		this.control.streamAborted();
		// Flush first: a plain close fails writes still waiting in Netty's outbound buffer, so the client would
		// lose chunks the test expects it to receive before the cut.
		this.channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
			.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
	}

}
