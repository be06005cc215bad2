package io.fulcrum.billing.budget;

import java.util.Locale;

/** Whose spend a budget caps. */
public enum BudgetScope {

	/** Everything a tenant's keys spend together. */
	TENANT,

	/** What one app key spends. */
	KEY;

	/** The name in the database, the admin API and error messages: {@code tenant} or {@code key}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** @throws IllegalArgumentException for anything but {@code tenant} or {@code key} */
	public static BudgetScope of(String label) {
		return switch (label) {
			case "tenant" -> TENANT;
			case "key" -> KEY;
			default -> throw new IllegalArgumentException("budget scope must be tenant or key");
		};
	}

}
