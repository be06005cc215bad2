package io.fulcrum.backend.generation;

import java.io.IOException;
import java.util.List;

import io.fulcrum.backend.chat.ChatMessage;
import io.fulcrum.backend.chat.ChatTemplate;
import io.fulcrum.backend.gguf.GgufFile;
import io.fulcrum.backend.llama.DecoderSelection;
import io.fulcrum.backend.llama.KvCacheShape;
import io.fulcrum.backend.llama.LlamaConfig;
import io.fulcrum.backend.tokenizer.GgufTokenizers;
import io.fulcrum.backend.tokenizer.TextTokenizer;

/**
 * A generative model served from a GGUF file: its tokenizer and chat template, and a {@link GenerationEngine}
 * running it. Turns prompts and conversations into tokens, and generations back into text.
 * <p>
 * Prompts are tokenised as llama.cpp's server does: BOS first where the model asks for it, and control tokens
 * written in the text (a chat template's markers) read as those tokens.
 */
public final class TextGenerator implements AutoCloseable {

	private final String id;

	private final TextTokenizer tokenizer;

	private final ChatTemplate template;

	private final GenerationEngine engine;

	private TextGenerator(String id, TextTokenizer tokenizer, ChatTemplate template, GenerationEngine engine) {
		this.id = id;
		this.tokenizer = tokenizer;
		this.template = template;
		this.engine = engine;
	}

	/** Opens the model and starts its engine; returns once the model is loaded on its device. */
	public static TextGenerator open(GeneratorOptions options, GenerationListener listener) throws IOException {
		GgufFile file = GgufFile.open(options.gguf());
		LlamaConfig config = LlamaConfig.from(file);
		TextTokenizer tokenizer = GgufTokenizers.load(file);
		KvCacheShape cache = cacheShape(config, options);
		GenerationEngine engine = new GenerationEngine("fulcrum-generation-" + options.id(), options.limits(),
				() -> DecoderSelection.load(options.device(), file, cache, options.cpuThreads()),
				tokenizer::isEndOfGeneration, listener);
		return new TextGenerator(options.id(), tokenizer, ChatTemplate.forModel(file), engine);
	}

	/**
	 * As many blocks as {@code cacheBytes} of fp32 keys and values hold, but no more than the running limit of
	 * full-context sequences needs.
	 */
	static KvCacheShape cacheShape(LlamaConfig config, GeneratorOptions options) {
		long bytesPerBlock = new KvCacheShape(1, options.blockSize()).bytes(config, Float.BYTES);
		long byMemory = options.cacheBytes() / bytesPerBlock;
		long byUse = (long) options.limits().maxRunning()
				* ((config.contextLength() + options.blockSize() - 1) / options.blockSize());
		int blocks = (int) Math.max(1, Math.min(Math.min(byMemory, byUse), Integer.MAX_VALUE));
		return new KvCacheShape(blocks, options.blockSize());
	}

	/** The model's name in the API. */
	public String id() {
		return this.id;
	}

	/** The chat format conversations are rendered in. */
	public ChatTemplate template() {
		return this.template;
	}

	/** The context window in tokens. */
	public int contextLength() {
		return this.engine.config().contextLength();
	}

	/** The vocabulary size: token ids are below it. */
	public int vocabSize() {
		return this.engine.config().vocabSize();
	}

	/** The engine, for its load. */
	public GenerationEngine engine() {
		return this.engine;
	}

	/** The tokens of a completion prompt: BOS where the model wants it, then the text. */
	public int[] promptTokens(String prompt) {
		return withBos(this.tokenizer.encode(prompt, true));
	}

	/** The tokens of a conversation, rendered with the model's chat template and ending with the assistant's turn. */
	public int[] chatTokens(List<ChatMessage> messages) {
		return withBos(this.tokenizer.encode(this.template.render(messages), true));
	}

	private int[] withBos(int[] tokens) {
		if (!this.tokenizer.addBos() || this.tokenizer.bos() < 0
				|| (tokens.length > 0 && tokens[0] == this.tokenizer.bos())) {
			return tokens;
		}
		int[] out = new int[tokens.length + 1];
		out[0] = this.tokenizer.bos();
		System.arraycopy(tokens, 0, out, 1, tokens.length);
		return out;
	}

	/**
	 * Starts generating after {@code prompt}; text reaches {@code listener} as it is produced, without stop sequences.
	 * @throws PromptTooLongException when prompt and completion cannot fit the context window
	 * @throws io.fulcrum.backend.batching.QueueFullException when too many requests wait
	 */
	public GenerationHandle generate(int[] prompt, SamplingParams sampling, List<String> stop, TextListener listener) {
		for (int token : prompt) {
			if (token < 0 || token >= vocabSize()) {
				throw new IllegalArgumentException(
						"token id " + token + " is outside this model's vocabulary of " + vocabSize() + " tokens");
			}
		}
		boolean afterBareBos = prompt.length == 1 && prompt[0] == this.tokenizer.bos();
		TextStream stream = new TextStream(this.tokenizer, new StopMatcher(stop), listener, afterBareBos);
		return this.engine.submit(new GenerationRequest(prompt, sampling), stream);
	}

	@Override
	public void close() {
		this.engine.close();
	}

}
