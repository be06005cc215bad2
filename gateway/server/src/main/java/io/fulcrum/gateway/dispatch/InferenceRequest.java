package io.fulcrum.gateway.dispatch;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.ratelimit.RateLimitStatus;
import io.fulcrum.gateway.routing.RoutingHints;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One decoded, authenticated request on its way through the gateway: who sent it, what it asks for, and the
 * canonical (OpenAI-shaped) body. Prompt tokens are counted at most once, and only when needed.
 */
public final class InferenceRequest {

	private final String requestId;

	private final String tenantId;

	private final String keyId;

	private final ModelAlias alias;

	private final boolean stream;

	private final ObjectNode body;

	private final long startNanos;

	private final ToIntFunction<ObjectNode> promptCounter;

	private int promptTokens = -1;

	private final RoutingHints hints;

	private volatile @Nullable Deployment servedBy;

	private volatile @Nullable String route;

	private volatile double predicted = 1;

	private volatile @Nullable RateLimitStatus rateLimits;

	private final AtomicLong usedTokens = new AtomicLong();

	private volatile double budgetUsed = Double.NaN;

	// The hedge race's attempt numbers (0: none): written before the attempts they name can end.
	private volatile int hedgeAttempt;

	private volatile int raceWinner;

	// Guarded by this: what the request's attempts were charged, and who waits for the last one to be metered.
	private BigDecimal charged = BigDecimal.ZERO;

	private int openAttempts;

	private @Nullable Consumer<BigDecimal> whenMetered;

	public InferenceRequest(String requestId, String tenantId, String keyId, ModelAlias alias, boolean stream,
			ObjectNode body, ToIntFunction<ObjectNode> promptCounter, RoutingHints hints) {
		this.requestId = requestId;
		this.tenantId = tenantId;
		this.keyId = keyId;
		this.alias = alias;
		this.stream = stream;
		this.body = body;
		this.promptCounter = promptCounter;
		this.hints = hints;
		this.startNanos = System.nanoTime();
	}

	public String requestId() {
		return this.requestId;
	}

	public String tenantId() {
		return this.tenantId;
	}

	public String keyId() {
		return this.keyId;
	}

	public ModelAlias alias() {
		return this.alias;
	}

	public boolean stream() {
		return this.stream;
	}

	public ObjectNode body() {
		return this.body;
	}

	public long startNanos() {
		return this.startNanos;
	}

	/** Prompt tokens by Fulcrum's own count, for usage the provider did not report. */
	public synchronized int promptTokens() {
		if (this.promptTokens < 0) {
			this.promptTokens = this.promptCounter.applyAsInt(this.body);
		}
		return this.promptTokens;
	}

	/** The request's SLO, priority class and output cap, for the router. */
	public RoutingHints hints() {
		return this.hints;
	}

	/** How the router decided, for the {@code x-fulcrum-route} header; {@code null} before it has. */
	public @Nullable String route() {
		return this.route;
	}

	public void route(String explanation, double predicted) {
		this.route = explanation;
		this.predicted = predicted;
	}

	/** The probability the router predicted for its choice to meet the SLO; 1 when it did not predict. */
	public double predicted() {
		return this.predicted;
	}

	/** The state of the request's rate limits after admission, for the {@code x-ratelimit-*} headers. */
	public @Nullable RateLimitStatus rateLimits() {
		return this.rateLimits;
	}

	public void rateLimits(RateLimitStatus status) {
		this.rateLimits = status;
	}

	/** Input plus output tokens of every attempt so far, as metered. */
	public long usedTokens() {
		return this.usedTokens.get();
	}

	public void addUsedTokens(long tokens) {
		this.usedTokens.addAndGet(tokens);
	}

	/** The deployment whose attempt delivered the response, once one has; {@code null} before. */
	public @Nullable Deployment servedBy() {
		return this.servedBy;
	}

	public void servedBy(Deployment deployment) {
		this.servedBy = deployment;
	}

	/** A hedge attempt, numbered {@code number}, has started racing the request's first attempt. */
	public void hedgeStarted(int number) {
		this.hedgeAttempt = number;
	}

	/** Attempt {@code number} won the hedge race: it serves the request, the other is about to be cancelled. */
	public void raceWon(int number, Deployment deployment) {
		this.raceWinner = number;
		this.servedBy = deployment;
	}

	/** The hedge attempt's number, or 0 when no hedge was sent. */
	public int hedgeAttempt() {
		return this.hedgeAttempt;
	}

	/**
	 * Whether attempt {@code number}, if cancelled now, is a hedge race's loser rather than the attempt the client
	 * hung up on: another attempt won the race, or, when the client hangs up before either won, it is the hedge
	 * (the request's first attempt is the one billed, so that exactly one is).
	 */
	public boolean lostRace(int number) {
		int winner = this.raceWinner;
		if (winner != 0) {
			return number != winner;
		}
		return number == this.hedgeAttempt;
	}

	/** Share (0 to 1, or more) of the request's most used budget, for the router; NaN when it has none. */
	public double budgetUsed() {
		return this.budgetUsed;
	}

	public void budgetUsed(double share) {
		this.budgetUsed = share;
	}

	/** An attempt has begun; it must be {@linkplain #attemptMetered metered} once. */
	public synchronized void attemptBegun() {
		this.openAttempts++;
	}

	/** An attempt has been metered and charged {@code price} (zero when it failed). */
	public void attemptMetered(BigDecimal price) {
		Consumer<BigDecimal> ready;
		BigDecimal total;
		synchronized (this) {
			this.charged = this.charged.add(price);
			this.openAttempts--;
			ready = this.openAttempts == 0 ? this.whenMetered : null;
			if (ready != null) {
				this.whenMetered = null;
			}
			total = this.charged;
		}
		if (ready != null) {
			ready.accept(total);
		}
	}

	/**
	 * Runs {@code action} with the request's total charge once the request has ended (this call says so) and every
	 * attempt begun has been metered: at once if none is still open. An attempt's metering can run after the
	 * request's own end signal (Reactor's {@code doFinally} runs after the terminal signal has gone downstream), so
	 * settling at the end signal alone could miss the last attempt's cost.
	 */
	public void whenMetered(Consumer<BigDecimal> action) {
		BigDecimal total;
		synchronized (this) {
			if (this.openAttempts > 0) {
				this.whenMetered = action;
				return;
			}
			total = this.charged;
		}
		action.accept(total);
	}

}
