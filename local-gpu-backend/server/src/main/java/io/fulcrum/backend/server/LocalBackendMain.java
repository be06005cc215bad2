package io.fulcrum.backend.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.fulcrum.backend.batching.BatchLimits;
import io.fulcrum.backend.embedding.BundledModel;
import io.fulcrum.backend.embedding.ModelFiles;
import io.fulcrum.backend.embedding.ModelSource;
import io.fulcrum.backend.embedding.WindowPolicy;
import io.fulcrum.backend.encoder.Device;
import io.fulcrum.backend.generation.EngineLimits;
import io.fulcrum.backend.generation.GeneratorOptions;
import org.jspecify.annotations.Nullable;

/**
 * Runs the local backend from the command line:
 * {@code java -jar fulcrum-local-backend-all.jar --port=8090 --device=auto}. Options (all optional, defaults in
 * {@link BackendOptions#defaults()}): {@code --host}, {@code --port}, {@code --device=auto|cpu|cuda},
 * {@code --cpu-threads}, {@code --window}, {@code --window-policy=truncate|reject}, {@code --max-batch},
 * {@code --max-batch-tokens}, {@code --max-batch-wait-ms}, {@code --max-queue}, {@code --api-key-env} (the
 * environment variable holding the key clients must send), and {@code --model-id}, {@code --model-onnx},
 * {@code --model-tokenizer} to serve another BERT-family encoder from files instead of all-MiniLM-L6-v2.
 * <p>
 * Text generation: {@code --generation-model=FILE.gguf} serves a Llama-family model too, named
 * {@code --generation-model-id} (default: the file's name), with {@code --kv-cache-mb}, {@code --kv-block-size},
 * {@code --max-running}, {@code --max-step-tokens}, {@code --max-waiting} and {@code --prefix-caching=true|false}
 * (defaults in {@link GeneratorOptions#of} and {@link EngineLimits#defaults()}); it runs on {@code --device} too.
 */
public final class LocalBackendMain {

	private LocalBackendMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		CommandLine options;
		try {
			options = parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("fulcrum-local-backend: " + ex.getMessage());
			System.exit(2);
			return;
		}
		LocalBackendServer server = LocalBackendServer.start(options.options(), options.model(), options.generation());
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.close();
			stopped.countDown();
		}, "fulcrum-backend-shutdown"));
		stopped.await();
	}

	/** What the command line asks for: the server's options, the embedding model, and the generative model if any. */
	record CommandLine(BackendOptions options, ModelSource model, @Nullable GeneratorOptions generation) {
	}

	static CommandLine parse(String[] args) {
		Map<String, String> given = new LinkedHashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
			}
			given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		BackendOptions o = BackendOptions.defaults();
		BatchLimits b = o.batch();
		String host = given.remove("host");
		BackendOptions parsed = new BackendOptions(host != null ? host : o.host(), integer(given, "port", o.port()),
				given.containsKey("device") ? Device.fromConfig(given.remove("device")) : o.device(),
				integer(given, "cpu-threads", o.cpuThreads()), integer(given, "window", o.window()),
				given.containsKey("window-policy") ? WindowPolicy.fromConfig(given.remove("window-policy"))
						: o.windowPolicy(),
				new BatchLimits(integer(given, "max-batch", b.maxBatchItems()),
						integer(given, "max-batch-tokens", (int) b.maxBatchCost()),
						Duration.ofMillis(integer(given, "max-batch-wait-ms", (int) b.maxWait().toMillis())),
						integer(given, "max-queue", b.maxQueuedItems())),
				o.maxBodyBytes(), apiKey(given.remove("api-key-env")));
		ModelSource model = model(given.remove("model-id"), given.remove("model-onnx"), given.remove("model-tokenizer"));
		GeneratorOptions generation = generation(given, parsed);
		if (!given.isEmpty()) {
			throw new IllegalArgumentException("unknown options " + given.keySet());
		}
		return new CommandLine(parsed, model, generation);
	}

	private static @Nullable GeneratorOptions generation(Map<String, String> given, BackendOptions server) {
		String file = given.remove("generation-model");
		if (file == null) {
			for (String option : List.of("generation-model-id", "kv-cache-mb", "kv-block-size", "max-running",
					"max-step-tokens", "max-waiting", "prefix-caching")) {
				if (given.containsKey(option)) {
					throw new IllegalArgumentException("--" + option + " needs --generation-model");
				}
			}
			return null;
		}
		if (!Files.isRegularFile(Path.of(file))) {
			throw new IllegalArgumentException("no such file: " + file);
		}
		GeneratorOptions o = GeneratorOptions.of(Path.of(file)).withDevice(server.device())
			.withCpuThreads(server.cpuThreads());
		String id = given.remove("generation-model-id");
		EngineLimits l = o.limits();
		String prefix = given.remove("prefix-caching");
		if (prefix != null && !prefix.equals("true") && !prefix.equals("false")) {
			throw new IllegalArgumentException("--prefix-caching must be true or false, was '" + prefix + "'");
		}
		EngineLimits limits;
		try {
			limits = new EngineLimits(integer(given, "max-running", l.maxRunning()),
					integer(given, "max-step-tokens", l.maxStepTokens()), integer(given, "max-waiting", l.maxWaiting()),
					prefix == null ? l.prefixCaching() : Boolean.parseBoolean(prefix));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(ex.getMessage());
		}
		return o.withId(id != null ? id : o.id())
			.withCache(integer(given, "kv-block-size", o.blockSize()),
					(long) integer(given, "kv-cache-mb", (int) (o.cacheBytes() >> 20)) << 20)
			.withLimits(limits);
	}

	private static ModelSource model(String id, String onnx, String tokenizer) {
		if (id == null && onnx == null && tokenizer == null) {
			return BundledModel.ALL_MINILM_L6_V2;
		}
		if (id == null || onnx == null || tokenizer == null) {
			throw new IllegalArgumentException("--model-id, --model-onnx and --model-tokenizer go together");
		}
		for (String file : new String[] { onnx, tokenizer }) {
			if (!Files.isRegularFile(Path.of(file))) {
				throw new IllegalArgumentException("no such file: " + file);
			}
		}
		return new ModelFiles(id, Path.of(onnx), Path.of(tokenizer));
	}

	private static int integer(Map<String, String> given, String name, int fallback) {
		String value = given.remove(name);
		if (value == null) {
			return fallback;
		}
		try {
			return Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be an integer, was '" + value + "'");
		}
	}

	private static String apiKey(String env) {
		if (env == null) {
			return null;
		}
		String key = System.getenv(env);
		if (key == null || key.isBlank()) {
			throw new IllegalArgumentException("--api-key-env: environment variable " + env + " is not set");
		}
		return key.trim();
	}

}
