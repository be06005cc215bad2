package io.fulcrum.billing.usage;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One provider attempt of one request, as the ledger stores it. {@code (requestId, attempt)} is unique: writing the
 * same record twice changes nothing.
 *
 * @param requestId the id returned to the client in {@code x-request-id}
 * @param attempt 1 for the first provider attempt; fallbacks and retries count up
 * @param modelAlias the model the client asked for
 * @param deploymentId the deployment that handled this attempt
 * @param upstreamModel the model name sent to the provider
 * @param providerCost what the provider charges us, zero for a failed attempt
 * @param customerPrice what the tenant is charged, zero for a failed attempt
 * @param ttftMillis time to the first output token, when there was one
 * @param priceVersion the price book version both prices come from; 0 when none was in force (the deployment's
 * configured price was used) or the record predates price books
 * @param savedPrice for a {@link UsageStatus#CACHE_HIT}, what the tenant would have been charged had the request
 * gone to a provider (its customer price less the cache price); zero for every other record
 */
public record UsageRecord(String requestId, int attempt, String tenantId, String keyId, String modelAlias,
		String deploymentId, String upstreamModel, TokenUsage usage, BigDecimal providerCost, BigDecimal customerPrice,
		UsageStatus status, @Nullable Long ttftMillis, long durationMillis, Instant createdAt, int priceVersion,
		BigDecimal savedPrice) {

	/** Zero at the ledger's money scale (10 places), as a saved price reads back from the database. */
	private static final BigDecimal NOTHING_SAVED = BigDecimal.ZERO.setScale(10);

	/** A record that saved nothing: every provider attempt. */
	public UsageRecord(String requestId, int attempt, String tenantId, String keyId, String modelAlias,
			String deploymentId, String upstreamModel, TokenUsage usage, BigDecimal providerCost,
			BigDecimal customerPrice, UsageStatus status, @Nullable Long ttftMillis, long durationMillis,
			Instant createdAt, int priceVersion) {
		this(requestId, attempt, tenantId, keyId, modelAlias, deploymentId, upstreamModel, usage, providerCost,
				customerPrice, status, ttftMillis, durationMillis, createdAt, priceVersion, NOTHING_SAVED);
	}

}
