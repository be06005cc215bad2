package io.fulcrum.billing.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import io.fulcrum.billing.usage.TokenUsage;

/**
 * The prices the request path uses: one immutable {@link Snapshot} read through an atomic reference, replaced whole
 * when an admin changes prices. Pricing an attempt takes no lock and looks up two hash maps.
 */
public final class LivePricing {

	private final AtomicReference<Snapshot> current;

	public LivePricing(Snapshot initial) {
		this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
	}

	/** The prices in use now. */
	public Snapshot current() {
		return this.current.get();
	}

	/** Prices every later attempt with {@code snapshot}, read after the change it must include was stored. */
	public void replace(Snapshot snapshot) {
		this.current.set(Objects.requireNonNull(snapshot, "snapshot"));
	}

	/**
	 * Replaces {@code expected}, read before {@code snapshot} was loaded, unless something replaced it meanwhile:
	 * a periodic reload that started before an admin change must not undo the fresher snapshot that change put.
	 * @return whether {@code snapshot} is now in use
	 */
	public boolean replaceIfUnchanged(Snapshot expected, Snapshot snapshot) {
		return this.current.compareAndSet(expected, Objects.requireNonNull(snapshot, "snapshot"));
	}

	/**
	 * Prices one attempt.
	 * @param configured the deployment's configured price, used (as version 0) when its book has no version in
	 * force at {@code at}
	 * @param billable whether the attempt is charged; one that is not costs zero but still names its version
	 */
	public PricedAttempt price(String deploymentId, String model, String tenantId, String modelAlias,
			TokenUsage usage, boolean billable, Instant at, TokenPrice configured) {
		Snapshot snapshot = this.current.get();
		PriceBookEntry entry = snapshot.book().entryAt(deploymentId, model, at);
		int version = (entry != null) ? entry.version() : 0;
		if (!billable) {
			return new PricedAttempt(version, BigDecimal.ZERO, BigDecimal.ZERO);
		}
		BigDecimal cost = (entry != null) ? entry.rates().charge(usage) : configured.cost(usage);
		CustomerPricing customer = snapshot.tenants().getOrDefault(tenantId, CustomerPricing.AT_COST);
		return new PricedAttempt(version, cost, customer.price(modelAlias, usage, cost));
	}

	/**
	 * Everything pricing needs, immutable.
	 *
	 * @param book provider prices by deployment and model, versioned
	 * @param tenants pricing of the tenants that have their own; the others pay {@link CustomerPricing#AT_COST}
	 */
	public record Snapshot(PriceBook book, Map<String, CustomerPricing> tenants) {

		/** No price book and every tenant at cost. */
		public static final Snapshot EMPTY = new Snapshot(PriceBook.EMPTY, Map.of());

		public Snapshot {
			Objects.requireNonNull(book, "book");
			tenants = Map.copyOf(tenants);
		}

	}

}
