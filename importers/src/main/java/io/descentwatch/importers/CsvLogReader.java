package io.descentwatch.importers;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads CSV logs (Apache Commons CSV): one file, or every {@code *.csv} under a directory. A file is one run, named
 * by its path under the input without {@code .csv} (a Lightning {@code metrics.csv} by its directory), unless a
 * run column names the run of each row. A file of no known layout, or one that breaks off, is reported by name;
 * the others are read.
 */
final class CsvLogReader {

    /** Columns that give a run its identity rather than a series: read as text, first value wins. */
    static final List<String> ATTRIBUTE_COLUMNS =
            List.of(RunAttributes.SWEEP, RunAttributes.PARAM_COUNT, RunAttributes.TRAIN_SIZE);

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true)
            .setAllowMissingColumnNames(true)
            .setIgnoreEmptyLines(true)
            .get();

    private final CsvLayout forced;
    private final String runColumn;

    /** {@code forced}: the layout of every file, or null to tell each by its header; {@code runColumn} or null. */
    CsvLogReader(CsvLayout forced, String runColumn) {
        this.forced = forced;
        this.runColumn = runColumn;
    }

    static boolean holdsCsvFiles(Path input, Set<Path> excluded) throws IOException {
        return !csvFiles(input, excluded).isEmpty();
    }

    List<LoggedRun> read(Path input, Set<Path> excluded, Consumer<String> problems) throws IOException {
        Map<String, LoggedRun.Builder> runs = new LinkedHashMap<>();
        Path root = Files.isRegularFile(input) ? input.toAbsolutePath().getParent() : input;
        for (Path file : csvFiles(input, excluded)) {
            readFile(root, file, runs, problems);
        }
        List<LoggedRun> out = new ArrayList<>();
        runs.values().stream().filter(b -> !b.isEmpty()).forEach(b -> out.add(b.build()));
        return out;
    }

    private static List<Path> csvFiles(Path input, Set<Path> excluded) throws IOException {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        try (Stream<Path> files = Files.walk(input)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv") && Files.isRegularFile(f))
                    .filter(f -> !excluded.contains(f.toAbsolutePath().normalize()))
                    .sorted()
                    .toList();
        }
    }

    private void readFile(Path root, Path file, Map<String, LoggedRun.Builder> runs, Consumer<String> problems)
            throws IOException {
        Instant fileTime = Files.getLastModifiedTime(file).toInstant();
        String fileRun = file.getFileName().toString().equals("metrics.csv")
                ? RunNames.of(root, file.toAbsolutePath().getParent())
                : stripCsv(RunNames.of(root, file));
        Map<String, CellCounts> cells = new HashMap<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser =
                        CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            List<String> header = parser.getHeaderNames();
            Optional<CsvLayout> layout = forced != null ? Optional.of(forced) : CsvLayout.detect(header);
            if (layout.isEmpty()) {
                problems.accept(file + ": not a CSV log of a known layout (header: " + String.join(",", header)
                        + "); expected Lightning's (epoch, step, ...), Keras' (epoch, ...), W&B's (_step, ...) "
                        + "or MLflow's (key, value, step, ...); skipped");
                return;
            }
            CsvLayout l = layout.get();
            String runCol = runColumn != null
                    ? runColumn
                    : l == CsvLayout.MLFLOW && header.contains("run_id") ? "run_id" : null;
            for (String needed : l == CsvLayout.MLFLOW ? List.of("key", "value", "step") : List.of(l.stepColumn)) {
                if (!header.contains(needed)) {
                    problems.accept(file + ": no column '" + needed + "' that a " + l + " log has; skipped");
                    return;
                }
            }
            if (runCol != null && !header.contains(runCol)) {
                problems.accept(file + ": no run column '" + runCol + "'; skipped");
                return;
            }
            for (CSVRecord row : parser) {
                String runName = runCol == null ? fileRun : row.get(runCol);
                if (runName == null || runName.isBlank()) {
                    continue;
                }
                LoggedRun.Builder run = runs.computeIfAbsent(runName, n -> new LoggedRun.Builder(n, file, fileTime));
                readRow(l, header, row, run, cells);
            }
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // a quote left open, a header that cannot be read: what came before stays
            problems.accept(file + ": cannot be read further (" + e.getMessage() + "); rows before it kept");
        }
        cells.forEach((column, c) -> {
            // a column of text throughout is not a metric (W&B keeps media paths and the like): no complaint
            if (c.bad > 0 && c.numbers > 0) {
                problems.accept(file + ": column '" + column + "': " + c.bad + " cell(s) not a number (first in "
                        + "record " + c.firstBadRecord + "); skipped");
            }
        });
    }

    private static void readRow(
            CsvLayout layout,
            List<String> header,
            CSVRecord row,
            LoggedRun.Builder run,
            Map<String, CellCounts> cells) {
        for (String attribute : ATTRIBUTE_COLUMNS) {
            if (row.isMapped(attribute)
                    && row.isSet(attribute)
                    && !row.get(attribute).isBlank()) {
                run.attribute(attribute, row.get(attribute));
            }
        }
        Double step = number(row, layout.stepColumn);
        if (step == null || step < 0) {
            return;
        }
        long epoch = Math.round(step) + layout.epochOffset;
        Instant time = timeOf(layout, row);
        if (layout == CsvLayout.MLFLOW) {
            Double value = number(row, "value");
            if (value != null) {
                run.add(row.get("key"), epoch, value, time);
            }
            return;
        }
        for (String column : header) {
            if (column.isEmpty()
                    || CsvLayout.BOOKKEEPING.contains(column)
                    || ATTRIBUTE_COLUMNS.contains(column)
                    || !row.isSet(column)
                    || row.get(column).isBlank()) {
                continue;
            }
            Double value = number(row, column);
            CellCounts counts = cells.computeIfAbsent(column, c -> new CellCounts());
            if (value == null) {
                if (counts.bad++ == 0) {
                    counts.firstBadRecord = row.getRecordNumber();
                }
            } else {
                counts.numbers++;
                run.add(column, epoch, value, time);
            }
        }
    }

    /** What one column of one file held: numbers, and cells that were not. */
    private static final class CellCounts {
        long numbers;
        long bad;
        long firstBadRecord;
    }

    private static Instant timeOf(CsvLayout layout, CSVRecord row) {
        Double t = layout.timeColumn == null ? null : number(row, layout.timeColumn);
        if (t == null || t <= 0) {
            return null;
        }
        // W&B writes Unix seconds, MLflow milliseconds
        return layout == CsvLayout.MLFLOW
                ? Instant.ofEpochMilli(Math.round(t))
                : Instant.ofEpochSecond(0, Math.round(t * 1e9));
    }

    /** A cell as a number: NaN and infinities as pandas and Python write them; null when empty or not a number. */
    static Double number(CSVRecord row, String column) {
        if (!row.isMapped(column) || !row.isSet(column)) {
            return null;
        }
        String s = row.get(column).trim();
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "" -> null;
            case "nan" -> Double.NaN;
            case "inf", "infinity", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> parse(s);
        };
    }

    private static Double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String stripCsv(String name) {
        return name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    }
}
