package io.fulcrum.backend.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.fulcrum.backend.batching.BatchLimits;
import io.fulcrum.backend.embedding.BundledModel;
import io.fulcrum.backend.embedding.ModelFiles;
import io.fulcrum.backend.embedding.ModelSource;
import io.fulcrum.backend.embedding.WindowPolicy;
import io.fulcrum.backend.encoder.Device;

/**
 * Runs the local backend from the command line:
 * {@code java -jar fulcrum-local-backend-all.jar --port=8090 --device=auto}. Options (all optional, defaults in
 * {@link BackendOptions#defaults()}): {@code --host}, {@code --port}, {@code --device=auto|cpu|cuda},
 * {@code --cpu-threads}, {@code --window}, {@code --window-policy=truncate|reject}, {@code --max-batch},
 * {@code --max-batch-tokens}, {@code --max-batch-wait-ms}, {@code --max-queue}, {@code --api-key-env} (the
 * environment variable holding the key clients must send), and {@code --model-id}, {@code --model-onnx},
 * {@code --model-tokenizer} to serve another BERT-family encoder from files instead of all-MiniLM-L6-v2.
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
		LocalBackendServer server = LocalBackendServer.start(options.options(), options.model());
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.close();
			stopped.countDown();
		}, "fulcrum-backend-shutdown"));
		stopped.await();
	}

	/** What the command line asks for: the server's options and the model to serve. */
	record CommandLine(BackendOptions options, ModelSource model) {
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
		if (!given.isEmpty()) {
			throw new IllegalArgumentException("unknown options " + given.keySet());
		}
		return new CommandLine(parsed, model);
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
