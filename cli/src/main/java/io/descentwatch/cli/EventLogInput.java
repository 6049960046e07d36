package io.descentwatch.cli;

import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.events.EpochEventLines;
import io.descentwatch.importers.ImportException;
import io.descentwatch.importers.LogFormat;
import io.descentwatch.importers.LogImport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where an offline command reads its runs from: JSON-lines events from a file or standard input, or logs of other
 * trackers (TensorBoard event files, CSV logs) imported as events ({@link ImportOptions}). A picocli mixin.
 */
final class EventLogInput {

    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(
            names = "--input",
            paramLabel = "PATH",
            defaultValue = "-",
            description = "Epoch events, one JSON object per line (default: stdin); or a TensorBoard log directory, "
                    + "a CSV log or a directory of them (see --format).")
    String path;

    @Mixin
    ImportOptions imports;

    private LogImport.Result imported;

    /** Standard input, copied once it had to be read twice ({@link #lastEpochs()}). */
    private Path spooled;

    /**
     * Reads every event to {@code onEvent}; a bad line, record or file is one line on {@code err}, naming the
     * command, the input and the line's number (or the file) and reason, and reading goes on. An input that cannot
     * be read at all (nothing found, a bad runs file) is a usage error naming --input.
     */
    EpochEventLines.Counts read(String command, PrintWriter err, EpochEventLines.EventHandler onEvent)
            throws IOException {
        LogFormat format;
        try {
            format = imports.resolve(path);
            if (format != LogFormat.JSONL) {
                EpochEventCodec codec = new EpochEventCodec();
                long[] events = {0};
                imported = imports.importer()
                        .read(
                                Path.of(path),
                                format,
                                e -> {
                                    events[0]++;
                                    onEvent.onEvent(e, codec.encode(e));
                                },
                                problem -> err.println("descentwatch " + command + ": " + problem));
                return new EpochEventLines.Counts(events[0], imported.problems());
            }
        } catch (ImportException e) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--input: " + e.getMessage());
        }
        try (BufferedReader in = open()) {
            return new EpochEventLines()
                    .read(
                            in,
                            onEvent,
                            bad -> err.println("descentwatch " + command + ": " + displayName() + " " + bad),
                            chars -> {});
        }
    }

    /**
     * Each run's last epoch in the input, read once without reporting anything (the detecting pass reports it).
     * Standard input is first copied to a temporary file, which every later read takes instead: it can only be
     * read once.
     */
    Map<String, Long> lastEpochs() throws IOException {
        if (isStdin() && spooled == null) {
            spooled = Files.createTempFile("descentwatch-stdin-", ".jsonl");
            spooled.toFile().deleteOnExit();
            Files.copy(System.in, spooled, StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, Long> last = new HashMap<>();
        read("detect", new PrintWriter(Writer.nullWriter()), (e, raw) -> last.merge(e.runId(), e.epoch(), Math::max));
        return last;
    }

    /** What the import found, when the input was another tracker's logs. */
    Optional<LogImport.Result> imported() {
        return Optional.ofNullable(imported);
    }

    /** What the count of rejections counts: lines of JSON, or problems of an import (records, files, runs). */
    String rejectedWhat() {
        return imported == null ? "lines rejected" : "import problems";
    }

    /** Prints what the import found, when there was one. */
    void describeImport(PrintWriter out) {
        imported().ifPresent(r -> ImportOptions.describe(Path.of(path), r, out));
    }

    BufferedReader open() throws IOException {
        if (spooled != null) {
            return Files.newBufferedReader(spooled, StandardCharsets.UTF_8);
        }
        return isStdin()
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8);
    }

    /** How messages about a bad line name the input. */
    String displayName() {
        return isStdin() ? "stdin" : path;
    }

    private boolean isStdin() {
        return "-".equals(path);
    }
}
