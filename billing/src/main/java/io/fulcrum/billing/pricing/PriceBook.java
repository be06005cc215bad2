package io.fulcrum.billing.pricing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Every price book entry, indexed for the request path: an immutable snapshot, looked up without locks or
 * allocation. A new snapshot replaces it whole when prices change.
 */
public final class PriceBook {

	/** A book with no entries. */
	public static final PriceBook EMPTY = new PriceBook(List.of());

	/** deployment id, then model, then versions sorted by effectiveFrom. */
	private final Map<String, Map<String, PriceBookEntry[]>> index;

	private final List<PriceBookEntry> entries;

	private PriceBook(List<PriceBookEntry> entries) {
		List<PriceBookEntry> sorted = new ArrayList<>(entries);
		sorted.sort(Comparator.comparing(PriceBookEntry::deploymentId)
			.thenComparing(PriceBookEntry::model)
			.thenComparing(PriceBookEntry::effectiveFrom)
			.thenComparingInt(PriceBookEntry::version));
		Map<String, Map<String, List<PriceBookEntry>>> grouped = new HashMap<>();
		for (PriceBookEntry entry : sorted) {
			grouped.computeIfAbsent(entry.deploymentId(), (d) -> new HashMap<>())
				.computeIfAbsent(entry.model(), (m) -> new ArrayList<>())
				.add(entry);
		}
		Map<String, Map<String, PriceBookEntry[]>> index = new HashMap<>();
		grouped.forEach((deployment, models) -> {
			Map<String, PriceBookEntry[]> byModel = new HashMap<>();
			models.forEach((model, versions) -> byModel.put(model, versions.toArray(PriceBookEntry[]::new)));
			index.put(deployment, Map.copyOf(byModel));
		});
		this.index = Map.copyOf(index);
		this.entries = List.copyOf(sorted);
	}

	/** A snapshot of {@code entries}. */
	public static PriceBook of(List<PriceBookEntry> entries) {
		return new PriceBook(entries);
	}

	/**
	 * The version in force at {@code at}: the one with the latest {@code effectiveFrom} not after it, or
	 * {@code null} when the deployment and model have no version yet in force.
	 */
	public @Nullable PriceBookEntry entryAt(String deploymentId, String model, Instant at) {
		Map<String, PriceBookEntry[]> models = this.index.get(deploymentId);
		PriceBookEntry[] versions = (models != null) ? models.get(model) : null;
		if (versions == null) {
			return null;
		}
		// Scan from the newest: the current version is nearly always the last or next to last.
		for (int i = versions.length - 1; i >= 0; i--) {
			if (!versions[i].effectiveFrom().isAfter(at)) {
				return versions[i];
			}
		}
		return null;
	}

	/** The newest version of a deployment's model, whether or not in force yet. */
	public @Nullable PriceBookEntry latest(String deploymentId, String model) {
		Map<String, PriceBookEntry[]> models = this.index.get(deploymentId);
		PriceBookEntry[] versions = (models != null) ? models.get(model) : null;
		if (versions == null) {
			return null;
		}
		PriceBookEntry latest = versions[0];
		for (PriceBookEntry entry : versions) {
			if (entry.version() > latest.version()) {
				latest = entry;
			}
		}
		return latest;
	}

	/** Every entry, by deployment, model and effective date. */
	public List<PriceBookEntry> entries() {
		return this.entries;
	}

}
