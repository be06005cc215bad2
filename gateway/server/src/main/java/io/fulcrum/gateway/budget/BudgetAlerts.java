package io.fulcrum.gateway.budget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fulcrum.billing.budget.Budget;
import io.fulcrum.billing.budget.BudgetPeriod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells operators about budgets: a WARN log the first time (per replica) a budget crosses its alert threshold in a
 * period, the counter {@code fulcrum.budget.alerts{scope, enforcement}} for the same event, and the counter
 * {@code fulcrum.budget.refusals{scope}} for every request a hard budget refused. Tags stay low-cardinality: the
 * tenant or key is in the log line, not in a tag.
 */
public final class BudgetAlerts {

	private static final Logger log = LoggerFactory.getLogger(BudgetAlerts.class);

	private final MeterRegistry meters;

	/** Last period each budget alerted in; one entry per budget, so it stays as small as the budget table. */
	private final Map<String, String> alerted = new ConcurrentHashMap<>();

	public BudgetAlerts(MeterRegistry meters) {
		this.meters = meters;
	}

	void crossed(Budget budget, BudgetPeriod.Window window, double share) {
		String subject = budget.scope().label() + ":" + budget.subjectId();
		if (window.id().equals(this.alerted.put(subject, window.id()))) {
			return;
		}
		log.warn("Budget alert: the {} for {} is {}% used (alert threshold {}%){}", budget.describe(), window,
				Math.round(share * 100), budget.alertThreshold().movePointRight(2).stripTrailingZeros().toPlainString(),
				budget.enforcement() == io.fulcrum.billing.budget.Enforcement.SOFT
						? "; soft, so requests go on and the router prefers cheaper routes" : "");
		Counter.builder("fulcrum.budget.alerts")
			.description("Budgets that crossed their alert threshold, once per budget and period on each replica")
			.tag("scope", budget.scope().label())
			.tag("enforcement", budget.enforcement().label())
			.register(this.meters)
			.increment();
	}

	void refused(Budget budget) {
		Counter.builder("fulcrum.budget.refusals")
			.description("Requests refused because a hard budget had no room for their maximum cost")
			.tag("scope", budget.scope().label())
			.register(this.meters)
			.increment();
	}

}
