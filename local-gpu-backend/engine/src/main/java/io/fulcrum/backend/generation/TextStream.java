package io.fulcrum.backend.generation;

import io.fulcrum.backend.tokenizer.TextTokenizer;
import io.fulcrum.backend.tokenizer.Utf8StreamDecoder;

/**
 * Turns one generation's tokens into text for a {@link TextListener}: token bytes are decoded as UTF-8 only once a
 * character is complete, and text that could be the start of a stop sequence is held until it is known not to be
 * one; a stop sequence ends the generation and is never shown.
 * <p>
 * As SentencePiece decoders (and llama2.c) do, the space that starts the first word after a bare BOS is dropped, so
 * a story generated from nothing starts "Once", not " Once".
 */
final class TextStream implements TokenSink {

	private final TextTokenizer tokenizer;

	private final StopMatcher stops;

	private final TextListener listener;

	private final Utf8StreamDecoder decoder = new Utf8StreamDecoder();

	private boolean dropLeadingSpace;

	TextStream(TextTokenizer tokenizer, StopMatcher stops, TextListener listener, boolean afterBareBos) {
		this.tokenizer = tokenizer;
		this.stops = stops;
		this.listener = listener;
		this.dropLeadingSpace = afterBareBos;
	}

	@Override
	public boolean onToken(int token) {
		String piece = this.decoder.append(this.tokenizer, token);
		if (this.dropLeadingSpace && !piece.isEmpty()) {
			this.dropLeadingSpace = false;
			if (piece.charAt(0) == ' ') {
				piece = piece.substring(1);
			}
		}
		emit(this.stops.accept(piece));
		return this.stops.matched();
	}

	@Override
	public void onFinish(FinishReason reason, GenerationUsage usage) {
		if (!this.stops.matched()) {
			emit(this.stops.accept(this.decoder.flush()));
			emit(this.stops.flush());
		}
		this.listener.finished(reason, usage);
	}

	@Override
	public void onError(RuntimeException error, GenerationUsage usage) {
		this.listener.failed(error, usage);
	}

	private void emit(String text) {
		if (!text.isEmpty()) {
			this.listener.text(text);
		}
	}

}
