package io.descentwatch.producer.output;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Epoch events as JSON lines (wire contract v1, one event per line) in a file: for users without Kafka, and for
 * the offline {@code detect} and {@code replay} commands. Lines of concurrent runs interleave; each run's lines
 * stay in epoch order.
 */
public final class JsonLinesOutput implements EventOutput {

    private final Path file;
    private final OutputStream out;
    private final EpochEventCodec codec = new EpochEventCodec();

    public JsonLinesOutput(Path file) {
        this.file = file;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void publish(EpochEvent event) {
        try {
            out.write(codec.encode(event));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
