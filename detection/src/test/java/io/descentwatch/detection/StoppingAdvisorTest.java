package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.descentwatch.events.Advice;
import io.descentwatch.events.Advice.Basis;
import io.descentwatch.events.Advice.Verdict;
import io.descentwatch.events.EpochEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

class StoppingAdvisorTest {

    private final RunDetector detector = new RunDetector(DetectionSettings.defaults());

    /** A detector whose advice reads {@code advice}, every other setting at its default. */
    private static RunDetector detectorWith(AdviceSettings advice) {
        return new RunDetector(
                DetectionSettings.defaults().toBuilder().advice(advice).build());
    }

    /** Every advice change of a run, in order, as a trainer that never stops would see them. */
    private List<Advice> changes(List<EpochEvent> run) {
        return AdviceCurves.adviceChanges(detector, run);
    }

    /** The first STOP, as a trainer that follows the advice would stop at; null when it never comes. */
    private static Advice firstStop(List<Advice> changes) {
        return changes.stream().filter(Advice::stop).findFirst().orElse(null);
    }

    /**
     * A run read to its end: its first STOP (null if none), the advice in force at each event from epoch {@code from}
     * to {@code to}, where a reason shows that is no change of verdict or basis, and the detector's last state.
     */
    private record Walk(Advice stop, List<Advice> inForce, RunState end) {}

    private Walk walk(List<EpochEvent> run, long from, long to) {
        List<Advice> inForce = new ArrayList<>();
        Advice stop = null;
        RunState running = null;
        for (EpochEvent e : run) {
            RunStep step = detector.step(running, e);
            running = step.state();
            if (e.epoch() >= from && e.epoch() <= to) {
                inForce.add(running.advice().current());
            }
            if (stop == null && step.adviceChanged().filter(Advice::stop).isPresent()) {
                stop = step.adviceChanged().get();
            }
        }
        return new Walk(stop, inForce, running);
    }

    @Test
    void aSecondDescentThatWinsIsNeverStoppedWhileItCanStillCome() {
        List<EpochEvent> run = AdviceCurves.secondDescentWins("wins", 20_000, 2500);
        List<Advice> changes = changes(run);
        Advice stop = firstStop(changes);
        // the best test loss comes at the end; stopping anywhere keeps a model at least 2% worse until late
        double best = run.get(run.size() - 1).testLoss();
        if (stop != null) {
            assertThat(stop.bestTestLoss()).as(stop.reason()).isLessThanOrEqualTo(1.02 * best);
        }
        assertThat(changes)
                .extracting(Advice::basis)
                .contains(Basis.SECOND_DESCENT_POSSIBLE, Basis.SECOND_DESCENT_RUNNING);
        Advice possible = changes.stream()
                .filter(a -> a.basis() == Basis.SECOND_DESCENT_POSSIBLE)
                .findFirst()
                .orElseThrow();
        assertThat(possible.verdict()).isEqualTo(Verdict.CONTINUE);
        assertThat(possible.reason())
                .startsWith("a second descent is still possible: train loss fell ")
                .contains("over the last doubling of epochs");
    }

    @Test
    void aSecondDescentRightAfterAnEarlyPeakIsNotJudgedByTheFirstDescentsFall() {
        // Adam's early overshoot (neural-ode-rk4, the forty-first round): a first minimum at epoch 6, a peak at epoch
        // 13, a plateau, then the second descent from about epoch 80 to well under the first minimum. At epoch 22 the
        // last two spans hold the first descent's fall and the peak: read as the second descent's pace they said it
        // was slowing down to end above the best, and the run was stopped there, keeping a test loss four times its
        // last.
        List<EpochEvent> run = AdviceCurves.withBudget(
                AdviceCurves.curve(
                        "overshoot",
                        800,
                        t -> 0.02 + 0.14 * Math.exp(-t / 4.0) + 0.01 / (1 + t / 100.0),
                        t -> 0.1
                                + 0.35 / (1 + Math.pow(t / 80.0, 3))
                                + 2.4 * Math.exp(-t / 3.0)
                                + 0.45 * Math.exp(-Math.pow((t - 13) / 4.0, 2))
                                - 0.2 * Math.exp(-Math.pow((t - 6) / 1.5, 2))),
                800);
        List<Advice> changes = changes(run);
        assertThat(changes).noneMatch(a -> a.reason().startsWith("the second descent is slowing down"));
        Advice stop = firstStop(changes);
        double best = run.stream().mapToDouble(EpochEvent::testLoss).min().orElseThrow();
        if (stop != null) {
            assertThat(stop.bestTestLoss()).as(stop.reason()).isLessThanOrEqualTo(1.02 * best);
        }
    }

