package io.fulcrum.billing.r2dbc;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fulcrum.billing.invoice.Invoice;
import io.fulcrum.billing.invoice.InvoiceLine;
import io.fulcrum.billing.invoice.InvoiceNumbers;
import io.fulcrum.billing.invoice.InvoiceRefused;
import io.fulcrum.billing.invoice.InvoiceStore;
import io.fulcrum.billing.invoice.Reconciliation;
import io.fulcrum.billing.pricing.PriceBookEntry;
import io.fulcrum.billing.pricing.Rates;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Invoices in {@code invoices} and {@code invoice_lines}, computed from {@code usage_records} by SQL sums.
 * <p>
 * Which records an invoice covers is decided by the ledger's insert sequence alone: its month's records with
 * {@code seq <= high_water_seq}, and earlier months' records with {@code previous_seq < seq <= high_water_seq},
 * where {@code previous_seq} is the tenant's previous invoice's high water mark. As months close in order, every
 * record falls in exactly one invoice, and no ledger row is updated. On PostgreSQL the closing transaction takes a
 * {@code SHARE} lock on {@code usage_records}, which waits for ledger writes in flight and holds new ones back
 * until it commits, so no record with a sequence below the high water mark can commit afterwards (sequence values
 * are handed out before commit, not in commit order). The embedded H2 database has one ledger writer, whose
 * transactions run one after another, so the gap cannot arise there.
 */
public final class R2dbcInvoiceStore implements InvoiceStore {

	/** Price books are kept in US dollars. */
	public static final String CURRENCY = "USD";

	private static final String BILLED = "tenant_id = :tenant AND seq <= :high AND status <> 'FAILED_ATTEMPT'";

	private static final String LINES = """
			SELECT model_alias, deployment_id, upstream_model, price_version, CAST(COUNT(*) AS BIGINT) AS requests,
				CAST(SUM(COALESCE(input_tokens, 0)) AS BIGINT) AS input_tokens,
				CAST(SUM(COALESCE(cached_input_tokens, 0)) AS BIGINT) AS cached_input_tokens,
				CAST(SUM(COALESCE(output_tokens, 0)) AS BIGINT) AS output_tokens, SUM(customer_price) AS amount
			FROM usage_records WHERE %s AND %s
			GROUP BY model_alias, deployment_id, upstream_model, price_version
			ORDER BY model_alias, deployment_id, upstream_model, price_version""";

	private static final String IN_PERIOD = "created_at >= :start AND created_at < :end";

	private static final String LATE = "created_at < :start AND seq > :previous";

	private static final String INVOICE_COLUMNS = "number, tenant_id, period_start, previous_seq, high_water_seq, "
			+ "currency, closed_at";

	private final DatabaseClient client;

	private final TransactionalOperator transactions;

	private final Clock clock;

	private final boolean postgres;

	public R2dbcInvoiceStore(DatabaseClient client) {
		this(client, Clock.systemUTC());
	}

	public R2dbcInvoiceStore(DatabaseClient client, Clock clock) {
		this.client = client;
		this.transactions = TransactionalOperator
			.create(new R2dbcTransactionManager(Objects.requireNonNull(client.getConnectionFactory())));
		this.clock = clock;
		this.postgres = "PostgreSQL"
			.equalsIgnoreCase(Objects.requireNonNull(client.getConnectionFactory()).getMetadata().getName());
	}

	@Override
	public Mono<Invoice> close(String tenantId, YearMonth period) {
		return Mono.defer(() -> {
			Instant now = this.clock.instant();
			Instant start = start(period);
			Instant end = start(period.plusMonths(1));
			if (end.isAfter(now)) {
				return Mono.error(new InvoiceRefused(InvoiceRefused.Reason.PERIOD_NOT_ENDED,
						period + " has not ended yet; a month can be closed from " + end + " on"));
			}
			Mono<Void> lock = this.postgres
					? this.client.sql("LOCK TABLE usage_records IN SHARE MODE").then() : Mono.empty();
			return lock.then(latestInvoice(tenantId, period))
				.then(highestSeq())
				.zipWhen((high) -> previousSeq(tenantId))
				.flatMap((seqs) -> {
					long high = seqs.getT1();
					long previous = seqs.getT2();
					Mono<List<InvoiceLine>> usage = lines(InvoiceLine.Kind.USAGE, tenantId, start, end, previous, high);
					Mono<List<InvoiceLine>> late = lines(InvoiceLine.Kind.ADJUSTMENT, tenantId, start, end, previous,
							high);
					// One query after another: they share the transaction's connection.
					return usage.zipWhen((u) -> late)
						.zipWhen((lines) -> nextNumber())
						.map((t) -> {
							List<InvoiceLine> all = new ArrayList<>(t.getT1().getT1());
							all.addAll(t.getT1().getT2());
							return new Invoice(InvoiceNumbers.format(period, t.getT2()), tenantId, period, CURRENCY,
									all, previous, high, now.truncatedTo(ChronoUnit.MICROS));
						});
				})
				.flatMap(this::insert);
		})
			.as(this.transactions::transactional)
			// Two admins closing the same month at once: the unique (tenant, period) constraint stops the second.
			.onErrorMap(DataIntegrityViolationException.class, (ex) -> new InvoiceRefused(
					InvoiceRefused.Reason.ALREADY_CLOSED, period + " of tenant " + tenantId + " is closed already"));
	}

