package io.fulcrum.gateway.dispatch;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.fulcrum.gateway.budget.BudgetGuard;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.ProviderKind;
import io.fulcrum.gateway.metering.Attempt;
import io.fulcrum.gateway.metering.AttemptOutcome;
import io.fulcrum.gateway.metering.UsageMeter;
import io.fulcrum.gateway.provider.Completion;
import io.fulcrum.gateway.provider.ProviderClient;
import io.fulcrum.gateway.provider.StreamChunk;
import io.fulcrum.gateway.ratelimit.LimitGuard;
import io.fulcrum.gateway.routing.RequestRouter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import tools.jackson.databind.node.ObjectNode;

/**
 * The request path from a decoded request to the provider and back: admits the request under its rate limits,
 * reserves its maximum cost under its budgets (once per request, whatever the fallbacks), asks the router for an
 * order of deployments, runs the attempts (each under its deployment's limits) through the
 * {@link FallbackExecutor}, and meters every attempt when it ends, once.
 */
public final class InferenceDispatcher {

	private final RequestRouter router;

	private final FallbackExecutor executor;

	private final Map<ProviderKind, ProviderClient> clients;

	private final UsageMeter meter;

	private final LimitGuard limits;

	private final BudgetGuard budgets;

	public InferenceDispatcher(RequestRouter router, LimitGuard limits, BudgetGuard budgets, FallbackExecutor executor,
			Map<ProviderKind, ProviderClient> clients, UsageMeter meter) {
		this.router = router;
		this.limits = limits;
		this.budgets = budgets;
		this.executor = executor;
		this.clients = Map.copyOf(clients);
		this.meter = meter;
	}

	/** Streams canonical chunks; the usage chunk, when the provider sent one, is included. */
	public Flux<StreamChunk> streamChat(InferenceRequest request) {
		// A hedge races on the first token; chunks before it (the role) wait with their attempt.
		return guarded(request, () -> this.executor.execute(request.alias().name(),
				route(request),
				(deployment, number) -> trackStream(request, deployment, number, this.limits.attempt(request,
						deployment,
						TimeLimits.stream(client(deployment).streamChat(request.body(), deployment), deployment))),
				StreamChunk::hasOutput, race(request)));
	}

	public Mono<Completion> completeChat(InferenceRequest request) {
		// An unstreamed answer arrives whole: it is its own first token.
		return guarded(request, () -> this.executor.execute(request.alias().name(),
				route(request),
				(deployment, number) -> track(request, deployment, number, this.limits.attempt(request, deployment,
						TimeLimits.unary(client(deployment).completeChat(request.body(), deployment).flux(),
								deployment)),
						Attempt::observeCompletion),
				completion -> true, race(request)))
			.single();
	}

	public Mono<ObjectNode> embed(InferenceRequest request) {
		// Embeddings are not hedged: their route keeps its order only.
		return guarded(request, () -> this.executor.execute(request.alias().name(),
				route(request).order(),
				(deployment, number) -> track(request, deployment, number, this.limits.attempt(request, deployment,
						TimeLimits.unary(client(deployment).embed(request.body(), deployment).flux(), deployment)),
						Attempt::observeResponse)))
			.single();
	}

	/** Rate limits first (cheap, and they protect the budget store too), then the budget, then the attempts. */
	private <T> Flux<T> guarded(InferenceRequest request, Supplier<Flux<T>> attempts) {
		return this.limits.request(request, this.budgets.request(request, Flux.defer(attempts)));
	}

	private Flux<StreamChunk> trackStream(InferenceRequest request, Deployment deployment, int number,
			Flux<StreamChunk> call) {
		Attempt attempt = this.meter.begin(request, deployment, number);
		return call.doOnError(attempt::failedWith).doOnNext(chunk -> {
			if (!attempt.receivedAny() && !request.lostRace(number)) {
				request.servedBy(deployment);
			}
			if (attempt.observeChunk(chunk)) {
				this.meter.firstToken(attempt);
			}
		}).doFinally(signal -> this.meter.finish(attempt, outcome(signal, attempt)));
	}

	private <T> Flux<T> track(InferenceRequest request, Deployment deployment, int number, Flux<T> call,
			BiConsumer<Attempt, T> observe) {
		Attempt attempt = this.meter.begin(request, deployment, number);
		return call.doOnError(attempt::failedWith).doOnNext(response -> {
			if (!request.lostRace(number)) {
				request.servedBy(deployment);
			}
			observe.accept(attempt, response);
		}).doFinally(signal -> this.meter.finish(attempt, outcome(signal, attempt)));
	}

	private static AttemptOutcome outcome(SignalType signal, Attempt attempt) {
		return switch (signal) {
			case ON_COMPLETE -> AttemptOutcome.SUCCESS;
			case CANCEL -> attempt.request().lostRace(attempt.number()) ? AttemptOutcome.HEDGE_LOST
					: AttemptOutcome.CLIENT_CANCELLED;
			default -> attempt.receivedAny() ? AttemptOutcome.STREAM_BROKEN : AttemptOutcome.FAILED;
		};
	}

	/** Tells the request how its hedge race goes, so that the loser is metered as such and never billed. */
	private static FallbackExecutor.RaceListener race(InferenceRequest request) {
		return new FallbackExecutor.RaceListener() {

			@Override
			public void hedgeStarted(int number) {
				request.hedgeStarted(number);
			}

			@Override
			public void won(int number, Deployment deployment) {
				request.raceWon(number, deployment);
			}

		};
	}

	private PlannedRoute route(InferenceRequest request) {
		return this.router.route(request);
	}

	private ProviderClient client(Deployment deployment) {
		ProviderClient client = this.clients.get(deployment.provider().kind());
		if (client == null) {
			throw new IllegalStateException("no client for provider kind " + deployment.provider().kind());
		}
		return client;
	}

}
