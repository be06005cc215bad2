package io.fulcrum.gateway.benchmarks;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.fulcrum.billing.pricing.LivePricing;
import io.fulcrum.billing.pricing.PricingStore;
import io.fulcrum.billing.r2dbc.BillingDatabase;
import io.fulcrum.billing.r2dbc.BillingDatabaseSettings;
import io.fulcrum.billing.r2dbc.R2dbcPricingStore;
import io.fulcrum.billing.r2dbc.R2dbcUsageLedger;
import io.fulcrum.billing.spool.UsageSpool;
import io.fulcrum.billing.usage.TokenUsage;
import io.fulcrum.billing.usage.UsageLedger;
import io.fulcrum.billing.usage.UsageRecord;
import io.fulcrum.billing.usage.UsageStatus;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.config.CatalogFactory;
import io.fulcrum.gateway.config.FulcrumProperties;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.metering.Attempt;
import io.fulcrum.gateway.metering.AttemptOutcome;
import io.fulcrum.gateway.metering.TokenCounter;
import io.fulcrum.gateway.metering.UsageMeter;
import io.fulcrum.gateway.metrics.GatewayMetrics;
import io.fulcrum.gateway.provider.Completion;
import io.fulcrum.gateway.provider.StreamChunk;
import io.fulcrum.gateway.routing.PolicySource;
import io.fulcrum.gateway.routing.RouterFeedback;
import io.fulcrum.gateway.routing.RoutingCatalog;
import io.fulcrum.gateway.routing.RoutingHints;
import io.fulcrum.protocol.Json;
import io.fulcrum.routing.Router;
import io.fulcrum.routing.telemetry.TelemetrySettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * What metering adds to one request, done the way {@code InferenceDispatcher} does it: {@link UsageMeter#begin}, each
 * chunk through {@link Attempt#observeChunk} (telling {@link UsageMeter#firstToken} on the first token), then
 * {@link UsageMeter#finish} with its usage extraction, pricing from the live price book, the {@code UsageRecord},
 * the ledger's {@code append}, the Micrometer meters and the router's feedback.
 * <p>
 * Everything is the gateway's own: the embedded default's catalog and routing policy bound from its
 * {@code application.yml} and {@code application-demo.yml}, the price book seeded and loaded from an in-memory H2
 * database as at start-up, a Prometheus registry, and {@link RouterFeedback} on a real {@link Router}. Each
 * invocation is a fresh request on {@code chat-default}'s first deployment, answered on its first attempt
 * ({@code append} measures the ledger's share alone):
 * <ul>
 * <li>{@code stream}: a role chunk, 32 content chunks, a finish chunk and OpenAI's usage chunk, each a fresh
 * {@link StreamChunk} of the JSON text as the SSE decoder hands it over, made before the measured part (so the parsing
 * metering triggers is measured, not cached from the previous invocation, and the decoding is not);</li>
 * <li>{@code whole}: one {@link Completion} as the OpenAI client decodes it (usage picked out; not re-scanned per
 * invocation, since that scan is the client's, not metering's).</li>
 * </ul>
 * The prompt's tokens are counted once in setup: in the gateway the router counted them before the attempt.
 * Requests arrive at {@link #requestsPerSecond} (paced outside the measured time), so the ledger's threads keep up
 * and run alongside, as in a gateway under load.
 * <p>
 * Two ledgers ({@code ledger} parameter):
 * <ul>
 * <li>{@code r2dbc-h2}: the gateway's embedded default, a real {@link R2dbcUsageLedger} on an in-memory H2 database
 * with a spool in a temporary directory. {@code append} really enqueues and the ledger's writer and spool threads
 * run during the measurement, on the same two cores; whatever is still queued at the end of an iteration is
 * written (unmeasured) before the next one.</li>
 * <li>{@code queue}: {@link DrainedQueueLedger}, a bounded queue drained by another thread, to show metering's own
 * cost without the embedded database's threads competing for the same cores.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms512m", "-Xmx512m" })
@State(Scope.Benchmark)
public class MeteringBenchmark {

	private static final String ALIAS = "chat-default";

	private static final int CONTENT_CHUNKS = 32;

	private static final TokenUsage RECORD_USAGE = TokenUsage.exact(27, 0, 32);

	private static final BigDecimal RECORD_COST = new BigDecimal("0.00002325");

	private static final BigDecimal RECORD_PRICE = new BigDecimal("0.00002790");

	@Param({ "r2dbc-h2", "queue" })
	public String ledger;

	/**
	 * Requests metered per second; 0: back to back. The default is about what one gateway core saturates at
	 * (docs/benchmarks.md), a rate the embedded H2 ledger keeps up with; back to back, metering outpaces H2 several
	 * times over and the run would measure a growing backlog instead.
	 */
	@Param({ "4000" })
	public int requestsPerSecond;

	private long intervalNanos;

	private long nextStartNanos;

	private final AtomicLong requests = new AtomicLong();

	private BillingDatabase database;

	private UsageLedger usageLedger;

	private Path spoolDir;

	private UsageMeter meter;

	private ModelAlias alias;

	private Deployment deployment;

	private ObjectNode requestBody;

	private int promptTokens;

	private Completion completion;

	private String runId;

	@Setup(Level.Trial)
	public void start() throws IOException {
		FulcrumProperties properties = gatewayProperties();
		DeploymentCatalog catalog = new CatalogFactory(System::getenv, "http://127.0.0.1:9").create(properties);
		this.alias = catalog.alias(ALIAS);
		this.deployment = this.alias.deployments().get(0);

		this.intervalNanos = this.requestsPerSecond > 0 ? 1_000_000_000L / this.requestsPerSecond : 0;
		this.runId = UUID.randomUUID().toString().substring(0, 8);
		this.database = BillingDatabase.open(BillingDatabaseSettings.inMemory("metering-bench-" + this.runId));
		R2dbcPricingStore prices = new R2dbcPricingStore(this.database.client());
		prices.seed(catalog.deployments()
			.stream()
			.map((d) -> new PricingStore.SeedPrice(d.id(), d.upstreamModel(), d.price()))
			.toList()).block(Duration.ofSeconds(30));
		LivePricing pricing = new LivePricing(prices.load().block(Duration.ofSeconds(30)));

		FulcrumProperties.Routing routing = properties.routing();
		Router router = new Router(new TelemetrySettings(routing.halfLife().toNanos(),
				TelemetrySettings.DEFAULTS.priorWeight(), TelemetrySettings.DEFAULTS.refreshNanos()),
				() -> ThreadLocalRandom.current().nextDouble());
		router.configure(RoutingCatalog.of(catalog), PolicySource.load(routing));

		if ("r2dbc-h2".equals(this.ledger)) {
			this.spoolDir = Files.createTempDirectory("metering-bench-spool");
			this.usageLedger = new R2dbcUsageLedger(this.database.client(), UsageSpool.open(this.spoolDir));
		}
		else {
			this.usageLedger = new DrainedQueueLedger(1 << 16);
		}
		TokenCounter tokens = new TokenCounter();
		this.meter = new UsageMeter(this.usageLedger, tokens,
				new GatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), new RouterFeedback(router),
				pricing);

		this.requestBody = (ObjectNode) Json.parse("{\"model\":\"chat-default\",\"stream\":true,"
				+ "\"stream_options\":{\"include_usage\":true},\"max_tokens\":64,\"messages\":["
				+ "{\"role\":\"system\",\"content\":\"You are a concise assistant.\"},"
				+ "{\"role\":\"user\",\"content\":\"Summarise the plot of Hamlet in a few sentences.\"}]}");
		this.promptTokens = tokens.countChatPrompt(this.requestBody);
		this.completion = Completion.ofJson(wholeResponse(this.deployment.upstreamModel(), this.promptTokens)
			.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Waits (unmeasured) for this request's start time at {@link #requestsPerSecond}. After a pause (a ledger flush, a
	 * descheduled thread) it starts again from now instead of catching up with a burst.
	 */
	@Setup(Level.Invocation)
	public void pace() {
		if (this.intervalNanos == 0) {
			return;
		}
		long now = System.nanoTime();
		this.nextStartNanos = Math.max(this.nextStartNanos + this.intervalNanos, now);
		while (now < this.nextStartNanos) {
			LockSupport.parkNanos(this.nextStartNanos - now);
			now = System.nanoTime();
		}
	}

	/** Lets the ledger catch up between iterations (not measured), so each iteration starts from an empty queue. */
	@TearDown(Level.Iteration)
	public void drainLedger() {
		this.usageLedger.flush().block(Duration.ofMinutes(5));
	}

	@TearDown(Level.Trial)
	public void stop() throws IOException {
		if (this.usageLedger instanceof R2dbcUsageLedger r2dbc) {
			r2dbc.close();
		}
		else if (this.usageLedger instanceof DrainedQueueLedger queue) {
			queue.close();
			if (queue.rejected() > 0) {
				throw new IllegalStateException(queue.rejected() + " records did not fit the ledger's queue");
			}
		}
		this.database.close();
		if (this.spoolDir != null) {
			try (Stream<Path> paths = Files.walk(this.spoolDir)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

	/** One streamed request's metering, from the attempt's start to its record. */
	@Benchmark
	public Attempt stream(StreamedResponse response) {
		InferenceRequest request = newRequest(true);
		Attempt attempt = this.meter.begin(request, this.deployment, 1);
		for (StreamChunk chunk : response.chunks) {
			if (!attempt.receivedAny()) {
				request.servedBy(this.deployment);
			}
			if (attempt.observeChunk(chunk)) {
				this.meter.firstToken(attempt);
			}
		}
		this.meter.finish(attempt, AttemptOutcome.SUCCESS);
		return attempt;
	}

	/** One whole (non-streamed) request's metering. */
	@Benchmark
	public Attempt whole() {
		InferenceRequest request = newRequest(false);
		Attempt attempt = this.meter.begin(request, this.deployment, 1);
		request.servedBy(this.deployment);
		attempt.observeCompletion(this.completion);
		this.meter.finish(attempt, AttemptOutcome.SUCCESS);
		return attempt;
	}

	/**
	 * The ledger's part alone: one record, as {@code finish} builds it, handed to {@code append}. Tells how much of
	 * the other two is the hand-off to the ledger (the real one runs its batching on the caller's thread and, once per
	 * batch, wakes its spool thread).
	 */
	@Benchmark
	public void append() {
		this.usageLedger.append(new UsageRecord(nextRequestId(), 1, "demo", "key-bench", ALIAS, this.deployment.id(),
				this.deployment.upstreamModel(), RECORD_USAGE, RECORD_COST, RECORD_PRICE, UsageStatus.SUCCESS, 150L,
				900L, Instant.now(), 1));
	}

	private String nextRequestId() {
		// A fresh id per request, as RequestIdWebFilter gives: the ledger's primary key is (request_id, attempt).
		return "req_" + this.runId + Long.toString(this.requests.incrementAndGet(), 36);
	}

	private InferenceRequest newRequest(boolean stream) {
		String id = nextRequestId();
		int prompt = this.promptTokens;
		return new InferenceRequest(id, "demo", "key-bench", this.alias, stream, this.requestBody, (body) -> prompt,
				RoutingHints.NONE);
	}

	/** A streamed answer's chunks, fresh for every request. */
	@State(Scope.Thread)
	public static class StreamedResponse {

		private byte[][] chunkBytes;

		private StreamChunk[] chunks;

		@Setup(Level.Trial)
		public void encode(MeteringBenchmark benchmark) {
			this.chunkBytes = Stream.of(streamedResponse(benchmark.deployment.upstreamModel(), benchmark.promptTokens))
				.map((json) -> json.getBytes(StandardCharsets.UTF_8))
				.toArray(byte[][]::new);
			this.chunks = new StreamChunk[this.chunkBytes.length];
		}

		/**
		 * Before each request, unmeasured: decodes the chunks as the SSE decoder would, into fresh objects whose text
		 * was just written (so in cache, as in the gateway).
		 */
		@Setup(Level.Invocation)
		public void decode() {
			for (int i = 0; i < this.chunkBytes.length; i++) {
				this.chunks[i] = StreamChunk.ofJson(new String(this.chunkBytes[i], StandardCharsets.UTF_8));
			}
		}

	}

	/** The gateway's own settings for the embedded default: application.yml with the demo profile. */
	private static FulcrumProperties gatewayProperties() throws IOException {
		YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
		List<PropertySource<?>> sources = new ArrayList<>();
		sources.addAll(loader.load("application-demo", new ClassPathResource("application-demo.yml")));
		sources.addAll(loader.load("application", new ClassPathResource("application.yml")));
		Binder binder = new Binder(ConfigurationPropertySources.from(sources),
				new PropertySourcesPlaceholdersResolver(sources));
		return binder.bindOrCreate("fulcrum", FulcrumProperties.class);
	}

	/** An OpenAI stream as the simulator and OpenAI send it, with {@code include_usage}. */
	private static String[] streamedResponse(String model, int promptTokens) {
		String head = "{\"id\":\"chatcmpl-9f2c1d7e\",\"object\":\"chat.completion.chunk\",\"created\":1764331200,"
				+ "\"model\":\"" + model + "\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":";
		List<String> chunks = new ArrayList<>();
		chunks.add(head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
				+ "\"finish_reason\":null}],\"usage\":null}");
		String[] words = { "Prince", " Hamlet", " seeks", " revenge", " on", " his", " uncle", " Claudius", "," };
		for (int i = 0; i < CONTENT_CHUNKS; i++) {
			chunks.add(head + "[{\"index\":0,\"delta\":{\"content\":\"" + words[i % words.length]
					+ "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");
		}
		chunks.add(head + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
				+ "\"usage\":null}");
		chunks.add(head + "[],\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":"
				+ CONTENT_CHUNKS + ",\"total_tokens\":" + (promptTokens + CONTENT_CHUNKS)
				+ ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
				+ "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
				+ "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}");
		return chunks.toArray(String[]::new);
	}

	private static String wholeResponse(String model, int promptTokens) {
		return "{\"id\":\"chatcmpl-9f2c1d7e\",\"object\":\"chat.completion\",\"created\":1764331200,\"model\":\"" + model
				+ "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Prince Hamlet "
				+ "seeks revenge on his uncle Claudius, who murdered Hamlet's father and married his mother. "
				+ "Feigning madness, he hesitates, and the tragedy ends with nearly everyone dead.\",\"refusal\":null},"
				+ "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + promptTokens
				+ ",\"completion_tokens\":41,\"total_tokens\":" + (promptTokens + 41)
				+ ",\"prompt_tokens_details\":{\"cached_tokens\":0}},\"system_fingerprint\":\"fp_0ba0d124f1\"}";
	}

}
