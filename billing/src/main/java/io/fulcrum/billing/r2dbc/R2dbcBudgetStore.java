package io.fulcrum.billing.r2dbc;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Objects;

import io.fulcrum.billing.budget.Budget;
import io.fulcrum.billing.budget.BudgetPeriod;
import io.fulcrum.billing.budget.BudgetScope;
import io.fulcrum.billing.budget.BudgetStore;
import io.fulcrum.billing.budget.Enforcement;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Budgets in the {@code budgets} table (migration V4). */
public final class R2dbcBudgetStore implements BudgetStore {

	private static final String COLUMNS = "scope, subject_id, amount_usd, period, enforcement, alert_threshold";

	private final DatabaseClient client;

	private final TransactionalOperator transactions;

	private final Clock clock;

	public R2dbcBudgetStore(DatabaseClient client) {
		this.client = client;
		this.transactions = TransactionalOperator
			.create(new R2dbcTransactionManager(Objects.requireNonNull(client.getConnectionFactory())));
		this.clock = Clock.systemUTC();
	}

	@Override
	public Flux<Budget> all() {
		return this.client.sql("SELECT " + COLUMNS + " FROM budgets ORDER BY scope, subject_id")
			.map(R2dbcBudgetStore::budget)
			.all();
	}

	@Override
	public Mono<Budget> find(BudgetScope scope, String subjectId) {
		return this.client.sql("SELECT " + COLUMNS + " FROM budgets WHERE scope = :scope AND subject_id = :id")
			.bind("scope", scope.label())
			.bind("id", subjectId)
			.map(R2dbcBudgetStore::budget)
			.one();
	}

	/** Delete and insert in one transaction: portable between PostgreSQL and H2, unlike their upsert syntaxes. */
	@Override
	public Mono<Budget> put(Budget budget) {
		Mono<Long> delete = this.client.sql("DELETE FROM budgets WHERE scope = :scope AND subject_id = :id")
			.bind("scope", budget.scope().label())
			.bind("id", budget.subjectId())
			.fetch()
			.rowsUpdated();
		Mono<Long> insert = this.client.sql("INSERT INTO budgets (" + COLUMNS
				+ ", updated_at) VALUES (:scope, :id, :amount, :period, :enforcement, :alert, :at)")
			.bind("scope", budget.scope().label())
			.bind("id", budget.subjectId())
			.bind("amount", budget.amountUsd())
			.bind("period", budget.period().label())
			.bind("enforcement", budget.enforcement().label())
			.bind("alert", budget.alertThreshold())
			.bind("at", Columns.timestamp(this.clock.instant()))
			.fetch()
			.rowsUpdated();
		return delete.then(insert).as(this.transactions::transactional).thenReturn(budget);
	}

	@Override
	public Mono<Boolean> delete(BudgetScope scope, String subjectId) {
		return this.client.sql("DELETE FROM budgets WHERE scope = :scope AND subject_id = :id")
			.bind("scope", scope.label())
			.bind("id", subjectId)
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	private static Budget budget(Readable row) {
		BigDecimal amount = Columns.money(row, "amount_usd").stripTrailingZeros();
		return new Budget(BudgetScope.of(Columns.text(row, "scope")), Columns.text(row, "subject_id"),
				amount.scale() < 2 ? amount.setScale(2) : amount, BudgetPeriod.of(Columns.text(row, "period")),
				Enforcement.of(Columns.text(row, "enforcement")),
				Columns.money(row, "alert_threshold").stripTrailingZeros());
	}

}
