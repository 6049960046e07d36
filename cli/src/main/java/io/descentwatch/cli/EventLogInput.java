package io.descentwatch.cli;

import io.descentwatch.events.EpochEventLines;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where an offline command reads its JSON-lines events from: a file, or standard input. A picocli mixin. */
final class EventLogInput {

    @Option(names = "--input", paramLabel = "FILE", defaultValue = "-",
            description = "Epoch events, one JSON object per line (default: stdin).")
    String path;

    /**
     * Reads every event to {@code onEvent}; a bad line is one line on {@code err}, naming the command, the input and
     * the line's number and reason, and reading goes on.
     */
    EpochEventLines.Counts read(String command, PrintWriter err, EpochEventLines.EventHandler onEvent)
            throws IOException {
        try (BufferedReader in = open()) {
            return new EpochEventLines().read(in, onEvent,
                    bad -> err.println("descentwatch " + command + ": " + displayName() + " " + bad), chars -> { });
        }
    }

    BufferedReader open() throws IOException {
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
