package io.descentwatch.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Reads a JSON-lines log of epoch events: each valid line goes to the handler with its original bytes, each bad
 * line is reported with its number and reason, and reading goes on. Blank lines are skipped.
 */
public final class EpochEventLines {

    /** One rejected input line. */
    public record BadLine(long lineNumber, Rejection rejection) {
        @Override
        public String toString() {
            return "line " + lineNumber + ": " + rejection;
        }
    }

    /** Lines read. */
    public record Counts(long valid, long rejected) {}

    /** Receives each valid event. */
    @FunctionalInterface
    public interface EventHandler {
        void onEvent(EpochEvent event, byte[] raw) throws IOException;
    }

    private final EpochEventCodec codec = new EpochEventCodec();

    public Counts read(
            BufferedReader in, EventHandler onEvent, Consumer<BadLine> onBadLine, LongConsumer onProgressChars)
            throws IOException {
        long lineNumber = 0;
        long valid = 0;
        long rejected = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            onProgressChars.accept(line.length() + 1L);
            if (line.isBlank()) {
                continue;
            }
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            Decoded<EpochEvent> decoded = codec.decode(bytes);
            if (decoded instanceof Decoded.Invalid<EpochEvent> invalid) {
                rejected++;
                onBadLine.accept(new BadLine(lineNumber, invalid.rejection()));
            } else {
                valid++;
                onEvent.onEvent(decoded.value(), bytes);
            }
        }
        return new Counts(valid, rejected);
    }
}
