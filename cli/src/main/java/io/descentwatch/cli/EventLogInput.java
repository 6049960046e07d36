package io.descentwatch.cli;

import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where an offline command reads its JSON-lines events from: a file, or standard input. A picocli mixin. */
final class EventLogInput {

    @Option(names = "--input", paramLabel = "FILE", defaultValue = "-",
            description = "Epoch events, one JSON object per line (default: stdin).")
    String path;

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
