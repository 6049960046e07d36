package io.descentwatch.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The labelled curves corpus beside the checkout ({@code ../shared/curves}), or where DW_CURVES_DIR points.
 * Missing curves fail the test that needs them rather than skipping it.
 */
public final class SharedCurves {

    private SharedCurves() {
    }

    public static Path dir() {
        String env = System.getenv("DW_CURVES_DIR");
        Path dir = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("descentwatch.repo.root", ".")).toAbsolutePath().normalize()
                        .resolve("../shared/curves").normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("labelled curves not found at " + dir
                    + ": expected ../shared/curves beside the checkout, or set DW_CURVES_DIR");
        }
        return dir;
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
