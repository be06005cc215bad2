package io.fulcrum.backend.batching;

/** The batcher's queue cannot take a submission now; the caller should answer 503 and ask to retry later. */
public final class QueueFullException extends RuntimeException {

	private final long retryAfterMillis;

	public QueueFullException(int queued, int limit, long retryAfterMillis) {
		this("the inference queue is full (" + queued + " inputs waiting, limit " + limit + ")", retryAfterMillis);
	}

	public QueueFullException(String message, long retryAfterMillis) {
		super(message);
		this.retryAfterMillis = retryAfterMillis;
	}

	/** A fair estimate of when the queue will have drained enough to accept the submission. */
	public long retryAfterMillis() {
		return this.retryAfterMillis;
	}

}
