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
		// One event loop per core: Reactor Netty's default of at least four makes requests hop between loops
		// (server and client side) that then compete for the same cores.
		if (System.getProperty("reactor.netty.ioWorkerCount") == null) {
			System.setProperty("reactor.netty.ioWorkerCount",
					Integer.toString(Runtime.getRuntime().availableProcessors()));
		}
		SpringApplication.run(FulcrumGatewayApplication.class, args);
	}

}
