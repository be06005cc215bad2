package io.fulcrum.simulator.wire;

import java.util.EnumMap;
import java.util.Map;

import io.fulcrum.protocol.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two providers' error bodies: OpenAI's {@code {"error":{"message","type","param","code"}}} and Anthropic's
 * {@code {"type":"error","error":{"type","message"}}}.
 */
public enum ErrorFormat {

	OPENAI {
		@Override
		public byte[] render(ApiError error) {
			ObjectNode root = Json.object();
			ObjectNode body = root.putObject("error");
			body.put("message", error.message());
			body.put("type", error.kind().openAiType());
			body.put("param", error.param());
			body.put("code", error.kind().openAiCode());
			return Json.bytes(root);
		}
	},

	ANTHROPIC {
		@Override
		public byte[] render(ApiError error) {
			ObjectNode root = Json.object();
			root.put("type", "error");
			ObjectNode body = root.putObject("error");
			body.put("type", error.kind().anthropicType());
			body.put("message", error.message());
			return Json.bytes(root);
		}
	};

	/** Renders an error body in this provider's shape. */
	public abstract byte[] render(ApiError error);

	/** The pre-rendered body of an error with the kind's default message. Do not modify the array. */
	public byte[] standard(ErrorKind kind) {
		return Standard.BODIES.get(this).get(kind);
	}

	/** Injected faults answer with constant bodies; rendering them once keeps a 100% error rate cheap. */
	private static final class Standard {

		static final Map<ErrorFormat, Map<ErrorKind, byte[]>> BODIES = new EnumMap<>(ErrorFormat.class);

		static {
			for (ErrorFormat format : ErrorFormat.values()) {
				Map<ErrorKind, byte[]> bodies = new EnumMap<>(ErrorKind.class);
				for (ErrorKind kind : ErrorKind.values()) {
					bodies.put(kind, format.render(ApiError.of(kind)));
				}
				BODIES.put(format, bodies);
			}
		}

	}

}
