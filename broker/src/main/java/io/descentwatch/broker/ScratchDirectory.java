package io.descentwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory that exists for as long as something runs in it (a broker's logs, a detector's state, a server
 * started by a test) and is removed, with everything in it, when closed.
 */
public record ScratchDirectory(Path path) implements AutoCloseable {

    /** A new directory under the system's temporary directory. */
    public static ScratchDirectory create(String prefix) {
        try {
            return new ScratchDirectory(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    /** A new directory under {@code parent}, which is created if missing. */
    public static ScratchDirectory createIn(Path parent, String prefix) {
        try {
            return new ScratchDirectory(Files.createTempDirectory(Files.createDirectories(parent), prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Removes the directory and its contents; what cannot be removed is left, since nothing depends on it. */
    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a file vanished while walking: the rest is gone or going
        }
    }
}
