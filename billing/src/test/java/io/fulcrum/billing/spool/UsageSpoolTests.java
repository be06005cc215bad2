package io.fulcrum.billing.spool;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class UsageSpoolTests {

	@TempDir
	Path dir;

	@Test
	void whatWasAppendedIsReadBackInOrderUntilCheckpointed() throws Exception {
		try (UsageSpool spool = UsageSpool.open(this.dir)) {
			spool.append(List.of(record("a"), record("b")));
			UsageSpool.Position second = spool.append(List.of(record("c")));
			assertThat(spool.pending().records()).extracting(UsageRecord::requestId).containsExactly("a", "b", "c");
			spool.checkpoint(second);
			assertThat(spool.pending().records()).isEmpty();
			spool.append(List.of(record("d")));
			assertThat(spool.pending().records()).extracting(UsageRecord::requestId).containsExactly("d");
		}
	}

	@Test
	void aNewProcessFindsWhatAnEarlierOneLeftAndATornLastLineIsIgnored() throws Exception {
		try (UsageSpool first = UsageSpool.open(this.dir)) {
			first.append(List.of(record("a"), record("b")));
		}
		// The kill came in the middle of writing a line.
		try (Stream<Path> files = Files.list(this.dir)) {
			Path segment = files.filter(f -> f.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
			Files.writeString(segment, "v1\treq-torn\t1\tten", StandardOpenOption.APPEND);
		}
		try (UsageSpool second = UsageSpool.open(this.dir)) {
			second.append(List.of(record("c")));
			UsageSpool.Pending pending = second.pending();
			assertThat(pending.records()).extracting(UsageRecord::requestId).containsExactly("a", "b", "c");
			second.checkpoint(pending.end());
			assertThat(second.pending().records()).isEmpty();
		}
	}

	@Test
	void segmentsTheDatabaseHasAreDeleted() throws Exception {
		try (UsageSpool spool = UsageSpool.open(this.dir, 100)) {
			UsageSpool.Position last = null;
			for (int i = 0; i < 5; i++) {
				last = spool.append(List.of(record("r" + i)));
			}
			assertThat(segmentCount()).isGreaterThanOrEqualTo(5);
			spool.checkpoint(last);
			assertThat(segmentCount()).isLessThanOrEqualTo(2);
			assertThat(spool.pending().records()).isEmpty();
		}
	}

	@Test
	void everyFieldSurvivesTheRoundTripIncludingTabsAndMissingNumbers() throws Exception {
		UsageRecord odd = new UsageRecord("req\twith\ttabs\\", 3, "ten_1", "key\n1", "chat", "dep", "model",
				new TokenUsage(null, null, 12L, true), new BigDecimal("0.0000123456"), new BigDecimal("0.0000200000"),
				UsageStatus.CLIENT_CANCELLED, null, 42, Instant.parse("2026-11-28T10:00:00.123456Z"), 7);
		try (UsageSpool spool = UsageSpool.open(this.dir)) {
			spool.append(List.of(odd));
			assertThat(spool.pending().records()).containsExactly(odd);
		}
	}

	@Test
	void lineSpooledBeforePriceBooksReadsBackWithPriceVersionZero() {
		String v1 = "v1\treq-old\t1\tten_1\tkey_1\tchat\tdep\tmodel\t10\t0\t5\tfalse\t0.0000100000\t0.0000100000"
				+ "\tSUCCESS\t7\t20\t2026-11-28T10:00:00Z";

		UsageRecord read = SpoolCodec.decode(v1);

		assertThat(read).isEqualTo(new UsageRecord("req-old", 1, "ten_1", "key_1", "chat", "dep", "model",
				new TokenUsage(10L, 0L, 5L, false), new BigDecimal("0.0000100000"), new BigDecimal("0.0000100000"),
				UsageStatus.SUCCESS, 7L, 20, Instant.parse("2026-11-28T10:00:00Z"), 0));
	}

	@Test
	void cacheHitKeepsItsSavedPriceAndAV2LineReadsBackHavingSavedNothing() throws Exception {
		UsageRecord hit = new UsageRecord("req-hit", 1, "ten_1", "key_1", "chat", "cache", "model",
				new TokenUsage(10L, 0L, 5L, false), BigDecimal.ZERO, BigDecimal.ZERO, UsageStatus.CACHE_HIT, 1L, 1,
				Instant.parse("2026-11-28T10:00:00Z"), 2, new BigDecimal("0.0000200000"));
		try (UsageSpool spool = UsageSpool.open(this.dir)) {
			spool.append(List.of(hit));
			assertThat(spool.pending().records()).containsExactly(hit);
		}
		String v2 = "v2\treq-old\t1\tten_1\tkey_1\tchat\tdep\tmodel\t10\t0\t5\tfalse\t0.0000100000\t0.0000100000"
				+ "\tSUCCESS\t7\t20\t2026-11-28T10:00:00Z\t4";
		assertThat(SpoolCodec.decode(v2).savedPrice()).isEqualByComparingTo(BigDecimal.ZERO);
		assertThat(SpoolCodec.decode(v2).priceVersion()).isEqualTo(4);
	}

	@Test
	void aSecondProcessCannotTakeASpoolInUse() throws Exception {
		try (UsageSpool first = UsageSpool.open(this.dir)) {
			org.assertj.core.api.Assertions.assertThatIllegalStateException()
				.isThrownBy(() -> UsageSpool.open(this.dir))
				.withMessageContaining("in use by another gateway process");
		}
		UsageSpool.open(this.dir).close();
	}

	private long segmentCount() throws Exception {
		try (Stream<Path> files = Files.list(this.dir)) {
			return files.filter(f -> f.getFileName().toString().startsWith("segment-")).count();
		}
	}

	static UsageRecord record(String requestId) {
		return new UsageRecord(requestId, 1, "ten_1", "key_1", "chat", "dep", "model", new TokenUsage(10L, 0L, 5L, false),
				new BigDecimal("0.0000100000"), new BigDecimal("0.0000100000"), UsageStatus.SUCCESS, 7L, 20,
				Instant.parse("2026-11-28T10:00:00Z"), 1);
	}

}
