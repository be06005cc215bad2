package io.fulcrum.backend.batching;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Starts the daemon thread that owns an engine's model: the model is created on that thread (a CUDA context belongs
 * to the thread that made it), and the starter waits until creation has succeeded or failed, so a constructor can
 * report a model that cannot load instead of leaving a dead thread behind.
 */
public final class EngineThread {

	private EngineThread() {
	}

	/**
	 * Starts thread {@code name}: it runs {@code create}, then {@code serve} with what it created. Returns once
	 * {@code create} has returned.
	 * @throws IllegalStateException when {@code create} fails (the cause attached; the thread has ended)
	 */
	public static <T> Thread start(String name, Supplier<? extends T> create, Consumer<? super T> serve) {
		CountDownLatch created = new CountDownLatch(1);
		Throwable[] failure = new Throwable[1];
		Thread thread = new Thread(() -> {
			@Nullable T resource;
			try {
				resource = create.get();
			}
			catch (Throwable ex) {
				failure[0] = ex;
				created.countDown();
				return;
			}
			created.countDown();
			serve.accept(resource);
		}, name);
		thread.setDaemon(true);
		thread.start();
		try {
			created.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while " + name + " started", ex);
		}
		// The latch orders the write of failure[0] before this read.
		if (failure[0] != null) {
			throw new IllegalStateException(name + " could not start: " + failure[0].getMessage(), failure[0]);
		}
		return thread;
	}

}
