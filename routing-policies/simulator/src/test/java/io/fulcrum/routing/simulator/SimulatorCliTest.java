package io.fulcrum.routing.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorCliTest {

	@TempDir
	Path dir;

	private Path scenario;

	private Path trace;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeEach
	void files() throws IOException {
		this.scenario = Files.writeString(this.dir.resolve("scenario.yaml"), TestScenarios.THREE_HOSTED.formatted(""));
		StringBuilder csv = new StringBuilder("arrival_s,prompt_tokens,output_tokens,tenant\n");
		for (int i = 0; i < 500; i++) {
			csv.append(i * 0.2).append(',').append(300 + i % 700).append(',').append(50 + i % 200).append(",t")
				.append(i % 3)
				.append('\n');
		}
		this.trace = Files.writeString(this.dir.resolve("trace.csv"), csv);
	}

	private int run(String... args) {
		return SimulatorCli.run(args, new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void writesTheTableTheJsonAndThePlot() throws IOException {
		Path results = this.dir.resolve("results");
		int code = run("--scenario", this.scenario.toString(), "--trace", this.trace.toString(), "--out",
				results.toString(), "--seed", "3");
		assertThat(code).as(err()).isZero();
		assertThat(out()).contains("policy", "fulcrum", "cheapest", "fastest", "round-robin", "least-busy", "oracle",
				"ttft p50/p95/p99 s", "rejected (shed) and failed requests are SLO misses");
		String json = Files.readString(results.resolve(SimulatorRunner.JSON));
		assertThat(json).contains("\"scenario\": \"three-hosted\"", "\"seed\": 3", "\"policy\": \"oracle\"",
				"\"cost_per_million_tokens_usd\"", "\"timeline_per_minute\": {\"requests\": [",
				"\"class_attainment\": {\"interactive\"", "\"p99\"");
		String svg = Files.readString(results.resolve(SimulatorRunner.PLOT));
		assertThat(svg).startsWith("<svg").contains(">fulcrum<", "oracle: $", "SLO attainment", "total cost (USD)")
			.endsWith("</svg>\n");
		assertThat(Files.readString(results.resolve(SimulatorRunner.TABLE))).contains("least-busy");
	}

	@Test
	void runsTheChosenPoliciesOnARepeatedOrShortenedTrace() {
		int code = run("--scenario", this.scenario.toString(), "--trace", this.trace.toString(), "--policies",
				"fulcrum,oracle", "--repeat", "3", "--limit", "100");
		assertThat(code).as(err()).isZero();
		assertThat(out()).contains("300 requests").doesNotContain("least-busy");
	}

	@Test
	void explainsWhatItDoes() {
		assertThat(run("--help")).isZero();
		assertThat(out()).contains("--scenario FILE", "--policies LIST", "fulcrum,fulcrum-hedged,cheapest,fastest");
	}

	@Test
	void refusesBadInputWithExitCode2AndAClearMessage() throws IOException {
		assertThat(run("--trace", this.trace.toString())).isEqualTo(2);
		assertThat(err()).contains("--scenario and --trace are required");

		assertThat(run("--scenario", "missing.yaml", "--trace", this.trace.toString())).isEqualTo(2);
		assertThat(err()).contains("--scenario: no such file 'missing.yaml'");

		assertThat(run("--scenario", this.scenario.toString(), "--trace", this.trace.toString(), "--policies",
				"fulcrum,psychic")).isEqualTo(2);
		assertThat(err()).contains("unknown policy 'psychic'");

		assertThat(run("--scenario", this.scenario.toString(), "--trace", this.trace.toString(), "--repeat", "0"))
			.isEqualTo(2);
		assertThat(err()).contains("--repeat needs a whole number >= 1, got '0'");

		Path badTrace = Files.writeString(this.dir.resolve("bad.csv"), "arrival_s,prompt_tokens,output_tokens\n1,x,2\n");
		assertThat(run("--scenario", this.scenario.toString(), "--trace", badTrace.toString())).isEqualTo(2);
		assertThat(err()).contains("bad.csv:2: prompt_tokens 'x'");

		Path badScenario = Files.writeString(this.dir.resolve("bad.yaml"), "alias: chat\n");
		assertThat(run("--scenario", badScenario.toString(), "--trace", this.trace.toString())).isEqualTo(2);
		assertThat(err()).contains("bad.yaml is not a valid scenario", "deployments: is required");

		Path unknownClass = Files.writeString(this.dir.resolve("classes.csv"),
				"arrival_s,prompt_tokens,output_tokens,slo_class\n0,10,10,gold\n");
		assertThat(run("--scenario", this.scenario.toString(), "--trace", unknownClass.toString())).isEqualTo(2);
		assertThat(err()).contains("SLO class 'gold'");
	}

}
