package io.fulcrum.billing.pricing;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of what a deployment charges for one upstream model, in force from {@code effectiveFrom} until the
 * next version's {@code effectiveFrom}. Versions are never changed once written.
 *
 * @param deploymentId the deployment that serves the model
 * @param model the upstream model name the deployment sends to its provider
 * @param version 1, 2, ... per deployment and model; 0 is reserved for records priced before price books
 * @param effectiveFrom the first instant this version prices
 * @param rates provider cost per million tokens and per request
 */
public record PriceBookEntry(String deploymentId, String model, int version, Instant effectiveFrom, Rates rates) {

	public PriceBookEntry {
		Objects.requireNonNull(deploymentId, "deploymentId");
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(effectiveFrom, "effectiveFrom");
		Objects.requireNonNull(rates, "rates");
		if (version < 1) {
			throw new IllegalArgumentException("price book versions start at 1");
		}
	}

}
