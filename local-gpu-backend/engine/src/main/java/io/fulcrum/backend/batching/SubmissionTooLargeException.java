package io.fulcrum.backend.batching;

/** A submission has more inputs than the queue can ever hold: retrying cannot help, the caller must split it. */
public final class SubmissionTooLargeException extends IllegalArgumentException {

	public SubmissionTooLargeException(int inputs, int limit) {
		super("a request of " + inputs + " inputs can never fit a queue of " + limit + "; split it");
	}

}
