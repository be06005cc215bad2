package io.fulcrum.gateway.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import io.fulcrum.routing.Router;
import io.fulcrum.routing.policy.PolicyException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Applies a policy file again whenever it changes (e.g. a Kubernetes ConfigMap update), without a restart. A file
 * that does not parse or does not fit the deployments is logged and ignored: the policies in force stay.
 */
public final class PolicyFileWatcher implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(PolicyFileWatcher.class);

	private final Path file;

	private final Router router;

	private @Nullable FileTime lastModified;

	private final Disposable polling;

	public PolicyFileWatcher(Path file, Router router, Duration interval) {
		this.file = file;
		this.router = router;
		this.lastModified = modified();
		// File reads block: they run on the bounded-elastic scheduler, never on an event loop.
		this.polling = Flux.interval(interval, interval, Schedulers.boundedElastic()).subscribe(tick -> check());
	}

	/** Applies the file if it changed since the last look; returns whether it applied a new version. */
	synchronized boolean check() {
		FileTime modified = modified();
		if (modified == null || modified.equals(this.lastModified)) {
			return false;
		}
		this.lastModified = modified;
		try {
			this.router.apply(PolicySource.read(this.file));
			log.info("Applied routing policies from {}", this.file);
			return true;
		}
		catch (PolicyException ex) {
			log.error("Ignored the changed routing policy file {}; the policies in force stay: {}", this.file,
					String.join("; ", ex.problems()));
			return false;
		}
	}

	private @Nullable FileTime modified() {
		try {
			return Files.getLastModifiedTime(this.file);
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Override
	public void close() {
		this.polling.dispose();
	}

}
