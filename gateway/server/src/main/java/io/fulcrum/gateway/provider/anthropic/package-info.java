/**
 * Anthropic's Messages API as a provider: canonical requests are translated with the protocol module's
 * {@code OpenAiToAnthropicRequest}, and responses and stream events back into canonical chunks.
 */
@NullMarked
package io.fulcrum.gateway.provider.anthropic;

import org.jspecify.annotations.NullMarked;
