package io.descentwatch.producer;

import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.events.Rejection;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Replays a JSON-lines log of epoch events: every valid line is published as it is (so fields this version does
 * not know survive), every bad line is reported with its number and reason, and the rest still go through.
 */
public final class JsonLinesReplay {

    /** One rejected input line. */
    public record BadLine(long lineNumber, Rejection rejection) {
        @Override
        public String toString() {
            return "line " + lineNumber + ": " + rejection;
        }
    }

    /** What a replay did. */
    public record Outcome(long published, long runs, long rejected) {
    }

    public interface BadLineListener {
        void onBadLine(BadLine bad);
    }

    private final EpochEventCodec codec = new EpochEventCodec();

    public Outcome replay(BufferedReader in, EpochPublisher publisher, BadLineListener onBadLine,
                          LongConsumer onProgressBytes) throws IOException {
        long lineNumber = 0;
        long published = 0;
        long rejected = 0;
        Set<String> runs = new HashSet<>();
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            onProgressBytes.accept(line.length() + 1L);
            if (line.isBlank()) {
                continue;
            }
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            Decoded<EpochEvent> decoded = codec.decode(bytes);
            if (decoded instanceof Decoded.Invalid<EpochEvent> invalid) {
                rejected++;
                onBadLine.onBadLine(new BadLine(lineNumber, invalid.rejection()));
                continue;
            }
            String runId = decoded.value().runId();
            runs.add(runId);
            publisher.publishRaw(runId, bytes);
            published++;
        }
        publisher.flush();
        return new Outcome(published, runs.size(), rejected);
    }
}
