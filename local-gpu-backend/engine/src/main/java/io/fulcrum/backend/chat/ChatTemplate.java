package io.fulcrum.backend.chat;

import java.util.List;
import java.util.Locale;

import io.fulcrum.backend.gguf.GgufFile;
import org.jspecify.annotations.Nullable;

/**
 * The chat formats the local backend renders a conversation in, written in Java rather than run from the model's
 * Jinja template: {@link #detect} recognises a model's template by its marker strings, as llama.cpp's
 * {@code llm_chat_detect_template} does.
 * <p>
 * The rendered text never starts with the BOS token's text: the caller adds the BOS id in front when the tokenizer's
 * {@code addBos()} says so (the templates of Llama 2, Llama 3, Mistral and Gemma write {@code bos_token} first, which
 * this replaces). It does hold the other special tokens as text ({@code <|im_start|>}, {@code <|eot_id|>}, and
 * {@code </s><s>} between Llama 2 turns), so it must be encoded with {@code parseSpecial = true}.
 * <p>
 * Roles are {@code system}, {@code user} and {@code assistant}; {@code developer} is taken as {@code system}; any
 * other role is refused with an {@link IllegalArgumentException}. Templates whose model has no system role (Mistral,
 * Gemma) put the system text in front of the next user message, followed by a blank line, as llama.cpp does.
 */
public enum ChatTemplate {

	/**
	 * ChatML (Qwen 2, Qwen 2.5, Yi, many fine-tunes): {@code <|im_start|>role\ncontent<|im_end|>\n} per message;
	 * the generation prompt is {@code <|im_start|>assistant\n}. No default system message is added.
	 */
	CHATML {
		@Override
		void render(List<Turn> turns, StringBuilder out, boolean generationPrompt) {
			for (Turn turn : turns) {
				out.append("<|im_start|>").append(turn.role.name).append('\n').append(turn.content).append("<|im_end|>\n");
			}
			if (generationPrompt) {
				out.append("<|im_start|>assistant\n");
			}
		}
	},

	/**
	 * Llama 3 and 3.x: {@code <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>} per message, content
	 * trimmed; the generation prompt is {@code <|start_header_id|>assistant<|end_header_id|>\n\n}. The template's
	 * leading {@code <|begin_of_text|>} is the BOS token, left to the caller.
	 */
	LLAMA3 {
		@Override
		void render(List<Turn> turns, StringBuilder out, boolean generationPrompt) {
			for (Turn turn : turns) {
				out.append("<|start_header_id|>")
					.append(turn.role.name)
					.append("<|end_header_id|>\n\n")
					.append(turn.content.strip())
					.append("<|eot_id|>");
			}
			if (generationPrompt) {
				out.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
			}
		}
	},

	/**
	 * Llama 2 chat: {@code [INST] <<SYS>>\nsystem\n<</SYS>>\n\nuser [/INST] assistant </s><s>[INST] user [/INST]},
	 * contents trimmed. The first BOS is left to the caller; later turns carry {@code <s>} as text. The generation
	 * prompt is nothing: the model answers after {@code [/INST]}.
	 */
	LLAMA2 {
		@Override
		void render(List<Turn> turns, StringBuilder out, boolean generationPrompt) {
			@Nullable String system = null;
			for (Turn turn : turns) {
				switch (turn.role) {
					case SYSTEM -> system = join(system, turn.content.strip());
					case USER -> {
						if (!out.isEmpty()) {
							out.append("<s>");
						}
						out.append("[INST] ");
						if (system != null) {
							out.append("<<SYS>>\n").append(system).append("\n<</SYS>>\n\n");
							system = null;
						}
						out.append(turn.content.strip()).append(" [/INST]");
					}
					case ASSISTANT -> out.append(' ').append(turn.content.strip()).append(" </s>");
				}
			}
		}
	},

	/**
	 * Mistral Instruct (v0.1 to v0.3 without tools): {@code [INST] user [/INST]assistant</s>[INST] user [/INST]}; a
	 * system message goes in front of the next user message followed by a blank line. The BOS is left to the caller;
	 * the generation prompt is nothing.
	 */
	MISTRAL {
		@Override
		void render(List<Turn> turns, StringBuilder out, boolean generationPrompt) {
			@Nullable String system = null;
			for (Turn turn : turns) {
				switch (turn.role) {
					case SYSTEM -> system = join(system, turn.content);
					case USER -> {
						out.append("[INST] ");
						if (system != null) {
							out.append(system).append("\n\n");
							system = null;
						}
						out.append(turn.content).append(" [/INST]");
					}
					case ASSISTANT -> out.append(turn.content).append("</s>");
				}
			}
		}
	},

	/**
	 * Zephyr: {@code <|role|>\ncontent</s>\n} per message; the generation prompt is {@code <|assistant|>\n}.
	 */
	ZEPHYR {
		@Override
		void render(List<Turn> turns, StringBuilder out, boolean generationPrompt) {
			for (Turn turn : turns) {
				out.append("<|").append(turn.role.name).append("|>\n").append(turn.content).append("</s>\n");
			}
			if (generationPrompt) {
				out.append("<|assistant|>\n");
			}
		}
	},

