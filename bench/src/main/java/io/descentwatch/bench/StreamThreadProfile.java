package io.descentwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * JFR's execution samples of the stream threads over a benchmark, told by the topology that ran them and by part
 * ({@link StreamThreadParts.Part}). Kafka Streams names each stream thread after its client id, which begins with
 * the application id, so each sample goes to the topology whose application id its thread's name begins with.
 */
final class StreamThreadProfile implements AutoCloseable {

    static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";

    /**
     * JFR takes only a few threads' stacks at each tick: at 1 ms, a topology's counted rounds give a few thousand
     * samples of its stream threads, at JFR's profile setting (10 ms) a few hundred, too few to tell parts of a
     * few percent apart.
     */
    static final Duration SAMPLING_PERIOD = Duration.ofMillis(1);

    private final Recording recording;

    private StreamThreadProfile(Recording recording) {
        this.recording = recording;
    }

    /** Starts recording every thread's execution samples. */
    static StreamThreadProfile start() {
        Recording recording = new Recording();
        recording.enable(EXECUTION_SAMPLE).withPeriod(SAMPLING_PERIOD).withStackTrace();
        recording.setToDisk(true);
        recording.start();
        return new StreamThreadProfile(recording);
    }

    /** Stops recording and tallies the stream threads' samples of each of these application ids. */
    Map<String, StreamThreadParts.Tally> stop(Collection<String> applicationIds) throws IOException {
        recording.stop();
        Path file = Files.createTempFile("bench-profile-", ".jfr");
        try {
            recording.dump(file);
            return tally(file, applicationIds);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Each application id's stream-thread samples in a recording, by part; an id with none has an empty tally. */
    static Map<String, StreamThreadParts.Tally> tally(Path recordingFile, Collection<String> applicationIds)
            throws IOException {
        Map<String, Map<StreamThreadParts.Part, Long>> samples = new HashMap<>();
        Map<String, Long> truncated = new HashMap<>();
        for (String id : applicationIds) {
            samples.put(id, new EnumMap<>(StreamThreadParts.Part.class));
            truncated.put(id, 0L);
        }
        try (RecordingFile file = new RecordingFile(recordingFile)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals(EXECUTION_SAMPLE) || event.getStackTrace() == null) {
                    continue;
                }
                String id = applicationOf(event.getThread("sampledThread"), applicationIds);
                if (id == null) {
                    continue;
                }
                samples.get(id)
                        .merge(
                                StreamThreadParts.Part.of(
                                        methods(event.getStackTrace().getFrames())),
                                1L,
                                Long::sum);
                if (event.getStackTrace().isTruncated()) {
                    truncated.merge(id, 1L, Long::sum);
                }
            }
        }
        Map<String, StreamThreadParts.Tally> tallies = new HashMap<>();
        samples.forEach((id, parts) -> tallies.put(id, StreamThreadParts.Tally.of(parts, truncated.get(id))));
        return tallies;
    }

    /** The application id of a stream thread's sample, or null for any other thread's. */
    private static String applicationOf(RecordedThread thread, Collection<String> applicationIds) {
        String name = thread == null ? null : thread.getJavaName();
        if (name == null || ThreadCpu.Role.of(name) != ThreadCpu.Role.STREAM_THREADS) {
            return null;
        }
        for (String id : applicationIds) {
            if (name.startsWith(id + "-")) {
                return id;
            }
        }
        return null;
    }

    private static Set<String> methods(List<RecordedFrame> frames) {
        Set<String> methods = new HashSet<>();
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            methods.add(type.substring(type.lastIndexOf('.') + 1) + "."
                    + frame.getMethod().getName());
        }
        return methods;
    }

    @Override
    public void close() {
        recording.close();
    }
}
