package io.fulcrum.billing.r2dbc;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The {@code allowed_models} column: model aliases joined by commas, empty for every model. */
final class AllowedModels {

	private static final String SEPARATOR = ",";

	private AllowedModels() {
	}

	/** Sorted, so that the stored text does not depend on set iteration order. */
	static String join(Set<String> models) {
		for (String model : models) {
			if (model.isBlank() || model.contains(SEPARATOR)) {
				throw new IllegalArgumentException("a model alias must be non-blank and free of commas: " + model);
			}
		}
		return String.join(SEPARATOR, new TreeSet<>(models));
	}

	static Set<String> split(String column) {
		if (column.isEmpty()) {
			return Set.of();
		}
		return Arrays.stream(column.split(SEPARATOR)).collect(Collectors.toUnmodifiableSet());
	}

}
