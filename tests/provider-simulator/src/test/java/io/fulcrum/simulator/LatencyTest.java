package io.fulcrum.simulator;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyTest {

	private static final String CHAT = "/v1/chat/completions";

	private static ProviderSimulator simulator;

	private static SimulatorClient client;

	@BeforeAll
	static void start() {
		simulator = ProviderSimulator.start(SimulatorOptions.defaults());
		client = new SimulatorClient(simulator);
	}

	@AfterAll
	static void stop() {
		simulator.close();
	}

	@BeforeEach
	void reset() {
		simulator.control().reset();
	}

	@Test
	void streamsFirstTokenAfterConfiguredTtft() throws Exception {
		simulator.control().setProfile("slow", ModelProfile.DEFAULT.withTtftMs(300));
		String body = "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

		long start = System.nanoTime();
		HttpResponse<InputStream> response = SimulatorClient.send(client.request(CHAT)
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream in = response.body()) {
			assertThat(in.read()).isNotNegative();
		}
		Duration firstByte = Duration.ofNanos(System.nanoTime() - start);

		assertThat(firstByte).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
	}

	@Test
	void delaysWholeAnswersByTtftAndDecodeTime() {
		// 100 ms to the first token, then 4 more tokens 50 ms apart: 300 ms in all.
		simulator.control()
			.setProfile("paced",
					ModelProfile.DEFAULT.withTtftMs(100).withTokensPerSecond(20).withDefaultOutputTokens(5));

		long start = System.nanoTime();
		HttpResponse<String> response = client.post(CHAT,
				"{\"model\":\"paced\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(elapsed).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
	}

	@Test
	void pacesStreamedTokensAtTokensPerSecond() {
		simulator.control()
			.setProfile("paced", ModelProfile.DEFAULT.withTokensPerSecond(20).withDefaultOutputTokens(6));

		long start = System.nanoTime();
		SimulatorClient.StreamResult stream = client.stream(CHAT,
				"{\"model\":\"paced\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

		assertThat(stream.data()).hasSize(1 + 6 + 1);
		// Five 50 ms gaps between six tokens.
		assertThat(elapsed).isBetween(Duration.ofMillis(230), Duration.ofSeconds(3));
	}

	@Test
	void answersAtOnceWithoutLatency() {
		String request = "{\"model\":\"fast\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
		client.stream(CHAT, request);

		long start = System.nanoTime();
		for (int i = 0; i < 20; i++) {
			client.stream(CHAT, request);
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

		assertThat(elapsed).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void samplesLognormalTtftAroundTheMedianAndP99() {
		ModelProfile profile = ModelProfile.DEFAULT.withTtft(100, 400);
		long[] samples = new long[20_000];
		for (int i = 0; i < samples.length; i++) {
			samples[i] = Latency.ttftNanos(profile);
		}
		Arrays.sort(samples);

		double medianMs = samples[samples.length / 2] / 1e6;
		double p99Ms = samples[(int) (samples.length * 0.99)] / 1e6;
		assertThat(medianMs).isBetween(90.0, 110.0);
		assertThat(p99Ms).isBetween(330.0, 480.0);
		assertThat(Latency.ttftNanos(ModelProfile.DEFAULT)).isZero();
		assertThat(Latency.ttftNanos(ModelProfile.DEFAULT.withTtftMs(250))).isEqualTo(250_000_000L);
	}

}
