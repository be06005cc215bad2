package io.fulcrum.gateway.cache;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.pricing.PricedAttempt;
import io.fulcrum.billing.pricing.TokenPrice;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.dispatch.InferenceRequest;

/**
 * Meters a cache hit: one {@link UsageStatus#CACHE_HIT} record under the request's id (attempt 1, deployment
 * {@value #DEPLOYMENT}, no provider cost) charged the tenant's cache price, with the tokens of the cached answer and
 * what it saved: the customer price the original's deployment would charge the tenant now (the live price book and
 * the tenant's pricing, as for a provider attempt) less the cache price, never below zero.
 */
public final class CacheHitMeter {

	/** The deployment id a cache hit is recorded under: never a provider's. */
	public static final String DEPLOYMENT = "cache";

	private final UsageLedger ledger;

	private final LivePricing pricing;

	private final DeploymentCatalog catalog;

	private final BigDecimal pricePerHit;

	private final Map<String, BigDecimal> tenantPrices;

	public CacheHitMeter(UsageLedger ledger, LivePricing pricing, DeploymentCatalog catalog, BigDecimal pricePerHit,
			Map<String, BigDecimal> tenantPrices) {
		this.ledger = ledger;
		this.pricing = pricing;
		this.catalog = catalog;
		this.pricePerHit = pricePerHit;
		this.tenantPrices = Map.copyOf(tenantPrices);
	}

	/** What a hit costs {@code tenantId}: its own cache price, else the default (zero unless configured). */
	public BigDecimal cachePrice(String tenantId) {
		return this.tenantPrices.getOrDefault(tenantId, this.pricePerHit);
	}

	public UsageRecord hit(InferenceRequest request, CachedResponse entry) {
		Instant now = Instant.now();
		Deployment original = this.catalog.deployment(entry.deploymentId());
		TokenPrice configured = original != null ? original.price() : TokenPrice.FREE;
		PricedAttempt wouldHave = this.pricing.price(entry.deploymentId(), entry.upstreamModel(), request.tenantId(),
				request.alias().name(), entry.usage(), true, now, configured);
		BigDecimal price = cachePrice(request.tenantId());
		BigDecimal saved = wouldHave.customerPrice().subtract(price).max(BigDecimal.ZERO);
		long millis = (System.nanoTime() - request.startNanos()) / 1_000_000;
		UsageRecord record = new UsageRecord(request.requestId(), 1, request.tenantId(), request.keyId(),
				request.alias().name(), DEPLOYMENT, entry.upstreamModel(), entry.usage(), BigDecimal.ZERO, price,
				UsageStatus.CACHE_HIT, millis, millis, now, wouldHave.priceVersion(), saved);
		this.ledger.append(record);
		return record;
	}

}
