package io.fulcrum.billing.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/** The window a budget's spend is counted over: a calendar day or month in UTC. */
public enum BudgetPeriod {

	DAY, MONTH;

	/** {@code day} or {@code month}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** @throws IllegalArgumentException for anything but {@code day} or {@code month} */
	public static BudgetPeriod of(String label) {
		return switch (label) {
			case "day" -> DAY;
			case "month" -> MONTH;
			default -> throw new IllegalArgumentException("period must be day or month");
		};
	}

	/** The period that contains {@code at}. */
	public Window window(Instant at) {
		LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
		LocalDate start = this == DAY ? day : day.withDayOfMonth(1);
		LocalDate end = this == DAY ? start.plusDays(1) : start.plusMonths(1);
		String id = this == DAY ? "d" + start : "m" + start.toString().substring(0, 7);
		return new Window(id, start.atStartOfDay(ZoneOffset.UTC).toInstant(),
				end.atStartOfDay(ZoneOffset.UTC).toInstant());
	}

	/**
	 * One concrete period.
	 *
	 * @param id stable name of the period, e.g. {@code d2026-11-28} or {@code m2026-11}
	 * @param start first instant in it
	 * @param end first instant after it
	 */
	public record Window(String id, Instant start, Instant end) {

		@Override
		public String toString() {
			ZonedDateTime s = this.start.atZone(ZoneOffset.UTC);
			return this.id.startsWith("d") ? s.toLocalDate().toString() : s.toLocalDate().toString().substring(0, 7);
		}

	}

}
