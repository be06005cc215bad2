package io.fulcrum.backend.llama.cuda;

import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;

import java.util.HashMap;
import java.util.Map;

import io.fulcrum.backend.encoder.cuda.CudaException;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;

/**
 * CUDA graphs of pure decode steps (every sequence one token, every sequence wanting logits): a step's launches
 * depend only on the number of tokens and the width of the block tables (everything else, tokens, positions and
 * tables included, is read from device memory), so the launches of one such shape are captured once and replayed
 * with one {@code cuGraphLaunch}, about 0.5 µs a kernel instead of 6.6. Graphs hold the buffers' addresses: they
 * are dropped when the work buffers are reallocated.
 *
 * <p>Replays go to a blocking stream of their own (capture cannot use the legacy default stream), which the
 * legacy stream's synchronous copies before and after a step order against.
 */
final class DecodeGraphs implements AutoCloseable {

	/** Shapes kept at once; past that, all are dropped and recaptured as needed. */
	private static final int MAX_GRAPHS = 64;

	private final CUstream stream = new CUstream();

	private final Map<Long, CUgraphExec> graphs = new HashMap<>();

	private long bufferGeneration = -1;

	private int captures;

	private boolean closed;

	DecodeGraphs() {
		CudaException.check("cuStreamCreate", cuStreamCreate(this.stream, 0));
	}

	/** Runs {@code launches} as the graph of this shape, capturing it (launched through {@code kernels}) first. */
	void run(int tokens, int maxBlocks, long generation, LlamaKernels kernels, Runnable launches) {
		if (generation != this.bufferGeneration) {
			clear();
			this.bufferGeneration = generation;
		}
		long key = ((long) tokens << 32) | maxBlocks;
		CUgraphExec exec = this.graphs.get(key);
		if (exec == null) {
			if (this.graphs.size() >= MAX_GRAPHS) {
				clear();
			}
			exec = capture(kernels, launches);
			this.graphs.put(key, exec);
		}
		CudaException.check("cuGraphLaunch", cuGraphLaunch(exec, this.stream));
	}

	/** Graphs captured so far. */
	int captures() {
		return this.captures;
	}

	private CUgraphExec capture(LlamaKernels kernels, Runnable launches) {
		CudaException.check("cuStreamBeginCapture",
				cuStreamBeginCapture(this.stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL));
		CUgraph graph = new CUgraph();
		kernels.onStream(this.stream);
		try {
			launches.run();
		}
		catch (RuntimeException ex) {
			// End the capture so the stream is usable again; the partial graph is dropped.
			if (cuStreamEndCapture(this.stream, graph) == 0) {
				cuGraphDestroy(graph);
			}
			throw ex;
		}
		finally {
			kernels.onStream(null);
		}
		CudaException.check("cuStreamEndCapture", cuStreamEndCapture(this.stream, graph));
		CUgraphExec exec = new CUgraphExec();
		try {
			CudaException.check("cuGraphInstantiate", cuGraphInstantiate(exec, graph, 0));
		}
		finally {
			cuGraphDestroy(graph);
		}
		this.captures++;
		return exec;
	}

	private void clear() {
		for (CUgraphExec exec : this.graphs.values()) {
			CudaException.check("cuGraphExecDestroy", cuGraphExecDestroy(exec));
		}
		this.graphs.clear();
	}

	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			clear();
			CudaException.check("cuStreamDestroy", cuStreamDestroy(this.stream));
		}
	}

}
