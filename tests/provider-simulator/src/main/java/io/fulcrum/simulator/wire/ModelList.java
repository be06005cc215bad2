package io.fulcrum.simulator.wire;

import java.util.Collection;

import io.fulcrum.protocol.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's model list ({@code GET /v1/models}).
 */
public final class ModelList {

	// A fixed creation time: the simulated models have no history, and a constant keeps answers comparable.
	private static final long CREATED = 1_700_000_000L;

	private ModelList() {
	}

	public static byte[] render(Collection<String> modelIds) {
		ObjectNode root = Json.object();
		root.put("object", "list");
		ArrayNode data = root.putArray("data");
		for (String id : modelIds) {
			ObjectNode model = data.addObject();
			model.put("id", id);
			model.put("object", "model");
			model.put("created", CREATED);
			model.put("owned_by", "simulator");
		}
		return Json.bytes(root);
	}

}
