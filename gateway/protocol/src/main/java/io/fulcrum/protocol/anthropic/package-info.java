/**
 * Translation between Anthropic's Messages API and the OpenAI Chat Completions JSON that Fulcrum uses as its
 * canonical shape, in both directions: ingress, where an Anthropic SDK client calls Fulcrum's
 * {@code /v1/messages} and its request, response and stream events are mapped to and from the canonical form;
 * and egress, where Fulcrum calls Anthropic as a provider and maps a canonical request out and Anthropic's
 * response and stream events back in.
 *
 * <p>Every mapper is a pure function of Jackson trees, and the two stream translators are small state machines
 * fed one chunk or event at a time, so none of them does I/O and all of them can be tested with fixture JSON.
 * Invalid client input is reported with {@link io.fulcrum.protocol.anthropic.AnthropicTranslationException},
 * which names the offending field, and an {@code error} event in an upstream Anthropic stream surfaces as
 * {@link io.fulcrum.protocol.anthropic.AnthropicStreamException}.
 */
@NullMarked
package io.fulcrum.protocol.anthropic;

import org.jspecify.annotations.NullMarked;
