package io.fulcrum.gateway.metering;

/** Told when each provider attempt starts and ends, once each; must not block. */
public interface AttemptListener {

	/** Listens to nothing. */
	AttemptListener NONE = new AttemptListener() {
	};

	default void started(Attempt attempt) {
	}

	/** A streamed attempt's first token arrived, {@code ttftNanos} after the attempt started. */
	default void firstToken(Attempt attempt, long ttftNanos) {
	}

	default void finished(FinishedAttempt finished) {
	}

}
