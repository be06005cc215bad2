package io.fulcrum.gateway.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;

import io.fulcrum.billing.pricing.TokenPrice;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.dispatch.InferenceRequest;

/**
 * The most a request can cost the customer on one deployment: the amount a budget reserves. This is the one seam
 * between budgets and pricing: when price books and tenant markups arrive, point it at the customer price there.
 */
@FunctionalInterface
public interface MaxCost {

	/** In US dollars, at the customer price. */
	BigDecimal of(InferenceRequest request, Deployment deployment);

	/**
	 * At the deployment's list price (today's customer price): prompt tokens (Fulcrum's own count) at the input
	 * price, plus {@code max_tokens}, or {@code defaultMaxOutputTokens} when the request sets none, at the output
	 * price (embeddings produce none). Cached prompt tokens are priced as uncached: an upper bound.
	 */
	static MaxCost atListPrice(long defaultMaxOutputTokens) {
		BigDecimal million = BigDecimal.valueOf(1_000_000);
		return (request, deployment) -> {
			TokenPrice price = deployment.price();
			long output = request.alias().type() == ModelAlias.ModelType.EMBEDDINGS ? 0
					: request.hints().maxTokens() > 0 ? request.hints().maxTokens() : defaultMaxOutputTokens;
			return price.inputPerMillion()
				.multiply(BigDecimal.valueOf(request.promptTokens()))
				.add(price.outputPerMillion().multiply(BigDecimal.valueOf(output)))
				.divide(million, TokenPrice.SCALE, RoundingMode.UP);
		};
	}

}
