package io.fulcrum.admin.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * A failure the client caused or should know about, answered as an OpenAI-style error. Carries no stack trace: it
 * is control flow, not a bug.
 */
final class ApiProblem extends RuntimeException {

	private final HttpStatus status;

	private final String type;

	private final @Nullable String param;

	private final @Nullable String code;

	private final List<String> problems;

	private ApiProblem(HttpStatus status, String type, String message, @Nullable String param, @Nullable String code) {
		this(status, type, message, param, code, List.of());
	}

	private ApiProblem(HttpStatus status, String type, String message, @Nullable String param, @Nullable String code,
			List<String> problems) {
		super(message, null, false, false);
		this.status = status;
		this.type = type;
		this.param = param;
		this.code = code;
		this.problems = List.copyOf(problems);
	}

	/** A submitted document with several problems, each listed under {@code error.problems}. */
	static ApiProblem invalidDocument(String message, String code, List<String> problems) {
		return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_request_error", message, null, code, problems);
	}

	static ApiProblem invalidRequest(String message, @Nullable String param) {
		return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_request_error", message, param, null);
	}

	/** A request that contradicts what is stored, e.g. closing a month that is closed already. */
	static ApiProblem conflict(String message, String code) {
		return new ApiProblem(HttpStatus.CONFLICT, "invalid_request_error", message, null, code);
	}

	/** None of the representations the client accepts can be produced. */
	static ApiProblem notAcceptable(String message) {
		return new ApiProblem(HttpStatus.NOT_ACCEPTABLE, "invalid_request_error", message, null, "not_acceptable");
	}

	static ApiProblem unauthenticated() {
		return new ApiProblem(HttpStatus.UNAUTHORIZED, "authentication_error",
				"A valid admin token is required: Authorization: Bearer <token>", null, "invalid_admin_token");
	}

	static ApiProblem notFound(String message) {
		return new ApiProblem(HttpStatus.NOT_FOUND, "not_found_error", message, null, null);
	}

	static ApiProblem internal() {
		return new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "api_error",
				"The admin API failed; the details are in the server log", null, null);
	}

	HttpStatus status() {
		return this.status;
	}

	String type() {
		return this.type;
	}

	@Nullable String param() {
		return this.param;
	}

	@Nullable String code() {
		return this.code;
	}

	List<String> problems() {
		return this.problems;
	}

}