	/**
	 * Gemma: {@code <start_of_turn>user\ncontent<end_of_turn>\n}, the assistant's role written {@code model}, contents
	 * trimmed; a system message goes in front of the next user message followed by a blank line. The generation
	 * prompt is {@code <start_of_turn>model\n}; the BOS is left to the caller.
	 */
	GEMMA {
		@Override
		void render(List<Turn> turns, StringBuilder out, boolean generationPrompt) {
			@Nullable String system = null;
			for (Turn turn : turns) {
				if (turn.role == Role.SYSTEM) {
					system = join(system, turn.content.strip());
					continue;
				}
				String content = turn.content.strip();
				if (turn.role == Role.USER && system != null) {
					content = system + "\n\n" + content;
					system = null;
				}
				out.append("<start_of_turn>")
					.append((turn.role == Role.ASSISTANT) ? "model" : "user")
					.append('\n')
					.append(content)
					.append("<end_of_turn>\n");
			}
			if (generationPrompt) {
				out.append("<start_of_turn>model\n");
			}
		}
	},

	/**
	 * Phi-3: {@code <|role|>\ncontent<|end|>\n} per message; the generation prompt is {@code <|assistant|>\n}.
	 */
	PHI3 {
		@Override
		void render(List<Turn> turns, StringBuilder out, boolean generationPrompt) {
			for (Turn turn : turns) {
				out.append("<|").append(turn.role.name).append("|>\n").append(turn.content).append("<|end|>\n");
			}
			if (generationPrompt) {
				out.append("<|assistant|>\n");
			}
		}
	},

	/**
	 * For models without a chat template (base and story models such as stories260K). A conversation that is a single
	 * user message is rendered as its content alone, with nothing added, so that a base model continues the text.
	 * Anything else is one line per message, {@code System: content}, {@code User: content} or
	 * {@code Assistant: content}, each ending with {@code \n}, and the generation prompt {@code Assistant:} (no
	 * trailing space: the model writes the space as part of its first token). No special tokens appear.
	 */
	PLAIN {
		@Override
		void render(List<Turn> turns, StringBuilder out, boolean generationPrompt) {
			if (turns.size() == 1 && turns.get(0).role == Role.USER) {
				out.append(turns.get(0).content);
				return;
			}
			for (Turn turn : turns) {
				out.append(turn.role.label).append(": ").append(turn.content).append('\n');
			}
			if (generationPrompt) {
				out.append("Assistant:");
			}
		}
	};

	/** The roles a template knows. */
	enum Role {

		SYSTEM("system", "System"), USER("user", "User"), ASSISTANT("assistant", "Assistant");

		final String name;

		final String label;

		Role(String name, String label) {
			this.name = name;
			this.label = label;
		}

		static Role of(String role) {
			return switch (role.toLowerCase(Locale.ROOT)) {
				case "system", "developer" -> SYSTEM;
				case "user" -> USER;
				case "assistant" -> ASSISTANT;
				default -> throw new IllegalArgumentException(
						"unsupported chat role \"" + role + "\" (supported: system, developer, user, assistant)");
			};
		}

	}

	/** A message with its role checked. */
	record Turn(Role role, String content) {
	}

	abstract void render(List<Turn> turns, StringBuilder out, boolean generationPrompt);

	/** The prompt for the messages, ending with the generation prompt that makes the model answer as assistant. */
	public String render(List<ChatMessage> messages) {
		return render(messages, true);
	}

	/**
	 * The prompt for the messages, without BOS.
	 * @param messages the conversation
	 * @param generationPrompt whether to end with what opens the assistant's turn
	 * @throws IllegalArgumentException for a role other than system, developer, user and assistant
	 */
	public String render(List<ChatMessage> messages, boolean generationPrompt) {
		List<Turn> turns = messages.stream().map(m -> new Turn(Role.of(m.role()), m.content())).toList();
		StringBuilder out = new StringBuilder();
		render(turns, out, generationPrompt);
		return out.toString();
	}

	private static String join(@Nullable String first, String second) {
		return (first == null) ? second : first + "\n\n" + second;
	}

	/**
	 * The format a Jinja chat template is, told by its marker strings and checked in this order:
	 * {@code <|im_start|>} is {@link #CHATML}, {@code <|start_header_id|>} {@link #LLAMA3}, {@code [INST]} with
	 * {@code <<SYS>>} {@link #LLAMA2}, {@code [INST]} alone {@link #MISTRAL}, {@code <|user|>} with {@code <|end|>}
	 * {@link #PHI3}, {@code <|user|>} alone {@link #ZEPHYR}, {@code <start_of_turn>} {@link #GEMMA}; {@link #PLAIN} for
	 * anything else, including no template.
	 */
	public static ChatTemplate detect(String jinjaTemplate) {
		String t = jinjaTemplate;
		if (t.contains("<|im_start|>")) {
			return CHATML;
		}
		if (t.contains("<|start_header_id|>")) {
			return LLAMA3;
		}
		if (t.contains("[INST]")) {
			return t.contains("<<SYS>>") ? LLAMA2 : MISTRAL;
		}
		if (t.contains("<|user|>")) {
			return t.contains("<|end|>") ? PHI3 : ZEPHYR;
		}
		if (t.contains("<start_of_turn>")) {
			return GEMMA;
		}
		return PLAIN;
	}

	/** The format of a model's {@code tokenizer.chat_template}, or {@link #PLAIN} where it has none. */
	public static ChatTemplate forModel(GgufFile gguf) {
		return detect(gguf.string("tokenizer.chat_template", ""));
	}

}
