package io.fulcrum.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Changes a running simulator's behaviour and records what it received, for tests to assert on. Thread-safe:
 * tests change profiles while requests are in flight, and a changed profile applies to requests that arrive
 * afterwards.
 *
 * <p>A request's profile is the one set for its {@code model} field, else the default profile.
 */
public final class SimulatorControl {

	/** The model name {@code /v1/models} lists for the default profile. */
	public static final String DEFAULT_MODEL = "sim-default";

	private volatile double[] reportedLoad = new double[3];

	private final ModelProfile initialDefault;

	private volatile ModelProfile defaultProfile;

	private final Map<String, ModelProfile> profiles = new ConcurrentHashMap<>();

	private final Map<String, Instant> outages = new ConcurrentHashMap<>();

	private final Map<String, ModelRecord> records = new ConcurrentHashMap<>();

	private final LongAdder completedStreams = new LongAdder();

	private final LongAdder cancelledStreams = new LongAdder();

	private final LongAdder cancelledAnswers = new LongAdder();

	private final LongAdder abortedStreams = new LongAdder();

	private final LongAdder answers = new LongAdder();

	private final LongAdder answeredPromptTokens = new LongAdder();

	private final LongAdder answeredOutputTokens = new LongAdder();

	SimulatorControl(ModelProfile defaultProfile) {
		this.initialDefault = defaultProfile;
		this.defaultProfile = defaultProfile;
	}

	/** Sets the profile of one model, replacing any earlier one. */
	public void setProfile(String model, ModelProfile profile) {
		this.profiles.put(model, profile);
	}

	/** Sets the profile of every model that has none of its own. */
	public void setDefaultProfile(ModelProfile profile) {
		this.defaultProfile = profile;
	}

	public ModelProfile defaultProfile() {
		return this.defaultProfile;
	}

	/** The profile requests for this model get: its own, else the default. */
	public ModelProfile profile(String model) {
		ModelProfile profile = this.profiles.get(model);
		return (profile != null) ? profile : this.defaultProfile;
	}

	/** The models with a profile of their own, and their profiles. */
	public Map<String, ModelProfile> profiles() {
		return new TreeMap<>(this.profiles);
	}

	/**
	 * Answers every request for this model with HTTP 503 for the given time, whatever its profile.
	 * @param model the model, {@value #DEFAULT_MODEL} for {@code /v1/models}
	 * @param duration how long the outage lasts
	 * @return when it ends
	 */
	public Instant startOutage(String model, Duration duration) {
		Instant until = Instant.now().plus(duration);
		this.outages.put(model, until);
		return until;
	}

	/** Ends an outage started with {@link #startOutage} early. */
	public void endOutage(String model) {
		this.outages.remove(model);
	}

	/** The outages started with {@link #startOutage} that have not ended. */
	public Map<String, Instant> outages() {
		Instant now = Instant.now();
		Map<String, Instant> active = new TreeMap<>();
		this.outages.forEach((model, until) -> {
			if (until.isAfter(now)) {
				active.put(model, until);
			}
		});
		return active;
	}

	/**
	 * The load {@code GET /metrics} reports, as a vLLM server would: requests running and waiting, KV-cache use.
	 * Lets tests script what a local GPU backend tells the router.
	 */
	public void reportLoad(int running, int waiting, double kvCacheUsage) {
		this.reportedLoad = new double[] { running, waiting, kvCacheUsage };
	}

	/** The scripted load: running, waiting, KV-cache use. */
	public double[] reportedLoad() {
		return this.reportedLoad.clone();
	}

	/** Back to the state at start: the default profile of the options, no model profiles, outages or records. */
	public void reset() {
		this.reportedLoad = new double[3];
		this.defaultProfile = this.initialDefault;
		this.profiles.clear();
		this.outages.clear();
		this.records.clear();
		this.completedStreams.reset();
		this.cancelledStreams.reset();
		this.cancelledAnswers.reset();
		this.abortedStreams.reset();
		this.answers.reset();
		this.answeredPromptTokens.reset();
		this.answeredOutputTokens.reset();
	}

	/** How many valid requests named this model. */
	public long requests(String model) {
		ModelRecord record = this.records.get(model);
		return (record != null) ? record.count.sum() : 0;
	}

