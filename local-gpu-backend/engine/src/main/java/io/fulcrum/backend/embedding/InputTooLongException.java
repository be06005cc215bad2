package io.fulcrum.backend.embedding;

/** An input is longer than the model's window and the policy is {@link WindowPolicy#REJECT}. */
public final class InputTooLongException extends RuntimeException {

	public InputTooLongException(int index, int tokens, int limit) {
		super("input " + index + " has " + tokens + " tokens; this model embeds at most " + limit
				+ " tokens per input (shorten it, or ask the operator for window policy 'truncate')");
	}

}