	@Override
	public Mono<Invoice> find(String number) {
		return this.client.sql("SELECT " + INVOICE_COLUMNS + " FROM invoices WHERE number = :number")
			.bind("number", number)
			.map(R2dbcInvoiceStore::header)
			.one()
			.flatMap(this::withLines);
	}

	@Override
	public Flux<Invoice> list(String tenantId) {
		return this.client
			.sql("SELECT " + INVOICE_COLUMNS + " FROM invoices WHERE tenant_id = :tenant ORDER BY period_start")
			.bind("tenant", tenantId)
			.map(R2dbcInvoiceStore::header)
			.all()
			.concatMap(this::withLines);
	}

	@Override
	public Mono<Reconciliation> reconcile(String number) {
		return find(number).flatMap((invoice) -> this.client
			.sql("SELECT SUM(customer_price) AS total, CAST(COUNT(*) AS BIGINT) AS n FROM usage_records "
					+ "WHERE tenant_id = :tenant AND seq <= :high AND ((" + IN_PERIOD + ") OR (" + LATE + "))")
			.bind("tenant", invoice.tenantId())
			.bind("high", invoice.highWaterSeq())
			.bind("previous", invoice.previousSeq())
			.bind("start", Columns.timestamp(invoice.periodStart()))
			.bind("end", Columns.timestamp(invoice.periodEnd()))
			.map((row) -> {
				BigDecimal sum = row.get("total", BigDecimal.class);
				return new Reconciliation(number, invoice.total(), (sum != null) ? sum : BigDecimal.ZERO,
						Columns.number(row, "n"));
			})
			.one());
	}

	/** Refuses a month that is closed, or earlier than one that is. */
	private Mono<Void> latestInvoice(String tenantId, YearMonth period) {
		return this.client
			.sql("SELECT number, period_start FROM invoices WHERE tenant_id = :tenant "
					+ "ORDER BY period_start DESC LIMIT 1")
			.bind("tenant", tenantId)
			.map((row) -> Map.entry(Columns.text(row, "number"), Columns.instant(row, "period_start")))
			.all()
			.next()
			.flatMap((latest) -> {
				YearMonth closed = YearMonth.from(latest.getValue().atOffset(ZoneOffset.UTC));
				if (closed.equals(period)) {
					return Mono.error(new InvoiceRefused(InvoiceRefused.Reason.ALREADY_CLOSED,
							period + " of tenant " + tenantId + " is closed already as " + latest.getKey()));
				}
				if (closed.isAfter(period)) {
					return Mono.error(new InvoiceRefused(InvoiceRefused.Reason.OUT_OF_ORDER, "tenant " + tenantId
							+ " has " + closed + " closed already (" + latest.getKey() + "); months close in order"));
				}
				return Mono.empty();
			})
			.then();
	}

	private Mono<Long> highestSeq() {
		return this.client.sql("SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) AS high FROM usage_records")
			.map((row) -> Columns.number(row, "high"))
			.one();
	}

	private Mono<Long> previousSeq(String tenantId) {
		return this.client
			.sql("SELECT CAST(COALESCE(MAX(high_water_seq), 0) AS BIGINT) AS previous FROM invoices "
					+ "WHERE tenant_id = :tenant")
			.bind("tenant", tenantId)
			.map((row) -> Columns.number(row, "previous"))
			.one();
	}

	/** Bumps the one counter; a rolled-back close rolls the bump back with it. */
	private Mono<Long> nextNumber() {
		return this.client.sql("UPDATE invoice_counter SET last_number = last_number + 1 WHERE id = 1")
			.then()
			.then(this.client.sql("SELECT last_number FROM invoice_counter WHERE id = 1")
				.map((row) -> Columns.number(row, "last_number"))
				.one());
	}

	private Mono<List<InvoiceLine>> lines(InvoiceLine.Kind kind, String tenantId, Instant start, Instant end,
			long previous, long high) {
		boolean late = kind == InvoiceLine.Kind.ADJUSTMENT;
		DatabaseClient.GenericExecuteSpec spec = this.client
			.sql(String.format(LINES, BILLED, late ? LATE : IN_PERIOD))
			.bind("tenant", tenantId)
			.bind("high", high)
			.bind("start", Columns.timestamp(start));
		spec = late ? spec.bind("previous", previous) : spec.bind("end", Columns.timestamp(end));
		return spec.map((row) -> line(kind, row)).all().collectList().flatMap(this::withListPrices);
	}

	private static InvoiceLine line(InvoiceLine.Kind kind, Readable row) {
		return new InvoiceLine(kind, Columns.text(row, "model_alias"), Columns.text(row, "deployment_id"),
				Columns.text(row, "upstream_model"), Columns.integer(row, "price_version"),
				Columns.number(row, "requests"), Columns.number(row, "input_tokens"),
				Columns.number(row, "cached_input_tokens"), Columns.number(row, "output_tokens"), null,
				Columns.money(row, "amount"));
	}

