package io.fulcrum.billing.r2dbc;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link UsageLedger} must do; subclasses name the database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UsageLedgerContract {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private BillingDatabase database;

	private R2dbcUsageLedger ledger;

	abstract BillingDatabaseSettings settings();

	@BeforeAll
	void open() {
		this.database = BillingDatabase.open(settings());
	}

	@AfterAll
	void close() {
		this.database.close();
	}

	@BeforeEach
	void startLedger() {
		TestDatabases.clean(this.database);
		this.ledger = new R2dbcUsageLedger(this.database.client());
	}

	@AfterEach
	void stopLedger() {
		this.ledger.close();
	}

	@Test
	void appendedRecordsReadBackExactlyAfterFlush() {
		UsageRecord success = UsageRecords.record("req-1", 2);
		UsageRecord failed = UsageRecords.failedAttempt("req-1", 1);

		this.ledger.append(success);
		this.ledger.append(failed);
		this.ledger.flush().block(WAIT);

		List<UsageRecord> read = this.ledger.findByRequestId("req-1").collectList().block();
		assertThat(read).hasSize(2);
		UsageRecord first = read.get(0);
		UsageRecord second = read.get(1);
		assertThat(first.attempt()).isEqualTo(1);
		assertThat(first.usage().inputTokens()).isNull();
		assertThat(first.usage().cachedInputTokens()).isNull();
		assertThat(first.usage().outputTokens()).isNull();
		assertThat(first.ttftMillis()).isNull();
		assertThat(first.status()).isEqualTo(UsageStatus.FAILED_ATTEMPT);
		assertThat(first.providerCost()).isEqualByComparingTo(BigDecimal.ZERO);
		assertThat(second.attempt()).isEqualTo(2);
		assertThat(second.providerCost()).isEqualByComparingTo("0.00039");
		assertThat(second.customerPrice()).isEqualByComparingTo("0.0004875123");
		assertThat(second.usage()).isEqualTo(success.usage());
		assertThat(second).usingRecursiveComparison()
			.ignoringFields("providerCost", "customerPrice")
			.isEqualTo(success);
		assertThat(first).usingRecursiveComparison()
			.ignoringFields("providerCost", "customerPrice")
			.isEqualTo(failed);
	}

	@Test
	void unknownRequestHasNoRecords() {
		assertThat(this.ledger.findByRequestId("req-nope").collectList().block()).isEmpty();
	}

	@Test
	void sameRecordTwiceIsWrittenOnce() {
		UsageRecord record = UsageRecords.record("req-twice", 1);

		this.ledger.append(record);
		this.ledger.append(record);
		this.ledger.flush().block(WAIT);
		this.ledger.append(record);
		this.ledger.flush().block(WAIT);

		assertThat(this.ledger.findByRequestId("req-twice").collectList().block()).hasSize(1);
	}

	@Test
	void thousandRecordsFromSeveralThreadsAreAllWritten() throws Exception {
		int threads = 8;
		int perThread = 125;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> appenders = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				appenders.add(executor.submit(() -> {
					for (int i = 0; i < perThread; i++) {
						this.ledger.append(UsageRecords.record("req-" + thread + "-" + i, 1));
					}
				}));
			}
			for (Future<?> appender : appenders) {
				appender.get();
			}
		}
		finally {
			executor.shutdown();
		}

		this.ledger.flush().block(WAIT);

		assertThat(TestDatabases.count(this.database, "usage_records")).isEqualTo(threads * perThread);
	}

	@Test
	void flushWithNothingAppendedCompletesAtOnce() {
		assertThat(this.ledger.flush().toFuture()).isDone();
	}

	@Test
	void malformedRecordIsSkippedAndTheRestOfItsBatchWritten() {
		this.ledger.append(UsageRecords.record("req-before", 1));
		this.ledger.append(UsageRecords.record("r".repeat(500), 1));
		this.ledger.append(UsageRecords.record("req-after", 1));
		this.ledger.flush().block(WAIT);

		assertThat(this.ledger.findByRequestId("req-before").collectList().block()).hasSize(1);
		assertThat(this.ledger.findByRequestId("req-after").collectList().block()).hasSize(1);
		assertThat(TestDatabases.count(this.database, "usage_records")).isEqualTo(2);
	}

	@Test
	void recordWithMissingFieldsIsSkipped() {
		UsageRecord valid = UsageRecords.record("req-missing", 1);
		UsageRecord missingStatus = new UsageRecord("req-missing", 2, valid.tenantId(), valid.keyId(),
				valid.modelAlias(), valid.deploymentId(), valid.upstreamModel(), valid.usage(), valid.providerCost(),
				valid.customerPrice(), nullStatus(), null, 1L, valid.createdAt(), valid.priceVersion());

		this.ledger.append(valid);
		this.ledger.append(missingStatus);
		this.ledger.flush().block(WAIT);

		assertThat(this.ledger.findByRequestId("req-missing").map(UsageRecord::attempt).collectList().block())
			.containsExactly(1);
	}

	@Test
	void closeWritesWhatWasQueued() {
		R2dbcUsageLedger other = new R2dbcUsageLedger(this.database.client());
		other.append(UsageRecords.record("req-closing", 1));

		other.close();

		assertThat(this.ledger.findByRequestId("req-closing").collectList().block()).hasSize(1);
	}

	@Test
	void appendAfterCloseDoesNotThrow() {
		R2dbcUsageLedger other = new R2dbcUsageLedger(this.database.client());
		other.close();

		other.append(UsageRecords.record("req-late", 1));

		assertThat(other.flush().toFuture()).isDone();
	}

	@SuppressWarnings("NullAway")
	private static UsageStatus nullStatus() {
		return null;
	}

}
