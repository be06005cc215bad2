package io.fulcrum.gateway.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.fulcrum.routing.DeploymentProfile;
import io.fulcrum.routing.LatencyPrior;
import io.fulcrum.routing.Router;
import io.fulcrum.routing.RoutingTable;
import io.fulcrum.routing.TokenPrices;
import io.fulcrum.routing.policy.PolicyDocument;
import io.fulcrum.routing.scoring.Objective;
import io.fulcrum.routing.telemetry.TelemetrySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyFileWatcherTest {

	@TempDir
	Path dir;

	private final Router router = new Router(TelemetrySettings.DEFAULTS, () -> 0.5);

	@Test
	void appliesTheFileWhenItChangesAndKeepsThePoliciesInForceWhenTheNewOneIsInvalid() throws Exception {
		this.router.configure(Map.of("chat", List.of(new RoutingTable.Ranked(new DeploymentProfile("d", "p", false,
				TokenPrices.FREE, LatencyPrior.UNKNOWN, 0), 0))), PolicyDocument.EMPTY);
		Path file = this.dir.resolve("policies.yaml");
		Files.writeString(file, "chat: { objective: latency-first }\n");
		try (PolicyFileWatcher watcher = new PolicyFileWatcher(file, this.router, Duration.ofHours(1))) {
			assertThat(watcher.check()).as("unchanged since it was created").isFalse();

			Files.writeString(file, "chat: { objective: weighted }\n");
			touch(file, 10);
			assertThat(watcher.check()).isTrue();
			assertThat(this.router.policies().aliases().get("chat").scoring().objective())
				.isEqualTo(Objective.WEIGHTED);

			Files.writeString(file, "chat: { objective: nonsense }\n");
			touch(file, 20);
			assertThat(watcher.check()).isFalse();
			assertThat(this.router.policies().aliases().get("chat").scoring().objective())
				.isEqualTo(Objective.WEIGHTED);
		}
	}

	/** File systems with coarse timestamps would hide quick successive writes; move the time on explicitly. */
	private static void touch(Path file, int secondsAhead) throws Exception {
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsAhead)));
	}

}