    @Test
    void withoutSlowFeaturesTheAdviceStopsSoonAfterTheTrainLossFlattensAndKeepsTheFirstMinimum() {
        List<EpochEvent> run = AdviceCurves.nothingBetter("flat", 20_000);
        Advice stop = firstStop(changes(run));
        assertThat(stop).isNotNull();
        assertThat(stop.basis()).isEqualTo(Basis.NO_SECOND_DESCENT);
        // the train loss is flat (under 1% per doubling) from about epoch 700: stopped within about two doublings
        assertThat(stop.epoch()).isBetween(300L, 4000L);
        EpochEvent best = run.stream()
                .min(java.util.Comparator.comparingDouble(EpochEvent::testLoss))
                .orElseThrow();
        assertThat(stop.bestEpoch()).isEqualTo(best.epoch());
        assertThat(stop.reason())
                .startsWith("no second descent can come: train loss flat since epoch ")
                .contains("above its first minimum: keep the checkpoint of epoch " + best.epoch());
    }

    @Test
    void aSecondDescentBelowTheFirstMinimumIsFollowedUntilItLevelsOff() {
        List<EpochEvent> run = AdviceCurves.secondDescentWins("levels", 100_000, 1000);
        List<Advice> changes = changes(run);
        Advice stop = firstStop(changes);
        assertThat(stop).isNotNull();
        assertThat(stop.basis()).isEqualTo(Basis.SECOND_DESCENT_LEVELLED);
        assertThat(stop.reason())
                .startsWith("the second descent has levelled off ")
                .contains("below the first " + "minimum: keep the checkpoint of epoch ");
        double best = run.stream().mapToDouble(EpochEvent::testLoss).min().orElseThrow();
        assertThat(stop.bestTestLoss()).isLessThanOrEqualTo(1.02 * best);
        // the slow features are fitted by about epoch 5,000; the train loss must then stay flat for a doubling
        assertThat(stop.epoch()).isLessThan(60_000);
    }

    @Test
    void aRiseWhoseTrainLossClimbsBackOverItsFirstGoesOnAndSaysWhatTheTrainLossShows() {
        // co-teaching's shape: the train loss, on noisy labels, dips, then climbs back over its first and stands
        // still, while the test loss falls 90% and then rises
        List<EpochEvent> run = AdviceCurves.curve(
                "coteach",
                20_000,
                t -> 2.0 - 0.5 * (1 - AdviceCurves.fast(t)) - 0.7 * Math.expm1(-t / 20.0),
                t -> 0.2 + 1.8 * AdviceCurves.fast(t) + 0.3 * AdviceCurves.noiseFitted(t));
        List<Advice> changes = changes(run);
        assertThat(firstStop(changes)).isNull();
        Advice last = changes.get(changes.size() - 1);
        assertThat(last.basis()).isEqualTo(Basis.SECOND_DESCENT_POSSIBLE);
        assertThat(last.reason())
                .matches(
                        "the train loss 2\\.[12]\\d is not 10% under its first 2\\.00: it does not show the run learning.*")
                .doesNotContain("not learned");
    }

