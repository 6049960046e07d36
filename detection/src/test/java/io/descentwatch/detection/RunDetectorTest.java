package io.descentwatch.detection;

import static io.descentwatch.detection.Curves.Run;
import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunDetectorTest {

    private final RunDetector detector = new RunDetector(DetectionSettings.defaults());

    /** The alerts of a stream of events for one run, checking that none fires twice. */
    private Map<AlertType, Alert> alerts(List<EpochEvent> events) {
        return replay(events).alerts;
    }

    private record Replay(RunState state, Map<AlertType, Alert> alerts, int updates) {}

    private Replay replay(List<EpochEvent> events) {
        RunState state = null;
        Map<AlertType, Alert> alerts = new EnumMap<>(AlertType.class);
        int updates = 0;
        for (EpochEvent event : events) {
            RunStep step = detector.step(state, event);
            state = step.state();
            updates += step.sweepUpdate().isPresent() ? 1 : 0;
            for (Alert alert : step.alerts()) {
                assertThat(alerts.put(alert.type(), alert))
                        .as("fired twice: %s", alert)
                        .isNull();
                assertThat(alert.time()).isEqualTo(event.time());
                assertThat(alert.epoch()).isEqualTo(event.epoch());
            }
        }
        return new Replay(state, alerts, updates);
    }

    static Stream<Arguments> noisy() {
        List<Arguments> cases = new ArrayList<>();
        for (double noise : new double[] {0.002, 0.02, 0.05}) {
            for (long seed = 1; seed <= 4; seed++) {
                cases.add(Arguments.of(noise, seed));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "noise {0}, seed {1}")
    @MethodSource("noisy")
    void noiseAroundAConstantOrDecreasingCurveRaisesNothing(double noise, long seed) {
        Random grids = new Random(seed);
        for (LongToDoubleFunction shape : List.of(Curves.constant(1.3), Curves.decreasing(30))) {
            for (List<Long> grid :
                    List.of(Curves.everyEpoch(2000), Curves.logSpaced(1.05, 20000), Curves.irregular(grids, 7, 3000))) {
                Map<AlertType, Alert> alerts = alerts(
                        new Run("r", seed).test(shape).grid(grid).noise(noise).events());
                assertThat(alerts)
                        .as("noise %s on %s points", noise, grid.size())
                        .isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "noise {0}, seed {1}")
    @MethodSource("noisy")
    void uShapeRisesButHasNoSecondDescent(double noise, long seed) {
        Map<AlertType, Alert> alerts = alerts(new Run("u", seed)
                .test(Curves.uShape(40, 0.6, 1000))
                .grid(Curves.everyEpoch(1000))
                .noise(noise)
                .events());
        assertThat(alerts).containsOnlyKeys(AlertType.TEST_LOSS_RISING);
        Alert rising = alerts.get(AlertType.TEST_LOSS_RISING);
        assertThat(rising.details()).containsKeys("first_min_epoch", "first_min_loss", "loss", "threshold");
        assertThat(rising.message()).startsWith("run u: test loss rising");
    }

    @ParameterizedTest(name = "noise {0}, seed {1}")
    @MethodSource("noisy")
    void doubleDescentRisesThenDescendsSoonAfterThePeakAndGoesBelowTheFirstMinimum(double noise, long seed) {
        LongToDoubleFunction shape = Curves.doubleDescent(0.6, 200, 0.5);
        long peak = Curves.argMaxAfter(shape, 50, 5000);
        long confirm = firstEpochBelow(shape, peak, 0.95 * shape.applyAsDouble(peak));
        Map<AlertType, Alert> alerts = alerts(new Run("dd", seed)
                .test(shape)
                .grid(Curves.everyEpoch(5000))
                .noise(noise)
                .events());
        assertThat(alerts)
                .containsOnlyKeys(AlertType.TEST_LOSS_RISING, AlertType.SECOND_DESCENT, AlertType.BELOW_FIRST_MINIMUM);
        Alert second = alerts.get(AlertType.SECOND_DESCENT);
        assertThat(second.epoch()).isGreaterThanOrEqualTo(peak).isLessThanOrEqualTo(2 * confirm);
        assertThat(second.details())
                .containsKeys("first_min_epoch", "first_min_loss", "peak_epoch", "peak_loss", "loss", "threshold");
        assertThat(second.message())
                .matches("run dd: second descent: test loss [0-9.]+ at epoch \\d+, down from "
                        + "peak [0-9.]+ at epoch \\d+");
        assertThat(alerts.get(AlertType.BELOW_FIRST_MINIMUM).epoch()).isGreaterThan(second.epoch());
    }

    @Test
    void doubleDescentThatStaysAboveTheFirstMinimumIsNotCalledBelowIt() {
        for (long seed = 1; seed <= 4; seed++) {
            // the baseline creeps up by 0.2 while the bump goes: the end sits well above the first minimum
            Map<AlertType, Alert> alerts = alerts(new Run("dd", seed)
                    .test(Curves.doubleDescent(0.6, 200, -0.2))
                    .grid(Curves.everyEpoch(4000))
                    .noise(0.02)
                    .events());
            assertThat(alerts).containsOnlyKeys(AlertType.TEST_LOSS_RISING, AlertType.SECOND_DESCENT);
        }
    }

    @Test
    void outlierSpikesRaiseNothingOnAPlainDescentAndDoNotHideADoubleDescent() {
        for (long seed = 1; seed <= 6; seed++) {
            assertThat(alerts(new Run("plain", seed)
                            .test(Curves.decreasing(30))
                            .grid(Curves.everyEpoch(2000))
                            .noise(0.02)
                            .spikes(0.03, 4)
                            .events()))
                    .isEmpty();
            Map<AlertType, Alert> dd = alerts(new Run("dd", seed)
                    .test(Curves.doubleDescent(0.6, 200, 0.5))
                    .grid(Curves.everyEpoch(5000))
                    .noise(0.02)
                    .spikes(0.03, 4)
                    .events());
            assertThat(dd)
                    .containsKeys(AlertType.TEST_LOSS_RISING, AlertType.SECOND_DESCENT)
                    .doesNotContainKey(AlertType.DIVERGED);
        }
    }

    @Test
    void logSpacedAndIrregularGridsFindTheSecondDescentWithinOneDoubling() {
        LongToDoubleFunction shape = Curves.doubleDescent(0.6, 300, 0.5);
        long peak = Curves.argMaxAfter(shape, 50, 20000);
        long confirm = firstEpochBelow(shape, peak, 0.95 * shape.applyAsDouble(peak));
        for (long seed = 1; seed <= 4; seed++) {
            for (List<Long> grid : List.of(
                    Curves.logSpaced(1.06, 20000),
                    Curves.logSpaced(1.15, 20000),
                    Curves.irregular(new Random(seed), 25, 20000),
                    Curves.everyK(10, 20000))) {
                Alert second = alerts(new Run("dd", seed)
                                .test(shape)
                                .grid(grid)
                                .noise(0.01)
                                .events())
                        .get(AlertType.SECOND_DESCENT);
                assertThat(second).as("grid of %s evaluations", grid.size()).isNotNull();
                // A grid cannot answer between its evaluations: allow up to the first one after 2 * confirm.
                long bound =
                        grid.stream().filter(e -> e >= 2 * confirm).findFirst().orElseThrow();
                assertThat(second.epoch())
                        .as("grid of %s evaluations", grid.size())
                        .isGreaterThanOrEqualTo(peak)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void duplicatesAndStaleRetransmissionsAreIgnoredAndCounted() {
        List<EpochEvent> clean = new Run("dd", 7)
                .test(Curves.doubleDescent(0.6, 200, 0.5))
                .grid(Curves.everyEpoch(3000))
                .noise(0.02)
                .events();
        List<EpochEvent> messy = new ArrayList<>();
        Random random = new Random(7);
        int extra = 0;
        for (int i = 0; i < clean.size(); i++) {
            messy.add(clean.get(i));
            if (random.nextDouble() < 0.1) {
                messy.add(clean.get(i));
                extra++;
            }
            if (i > 10 && random.nextDouble() < 0.05) {
                // a stale retransmission with a different value: must not be used
                EpochEvent old = clean.get(i - 1 - random.nextInt(10));
                messy.add(old.toBuilder()
                        .testLoss(99.0)
                        .trainError(null)
                        .testError(null)
                        .outputDim(1)
                        .model(Map.of())
                        .tags(Map.of())
                        .isFinal(false)
                        .build());
                extra++;
            }
        }
        Replay expected = replay(clean);
        Replay actual = replay(messy);
        assertThat(actual.alerts()).isEqualTo(expected.alerts());
        assertThat(actual.state().progress().events().ignored()).isEqualTo(extra);
        assertThat(actual.state().progress().events().accepted()).isEqualTo(clean.size());
        RunStep stale = detector.step(actual.state(), clean.get(5));
        assertThat(stale.accepted()).isFalse();
        assertThat(stale.alerts()).isEmpty();
        assertThat(stale.sweepUpdate()).isEmpty();
    }

    @Test
    void nonFiniteLossesDivergeOnceAndSilenceDescentAlerts() {
        LongToDoubleFunction shape = Curves.doubleDescent(0.6, 200, 0.5);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            List<EpochEvent> events = new ArrayList<>();
            for (EpochEvent e : new Run("nan", 3)
                    .test(shape)
                    .grid(Curves.everyEpoch(3000))
                    .noise(0.01)
                    .events()) {
                boolean broken = e.epoch() > 150;
                events.add(broken ? withLosses(e, bad, bad) : e);
            }
            Map<AlertType, Alert> alerts = alerts(events);
            assertThat(alerts)
                    .containsKey(AlertType.DIVERGED)
                    .doesNotContainKeys(AlertType.SECOND_DESCENT, AlertType.BELOW_FIRST_MINIMUM);
            assertThat(alerts.get(AlertType.DIVERGED).epoch()).isBetween(151L, 160L);
            assertThat(replay(events).state().phase()).isEqualTo(RunPhase.DIVERGED);
        }
    }

    @Test
    void aSingleNonFiniteValueIsNotDivergenceButAFinalOneIs() {
        List<EpochEvent> events = new ArrayList<>(new Run("blip", 1)
                .test(Curves.decreasing(30))
                .grid(Curves.everyEpoch(200))
                .noise(0.01)
                .events());
        events.set(100, withLosses(events.get(100), Double.NaN, 1.0));
        assertThat(alerts(events)).doesNotContainKey(AlertType.DIVERGED);
        int last = events.size() - 1;
        events.set(last, withLosses(events.get(last), 1.0, Double.POSITIVE_INFINITY));
        assertThat(alerts(events)).containsKey(AlertType.DIVERGED);
    }

    @Test
    void explodingTrainLossDivergesOnceTheTestLossIsAboveItsStart() {
        List<EpochEvent> events = exploding(true);
        Alert diverged = alerts(events).get(AlertType.DIVERGED);
        assertThat(diverged).isNotNull();
        double firstTest = events.get(0).testLoss();
        assertThat(diverged.details().get("first_test_loss")).isEqualTo(firstTest);
        assertThat((double) diverged.details().get("test_loss")).isGreaterThan(firstTest);
        assertThat(diverged.message()).contains("train loss").contains("is above its start");
    }

    /**
     * A game's objective (a GAN critic's loss) can grow tenfold from a start near zero while the held-out measure keeps
     * falling: that run has not diverged, and what it learns stays ahead of its start.
     */
    @Test
    void explodingTrainLossWithTheTestLossBelowItsStartIsNotDivergence() {
        List<EpochEvent> events = exploding(false);
        assertThat(events.get(events.size() - 1).trainLoss())
                .isGreaterThan(1e3 * events.get(0).trainLoss());
        assertThat(alerts(events)).doesNotContainKey(AlertType.DIVERGED);
    }

    /** Train loss multiplied by 1.5 an epoch after epoch 200; the test loss too when {@code testAlso}. */
    private static List<EpochEvent> exploding(boolean testAlso) {
        List<EpochEvent> events = new ArrayList<>();
        for (EpochEvent e : new Run("boom", 1)
                .test(Curves.decreasing(30))
                .train(Curves.trainDecay(1e6, 0.5))
                .grid(Curves.everyEpoch(300))
                .noise(0.01)
                .events()) {
            double growth = e.epoch() > 200 ? Math.pow(1.5, e.epoch() - 200) : 1;
            events.add(withLosses(e, e.trainLoss() * growth, testAlso ? e.testLoss() * growth : e.testLoss()));
        }
        return events;
    }

    @Test
    void interpolationIsReachedRelativeToTheFirstTrainLossOrAtZeroTrainError() {
        for (long seed = 1; seed <= 3; seed++) {
            Replay fits = replay(new Run("fit", seed)
                    .test(Curves.decreasing(30))
                    .train(Curves.trainDecay(100, 0))
                    .grid(Curves.everyEpoch(600))
                    .noise(0.03)
                    .events());
            Alert reached = fits.alerts().get(AlertType.INTERPOLATION_REACHED);
            assertThat(reached).isNotNull();
            // 2 * 10^(-e/100) <= 1e-3 * (first train loss, about 2): from about epoch 300
            assertThat(reached.epoch()).isBetween(290L, 340L);
            assertThat(fits.state().interpolationEpoch()).isLessThanOrEqualTo(reached.epoch());
            assertThat(alerts(new Run("stuck", seed)
                            .test(Curves.decreasing(30))
                            .train(Curves.trainDecay(100, 0.01))
                            .grid(Curves.everyEpoch(600))
                            .noise(0.03)
                            .events()))
                    .doesNotContainKey(AlertType.INTERPOLATION_REACHED);
        }
        List<EpochEvent> withErrors = new ArrayList<>();
        for (EpochEvent e : new Run("err", 1)
                .test(Curves.decreasing(30))
                .train(Curves.trainDecay(1e6, 0.3))
                .grid(Curves.everyEpoch(100))
                .events()) {
            withErrors.add(e.toBuilder()
                    .trainError(e.epoch() >= 50 ? 0.0 : 0.1)
                    .testError(null)
                    .outputDim(1)
                    .model(Map.of())
                    .tags(Map.of())
                    .build());
        }
        Alert reached = alerts(withErrors).get(AlertType.INTERPOLATION_REACHED);
        assertThat(reached.epoch()).isEqualTo(52);
        assertThat(reached.details()).containsEntry("interpolation_epoch", 50L);
    }

    @Test
    void aTrainLossThatGoesBelowZeroIsNotReadAsTheTrainingSetFitted() {
        // the negative log-likelihood of a continuous density (a beta regression's): from 0.5 down through zero to
        // -1.2, where it settles; nearing zero says nothing about the fit
        List<EpochEvent> nll = new ArrayList<>();
        for (EpochEvent e : new Run("nll", 1)
                .test(Curves.decreasing(30))
                .train(Curves.trainDecay(100, 0))
                .grid(Curves.everyEpoch(600))
                .events()) {
            double t = e.epoch();
            nll.add(e.toBuilder().trainLoss(-1.2 + 1.7 * Math.exp(-t / 80)).build());
        }
        assertThat(nll.get(nll.size() - 1).trainLoss()).isNegative();
        Replay replay = replay(nll);
        assertThat(replay.alerts()).doesNotContainKey(AlertType.INTERPOLATION_REACHED);
        assertThat(replay.state().interpolated()).isFalse();

        // the same run shifted up by 1.2, so that it settles at zero, is fitted
        List<EpochEvent> shifted = nll.stream()
                .map(e -> e.toBuilder().trainLoss(e.trainLoss() + 1.2).build())
                .toList();
        assertThat(replay(shifted).alerts()).containsKey(AlertType.INTERPOLATION_REACHED);
    }

    @Test
    void stateStaysSmallHoweverLongTheRunAndSweepUpdatesAreThrottled() {
        List<EpochEvent> events = new Run("long", 1)
                .test(Curves.doubleDescent(0.6, 2000, 0.5))
                .train(Curves.trainDecay(5000, 0))
                .grid(Curves.everyEpoch(40000))
                .noise(0.03)
                .events();
        Replay replay = replay(events);
        // the stopping advisor's memory (a few points of history, the advice in force) is part of it, and so is the
        // advice ledger (a few numbers per rule, in the state and in the summary it last reported)
        assertThat(new PublishedJson().encodeRun(replay.state()).length).isLessThan(4500);
        assertThat(replay.state().test().recent())
                .hasSizeLessThanOrEqualTo(DetectionSettings.defaults().medianWindow());
        assertThat(replay.updates()).isLessThan(events.size() / 100);
        RunSummary last = replay.state().reported();
        assertThat(last.finished()).isTrue();
        assertThat(last.epoch()).isEqualTo(40000);
        assertThat(last.phase()).isEqualTo(RunPhase.BELOW_FIRST_MINIMUM);
        assertThat(last.interpolated()).isTrue();
    }

    @Test
    void theFirstEventIsReportedToTheSweep() {
        EpochEvent first = EpochEvent.builder()
                .runId("a")
                .sweepId("s")
                .epoch(1)
                .trainLoss(2.0)
                .testLoss(1.5)
                .paramCount(10)
                .trainSize(100)
                .time(Instant.EPOCH)
                .build();
        RunStep step = detector.step(null, first);
        assertThat(step.accepted()).isTrue();
        assertThat(step.sweepUpdate()).hasValueSatisfying(s -> {
            assertThat(s.runId()).isEqualTo("a");
            assertThat(s.testLoss()).isEqualTo(1.5);
            assertThat(s.pOverN()).isEqualTo(0.1);
            assertThat(s.phase()).isEqualTo(RunPhase.DESCENDING);
        });
        assertThat(detector.step(step.state(), first).accepted()).isFalse();
    }

    @Test
    void replaysAreDeterministic() {
        List<EpochEvent> events = new Run("dd", 11)
                .test(Curves.doubleDescent(0.6, 200, 0.5))
                .grid(Curves.everyEpoch(3000))
                .noise(0.02)
                .events();
        assertThat(replay(events).alerts())
                .isEqualTo(replay(new ArrayList<>(events)).alerts());
        assertThat(Collections.frequency(
                        List.of(replay(events).state().equals(replay(events).state())), true))
                .isEqualTo(1);
    }

    static long firstEpochBelow(LongToDoubleFunction f, long after, double level) {
        long e = after;
        while (f.applyAsDouble(e) > level) {
            e++;
        }
        return e;
    }

    static EpochEvent withLosses(EpochEvent e, double train, double test) {
        return e.toBuilder().trainLoss(train).testLoss(test).build();
    }
}
