package io.fulcrum.routing;

/**
 * What to assume about a deployment before traffic has taught the router anything: median time to first token
 * and median decode speed. Observations replace the prior as they accumulate.
 *
 * @param ttftSeconds median time to first token
 * @param tokensPerSecond median decode speed of one request
 */
public record LatencyPrior(double ttftSeconds, double tokensPerSecond) {

	/** A cautious default for a hosted model nobody has described: 1 s to first token, 50 tokens/s. */
	public static final LatencyPrior UNKNOWN = new LatencyPrior(1.0, 50);

	public LatencyPrior {
		if (!(ttftSeconds > 0) || !(tokensPerSecond > 0)) {
			throw new IllegalArgumentException("a latency prior needs a positive ttft and decode speed");
		}
	}

}
