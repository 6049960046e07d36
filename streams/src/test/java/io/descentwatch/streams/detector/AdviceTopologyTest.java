package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.detection.AdviceSettings;
import io.descentwatch.detection.ChanceMove;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.StopRule;
import io.descentwatch.events.Advice;
import io.descentwatch.events.AdviceCodec;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The topology publishes each run's stopping advice on change to the advice topic, and in the run summary within the
 * summary interval.
 */
class AdviceTopologyTest {

    private final TopicSettings topics = TopicSettings.defaults();
    private final EpochEventCodec events = new EpochEventCodec();
    private final AdviceCodec adviceCodec = new AdviceCodec();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<String, byte[]> adviceOut;
    private TestOutputTopic<String, ChanceMove> chancesOut;
    private TestOutputTopic<String, byte[]> runsOut;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "advice-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(
                DescentTopology.build(
                        topics,
                        DetectionSettings.defaults(),
                        StreamsAppSettings.defaults("advice-topology-test", Path.of("unused"))),
                p);
        input = driver.createInputTopic(topics.epochs, new StringSerializer(), new ByteArraySerializer());
        adviceOut = driver.createOutputTopic(topics.advice, new StringDeserializer(), new ByteArrayDeserializer());
        chancesOut = driver.createOutputTopic(
                topics.sweepChances, new StringDeserializer(), (topic, bytes) -> ChanceMove.ofBytes(bytes));
        runsOut = driver.createOutputTopic(topics.runs, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /**
     * A run where nothing better comes, a winning second descent, and the first run again from a trainer that tells
     * its schedule (the tag travels through the fast decoder), one after another.
     */
    private static List<EpochEvent> flatWinsAndTold() {
        List<EpochEvent> all = new ArrayList<>(run("flat", 0, 20_000));
        all.addAll(run("wins", 2500, 20_000));
        run("told", 0, 20_000).forEach(e -> all.add(e.withTag(EpochEvent.SCHEDULE_END_TAG, "10000")));
        return all;
    }

    /**
     * Epoch-wise curves on a log grid: fast features fitted first, then their noise (the bump), and slow features
     * (time constant {@code slowTau}, none when 0) carrying the second descent.
     */
    private static List<EpochEvent> run(String runId, double slowTau, long epochs) {
        List<EpochEvent> out = new ArrayList<>();
        long last = -1;
        for (int i = 0; ; i++) {
            long e = i == 0 ? 0 : Math.min(epochs, Math.round(Math.pow(10, i / 40.0)));
            if (e == last) {
                continue;
            }
            last = e;
            double fast = Math.exp(-e / 10.0);
            double noise = -Math.expm1(-e / 150.0);
            double slow = slowTau > 0 ? Math.exp(-e / slowTau) : 0;
            double train = 1.2 + 2 * fast - 0.2 * noise + 0.8 * slow;
            double test = 0.3
                    + 1.5 * fast
                    + (slowTau > 0 ? 1.2 * noise * slow + 0.6 * slow : 0.7 * noise + 0.6 * Math.exp(-e / 40.0));
            out.add(EpochEvent.builder()
                    .runId(runId)
                    .sweepId("advice-sweep")
                    .epoch(e)
                    .trainLoss(train)
                    .testLoss(test)
                    .paramCount(210)
                    .trainSize(500)
                    .time(Instant.EPOCH.plusSeconds(e))
                    .build());
            if (e == epochs) {
                return out;
            }
        }
    }

    @Test
    void adviceChangesGoToTheAdviceTopicKeyedByRunAsTheOfflineDetectorGivesThem() {
        List<EpochEvent> all = flatWinsAndTold();
        DescentDetector offline = new DescentDetector(DetectionSettings.defaults());
        List<KeyValue<String, Advice>> expected = new ArrayList<>();
        for (EpochEvent e : all) {
            input.pipeInput(e.runId(), events.encode(e));
            offline.accept(e, a -> expected.add(KeyValue.pair(a.runId(), a)));
        }
        List<KeyValue<String, Advice>> published = adviceOut.readKeyValuesToList().stream()
                .map(kv -> KeyValue.pair(kv.key, adviceCodec.decode(kv.value).value()))
                .toList();
        assertThat(published).isEqualTo(expected);
        assertThat(published).allSatisfy(kv -> assertThat(kv.key).isEqualTo(kv.value.runId()));
        Advice lastFlat = published.stream()
                .filter(kv -> kv.key.equals("flat"))
                .reduce((a, b) -> b)
                .orElseThrow()
                .value;
        assertThat(lastFlat.verdict()).isEqualTo(Advice.Verdict.STOP);
        assertThat(lastFlat.reason()).contains("keep the checkpoint of epoch " + lastFlat.bestEpoch());
        assertThat(published.stream().filter(kv -> kv.key.equals("wins")).map(kv -> kv.value.verdict()))
                .as("a winning second descent is never told to stop before it has levelled off")
                .doesNotContain(Advice.Verdict.STOP);
        List<Advice> told = published.stream()
                .filter(kv -> kv.key.equals("told"))
                .map(kv -> kv.value)
                .toList();
        assertThat(told)
                .as("the flat run's STOP withheld until its schedule has settled")
                .anySatisfy(a -> assertThat(a.basis()).isEqualTo(Advice.Basis.SCHEDULED_CHANGE))
                .filteredOn(Advice::stop)
                .allSatisfy(a -> assertThat(a.epoch()).isGreaterThanOrEqualTo(10_000L));
    }

    /**
     * A sweep's runs that end one after another: once one has ended, the chance told to the next is moved by what
     * it showed of the sweep's base rate, through the sweep chances topic and the global store, as offline.
     */
    @Test
    void aSweepsEndedRunsMoveTheChanceToldToItsLaterRunsAsTheOfflineDetectorDoes() {
        List<EpochEvent> all = new ArrayList<>();
        for (String runId : List.of("wins-1", "wins-2", "wins-3")) {
            List<EpochEvent> one = run(runId, 2500, 20_000);
            one.set(one.size() - 1, one.get(one.size() - 1).withFinal(true));
            all.addAll(one);
        }
        DescentDetector offline = new DescentDetector(DetectionSettings.defaults());
        DescentDetector alone = new DescentDetector(DetectionSettings.builder()
                .advice(AdviceSettings.defaults().withSweepPrior(0))
                .build());
        List<Advice> expected = new ArrayList<>();
        List<Advice> unmoved = new ArrayList<>();
        for (EpochEvent e : all) {
            input.pipeInput(e.runId(), events.encode(e));
            offline.accept(e, expected::add);
            alone.accept(e, unmoved::add);
        }
        List<Advice> published = adviceOut.readValuesToList().stream()
                .map(bytes -> adviceCodec.decode(bytes).value())
                .toList();
        assertThat(published).isEqualTo(expected);
        assertThat(chancesOut.readKeyValuesToList())
                .as("each ended run moved the sweep's chance")
                .hasSize(3)
                .allSatisfy(kv -> assertThat(kv.key).isEqualTo("advice-sweep"));
        // the first run is told its own curve's chance; the later ones, after runs that all won, more
        assertThat(published).hasSameSizeAs(unmoved);
        for (int i = 0; i < published.size(); i++) {
            Advice a = published.get(i);
            if (a.runId().equals("wins-1") || a.chance() == null) {
                assertThat(a.chance()).isEqualTo(unmoved.get(i).chance());
            } else {
                assertThat(a.chance()).isGreaterThan(unmoved.get(i).chance());
            }
        }
    }

    @Test
    void theRunSummaryCarriesTheAdviceInForce() throws IOException {
        for (EpochEvent e : run("flat", 0, 20_000)) {
            input.pipeInput(e.runId(), events.encode(e));
        }
        // a summary that moves only the losses or the advice waits for the summary interval
        driver.advanceWallClockTime(java.time.Duration.ofMinutes(1));
        List<KeyValue<String, byte[]>> summaries = runsOut.readKeyValuesToList();
        JsonNode last = new ObjectMapper().readTree(summaries.get(summaries.size() - 1).value);
        JsonNode advice = last.get("advice");
        assertThat(advice.get("advice").asText()).isEqualTo("STOP");
        assertThat(advice.get("basis").asText()).isEqualTo("no_second_descent");
        assertThat(advice.get("run_id").asText()).isEqualTo("flat");
        assertThat(advice.get("best_epoch").asLong()).isPositive();
        List<byte[]> changes = adviceOut.readValuesToList();
        Advice lastChange = adviceCodec.decode(changes.get(changes.size() - 1)).value();
        assertThat(advice.get("best_epoch").asLong()).isEqualTo(lastChange.bestEpoch());
    }

    @Test
    void anAdviceChangeIsOnTheAdviceTopicAtOnceAndInTheRunSummaryWithinTheSummaryInterval() {
        for (EpochEvent e : run("flat", 0, 20_000)) {
            input.pipeInput(e.runId(), events.encode(e));
        }
        PublishedJson json = new PublishedJson();
        List<RunSummary> atOnce =
                runsOut.readValuesToList().stream().map(json::decodeSummary).toList();
        List<Advice> changes = adviceOut.readValuesToList().stream()
                .map(v -> adviceCodec.decode(v).value())
                .toList();
        assertThat(changes).as("advice changes").hasSizeGreaterThan(2);
        assertThat(atOnce).as("summaries before the interval passed").isNotEmpty();
        // what went out before the summary interval passed: status changes only, none for its advice alone
        for (int i = 1; i < atOnce.size(); i++) {
            assertThat(status(atOnce.get(i)))
                    .as("summary %d of %d", i, atOnce.size())
                    .isNotEqualTo(status(atOnce.get(i - 1)));
        }
        driver.advanceWallClockTime(java.time.Duration.ofMinutes(1));
        List<RunSummary> later =
                runsOut.readValuesToList().stream().map(json::decodeSummary).toList();
        assertThat(later).as("the summary that waited").hasSize(1);
        // the advice in force: the last change's verdict and basis, its checkpoint and chance as of the summary
        Advice inForce = later.get(0).advice();
        Advice lastChange = changes.get(changes.size() - 1);
        assertThat(List.of(inForce.verdict(), inForce.basis()))
                .isEqualTo(List.of(lastChange.verdict(), lastChange.basis()));
        assertThat(inForce.epoch()).isGreaterThanOrEqualTo(lastChange.epoch());
    }

    /** What the sweep detector decides on (and what sends a summary at once). */
    private static List<Object> status(RunSummary s) {
        return List.of(s.phase(), s.interpolated(), s.activity());
    }

    @Test
    void theSweepDetectorHearsARunsStatusWithItsLedgerButNotItsAdvice() {
        for (EpochEvent e : run("flat", 0, 20_000)) {
            input.pipeInput(e.runId(), events.encode(e));
        }
        TestOutputTopic<String, RunSummary> crossing = driver.createOutputTopic(
                "advice-topology-test-summaries-by-sweep-repartition",
                new StringDeserializer(),
                InternalSerdes.INTERNAL_SUMMARY_SERDE.deserializer());
        List<RunSummary> heard = crossing.readValuesToList();
        assertThat(heard).as("status changes crossing to the sweep detector").isNotEmpty();
        assertThat(heard).allSatisfy(s -> {
            assertThat(s.advice()).isNull();
            assertThat(s.ledger()).isNotNull();
        });
        assertThat(adviceOut.readValuesToList())
                .as("advice the run had meanwhile")
                .isNotEmpty();
    }

    @Test
    void theRunSummaryCarriesTheLedgerTheOfflineDetectorKeeps() throws IOException {
        List<EpochEvent> all = flatWinsAndTold();
        DescentDetector offline = new DescentDetector(DetectionSettings.defaults());
        for (EpochEvent e : all) {
            input.pipeInput(e.runId(), events.encode(e));
            offline.accept(e);
        }
        // summaries that only move the losses wait for the publish interval
        driver.advanceWallClockTime(java.time.Duration.ofMinutes(1));
        Map<String, RunSummary> last = new HashMap<>();
        PublishedJson json = new PublishedJson();
        runsOut.readKeyValuesToList().forEach(kv -> last.put(kv.key, json.decodeSummary(kv.value)));
        for (String run : List.of("flat", "wins")) {
            // the latest summary of each run, with the ledger as it stood then
            LedgerState kept = offline.runs().get(run).reported().ledger();
            // the chances told are the detector's own, not the runs topic's
            assertThat(last.get(run).ledger())
                    .as(run)
                    .isEqualTo(new LedgerState(
                            kept.bestEpoch(),
                            kept.bestTestLoss(),
                            kept.lastEpoch(),
                            kept.patience3(),
                            kept.patience10(),
                            kept.advice(),
                            List.of()));
        }
        LedgerState flat = last.get("flat").ledger();
        assertThat(flat.advice().stopped())
                .as("the advice stopped the run without a second descent")
                .isTrue();
        assertThat(flat.patience3().stopped()).isTrue();
        assertThat(flat.advice().epochsSpent()).isLessThan(20_000);
        LedgerState wins = last.get("wins").ledger();
        assertThat(wins.patience3().stopped()).isTrue();
        assertThat(wins.kept(StopRule.PATIENCE_3))
                .as("patience 3 stops at the first bump")
                .isFalse();
    }

    @Test
    void theAdviceBranchIsANamedNode() {
        List<String> sinks = new ArrayList<>();
        for (TopologyDescription.Subtopology sub : DescentTopology.build(
                        topics,
                        DetectionSettings.defaults(),
                        StreamsAppSettings.defaults("advice-topology-test", Path.of("unused")))
                .describe()
                .subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Sink sink) {
                    sinks.add(sink.name() + "->" + sink.topic());
                }
            }
        }
        assertThat(sinks).contains("advice-out->" + topics.advice);
    }
}
