package io.fulcrum.gateway.cache;

import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides whether a request may be served from, and stored in, the cache.
 * <ul>
 * <li>{@code x-fulcrum-cache: off} (or {@code bypass}) and {@code Cache-Control: no-cache} bypass it entirely;
 * {@code Cache-Control: no-store} still looks up but does not store.</li>
 * <li>Requests with tools (or functions) or images are never cached unless the policy allows them, opt-in or not.</li>
 * <li>Embeddings are deterministic and always eligible. A chat request is eligible when deterministic (temperature
 * 0, or a seed), when the client opts in with {@code x-fulcrum-cache: on}, or when the policy caches every request
 * ({@code deterministicOnly = false}).</li>
 * </ul>
 *
 * @param enabled whether the cache is used at all
 * @param deterministicOnly whether a chat request must be deterministic (or opt in) to be cached
 * @param allowTools whether requests with tools, functions or tool messages may be cached
 * @param allowImages whether requests with image parts may be cached
 */
public record CachePolicy(boolean enabled, boolean deterministicOnly, boolean allowTools, boolean allowImages) {

	/** The request and response header: {@code on} / {@code off} from the client, {@code hit|miss|bypass} back. */
	public static final String HEADER = "x-fulcrum-cache";

	/** On a hit: {@code exact} or {@code semantic}. */
	public static final String KIND_HEADER = "x-fulcrum-cache-kind";

	/** On a semantic hit: the cosine similarity of the request to the entry's, three decimals. */
	public static final String SIMILARITY_HEADER = "x-fulcrum-cache-similarity";

	public CacheMode decide(CacheEndpoint endpoint, ObjectNode body, @Nullable String cacheHeader,
			@Nullable String cacheControl) {
		if (!this.enabled) {
			return CacheMode.BYPASS;
		}
		String header = cacheHeader != null ? cacheHeader.trim().toLowerCase(Locale.ROOT) : "";
		String control = cacheControl != null ? cacheControl.toLowerCase(Locale.ROOT) : "";
		if (header.equals("off") || header.equals("bypass") || control.contains("no-cache")) {
			return CacheMode.BYPASS;
		}
		if (endpoint == CacheEndpoint.CHAT) {
			if (!this.allowTools && usesTools(body)) {
				return CacheMode.BYPASS;
			}
			if (!this.allowImages && hasImages(body)) {
				return CacheMode.BYPASS;
			}
			boolean optedIn = header.equals("on") || !this.deterministicOnly;
			if (!optedIn && !deterministic(body)) {
				return CacheMode.BYPASS;
			}
		}
		return control.contains("no-store") ? CacheMode.LOOKUP_ONLY : CacheMode.LOOKUP_AND_STORE;
	}

	/** Temperature 0 (greedy decoding) or a fixed seed. */
	static boolean deterministic(ObjectNode body) {
		JsonNode temperature = body.get("temperature");
		if (temperature != null && temperature.isNumber() && temperature.asDouble() == 0) {
			return true;
		}
		JsonNode seed = body.get("seed");
		return seed != null && seed.isIntegralNumber();
	}

	static boolean usesTools(ObjectNode body) {
		if (present(body.get("tools")) || present(body.get("functions"))) {
			return true;
		}
		for (JsonNode message : body.path("messages")) {
			String role = message.path("role").asString("");
			if (role.equals("tool") || role.equals("function") || present(message.get("tool_calls"))) {
				return true;
			}
		}
		return false;
	}

	static boolean hasImages(ObjectNode body) {
		for (JsonNode message : body.path("messages")) {
			JsonNode content = message.get("content");
			if (content == null || !content.isArray()) {
				continue;
			}
			for (JsonNode part : content) {
				String type = part.path("type").asString("");
				if (type.startsWith("image") || type.equals("input_image") || part.has("image_url")) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean present(@Nullable JsonNode node) {
		return node != null && !node.isNull() && !(node.isArray() && node.isEmpty());
	}

}
