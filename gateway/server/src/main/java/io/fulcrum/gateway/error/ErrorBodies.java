package io.fulcrum.gateway.error;

import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** Error bodies in the two shapes clients expect: OpenAI's and Anthropic's. */
public final class ErrorBodies {

	private ErrorBodies() {
	}

	/** {@code {"error":{"message","type","param","code"}}}. */
	public static ObjectNode openAi(ErrorKind kind, String message, @Nullable String param, @Nullable String code) {
		ObjectNode body = Json.object();
		ObjectNode error = body.putObject("error");
		error.put("message", message);
		error.put("type", kind.type());
		if (param != null) {
			error.put("param", param);
		}
		else {
			error.putNull("param");
		}
		if (code != null) {
			error.put("code", code);
		}
		else {
			error.putNull("code");
		}
		return body;
	}

	/** {@code {"type":"error","error":{"type","message"}}}. */
	public static ObjectNode anthropic(ErrorKind kind, String message) {
		ObjectNode body = Json.object();
		body.put("type", "error");
		ObjectNode error = body.putObject("error");
		error.put("type", kind.anthropicType());
		error.put("message", message);
		return body;
	}

	public static ObjectNode openAi(GatewayException ex) {
		return openAi(ex.kind(), ex.getMessage(), ex.param(), ex.code());
	}

	/** The error an exception becomes when it ends a stream that is already under way. */
	public static GatewayException forBrokenStream(Throwable ex) {
		if (ex instanceof GatewayException gateway) {
			return gateway;
		}
		return new GatewayException(ErrorKind.UPSTREAM_FAILED,
				"The provider's stream broke off: " + (ex.getMessage() != null ? ex.getMessage() : "connection lost"),
				null, "stream_interrupted", null);
	}

}
