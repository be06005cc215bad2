package io.fulcrum.gateway.routing;

import java.io.IOException;
import java.time.Duration;

import io.fulcrum.gateway.provider.ProviderException;
import io.fulcrum.routing.telemetry.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RouterFeedbackTest {

	@Test
	void tellsTheDeploymentsFaultsApartFromTheClients() {
		assertThat(RouterFeedback.outcome(ProviderException.forStatus(429, "slow down", Duration.ofSeconds(2))))
			.isEqualTo(Outcome.RATE_LIMITED);
		assertThat(RouterFeedback.outcome(ProviderException.forStatus(503, "down", null))).isEqualTo(Outcome.ERROR);
		assertThat(RouterFeedback.outcome(ProviderException.timeout("no first token"))).isEqualTo(Outcome.TIMEOUT);
		assertThat(RouterFeedback.outcome(ProviderException.forStatus(401, "bad key", null))).isEqualTo(Outcome.ERROR);
		assertThat(RouterFeedback.outcome(ProviderException.forStatus(400, "bad request", null))).isNull();
		assertThat(RouterFeedback.outcome(new IOException("connection reset"))).isEqualTo(Outcome.ERROR);
	}

}
