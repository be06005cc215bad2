package io.fulcrum.gateway.cache;

import java.nio.charset.StandardCharsets;

import io.fulcrum.billing.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * A cached answer: the complete response body as the client received it (a {@code chat.completion}, assembled from
 * the chunks when the original was streamed, or an embeddings list), and what producing it took (deployment,
 * upstream model, usage) so that a hit can record what it saved.
 *
 * @param body the response JSON
 * @param deploymentId the deployment that produced it
 * @param upstreamModel the model name that deployment was sent
 * @param usage its tokens
 * @param similarity on a semantic hit, the cosine similarity of the request to the entry's; {@code null} otherwise
 * (stored entries and exact hits)
 */
public record CachedResponse(byte[] body, String deploymentId, String upstreamModel, TokenUsage usage,
		@Nullable Double similarity) {

	public CachedResponse(byte[] body, String deploymentId, String upstreamModel, TokenUsage usage) {
		this(body, deploymentId, upstreamModel, usage, null);
	}

	/** This entry as a semantic hit with {@code similarity}. */
	public CachedResponse withSimilarity(double similarity) {
		return new CachedResponse(this.body, this.deploymentId, this.upstreamModel, this.usage, similarity);
	}

	private static final String VERSION = "c1";

	/** Bytes held for the entry, near enough to bound a store's memory. */
	public int weight() {
		return this.body.length + this.deploymentId.length() + this.upstreamModel.length() + 64;
	}

	/** One header line (version, deployment, model, tokens; tab-separated), then the body. */
	public byte[] encode() {
		String header = VERSION + '\t' + this.deploymentId + '\t' + this.upstreamModel + '\t'
				+ this.usage.inputOrZero() + '\t' + this.usage.cachedInputOrZero() + '\t' + this.usage.outputOrZero()
				+ '\t' + this.usage.estimated() + '\n';
		byte[] head = header.getBytes(StandardCharsets.UTF_8);
		byte[] out = new byte[head.length + this.body.length];
		System.arraycopy(head, 0, out, 0, head.length);
		System.arraycopy(this.body, 0, out, head.length, this.body.length);
		return out;
	}

	/** The entry {@link #encode} wrote, or {@code null} for anything else (an older format: a miss). */
	public static @Nullable CachedResponse decode(byte[] bytes) {
		int newline = -1;
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == '\n') {
				newline = i;
				break;
			}
		}
		if (newline < 0) {
			return null;
		}
		String[] f = new String(bytes, 0, newline, StandardCharsets.UTF_8).split("\t", -1);
		if (f.length != 7 || !VERSION.equals(f[0])) {
			return null;
		}
		try {
			TokenUsage usage = new TokenUsage(Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
					Boolean.parseBoolean(f[6]));
			byte[] body = new byte[bytes.length - newline - 1];
			System.arraycopy(bytes, newline + 1, body, 0, body.length);
			return new CachedResponse(body, f[1], f[2], usage);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
