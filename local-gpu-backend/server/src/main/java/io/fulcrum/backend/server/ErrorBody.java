package io.fulcrum.backend.server;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Renders an {@link ApiError} as OpenAI's error body. */
final class ErrorBody {

	private ErrorBody() {
	}

	static byte[] render(JsonMapper json, ApiError error) {
		ObjectNode root = json.createObjectNode();
		ObjectNode body = root.putObject("error");
		body.put("message", error.getMessage());
		body.put("type", error.type());
		body.put("param", error.param());
		body.put("code", error.code());
		return json.writeValueAsBytes(root);
	}

}
