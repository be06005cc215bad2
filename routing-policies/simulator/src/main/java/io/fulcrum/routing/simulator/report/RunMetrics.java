package io.fulcrum.routing.simulator.report;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * Collects what happens to every request of one policy's run. Latencies go into HdrHistograms in microseconds
 * (three significant digits); only served requests have latencies. Rejected (shed) and failed requests count as
 * SLO misses.
 */
public final class RunMetrics {

	private final String policy;

	private final List<String> deployments;

	private final Histogram ttft = new Histogram(3);

	private final Histogram e2e = new Histogram(3);

	private final Map<String, long[]> classes = new LinkedHashMap<>();

	private final long[] servedBy;

	private final long[] metBy;

	private double cost;

	private long tokens;

	private long requests;

	private long served;

	private long met;

	private long failed;

	private long rejected;

	private long fallbacks;

	private long noneQualified;

	private long hedgesSent;

	private long hedgesWon;

	private double hedgeWaste;

	private static final long MINUTE = 60_000_000_000L;

	/** Per minute of arrival: requests, met, then served per deployment. */
	private long[][] minutes = new long[64][];

	/**
	 * @param policy the policy's name
	 * @param deployments deployment ids, by index
	 * @param classes SLO class names, in report order
	 */
	public RunMetrics(String policy, List<String> deployments, List<String> classes) {
		this.policy = policy;
		this.deployments = List.copyOf(deployments);
		this.servedBy = new long[deployments.size()];
		this.metBy = new long[deployments.size()];
		classes.forEach(name -> this.classes.put(name, new long[2]));
	}

	/** A request arriving at {@code arrivalNanos} served by {@code deployment} after {@code fallbacks} fallbacks. */
	public void served(String sloClass, long arrivalNanos, int deployment, long ttftNanos, long e2eNanos,
			boolean metSlo, double cost, long tokens, int fallbacks) {
		count(sloClass, metSlo);
		long[] minute = minute(arrivalNanos);
		minute[0]++;
		minute[1] += metSlo ? 1 : 0;
		minute[2 + deployment]++;
		this.served++;
		this.servedBy[deployment]++;
		if (metSlo) {
			this.metBy[deployment]++;
		}
		this.ttft.recordValue(Math.max(1, ttftNanos / 1000));
		this.e2e.recordValue(Math.max(1, e2eNanos / 1000));
		this.cost += cost;
		this.tokens += tokens;
		this.fallbacks += fallbacks;
	}

	/** A request whose every attempt failed. */
	public void failed(String sloClass, long arrivalNanos, int fallbacks) {
		count(sloClass, false);
		minute(arrivalNanos)[0]++;
		this.failed++;
		this.fallbacks += fallbacks;
	}

	/** A hedge attempt started. */
	public void hedgeSent() {
		this.hedgesSent++;
	}

	/** A hedge attempt beat the first attempt to the first byte. */
	public void hedgeWon() {
		this.hedgesWon++;
	}

	/** A cancelled attempt's provider cost, wasted but paid. */
	public void wasted(double cost) {
		this.hedgeWaste += cost;
		this.cost += cost;
	}

	/** A decision in which the router predicted no candidate would meet the SLO. */
	public void noneQualified() {
		this.noneQualified++;
	}

	/** A request the policy refused (shed batch work). */
	public void rejected(String sloClass, long arrivalNanos) {
		count(sloClass, false);
		minute(arrivalNanos)[0]++;
		this.rejected++;
	}

	private long[] minute(long arrivalNanos) {
		int index = (int) Math.max(0, arrivalNanos / MINUTE);
		if (index >= this.minutes.length) {
			this.minutes = Arrays.copyOf(this.minutes, Math.max(index + 1, this.minutes.length * 2));
		}
		if (this.minutes[index] == null) {
			this.minutes[index] = new long[2 + this.servedBy.length];
		}
		return this.minutes[index];
	}

	private Timeline timeline() {
		int length = this.minutes.length;
		while (length > 0 && this.minutes[length - 1] == null) {
			length--;
		}
		long[] requests = new long[length];
		long[] met = new long[length];
		Map<String, long[]> servedBy = new LinkedHashMap<>();
		for (String deployment : this.deployments) {
			servedBy.put(deployment, new long[length]);
		}
		for (int m = 0; m < length; m++) {
			long[] minute = this.minutes[m];
			if (minute == null) {
				continue;
			}
			requests[m] = minute[0];
			met[m] = minute[1];
			for (int d = 0; d < this.deployments.size(); d++) {
				servedBy.get(this.deployments.get(d))[m] = minute[2 + d];
			}
		}
		return new Timeline(requests, met, servedBy);
	}

	private void count(String sloClass, boolean metSlo) {
		long[] counts = this.classes.computeIfAbsent(sloClass, name -> new long[2]);
		counts[0]++;
		this.requests++;
		if (metSlo) {
			counts[1]++;
			this.met++;
		}
	}

	/** The run's summary; {@code wallNanos} is how long the simulation took on the real clock. */
	public PolicyResult result(long wallNanos) {
		Map<String, Double> attainment = new LinkedHashMap<>();
		Map<String, Long> classRequests = new LinkedHashMap<>();
		this.classes.forEach((name, counts) -> {
			classRequests.put(name, counts[0]);
			attainment.put(name, counts[0] == 0 ? Double.NaN : counts[1] / (double) counts[0]);
		});
		Map<String, Long> perDeployment = new LinkedHashMap<>();
		Map<String, Long> metPerDeployment = new LinkedHashMap<>();
		for (int i = 0; i < this.servedBy.length; i++) {
			perDeployment.put(this.deployments.get(i), this.servedBy[i]);
			metPerDeployment.put(this.deployments.get(i), this.metBy[i]);
		}
		double overall = this.requests == 0 ? Double.NaN : this.met / (double) this.requests;
		return new PolicyResult(this.policy, this.requests, this.served, this.failed, this.rejected, this.fallbacks,
				this.noneQualified, this.cost, this.tokens, overall, classRequests, attainment, Percentiles.of(this.ttft),
				Percentiles.of(this.e2e), perDeployment, metPerDeployment,
				new PolicyResult.Hedges(this.hedgesSent, this.hedgesWon, this.hedgeWaste), timeline(), wallNanos);
	}

}
