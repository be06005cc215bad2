package io.fulcrum.backend.encoder.cuda;

import java.io.IOException;
import java.io.OutputStream;

/** Writes to two streams: the GPU checks' console and their log file. */
public final class Tee extends OutputStream {

	private final OutputStream a;

	private final OutputStream b;

	public Tee(OutputStream a, OutputStream b) {
		this.a = a;
		this.b = b;
	}

	@Override
	public void write(int c) throws IOException {
		this.a.write(c);
		this.b.write(c);
	}

	@Override
	public void write(byte[] bytes, int off, int len) throws IOException {
		this.a.write(bytes, off, len);
		this.b.write(bytes, off, len);
	}

	@Override
	public void flush() throws IOException {
		this.a.flush();
		this.b.flush();
	}

}
