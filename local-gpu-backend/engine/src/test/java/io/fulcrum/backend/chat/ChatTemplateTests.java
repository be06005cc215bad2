package io.fulcrum.backend.chat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.gguf.GgufWriter;
import io.fulcrum.backend.testing.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatTemplateTests {

	private static final List<ChatMessage> CONVERSATION = List.of(ChatMessage.system("You are kind."),
			ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("Tell me a story."));

	// Real templates, as the models' tokenizer_config.json files have them (Jinja source: \\n is an escape there).

	static final String QWEN2 = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
			+ "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + "
			+ "message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if "
			+ "add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

	static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
			+ "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + "
			+ "'<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}"
			+ "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}"
			+ "{% endif %}";

	static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set "
			+ "system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set "
			+ "system_message = false %}{% endif %}{% for message in loop_messages %}{% if loop.index0 == 0 and "
			+ "system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + "
			+ "message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] "
			+ "== 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == "
			+ "'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

	static final String MISTRAL = "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != "
			+ "(loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate "
			+ "user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + "
			+ "message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + "
			+ "eos_token}}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}"
			+ "{% endfor %}";

	static final String ZEPHYR = "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\\n' + "
			+ "message['content'] + eos_token }}\n{% elif message['role'] == 'system' %}\n{{ '<|system|>\\n' + "
			+ "message['content'] + eos_token }}\n{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\\n'  + "
			+ "message['content'] + eos_token }}\n{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ "
			+ "'<|assistant|>' }}\n{% endif %}\n{% endfor %}";

	static final String GEMMA = "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role "
			+ "not supported') }}{% endif %}{% for message in messages %}{% if (message['role'] == 'assistant') %}{% set "
			+ "role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + "
			+ "'\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}{% if add_generation_prompt %}"
			+ "{{'<start_of_turn>model\\n'}}{% endif %}";

	static final String PHI3 = "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') %}"
			+ "{{'<|user|>' + '\\n' + message['content'] + '<|end|>' + '\\n' + '<|assistant|>' + '\\n'}}{% elif "
			+ "(message['role'] == 'assistant') %}{{message['content'] + '<|end|>' + '\\n'}}{% endif %}{% endfor %}";

	@TempDir
	Path dir;

	@Test
	void chatmlRendersQwenStyleTurns() {
		assertThat(ChatTemplate.CHATML.render(CONVERSATION))
			.isEqualTo("<|im_start|>system\nYou are kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
					+ "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nTell me a story.<|im_end|>\n"
					+ "<|im_start|>assistant\n");
	}

	@Test
	void llama3RendersHeadersAndEndOfTurnTokensWithoutTheBos() {
		assertThat(ChatTemplate.LLAMA3.render(CONVERSATION))
			.isEqualTo("<|start_header_id|>system<|end_header_id|>\n\nYou are kind.<|eot_id|>"
					+ "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
					+ "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
					+ "<|start_header_id|>user<|end_header_id|>\n\nTell me a story.<|eot_id|>"
					+ "<|start_header_id|>assistant<|end_header_id|>\n\n");
	}

	@Test
	void llama2PutsTheSystemPromptInTheFirstInstructionAndSeparatesTurnsWithEosAndBos() {
		assertThat(ChatTemplate.LLAMA2.render(CONVERSATION)).isEqualTo(
				"[INST] <<SYS>>\nYou are kind.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] Tell me a story. [/INST]");
	}

	@Test
	void mistralPutsTheSystemPromptBeforeTheFirstUserMessage() {
		assertThat(ChatTemplate.MISTRAL.render(CONVERSATION))
			.isEqualTo("[INST] You are kind.\n\nHi [/INST]Hello!</s>[INST] Tell me a story. [/INST]");
	}

	@Test
	void zephyrEndsEachTurnWithEos() {
		assertThat(ChatTemplate.ZEPHYR.render(CONVERSATION))
			.isEqualTo("<|system|>\nYou are kind.</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n"
					+ "<|user|>\nTell me a story.</s>\n<|assistant|>\n");
	}

	@Test
	void gemmaCallsTheAssistantModelAndFoldsTheSystemPromptIntoTheUserTurn() {
		assertThat(ChatTemplate.GEMMA.render(CONVERSATION))
			.isEqualTo("<start_of_turn>user\nYou are kind.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n"
					+ "<start_of_turn>user\nTell me a story.<end_of_turn>\n<start_of_turn>model\n");
	}

	@Test
	void phi3EndsEachTurnWithEnd() {
		assertThat(ChatTemplate.PHI3.render(CONVERSATION))
			.isEqualTo("<|system|>\nYou are kind.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n"
					+ "<|user|>\nTell me a story.<|end|>\n<|assistant|>\n");
	}

	@Test
	void plainWritesOneLabelledLinePerMessageAndAnAssistantPrompt() {
		assertThat(ChatTemplate.PLAIN.render(CONVERSATION))
			.isEqualTo("System: You are kind.\nUser: Hi\nAssistant: Hello!\nUser: Tell me a story.\nAssistant:");
	}

	@Test
	void plainGivesASingleUserMessageAsItIsSoABaseModelContinuesIt() {
		assertThat(ChatTemplate.PLAIN.render(List.of(ChatMessage.user("Once upon a time")))).isEqualTo("Once upon a time");
	}

	@Test
	void withoutAGenerationPromptTheConversationEndsWithTheLastMessage() {
		List<ChatMessage> messages = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"));
		assertThat(ChatTemplate.CHATML.render(messages, false))
			.isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n");
		assertThat(ChatTemplate.PLAIN.render(messages, false)).isEqualTo("User: Hi\nAssistant: Hello!\n");
	}

	@Test
	void developerMessagesAreSystemMessages() {
		assertThat(ChatTemplate.CHATML.render(List.of(new ChatMessage("developer", "Be brief."))))
			.isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>assistant\n");
	}

	@ParameterizedTest
	@EnumSource(ChatTemplate.class)
	void unknownRolesAreRefusedByName(ChatTemplate template) {
		assertThatThrownBy(() -> template.render(List.of(new ChatMessage("tool", "42"))))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("\"tool\"");
	}

	@Test
	void detectRecognisesRealTemplatesByTheirMarkers() {
		assertThat(ChatTemplate.detect(QWEN2)).isEqualTo(ChatTemplate.CHATML);
		assertThat(ChatTemplate.detect(LLAMA3)).isEqualTo(ChatTemplate.LLAMA3);
		assertThat(ChatTemplate.detect(LLAMA2)).isEqualTo(ChatTemplate.LLAMA2);
		assertThat(ChatTemplate.detect(MISTRAL)).isEqualTo(ChatTemplate.MISTRAL);
		assertThat(ChatTemplate.detect(ZEPHYR)).isEqualTo(ChatTemplate.ZEPHYR);
		assertThat(ChatTemplate.detect(GEMMA)).isEqualTo(ChatTemplate.GEMMA);
		assertThat(ChatTemplate.detect(PHI3)).isEqualTo(ChatTemplate.PHI3);
	}

	@Test
	void detectFallsBackToPlainForUnknownOrMissingTemplates() {
		assertThat(ChatTemplate.detect("")).isEqualTo(ChatTemplate.PLAIN);
		assertThat(ChatTemplate.detect("{% for m in messages %}{{ m['content'] }}{% endfor %}"))
			.isEqualTo(ChatTemplate.PLAIN);
	}

	@Test
	void forModelReadsTheChatTemplateFromTheGgufMetadata() throws IOException {
		Path file = this.dir.resolve("qwen.gguf");
		new GgufWriter().put("tokenizer.chat_template", QWEN2).write(file);
		assertThat(ChatTemplate.forModel(GgufFile.open(file))).isEqualTo(ChatTemplate.CHATML);
	}

	@Test
	void storiesHasNoTemplateSoItGetsPlain() throws IOException {
		assertThat(ChatTemplate.forModel(GgufFile.open(SharedModels.stories260K()))).isEqualTo(ChatTemplate.PLAIN);
	}

}
