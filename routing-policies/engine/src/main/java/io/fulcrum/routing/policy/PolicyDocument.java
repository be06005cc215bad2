package io.fulcrum.routing.policy;

import java.util.Map;

/**
 * All declared routing policies, keyed by model alias: what a policy file or the admin API holds.
 *
 * @param aliases the policy of each alias that has one; aliases without one keep their configured order
 * @param source the text it was parsed from (kept so the admin API can show and version it), or empty
 */
public record PolicyDocument(Map<String, AliasPolicy> aliases, String source) {

	/** No policies. */
	public static final PolicyDocument EMPTY = new PolicyDocument(Map.of(), "");

	public PolicyDocument {
		aliases = Map.copyOf(aliases);
	}

}
