package io.fulcrum.billing.r2dbc;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fulcrum.billing.pricing.CustomerPricing;
import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.pricing.PriceBook;
import io.fulcrum.billing.pricing.PriceBookEntry;
import io.fulcrum.billing.pricing.PriceChangeRefused;
import io.fulcrum.billing.pricing.PricingStore;
import io.fulcrum.billing.pricing.Rates;
import io.fulcrum.billing.pricing.TokenPrice;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Price books in {@code price_book_entries}, tenant pricing in {@code tenant_pricing} and
 * {@code tenant_price_list}. Price book rows are inserted, never updated; two admins adding a version of the same
 * deployment at once collide on the primary key and one of them fails instead of both getting the same number.
 */
public final class R2dbcPricingStore implements PricingStore {

	private static final String ENTRY_COLUMNS = "deployment_id, model, version, effective_from, input_per_million, "
			+ "output_per_million, cached_input_per_million, per_request_fee";

	private final DatabaseClient client;

	private final TransactionalOperator transactions;

	private final Clock clock;

	public R2dbcPricingStore(DatabaseClient client) {
		this(client, Clock.systemUTC());
	}

	public R2dbcPricingStore(DatabaseClient client, Clock clock) {
		this.client = client;
		this.transactions = TransactionalOperator
			.create(new R2dbcTransactionManager(Objects.requireNonNull(client.getConnectionFactory())));
		this.clock = clock;
	}

	@Override
	public Mono<LivePricing.Snapshot> load() {
		Mono<PriceBook> book = this.client.sql("SELECT " + ENTRY_COLUMNS + " FROM price_book_entries")
			.map(R2dbcPricingStore::entry)
			.all()
			.collectList()
			.map(PriceBook::of);
		Mono<Map<String, BigDecimal>> markups = this.client
			.sql("SELECT tenant_id, markup_percent FROM tenant_pricing")
			.map((row) -> Map.entry(Columns.text(row, "tenant_id"), Columns.money(row, "markup_percent")))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
		Mono<Map<String, Map<String, Rates>>> lists = this.client
			.sql("SELECT tenant_id, model_alias, input_per_million, output_per_million, cached_input_per_million, "
					+ "per_request_fee FROM tenant_price_list")
			.map((row) -> Map.entry(Columns.text(row, "tenant_id"), Map.entry(Columns.text(row, "model_alias"),
					rates(row))))
			.all()
			.collect(HashMap<String, Map<String, Rates>>::new, (all, e) -> all
				.computeIfAbsent(e.getKey(), (t) -> new HashMap<>())
				.put(e.getValue().getKey(), e.getValue().getValue()));
		// One query after another: they share the transaction's connection.
		return book.flatMap((b) -> markups.flatMap((m) -> lists.map((l) -> snapshot(b, m, l))))
			.as(this.transactions::transactional);
	}

	private static LivePricing.Snapshot snapshot(PriceBook book, Map<String, BigDecimal> markups,
			Map<String, Map<String, Rates>> lists) {
		Map<String, CustomerPricing> tenants = new HashMap<>();
		markups.forEach((tenant, markup) -> tenants.put(tenant,
				new CustomerPricing(markup, lists.getOrDefault(tenant, Map.of()))));
		return new LivePricing.Snapshot(book, tenants);
	}

	@Override
	public Mono<PriceBookEntry> addVersion(String deploymentId, String model, Instant effectiveFrom, Rates rates,
			Instant now) {
		Instant from = effectiveFrom.truncatedTo(ChronoUnit.MICROS);
		if (from.isBefore(now.truncatedTo(ChronoUnit.MICROS))) {
			return Mono.error(new PriceChangeRefused("effective_from " + effectiveFrom
					+ " is in the past; a price change applies from now on and never reprices past records"));
		}
		return this.client
			.sql("SELECT " + ENTRY_COLUMNS + " FROM price_book_entries WHERE deployment_id = :deployment "
					+ "AND model = :model ORDER BY version DESC LIMIT 1")
			.bind("deployment", deploymentId)
			.bind("model", model)
			.map(R2dbcPricingStore::entry)
			.all()
			.next()
			.map((latest) -> {
				if (from.isBefore(latest.effectiveFrom())) {
					throw new PriceChangeRefused("effective_from " + effectiveFrom + " is before version "
							+ latest.version() + " (effective " + latest.effectiveFrom()
							+ "); versions take effect in order");
				}
				return latest.version() + 1;
			})
			.defaultIfEmpty(1)
			.flatMap((version) -> insert(new PriceBookEntry(deploymentId, model, version, from, rates)))
			.as(this.transactions::transactional)
			// Two changes of the same book at once: both read the same newest version, the primary key stops one.
			.onErrorMap(DataIntegrityViolationException.class, (ex) -> new PriceChangeRefused("another price change "
					+ "of " + deploymentId + " / " + model + " was written at the same time; read the book and retry"));
	}

