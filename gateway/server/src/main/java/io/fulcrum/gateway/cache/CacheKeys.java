package io.fulcrum.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fulcrum.protocol.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Computes {@link CacheKey}s. The request is normalised first: top-level fields that do not change the answer
 * ({@link #IGNORED}: streaming, the end-user id, metadata, the model, which the alias stands for) are left out and
 * object fields are sorted at every depth, so that field order and streaming never split an entry. Tenant, alias and
 * endpoint are digested before the body, each ended by a zero byte, which none of them contains.
 */
public final class CacheKeys {

	/** Top-level request fields that never change the answer's content. */
	public static final Set<String> IGNORED = Set.of("model", "stream", "stream_options", "user", "metadata", "store",
			"service_tier");

	private static final HexFormat HEX = HexFormat.of();

	private CacheKeys() {
	}

	public static CacheKey of(String tenantId, String alias, CacheEndpoint endpoint, ObjectNode body) {
		MessageDigest digest = sha256();
		update(digest, tenantId);
		update(digest, alias);
		update(digest, endpoint.name());
		digest.update(canonical(body));
		return new CacheKey(HEX.formatHex(digest.digest()));
	}

	/** The normalised request as JSON bytes: ignored fields removed, object fields sorted at every depth. */
	public static byte[] canonical(ObjectNode body) {
		ObjectNode copy = Json.object();
		for (String name : sortedNames(body)) {
			if (!IGNORED.contains(name)) {
				copy.set(name, sorted(body.get(name)));
			}
		}
		return Json.bytes(copy);
	}

	private static JsonNode sorted(JsonNode node) {
		if (node.isObject()) {
			ObjectNode copy = Json.object();
			for (String name : sortedNames(node)) {
				copy.set(name, sorted(node.get(name)));
			}
			return copy;
		}
		if (node.isArray()) {
			ArrayNode copy = Json.array();
			for (JsonNode item : node) {
				copy.add(sorted(item));
			}
			return copy;
		}
		return node;
	}

	private static List<String> sortedNames(JsonNode object) {
		List<String> names = new ArrayList<>(object.size());
		for (Map.Entry<String, JsonNode> field : object.properties()) {
			names.add(field.getKey());
		}
		Collections.sort(names);
		return names;
	}

	private static void update(MessageDigest digest, String part) {
		digest.update(part.getBytes(StandardCharsets.UTF_8));
		digest.update((byte) 0);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-256", ex);
		}
	}

}
