package io.fulcrum.gateway.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackendLoadReportTest {

	@Test
	void readsVllmsLoadGaugesSummingModelsAndKeepingTheFullestCache() {
		String exposition = """
				# HELP vllm:num_requests_running Number of requests in model execution batches.
				# TYPE vllm:num_requests_running gauge
				vllm:num_requests_running{engine="0",model_name="llama"} 6.0
				vllm:num_requests_running{engine="0",model_name="qwen"} 2.0
				vllm:num_requests_waiting{engine="0",model_name="llama"} 3.0 1732780000000
				vllm:kv_cache_usage_perc{engine="0",model_name="llama"} 0.42
				vllm:kv_cache_usage_perc{engine="0",model_name="qwen"} 0.87
				vllm:time_to_first_token_seconds_bucket{le="0.1"} 12
				""";
		assertThat(BackendLoadReport.parse(exposition)).isEqualTo(new BackendLoadReport(8, 3, 0.87));
	}

	@Test
	void readsTheOlderCacheGaugeName() {
		assertThat(BackendLoadReport.parse("vllm:num_requests_waiting 1\nvllm:gpu_cache_usage_perc 0.5\n"))
			.isEqualTo(new BackendLoadReport(0, 1, 0.5));
	}

	@Test
	void anExpositionWithoutQueueGaugesIsNotABackendReport() {
		assertThat(BackendLoadReport.parse("process_cpu_seconds_total 12.5\n")).isNull();
	}

}
