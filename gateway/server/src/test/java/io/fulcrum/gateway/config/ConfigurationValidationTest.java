package io.fulcrum.gateway.config;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fulcrum.gateway.FulcrumGatewayApplication;
import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.catalog.ProviderKind;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Start-up validation of the provider, deployment and model configuration: every problem is found in one pass and
 * named by its property, so an operator fixes them all at once.
 */
class ConfigurationValidationTest {

	private static final Map<String, String> ENVIRONMENT = Map.of("OPENAI_KEY", "sk-test-secret");

	private final CatalogFactory factory = new CatalogFactory(ENVIRONMENT::get, "http://127.0.0.1:9999");

	@Test
	void aValidConfigurationBecomesACatalog() {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("fulcrum.providers.openai.type", "OpenAI");
		config.put("fulcrum.providers.openai.base-url", "https://api.openai.com/v1/");
		config.put("fulcrum.providers.openai.api-key-env", "OPENAI_KEY");
		config.put("fulcrum.providers.sim.type", "anthropic");
		config.put("fulcrum.providers.sim.base-url", "embedded-simulator");
		config.put("fulcrum.deployments.gpt.provider", "openai");
		config.put("fulcrum.deployments.gpt.model", "gpt-4o");
		config.put("fulcrum.deployments.gpt.price.input", "2.50");
		config.put("fulcrum.deployments.claude.provider", "sim");
		config.put("fulcrum.deployments.claude.model", "claude-model");
		config.put("fulcrum.models.chat.deployments[0]", "gpt");
		config.put("fulcrum.models.chat.deployments[1]", "claude");

		DeploymentCatalog catalog = this.factory.create(bind(config));

		ModelAlias chat = catalog.alias("chat");
		assertThat(chat).isNotNull();
		assertThat(chat.type()).isEqualTo(ModelAlias.ModelType.CHAT);
		assertThat(chat.deployments()).extracting(Deployment::id).containsExactly("gpt", "claude");
		Deployment gpt = catalog.deployment("gpt");
		assertThat(gpt.provider().kind()).isEqualTo(ProviderKind.OPENAI);
		assertThat(gpt.provider().baseUrl()).isEqualTo("https://api.openai.com/v1");
		assertThat(gpt.provider().apiKey().reveal()).isEqualTo("sk-test-secret");
		assertThat(gpt.provider().apiKey().toString()).doesNotContain("sk-test-secret");
		assertThat(gpt.price().inputPerMillion()).isEqualByComparingTo("2.50");
		assertThat(gpt.price().cachedInputPerMillion()).as("cached input defaults to the input price")
			.isEqualByComparingTo("2.50");
		assertThat(catalog.deployment("claude").provider().baseUrl()).isEqualTo("http://127.0.0.1:9999");
	}

	@Test
	void everyProblemIsListedInOneException() {
		Map<String, String> config = new LinkedHashMap<>();
		// A sound provider and deployment, so that only the broken parts are reported.
		config.put("fulcrum.providers.good.type", "openai");
		config.put("fulcrum.providers.good.base-url", "https://api.example.com/v1");
		config.put("fulcrum.deployments.fine.provider", "good");
		config.put("fulcrum.deployments.fine.model", "m");
		// 1. unknown provider type
		config.put("fulcrum.providers.weird.type", "grpc");
		config.put("fulcrum.providers.weird.base-url", "https://weird.example.com");
		// 2. missing base-url
		config.put("fulcrum.providers.nourl.type", "openai");
		// 3. api-key-env naming an unset variable
		config.put("fulcrum.providers.secretive.type", "openai");
		config.put("fulcrum.providers.secretive.base-url", "https://secret.example.com/v1");
		config.put("fulcrum.providers.secretive.api-key-env", "FULCRUM_TEST_UNSET_KEY");
		// 4. deployment naming an unknown provider
		config.put("fulcrum.deployments.orphan.provider", "ghost");
		config.put("fulcrum.deployments.orphan.model", "m");
		// 5. alias naming an unknown deployment
		config.put("fulcrum.models.chat.deployments[0]", "fine");
		config.put("fulcrum.models.chat.deployments[1]", "missing");
		// 6. embeddings alias on an anthropic provider
		config.put("fulcrum.providers.claude.type", "anthropic");
		config.put("fulcrum.providers.claude.base-url", "https://api.anthropic.com");
		config.put("fulcrum.deployments.haiku.provider", "claude");
		config.put("fulcrum.deployments.haiku.model", "claude-haiku");
		config.put("fulcrum.models.embed.type", "embeddings");
		config.put("fulcrum.models.embed.deployments[0]", "haiku");
		// 7. negative price
		config.put("fulcrum.deployments.cheap.provider", "good");
		config.put("fulcrum.deployments.cheap.model", "m");
		config.put("fulcrum.deployments.cheap.price.input", "-1");
		// A deployment on a broken provider is not reported again: the provider's problem is the one to fix.
		config.put("fulcrum.deployments.on-weird.provider", "weird");
		config.put("fulcrum.deployments.on-weird.model", "m");
		FulcrumProperties properties = bind(config);

		InvalidConfigurationException ex = catchInvalid(properties);

		assertThat(ex.problems()).hasSize(7);
		assertThat(ex.problems()).anySatisfy(p -> assertThat(p).startsWith("fulcrum.providers.weird.type:"));
		assertThat(ex.problems()).contains("fulcrum.providers.nourl.base-url: required",
				"fulcrum.providers.secretive.api-key-env: environment variable FULCRUM_TEST_UNSET_KEY is not set",
				"fulcrum.deployments.orphan.provider: no provider 'ghost' is configured",
				"fulcrum.models.chat.deployments: no deployment 'missing' is configured",
				"fulcrum.models.embed.deployments: 'haiku' is on a anthropic provider, which serves no embeddings");
		assertThat(ex.problems()).anySatisfy(p -> assertThat(p).startsWith("fulcrum.deployments.cheap.price:")
			.contains("negative"));
		assertThat(ex.getMessage()).contains("7 problems");
		ex.problems().forEach(problem -> assertThat(ex.getMessage()).contains(problem));
		assertThat(ex.getMessage()).doesNotContain("sk-");
	}

