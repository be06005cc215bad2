package io.fulcrum.backend.encoder.cuda;

/**
 * The thread a CUDA context belongs to: the driver makes a new context current on its creating thread only, so
 * calls from any other thread would run without it (or on another context). Checked at each entry point.
 */
final class OwningThread {

	private final Thread owner;

	private OwningThread(Thread owner) {
		this.owner = owner;
	}

	/** The calling thread. */
	static OwningThread current() {
		return new OwningThread(Thread.currentThread());
	}

	/** Throws {@link IllegalStateException} unless the calling thread is the owner; {@code what} names the resource. */
	void check(String what) {
		Thread current = Thread.currentThread();
		if (current != this.owner) {
			throw new IllegalStateException(what + " belongs to thread '" + this.owner.getName()
					+ "', which created it; called from thread '" + current.getName() + "'");
		}
	}

}