	/** Fills in the price book rates each line was priced with; entries are immutable, so reading them later is safe. */
	private Mono<List<InvoiceLine>> withListPrices(List<InvoiceLine> lines) {
		if (lines.isEmpty()) {
			return Mono.just(lines);
		}
		return this.client
			.sql("SELECT deployment_id, model, version, effective_from, input_per_million, output_per_million, "
					+ "cached_input_per_million, per_request_fee FROM price_book_entries")
			.map(R2dbcPricingStore::entry)
			.all()
			.collectMap((e) -> key(e.deploymentId(), e.model(), e.version()), PriceBookEntry::rates)
			.map((rates) -> lines.stream().map((l) -> {
				Rates listPrices = rates.get(key(l.deploymentId(), l.upstreamModel(), l.priceVersion()));
				return new InvoiceLine(l.kind(), l.modelAlias(), l.deploymentId(), l.upstreamModel(),
						l.priceVersion(), l.requests(), l.inputTokens(), l.cachedInputTokens(), l.outputTokens(),
						listPrices, l.amount());
			}).toList());
	}

	private static String key(String deployment, String model, int version) {
		return deployment + '\u0000' + model + '\u0000' + version;
	}

	private Mono<Invoice> insert(Invoice invoice) {
		Mono<Void> header = this.client
			.sql("INSERT INTO invoices (number, tenant_id, period_start, period_end, currency, subtotal, adjustments, "
					+ "total, amount_due, previous_seq, high_water_seq, closed_at) VALUES (:number, :tenant, :start, "
					+ ":end, :currency, :subtotal, :adjustments, :total, :due, :previous, :high, :closedAt)")
			.bind("number", invoice.number())
			.bind("tenant", invoice.tenantId())
			.bind("start", Columns.timestamp(invoice.periodStart()))
			.bind("end", Columns.timestamp(invoice.periodEnd()))
			.bind("currency", invoice.currency())
			.bind("subtotal", invoice.subtotal())
			.bind("adjustments", invoice.adjustments())
			.bind("total", invoice.total())
			.bind("due", invoice.amountDue())
			.bind("previous", invoice.previousSeq())
			.bind("high", invoice.highWaterSeq())
			.bind("closedAt", Columns.timestamp(invoice.closedAt()))
			.then();
		List<Mono<Void>> lines = new ArrayList<>();
		for (int i = 0; i < invoice.lines().size(); i++) {
			InvoiceLine line = invoice.lines().get(i);
			lines.add(this.client
				.sql("INSERT INTO invoice_lines (invoice_number, line_no, kind, model_alias, deployment_id, "
						+ "upstream_model, price_version, requests, input_tokens, cached_input_tokens, output_tokens, "
						+ "amount) VALUES (:number, :lineNo, :kind, :alias, :deployment, :model, :version, "
						+ ":requests, :input, :cached, :output, :amount)")
				.bind("number", invoice.number())
				.bind("lineNo", i + 1)
				.bind("kind", line.kind().name())
				.bind("alias", line.modelAlias())
				.bind("deployment", line.deploymentId())
				.bind("model", line.upstreamModel())
				.bind("version", line.priceVersion())
				.bind("requests", line.requests())
				.bind("input", line.inputTokens())
				.bind("cached", line.cachedInputTokens())
				.bind("output", line.outputTokens())
				.bind("amount", line.amount())
				.then());
		}
		return header.then(Flux.concat(lines).then()).thenReturn(invoice);
	}

	private Mono<Invoice> withLines(Header header) {
		return this.client
			.sql("SELECT kind, model_alias, deployment_id, upstream_model, price_version, requests, input_tokens, "
					+ "cached_input_tokens, output_tokens, amount FROM invoice_lines WHERE invoice_number = :number "
					+ "ORDER BY line_no")
			.bind("number", header.number())
			.map((row) -> line(InvoiceLine.Kind.valueOf(Columns.text(row, "kind")), row))
			.all()
			.collectList()
			.flatMap(this::withListPrices)
			.map((lines) -> new Invoice(header.number(), header.tenantId(), header.period(), header.currency(), lines,
					header.previousSeq(), header.highWaterSeq(), header.closedAt()));
	}

	private static Header header(Readable row) {
		return new Header(Columns.text(row, "number"), Columns.text(row, "tenant_id"),
				YearMonth.from(Columns.instant(row, "period_start").atOffset(ZoneOffset.UTC)),
				Columns.text(row, "currency"), Columns.number(row, "previous_seq"),
				Columns.number(row, "high_water_seq"), Columns.instant(row, "closed_at"));
	}

	private static Instant start(YearMonth month) {
		return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
	}

	/** An invoice row before its lines are read. */
	private record Header(String number, String tenantId, YearMonth period, String currency, long previousSeq,
			long highWaterSeq, Instant closedAt) {
	}

}
