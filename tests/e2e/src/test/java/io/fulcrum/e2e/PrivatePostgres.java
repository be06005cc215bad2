package io.fulcrum.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for a test that stops and starts it: the machine's shared server (which other
 * tests use) is never touched. Made with the installed {@code initdb} and {@code pg_ctl} in a temporary directory,
 * on a free port, with trust authentication for user {@code postgres}; run as the {@code postgres} user when the
 * tests run as root, since PostgreSQL refuses to run as root.
 */
final class PrivatePostgres implements AutoCloseable {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final Path bin;

	private final Path directory;

	private final int port;

	private PrivatePostgres(Path bin, Path directory, int port) {
		this.bin = bin;
		this.directory = directory;
		this.port = port;
	}

	/** Creates a fresh cluster and starts it. */
	static PrivatePostgres start() throws IOException {
		Path bin = findBinaries();
		Path directory = Files.createTempDirectory("fulcrum-pg-",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		if (runningAsRoot()) {
			run(List.of("chown", "postgres:postgres", directory.toString()));
		}
		PrivatePostgres postgres = new PrivatePostgres(bin, directory, freePort());
		postgres.asPostgres(List.of(bin.resolve("initdb").toString(), "-D", postgres.data().toString(), "-U",
				"postgres", "--auth=trust", "-E", "UTF8", "--no-sync"));
		postgres.startServer();
		return postgres;
	}

	int port() {
		return this.port;
	}

	/** Stops the server the way a crash or a killed process would: no clean shutdown, connections just drop. */
	void crash() throws IOException {
		asPostgres(List.of(this.bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w",
				"stop"));
	}

	/** Starts the server again on the same port and data; returns when it accepts connections. */
	void startServer() throws IOException {
		asPostgres(List.of(this.bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l",
				this.directory.resolve("server.log").toString(), "-w", "-o",
				"-p " + this.port + " -k " + this.directory + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
	}

	@Override
	public void close() throws IOException {
		try {
			asPostgres(List.of(this.bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate",
					"-w", "stop"));
		}
		catch (IOException ex) {
			// Already stopped.
		}
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
	}

	private Path data() {
		return this.directory.resolve("data");
	}

	private void asPostgres(List<String> command) throws IOException {
		List<String> full = new ArrayList<>();
		if (runningAsRoot()) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(command);
		run(full);
	}

	private static void run(List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException("timed out: " + String.join(" ", command));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted: " + String.join(" ", command), ex);
		}
		String output = new String(process.getInputStream().readAllBytes());
		if (process.exitValue() != 0) {
			throw new IOException(
					"'" + String.join(" ", command) + "' exited with " + process.exitValue() + ":\n" + output);
		}
	}

	/** The newest installed PostgreSQL's binaries (Debian keeps each major version under /usr/lib/postgresql). */
	private static Path findBinaries() throws IOException {
		Path root = Path.of("/usr/lib/postgresql");
		if (Files.isDirectory(root)) {
			try (Stream<Path> versions = Files.list(root)) {
				var newest = versions.filter(version -> Files.isExecutable(version.resolve("bin/initdb")))
					.max(Comparator.comparingDouble(PrivatePostgres::versionOf));
				if (newest.isPresent()) {
					return newest.get().resolve("bin");
				}
			}
		}
		throw new IOException("PostgreSQL's initdb and pg_ctl are needed (Debian: apt-get install postgresql)");
	}

	private static double versionOf(Path directory) {
		try {
			return Double.parseDouble(directory.getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static boolean runningAsRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
