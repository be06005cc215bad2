package io.fulcrum.simulator;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The optional API key check: with a key configured, a request must carry it as OpenAI's
 * {@code Authorization: Bearer} or Anthropic's {@code x-api-key}. Lets tests prove the gateway forwards the
 * provider's secret.
 */
final class ApiKeyCheck {

	private final @Nullable String key;

	private final @Nullable String bearer;

	ApiKeyCheck(@Nullable String key) {
		this.key = key;
		this.bearer = (key != null) ? "Bearer " + key : null;
	}

	boolean accepts(HttpHeaders headers) {
		if (this.key == null) {
			return true;
		}
		String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
		if (authorization != null && authorization.equals(this.bearer)) {
			return true;
		}
		return this.key.equals(headers.get("x-api-key"));
	}

}
