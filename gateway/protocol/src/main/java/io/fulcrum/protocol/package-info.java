/**
 * Wire formats Fulcrum speaks: OpenAI's Chat Completions, Embeddings and Models APIs, Anthropic's Messages API,
 * and the Server-Sent Events framing both use for streams.
 *
 * <p>The canonical in-gateway shape of a chat request, response and stream chunk is OpenAI's JSON, held as a
 * Jackson tree so that fields Fulcrum does not interpret (tools, response formats, provider extensions) pass
 * through untouched. Anthropic traffic is translated into and out of that shape by the mappers in
 * {@code io.fulcrum.protocol.anthropic}. This module depends on Jackson only, so the gateway, the GPU backend and
 * the provider simulator share it.
 */
@NullMarked
package io.fulcrum.protocol;

import org.jspecify.annotations.NullMarked;
