package io.fulcrum.routing.simulator.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fulcrum.routing.simulator.SharedData;

class TraceReaderTest {

	@Test
	void readsTheAzureFormatAsPublishedWithArrivalsCountedFromTheFirstRow() throws IOException {
		List<TraceRequest> trace;
		try (Reader reader = new InputStreamReader(
				getClass().getResourceAsStream("/traces/azure-conv-excerpt.csv"), StandardCharsets.UTF_8)) {
			trace = TraceReader.read(reader, "azure-conv-excerpt.csv");
		}
		assertThat(trace).hasSize(300);
		TraceRequest first = trace.get(0);
		assertThat(first.arrivalNanos()).isZero();
		assertThat(first.promptTokens()).isEqualTo(374);
		assertThat(first.outputTokens()).isEqualTo(44);
		assertThat(first.tenant()).isNull();
		assertThat(first.sloClass()).isNull();
		// 18:15:46.6805900 to 18:15:50.9951690
		assertThat(trace.get(1).arrivalNanos()).isEqualTo(4_314_579_000L);
		assertThat(trace).isSortedAccordingTo((a, b) -> Long.compare(a.arrivalNanos(), b.arrivalNanos()));
		assertThat(trace).extracting(TraceRequest::index).containsExactlyElementsOf(
				java.util.stream.IntStream.range(0, 300).boxed().toList());
	}

	@Test
	void readsTheGenericFormatWithOptionalColumnsInAnyOrder() throws IOException {
		String csv = """
				slo_class,arrival_s,output_tokens,prompt_tokens,tenant
				batch,1.5,20,100,acme
				interactive,0.25,10,50,
				,3,0,7,globex
				""";
		List<TraceRequest> trace = TraceReader.read(new StringReader(csv), "t.csv");
		assertThat(trace).containsExactly(new TraceRequest(0, 250_000_000L, 50, 10, null, "interactive"),
				new TraceRequest(1, 1_500_000_000L, 100, 20, "acme", "batch"),
				new TraceRequest(2, 3_000_000_000L, 7, 0, "globex", null));
	}

	@Test
	void reportsABadRowWithItsLineNumber() {
		String csv = "arrival_s,prompt_tokens,output_tokens\n0,10,10\n1,ten,10\n";
		assertThatThrownBy(() -> TraceReader.read(new StringReader(csv), "bad.csv"))
			.isInstanceOf(TraceFormatException.class)
			.hasMessage("bad.csv:3: prompt_tokens 'ten' is not a non-negative whole number of tokens");
	}

	@Test
	void reportsAMissingColumnAndABadTimestamp() {
		assertThatThrownBy(() -> TraceReader.read(new StringReader("arrival_s,prompt_tokens\n1,2\n"), "x.csv"))
			.hasMessageContaining("x.csv:1: unknown trace header")
			.hasMessageContaining("missing [output_tokens]");
		assertThatThrownBy(() -> TraceReader.read(
				new StringReader("TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,1,2\n"), "a.csv"))
			.hasMessageContaining("a.csv:2: TIMESTAMP 'yesterday' is not a time");
		assertThatThrownBy(() -> TraceReader.read(new StringReader("arrival_s,prompt_tokens,output_tokens\n1,2\n"),
				"short.csv"))
			.hasMessage("short.csv:2: expected 3 columns, found 2");
		assertThatThrownBy(() -> TraceReader.read(new StringReader("arrival_s,prompt_tokens,output_tokens\n-1,2,3\n"),
				"neg.csv"))
			.hasMessageContaining("neg.csv:2: arrival_s '-1'");
	}

	@Test
	void refusesAnEmptyTrace() {
		assertThatThrownBy(() -> TraceReader.read(new StringReader(""), "e.csv")).hasMessage("e.csv: the trace is empty");
		assertThatThrownBy(() -> TraceReader.read(new StringReader("arrival_s,prompt_tokens,output_tokens\n"), "h.csv"))
			.hasMessage("h.csv: the trace has a header but no requests");
	}

	@Test
	void readsTheWholeSharedAzureTrace() throws IOException {
		Path trace = SharedData.azureConversationTrace();
		assumeTrue(Files.isRegularFile(trace), "shared trace not found at " + trace);
		List<TraceRequest> requests = TraceReader.read(trace);
		assertThat(requests).hasSize(19_366);
		// About 58 minutes from the first request to the last.
		assertThat(requests.get(requests.size() - 1).arrivalNanos() / 60e9).isBetween(57.0, 60.0);
	}

	@Test
	void repeatsATraceBackToBackWithFreshIndices() {
		List<TraceRequest> trace = List.of(new TraceRequest(0, 0, 1, 1, null, null),
				new TraceRequest(1, 2_000_000_000L, 1, 1, null, null));
		List<TraceRequest> repeated = Replay.repeat(trace, 3);
		assertThat(repeated).extracting(TraceRequest::arrivalNanos)
			.containsExactly(0L, 2_000_000_000L, 4_000_000_000L, 6_000_000_000L, 8_000_000_000L, 10_000_000_000L);
		assertThat(repeated).extracting(TraceRequest::index).containsExactly(0, 1, 2, 3, 4, 5);
		assertThat(Replay.limit(repeated, 2)).hasSize(2);
	}

}
