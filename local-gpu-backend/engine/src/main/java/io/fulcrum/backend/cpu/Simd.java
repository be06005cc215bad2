package io.fulcrum.backend.cpu;

/**
 * Whether the CPU kernels may use the JDK's Vector API: only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (an incubator module in Java 17), unless
 * {@code -Dfulcrum.cpu.scalar=true} asks for the scalar loops. Kernels check {@link #AVAILABLE} before touching any
 * class that imports the module, so the engine still loads without it.
 */
public final class Simd {

	/** True when vector kernels can run. */
	public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
			&& !Boolean.getBoolean("fulcrum.cpu.scalar");

	private Simd() {
	}

}
