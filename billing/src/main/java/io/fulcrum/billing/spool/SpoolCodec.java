package io.fulcrum.billing.spool;

import java.math.BigDecimal;
import java.time.Instant;

import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import org.jspecify.annotations.Nullable;

/**
 * One usage record per line: tab-separated fields, with backslash, tab and line breaks escaped in text and an empty
 * field for a missing number. Versioned by its first field, so the format can change without misreading old spools:
 * v2 adds the price book version; v1 lines, written before price books, read back with version 0; v3 adds the saved
 * price of a cache hit (older lines read back with zero).
 */
final class SpoolCodec {

	private static final String VERSION = "v3";

	private static final int FIELDS = 20;

	private static final String V2 = "v2";

	private static final int V2_FIELDS = 19;

	private static final String V1 = "v1";

	private static final int V1_FIELDS = 18;

	private SpoolCodec() {
	}

	static String encode(UsageRecord record) {
		TokenUsage usage = record.usage();
		StringBuilder line = new StringBuilder(256).append(VERSION);
		text(line, record.requestId());
		line.append('\t').append(record.attempt());
		text(line, record.tenantId());
		text(line, record.keyId());
		text(line, record.modelAlias());
		text(line, record.deploymentId());
		text(line, record.upstreamModel());
		number(line, usage.inputTokens());
		number(line, usage.cachedInputTokens());
		number(line, usage.outputTokens());
		line.append('\t').append(usage.estimated());
		line.append('\t').append(record.providerCost().toPlainString());
		line.append('\t').append(record.customerPrice().toPlainString());
		line.append('\t').append(record.status().name());
		number(line, record.ttftMillis());
		line.append('\t').append(record.durationMillis());
		line.append('\t').append(record.createdAt());
		line.append('\t').append(record.priceVersion());
		line.append('\t').append(record.savedPrice().toPlainString());
		return line.append('\n').toString();
	}

	/** @throws IllegalArgumentException when the line is not a record of a known version */
	static UsageRecord decode(String line) {
		String[] f = line.split("\t", -1);
		boolean v3 = f.length == FIELDS && VERSION.equals(f[0]);
		boolean v2 = v3 || (f.length == V2_FIELDS && V2.equals(f[0]));
		if (!v2 && !(f.length == V1_FIELDS && V1.equals(f[0]))) {
			throw new IllegalArgumentException("not a v1, v2 or v3 spool line (" + f.length + " fields)");
		}
		TokenUsage usage = new TokenUsage(longOrNull(f[8]), longOrNull(f[9]), longOrNull(f[10]),
				Boolean.parseBoolean(f[11]));
		return new UsageRecord(unescape(f[1]), Integer.parseInt(f[2]), unescape(f[3]), unescape(f[4]),
				unescape(f[5]), unescape(f[6]), unescape(f[7]), usage, new BigDecimal(f[12]), new BigDecimal(f[13]),
				UsageStatus.valueOf(f[14]), longOrNull(f[15]), Long.parseLong(f[16]), Instant.parse(f[17]),
				v2 ? Integer.parseInt(f[18]) : 0, v3 ? new BigDecimal(f[19]) : BigDecimal.ZERO.setScale(10));
	}

	private static void text(StringBuilder line, String value) {
		line.append('\t');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> line.append("\\\\");
				case '\t' -> line.append("\\t");
				case '\n' -> line.append("\\n");
				case '\r' -> line.append("\\r");
				default -> line.append(c);
			}
		}
	}

	private static String unescape(String value) {
		if (value.indexOf('\\') < 0) {
			return value;
		}
		StringBuilder out = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\\' && i + 1 < value.length()) {
				char next = value.charAt(++i);
				out.append(switch (next) {
					case 't' -> '\t';
					case 'n' -> '\n';
					case 'r' -> '\r';
					default -> next;
				});
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	private static void number(StringBuilder line, @Nullable Long value) {
		line.append('\t');
		if (value != null) {
			line.append(value.longValue());
		}
	}

	private static @Nullable Long longOrNull(String field) {
		return field.isEmpty() ? null : Long.valueOf(field);
	}

}
