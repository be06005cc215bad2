package io.fulcrum.gateway.budget;

import java.math.BigDecimal;
import java.time.Instant;

import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.dispatch.InferenceRequest;

/**
 * The most a request can cost the customer on one deployment: the amount a budget reserves. The one seam between
 * budgets and pricing.
 */
@FunctionalInterface
public interface MaxCost {

	/** In US dollars, at the customer price. */
	BigDecimal of(InferenceRequest request, Deployment deployment);

	/**
	 * At the customer price the meter will charge ({@link LivePricing}: the deployment's price book version in force,
	 * then the tenant's markup or price list, per-request fee included) for the largest usage the request can have:
	 * its prompt tokens (Fulcrum's own count), none of them cached, plus {@code max_tokens}, or
	 * {@code defaultMaxOutputTokens} when the request sets none (embeddings produce none).
	 */
	static MaxCost atCustomerPrice(LivePricing pricing, long defaultMaxOutputTokens) {
		return (request, deployment) -> {
			long output = request.alias().type() == ModelAlias.ModelType.EMBEDDINGS ? 0
					: request.hints().maxTokens() > 0 ? request.hints().maxTokens() : defaultMaxOutputTokens;
			TokenUsage most = new TokenUsage((long) request.promptTokens(), 0L, output, true);
			return pricing
				.price(deployment.id(), deployment.upstreamModel(), request.tenantId(), request.alias().name(), most,
						true, Instant.now(), deployment.price())
				.customerPrice();
		};
	}

}
