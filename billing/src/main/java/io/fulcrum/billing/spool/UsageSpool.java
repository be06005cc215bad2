package io.fulcrum.billing.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.fulcrum.billing.usage.UsageRecord;

/**
 * A write-ahead spool of usage records: batches are appended to segment files and forced to disk
 * ({@code fsync}) before the database sees them; a checkpoint file says up to where the database has them. After a
 * crash or a database outage, everything past the checkpoint is read back, in order, and written again (the
 * ledger's writes are idempotent, so a record written twice counts once).
 *
 * <p>What a process killed with SIGKILL can lose is what it had not yet appended here: the records of the batch
 * being gathered (at most one batch) and those that arrived while the last batch was being forced. A torn last line
 * (the kill came mid-write) is ignored. One writer thread appends and checkpoints.
 */
public final class UsageSpool implements AutoCloseable {

	private static final String CHECKPOINT = "checkpoint";

	private static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

	private final Path dir;

	private final long segmentBytes;

	private long segment;

	private FileChannel channel;

	private long appended;

	private final FileChannel lockChannel;

	private final FileLock lock;

	/**
	 * A place in the spool.
	 *
	 * @param segment the segment file's sequence number
	 * @param offset bytes into it
	 */
	public record Position(long segment, long offset) {
	}

	/**
	 * Records past the checkpoint, in the order they were appended.
	 *
	 * @param records the records
	 * @param end where they end: checkpoint this once the database has them
	 */
	public record Pending(List<UsageRecord> records, Position end) {
	}

	private UsageSpool(Path dir, long segmentBytes) throws IOException {
		this.dir = dir;
		this.segmentBytes = segmentBytes;
		Files.createDirectories(dir);
		// One process per spool: another one's checkpoint would delete segments this one still writes.
		this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
		FileLock held;
		try {
			held = this.lockChannel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			held = null;
		}
		if (held == null) {
			this.lockChannel.close();
			throw new IllegalStateException("the usage spool " + dir + " is in use by another gateway process; give "
					+ "each process its own spool directory (fulcrum.storage.spool-dir)");
		}
		this.lock = held;
		// Every start writes a new segment; older ones hold what earlier processes left and are replayed.
		this.segment = segments().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
		this.channel = open(this.segment);
	}

	/** Opens (creating if needed) the spool in {@code dir}. */
	public static UsageSpool open(Path dir) {
		return open(dir, DEFAULT_SEGMENT_BYTES);
	}

	static UsageSpool open(Path dir, long segmentBytes) {
		try {
			return new UsageSpool(dir, segmentBytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot open the usage spool in " + dir, ex);
		}
	}

	/** Appends a batch and forces it to disk; returns where it ends. */
	public synchronized Position append(List<UsageRecord> batch) throws IOException {
		StringBuilder text = new StringBuilder(batch.size() * 200);
		for (UsageRecord record : batch) {
			text.append(SpoolCodec.encode(record));
		}
		ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
		while (bytes.hasRemaining()) {
			this.channel.write(bytes);
		}
		this.channel.force(false);
		this.appended += batch.size();
		Position end = new Position(this.segment, this.channel.position());
		if (end.offset() >= this.segmentBytes) {
			this.channel.close();
			this.segment++;
			this.channel = open(this.segment);
		}
		return end;
	}

	/** Records appended by this process (for tests and metrics). */
	public synchronized long appended() {
		return this.appended;
	}

	/** Everything past the checkpoint, including what earlier processes left, in order. */
	public synchronized Pending pending() throws IOException {
		Position from = checkpointed();
		List<UsageRecord> records = new ArrayList<>();
		Position end = from;
		for (long seq : segments()) {
			if (seq < from.segment()) {
				continue;
			}
			byte[] content = Files.readAllBytes(file(seq));
			int start = seq == from.segment() ? (int) Math.min(from.offset(), content.length) : 0;
			int lineStart = start;
			for (int i = start; i < content.length; i++) {
				if (content[i] == '\n') {
					String line = new String(content, lineStart, i - lineStart, StandardCharsets.UTF_8);
					try {
						records.add(SpoolCodec.decode(line));
					}
					catch (RuntimeException unreadable) {
						System.getLogger(UsageSpool.class.getName())
							.log(System.Logger.Level.ERROR, "unreadable usage spool line skipped in " + file(seq)
									+ ": " + unreadable.getMessage());
					}
					lineStart = i + 1;
				}
			}
			// A last line without its end was torn by a crash mid-write: it never counted as appended.
			end = new Position(seq, lineStart);
		}
		return new Pending(records, end);
	}

	/** The database has everything up to {@code position}: remember it and delete the segments before it. */
	public synchronized void checkpoint(Position position) throws IOException {
		Path temporary = this.dir.resolve(CHECKPOINT + ".tmp");
		Files.writeString(temporary, position.segment() + " " + position.offset());
		Files.move(temporary, this.dir.resolve(CHECKPOINT), StandardCopyOption.REPLACE_EXISTING,
				StandardCopyOption.ATOMIC_MOVE);
		for (long seq : segments()) {
			if (seq < position.segment() && seq != this.segment) {
				Files.deleteIfExists(file(seq));
			}
		}
	}

	private Position checkpointed() throws IOException {
		Path checkpoint = this.dir.resolve(CHECKPOINT);
		if (!Files.exists(checkpoint)) {
			return new Position(0, 0);
		}
		String[] parts = Files.readString(checkpoint).trim().split(" ");
		return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
	}

	private List<Long> segments() throws IOException {
		try (Stream<Path> files = Files.list(this.dir)) {
			return files.map(path -> path.getFileName().toString())
				.filter(name -> name.startsWith("segment-") && name.endsWith(".log"))
				.map(name -> Long.valueOf(name.substring("segment-".length(), name.length() - ".log".length())))
				.sorted()
				.toList();
		}
	}

	private FileChannel open(long seq) throws IOException {
		return FileChannel.open(file(seq), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND);
	}

	private Path file(long seq) {
		return this.dir.resolve(String.format("segment-%020d.log", seq));
	}

	@Override
	public synchronized void close() throws IOException {
		this.channel.close();
		this.lock.release();
		this.lockChannel.close();
	}

}
