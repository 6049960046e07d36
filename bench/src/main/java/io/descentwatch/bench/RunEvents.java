package io.descentwatch.bench;

import io.descentwatch.events.EpochEvent;
import java.time.Instant;

/** Benchmark load: the events of numbered runs, deterministic in (run, epoch), for {@link EventLoader}. */
interface RunEvents {

    int epochsPerRun();

    String runId(int run);

    /** The event of run {@code run} after {@code epoch} epochs (1-based). */
    EpochEvent event(int run, int epoch, Instant time);
}
