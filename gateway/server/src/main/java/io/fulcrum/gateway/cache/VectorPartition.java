package io.fulcrum.gateway.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.jspecify.annotations.Nullable;

/**
 * One partition's vectors (unit vectors: the dot product is the cosine). Entries are kept in a ring in the order
 * they were stored: with one TTL for all, that is also the order they expire, so expiry drops from the oldest end
 * and, when the partition is full, the oldest entry makes room. The ring grows by doubling up to {@code capacity}.
 * The ring is the source of truth; every similarity reported is the exact dot product with the stored vector.
 * <p>
 * Search: below {@code exactBelow} live entries, an exhaustive scan (exact, and faster than a graph at that size).
 * From {@code exactBelow} up, a Lucene HNSW graph ({@link HnswGraphBuilder}, {@link #MAX_CONN} neighbours per node,
 * beam width {@link #BEAM_WIDTH}) yields the top {@link #CANDIDATES} candidates, whose exact similarity is then
 * computed; the best is returned if it reaches the threshold. The graph is approximate: a well-separated nearest
 * entry (a paraphrase, a near-duplicate) is found, but for a query with no close entry the reported one may not be
 * the true nearest (that only matters for thresholds far below any useful semantic-cache threshold).
 * <p>
 * Deletion: an HNSW graph cannot delete nodes. Graph node {@code n} is the entry stored {@code n}-th since the graph
 * was built, and entries die oldest first (expiry, eviction), so the dead nodes are exactly those below the first
 * live one; a search passes Lucene an accept filter that admits only live, unexpired nodes (dead ones are still
 * traversed, never returned). When dead nodes reach the number of live ones, a replacement graph is started from the
 * live entries and built {@link #CATCH_UP} insertions per {@code add} (on the storing thread) while the old one keeps
 * serving; once it has caught up it replaces the old one. A full partition thus costs about 2.5 graph insertions
 * per add and at most about 2.5 times its size in nodes, and no add ever rebuilds a whole graph at once. The first
 * graph is built the same way when a partition reaches {@code exactBelow} entries (searches scan until it is
 * ready); below {@code exactBelow} live entries the graph is dropped. All methods are synchronized.
 */
final class VectorPartition {

	/** Below this many live entries the exhaustive scan is used: exact, and as fast as the graph there. */
	static final int DEFAULT_EXACT_BELOW = 256;

	/** HNSW neighbours per node (Lucene's default). */
	static final int MAX_CONN = 16;

	/** HNSW beam width when inserting (Lucene's default). */
	static final int BEAM_WIDTH = 100;

	/**
	 * Search beam: how many candidates the graph search keeps (Lucene's {@code k}); all are then scored exactly. 48
	 * finds the near-duplicate among 20,000 random 384-dimension vectors 99.8% of the time (16: 92%, 64: 100%).
	 */
	static final int CANDIDATES = 48;

	/** Graph insertions a rebuild in progress makes per {@code add}: it catches up two entries per add. */
	private static final int CATCH_UP = 3;

	private static final long SEED = 42;

	/** A match: the entry's answer and its cosine similarity to the query. */
	record Match(CachedResponse response, double similarity) {
	}

	private final int dimensions;

	private final int capacity;

	private final int exactBelow;

	private float[][] vectors;

	private @Nullable CachedResponse[] responses;

	private long[] expiresAt;

	private int head;

	private int size;

	/** Sequence number of the next entry stored; the oldest live entry's is {@code next - size}. */
	private long next;

	/** The graph searched, complete up to the newest entry; {@code null} while the partition is scanned. */
	private @Nullable Graph graph;

	/** A replacement graph being built a few entries per add; swapped in once it has caught up. */
	private @Nullable Graph building;

	VectorPartition(int dimensions, int capacity) {
		this(dimensions, capacity, DEFAULT_EXACT_BELOW);
	}

	VectorPartition(int dimensions, int capacity, int exactBelow) {
		this.dimensions = dimensions;
		this.capacity = capacity;
		this.exactBelow = Math.max(1, exactBelow);
		int initial = Math.min(capacity, 16);
		this.vectors = new float[initial][];
		this.responses = new CachedResponse[initial];
		this.expiresAt = new long[initial];
	}

