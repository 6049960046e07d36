package io.descentwatch.detection;

import static io.descentwatch.events.AlertWording.num;
import static io.descentwatch.events.AlertWording.percent;

import io.descentwatch.events.Advice.Basis;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The stopping advice while the test loss stands above its first minimum and is not yet falling again (phase
 * RISING). A second descent is the fitting of slower features (Heckel and Yilmaz 2021; Pezeshki et al. 2022), and a
 * slower scale lowers the train loss while it is being learned, so:
 * <ul>
 *   <li>while the smoothed train loss still falls by more than {@code --advice-train-fall} over the last
 *       {@code --advice-span} doublings of epochs and is above the interpolation threshold, a second descent is
 *       still possible: CONTINUE, even once every training example is classified right (train error zero): under
 *       weight decay such a network goes on reshaping the fit, and its test loss can fall long after (grokking; the
 *       twenty-eighth held-out round's modular arithmetic, all five of whose winners were told STOP there). Nothing
 *       seen during a rise tells a rise that turns from one that does not (measured on every family, see the
 *       README), so the advice waits for the turn;</li>
 *   <li>once it has stopped falling (for a whole span: slow learning pauses on plateaus) or reached the
 *       interpolation threshold (the training set fitted exactly), no second descent can come: STOP, and keep the
 *       checkpoint of the lowest test loss (the first minimum).</li>
 * </ul>
 * A smoothed train loss that climbs back by more than {@code --advice-train-climb} over the span overrides every
 * STOP here: fitting never raises the train loss, so the training itself has changed (weights pruned as the run
 * goes, a regulariser ramped up, new data), and neither interpolation, a flat train loss nor the budget's time to
 * turn, all read from the curve so far, says what comes next (a pruned network's second descent came within half a
 * doubling of its turn). Over the presets and thirteen rounds it climbed so in a rise in 15 of the 20 pruned runs
 * and in 6 of the 945 others.
 *
 * <p>A trainer that tells its planned last epoch (tag {@code max_epochs}) also learns when a second descent cannot
 * arrive in time: a test loss still rising (not falling) with fewer than {@code --advice-turn} doublings of epochs left
 * is told to STOP ({@link #beforeTheRise} reads the same turn before a rise is confirmed). The turn rests on when
 * second descents that win turn, not on how long they take: of the independent trainers' 919, 25 (2.7%) peaked with
 * fewer than 0.75 doublings left, while 46 (5.005%) peaked with fewer than 1 left, the turn until the seventy-fourth
 * round (43 of 843, 5.1%, with fewer than 1.25, the turn until the sixty-sixth, 38 of 752, 5.05%, with fewer than 1.5,
 * the turn until the fiftieth, and 36 of 666, 5.4%, with fewer than 1.75, the turn until the fortieth: each past the 5%
 * it allows), while from the peak to below the first minimum took them a median of 1.23 doublings and a quarter of
 * them under 0.50 (the first version's premise, 1.3 to 5.6 doublings on its
 * design runs, does not hold; {@code bench stopping --turn-premise}). Most winners it loses had peaked in time and
 * stood still or rose again until the clock ran down. The turn does not stop a run whose raw test loss has set a new
 * best since the bump's peak: going on has already paid, though the smoothed level, which lags a noisy descent, still
 * stands above the first minimum (the thirty-first round's {@code rbm-cd} lost a winner so, told STOP 5% above its
 * first minimum with the raw loss already under it). Without the tag the advice cannot know how long the run may go on,
 * and waits out every rise while the train loss falls. An earlier bound (a test loss further above its first minimum
 * than the whole train loss cannot come back) is gone: an independent trainer's second descents fell ten times as far
 * as their train loss.
 *
 * <p>No turn comes before 59% of the planned epochs (half at one doubling, the turn until the seventy-fourth round): a
 * run where nothing better comes that only the turn stops spends more than that. Within half a doubling before the
 * turn, a run whose chance of beating the best is under {@code --advice-turn-chance} is told STOP as at the turn
 * ({@link #early}), adopted after the seventieth round by a rule written down before the rounds that judged it; since
 * the eighty-eighth, the chance as the detector tells it, moved by the sweep's ended runs, under 0.3, adopted the
 * same way (the own curve's under 0.1 before). Since the hundred-fourteenth, the half doubling before that reads the
 * same chance against {@code --advice-long-shot-chance} (0.15, a long shot), adopted the same way: the four rounds
 * that judged it lost none of their winners to it, and their median family went from 44.0% to 32.0% of the epochs
 * where nothing better comes.
 */
final class RiseAdvice {

    private final AdviceSettings advice;
    private final String span;

    /** @param span the advice span in words ("doubling"), as reasons name it */
    RiseAdvice(AdviceSettings advice, String span) {
        this.advice = advice;
        this.span = span;
    }

    AdviceJudgement judge(AdviceReading r) {
        RunState run = r.run();
        double level = run.test().level();
        Landmark first = run.minimum();
        AdviceClock clock = r.clock();
        boolean fitting = r.stillFitting();
        if (r.trainClimbing(advice.trainClimb())) {
            return AdviceJudgement.go(
                    Basis.SECOND_DESCENT_POSSIBLE,
                    () -> "a second descent is still possible: the " + r.trainClimbed(span)
                            + ", so training itself has changed (pruned, regularised or new data)"
                            + " and the curve so far does not bound what comes next");
        }
        Optional<Supplier<String>> turn = fitting && !bestSinceThePeak(r) ? pastTheTurn(r) : Optional.empty();
        if (turn.isPresent()) {
            return tooLateToTurn(
                    r,
                    () -> "test loss " + percent(LossShares.above(level, first.loss())) + " above its first minimum"
                            + " with " + num(clock.doublingsLeft()) + " doublings of epochs left and not falling",
                    turn.get());
        }
        if (fitting || !StoppingAdvisor.started(run)) {
            return AdviceJudgement.go(
                    Basis.SECOND_DESCENT_POSSIBLE,
                    () -> fitting ? "a second descent is still possible: " + r.trainFell(span) : notStarted(run));
        }
        return AdviceJudgement.stop(
                Basis.NO_SECOND_DESCENT,
                () -> "no second descent can come: " + r.fitEnded() + " and test loss "
                        + percent(LossShares.above(level, first.loss())) + " above its first minimum: " + r.keep());
    }

    /**
     * The turn before a rise is confirmed (phase DESCENDING): the detector reads a rise only once the smoothed test
     * loss stands {@code --rise-threshold} over its minimum, raised to three times the run's noise, so a short noisy
     * run that rises slowly is still read as descending with little of its budget left, and the turn, which waits for
     * the rise, came late: on the fifty-six rounds, 301 of the 2,234 runs where nothing better comes were first read as
     * rising past half their epochs. A run past the turn whose raw test loss has set no new best for a whole advice
     * span and is not falling is told STOP as a rising one would be: a second descent that wins has nearly always
     * turned with more than the turn left, and one that has turned is falling. Empty otherwise.
     */
    Optional<AdviceJudgement> beforeTheRise(AdviceReading r) {
        AdviceClock clock = r.clock();
        boolean noNewBest = LogEpochs.of(r.best().epoch()) < clock.logEpoch() - advice.spanLogEpochs();
        boolean eligible = r.stillFitting()
                && !r.trainClimbing(advice.trainClimb())
                && StoppingAdvisor.started(r.run())
                && noNewBest;
        return (eligible ? pastTheTurn(r) : Optional.<Supplier<String>>empty())
                .map(turn -> tooLateToTurn(
                        r,
                        () -> "no new best test loss for more than a " + span + " of epochs and not falling, with "
                                + num(clock.doublingsLeft()) + " doublings of epochs left",
                        turn));
    }

    /**
     * Whether the run is past the turn: its test loss is not falling, and fewer than the turn's doublings of the
     * planned epochs are left, or fewer than half a doubling more with a chance of beating the best under {@code
     * --advice-turn-chance} ({@link #early}), or half a doubling more still with one under {@code
     * --advice-long-shot-chance}. When it is, what the STOP rests on, as its reason says it; empty while it
     * is not. The chance is estimated once here, not again for the reason.
     */
    private Optional<Supplier<String>> pastTheTurn(AdviceReading r) {
        if (r.falls().test() > advice.testFall()) {
            return Optional.empty();
        }
        if (r.clock().doublingsLeft() < advice.turnDoublings()) {
            return Optional.of(() -> "where a second descent that wins has nearly always turned with more than "
                    + num(advice.turnDoublings()) + " left");
        }
        EarlyWindow window = earlyWindow(r);
        OptionalDouble early = window == EarlyWindow.NONE ? OptionalDouble.empty() : early(r, window);
        if (early.isEmpty()) {
            return Optional.empty();
        }
        double chance = early.getAsDouble();
        return Optional.of(() -> window.words + " of the turn (" + num(advice.turnDoublings())
                + " left), with a chance of " + num(chance) + " that going on beats the best");
    }

    /** Which early reading of the chance a run's clock is in before the turn, named as the STOP's reason says it. */
    private enum EarlyWindow {
        NONE(""),
        /** The early turn's {@link AdviceSettings#EARLY_TURN_DOUBLINGS} before the turn. */
        EARLY_TURN("within half a doubling"),
        /** The long shot's {@link AdviceSettings#LONG_SHOT_DOUBLINGS} before the early turn's window. */
        LONG_SHOT("within a doubling");

        final String words;

        EarlyWindow(String words) {
            this.words = words;
        }
    }

    /** The window the run's clock is in, once the turn itself is not yet reached; decided here alone. */
    private EarlyWindow earlyWindow(AdviceReading r) {
        double beforeTheTurn = r.clock().doublingsLeft() - advice.turnDoublings();
        if (advice.turnChance() == 0 || beforeTheTurn < 0) {
            return EarlyWindow.NONE;
        }
        if (beforeTheTurn < AdviceSettings.EARLY_TURN_DOUBLINGS) {
            return EarlyWindow.EARLY_TURN;
        }
        boolean longShot = advice.longShotChance() > 0
                && beforeTheTurn < AdviceSettings.EARLY_TURN_DOUBLINGS + AdviceSettings.LONG_SHOT_DOUBLINGS;
        return longShot ? EarlyWindow.LONG_SHOT : EarlyWindow.NONE;
    }

    /**
     * In an early {@code window} before the turn, the chance that going on beats the best, estimated as if the run
     * were told to go on, when it is under that window's threshold ({@code --advice-turn-chance} within {@link
     * AdviceSettings#EARLY_TURN_DOUBLINGS} before the turn); empty otherwise. It is
     * the run's own curve's ({@code --advice-turn-chance-from own}: the verdict is the same offline and live whatever
     * the sweep's other runs did), or moved by the sweep's ended runs as the detector tells it ({@code sweep}: a run
     * of a sweep whose ended runs found no second descent is given up on sooner, one of a sweep of winners later). The
     * own chance is calibrated where it is lowest (pooled over the rounds after its fit, of the advice told under 0.1,
     * 6% went on to beat the best), and a run the chance gives up on half a doubling before the turn has rarely come
     * back: on the sixty-eight rounds it was designed on, none of the 774 winners kept was lost to it. The sweep's
     * chance is far better calibrated per family (over the sixty rounds after the chance's fit, 13 of 180 families
     * more than 10 points off, against 86 for the own curve's), and the families whose runs where nothing better comes
     * train longest are mostly sweeps without a winner, whose moved chance falls as their runs end: read from it at
     * 0.3, the five blind rounds that judged it spent a median family of 62.0% of those epochs against 64.0%, and lost
     * none of their 61 winners that the own chance at 0.1 kept. A run whose sweep has told it nothing (no ended run
     * yet, or advice computed in process, where no sweep is read) has only its own chance, read against {@code
     * --advice-untold-turn-chance}, 0.1 since the ninety-eighth round: with every run told nothing, 0.3 kept 94.4% of
     * the winners over the ninety-eight rounds, under the 95%, and 0.1 keeps 95.8% (docs/benchmarks.md). In
     * the {@link AdviceSettings#LONG_SHOT_DOUBLINGS} before that window, the same chance (moved, or its own where the
     * sweep has told the run nothing) is read against {@code --advice-long-shot-chance} instead.
     */
    private OptionalDouble early(AdviceReading r, EarlyWindow window) {
        double[] asIfGoingOn = AdviceChance.features(r, advice.spanLogEpochs(), false);
        if (asIfGoingOn == null) {
            return OptionalDouble.empty();
        }
        double own = AdviceChance.estimate(asIfGoingOn);
        boolean longShot = window == EarlyWindow.LONG_SHOT;
        return switch (advice.turnChanceFrom()) {
            case OWN -> under(own, longShot ? advice.longShotChance() : advice.turnChance());
            case SWEEP -> {
                ChanceMove move = r.sweepMove();
                // a run its sweep has told nothing reads its own chance (NONE moves nothing), judged apart from the
                // moved one in the early turn; the long shot reads either against its own threshold
                boolean untold = move.equals(ChanceMove.NONE);
                double limit =
                        longShot ? advice.longShotChance() : untold ? advice.untoldTurnChance() : advice.turnChance();
                yield under(move.apply(own), limit);
            }
        };
    }

    private static OptionalDouble under(double chance, double limit) {
        return chance < limit ? OptionalDouble.of(chance) : OptionalDouble.empty();
    }

    /**
     * The turn's STOP, with what the curve shows ({@code reading}) between the budget and what it rests on ({@code
     * premise}, from {@link #pastTheTurn}).
     */
    private AdviceJudgement tooLateToTurn(AdviceReading r, Supplier<String> reading, Supplier<String> premise) {
        return AdviceJudgement.stop(
                Basis.NO_SECOND_DESCENT,
                () -> "no second descent can win before the planned epoch "
                        + r.clock().maxEpochs() + ": " + reading.get() + ", " + premise.get() + ": " + r.keep());
    }

    /** The raw test loss has set a new best since the bump's peak: going on has already paid. */
    private static boolean bestSinceThePeak(AdviceReading r) {
        Landmark peak = r.run().peak();
        return peak != null && r.best().epoch() > peak.epoch();
    }

    /**
     * Why a flat, unstarted run goes on. Said of the train loss as it stands, not as "not learned yet": a trainer
     * that selects or reweights its noisy training labels (co-teaching) can see its train loss climb back over its
     * first while its test loss falls 90%.
     */
    private static String notStarted(RunState run) {
        return "the train loss " + num(run.train().level()) + " is not " + percent(StoppingAdvisor.STARTED)
                + " under its first " + num(run.firstTrainLoss()) + ": it does not show the run learning, so a flat"
                + " curve is no sign that the fit is done";
    }
}
