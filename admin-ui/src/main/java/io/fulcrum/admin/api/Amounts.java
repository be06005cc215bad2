package io.fulcrum.admin.api;

import java.math.BigDecimal;
import java.util.List;

import io.fulcrum.billing.pricing.Rates;
import io.fulcrum.billing.pricing.TokenPrice;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads money from request bodies: a JSON number or a string holding a decimal (as the budget routes take them;
 * strings keep every digit through clients that parse numbers as doubles), never negative, and with no more decimal
 * places than the database keeps, so that what is stored is exactly what was sent.
 */
final class Amounts {

	/** The database's NUMERIC(30, 10). */
	private static final int MAX_SCALE = 10;

	private static final BigDecimal LIMIT = BigDecimal.TEN.pow(12);

	static final List<String> RATE_FIELDS = List.of("input_per_million", "output_per_million",
			"cached_input_per_million", "per_request_fee");

	private Amounts() {
	}

	/**
	 * An amount at {@code at}, or {@code fallback} when absent; adds to {@code problems} and returns {@code null}
	 * when malformed or when required and absent.
	 */
	static @Nullable BigDecimal amount(JsonNode body, String field, String at, @Nullable BigDecimal fallback,
			List<String> problems) {
		JsonNode value = body.get(field);
		if (value == null || value.isNull()) {
			if (fallback == null) {
				problems.add(at + field + ": required");
			}
			return fallback;
		}
		BigDecimal amount = decimal(value);
		if (amount == null) {
			problems.add(at + field + ": must be a decimal number or a string holding one, e.g. \"0.15\"");
			return null;
		}
		if (amount.signum() < 0) {
			problems.add(at + field + ": must not be negative");
			return null;
		}
		if (amount.stripTrailingZeros().scale() > MAX_SCALE) {
			problems.add(at + field + ": at most " + MAX_SCALE + " decimal places");
			return null;
		}
		if (amount.compareTo(LIMIT) >= 0) {
			problems.add(at + field + ": must be below " + LIMIT.toPlainString());
			return null;
		}
		return amount;
	}

	/**
	 * A JSON number or a string holding a decimal, read exactly (a fraction by its shortest decimal form, never
	 * through a double's binary value); {@code null} when it is neither.
	 */
	static @Nullable BigDecimal decimal(JsonNode value) {
		try {
			if (value.isNumber()) {
				return value.isIntegralNumber() ? value.decimalValue() : new BigDecimal(value.toString());
			}
			if (value.isString()) {
				return new BigDecimal(value.asString().trim());
			}
		}
		catch (NumberFormatException ex) {
			// neither
		}
		return null;
	}

	/**
	 * Rates from the {@link #RATE_FIELDS} of an object (other fields are the caller's to check); cached input
	 * defaults to the input price, the fee to 0.
	 */
	static @Nullable Rates rates(JsonNode body, String at, List<String> problems) {
		int before = problems.size();
		BigDecimal input = amount(body, "input_per_million", at, null, problems);
		BigDecimal output = amount(body, "output_per_million", at, null, problems);
		BigDecimal cached = amount(body, "cached_input_per_million", at, input != null ? input : BigDecimal.ZERO,
				problems);
		BigDecimal fee = amount(body, "per_request_fee", at, BigDecimal.ZERO, problems);
		if (problems.size() > before || input == null || output == null || cached == null || fee == null) {
			return null;
		}
		return new Rates(new TokenPrice(input, output, cached), fee);
	}

	static void unknownFields(JsonNode body, String at, List<String> known, List<String> problems) {
		for (String field : body.propertyNames()) {
			if (!known.contains(field)) {
				problems.add(at + field + ": unknown field (use " + String.join(", ", known) + ")");
			}
		}
	}

	/** Exact, without exponent: clients get money as strings so that no float ever rounds it. */
	static String text(BigDecimal amount) {
		return amount.stripTrailingZeros().toPlainString();
	}

}
