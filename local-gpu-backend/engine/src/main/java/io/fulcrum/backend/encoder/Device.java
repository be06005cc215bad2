package io.fulcrum.backend.encoder;

/** Where an encoder runs. */
public enum Device {

	/** A CUDA GPU when one is present and works, else the CPU; the choice and its reason are logged. */
	AUTO,

	/** Always the CPU. */
	CPU,

	/** Always a CUDA GPU; start-up fails, saying why, when none works. */
	CUDA;

	/** Parses {@code auto}, {@code cpu} or {@code cuda}, case-insensitively. */
	public static Device fromConfig(String value) {
		for (Device d : values()) {
			if (d.name().equalsIgnoreCase(value.trim())) {
				return d;
			}
		}
		throw new IllegalArgumentException("unknown device '" + value + "' (expected auto, cpu or cuda)");
	}

}
