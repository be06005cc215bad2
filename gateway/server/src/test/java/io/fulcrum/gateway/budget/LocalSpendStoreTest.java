package io.fulcrum.gateway.budget;

import java.util.concurrent.atomic.AtomicLong;

class LocalSpendStoreTest extends SpendStoreContract {

	private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

	private final LocalSpendStore store = new LocalSpendStore(this.now::get);

	@Override
	SpendStore store() {
		return this.store;
	}

	@Override
	void elapse(long millis) {
		this.now.addAndGet(millis);
	}

}
