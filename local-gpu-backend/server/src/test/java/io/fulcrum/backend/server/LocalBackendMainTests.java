package io.fulcrum.backend.server;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.fulcrum.backend.embedding.BundledModel;
import io.fulcrum.backend.embedding.ModelFiles;
import io.fulcrum.backend.embedding.WindowPolicy;
import io.fulcrum.backend.encoder.Device;
import io.fulcrum.backend.generation.EngineLimits;
import io.fulcrum.backend.generation.GeneratorOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalBackendMainTests {

	@Test
	void withoutOptionsItServesMiniLmWithTheDefaults() {
		LocalBackendMain.CommandLine line = LocalBackendMain.parse(new String[0]);
		assertThat(line.options()).isEqualTo(BackendOptions.defaults());
		assertThat(line.model()).isEqualTo(BundledModel.ALL_MINILM_L6_V2);
	}

	@Test
	void everyOptionIsRead() {
		LocalBackendMain.CommandLine line = LocalBackendMain.parse(new String[] { "--host=0.0.0.0", "--port=9000",
				"--device=cpu", "--cpu-threads=3", "--window=128", "--window-policy=reject", "--max-batch=16",
				"--max-batch-tokens=2048", "--max-batch-wait-ms=2", "--max-queue=100" });
		BackendOptions o = line.options();
		assertThat(o.host()).isEqualTo("0.0.0.0");
		assertThat(o.port()).isEqualTo(9000);
		assertThat(o.device()).isEqualTo(Device.CPU);
		assertThat(o.cpuThreads()).isEqualTo(3);
		assertThat(o.window()).isEqualTo(128);
		assertThat(o.windowPolicy()).isEqualTo(WindowPolicy.REJECT);
		assertThat(o.batch().maxBatchItems()).isEqualTo(16);
		assertThat(o.batch().maxBatchCost()).isEqualTo(2048);
		assertThat(o.batch().maxWait()).isEqualTo(Duration.ofMillis(2));
		assertThat(o.batch().maxQueuedItems()).isEqualTo(100);
	}

	@Test
	void badOptionsAreNamed() {
		assertThatThrownBy(() -> LocalBackendMain.parse(new String[] { "--port=eighty" }))
			.hasMessage("--port must be an integer, was 'eighty'");
		assertThatThrownBy(() -> LocalBackendMain.parse(new String[] { "--colour=blue" }))
			.hasMessage("unknown options [colour]");
		assertThatThrownBy(() -> LocalBackendMain.parse(new String[] { "--device=tpu" }))
			.hasMessageContaining("expected auto, cpu or cuda");
		assertThatThrownBy(() -> LocalBackendMain.parse(new String[] { "--model-id=x" }))
			.hasMessage("--model-id, --model-onnx and --model-tokenizer go together");
	}

	@Test
	void anotherEncoderIsServedFromFilesUnderItsOwnName(@TempDir Path dir) throws Exception {
		Path onnx = dir.resolve("model.onnx");
		Path tokenizer = dir.resolve("tokenizer.json");
		try (InputStream in = BundledModel.class.getResourceAsStream(BundledModel.ALL_MINILM_L6_V2.onnxResource())) {
			Files.copy(in, onnx);
		}
		try (InputStream in = BundledModel.ALL_MINILM_L6_V2.tokenizerJson()) {
			Files.copy(in, tokenizer);
		}
		LocalBackendMain.CommandLine line = LocalBackendMain.parse(new String[] { "--port=0", "--cpu-threads=1",
				"--model-id=my-encoder", "--model-onnx=" + onnx, "--model-tokenizer=" + tokenizer });
		assertThat(line.model()).isEqualTo(new ModelFiles("my-encoder", onnx, tokenizer));
		try (LocalBackendServer server = LocalBackendServer.start(line.options(), line.model())) {
			assertThat(server.model().id()).isEqualTo("my-encoder");
			float[] fromFiles = server.model().embed(List.of(server.model().tokenize(0, "hello"))).join().get(0);
			assertThat(fromFiles).hasSize(384);
		}
	}

	@Test
	void generationOptionsAreReadAndNeedAModelFile(@TempDir Path dir) throws Exception {
		Path gguf = Files.writeString(dir.resolve("tiny-llama.gguf"), "not read while parsing");
		LocalBackendMain.CommandLine line = LocalBackendMain.parse(new String[] { "--device=cpu", "--cpu-threads=3",
				"--generation-model=" + gguf, "--kv-cache-mb=64", "--kv-block-size=32", "--max-running=8",
				"--max-step-tokens=256", "--max-waiting=20", "--prefix-caching=false" });
		GeneratorOptions g = line.generation();
		assertThat(g).isNotNull();
		assertThat(g.id()).isEqualTo("tiny-llama");
		assertThat(g.device()).isEqualTo(Device.CPU);
		assertThat(g.cpuThreads()).isEqualTo(3);
		assertThat(g.cacheBytes()).isEqualTo(64L << 20);
		assertThat(g.blockSize()).isEqualTo(32);
		assertThat(g.limits()).isEqualTo(new EngineLimits(8, 256, 20, false));
		assertThat(LocalBackendMain.parse(new String[] { "--generation-model=" + gguf, "--generation-model-id=story" })
			.generation()
			.id()).isEqualTo("story");
		assertThat(LocalBackendMain.parse(new String[0]).generation()).isNull();
		assertThatThrownBy(() -> LocalBackendMain.parse(new String[] { "--max-running=8" }))
			.hasMessageContaining("--max-running needs --generation-model");
		assertThatThrownBy(() -> LocalBackendMain.parse(new String[] { "--generation-model=" + dir.resolve("none.gguf") }))
			.hasMessageContaining("no such file");
		assertThatThrownBy(() -> LocalBackendMain.parse(
				new String[] { "--generation-model=" + gguf, "--max-running=8", "--max-step-tokens=4" }))
			.hasMessageContaining("maxStepTokens >= maxRunning");
	}

}
