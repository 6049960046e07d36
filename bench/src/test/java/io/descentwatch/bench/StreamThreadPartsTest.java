package io.descentwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.bench.StreamThreadParts.Part;
import io.descentwatch.events.EpochEventCodec;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A sampled stack is told to the part it works for, and a real JFR recording's samples to the topology that ran
 * them.
 */
class StreamThreadPartsTest {

    private static final String RECORD_LOOP = "StreamTask.process";
    private static final String RUN_PROCESSOR = "RunDetectionProcessor.process";
    /** Samples a topology needs before its shares are read: at 20, one stray sample moves a share by 5%. */
    private static final int ENOUGH_SAMPLES = 20;

    @Test
    void eachStackGoesToThePartItWorksFor() {
        assertThat(Part.of(
                        Set.of("EpochEventCodec.decode", "KStreamMapValues$KStreamMapProcessor.process", RECORD_LOOP)))
                .isEqualTo(Part.DECODING);
        assertThat(Part.of(Set.of("SmoothedSeries.add", "RunDetector.step", RUN_PROCESSOR, RECORD_LOOP)))
                .isEqualTo(Part.RUN_STEP);
        // what the run detector forwards to a topic is publishing, not the processor's own work
        assertThat(Part.of(Set.of("PublishedJson.encodeSummary", "SinkNode.process", RUN_PROCESSOR, RECORD_LOOP)))
                .isEqualTo(Part.PUBLISHING);
        assertThat(Part.of(
                        Set.of("SinkNode.process", "SweepDetectionProcessor.publishChanged", "TaskManager.punctuate")))
                .isEqualTo(Part.PUBLISHING);
        assertThat(Part.of(Set.of("SweepDetector.step", "SweepDetectionProcessor.process", RECORD_LOOP)))
                .isEqualTo(Part.SWEEP_DETECTOR);
        assertThat(Part.of(Set.of("HashMap.getNode", RUN_PROCESSOR, RECORD_LOOP)))
                .isEqualTo(Part.RUN_STATE);
        // the run states written at a commit are the run detector's state, not the commit's own work
        assertThat(Part.of(Set.of("DecodedStateStore.flushCache", "TaskManager.commit", "StreamThread.maybeCommit")))
                .isEqualTo(Part.RUN_STATE);
        assertThat(Part.of(Set.of("TransactionManager.beginCommit", "TaskManager.commit", "StreamThread.maybeCommit")))
                .isEqualTo(Part.COMMITS);
        assertThat(Part.of(Set.of("DefaultRecord.readFrom", "StreamThread.pollPhase")))
                .isEqualTo(Part.FETCHING);
        assertThat(Part.of(Set.of("ProcessorContextImpl.forward", RECORD_LOOP))).isEqualTo(Part.KAFKA_STREAMS);
        assertThat(Part.of(List.of())).isEqualTo(Part.KAFKA_STREAMS);
    }

    /** Where the classes a part names live: a renamed method would otherwise send its samples to "the rest". */
    private static final List<String> PACKAGES = List.of(
            "io.descentwatch.events",
            "io.descentwatch.detection",
            "io.descentwatch.streams.detector",
            "org.apache.kafka.streams.processor.internals");

    @Test
    void everyMethodAPartNamesExists() {
        for (Part part : Part.values()) {
            for (String method : part.methods()) {
                String simpleName = method.substring(0, method.indexOf('.'));
                String name = method.substring(method.indexOf('.') + 1);
                List<Class<?>> classes = PACKAGES.stream()
                        .<Class<?>>map(p -> load(p + "." + simpleName))
                        .filter(Objects::nonNull)
                        .toList();
                assertThat(classes).as(method).hasSize(1);
                assertThat(classes.get(0).getDeclaredMethods())
                        .as(method)
                        .extracting(Method::getName)
                        .contains(name);
            }
        }
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, StreamThreadPartsTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    @Test
    void aTallysSharesAddUpAndTalliesAdd() {
        StreamThreadParts.Tally one = StreamThreadParts.Tally.of(Map.of(Part.DECODING, 3L, Part.RUN_STEP, 1L), 1);
        StreamThreadParts.Tally two = one.plus(StreamThreadParts.Tally.of(Map.of(Part.DECODING, 1L), 0));
        assertThat(two.total()).isEqualTo(5);
        assertThat(two.truncated()).isEqualTo(1);
        assertThat(two.share(Part.DECODING)).isEqualTo(0.8);
        assertThat(Part.values()).extracting(two::share).containsOnly(0.8, 0.2, 0.0);
        assertThat(StreamThreadParts.Tally.of(Map.of(), 0).share(Part.DECODING)).isNaN();
    }

    @Test
    void aRecordingsSamplesGoToTheTopologyWhoseThreadRanThem() throws Exception {
        EpochEventCodec codec = new EpochEventCodec();
        byte[] event = codec.encode(new SyntheticRuns("parts", 10).event(0, 1, Instant.now()));
        AtomicBoolean stop = new AtomicBoolean();
        // "bench-7" must not take the samples of "bench-77", whose name it begins
        Thread decoding = busy("bench-7-4b2c-StreamThread-1", stop, () -> codec.decode(event));
        Thread spinning = busy("bench-77-4b2c-StreamThread-1", stop, Thread::onSpinWait);
        Thread notAStreamThread = busy("bench-7-4b2c-other", stop, Thread::onSpinWait);
        Map<String, StreamThreadParts.Tally> tallies = new HashMap<>();
        List.of(decoding, spinning, notAStreamThread).forEach(Thread::start);
        try {
            // JFR takes far fewer samples than its period allows with three busy threads on 2 cores (25 to 143 per
            // thread in 1.5 s, measured here): record again until each topology has enough for its shares to mean
            // something, rather than hope one recording of a fixed length does
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            do {
                try (StreamThreadProfile profile = StreamThreadProfile.start()) {
                    Thread.sleep(1500);
                    profile.stop(List.of("bench-7", "bench-77", "bench-8"))
                            .forEach((id, tally) -> tallies.merge(id, tally, StreamThreadParts.Tally::plus));
                }
            } while (fewestSamples(tallies) <= ENOUGH_SAMPLES && System.nanoTime() < deadline);
        } finally {
            stop.set(true);
            for (Thread t : List.of(decoding, spinning, notAStreamThread)) {
                t.join();
            }
        }
        StreamThreadParts.Tally seven = tallies.get("bench-7");
        StreamThreadParts.Tally seventySeven = tallies.get("bench-77");
        assertThat(seven.total()).isGreaterThan(ENOUGH_SAMPLES);
        // were the spinning thread's samples taken for bench-7's, this would be about a half
        assertThat(seven.share(Part.DECODING)).isGreaterThan(0.8);
        assertThat(seventySeven.total()).isGreaterThan(ENOUGH_SAMPLES);
        assertThat(seventySeven.share(Part.KAFKA_STREAMS)).isEqualTo(1.0);
        assertThat(tallies.get("bench-8").total()).isZero();
    }

    /** The samples of whichever of the two busy topologies has fewer. */
    private static long fewestSamples(Map<String, StreamThreadParts.Tally> tallies) {
        return Math.min(tallies.get("bench-7").total(), tallies.get("bench-77").total());
    }

    private static Thread busy(String name, AtomicBoolean stop, Runnable work) {
        return new Thread(
                () -> {
                    while (!stop.get()) {
                        work.run();
                    }
                },
                name);
    }
}
