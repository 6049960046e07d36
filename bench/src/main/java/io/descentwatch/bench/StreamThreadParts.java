package io.descentwatch.bench;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a stream thread's work, told apart by the frames of a sampled stack. The stage table of {@code bench
 * detector --stages} says what each stage adds to an event's cost in the whole process; this says where, inside the
 * stream threads, it goes, so that the part to cut is named by measurement rather than guessed from the code.
 */
final class StreamThreadParts {

    private StreamThreadParts() {}

    /**
     * A part, and the methods ({@code SimpleClassName.method}) whose presence on a stack puts a sample in it. A
     * stack is given to the first part, in this order, that has one of its methods on it: a summary sent from the
     * run detector's processor is publishing, not the processor's own work, and the run detector's step inside it
     * is the step.
     */
    enum Part {
        DECODING("decoding events", "EpochEventCodec.decode"),
        RUN_STEP("the run detector's step", "RunDetector.step", "RunDetector.idle"),
        PUBLISHING("serialising and sending to topics", "SinkNode.process"),
        SWEEP_DETECTOR(
                "the sweep detector", "SweepDetectionProcessor.process", "SweepDetectionProcessor.publishChanged"),
        RUN_STATE(
                "the run detector's state and the rest of its processor",
                "RunDetectionProcessor.process",
                "RunDetectionProcessor.endIdleRuns",
                "RunDetectionProcessor.publishWaiting",
                "DecodedStateStore.flushCache"),
        COMMITS(
                "commits and punctuations",
                "TaskExecutor.commitTasksAndMaybeUpdateCommittableOffsets",
                "TaskManager.commit",
                "TaskManager.punctuate",
                "StreamThread.maybeCommit"),
        FETCHING("fetching records", "StreamThread.pollPhase"),
        /** What no part above claims: Kafka Streams' work for each record along the chain of nodes, and the rest. */
        KAFKA_STREAMS("Kafka Streams' per-record work and the rest");

        final String label;
        private final String[] methods;

        Part(String label, String... methods) {
            this.label = label;
            this.methods = methods;
        }

        /** The methods that put a stack in this part, as {@code SimpleClassName.method}. */
        List<String> methods() {
            return List.of(methods);
        }

        /** The part a stack belongs to; {@code methods} are its frames as {@code SimpleClassName.method}. */
        static Part of(Collection<String> methods) {
            for (Part part : values()) {
                for (String method : part.methods) {
                    if (methods.contains(method)) {
                        return part;
                    }
                }
            }
            return KAFKA_STREAMS;
        }
    }

    /**
     * The samples of one topology's stream threads by part, and how many had a stack cut short by JFR's stack
     * depth (their part told by the frames nearest the leaf, which are the ones kept).
     */
    record Tally(Map<Part, Long> samples, long truncated) {

        static Tally of(Map<Part, Long> samples, long truncated) {
            Map<Part, Long> all = new EnumMap<>(Part.class);
            for (Part part : Part.values()) {
                all.put(part, samples.getOrDefault(part, 0L));
            }
            return new Tally(Map.copyOf(all), truncated);
        }

        /** Two tallies as one: the same topology's samples over several rounds. */
        Tally plus(Tally other) {
            Map<Part, Long> both = new EnumMap<>(samples);
            other.samples.forEach((part, n) -> both.merge(part, n, Long::sum));
            return new Tally(Map.copyOf(both), truncated + other.truncated);
        }

        long total() {
            return samples.values().stream().mapToLong(Long::longValue).sum();
        }

        /** A part's share of the samples, or NaN where there are none. */
        double share(Part part) {
            long total = total();
            return total == 0 ? Double.NaN : (double) samples.get(part) / total;
        }
    }
}