	@Override
	public Mono<Integer> seed(List<SeedPrice> prices) {
		return Flux.fromIterable(prices)
			.concatMap((seed) -> this.client
				.sql("SELECT COUNT(*) AS n FROM price_book_entries WHERE deployment_id = :deployment AND model = :model")
				.bind("deployment", seed.deploymentId())
				.bind("model", seed.model())
				.map((row) -> Columns.number(row, "n"))
				.one()
				.flatMap((count) -> (count > 0) ? Mono.just(0L)
						: insertSeed(new PriceBookEntry(seed.deploymentId(), seed.model(), 1, Instant.EPOCH,
								new Rates(seed.price(), BigDecimal.ZERO))))
				.map(Long::intValue))
			.reduce(0, Integer::sum)
			.as(this.transactions::transactional);
	}

	@Override
	public Mono<Void> setTenantPricing(String tenantId, CustomerPricing pricing) {
		Mono<Void> clear = this.client.sql("DELETE FROM tenant_price_list WHERE tenant_id = :tenant")
			.bind("tenant", tenantId)
			.then()
			.then(this.client.sql("DELETE FROM tenant_pricing WHERE tenant_id = :tenant").bind("tenant", tenantId).then());
		Mono<Void> markup = this.client
			.sql("INSERT INTO tenant_pricing (tenant_id, markup_percent, updated_at) VALUES (:tenant, :markup, :at)")
			.bind("tenant", tenantId)
			.bind("markup", pricing.markupPercent())
			.bind("at", Columns.timestamp(Instant.now(this.clock).truncatedTo(ChronoUnit.MICROS)))
			.then();
		Mono<Void> list = Flux.fromIterable(pricing.priceList().entrySet())
			.concatMap((e) -> this.client
				.sql("INSERT INTO tenant_price_list (tenant_id, model_alias, input_per_million, output_per_million, "
						+ "cached_input_per_million, per_request_fee) VALUES (:tenant, :alias, :input, :output, "
						+ ":cached, :fee)")
				.bind("tenant", tenantId)
				.bind("alias", e.getKey())
				.bind("input", e.getValue().tokens().inputPerMillion())
				.bind("output", e.getValue().tokens().outputPerMillion())
				.bind("cached", e.getValue().tokens().cachedInputPerMillion())
				.bind("fee", e.getValue().perRequestFee())
				.then())
			.then();
		return clear.then(markup).then(list).as(this.transactions::transactional);
	}

	private Mono<PriceBookEntry> insert(PriceBookEntry entry) {
		return bind(entry, "").then().thenReturn(entry);
	}

	/**
	 * Replicas starting together against one database may both find a book empty: the second one's version 1
	 * is skipped, not a failed start-up. (No conflict target: H2's PostgreSQL mode does not accept one.)
	 */
	private Mono<Long> insertSeed(PriceBookEntry entry) {
		return bind(entry, " ON CONFLICT DO NOTHING").fetch().rowsUpdated();
	}

	private DatabaseClient.GenericExecuteSpec bind(PriceBookEntry entry, String suffix) {
		return this.client
			.sql("INSERT INTO price_book_entries (" + ENTRY_COLUMNS + ", created_at) VALUES (:deployment, :model, "
					+ ":version, :from, :input, :output, :cached, :fee, :createdAt)" + suffix)
			.bind("deployment", entry.deploymentId())
			.bind("model", entry.model())
			.bind("version", entry.version())
			.bind("from", Columns.timestamp(entry.effectiveFrom()))
			.bind("input", entry.rates().tokens().inputPerMillion())
			.bind("output", entry.rates().tokens().outputPerMillion())
			.bind("cached", entry.rates().tokens().cachedInputPerMillion())
			.bind("fee", entry.rates().perRequestFee())
			.bind("createdAt", Columns.timestamp(Instant.now(this.clock).truncatedTo(ChronoUnit.MICROS)));
	}

	static PriceBookEntry entry(Readable row) {
		return new PriceBookEntry(Columns.text(row, "deployment_id"), Columns.text(row, "model"),
				Columns.integer(row, "version"), Columns.instant(row, "effective_from"), rates(row));
	}

	static Rates rates(Readable row) {
		return new Rates(new TokenPrice(Columns.money(row, "input_per_million"), Columns.money(row, "output_per_million"),
				Columns.money(row, "cached_input_per_million")), Columns.money(row, "per_request_fee"));
	}

}
