package io.fulcrum.backend.encoder.cuda;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The guard that keeps a CUDA context to the thread that created it. */
class OwningThreadTests {

	@Test
	void theCreatingThreadPassesAnotherIsRefusedWithBothNames() throws Exception {
		OwningThread owner = OwningThread.current();
		assertThatCode(() -> owner.check("the CUDA context of cuda:0 test")).doesNotThrowAnyException();
		AtomicReference<Throwable> refused = new AtomicReference<>();
		Thread other = new Thread(() -> {
			try {
				owner.check("the CUDA context of cuda:0 test");
			}
			catch (Throwable ex) {
				refused.set(ex);
			}
		}, "request-handler");
		other.start();
		other.join();
		assertThat(refused.get()).isInstanceOf(IllegalStateException.class)
			.hasMessage("the CUDA context of cuda:0 test belongs to thread '" + Thread.currentThread().getName()
					+ "', which created it; called from thread 'request-handler'");
	}

}
