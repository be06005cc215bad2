package io.fulcrum.routing;

/**
 * What a deployment charges, in US dollars per million tokens plus a per-request fee. The router compares
 * predicted costs in {@code double}: a ranking, not an invoice. Billing prices exact usage in decimal arithmetic.
 *
 * @param inputPerMillion per million prompt tokens
 * @param outputPerMillion per million generated tokens
 * @param cachedInputPerMillion per million prompt tokens served from the provider's prompt cache
 * @param perRequest fee per request
 */
public record TokenPrices(double inputPerMillion, double outputPerMillion, double cachedInputPerMillion,
		double perRequest) {

	/** A deployment that costs nothing per token (e.g. a GPU already paid for, when no amortised price is set). */
	public static final TokenPrices FREE = new TokenPrices(0, 0, 0, 0);

	public TokenPrices {
		if (inputPerMillion < 0 || outputPerMillion < 0 || cachedInputPerMillion < 0 || perRequest < 0) {
			throw new IllegalArgumentException("prices must not be negative");
		}
	}

	/** Predicted cost of a request with these token counts (cached prompt tokens are a part of {@code prompt}). */
	public double cost(long prompt, long cachedPrompt, double output) {
		return ((prompt - cachedPrompt) * this.inputPerMillion + cachedPrompt * this.cachedInputPerMillion
				+ output * this.outputPerMillion) / 1e6 + this.perRequest;
	}

}
