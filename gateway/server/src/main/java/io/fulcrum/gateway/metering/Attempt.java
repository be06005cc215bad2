package io.fulcrum.gateway.metering;

import java.util.ArrayList;
import java.util.List;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.dispatch.InferenceRequest;
import io.fulcrum.gateway.provider.Completion;
import io.fulcrum.gateway.provider.StreamChunk;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What one provider attempt has produced so far: whether anything arrived, when the first token came, the usage
 * the provider reported, and the generated text (to count tokens when no usage is reported). Chunks arrive
 * serially, but a client cancel may race with them, hence the locking.
 */
public final class Attempt {

	private final InferenceRequest request;

	private final Deployment deployment;

	private final int number;

	private final long startNanos = System.nanoTime();

	private long firstTokenNanos = -1;

	// Written under the lock, read without it: the dispatcher asks on every chunk, and the flag only ever turns on.
	private volatile boolean receivedAny;

	private @Nullable JsonNode usage;

	// Only needed when the provider reports no usage, which is rare: made on first use.
	private @Nullable StringBuilder output;

	private final List<StreamChunk> chunks = new ArrayList<>();

	private @Nullable Completion completion;

	private boolean finished;

	private @Nullable Throwable failure;

	public Attempt(InferenceRequest request, Deployment deployment, int number) {
		this.request = request;
		this.deployment = deployment;
		this.number = number;
	}

	/**
	 * Records a streamed chunk. Chunks are kept unparsed: their text is only needed to count tokens when the
	 * provider reports no usage, which {@link #output()} then does.
	 * @return whether this chunk carried the attempt's first token
	 */
	public synchronized boolean observeChunk(StreamChunk chunk) {
		this.receivedAny = true;
		boolean first = false;
		if (this.firstTokenNanos < 0 && chunk.hasOutput()) {
			markFirstToken();
			first = true;
		}
		if (chunk.hasUsage()) {
			this.usage = chunk.node().get("usage");
		}
		this.chunks.add(chunk);
		return first;
	}

	/**
	 * Records a whole chat completion. Like chunks, it stays unparsed unless its text is needed to count tokens.
	 */
	public synchronized void observeCompletion(Completion response) {
		this.receivedAny = true;
		markFirstToken();
		if (response.usage() != null) {
			this.usage = response.usage();
		}
		this.completion = response;
	}

	/** Records a whole response: a {@code chat.completion} or an embeddings list. */
	public synchronized void observeResponse(JsonNode response) {
		this.receivedAny = true;
		markFirstToken();
		JsonNode usageNode = response.get("usage");
		if (usageNode != null && usageNode.isObject()) {
			this.usage = usageNode;
		}
		for (JsonNode choice : response.path("choices")) {
			appendText(choice.path("message"));
		}
	}

	private void appendText(JsonNode messageOrDelta) {
		StringBuilder text = this.output;
		if (text == null) {
			text = new StringBuilder();
			this.output = text;
		}
		JsonNode content = messageOrDelta.get("content");
		if (content != null && content.isString()) {
			text.append(content.asString());
		}
		for (JsonNode call : messageOrDelta.path("tool_calls")) {
			text.append(call.path("function").path("name").asString(""));
			text.append(call.path("function").path("arguments").asString(""));
		}
	}

	private void markFirstToken() {
		if (this.firstTokenNanos < 0) {
			this.firstTokenNanos = System.nanoTime();
		}
	}

	/** Marks the attempt finished; returns {@code false} when it already was, so it is metered once. */
	synchronized boolean finish() {
		if (this.finished) {
			return false;
		}
		this.finished = true;
		return true;
	}

	/** Records why the attempt failed, for listeners that tell failures apart (timeouts, rate limits). */
	public synchronized void failedWith(Throwable failure) {
		this.failure = failure;
	}

	synchronized @Nullable Throwable failure() {
		return this.failure;
	}

	public boolean receivedAny() {
		return this.receivedAny;
	}

	synchronized @Nullable JsonNode usage() {
		return this.usage;
	}

	/** The generated text and tool-call arguments seen so far, streamed chunks parsed only now. */
	synchronized String output() {
		if (this.completion != null) {
			for (JsonNode choice : this.completion.node().path("choices")) {
				appendText(choice.path("message"));
			}
			this.completion = null;
		}
		for (StreamChunk chunk : this.chunks) {
			for (JsonNode choice : chunk.node().path("choices")) {
				appendText(choice.path("delta"));
			}
		}
		this.chunks.clear();
		return (this.output != null) ? this.output.toString() : "";
	}

	synchronized long firstTokenNanos() {
		return this.firstTokenNanos;
	}

	public InferenceRequest request() {
		return this.request;
	}

	public Deployment deployment() {
		return this.deployment;
	}

	public int number() {
		return this.number;
	}

	long startNanos() {
		return this.startNanos;
	}

}
