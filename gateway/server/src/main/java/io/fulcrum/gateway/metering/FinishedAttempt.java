package io.fulcrum.gateway.metering;

import io.fulcrum.billing.usage.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * One provider attempt as it ended: what listeners such as the router learn from.
 *
 * @param attempt the attempt
 * @param outcome how it ended
 * @param usage its tokens, exact or estimated
 * @param ttftNanos time to the first streamed token, or -1 when the response was not streamed or none came
 * @param durationNanos time from the attempt's start to its end
 * @param failure why it failed, when it did
 */
public record FinishedAttempt(Attempt attempt, AttemptOutcome outcome, TokenUsage usage, long ttftNanos,
		long durationNanos, @Nullable Throwable failure) {

}
