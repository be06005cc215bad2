package io.fulcrum.billing.r2dbc;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed columns and converts timestamps. Timestamps go through {@link OffsetDateTime}, which both
 * PostgreSQL's and H2's drivers map to {@code TIMESTAMP WITH TIME ZONE}.
 */
final class Columns {

	private Columns() {
	}

	static OffsetDateTime timestamp(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	static Instant instant(Readable row, String column) {
		return required(row.get(column, OffsetDateTime.class), column).toInstant();
	}

	static String text(Readable row, String column) {
		return required(row.get(column, String.class), column);
	}

	static boolean flag(Readable row, String column) {
		return required(row.get(column, Boolean.class), column);
	}

	static int integer(Readable row, String column) {
		return required(row.get(column, Integer.class), column);
	}

	static long number(Readable row, String column) {
		return required(row.get(column, Long.class), column);
	}

	static @Nullable Long optionalNumber(Readable row, String column) {
		return row.get(column, Long.class);
	}

	static BigDecimal money(Readable row, String column) {
		return required(row.get(column, BigDecimal.class), column);
	}

	private static <T> T required(@Nullable T value, String column) {
		return Objects.requireNonNull(value, () -> "column " + column + " is null");
	}

}
