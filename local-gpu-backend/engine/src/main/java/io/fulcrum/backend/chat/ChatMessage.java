package io.fulcrum.backend.chat;

import java.util.Objects;

/**
 * One message of a conversation.
 * @param role {@code system}, {@code user} or {@code assistant} ({@code developer} is taken as {@code system})
 * @param content the text
 */
public record ChatMessage(String role, String content) {

	public ChatMessage {
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(content, "content");
	}

	/** A system message. */
	public static ChatMessage system(String content) {
		return new ChatMessage("system", content);
	}

	/** A user message. */
	public static ChatMessage user(String content) {
		return new ChatMessage("user", content);
	}

	/** An assistant message. */
	public static ChatMessage assistant(String content) {
		return new ChatMessage("assistant", content);
	}

}
