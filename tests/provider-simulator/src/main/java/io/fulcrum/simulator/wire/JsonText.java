package io.fulcrum.simulator.wire;

import io.fulcrum.protocol.Json;

/**
 * Quoting strings as JSON for the string templates of stream events.
 */
final class JsonText {

	private JsonText() {
	}

	/** The string as a quoted JSON string; plain ASCII (the simulator's own words) skips Jackson. */
	static String quote(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
				return Json.MAPPER.writeValueAsString(text);
			}
		}
		return '"' + text + '"';
	}

}
