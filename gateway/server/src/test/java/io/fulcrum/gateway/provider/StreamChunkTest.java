package io.fulcrum.gateway.provider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamChunkTest {

	@Test
	void findsUsageWhateverTheJsonFormatting() {
		assertThat(StreamChunk.ofJson("{\"choices\":[],\"usage\":{\"prompt_tokens\":3}}").hasUsage()).isTrue();
		assertThat(StreamChunk.ofJson("{\"choices\": [], \"usage\" : {\"prompt_tokens\": 3}}").hasUsage()).isTrue();
		assertThat(StreamChunk.ofJson("{\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":null}").hasUsage())
			.isFalse();
	}

	@Test
	void usageOnlyChunkHasNoChoices() {
		assertThat(StreamChunk.ofJson("{\"choices\":[],\"usage\":{\"prompt_tokens\":3}}").isUsageOnly()).isTrue();
		assertThat(StreamChunk.ofJson("{\"choices\":[{\"delta\":{}}],\"usage\":{\"prompt_tokens\":3}}").isUsageOnly())
			.isFalse();
	}

	@Test
	void outputIsNonEmptyTextOrAToolCallButNotTheOpeningRoleChunk() {
		assertThat(StreamChunk.ofJson("{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}")
			.hasOutput()).isFalse();
		assertThat(StreamChunk.ofJson("{\"choices\": [{\"delta\": {\"content\": \" hi\"}}]}").hasOutput()).isTrue();
		assertThat(StreamChunk
			.ofJson("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\"}}]}}]}")
			.hasOutput()).isTrue();
		assertThat(StreamChunk.ofJson("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}").hasOutput())
			.isFalse();
	}

	@Test
	void anEmptyContentIsToldFromTheTextWithoutParsing() {
		// Malformed after the content: parsing would throw, so an answer shows the chunk was not parsed.
		assertThat(StreamChunk.ofJson("{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\": \"\"}}] !")
			.hasOutput()).isFalse();
		assertThat(StreamChunk.ofJson("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"}},"
				+ "{\"index\":1,\"delta\":{\"content\":\"hi\"}}]}")
			.hasOutput()).isTrue();
	}

	@Test
	void keepsTheReceivedTextAndParsesOnlyOnDemand() {
		String json = "{\"id\":\"x\",  \"choices\":[]}";
		StreamChunk chunk = StreamChunk.ofJson(json);
		assertThat(chunk.json()).isSameAs(json);
		assertThat(chunk.node().path("id").asString()).isEqualTo("x");
	}

}