	@Test
	void noModelsAtAllIsAProblem() {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("fulcrum.providers.good.type", "openai");
		config.put("fulcrum.providers.good.base-url", "https://api.example.com/v1");

		assertThat(catchInvalid(bind(config)).problems()).singleElement()
			.satisfies(p -> assertThat(p).startsWith("fulcrum.models:"));
	}

	@Test
	void theEmbeddedSimulatorNeedsTheSimulatorEnabled() {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("fulcrum.providers.sim.type", "openai");
		config.put("fulcrum.providers.sim.base-url", "embedded-simulator");
		config.put("fulcrum.providers.ftp.type", "openai");
		config.put("fulcrum.providers.ftp.base-url", "ftp://files.example.com");
		config.put("fulcrum.models.chat.deployments[0]", "nothing");

		InvalidConfigurationException ex = catchInvalid(bind(config), new CatalogFactory(ENVIRONMENT::get, null));

		assertThat(ex.problems()).contains(
				"fulcrum.providers.sim.base-url: 'embedded-simulator' needs fulcrum.simulator.enabled=true",
				"fulcrum.providers.ftp.base-url: 'ftp://files.example.com' is not an http(s) URL");
	}

	@Test
	void theApplicationDoesNotStartWithABadConfiguration() {
		SpringApplicationBuilder application = new SpringApplicationBuilder(FulcrumGatewayApplication.class)
			.profiles("it")
			.properties("server.port=0", "fulcrum.storage.embedded-path=target/it-db/bad-config");

		assertThatThrownBy(() -> application.run("--fulcrum.models.broken.deployments[0]=nope").close())
			.rootCause()
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("fulcrum.models.broken")
			.hasMessageContaining("no deployment 'nope' is configured");
	}

	@Test
	void anUnknownStorageTypeStopsTheStartToo() {
		SpringApplicationBuilder application = new SpringApplicationBuilder(FulcrumGatewayApplication.class)
			.profiles("it")
			.properties("server.port=0", "fulcrum.storage.embedded-path=target/it-db/bad-config");

		assertThatThrownBy(() -> application.run("--fulcrum.storage.type=mongodb").close()).rootCause()
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("fulcrum.storage.type");
	}

	private static FulcrumProperties bind(Map<String, String> config) {
		return new Binder(new MapConfigurationPropertySource(config)).bindOrCreate("fulcrum", FulcrumProperties.class);
	}

	private InvalidConfigurationException catchInvalid(FulcrumProperties properties) {
		return catchInvalid(properties, this.factory);
	}

	private static InvalidConfigurationException catchInvalid(FulcrumProperties properties, CatalogFactory factory) {
		try {
			factory.create(properties);
		}
		catch (InvalidConfigurationException ex) {
			return ex;
		}
		throw new AssertionError("the configuration was accepted");
	}

}
