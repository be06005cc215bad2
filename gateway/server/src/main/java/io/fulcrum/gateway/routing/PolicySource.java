package io.fulcrum.gateway.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.fulcrum.gateway.config.FulcrumProperties;
import io.fulcrum.routing.policy.PolicyDocument;
import io.fulcrum.routing.policy.PolicyException;
import io.fulcrum.routing.policy.PolicyParser;

/** Where the routing policies come from at start-up: inline YAML in the configuration, or a YAML file. */
public final class PolicySource {

	private PolicySource() {
	}

	/**
	 * @throws PolicyException naming {@code fulcrum.routing.*} when both sources are set, the file cannot be read, or
	 * the YAML is invalid
	 */
	public static PolicyDocument load(FulcrumProperties.Routing routing) {
		Path file = routing.policyFile();
		if (file != null && !routing.policies().isBlank()) {
			throw new PolicyException(
					List.of("fulcrum.routing: set either policies (inline YAML) or policy-file, not both"));
		}
		if (file != null) {
			return read(file);
		}
		return prefixed("fulcrum.routing.policies", routing.policies());
	}

	/** Reads and parses a policy file. */
	public static PolicyDocument read(Path file) {
		String yaml;
		try {
			yaml = Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new PolicyException(List.of("fulcrum.routing.policy-file: cannot read " + file + ": " + ex));
		}
		return prefixed("fulcrum.routing.policy-file (" + file + ")", yaml);
	}

	private static PolicyDocument prefixed(String where, String yaml) {
		try {
			return PolicyParser.parseYaml(yaml);
		}
		catch (PolicyException ex) {
			throw new PolicyException(ex.problems().stream().map(problem -> where + ": " + problem).toList());
		}
	}

}
