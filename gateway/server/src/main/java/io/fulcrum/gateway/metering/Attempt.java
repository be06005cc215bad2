package io.fulcrum.gateway.metering;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.dispatch.InferenceRequest;
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

	private boolean receivedAny;

	private @Nullable JsonNode usage;

	private final StringBuilder output = new StringBuilder();

	private boolean finished;

	public Attempt(InferenceRequest request, Deployment deployment, int number) {
		this.request = request;
		this.deployment = deployment;
		this.number = number;
	}

	/** Records a streamed {@code chat.completion.chunk}. */
	public synchronized void observeChunk(JsonNode chunk) {
		this.receivedAny = true;
		JsonNode usageNode = chunk.get("usage");
		if (usageNode != null && usageNode.isObject()) {
			this.usage = usageNode;
		}
		for (JsonNode choice : chunk.path("choices")) {
			JsonNode delta = choice.path("delta");
			appendText(delta);
		}
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
		JsonNode content = messageOrDelta.get("content");
		boolean produced = false;
		if (content != null && content.isString() && !content.asString().isEmpty()) {
			this.output.append(content.asString());
			produced = true;
		}
		for (JsonNode call : messageOrDelta.path("tool_calls")) {
			this.output.append(call.path("function").path("name").asString(""));
			this.output.append(call.path("function").path("arguments").asString(""));
			produced = true;
		}
		if (produced) {
			markFirstToken();
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

	public synchronized boolean receivedAny() {
		return this.receivedAny;
	}

	synchronized @Nullable JsonNode usage() {
		return this.usage;
	}

	synchronized String output() {
		return this.output.toString();
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
