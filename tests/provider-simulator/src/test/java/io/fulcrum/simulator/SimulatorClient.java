package io.fulcrum.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.fulcrum.protocol.Json;
import io.fulcrum.protocol.sse.SseDecoder;
import io.fulcrum.protocol.sse.SseEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blocking test client for a running simulator, on the JDK's HTTP client.
 */
final class SimulatorClient {

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	SimulatorClient(ProviderSimulator simulator) {
		this.baseUrl = simulator.baseUrl();
	}

	HttpResponse<String> post(String path, String body, String... headers) {
		return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
	}

	HttpResponse<String> put(String path, String body) {
		return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
	}

	HttpResponse<String> get(String path, String... headers) {
		return send(request(path, headers).GET().build());
	}

	/** Posts a streaming request and decodes its events, up to where the stream ended or broke. */
	StreamResult stream(String path, String body, String... headers) {
		HttpRequest request = request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build();
		try {
			HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			IOException failure = null;
			try (InputStream in = response.body()) {
				in.transferTo(bytes);
			}
			catch (IOException ex) {
				failure = ex;
			}
			SseDecoder decoder = new SseDecoder();
			List<SseEvent> events = new ArrayList<>(decoder.feed(bytes.toByteArray()));
			events.addAll(decoder.finish());
			return new StreamResult(response, events, failure);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode json(HttpResponse<String> response) {
		return Json.parse(response.body());
	}

	HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(10))
			.header("content-type", "application/json");
		if (headers.length > 0) {
			builder.headers(headers);
		}
		return builder;
	}

	static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
		try {
			return http.send(request, handler);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A stream's response, its events and the error that broke it, if any.
	 */
	record StreamResult(HttpResponse<InputStream> response, List<SseEvent> events, @Nullable IOException failure) {

		List<JsonNode> data() {
			return this.events.stream()
				.filter((event) -> !event.isDone())
				.map((event) -> Json.parse(event.data()))
				.toList();
		}

		List<String> names() {
			return this.events.stream().map(SseEvent::event).toList();
		}

	}

	/** Polls {@code condition} every 10 ms for up to 5 s; fails the test if it never holds. */
	static void awaitUntil(BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
