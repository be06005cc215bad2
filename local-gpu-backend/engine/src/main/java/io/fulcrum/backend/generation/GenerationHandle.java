package io.fulcrum.backend.generation;

/** A submitted generation, which its caller can stop. */
public interface GenerationHandle {

	/** Stops the generation at the next step and frees its cache blocks; its sink gets {@link FinishReason#CANCELLED}. */
	void cancel();

}
