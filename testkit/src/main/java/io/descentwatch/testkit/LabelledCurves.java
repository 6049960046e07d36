package io.descentwatch.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/**
 * The labelled curves corpus the project owns (see {@code curves/README.md} beside these resources): synthetic runs
 * and sweeps whose true shape is known, shipped gzipped in the test kit so the suite needs nothing outside the
 * repository. The files are unpacked once per JVM into a temporary directory that is removed at exit, because the
 * tests read them as files (the same way {@code detect --input} does).
 */
public final class LabelledCurves {

    private static final String RESOURCES = "/io/descentwatch/testkit/curves/";
    private static Path dir;

    private LabelledCurves() {
    }

    public static synchronized Path dir() {
        if (dir == null) {
            try {
                Path unpacked = Files.createTempDirectory("descentwatch-curves-");
                for (String name : new String[]{"epochwise.jsonl", "modelwise.jsonl", "labels.json"}) {
                    unpack(name, unpacked.resolve(name));
                }
                dir = unpacked;
                Runtime.getRuntime().addShutdownHook(new Thread(LabelledCurves::remove, "curves-cleanup"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpack the labelled curves", e);
            }
        }
        return dir;
    }

    private static void unpack(String name, Path target) throws IOException {
        try (InputStream packed = LabelledCurves.class.getResourceAsStream(RESOURCES + name + ".gz")) {
            if (packed == null) {
                throw new IllegalStateException("labelled curve resource missing from the test kit: " + name);
            }
            try (InputStream in = new GZIPInputStream(packed)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void remove() {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    public static Path epochwise() {
        return dir().resolve("epochwise.jsonl");
    }

    public static Path modelwise() {
        return dir().resolve("modelwise.jsonl");
    }

    public static Path labels() {
        return dir().resolve("labels.json");
    }
}
