package io.fulcrum.gateway;

import io.fulcrum.gateway.config.FulcrumProperties;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Starts the Fulcrum gateway. */
@SpringBootApplication
@EnableConfigurationProperties(FulcrumProperties.class)
public class FulcrumGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(FulcrumGatewayApplication.class, args);
	}

}
