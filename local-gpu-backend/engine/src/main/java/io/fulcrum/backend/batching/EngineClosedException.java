package io.fulcrum.backend.batching;

/** The batcher is closed or closing: new work is refused and queued work fails with this. */
public final class EngineClosedException extends IllegalStateException {

	public EngineClosedException() {
		super("the inference engine is shutting down");
	}

}
