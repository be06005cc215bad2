package io.fulcrum.billing.r2dbc;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fulcrum.billing.spool.UsageSpool;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;
import reactor.util.retry.Retry;

import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The usage ledger in the {@code usage_records} table, written off the request path.
 * <p>
 * {@link #append} puts the record in a lock-free in-memory queue and returns, waking nothing. The ledger's spool
 * thread takes what is queued every {@linkplain #gatherInterval gather interval} (5 ms by default) into batches of
 * up to {@value #MAX_BATCH} records, or whatever it took within {@link #MAX_WAIT}, and each batch is written in one
 * transaction with {@code ON CONFLICT DO NOTHING}, so a batch written twice changes nothing. A batch that fails is
 * retried with backoff, forever, in order: while the database is down records pile up in memory and nothing is
 * dropped as long as the process lives. With a {@link UsageSpool}, every batch is first appended to disk and forced there (one
 * {@code fsync} per batch, on the ledger's spool thread), so batches keep being made durable while the database is
 * down, and what a killed process had spooled is written by the next one; a process killed with SIGKILL loses at
 * most the records not yet spooled: the batch being gathered (at most {@value #MAX_BATCH} records, or
 * {@link #MAX_WAIT} plus one gather interval of them) and those that arrived while the last {@code fsync} ran.
 * <p>
 * The one exception: a malformed record (one the database rejects with SQLSTATE class 22 or 23, e.g. a value too
 * long for its column, or one with a null where none is allowed) would block the ledger forever, so after such an
 * error the batch is written record by record and each rejected record is logged in full, at ERROR, and skipped.
 */
public final class R2dbcUsageLedger implements UsageLedger, AutoCloseable {

	/** The most records written in one transaction. */
	public static final int MAX_BATCH = 256;

	/** The longest a record waits for its batch to fill. */
	public static final Duration MAX_WAIT = Duration.ofMillis(100);

	private static final System.Logger logger = System.getLogger(R2dbcUsageLedger.class.getName());

	private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private final DatabaseClient client;

	private final TransactionalOperator transactions;

	private final FlushTracker tracker = new FlushTracker();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Duration closeTimeout;

	/** Appended records not yet taken into a batch; any thread offers, only the spool thread polls. */
	private final Queue<UsageRecord> queue = Queues.<UsageRecord>unboundedMultiproducer().get();

	private final Gatherer gatherer;

	private final Disposable writer;

	// Threads allowed to block (fsync; H2's driver), unlike Reactor's single and parallel schedulers' threads.
	private final Scheduler writerThread = Schedulers.newBoundedElastic(1, Integer.MAX_VALUE, "fulcrum-usage-ledger",
			60, true);

	private final Scheduler spoolThread = Schedulers.newBoundedElastic(1, Integer.MAX_VALUE, "fulcrum-usage-spool",
			60, true);

	private final @Nullable UsageSpool spool;

	/** Multi-row INSERT statements by row count (batches come in few sizes). */
	private final Map<Integer, String> inserts = new ConcurrentHashMap<>();

	/**
	 * PostgreSQL takes a batch as one multi-row INSERT (one execution instead of one per record: about twice the
	 * ingest rate); r2dbc-h2 handles thousands of markers slowly, so H2 gets one bound row per record.
	 */
	private final boolean multiRowInsert;

	public R2dbcUsageLedger(DatabaseClient client) {
		this(client, null);
	}

	/** A ledger that writes every batch ahead to {@code spool} (when not {@code null}) before the database. */
	public R2dbcUsageLedger(DatabaseClient client, @Nullable UsageSpool spool) {
		this(client, spool, MAX_BATCH, MAX_WAIT, CLOSE_TIMEOUT);
	}

	/**
	 * A ledger with its own batching.
	 * @param closeTimeout how long {@link #close} waits for queued records to be written
	 */
	public R2dbcUsageLedger(DatabaseClient client, int maxBatch, Duration maxWait, Duration closeTimeout) {
		this(client, null, maxBatch, maxWait, closeTimeout);
	}

	/**
	 * A ledger with its own batching and an optional write-ahead spool. What the spool holds from earlier processes
	 * (a crash, an outage that outlived them) is written first, in order.
	 * @param closeTimeout how long {@link #close} waits for queued records to be written
	 */
	public R2dbcUsageLedger(DatabaseClient client, @Nullable UsageSpool spool, int maxBatch, Duration maxWait,
			Duration closeTimeout) {
		this.client = client;
		this.spool = spool;
		this.multiRowInsert = "PostgreSQL"
			.equalsIgnoreCase(Objects.requireNonNull(client.getConnectionFactory()).getMetadata().getName());
		this.transactions = TransactionalOperator
			.create(new R2dbcTransactionManager(Objects.requireNonNull(client.getConnectionFactory())));
		this.closeTimeout = closeTimeout;
		this.gatherer = new Gatherer(maxBatch, maxWait.toNanos());
		// The spool thread gathers batches on a tick: an append, often on a server event loop, only puts the record
		// in a lock-free queue and never wakes a thread or schedules a timer (which cost the request path tens of
		// microseconds at p99, once per batch). The spool's fsync and some drivers (H2's) block, so batches are
		// spooled and written on the ledger's own threads.
		Duration tick = gatherInterval(maxWait);
		Flux<Batch> fresh = Flux.interval(tick, tick, this.spoolThread)
			// A tick that finds the thread still spooling is not needed: the next one takes everything queued.
			.onBackpressureDrop()
			.concatMapIterable((n) -> this.gatherer.gather(), 1)
			.map((records) -> new Batch(records, spool(records), true));
		this.writer = Flux.concat(leftInSpool(), fresh)
			// Unbounded between the two threads: while the database is down, batches keep reaching the spool.
			.publishOn(this.writerThread, Integer.MAX_VALUE)
			.concatMap(this::writeUntilDone, 0)
			.subscribe(null, (error) -> logger.log(Level.ERROR, "usage ledger writer stopped", error));
	}

	/** What earlier processes spooled but the database may not have, as one batch written before anything new. */
	private Flux<Batch> leftInSpool() {
		if (this.spool == null) {
			return Flux.empty();
		}
		try {
			UsageSpool.Pending pending = this.spool.pending();
			if (pending.records().isEmpty()) {
				return Flux.empty();
			}
			logger.log(Level.INFO, "usage ledger replays {0} spooled records", pending.records().size());
			return Flux.just(new Batch(pending.records(), pending.end(), false));
		}
		catch (IOException ex) {
			logger.log(Level.ERROR, "usage spool could not be read; its records stay on disk", ex);
			return Flux.empty();
		}
	}

	/** Appends a batch to the spool; on a disk failure the batch still goes to the database from memory. */
	private UsageSpool.@Nullable Position spool(List<UsageRecord> records) {
		if (this.spool == null) {
			return null;
		}
		try {
			return this.spool.append(records);
		}
		catch (IOException ex) {
			logger.log(Level.ERROR, "usage spool append failed; " + records.size()
					+ " records are held in memory only until the database has them", ex);
			return null;
		}
	}

	@Override
	public void append(UsageRecord record) {
		if (this.closed.get()) {
			logger.log(Level.ERROR, "usage ledger is closed; record not written: {0}", record);
			return;
		}
		this.tracker.appended();
		this.queue.offer(record);
	}

	@Override
	public Mono<Void> flush() {
		return this.tracker.awaitAppendedSoFar();
	}

	@Override
	public Flux<UsageRecord> findByRequestId(String requestId) {
		return this.client.sql(UsageRows.SELECT_BY_REQUEST).bind("requestId", requestId).map(UsageRows::read).all();
	}

	/** Waits, within the close timeout, for queued records to be written, then stops the writer. */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			flush().block(this.closeTimeout);
		}
		catch (RuntimeException ex) {
			logger.log(Level.ERROR, "usage ledger could not write everything within {0}", this.closeTimeout);
		}
		this.writer.dispose();
		this.writerThread.dispose();
		this.spoolThread.dispose();
		if (this.spool != null) {
			try {
				this.spool.close();
			}
			catch (IOException ex) {
				logger.log(Level.WARNING, "usage spool did not close cleanly: {0}", ex.toString());
			}
		}
		long lost = this.tracker.pending();
		if (lost > 0) {
			logger.log(Level.ERROR, "usage ledger closed with {0} records unwritten", lost);
		}
	}

	private Mono<Void> writeUntilDone(Batch batch) {
		List<UsageRecord> records = batch.records();
		return insert(records).onErrorResume(R2dbcUsageLedger::isMalformedRecord, (error) -> insertOneByOne(records))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, MIN_BACKOFF)
				.maxBackoff(MAX_BACKOFF)
				.doBeforeRetry((signal) -> logger.log(Level.WARNING,
						"usage ledger could not write {0} records (attempt {1}), retrying: {2}", records.size(),
						signal.totalRetries() + 1, rootCause(signal.failure()))))
			.then(Mono.fromRunnable(() -> {
				checkpoint(batch.spooledUpTo());
				if (batch.appendedHere()) {
					this.tracker.settled(records.size());
				}
			}));
	}

	private void checkpoint(UsageSpool.@Nullable Position position) {
		if (this.spool != null && position != null) {
			try {
				this.spool.checkpoint(position);
			}
			catch (IOException ex) {
				// The records are in the database; a missed checkpoint only means they are written again, harmlessly.
				logger.log(Level.WARNING, "usage spool checkpoint failed: {0}", ex.toString());
			}
		}
	}

	/**
	 * How often the spool thread takes newly appended records: a twentieth of the longest wait a record has for its
	 * batch to fill, at least a millisecond (5 ms for {@link #MAX_WAIT}). A record can wait this much longer than
	 * {@code maxWait} before its batch is spooled.
	 */
	public static Duration gatherInterval(Duration maxWait) {
		Duration tick = maxWait.dividedBy(20);
		return tick.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : tick;
	}

	/**
	 * Cuts the queued records into batches of at most {@code maxBatch}, emitting the last, partial one once its first
	 * record has waited {@code maxWaitNanos} since it was taken. Used by the spool thread only.
	 */
	private final class Gatherer {

		// However busy the appenders, a tick ends after this many batches, so it cannot run forever.
		private static final int MAX_BATCHES_PER_TICK = 64;

		private final int maxBatch;

		private final long maxWaitNanos;

		private List<UsageRecord> gathering;

		private long gatheringSince;

		Gatherer(int maxBatch, long maxWaitNanos) {
			this.maxBatch = maxBatch;
			this.maxWaitNanos = maxWaitNanos;
			this.gathering = new ArrayList<>(maxBatch);
		}

		List<List<UsageRecord>> gather() {
			long now = System.nanoTime();
			List<List<UsageRecord>> ready = new ArrayList<>();
			UsageRecord record;
			while (ready.size() < MAX_BATCHES_PER_TICK && (record = R2dbcUsageLedger.this.queue.poll()) != null) {
				if (this.gathering.isEmpty()) {
					this.gatheringSince = now;
				}
				this.gathering.add(record);
				if (this.gathering.size() == this.maxBatch) {
					ready.add(this.gathering);
					this.gathering = new ArrayList<>(this.maxBatch);
				}
			}
			if (!this.gathering.isEmpty() && now - this.gatheringSince >= this.maxWaitNanos) {
				ready.add(this.gathering);
				this.gathering = new ArrayList<>(this.maxBatch);
			}
			return ready;
		}

	}

	/**
	 * Records on their way to the database.
	 *
	 * @param spooledUpTo where the spool holds them up to, or {@code null} when they are not spooled
	 * @param appendedHere appended through this ledger (counted for {@link #flush}), not replayed from the spool
	 */
	private record Batch(List<UsageRecord> records, UsageSpool.@Nullable Position spooledUpTo,
			boolean appendedHere) {
	}

	/** Writes records alone, so that one malformed record costs only itself. */
	private Mono<Void> insertOneByOne(List<UsageRecord> batch) {
		return Flux.fromIterable(batch)
			.concatMap((record) -> insert(List.of(record)).onErrorResume(R2dbcUsageLedger::isMalformedRecord,
					(error) -> {
						logger.log(Level.ERROR, "usage record rejected by the database, skipped: " + record, error);
						return Mono.empty();
					}))
			.then();
	}

	private Mono<Void> insert(List<UsageRecord> batch) {
		return this.client.inConnection((connection) -> {
			Statement statement;
			if (this.multiRowInsert) {
				statement = connection.createStatement(this.inserts.computeIfAbsent(batch.size(), UsageRows::insert));
				for (int i = 0; i < batch.size(); i++) {
					UsageRows.bind(statement, i * UsageRows.COLUMNS, batch.get(i));
				}
			}
			else {
				statement = connection.createStatement(UsageRows.INSERT);
				for (int i = 0; i < batch.size(); i++) {
					if (i > 0) {
						statement.add();
					}
					UsageRows.bind(statement, batch.get(i));
				}
			}
			return Flux.from(statement.execute()).concatMap(Result::getRowsUpdated).then();
		}).as(this.transactions::transactional);
	}

	/** Spring's translated exceptions say little; the driver's message says what went wrong. */
	private static String rootCause(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.toString();
	}

	/**
	 * Data exceptions and integrity violations, or a record that could not even be bound (a null where the record
	 * type forbids one): retrying the same record can never succeed.
	 */
	private static boolean isMalformedRecord(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof NullPointerException || cause instanceof IllegalArgumentException) {
				return true;
			}
			String state = (cause instanceof R2dbcException r2dbc) ? r2dbc.getSqlState() : null;
			if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
				return true;
			}
		}
		return false;
	}

}
