package io.fulcrum.gateway.bootstrap;

import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.gateway.config.FulcrumProperties;
import io.fulcrum.simulator.ModelProfile;
import io.fulcrum.simulator.ProviderSimulator;
import io.fulcrum.simulator.SimulatorOptions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The embedded default's demo pieces: the in-process provider simulator and the demo tenant. */
@Configuration(proxyBeanMethods = false)
class BootstrapConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "fulcrum.simulator.enabled", havingValue = "true")
	ProviderSimulator providerSimulator(FulcrumProperties properties) {
		FulcrumProperties.Simulator config = properties.simulator();
		ModelProfile profile = ModelProfile.DEFAULT.withTtftMs(config.ttftMillis())
			.withTokensPerSecond(config.tokensPerSecond());
		return ProviderSimulator.start(SimulatorOptions.defaults().withPort(config.port()).withDefaultProfile(profile));
	}

	@Bean
	@ConditionalOnProperty(name = "fulcrum.server.bootstrap-demo-tenant", havingValue = "true", matchIfMissing = true)
	DemoTenantBootstrap demoTenantBootstrap(AccountStore accounts, FulcrumProperties properties) {
		return new DemoTenantBootstrap(accounts, properties.server().bootstrapApiKey());
	}

}
