package io.fulcrum.admin.api;

import java.util.List;
import java.util.Map;

/** The list envelope {@code {"data": [...]}}, as OpenAI wraps lists; room for paging fields later. */
final class Lists {

	private Lists() {
	}

	static Map<String, Object> data(List<?> items) {
		return Map.of("data", items);
	}

}
