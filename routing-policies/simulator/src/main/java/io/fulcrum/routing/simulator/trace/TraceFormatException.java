package io.fulcrum.routing.simulator.trace;

/** A trace file that cannot be read; the message names the file and line. */
public final class TraceFormatException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public TraceFormatException(String message) {
		super(message);
	}

}
