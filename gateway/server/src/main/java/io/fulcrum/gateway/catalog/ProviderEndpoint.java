package io.fulcrum.gateway.catalog;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A provider Fulcrum calls: its protocol, where it is, how to authenticate and how long to wait.
 *
 * @param baseUrl for OpenAI-compatible providers the URL that {@code /chat/completions} is appended to (e.g.
 * {@code https://api.openai.com/v1}); for Anthropic the host URL that {@code /v1/messages} is appended to
 * @param firstTokenTimeout longest wait for the first streamed chunk
 * @param totalTimeout longest wait for a whole response or stream
 * @param headers extra headers sent with every call (e.g. an Anthropic beta flag)
 * @param metricsUrl where a local backend reports its load in Prometheus format, or {@code null}
 */
public record ProviderEndpoint(String id, ProviderKind kind, String baseUrl, Secret apiKey, Duration connectTimeout,
		Duration firstTokenTimeout, Duration totalTimeout, int maxConnections, Map<String, String> headers,
		@Nullable String metricsUrl) {

}
