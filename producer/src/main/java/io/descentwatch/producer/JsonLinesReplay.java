package io.descentwatch.producer;

import io.descentwatch.events.EpochEventLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Replays a JSON-lines log of epoch events to Kafka: every valid line is published as it is (so fields this
 * version does not know survive), every bad line is reported, and the rest still go through.
 */
public final class JsonLinesReplay {

    /** What a replay did. */
    public record Outcome(long published, long runs, long rejected) {}

    public Outcome replay(
            BufferedReader in,
            EpochPublisher publisher,
            Consumer<EpochEventLines.BadLine> onBadLine,
            LongConsumer onProgressChars)
            throws IOException {
        Set<String> runs = new HashSet<>();
        EpochEventLines.Counts counts = new EpochEventLines()
                .read(
                        in,
                        (event, raw) -> {
                            runs.add(event.runId());
                            publisher.publishRaw(event.runId(), raw);
                        },
                        onBadLine,
                        onProgressChars);
        publisher.flush();
        return new Outcome(counts.valid(), runs.size(), counts.rejected());
    }
}