	/**
	 * Adds an entry expiring at {@code expiresAt} (nanos, same clock as {@code now}), dropping expired entries and, if
	 * still full, the oldest.
	 * @return how the number of entries changed (1, or 0 when the oldest made room, or less after expiry)
	 */
	synchronized int add(float[] vector, CachedResponse response, long now, long expiresAt) {
		if (vector.length != this.dimensions) {
			throw new IllegalArgumentException("vector has " + vector.length + " dimensions, not " + this.dimensions);
		}
		int before = this.size;
		expire(now);
		if (this.size == this.capacity) {
			drop();
		}
		if (this.size == this.responses.length) {
			grow();
		}
		int slot = (this.head + this.size) % this.responses.length;
		float[] copy = vector.clone();
		this.vectors[slot] = copy;
		this.responses[slot] = response;
		this.expiresAt[slot] = expiresAt;
		this.size++;
		this.next++;
		maintainGraph(copy);
		return this.size - before;
	}

	/** The most similar live entry at or above {@code threshold}, or {@code null}. */
	synchronized @Nullable Match nearest(float[] query, double threshold, long now) {
		Graph graph = this.graph;
		int best = graph != null && this.size >= this.exactBelow ? graphNearest(graph, query, now) : scanNearest(query, now);
		if (best < 0) {
			return null;
		}
		double score = dot(query, this.vectors[best], 0, this.dimensions);
		CachedResponse response = this.responses[best];
		return response != null && score >= threshold ? new Match(response, score) : null;
	}

	/** Drops expired entries; returns how many. */
	synchronized int expire(long now) {
		int dropped = 0;
		while (this.size > 0 && this.expiresAt[this.head] - now <= 0) {
			drop();
			dropped++;
		}
		return dropped;
	}

	synchronized int size() {
		return this.size;
	}

	/** Whether searches currently go through the HNSW graph (for tests). */
	synchronized boolean usesGraph() {
		return this.graph != null && this.size >= this.exactBelow;
	}

	/** Nodes in the searched graph, live and dead (for tests); 0 without a graph. */
	synchronized int graphNodes() {
		return this.graph != null ? this.graph.vectors.size() : 0;
	}

