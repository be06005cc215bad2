/**
 * The JSON and Server-Sent Events the simulator writes, in OpenAI's and Anthropic's shapes: parsing and
 * validating request bodies, rendering completions, stream events, embeddings and error bodies.
 *
 * <p>Everything here is a pure function of its inputs, with no clock, randomness (other than generated ids) or
 * server state, so the wire shapes can be tested without a socket. What to answer and when (profiles, faults,
 * pacing) is decided by {@code io.fulcrum.simulator}, which passes the generated text in. Stream events are
 * rendered from string templates built once per stream, because a benchmark renders one per output token.
 */
@NullMarked
package io.fulcrum.simulator.wire;

import org.jspecify.annotations.NullMarked;
