package io.fulcrum.gateway.metering;

import java.math.BigDecimal;
import java.time.Instant;

import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.pricing.PricedAttempt;
import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.metrics.GatewayMetrics;
import io.fulcrum.protocol.Json;
import tools.jackson.databind.JsonNode;

/**
 * Meters the end of every provider attempt: works out its usage (exact or estimated), prices it from the live
 * price book snapshot (provider cost from the deployment's version in force, customer price from the tenant's
 * pricing), appends one {@link UsageRecord} naming that version to the ledger and updates the metrics. Called
 * exactly once per attempt.
 */
public final class UsageMeter {

	private final UsageLedger ledger;

	private final TokenCounter tokens;

	private final GatewayMetrics metrics;

	private final AttemptListener listener;

	private final LivePricing pricing;

	public UsageMeter(UsageLedger ledger, TokenCounter tokens, GatewayMetrics metrics, AttemptListener listener,
			LivePricing pricing) {
		this.ledger = ledger;
		this.pricing = pricing;
		this.tokens = tokens;
		this.metrics = metrics;
		this.listener = listener;
	}

	/** Starts an attempt: every attempt begun here must be {@linkplain #finish finished}. */
	public Attempt begin(InferenceRequest request, Deployment deployment, int number) {
		Attempt attempt = new Attempt(request, deployment, number);
		request.attemptBegun();
		this.listener.started(attempt);
		return attempt;
	}

	/** Tells listeners a streamed attempt's first token arrived (as {@link Attempt#observeChunk} reported). */
	public void firstToken(Attempt attempt) {
		this.listener.firstToken(attempt, attempt.firstTokenNanos() - attempt.startNanos());
	}

	public void finish(Attempt attempt, AttemptOutcome outcome) {
		if (!attempt.finish()) {
			return;
		}
		long end = System.nanoTime();
		TokenUsage usage = usage(attempt, outcome);
		attempt.request().addUsedTokens(usage.inputOrZero() + usage.outputOrZero());
		Instant now = Instant.now();
		// The configured price stands in (as version 0) only for a deployment whose book has no version in force.
		PricedAttempt priced = this.pricing.price(attempt.deployment().id(), attempt.deployment().upstreamModel(),
				attempt.request().tenantId(), attempt.request().alias().name(), usage,
				outcome.usageStatus().costsProvider(), now, attempt.deployment().price());
		if (!outcome.usageStatus().billable()) {
			// A lost hedge: the provider's cost is ours, the customer pays only for the winner.
			priced = new PricedAttempt(priced.priceVersion(), priced.providerCost(), BigDecimal.ZERO);
		}
		long firstToken = attempt.firstTokenNanos();
		Long ttftMillis = firstToken < 0 ? null : (firstToken - attempt.startNanos()) / 1_000_000;
		this.ledger.append(new UsageRecord(attempt.request().requestId(), attempt.number(),
				attempt.request().tenantId(), attempt.request().keyId(), attempt.request().alias().name(),
				attempt.deployment().id(), attempt.deployment().upstreamModel(), usage, priced.providerCost(),
				priced.customerPrice(), outcome.usageStatus(), ttftMillis, (end - attempt.startNanos()) / 1_000_000,
				now, priced.priceVersion()));
		// After the ledger append, so that a budget settled by this sees the record queued; at the customer price,
		// which is what budgets limit.
		attempt.request().attemptMetered(priced.customerPrice());
		this.metrics.attempt(attempt.request().alias().name(), attempt.deployment().id(), outcome.tag(),
				end - attempt.startNanos(), firstToken < 0 ? -1 : firstToken - attempt.startNanos(),
				usage.inputOrZero(), usage.outputOrZero());
		long ttft = firstToken < 0 || !attempt.request().stream() ? -1 : firstToken - attempt.startNanos();
		this.listener.finished(
				new FinishedAttempt(attempt, outcome, usage, ttft, end - attempt.startNanos(), attempt.failure()));
	}

	private TokenUsage usage(Attempt attempt, AttemptOutcome outcome) {
		JsonNode reported = attempt.usage();
		if (reported != null) {
			Long input = Json.longValue(reported, "prompt_tokens");
			Long output = Json.longValue(reported, "completion_tokens");
			Long cached = Json.longValue(reported.path("prompt_tokens_details"), "cached_tokens");
			if (input != null) {
				return new TokenUsage(input, cached != null ? cached : 0L, output != null ? output : 0L, false);
			}
		}
		if (outcome == AttemptOutcome.FAILED) {
			return TokenUsage.NONE;
		}
		// The provider reported nothing (or the client hung up before it could): count what we saw.
		return TokenUsage.estimated(attempt.request().promptTokens(), this.tokens.count(attempt.output()));
	}

}
