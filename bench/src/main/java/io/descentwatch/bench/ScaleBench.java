package io.descentwatch.bench;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.DescentTopology;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Many runs at once through the detector: every run training concurrently (epoch-major interleaving, so each
 * run's state is touched once per pass over all runs), through one or more detector instances of one application
 * on the same broker. Reports the sustained rate, the size of the state stores on disk and the heap the detector
 * instances hold once done.
 */
final class ScaleBench {

    record Result(
            int runs,
            int epochs,
            int instances,
            int partitions,
            long events,
            double eventsPerSecond,
            long stateBytes,
            long heapBytes) {}

    static Result run(KafkaSettings kafka, int runs, int epochs, int instances, int partitions) throws Exception {
        TopicSettings base = TopicSettings.defaults();
        base.partitions = partitions;
        TopicSettings topics = base.prefixed("bench-scale-" + System.nanoTime() + ".");
        DetectorApp.ensureTopics(kafka, topics);
        long events = EventLoader.load(kafka, topics.epochs, new SyntheticRuns("scale", epochs), runs, runs);
        String appId = "bench-scale-" + System.nanoTime();
        List<ScratchDirectory> dirs = new ArrayList<>();
        List<KafkaStreams> apps = new ArrayList<>();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapBefore = usedHeapAfterGc(memory);
        try {
            for (int i = 0; i < instances; i++) {
                ScratchDirectory dir = ScratchDirectory.create("bench-scale-state-");
                dirs.add(dir);
                StreamsAppSettings settings = StreamsAppSettings.defaults(appId, dir.path());
                // one thread per instance: instances, not threads, are what this measures
                settings.streamThreads = 1;
                KafkaStreams app = new KafkaStreams(
                        DescentTopology.build(topics, DetectionSettings.defaults(), settings),
                        settings.streamsProperties(kafka.clientProperties()));
                apps.add(app);
            }
            apps.forEach(KafkaStreams::start);
            double rate =
                    GroupProgress.committedRate(kafka.clientProperties(), appId, topics.epochs, Duration.ofMinutes(20));
            long heap = usedHeapAfterGc(memory) - heapBefore;
            long state = dirs.stream().mapToLong(d -> size(d.path())).sum();
            return new Result(runs, epochs, instances, partitions, events, rate, state, heap);
        } finally {
            apps.forEach(a -> a.close(Duration.ofSeconds(30)));
            dirs.forEach(ScratchDirectory::close);
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
