package io.fulcrum.protocol.anthropic;

import java.nio.charset.StandardCharsets;

import io.fulcrum.protocol.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic's error bodies, {@code {"type":"error","error":{"type":...,"message":...}}}: reading the ones an
 * upstream Anthropic API returns, and building the ones Fulcrum returns on {@code /v1/messages}, whose clients
 * (the Anthropic SDKs) expect that shape and Anthropic's error types.
 */
public final class AnthropicErrors {

	private AnthropicErrors() {
	}

	/**
	 * An error's type and message.
	 *
	 * @param type Anthropic's error type, such as {@code rate_limit_error}
	 * @param message the human-readable message
	 */
	public record Detail(String type, String message) {
	}

	/**
	 * Anthropic's error type for an HTTP status, following Anthropic's own use of each status.
	 * @param status an HTTP error status
	 * @return the error type, {@code invalid_request_error} or {@code api_error} for statuses Anthropic does not
	 * name
	 */
	public static String typeForStatus(int status) {
		return switch (status) {
			case 400 -> "invalid_request_error";
			case 401 -> "authentication_error";
			case 402 -> "billing_error";
			case 403 -> "permission_error";
			case 404 -> "not_found_error";
			case 413 -> "request_too_large";
			case 429 -> "rate_limit_error";
			case 503, 529 -> "overloaded_error";
			case 504 -> "timeout_error";
			default -> (status >= 400 && status < 500) ? "invalid_request_error" : "api_error";
		};
	}

	/**
	 * The HTTP status Anthropic answers with for an error type, for relaying an upstream error or an error
	 * event.
	 * @param type an Anthropic error type
	 * @return the status, 500 for a type this does not know
	 */
	public static int statusForType(String type) {
		return switch (type) {
			case "invalid_request_error" -> 400;
			case "authentication_error" -> 401;
			case "billing_error" -> 402;
			case "permission_error" -> 403;
			case "not_found_error" -> 404;
			case "request_too_large" -> 413;
			case "rate_limit_error" -> 429;
			case "timeout_error" -> 504;
			case "overloaded_error" -> 529;
			default -> 500;
		};
	}

	/**
	 * An Anthropic error body.
	 * @param type Anthropic's error type
	 * @param message the message for the client
	 * @return {@code {"type":"error","error":{"type":type,"message":message}}}
	 */
	public static ObjectNode body(String type, String message) {
		ObjectNode body = Json.object().put("type", "error");
		body.putObject("error").put("type", type).put("message", message);
		return body;
	}

	/**
	 * An Anthropic error body for an HTTP status, with the type Anthropic uses for it.
	 * @param status the HTTP status of the response
	 * @param message the message for the client
	 * @return the error body
	 */
	public static ObjectNode body(int status, String message) {
		return body(typeForStatus(status), message);
	}

	/**
	 * Reads the type and message of an upstream error response. Proxies and load balancers in front of the API
	 * answer with HTML or plain text, so a body that is not Anthropic's JSON still yields a detail: the type the
	 * status implies and the body's text, or the status, as the message.
	 * @param status the HTTP status of the response
	 * @param body the response body, possibly empty
	 * @return the error's type and message
	 */
	public static Detail read(int status, byte[] body) {
		JsonNode json = null;
		if (body.length > 0) {
			try {
				json = Json.parse(body);
			}
			catch (JacksonException ex) {
				// not JSON; described from the status below
			}
		}
		if (json != null) {
			Detail detail = fromJson(json);
			if (detail != null) {
				return detail;
			}
		}
		String text = new String(body, StandardCharsets.UTF_8).strip();
		return new Detail(typeForStatus(status), text.isEmpty() ? "upstream returned HTTP " + status : text);
	}

	/**
	 * Reads the type and message of an Anthropic error body or {@code error} stream event.
	 * @param body the parsed body
	 * @return the detail, or {@code null} when the body is not an Anthropic error
	 */
	public static @Nullable Detail fromJson(JsonNode body) {
		JsonNode error = body.get("error");
		if (error == null || !error.isObject()) {
			return null;
		}
		String type = Json.string(error, "type");
		String message = Json.string(error, "message");
		if (type == null && message == null) {
			return null;
		}
		return new Detail(type != null ? type : "api_error", message != null ? message : "");
	}

}