	/** Request counts by requested model. */
	public Map<String, Long> requestCounts() {
		Map<String, Long> counts = new TreeMap<>();
		this.records.forEach((model, record) -> counts.put(model, record.count.sum()));
		return counts;
	}

	public long totalRequests() {
		long total = 0;
		for (ModelRecord record : this.records.values()) {
			total += record.count.sum();
		}
		return total;
	}

	/** Streams that sent their final events. */
	public long completedStreams() {
		return this.completedStreams.sum();
	}

	/** Chat answers sent in full (whole, or streams that sent their final events). */
	public long answers() {
		return this.answers.sum();
	}

	/** The prompt tokens of every chat answer sent in full, as the simulator counted them (and reports them, unless
	 * the profile omits usage). */
	public long answeredPromptTokens() {
		return this.answeredPromptTokens.sum();
	}

	/** The output tokens of every chat answer sent in full, as the simulator counted them (and reports them, unless
	 * the profile omits usage). */
	public long answeredOutputTokens() {
		return this.answeredOutputTokens.sum();
	}

	/** Whole (unstreamed) answers whose client hung up before they were sent. */
	public long cancelledAnswers() {
		return this.cancelledAnswers.sum();
	}

	/** Streams whose client cancelled or hung up before the final events. */
	public long cancelledStreams() {
		return this.cancelledStreams.sum();
	}

	/** Streams the simulator cut on purpose ({@link ModelProfile#failAfterChunks()}). */
	public long abortedStreams() {
		return this.abortedStreams.sum();
	}

	/** The body of the last request for this model, or {@code null} when none arrived. Do not modify it. */
	public @Nullable JsonNode lastRequest(String model) {
		ModelRecord record = this.records.get(model);
		return (record != null) ? record.lastBody : null;
	}

	/**
	 * The headers of the last request for this model, by lower-case name, repeated headers joined with
	 * {@code ", "}; empty when none arrived.
	 */
	public Map<String, String> lastHeaders(String model) {
		ModelRecord record = this.records.get(model);
		HttpHeaders headers = (record != null) ? record.lastHeaders : null;
		Map<String, String> copy = new TreeMap<>();
		if (headers != null) {
			headers.forEach((header) -> copy.merge(header.getKey().toLowerCase(Locale.ROOT),
					header.getValue(), (first, next) -> first + ", " + next));
		}
		return copy;
	}

	void recordRequest(String model, JsonNode body, HttpHeaders headers) {
		ModelRecord record = this.records.get(model);
		if (record == null) {
			record = this.records.computeIfAbsent(model, (key) -> new ModelRecord());
		}
		record.count.increment();
		record.lastBody = body;
		record.lastHeaders = headers;
	}

	/** When the outage of this model ends, from its profile or {@link #startOutage}; null when it has none. */
	@Nullable Instant outageUntil(String model, ModelProfile profile) {
		Instant started = this.outages.isEmpty() ? null : this.outages.get(model);
		Instant configured = profile.outageUntil();
		if (started == null) {
			return configured;
		}
		return (configured == null || started.isAfter(configured)) ? started : configured;
	}

	/** Counts a chat answer sent in full, whole or streamed, with the usage the simulator counted for it. */
	void answered(int promptTokens, int outputTokens) {
		this.answers.increment();
		this.answeredPromptTokens.add(promptTokens);
		this.answeredOutputTokens.add(outputTokens);
	}

	void streamCompleted() {
		this.completedStreams.increment();
	}

	void streamCancelled() {
		this.cancelledStreams.increment();
	}

	void answerCancelled() {
		this.cancelledAnswers.increment();
	}

	void streamAborted() {
		this.abortedStreams.increment();
	}

	/**
	 * What arrived for one model. Plain volatile fields rather than map entries, so recording takes no lock
	 * when every event loop records the same model at benchmark rates.
	 */
	private static final class ModelRecord {

		final LongAdder count = new LongAdder();

		volatile @Nullable JsonNode lastBody;

		// The request's own header object, copied only when a test asks for it.
		volatile @Nullable HttpHeaders lastHeaders;

	}

}
