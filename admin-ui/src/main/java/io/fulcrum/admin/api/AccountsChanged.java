package io.fulcrum.admin.api;

import java.lang.System.Logger.Level;

/**
 * Tells the gateway that tenants or keys changed. A failing listener must not turn a committed change into an
 * error answer, so its failure is logged, not thrown.
 */
final class AccountsChanged {

	private static final System.Logger logger = System.getLogger(AccountsChanged.class.getName());

	private final Runnable listener;

	AccountsChanged(Runnable listener) {
		this.listener = listener;
	}

	void signal() {
		try {
			this.listener.run();
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "accounts-changed listener failed; caches may be stale", ex);
		}
	}

}
