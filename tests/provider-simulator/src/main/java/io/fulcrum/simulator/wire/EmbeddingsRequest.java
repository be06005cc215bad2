package io.fulcrum.simulator.wire;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A validated OpenAI embeddings request ({@code POST /v1/embeddings}).
 *
 * @param model the requested model
 * @param seeds one hash per input, from which its vector is derived, so equal inputs embed equally
 * @param promptTokens the estimated tokens of all inputs (token arrays count their length)
 * @param dimensions the vector length, from {@code dimensions}, 8 by default
 * @param base64 whether {@code encoding_format} is {@code base64}
 */
public record EmbeddingsRequest(String model, List<Long> seeds, int promptTokens, int dimensions, boolean base64) {

	/** The vector length when the request does not set {@code dimensions}. */
	public static final int DEFAULT_DIMENSIONS = 8;

	private static final int MAX_DIMENSIONS = 8192;

	private static final String INPUT_SHAPE = "'input' must be a non-empty string, an array of strings, an array of "
			+ "tokens or an array of token arrays.";

	/**
	 * Validates a parsed request body.
	 * @param body the request's JSON
	 * @return the request
	 * @throws InvalidRequestException when {@code model} or {@code input} is missing or malformed
	 */
	public static EmbeddingsRequest parse(JsonNode body) {
		RequestFields.requireObject(body);
		String model = RequestFields.requireString(body, "model");
		Integer dimensions = RequestFields.optionalPositiveInt(body, "dimensions");
		if (dimensions != null && dimensions > MAX_DIMENSIONS) {
			throw new InvalidRequestException("'dimensions' must be at most " + MAX_DIMENSIONS + ".", "dimensions");
		}
		JsonNode format = body.get("encoding_format");
		boolean base64 = format != null && format.isString() && format.asString().equals("base64");
		if (format != null && !format.isNull() && !base64
				&& !(format.isString() && format.asString().equals("float"))) {
			throw new InvalidRequestException("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
		}
		List<Long> seeds = new ArrayList<>();
		long tokens = inputs(body.get("input"), seeds);
		return new EmbeddingsRequest(model, seeds, (int) Math.max(1, Math.min(Integer.MAX_VALUE, tokens)),
				(dimensions != null) ? dimensions : DEFAULT_DIMENSIONS, base64);
	}

	/** Adds the seed of each input and returns their estimated tokens. */
	private static long inputs(JsonNode input, List<Long> seeds) {
		if (input != null && input.isString() && !input.asString().isEmpty()) {
			seeds.add(Fnv.hash(input.asString()));
			return input.asString().length() / 4;
		}
		if (input == null || !input.isArray() || input.isEmpty()) {
			throw new InvalidRequestException(INPUT_SHAPE, "input");
		}
		if (isTokenArray(input)) {
			seeds.add(Fnv.hash(input));
			return input.size();
		}
		long tokens = 0;
		for (JsonNode element : input) {
			if (element.isString() && !element.asString().isEmpty()) {
				seeds.add(Fnv.hash(element.asString()));
				tokens += element.asString().length() / 4;
			}
			else if (element.isArray() && !element.isEmpty() && isTokenArray(element)) {
				seeds.add(Fnv.hash(element));
				tokens += element.size();
			}
			else {
				throw new InvalidRequestException(INPUT_SHAPE, "input");
			}
		}
		return tokens;
	}

	private static boolean isTokenArray(JsonNode array) {
		for (JsonNode element : array) {
			if (!element.isIntegralNumber()) {
				return false;
			}
		}
		return true;
	}

	/** 64-bit FNV-1a: wider than {@code String.hashCode}, so distinct inputs rarely share a vector. */
	private static final class Fnv {

		private static final long OFFSET = 0xcbf29ce484222325L;

		private static final long PRIME = 0x100000001b3L;

		static long hash(String text) {
			long hash = OFFSET;
			for (int i = 0; i < text.length(); i++) {
				hash = (hash ^ text.charAt(i)) * PRIME;
			}
			return hash;
		}

		static long hash(JsonNode tokens) {
			long hash = OFFSET ^ 0x5bd1e995L;
			for (JsonNode token : tokens) {
				hash = (hash ^ token.asLong()) * PRIME;
			}
			return hash;
		}

	}

}
