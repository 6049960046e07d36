package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishedJsonTest {

    private final PublishedJson codec = new PublishedJson();
    private final RunDetector runs = new RunDetector();
    private final SweepDetector sweeps = new SweepDetector();

    private List<EpochEvent> divergingDoubleDescent() {
        List<EpochEvent> events = new ArrayList<>();
        for (EpochEvent e : new Curves.Run("sw/dd", 5)
                .test(Curves.doubleDescent(0.6, 200, 0.5))
                .train(Curves.trainDecay(100, 0))
                .grid(Curves.everyEpoch(2000))
                .noise(0.02)
                .events()) {
            events.add(e.epoch() > 1500 ? RunDetectorTest.withLosses(e, Double.NaN, Double.POSITIVE_INFINITY) : e);
        }
        return events;
    }

    @Test
    void runStateRoundTripsAtEveryStepAndDetectionContinuesIdentically() {
        RunState live = null;
        RunState restored = null;
        for (EpochEvent event : divergingDoubleDescent()) {
            RunStep fromLive = runs.step(live, event);
            RunStep fromRestored = runs.step(restored, event);
            assertThat(withoutTold(fromRestored)).isEqualTo(withoutTold(fromLive));
            live = fromLive.state();
            restored = codec.decodeRun(codec.encodeRun(fromRestored.state()));
            assertThat(restored).isEqualTo(withoutTold(live));
        }
        assertThat(live.phase()).isEqualTo(RunPhase.DIVERGED);
        assertThat(live.fired()).hasSize(5);
    }

    @Test
    void summariesKeepNonFiniteLosses() {
        RunSummary summary = new RunSummary(
                new RunFacts("r", "s", new RunSize(10, 100, 10)),
                7,
                Instant.parse("2026-01-02T03:04:05.678Z"),
                RunPhase.DIVERGED,
                Double.NaN,
                -1,
                Double.POSITIVE_INFINITY,
                RunActivity.FINISHED_QUIET,
                12,
                null,
                null);
        byte[] bytes = codec.encodeSummary(summary);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"test_loss\":\"NaN\"", "\"run_id\":\"r\"");
        assertThat(codec.decodeSummary(bytes)).isEqualTo(summary);
    }

    @Test
    void sweepPictureRoundTripsAndShowsEverySize() {
        SweepState state = null;
        InMemorySweepRuns sweepRuns = new InMemorySweepRuns();
        List<Alert> alerts = new ArrayList<>();
        long[] sizes = {50, 63, 79, 100, 126, 158};
        double[] losses = {1.0, 1.2, 1.5, 3.0, 1.4, 0.8};
        for (int i = 0; i < sizes.length; i++) {
            SweepStep step = sweeps.step(
                    state,
                    sweepRuns,
                    SweepDetectorTest.summary(
                            "p" + sizes[i], sizes[i], 10, losses[i], sizes[i] >= 100, true, sizes.length));
            alerts.addAll(step.alerts());
            state = step.state();
            SweepPicture picture = SweepPicture.of(state);
            assertThat(codec.decodeSweep(codec.encodeSweep(picture))).isEqualTo(picture);
        }
        assertThat(alerts).hasSize(3);
        SweepPicture last = SweepPicture.of(state);
        assertThat(last.fired()).hasSize(3);
        assertThat(last.knownRuns()).isEqualTo(6);
        assertThat(last.complete()).isTrue();
        assertThat(last.sizes())
                .extracting(SweepPicture.Size::paramCount)
                .containsExactly(50L, 63L, 79L, 100L, 126L, 158L);
        assertThat(last.sizes()).extracting(SweepPicture.Size::testLoss).containsExactly(1.0, 1.2, 1.5, 3.0, 1.4, 0.8);
        assertThat(new String(codec.encodeSweep(last), StandardCharsets.UTF_8))
                .contains("\"runs_past_size_cap\":0", "\"param_count\":100");
    }

    @Test
    void unknownFieldsAreIgnoredSoStoresSurviveUpgrades() {
        RunSummary summary = SweepDetectorTest.summary("r", 10, 3, 1.5, false, false);
        String json = new String(codec.encodeSummary(summary), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"added_later\":42,");
        assertThat(codec.decodeSummary(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(summary);
    }

    @Test
    void theHandWrittenSummaryJsonEqualsDataBinding() throws IOException {
        DescentDetector detector = new DescentDetector();
        EpochEventCodec events = new EpochEventCodec();
        int compared = 0;
        for (String line : Files.readAllLines(LabelledCurves.epochwise())) {
            EpochEvent event = events.decode(line).value();
            detector.accept(event);
            RunSummary s = detector.runs().get(event.runId()).reported();
            if (s != null && compared++ % 50 == 0) {
                assertThat(new String(codec.encodeSummary(s), StandardCharsets.UTF_8))
                        .isEqualTo(new String(codec.encodeSummaryByBinding(s), StandardCharsets.UTF_8));
                assertThat(codec.decodeSummary(codec.encodeSummary(s))).isEqualTo(withoutTold(s));
            }
        }
        assertThat(compared).isGreaterThan(1000);
    }

    /*
     * The chances a run was told are the detector's own (its state stores and the summaries its sweep hears), not the
     * JSON's: a reader of the JSON gets everything else, and detection goes on identically without them.
     */

    private static LedgerState withoutTold(LedgerState l) {
        return l == null
                ? null
                : new LedgerState(
                        l.bestEpoch(),
                        l.bestTestLoss(),
                        l.lastEpoch(),
                        l.patience3(),
                        l.patience10(),
                        l.advice(),
                        List.of());
    }

    private static RunSummary withoutTold(RunSummary s) {
        return s == null
                ? null
                : new RunSummary(
                        s.run(),
                        s.epoch(),
                        s.time(),
                        s.phase(),
                        s.testLoss(),
                        s.interpolationEpoch(),
                        s.trainLoss(),
                        s.activity(),
                        s.sweepRuns(),
                        s.advice(),
                        withoutTold(s.ledger()));
    }

    private static RunState withoutTold(RunState s) {
        return s.withLedger(withoutTold(s.ledger())).withReported(withoutTold(s.reported()));
    }

    private static RunStep withoutTold(RunStep step) {
        return new RunStep(
                withoutTold(step.state()),
                step.alerts(),
                step.sweepUpdate().map(PublishedJsonTest::withoutTold),
                step.statusChanged(),
                step.accepted(),
                step.adviceChanged());
    }
}
