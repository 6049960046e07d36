package io.descentwatch.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.descentwatch.detection.BinaryStateCodec;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.RunStep;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the detector spends per event in its own code (JMH), each step beside its floor: decoding an event against
 * merely tokenizing its JSON with Jackson, a run detector step, and what a commit or a summary costs in encoding.
 * The events are the detector benchmark's synthetic runs, interleaved as live runs arrive.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class PerEventCost {

    /**
     * The default of {@link #runsInFlight}. A live detector has as many runs' states in play as runs are training.
     * Measured, the step cost the same at 50 and at 200 runs and more at thousands (docs/benchmarks.md).
     */
    static final String RUNS_IN_FLIGHT = "50";

    private static final int EPOCHS = 200;

    /** Runs whose events arrive interleaved, each with its own state (`bench events --runs-in-flight`). */
    @Param(RUNS_IN_FLIGHT)
    public int runsInFlight;

    private final EpochEventCodec codec = new EpochEventCodec();
    private final JsonFactory json = new JsonFactory();
    private final RunDetector detector = new RunDetector(DetectionSettings.defaults());
    private final BinaryStateCodec binary = new BinaryStateCodec();
    private final PublishedJson published = new PublishedJson();
    private final Map<String, RunState> states = new HashMap<>();
    private byte[][] encoded;
    private EpochEvent[] events;
    private RunState[] midRun;
    private int next;

    @Setup
    public void load() {
        SyntheticRuns runs = new SyntheticRuns("jmh", EPOCHS);
        events = new EpochEvent[runsInFlight * EPOCHS];
        encoded = new byte[events.length][];
        int i = 0;
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            for (int run = 0; run < runsInFlight; run++) {
                events[i] = runs.event(
                        run, epoch, Instant.parse("2026-12-01T00:00:00Z").plusSeconds(epoch));
                encoded[i] = codec.encode(events[i]);
                i++;
            }
        }
        midRun = new RunState[runsInFlight];
        Map<String, RunState> replay = new HashMap<>();
        for (int k = 0; k < events.length / 2; k++) {
            replay.put(
                    events[k].runId(),
                    detector.step(replay.get(events[k].runId()), events[k]).state());
        }
        for (int run = 0; run < runsInFlight; run++) {
            midRun[run] = replay.get(runs.runId(run));
        }
    }

    private int nextIndex() {
        int i = next;
        next = next + 1 == events.length ? 0 : next + 1;
        return i;
    }

    @Benchmark
    public void tokenizeOnly(Blackhole out) throws IOException {
        try (JsonParser p = json.createParser(encoded[nextIndex()])) {
            while (p.nextToken() != null) {
                out.consume(p.currentTokenId());
            }
        }
    }

    @Benchmark
    public Object decode() {
        return codec.decode(encoded[nextIndex()]);
    }

    @Benchmark
    public RunStep detectorStep() {
        int i = nextIndex();
        if (i == 0) {
            // the runs start again: without this, every later event would be a stale retransmission
            states.clear();
        }
        EpochEvent e = events[i];
        RunStep step = detector.step(states.get(e.runId()), e);
        states.put(e.runId(), step.state());
        return step;
    }

    @Benchmark
    public byte[] encodeStateForTheStore() {
        return binary.encodeRun(midRun[nextIndex() % runsInFlight]);
    }

    @Benchmark
    public byte[] encodeSummaryForTheRunsTopic() {
        RunState state = midRun[nextIndex() % runsInFlight];
        return published.encodeSummary(state.reported());
    }
}
