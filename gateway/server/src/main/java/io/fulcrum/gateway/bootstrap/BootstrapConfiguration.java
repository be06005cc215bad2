package io.fulcrum.gateway.bootstrap;

import java.nio.file.Files;
import java.nio.file.Path;

import io.fulcrum.backend.batching.BatchLimits;
import io.fulcrum.backend.embedding.BundledModel;
import io.fulcrum.backend.embedding.WindowPolicy;
import io.fulcrum.backend.encoder.Device;
import io.fulcrum.backend.generation.EngineLimits;
import io.fulcrum.backend.generation.GeneratorOptions;
import io.fulcrum.backend.server.BackendOptions;
import io.fulcrum.backend.server.LocalBackendServer;
import io.fulcrum.billing.account.AccountStore;
import io.fulcrum.gateway.config.FulcrumProperties;
import io.fulcrum.simulator.ModelProfile;
import io.fulcrum.simulator.ProviderSimulator;
import io.fulcrum.simulator.SimulatorOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default's pieces: the in-process provider simulator, the in-process local backend (embeddings on
 * this machine's CPU or GPU) and the demo tenant.
 */
@Configuration(proxyBeanMethods = false)
class BootstrapConfiguration {

	private static final Logger log = LoggerFactory.getLogger(BootstrapConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "fulcrum.simulator.enabled", havingValue = "true")
	ProviderSimulator providerSimulator(FulcrumProperties properties) {
		FulcrumProperties.Simulator config = properties.simulator();
		ModelProfile profile = ModelProfile.DEFAULT.withTtftMs(config.ttftMillis())
			.withTokensPerSecond(config.tokensPerSecond());
		return ProviderSimulator.start(SimulatorOptions.defaults().withPort(config.port()).withDefaultProfile(profile));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "fulcrum.local-backend.enabled", havingValue = "true")
	LocalBackendServer localBackendServer(FulcrumProperties properties) {
		FulcrumProperties.LocalBackend config = properties.localBackend();
		BackendOptions defaults = BackendOptions.defaults();
		BackendOptions options = new BackendOptions(defaults.host(), config.port(), Device.fromConfig(config.device()),
				config.cpuThreads() > 0 ? config.cpuThreads() : defaults.cpuThreads(), config.window(),
				WindowPolicy.fromConfig(config.windowPolicy()), new BatchLimits(config.maxBatch(),
						config.maxBatchTokens(), config.maxBatchWait(), config.maxQueue()),
				defaults.maxBodyBytes(), null);
		return LocalBackendServer.start(options, BundledModel.ALL_MINILM_L6_V2, generation(config, options));
	}

	/** The generative model the local backend serves too, if one is configured and (when optional) present. */
	private static @Nullable GeneratorOptions generation(FulcrumProperties.LocalBackend config, BackendOptions server) {
		if (config.generationModel() == null || config.generationModel().isBlank()) {
			return null;
		}
		Path file = Path.of(config.generationModel());
		if (!Files.isRegularFile(file)) {
			if (config.generationModelRequired()) {
				throw new IllegalStateException("fulcrum.local-backend.generation-model: no such file " + file.toAbsolutePath());
			}
			log.warn("fulcrum.local-backend.generation-model {} does not exist; the local backend serves no text"
					+ " generation (generation-model-required is false)", file.toAbsolutePath());
			return null;
		}
		GeneratorOptions options = GeneratorOptions.of(file).withDevice(server.device())
			.withCpuThreads(server.cpuThreads())
			.withCache(16, (long) config.kvCacheMb() << 20)
			.withLimits(new EngineLimits(config.maxRunning(), Math.max(512, config.maxRunning()),
					EngineLimits.defaults().maxWaiting(), true));
		return config.generationModelId() != null ? options.withId(config.generationModelId()) : options;
	}

	@Bean
	@ConditionalOnProperty(name = "fulcrum.server.bootstrap-demo-tenant", havingValue = "true", matchIfMissing = true)
	DemoTenantBootstrap demoTenantBootstrap(AccountStore accounts, FulcrumProperties properties) {
		return new DemoTenantBootstrap(accounts, properties.server().bootstrapApiKey());
	}

}
