package io.fulcrum.gateway.provider;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import io.fulcrum.gateway.catalog.ProviderEndpoint;
import io.fulcrum.protocol.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP side of provider calls: one pooled Reactor Netty client per provider, a POST helper, and the mapping of
 * upstream error responses and connection failures to {@link ProviderException}s. Provider adapters supply the
 * headers and what to do with a successful response.
 */
public final class UpstreamHttp implements AutoCloseable {

	private static final int MAX_ERROR_BODY = 64 * 1024;

	private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

	private final Map<String, ConnectionProvider> pools = new ConcurrentHashMap<>();

	private final ProviderLimits.Listener limits;

	/** @param limits told the rate limits each response reports, per deployment */
	public UpstreamHttp(ProviderLimits.Listener limits) {
		this.limits = limits;
	}

	private HttpClient client(ProviderEndpoint provider) {
		return this.clients.computeIfAbsent(provider.id(), id -> {
			ConnectionProvider pool = ConnectionProvider.builder("fulcrum-" + id)
				.maxConnections(provider.maxConnections())
				.pendingAcquireMaxCount(-1)
				.pendingAcquireTimeout(provider.connectTimeout().plusSeconds(5))
				.maxIdleTime(Duration.ofSeconds(50))
				.build();
			this.pools.put(id, pool);
			return HttpClient.create(pool)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) provider.connectTimeout().toMillis())
				// Headers and body go out as separate writes; with Nagle on, the body would wait for the peer's
				// delayed ACK of the headers (milliseconds on every call).
				.option(ChannelOption.TCP_NODELAY, true)
				.keepAlive(true);
		});
	}

	/**
	 * POSTs {@code body} to {@code url} for {@code deploymentId} and hands a 2xx response to {@code onSuccess}; any
	 * other status becomes a {@link ProviderException} built from the provider's error body. Rate-limit headers of
	 * any response go to the {@link ProviderLimits.Listener}.
	 */
	public <T> Flux<T> post(ProviderEndpoint provider, String deploymentId, String url, byte[] body,
			java.util.function.Consumer<HttpHeaders> headers,
			BiFunction<HttpClientResponse, ByteBufFlux, Publisher<T>> onSuccess) {
		return client(provider).headers(h -> {
			h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
			h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
			provider.headers().forEach(h::set);
			headers.accept(h);
		})
			.post()
			.uri(url)
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
			.response((response, content) -> {
				ProviderLimits reported = ProviderLimits.from(response.responseHeaders(), Instant.now());
				if (reported != null) {
					this.limits.observed(deploymentId, reported);
				}
				int status = response.status().code();
				if (status >= 200 && status < 300) {
					return onSuccess.apply(response, content);
				}
				return content.aggregate()
					.asString(StandardCharsets.UTF_8)
					.defaultIfEmpty("")
					.flatMap(text -> Mono.error(ProviderException.forStatus(status,
							"upstream returned HTTP " + status + errorDetail(text), retryAfter(response))));
			})
			.onErrorMap(ex -> !(ex instanceof ProviderException),
					ex -> ProviderException.connection("could not reach provider '" + provider.id() + "' ("
							+ ex.getClass().getSimpleName() + ")", ex));
	}

	/** The provider's own error message, when its body has one in OpenAI's or Anthropic's shape. */
	static String errorDetail(String body) {
		if (body.isEmpty() || body.length() > MAX_ERROR_BODY) {
			return "";
		}
		try {
			JsonNode error = Json.parse(body).path("error");
			String message = error.isObject() ? Json.string(error, "message") : null;
			if (message == null) {
				return "";
			}
			return ": " + (message.length() > 300 ? message.substring(0, 300) + "…" : message);
		}
		catch (RuntimeException notJson) {
			return "";
		}
	}

	static @Nullable Duration retryAfter(HttpClientResponse response) {
		String value = response.responseHeaders().get("retry-after");
		if (value == null) {
			return null;
		}
		try {
			return Duration.ofMillis((long) (Double.parseDouble(value.trim()) * 1000));
		}
		catch (NumberFormatException httpDate) {
			return null;
		}
	}

	@Override
	public void close() {
		this.pools.values().forEach(ConnectionProvider::dispose);
	}

}
