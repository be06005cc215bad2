package io.fulcrum.gateway.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fulcrum.gateway.catalog.Deployment;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.routing.RoutingTable;

/** The catalog as the router sees it: every alias's deployments, in configured order, with their priorities. */
public final class RoutingCatalog {

	private RoutingCatalog() {
	}

	public static Map<String, List<RoutingTable.Ranked>> of(DeploymentCatalog catalog) {
		Map<String, List<RoutingTable.Ranked>> aliases = new LinkedHashMap<>();
		for (ModelAlias alias : catalog.aliases()) {
			List<RoutingTable.Ranked> ranked = new ArrayList<>(alias.deployments().size());
			for (Deployment deployment : alias.deployments()) {
				ranked.add(new RoutingTable.Ranked(deployment.routing(), deployment.priority()));
			}
			aliases.put(alias.name(), ranked);
		}
		return aliases;
	}

}
