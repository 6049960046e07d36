package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.detection.BinaryStateCodec;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.detection.SweepPicture;
import io.descentwatch.detection.SweepState;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.ModelWiseCurve;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * One sweep far past the cap on model sizes shares the topology (one partition) with a small sweep: the small
 * sweep gets exactly the alerts the offline detector raises, no record anywhere grows with the big sweep, and the
 * big sweep's picture says what was left out.
 */
class LargeSweepTopologyTest {

    private static final int MAX_SIZES = 16;
    private static final int BIG_SIZES = 24;
    private static final int BIG_SEEDS = 40;
    private static final int EVALUATIONS = 6;
    private static final long TRAIN_SIZE = 100;
    /** The bound on any record the detector writes for one sweep. */
    private static final int RECORD_LIMIT = 100_000;

    private final TopicSettings topics = TopicSettings.defaults();
    private final EpochEventCodec codec = new EpochEventCodec();

    /** A run's events: its test loss settles at its size's (noisy) loss; sizes past n fit their training set. */
    private static List<EpochEvent> run(String sweep, String runId, long params, double loss, int sweepRuns) {
        List<EpochEvent> events = new ArrayList<>();
        for (int epoch = 1; epoch <= EVALUATIONS; epoch++) {
            double train = epoch == 1 ? 1.0 : params >= TRAIN_SIZE ? 1e-7 : 0.3;
            Map<String, String> tags = sweepRuns > 0 ? Map.of(EpochEvent.SWEEP_RUNS_TAG, "" + sweepRuns) : Map.of();
            events.add(EpochEvent.builder()
                    .runId(runId)
                    .sweepId(sweep)
                    .epoch(epoch)
                    .trainLoss(train)
                    .testLoss(loss * (1 + 0.2 / epoch))
                    .paramCount(params)
                    .trainSize(TRAIN_SIZE)
                    .time(Instant.EPOCH.plusSeconds(epoch))
                    .tags(tags)
                    .isFinal(epoch == EVALUATIONS)
                    .build());
        }
        return events;
    }

    private static long size(int i) {
        return Math.round(10 * Math.pow(1.26, i));
    }

    /** The big sweep's and the small sweep's events interleaved, runs in random order, each run's in order. */
    private static List<EpochEvent> events(Random random) {
        List<List<EpochEvent>> runs = new ArrayList<>();
        for (int i = 0; i < BIG_SIZES; i++) {
            for (int s = 0; s < BIG_SEEDS; s++) {
                runs.add(run(
                        "big",
                        "big/p" + size(i) + "/s" + s,
                        size(i),
                        ModelWiseCurve.testLoss(size(i), TRAIN_SIZE, 1) * Math.exp(0.1 * random.nextGaussian()),
                        0));
            }
        }
        int smallSizes = 13;
        for (int i = 0; i < smallSizes; i++) {
            long p = size(i + 3);
            runs.add(run(
                    "small",
                    "small/p" + p,
                    p,
                    ModelWiseCurve.testLoss(p, TRAIN_SIZE, 1) * Math.exp(0.02 * random.nextGaussian()),
                    smallSizes));
        }
        Collections.shuffle(runs, random);
        List<EpochEvent> all = new ArrayList<>();
        int[] next = new int[runs.size()];
        for (int epoch = 0; epoch < EVALUATIONS; epoch++) {
            for (int r = 0; r < runs.size(); r++) {
                all.add(runs.get(r).get(next[r]++));
            }
        }
        return all;
    }

    @Test
    void aSweepPastTheCapNeitherGrowsARecordNorHoldsUpTheSweepBesideIt() {
        DetectionSettings settings =
                DetectionSettings.builder().sweepMaxSizes(MAX_SIZES).build();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "large-sweep-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        List<EpochEvent> events = events(new Random(21));
        DescentDetector offline = new DescentDetector(settings);
        List<Alert> expected = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(
                DescentTopology.build(
                        topics, settings, StreamsAppSettings.defaults("large-sweep-test", Path.of("unused"))),
                p)) {
            TestInputTopic<String, byte[]> input =
                    driver.createInputTopic(topics.epochs, new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> alertsOut =
                    driver.createOutputTopic(topics.alerts, new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> sweepsOut =
                    driver.createOutputTopic(topics.sweeps, new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> runsOut =
                    driver.createOutputTopic(topics.runs, new StringDeserializer(), new ByteArrayDeserializer());
            for (EpochEvent e : events) {
                input.pipeInput(e.runId(), codec.encode(e));
                expected.addAll(offline.accept(e));
            }
            // publishes the summaries waiting for the publish interval; shorter than the sweep quiet time, after
            // which the runs that said final would complete their sweeps (which the offline oracle, never told
            // that its input ended, does not)
            driver.advanceWallClockTime(Duration.ofSeconds(1));

            List<Alert> actual = alertsOut.readValuesToList().stream()
                    .map(b -> new AlertCodec().decode(b).value())
                    .toList();
            assertThat(actual)
                    .extracting(Alert::alertId)
                    .containsExactlyInAnyOrderElementsOf(
                            expected.stream().map(Alert::alertId).toList());
            assertThat(actual)
                    .filteredOn(a -> a.sweepId().equals("small"))
                    .extracting(Alert::type)
                    .contains(AlertType.INTERPOLATION_THRESHOLD, AlertType.MODEL_WISE_PEAK);

            List<TestRecord<String, byte[]>> pictures = sweepsOut.readRecordsToList();
            SweepPicture big = null;
            for (TestRecord<String, byte[]> r : pictures) {
                assertThat(r.value().length).isLessThan(RECORD_LIMIT);
                SweepPicture picture = new PublishedJson().decodeSweep(r.value());
                big = picture.sweepId().equals("big") ? picture : big;
            }
            assertThat(big).isNotNull();
            assertThat(big.sizes()).hasSize(MAX_SIZES);
            assertThat(big.knownRuns()).isEqualTo(BIG_SIZES * BIG_SEEDS);
            assertThat(big.runsPastSizeCap()).isEqualTo((BIG_SIZES - MAX_SIZES) * BIG_SEEDS);
            assertThat(runsOut.readValuesToList())
                    .allSatisfy(v -> assertThat(v.length).isLessThan(RECORD_LIMIT));

            KeyValueStore<String, SweepState> sizes = driver.getKeyValueStore(DescentTopology.SWEEP_STORE);
            try (KeyValueIterator<String, SweepState> all = sizes.all()) {
                while (all.hasNext()) {
                    KeyValue<String, SweepState> next = all.next();
                    assertThat(new BinaryStateCodec().encodeSweep(next.value).length)
                            .isLessThan(RECORD_LIMIT);
                }
            }
            // each run is its own small record in the runs store
            KeyValueStore<String, Object> runs = driver.getKeyValueStore(DescentTopology.SWEEP_RUNS_STORE);
            int entries = 0;
            try (KeyValueIterator<String, Object> all = runs.all()) {
                for (; all.hasNext(); all.next()) {
                    entries++;
                }
            }
            assertThat(entries).isEqualTo(BIG_SIZES * BIG_SEEDS + 13);
        }
    }
}
