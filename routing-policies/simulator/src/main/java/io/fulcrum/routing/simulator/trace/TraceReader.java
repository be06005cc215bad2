package io.fulcrum.routing.simulator.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads request traces from CSV. The header decides the format:
 * <ul>
 * <li>Azure LLM inference traces as published: {@code TIMESTAMP,ContextTokens,GeneratedTokens}, timestamps such as
 * {@code 2023-11-16 18:15:46.6805900}; arrival is the offset from the earliest row.</li>
 * <li>The generic format: {@code arrival_s,prompt_tokens,output_tokens} and optionally {@code tenant} and
 * {@code slo_class}, in any column order; arrival in seconds from the start.</li>
 * </ul>
 * Rows are returned in arrival order. Every error names the file and line.
 */
public final class TraceReader {

	private static final DateTimeFormatter AZURE_TIME = new DateTimeFormatterBuilder()
		.appendPattern("yyyy-MM-dd HH:mm:ss")
		.optionalStart()
		.appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
		.optionalEnd()
		.toFormatter(Locale.ROOT);

	private TraceReader() {
	}

	/** Reads the trace at {@code path}. */
	public static List<TraceRequest> read(Path path) throws IOException {
		try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
			return read(reader, path.toString());
		}
	}

	/** Reads a trace; {@code source} names it in error messages. */
	public static List<TraceRequest> read(Reader in, String source) throws IOException {
		BufferedReader reader = in instanceof BufferedReader buffered ? buffered : new BufferedReader(in);
		String header = reader.readLine();
		int lineNumber = 1;
		while (header != null && header.isBlank()) {
			header = reader.readLine();
			lineNumber++;
		}
		if (header == null) {
			throw new TraceFormatException(source + ": the trace is empty");
		}
		Columns columns = Columns.of(split(stripBom(header)), source, lineNumber);
		List<Row> rows = new ArrayList<>();
		String line;
		while ((line = reader.readLine()) != null) {
			lineNumber++;
			if (line.isBlank()) {
				continue;
			}
			rows.add(columns.parse(split(line), source, lineNumber));
		}
		if (rows.isEmpty()) {
			throw new TraceFormatException(source + ": the trace has a header but no requests");
		}
		return toRequests(rows, columns.azure);
	}

	private static List<TraceRequest> toRequests(List<Row> rows, boolean azure) {
		// Azure timestamps are absolute: arrival counts from the earliest one. Sorting is stable, so rows with the
		// same arrival keep file order.
		long origin = azure ? rows.stream().mapToLong(Row::time).min().orElse(0) : 0;
		List<Row> sorted = new ArrayList<>(rows);
		sorted.sort(Comparator.comparingLong(Row::time));
		List<TraceRequest> requests = new ArrayList<>(sorted.size());
		for (Row row : sorted) {
			requests.add(new TraceRequest(requests.size(), row.time - origin, row.prompt, row.output, row.tenant,
					row.sloClass));
		}
		return requests;
	}

	private static String stripBom(String header) {
		return header.startsWith("\uFEFF") ? header.substring(1) : header;
	}

	private static String[] split(String line) {
		String[] cells = line.split(",", -1);
		for (int i = 0; i < cells.length; i++) {
			String cell = cells[i].trim();
			if (cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")) {
				cell = cell.substring(1, cell.length() - 1);
			}
			cells[i] = cell;
		}
		return cells;
	}

	private record Row(long time, long prompt, long output, String tenant, String sloClass) {
	}

	/** Where each field sits in the file's columns. */
	private record Columns(boolean azure, int time, int prompt, int output, int tenant, int sloClass, int width) {

		static Columns of(String[] header, String source, int line) {
			List<String> names = Arrays.stream(header).map(name -> name.toLowerCase(Locale.ROOT)).toList();
			if (names.contains("timestamp") && names.contains("contexttokens") && names.contains("generatedtokens")) {
				return new Columns(true, names.indexOf("timestamp"), names.indexOf("contexttokens"),
						names.indexOf("generatedtokens"), -1, -1, header.length);
			}
			List<String> missing = new ArrayList<>();
			for (String required : List.of("arrival_s", "prompt_tokens", "output_tokens")) {
				if (!names.contains(required)) {
					missing.add(required);
				}
			}
			if (!missing.isEmpty()) {
				throw new TraceFormatException(source + ":" + line + ": unknown trace header '" + String.join(",", header)
						+ "': expected the Azure columns TIMESTAMP,ContextTokens,GeneratedTokens or "
						+ "arrival_s,prompt_tokens,output_tokens[,tenant][,slo_class] (missing " + missing + ")");
			}
			return new Columns(false, names.indexOf("arrival_s"), names.indexOf("prompt_tokens"),
					names.indexOf("output_tokens"), names.indexOf("tenant"), names.indexOf("slo_class"), header.length);
		}

		Row parse(String[] cells, String source, int line) {
			if (cells.length < this.width) {
				throw new TraceFormatException(source + ":" + line + ": expected " + this.width + " columns, found "
						+ cells.length);
			}
			long at = this.azure ? timestamp(cells[this.time], source, line) : seconds(cells[this.time], source, line);
			long prompt = count(cells[this.prompt], this.azure ? "ContextTokens" : "prompt_tokens", source, line);
			long output = count(cells[this.output], this.azure ? "GeneratedTokens" : "output_tokens", source, line);
			return new Row(at, prompt, output, optional(cells, this.tenant), optional(cells, this.sloClass));
		}

		private static String optional(String[] cells, int column) {
			return column < 0 || cells[column].isEmpty() ? null : cells[column];
		}

		private static long timestamp(String cell, String source, int line) {
			try {
				LocalDateTime time = LocalDateTime.parse(cell, AZURE_TIME);
				return ChronoUnit.NANOS.between(LocalDateTime.of(2000, 1, 1, 0, 0), time);
			}
			catch (DateTimeParseException ex) {
				throw new TraceFormatException(source + ":" + line + ": TIMESTAMP '" + cell
						+ "' is not a time such as 2023-11-16 18:15:46.6805900");
			}
		}

		private static long seconds(String cell, String source, int line) {
			try {
				double value = Double.parseDouble(cell);
				if (value >= 0 && Double.isFinite(value)) {
					return Math.round(value * 1e9);
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			throw new TraceFormatException(source + ":" + line + ": arrival_s '" + cell
					+ "' is not a non-negative number of seconds");
		}

		private static long count(String cell, String column, String source, int line) {
			try {
				long value = Long.parseLong(cell);
				if (value >= 0) {
					return value;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			throw new TraceFormatException(source + ":" + line + ": " + column + " '" + cell
					+ "' is not a non-negative whole number of tokens");
		}

	}

}
