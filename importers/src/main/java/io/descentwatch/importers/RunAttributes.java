package io.descentwatch.importers;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * What a log rarely says about its run: its sweep, parameter count and training-set size. Each comes from, first
 * to last: the runs file (a small CSV: {@code run} — a run's name, {@code *} matching any characters — and any of
 * {@code sweep_id}, {@code param_count}, {@code train_size}; the first matching row that has the value), a column
 * or scalar tag of that name in the run's own log, or the value given for every run.
 */
public final class RunAttributes {

    static final String RUN = "run";
    static final String SWEEP = "sweep_id";
    static final String PARAM_COUNT = "param_count";
    static final String TRAIN_SIZE = "train_size";

    /** One row of the runs file. */
    private record Row(Pattern run, Map<String, String> values, long line) {}

    /** What every run gets unless its own log or the runs file says otherwise; null where not given (the two
     *  counts apart, so that they cannot be swapped unnoticed). */
    public record Defaults(Long paramCount, String sweepId, Long trainSize) {}

    private final List<Row> rows;
    private final Path file;
    private final Defaults defaults;

    private RunAttributes(List<Row> rows, Path file, Defaults defaults) {
        this.rows = rows;
        this.file = file;
        this.defaults = defaults;
    }

    /** The values given for every run, and the runs file if there is one (null for none). */
    public static RunAttributes load(Path runsFile, Defaults defaults) throws IOException, ImportException {
        if (runsFile == null) {
            return new RunAttributes(List.of(), null, defaults);
        }
        List<Row> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(runsFile, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder()
                        .setReader(reader)
                        .setFormat(CSVFormat.DEFAULT
                                .builder()
                                .setHeader()
                                .setSkipHeaderRecord(true)
                                .setIgnoreSurroundingSpaces(true)
                                .get())
                        .get()) {
            if (!parser.getHeaderNames().contains(RUN)) {
                throw new ImportException(runsFile + ": a runs file needs a '" + RUN + "' column (and any of "
                        + SWEEP + ", " + PARAM_COUNT + ", " + TRAIN_SIZE + "); its header is "
                        + String.join(",", parser.getHeaderNames()));
            }
            for (CSVRecord r : parser) {
                rows.add(new Row(glob(r.get(RUN)), r.toMap(), r.getRecordNumber() + 1));
            }
        } catch (java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new ImportException(runsFile + ": cannot be read as CSV: " + e.getMessage());
        }
        return new RunAttributes(List.copyOf(rows), runsFile, defaults);
    }

    Optional<String> sweepOf(LoggedRun run) throws ImportException {
        Optional<String> given = fromFile(run, SWEEP)
                .or(() -> Optional.ofNullable(run.attributes().get(SWEEP)));
        return given.or(() -> Optional.ofNullable(defaults.sweepId()));
    }

    Optional<Long> paramCountOf(LoggedRun run) throws ImportException {
        return count(run, PARAM_COUNT, defaults.paramCount());
    }

    Optional<Long> trainSizeOf(LoggedRun run) throws ImportException {
        return count(run, TRAIN_SIZE, defaults.trainSize());
    }

    private Optional<Long> count(LoggedRun run, String key, Long fallback) throws ImportException {
        Optional<String> text =
                fromFile(run, key).or(() -> Optional.ofNullable(run.attributes().get(key)));
        if (text.isPresent()) {
            return Optional.of(parseCount(run, key, text.get()));
        }
        NavigableMap<Long, LoggedRun.Sample> tag = run.series().get(key);
        if (tag != null && !tag.isEmpty()) {
            return Optional.of(Math.round(tag.lastEntry().getValue().value()));
        }
        return Optional.ofNullable(fallback);
    }

    private Optional<String> fromFile(LoggedRun run, String key) {
        return rows.stream()
                .filter(r -> r.run().matcher(run.name()).matches())
                .map(r -> r.values().get(key))
                .filter(v -> v != null && !v.isBlank())
                .findFirst();
    }

    private long parseCount(LoggedRun run, String key, String text) throws ImportException {
        try {
            double value = Double.parseDouble(text.trim()); // pandas writes 100.0 for a column that had a gap
            if (value == Math.rint(value)) {
                return (long) value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ImportException("run " + run.name() + ": " + key + " '" + text + "' is not a whole number"
                + (file != null ? " (from " + file + " or the log)" : " (from the log)"));
    }

    /** A run-name pattern: {@code *} matches any characters, everything else itself. */
    private static Pattern glob(String pattern) {
        return Pattern.compile(Arrays.stream(pattern.trim().split("\\*", -1))
                .map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }
}
