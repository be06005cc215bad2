package io.fulcrum.billing.pricing;

import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Where price books and tenant pricing are kept. Price book entries are only ever added: a change is a new
 * version that takes effect at a later instant.
 */
public interface PricingStore {

	/** Everything pricing needs, as one consistent read. */
	Mono<LivePricing.Snapshot> load();

	/**
	 * Adds the next version of a deployment's price for {@code model}, in force from {@code effectiveFrom}.
	 * @return the entry written, with its version number
	 * @throws PriceChangeRefused (as the error signal) when {@code effectiveFrom} is before {@code now} or before
	 * the newest existing version's
	 */
	Mono<PriceBookEntry> addVersion(String deploymentId, String model, Instant effectiveFrom, Rates rates,
			Instant now);

	/**
	 * Writes each price as version 1, in force since the epoch, for every deployment and model that has no
	 * version yet; leaves the others alone. This is how configured prices become the first price book.
	 * @return how many were written
	 */
	Mono<Integer> seed(List<SeedPrice> prices);

	/** Replaces a tenant's pricing; it applies to records priced from now on. */
	Mono<Void> setTenantPricing(String tenantId, CustomerPricing pricing);

	/**
	 * A configured price to seed.
	 *
	 * @param deploymentId the deployment
	 * @param model its upstream model
	 * @param price its configured token price
	 */
	record SeedPrice(String deploymentId, String model, TokenPrice price) {

	}

}
