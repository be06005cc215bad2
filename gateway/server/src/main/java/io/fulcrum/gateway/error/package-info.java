/**
 * The closed set of errors the gateway answers with, and their rendering in OpenAI's error shape (Anthropic's on
 * {@code /v1/messages}). Status, type and code come from one exhaustive switch over {@link ErrorKind}; only
 * user-facing messages leave the gateway, never a stack trace or a provider secret.
 */
@NullMarked
package io.fulcrum.gateway.error;

import org.jspecify.annotations.NullMarked;
