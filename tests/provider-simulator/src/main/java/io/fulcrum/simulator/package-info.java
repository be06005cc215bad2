/**
 * A fake of the OpenAI and Anthropic HTTP APIs, for Fulcrum's demo mode, integration tests and load benchmarks.
 *
 * <p>{@link io.fulcrum.simulator.ProviderSimulator} serves {@code /v1/chat/completions}, {@code /v1/messages},
 * {@code /v1/embeddings} and {@code /v1/models} on Reactor Netty directly, without Spring, so that with no
 * latency configured it is never the bottleneck of a benchmark. How each model answers is its
 * {@link io.fulcrum.simulator.ModelProfile}: time to first token, decode speed, output length, injected errors,
 * rate limits, outages, broken streams and hangs. {@link io.fulcrum.simulator.SimulatorControl} changes profiles
 * while the server runs and records what arrived (counts, last bodies and headers) for tests to assert on; the
 * same control is served over HTTP under {@code /sim} for demos and benchmarks. Output text is a fixed sequence of
 * words ({@link io.fulcrum.simulator.SimulatedText}), so tests can predict it. Delays run on the connection's
 * Netty event loop timers and never block a thread.
 */
@NullMarked
package io.fulcrum.simulator;

import org.jspecify.annotations.NullMarked;