	private int scanNearest(float[] query, long now) {
		int length = this.responses.length;
		int best = -1;
		double bestScore = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < this.size; i++) {
			int slot = (this.head + i) % length;
			if (this.expiresAt[slot] - now <= 0) {
				continue; // expired: dropped by the next expire()
			}
			double score = dot(query, this.vectors[slot], 0, this.dimensions);
			if (score > bestScore) {
				bestScore = score;
				best = slot;
			}
		}
		return best;
	}

	/** The best live slot among the graph's candidates, by exact similarity; -1 if none. */
	private int graphNearest(Graph graph, float[] query, long now) {
		long oldest = this.next - this.size;
		int firstLive = (int) (oldest - graph.base);
		int nodes = graph.vectors.size();
		Bits live = new Bits() {
			@Override
			public boolean get(int node) {
				return node >= firstLive && expiresAt[slotOf(graph.base + node)] - now > 0;
			}

			@Override
			public int length() {
				return nodes;
			}
		};
		KnnCollector found;
		try {
			RandomVectorScorer scorer = DefaultFlatVectorScorer.INSTANCE
				.getRandomVectorScorer(VectorSimilarityFunction.DOT_PRODUCT, graph.values, query);
			found = HnswGraphSearcher.search(scorer, CANDIDATES, graph.hnsw, live, Integer.MAX_VALUE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex); // on-heap vectors: not thrown
		}
		int best = -1;
		double bestScore = Double.NEGATIVE_INFINITY;
		for (ScoreDoc candidate : found.topDocs().scoreDocs) {
			if (candidate.doc < firstLive) {
				continue; // the filter admits none, but never trust a dead node
			}
			int slot = slotOf(graph.base + candidate.doc);
			if (this.expiresAt[slot] - now <= 0) {
				continue;
			}
			double score = dot(query, this.vectors[slot], 0, this.dimensions);
			if (score > bestScore) {
				bestScore = score;
				best = slot;
			}
		}
		return best;
	}

	/** The ring slot of the live entry with sequence number {@code seq}. */
	private int slotOf(long seq) {
		long oldest = this.next - this.size;
		return (int) ((this.head + (seq - oldest)) % this.responses.length);
	}

	/**
	 * After an add: append the new vector to the graph, and start or advance a (re)build, which never blocks a store
	 * for longer than {@link #CATCH_UP} insertions: a new graph starts from the live entries and catches up a few per
	 * add while the old graph (or, the first time, the scan) keeps serving searches.
	 */
	private void maintainGraph(float[] added) {
		if (this.size < this.exactBelow) {
			this.graph = null;
			this.building = null;
			return;
		}
		Graph graph = this.graph;
		if (graph != null) {
			graph.append(added);
		}
		Graph building = this.building;
		if (building != null) {
			building.vectors.add(added);
		}
		else if (graph == null || graph.vectors.size() - this.size >= this.size) {
			// no graph yet, or as many dead nodes as live ones: rebuild from the live entries, oldest first
			building = new Graph(this.dimensions, this.next - this.size);
			for (int i = 0; i < this.size; i++) {
				building.vectors.add(this.vectors[(this.head + i) % this.responses.length]);
			}
			this.building = building;
		}
		else {
			return;
		}
		for (int i = 0; i < CATCH_UP && !building.complete(); i++) {
			building.insertNext();
		}
		if (building.complete()) {
			this.graph = building;
			this.building = null;
		}
	}

	private void drop() {
		this.responses[this.head] = null;
		this.vectors[this.head] = null;
		this.head = (this.head + 1) % this.responses.length;
		this.size--;
		if (this.size == 0) {
			this.graph = null;
			this.building = null;
		}
	}

	private void grow() {
		int length = this.responses.length;
		int grown = Math.min(this.capacity, length * 2);
		float[][] vectors = new float[grown][];
		CachedResponse[] responses = new CachedResponse[grown];
		long[] expiresAt = new long[grown];
		for (int i = 0; i < this.size; i++) {
			int slot = (this.head + i) % length;
			vectors[i] = this.vectors[slot];
			responses[i] = this.responses[slot];
			expiresAt[i] = this.expiresAt[slot];
		}
		this.vectors = vectors;
		this.responses = responses;
		this.expiresAt = expiresAt;
		this.head = 0;
	}

	/** Dot product of {@code query} with the vector at {@code offset}; four accumulators so the JIT can pipeline. */
	static double dot(float[] query, float[] data, int offset, int dimensions) {
		float s0 = 0;
		float s1 = 0;
		float s2 = 0;
		float s3 = 0;
		int i = 0;
		for (; i + 3 < dimensions; i += 4) {
			s0 += query[i] * data[offset + i];
			s1 += query[i + 1] * data[offset + i + 1];
			s2 += query[i + 2] * data[offset + i + 2];
			s3 += query[i + 3] * data[offset + i + 3];
		}
		for (; i < dimensions; i++) {
			s0 += query[i] * data[offset + i];
		}
		return (double) s0 + s1 + s2 + s3;
	}

	/**
	 * A Lucene HNSW graph over the entries stored since sequence number {@code base}: node {@code n} is entry
	 * {@code base + n}. Holds its own references to the (immutable) vectors, so a dead node can still be traversed;
	 * the first {@code inserted} of them are in the graph (all of them once complete).
	 */
	private static final class Graph {

		final long base;

		final List<float[]> vectors = new ArrayList<>();

		final RandomAccessVectorValues.Floats values;

		final HnswGraphBuilder builder;

		final OnHeapHnswGraph hnsw;

		int inserted;

		Graph(int dimensions, long base) {
			this.base = base;
			this.values = RandomAccessVectorValues.fromFloats(this.vectors, dimensions);
			try {
				this.builder = HnswGraphBuilder.create(DefaultFlatVectorScorer.INSTANCE
					.getRandomVectorScorerSupplier(VectorSimilarityFunction.DOT_PRODUCT, this.values), MAX_CONN,
						BEAM_WIDTH, SEED);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.hnsw = this.builder.getGraph();
		}

		boolean complete() {
			return this.inserted == this.vectors.size();
		}

		/** Adds a vector and inserts it (the graph must be complete). */
		void append(float[] vector) {
			this.vectors.add(vector);
			insertNext();
		}

		void insertNext() {
			try {
				this.builder.addGraphNode(this.inserted);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.inserted++;
		}

	}

}
