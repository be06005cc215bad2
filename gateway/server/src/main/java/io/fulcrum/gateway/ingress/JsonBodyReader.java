package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;
import io.fulcrum.protocol.Json;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reads a request's JSON object body, refusing early what cannot be served: a wrong method (405), a body over
 * the configured limit (413, from {@code Content-Length} before reading when the client sent one) and malformed
 * JSON (400). The content type is not enforced: the body is parsed as JSON whatever it says, as OpenAI's API
 * does, so a {@code curl -d} without a header still works.
 */
public final class JsonBodyReader {

	private final long maxBytes;

	public JsonBodyReader(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	public Mono<ObjectNode> read(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		if (request.getMethod() != HttpMethod.POST) {
			return Mono.error(new GatewayException(ErrorKind.METHOD_NOT_ALLOWED,
					"Method " + request.getMethod().name() + " is not allowed here; use POST.", null,
					"method_not_allowed", null));
		}
		long declared = request.getHeaders().getContentLength();
		if (declared > this.maxBytes) {
			return Mono.error(tooLarge());
		}
		return DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, this.maxBytes))
			.onErrorMap(DataBufferLimitException.class, ex -> tooLarge())
			.map(buffer -> {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				DataBufferUtils.release(buffer);
				return bytes;
			})
			.switchIfEmpty(Mono.error(() -> GatewayException.invalid("The request body is empty; send a JSON object.",
					null)))
			.map(JsonBodyReader::parseObject);
	}

	private static ObjectNode parseObject(byte[] bytes) {
		JsonNode node;
		try {
			node = Json.parse(bytes);
		}
		catch (JacksonException ex) {
			throw new GatewayException(ErrorKind.INVALID_REQUEST,
					"We could not parse the JSON body of your request: " + ex.getOriginalMessage(), null,
					"invalid_json", null);
		}
		if (!(node instanceof ObjectNode object)) {
			throw new GatewayException(ErrorKind.INVALID_REQUEST, "The request body must be a JSON object.", null,
					"invalid_json", null);
		}
		return object;
	}

	private GatewayException tooLarge() {
		return new GatewayException(ErrorKind.PAYLOAD_TOO_LARGE,
				"The request body is larger than this gateway's limit of " + this.maxBytes + " bytes.", null,
				"request_too_large", null);
	}

}
