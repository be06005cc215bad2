package io.fulcrum.simulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SimulatorMainTest {

	@Test
	void defaultsToPort8181WithoutLatency() {
		SimulatorOptions options = SimulatorMain.parse(new String[0]);

		assertThat(options.port()).isEqualTo(8181);
		assertThat(options.host()).isEqualTo("127.0.0.1");
		assertThat(options.defaultProfile()).isEqualTo(ModelProfile.DEFAULT);
		assertThat(options.apiKey()).isNull();
	}

	@Test
	void readsLatencyAndSpeedOptions() {
		SimulatorOptions options = SimulatorMain
			.parse(new String[] { "--port=9000", "--ttft-ms=200", "--tps=50", "--output-tokens=64", "--api-key=k" });

		assertThat(options.port()).isEqualTo(9000);
		assertThat(options.defaultProfile()).isEqualTo(
				ModelProfile.DEFAULT.withTtftMs(200).withTokensPerSecond(50).withDefaultOutputTokens(64));
		assertThat(options.apiKey()).isEqualTo("k");
	}

	@Test
	void readsAP99AfterOrBeforeTheMedian() {
		assertThat(SimulatorMain.parse(new String[] { "--ttft-p99-ms=900", "--ttft-ms=300" }).defaultProfile())
			.isEqualTo(ModelProfile.DEFAULT.withTtft(300, 900));
	}

	@Test
	void rejectsUnknownOrMalformedOptions() {
		assertThatIllegalArgumentException().isThrownBy(() -> SimulatorMain.parse(new String[] { "--speed=1" }));
		assertThatIllegalArgumentException().isThrownBy(() -> SimulatorMain.parse(new String[] { "--port=x" }));
		assertThatIllegalArgumentException().isThrownBy(() -> SimulatorMain.parse(new String[] { "8181" }));
	}

}
