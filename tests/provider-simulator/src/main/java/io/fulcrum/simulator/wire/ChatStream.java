package io.fulcrum.simulator.wire;

import java.util.List;

/**
 * Renders the Server-Sent Events of one streamed answer, each already in wire form. A stream is its
 * {@link #opening()}, one {@link #token} event per output token, then its {@link #closing}; a stream cut short
 * stops after some tokens.
 */
public interface ChatStream {

	/** The events sent before the first token. */
	List<byte[]> opening();

	/** The event carrying one output token. */
	byte[] token(String text);

	/**
	 * The events that end a complete stream.
	 * @param stopReason why the generation ended
	 * @param outputTokens the tokens sent
	 * @return the final events, including usage where reported and the provider's end marker
	 */
	List<byte[]> closing(StopReason stopReason, int outputTokens);

}