    @Test
    void aRiseIsNotStoppedBecauseEveryTrainingExampleIsClassifiedRightWhileTheTrainLossFalls() {
        List<EpochEvent> run = AdviceCurves.grokking("grok", 20_000, 200, 3_000);
        double best = run.stream().mapToDouble(EpochEvent::testLoss).min().orElseThrow();

        // the advice in force while the memorised fit holds, from well after the training set is classified right
        Walk walk = walk(run, 400, 1_500);
        List<Advice> inForce = walk.inForce();
        Advice stop = walk.stop();
        assertThat(walk.end().interpolated())
                .as("train error zero: the detector's interpolation")
                .isTrue();
        if (stop != null) {
            assertThat(stop.bestTestLoss()).as(stop.reason()).isLessThanOrEqualTo(1.02 * best);
        }
        assertThat(inForce)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.reason())
                        .as(a.verdict() + " at epoch " + a.epoch())
                        .startsWith("a second descent is still possible: train loss fell"));
    }

    @Test
    void aFlatTestLossIsNotConvergedOnAFittedTrainingSetWhileTheTrainLossStillFalls() {
        // every training example classified right from epoch 200, the test loss flat from its first descent until it
        // falls far under it around epoch 3,000
        List<EpochEvent> stillFitting = AdviceCurves.grokkingFromAPlateau("grok", 20_000, 200, 3_000, 0.3);
        double best =
                stillFitting.stream().mapToDouble(EpochEvent::testLoss).min().orElseThrow();
        Walk walk = walk(stillFitting, 400, 1_500);
        assertThat(walk.end().interpolated()).as("train error zero").isTrue();
        assertThat(walk.inForce())
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.verdict()).as(a.reason()).isEqualTo(Advice.Verdict.CONTINUE));
        if (walk.stop() != null) {
            assertThat(walk.stop().bestTestLoss()).as(walk.stop().reason()).isLessThanOrEqualTo(1.02 * best);
        }
        // the same fit with its train loss flat (weight decay's plateau) has ended: converged, as the curve shows it
        Advice stop = firstStop(changes(AdviceCurves.grokkingFromAPlateau("plateau", 20_000, 200, 3_000, 0)));
        assertThat(stop).isNotNull();
        assertThat(stop.basis()).isEqualTo(Basis.CONVERGED);
        assertThat(stop.epoch()).isLessThan(1_500L);
        assertThat(stop.reason()).startsWith("training has converged: train loss flat since epoch");
    }

    @Test
    void aSecondDescentPausedUnderTheFirstMinimumHasNotLevelledOffWhileItsFitGoesOn() {
        // every training example classified right from epoch 200; the test loss under its first minimum from about
        // epoch 1,000, flat there until a second step falls far under it around epoch 30,000
        List<EpochEvent> twoSteps = AdviceCurves.grokkingInTwoSteps("steps", 100_000, 200, 300, 30_000, 0.3);
        double best = twoSteps.stream().mapToDouble(EpochEvent::testLoss).min().orElseThrow();
        List<Advice> changes = changes(twoSteps);
        assertThat(changes).extracting(Advice::basis).contains(Basis.SECOND_DESCENT_RUNNING);
        Advice stop = firstStop(changes);
        if (stop != null) {
            assertThat(stop.bestTestLoss()).as(stop.reason()).isLessThanOrEqualTo(1.02 * best);
        }
        // the same pause with the train loss flat (the fit has ended): levelled off, and the first step's model kept
        Advice levelled = firstStop(changes(AdviceCurves.grokkingInTwoSteps("ended", 100_000, 200, 300, 30_000, 0)));
        assertThat(levelled).isNotNull();
        assertThat(levelled.basis()).isEqualTo(Basis.SECOND_DESCENT_LEVELLED);
        assertThat(levelled.epoch()).isLessThan(20_000L);
    }

    @Test
    void aRiseOnceTheTrainingSetIsFittedExactlyIsStoppedAndSaysSo() {
        // the train loss goes to zero: under the interpolation threshold, nothing is left in the training set to fit
        List<EpochEvent> run = AdviceCurves.interpolating("exact", 20_000);
        Advice stop = firstStop(changes(run));
        assertThat(stop).isNotNull();
        assertThat(stop.basis()).isEqualTo(Basis.NO_SECOND_DESCENT);
        assertThat(stop.reason())
                .startsWith("no second descent can come: train loss ")
                .contains("at the interpolation threshold");
        // 3 e^(-t/40) is under a thousandth of its first value from epoch 277 on
        assertThat(stop.epoch()).isBetween(277L, 1_000L);
    }

    @Test
    void aRunWithoutABumpIsStoppedOnlyOnceBothLossesHaveConverged() {
        List<Advice> changes = changes(AdviceCurves.converging("plain", 5000));
        assertThat(changes.get(0).basis()).isEqualTo(Basis.WARMING_UP);
        assertThat(changes).extracting(Advice::basis).contains(Basis.FIRST_DESCENT);
        Advice stop = firstStop(changes);
        assertThat(stop).isNotNull();
        assertThat(stop.basis()).isEqualTo(Basis.CONVERGED);
        // fast(t) = e^(-t/10): the losses stop moving by 1% per doubling a little after epoch 50, and the train
        // loss must then stay flat for a doubling
        assertThat(stop.epoch()).isBetween(40L, 1000L);
    }

    @Test
    void aRiseWhileTheTrainLossFallsIsWaitedOutUnlessThePlannedLastEpochIsTooNearForATurn() {
        List<EpochEvent> run = AdviceCurves.risingToTheEnd("rises", 20_000);
        // how long the run may go on is not known: nothing seen during a rise says it will not turn
        assertThat(firstStop(changes(run))).isNull();

        Advice stop = firstStop(changes(AdviceCurves.withBudget(run, 20_000)));
        assertThat(stop).isNotNull();
        assertThat(stop.basis()).isEqualTo(Basis.NO_SECOND_DESCENT);
        assertThat(stop.reason()).startsWith("no second descent can win before the planned epoch 20000");
        // a rise whose chance of beating the best is low is stopped within a doubling before the turn (fewer than
        // 1.75 doublings of 20,000 left: from epoch 5,946), and no sooner: by the long shot, under 0.15
        assertThat(stop.epoch()).isBetween(5_946L, 8_408L);
        assertThat(stop.reason()).contains("within a doubling of the turn (0.750 left), with a chance of");
        // without the long shot, within half a doubling before the turn (fewer than 1.25 left: from epoch 8,409)
        Advice early = firstStop(AdviceCurves.adviceChanges(
                detectorWith(AdviceSettings.defaults().withLongShotChance(0)), AdviceCurves.withBudget(run, 20_000)));
        assertThat(early.epoch()).isBetween(8_409L, 11_892L);
        assertThat(early.reason()).contains("within half a doubling of the turn (0.750 left), with a chance of");
        // without the chance's early reading, at the turn: fewer than 0.75 doublings left, from epoch 11,892, within a
        // few evaluations (40 a decade)
        RunDetector turnOnly = detectorWith(AdviceSettings.defaults().withTurnChance(0));
        Advice atTheTurn = firstStop(AdviceCurves.adviceChanges(turnOnly, AdviceCurves.withBudget(run, 20_000)));
        assertThat(atTheTurn).isNotNull();
        assertThat(atTheTurn.epoch()).isBetween(11_892L, 15_000L);
        assertThat(atTheTurn.reason()).contains("has nearly always turned with more than 0.750 left");
        assertThat(firstStop(changes(AdviceCurves.withBudget(run, 200_000))))
                .as("eight times the budget")
                .isNull();
    }

    @Test
    void theEarlyTurnReadsTheChanceItsSweepHasMovedOnlyWhenToldTo() {
        List<EpochEvent> run = AdviceCurves.withBudget(AdviceCurves.risingToTheEnd("rises", 20_000), 20_000);
        // a sweep whose ended runs never beat their best, and one whose ended runs always did
        SweepChances losers = sweepId -> new ChanceMove(-6, 1);
        SweepChances winners = sweepId -> new ChanceMove(6, 1);
        AdviceSettings sweep = AdviceSettings.defaults()
                .withLongShotChance(0)
                .withTurnChance(0.3)
                .withTurnChanceFrom(AdviceSettings.TurnChanceFrom.SWEEP);
        RunDetector readsSweep = detectorWith(sweep);
        // the early turn's window: from 1.25 doublings of 20,000 left (epoch 8,409) to 0.75 left (epoch 11,892)
        Advice early = firstStop(AdviceCurves.adviceChanges(readsSweep, run, losers));
        assertThat(early).isNotNull();
        assertThat(early.epoch()).isBetween(8_409L, 11_892L);
        assertThat(early.reason()).contains("within half a doubling of the turn");
        Advice late = firstStop(AdviceCurves.adviceChanges(readsSweep, run, winners));
        assertThat(late).isNotNull();
        assertThat(late.epoch()).isGreaterThanOrEqualTo(11_892L);
        assertThat(late.reason()).contains("has nearly always turned with more than 0.750 left");
        // reading its own curve's chance, the run is told the same whatever its sweep did
        RunDetector readsOwn = detectorWith(sweep.withTurnChanceFrom(AdviceSettings.TurnChanceFrom.OWN));
        assertThat(firstStop(AdviceCurves.adviceChanges(readsOwn, run, losers)).epoch())
                .isEqualTo(firstStop(AdviceCurves.adviceChanges(readsOwn, run, winners))
                        .epoch());
    }

    @Test
    void aLongShotIsToldStopHalfADoublingBeforeTheEarlyTurnOnlyWhenItsChanceIsUnderItsThreshold() {
        List<EpochEvent> run = AdviceCurves.withBudget(AdviceCurves.risingToTheEnd("rises", 20_000), 20_000);
        SweepChances losers = sweepId -> new ChanceMove(-6, 1);
        SweepChances winners = sweepId -> new ChanceMove(6, 1);
        AdviceSettings longShot = AdviceSettings.defaults();
        assertThat(longShot.longShotChance()).isEqualTo(0.15);
        // the long shot's window: from 1.75 doublings of 20,000 left (epoch 5,946) to 1.25 left (epoch 8,409)
        Advice early = firstStop(AdviceCurves.adviceChanges(detectorWith(longShot), run, losers));
        assertThat(early).isNotNull();
        assertThat(early.epoch()).isBetween(5_946L, 8_408L);
        assertThat(early.reason()).contains("within a doubling of the turn (0.750 left), with a chance of");
        // off, as until the hundred-fourteenth round, the same run of the same sweep is first told STOP in the early
        // turn's half doubling
        Advice off = firstStop(AdviceCurves.adviceChanges(detectorWith(longShot.withLongShotChance(0)), run, losers));
        assertThat(off.epoch()).isBetween(8_409L, 11_892L);
        assertThat(off.reason()).contains("within half a doubling of the turn (0.750 left)");
        // a run of a sweep of winners is given up on neither there nor in the early turn
        Advice winning = firstStop(AdviceCurves.adviceChanges(detectorWith(longShot), run, winners));
        assertThat(winning.epoch()).isGreaterThanOrEqualTo(11_892L);
        // at a threshold no chance is under, the long shot changes nothing
        assertThat(firstStop(AdviceCurves.adviceChanges(detectorWith(longShot.withLongShotChance(1e-12)), run, losers)))
                .isEqualTo(off);
    }

    @Test
    void aRunItsSweepHasToldNothingReadsItsOwnChanceAgainstTheUntoldThreshold() {
        List<EpochEvent> run = AdviceCurves.withBudget(AdviceCurves.risingToTheEnd("rises", 20_000), 20_000);
        SweepChances losers = sweepId -> new ChanceMove(-6, 1);
        AdviceSettings sweep = AdviceSettings.defaults()
                .withLongShotChance(0)
                .withTurnChance(0.3)
                .withTurnChanceFrom(AdviceSettings.TurnChanceFrom.SWEEP);
        // told nothing and read against 0.3, it stops in the early turn exactly as a run reading its own chance does
        Advice untold = firstStop(
                AdviceCurves.adviceChanges(detectorWith(sweep.withUntoldTurnChance(0.3)), run, SweepChances.NONE));
        Advice own = firstStop(AdviceCurves.adviceChanges(
                detectorWith(sweep.withTurnChanceFrom(AdviceSettings.TurnChanceFrom.OWN)), run, SweepChances.NONE));
        assertThat(untold.epoch()).isBetween(8_409L, 11_892L).isEqualTo(own.epoch());
        assertThat(untold.reason()).isEqualTo(own.reason());
        // with no early turn for runs told nothing it waits for the turn itself; a run its sweep has told something
        // still reads the moved chance against --advice-turn-chance, and one reading its own chance ignores the setting
        AdviceSettings noUntold = sweep.withUntoldTurnChance(0);
        Advice waits = firstStop(AdviceCurves.adviceChanges(detectorWith(noUntold), run, SweepChances.NONE));
        assertThat(waits.epoch()).isGreaterThanOrEqualTo(11_892L);
        assertThat(waits.reason()).contains("has nearly always turned with more than 0.750 left");
        assertThat(firstStop(AdviceCurves.adviceChanges(detectorWith(noUntold), run, losers))
                        .epoch())
                .isBetween(8_409L, 11_892L);
        assertThat(firstStop(AdviceCurves.adviceChanges(
                                detectorWith(noUntold.withTurnChanceFrom(AdviceSettings.TurnChanceFrom.OWN)),
                                run,
                                SweepChances.NONE))
                        .epoch())
                .isEqualTo(own.epoch());
    }

    @Test
    void aRiseTooSmallToBeReadAsOneIsToldStopPastTheTurnOnceNoNewBestHasComeForADoubling() {
        LongToDoubleFunction train = t -> 0.5 + 2 * AdviceCurves.fast(t) + Math.pow(1 + t / 50.0, -0.3);
        // up 3% from epoch 50 to 500, under the 5% the detector reads as a rise, and flat after: the phase stays
        // DESCENDING, and the train loss falls throughout
        LongToDoubleFunction creeps =
                t -> 1.0 + AdviceCurves.fast(t) + 0.03 * Math.min(1, Math.max(0, (t - 50) / 450.0));
        List<EpochEvent> run = AdviceCurves.curve("creeps", 20_000, train, creeps);
        Walk told = walk(AdviceCurves.withBudget(run, 20_000), 0, 20_000);
        assertThat(told.end().phase()).isEqualTo(RunPhase.DESCENDING);
        assertThat(told.stop()).isNotNull();
        assertThat(told.stop().basis()).isEqualTo(Basis.NO_SECOND_DESCENT);
        assertThat(told.stop().reason())
                .startsWith("no second descent can win before the planned epoch 20000: no new best test loss for more"
                        + " than a doubling of epochs");
        // past the turn (fewer than 0.75 doublings of 20,000 left: from epoch 11,892, within a few evaluations), and
        // kept the first minimum
        assertThat(told.stop().epoch()).isBetween(11_892L, 15_000L);
        assertThat(told.stop().bestEpoch()).isLessThan(100L);
        // without the budget nothing says it cannot turn, and the train loss still falls
        assertThat(firstStop(changes(run))).isNull();
        // a test loss that goes on setting new bests, however slowly, is not stopped
        LongToDoubleFunction crawls = t -> 1.0 + AdviceCurves.fast(t) + 0.2 * Math.pow(1 + t / 50.0, -0.3);
        assertThat(firstStop(
                        changes(AdviceCurves.withBudget(AdviceCurves.curve("crawls", 20_000, train, crawls), 20_000))))
                .isNull();
    }

    @Test
    void theBudgetsTurnDoesNotStopARunWhoseTestLossHasSetANewBestSinceThePeak() {
        // a bump of 10% that settles 8% above the first minimum (smoothed: a rise that has stopped, not a fall), the
        // train loss falling throughout
        LongToDoubleFunction train = t -> 0.5 + 2 * AdviceCurves.fast(t) + Math.pow(1 + t / 50.0, -0.3);
        LongToDoubleFunction test = t -> 1.0
                + AdviceCurves.fast(t)
                + (t < 50 ? 0 : t < 500 ? 0.10 * (t - 50) / 450.0 : t < 1000 ? 0.10 - 0.02 * (t - 500) / 500.0 : 0.08);
        List<EpochEvent> plateau = AdviceCurves.curve("plateau", 20_000, train, test);
        // the same with every eighth evaluation from epoch 2,000 on 11% lower: below the first minimum, a new best
        List<EpochEvent> dips = new ArrayList<>();
        for (int i = 0; i < plateau.size(); i++) {
            EpochEvent e = plateau.get(i);
            boolean dip = e.epoch() >= 2_000 && i % 8 == 0;
            dips.add(dip ? e.toBuilder().testLoss(e.testLoss() - 0.11).build() : e);
        }
        double firstMinimum = plateau.stream()
                .filter(e -> e.epoch() <= 1_000)
                .mapToDouble(EpochEvent::testLoss)
                .min()
                .orElseThrow();
        assertThat(dips.stream()
                        .filter(e -> e.epoch() > 2_000)
                        .mapToDouble(EpochEvent::testLoss)
                        .min()
                        .orElseThrow())
                .isLessThan(0.98 * firstMinimum);

        String turn = "no second descent can win before the planned epoch 20000";
        Advice stop = firstStop(changes(AdviceCurves.withBudget(plateau, 20_000)));
        assertThat(stop).isNotNull();
        assertThat(stop.reason()).startsWith(turn);
        // the dips set new bests after the peak: going on has already paid, and the turn no longer stops the run
        assertThat(changes(AdviceCurves.withBudget(dips, 20_000)))
                .noneMatch(a -> a.stop() && a.reason().startsWith(turn));
    }

    @Test
    void aTrainLossThatClimbsBackDuringARiseOverridesTheBudgetsStop() {
        // pruned from epoch 2,000: the test loss goes on rising until 4,000, past epoch 2,828, from which fewer than
        // the default turn's 1 doubling of 8,000 and half a doubling more are left (the chance's early reading)
        List<EpochEvent> run = AdviceCurves.withBudget(AdviceCurves.prunedWhileRising("pruned", 8_000, 2_000), 8_000);
        double best = run.stream().mapToDouble(EpochEvent::testLoss).min().orElseThrow();
        double firstMinimum = run.stream()
                .filter(e -> e.epoch() <= 1_000)
                .mapToDouble(EpochEvent::testLoss)
                .min()
                .orElseThrow();
        assertThat(best).as("the second descent wins").isLessThan(0.9 * firstMinimum);

        // the verdict and basis stay (a second descent is possible), so the reason shows in the advice in force
        Walk walk = walk(run, 0, Long.MAX_VALUE);
        List<Advice> inForce = walk.inForce();
        Advice stop = walk.stop();
        if (stop != null) {
            assertThat(stop.bestTestLoss()).as(stop.reason()).isLessThanOrEqualTo(1.02 * best);
        }
        assertThat(inForce)
                .filteredOn(a -> a != null && a.reason().contains("the train loss climbed"))
                .as("told why it goes on")
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.verdict()).isEqualTo(Verdict.CONTINUE));

        // the same run read without the climb (the highest value the flag takes): it is stopped at the bump (by the
        // budget's turn, or by its train loss going flat first)
        RunDetector climbBlind = detectorWith(AdviceSettings.defaults().withTrainClimb(10));
        Advice blindStop = firstStop(AdviceCurves.adviceChanges(climbBlind, run));
        assertThat(blindStop).isNotNull();
        assertThat(blindStop.basis()).isEqualTo(Basis.NO_SECOND_DESCENT);
        assertThat(blindStop.reason()).startsWith("no second descent can");
        assertThat(blindStop.bestTestLoss()).isGreaterThan(1.02 * best);
    }

    @Test
    void noStopIsReadFromTheCurveUntilAnAnnouncedScheduleHasSettledButDivergenceStillStops() {
        List<EpochEvent> untold = AdviceCurves.withBudget(AdviceCurves.nothingBetter("scheduled", 20_000), 20_000);
        Advice untoldStop = firstStop(changes(untold));
        assertThat(untoldStop).isNotNull();
        long scheduleEnd = 2 * untoldStop.epoch();
        List<Advice> told = changes(AdviceCurves.withScheduleEnd(untold, scheduleEnd));

        // until a quarter doubling after the last scheduled change, the STOP read from the curve is withheld
        Advice withheld = told.stream()
                .filter(a -> a.basis() == Basis.SCHEDULED_CHANGE)
                .findFirst()
                .orElseThrow();
        assertThat(withheld.verdict()).isEqualTo(Verdict.CONTINUE);
        // a STOP waits for confirmation, a CONTINUE does not: withheld at the first evaluation that reads STOP
        assertThat(withheld.epoch()).isLessThanOrEqualTo(untoldStop.epoch());
        assertThat(withheld.reason())
                .startsWith("the trainer's schedule changes what is fitted until epoch " + scheduleEnd)
                .contains("without the schedule: no second descent can come: train loss flat since epoch ");
        Advice stop = firstStop(told);
        assertThat(stop).isNotNull();
        assertThat(stop.epoch()).isGreaterThanOrEqualTo((long) Math.ceil(scheduleEnd * Math.pow(2, 0.25)) - 1);
        assertThat(stop.basis()).isNotEqualTo(Basis.SCHEDULED_CHANGE);

        // with no settling time, the STOP comes as soon as the schedule ends
        RunDetector unsettled = detectorWith(AdviceSettings.defaults().withScheduleSettle(0));
        Advice early =
                firstStop(AdviceCurves.adviceChanges(unsettled, AdviceCurves.withScheduleEnd(untold, scheduleEnd)));
        assertThat(early.epoch()).isBetween(scheduleEnd, stop.epoch() - 1);

        // a schedule does not hold back the STOP of a diverged run
        List<EpochEvent> diverging = AdviceCurves.withScheduleEnd(AdviceCurves.diverging("d", 5_000, 2_000), 4_000);
        Advice diverged = firstStop(changes(diverging));
        assertThat(diverged.basis()).isEqualTo(Basis.DIVERGED);
        assertThat(diverged.epoch()).isLessThan(4_000L);
    }

    @Test
    void aWinningSecondDescentIsKeptWhenItsBudgetIsTold() {
        List<EpochEvent> run = AdviceCurves.withBudget(AdviceCurves.secondDescentWins("wins", 20_000, 2500), 20_000);
        Advice stop = firstStop(changes(run));
        double best = run.stream().mapToDouble(EpochEvent::testLoss).min().orElseThrow();
        if (stop != null) {
            assertThat(stop.bestTestLoss()).as(stop.reason()).isLessThanOrEqualTo(1.02 * best);
        }
    }

    @Test
    void everyAdviceAfterWarmingUpCarriesAChanceAndAWinnerIsGivenBetterOddsThanARunWithNothingBetter() {
        List<Advice> wins = changes(AdviceCurves.secondDescentWins("wins", 20_000, 2500));
        List<Advice> flat = changes(AdviceCurves.nothingBetter("flat", 20_000));
        for (Advice a : concat(wins, flat)) {
            if (a.basis() == Basis.WARMING_UP) {
                assertThat(a.chance()).isNull();
            } else {
                assertThat(a.chance()).as(a.reason()).isBetween(0.0, 1.0);
            }
        }
        double winnerAtItsRise = wins.stream()
                .filter(a -> a.basis() == Basis.SECOND_DESCENT_POSSIBLE)
                .mapToDouble(Advice::chance)
                .max()
                .orElseThrow();
        Advice stop = firstStop(flat);
        assertThat(stop.chance()).isLessThan(winnerAtItsRise);
    }

    private static List<Advice> concat(List<Advice> a, List<Advice> b) {
        List<Advice> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void aDivergedRunIsStoppedAtOnceWithTheBestCheckpointBeforeIt() {
        Advice stop = firstStop(changes(AdviceCurves.diverging("boom", 5000, 30)));
        assertThat(stop).isNotNull();
        assertThat(stop.basis()).isEqualTo(Basis.DIVERGED);
        assertThat(stop.bestEpoch()).isLessThan(30);
        assertThat(stop.epoch()).isLessThan(40);
    }

    @Test
    void adviceChangesOnlyWhenItsVerdictOrBasisDoesAndTheSummaryCarriesTheLatest() {
        List<EpochEvent> run = AdviceCurves.nothingBetter("flat", 20_000);
        List<Advice> changes = changes(run);
        for (int i = 1; i < changes.size(); i++) {
            assertThat(changes.get(i).differsFrom(changes.get(i - 1))).isTrue();
        }
        assertThat(changes.size()).isLessThan(8);
        RunState state = null;
        RunSummary last = null;
        for (EpochEvent e : run) {
            RunStep step = detector.step(state, e);
            state = step.state();
            if (step.sweepUpdate().isPresent()) {
                last = step.sweepUpdate().get();
            }
            if (step.adviceChanged().isPresent()) {
                assertThat(step.sweepUpdate())
                        .as("a summary goes out with every advice change")
                        .isPresent();
                assertThat(step.sweepUpdate().get().advice())
                        .isEqualTo(step.adviceChanged().get());
            }
        }
        assertThat(last.advice().verdict()).isEqualTo(Verdict.STOP);
    }

    @Test
    void theAdvisorsMemoryStaysSmallOnALongRun() {
        RunState state = null;
        for (EpochEvent e : AdviceCurves.curve("long", 1_000_000, t -> 1 + 1.0 / (1 + t), t -> 1 + 1.0 / (1 + t))) {
            state = detector.step(state, e).state();
        }
        assertThat(state.advice().history().size()).isLessThanOrEqualTo(12);
    }

    @Test
    void settingsOutOfRangeAreRefusedNamingTheSettingAndTheRange() {
        // the flags' own checks (exit 2 naming --advice-*) are the streams module's DetectionOptionsTest
        assertThatThrownBy(() -> AdviceSettings.defaults().withTrainFall(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advice train fall")
                .hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> AdviceSettings.defaults().withSpanDoublings(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advice span")
                .hasMessageContaining("[0.25, 4]");
        assertThat(AdviceSettings.defaults().withSpanDoublings(2).spanDoublings())
                .isEqualTo(2);
        assertThat(DetectionSettings.defaults().advice().trainFall()).isEqualTo(0.005);
        assertThatThrownBy(() -> AdviceSettings.defaults().withTrainClimb(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advice train climb")
                .hasMessageContaining("(0, 10]");
        assertThat(DetectionSettings.defaults().advice().trainClimb()).isEqualTo(0.1);
        assertThatThrownBy(() -> AdviceSettings.defaults().withScheduleSettle(-0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advice schedule settle")
                .hasMessageContaining("[0, 4]");
        assertThat(DetectionSettings.defaults().advice().scheduleSettle()).isEqualTo(0.25);
    }
}
