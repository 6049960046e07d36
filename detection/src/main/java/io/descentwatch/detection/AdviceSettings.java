package io.descentwatch.detection;

/**
 * The thresholds of the stopping advice ({@link StoppingAdvisor}), part of {@link DetectionSettings} so that every
 * command that detects also advises with the same numbers. Plain values, checked against their ranges when built;
 * the flags that set them ({@code --advice-*}, with their environment fallbacks, and why each default is what it is)
 * are the streams module's {@code AdviceOptions}.
 *
 * <p>Falls are measured between the smoothed value now and the smoothed value a number of doublings of epochs ago
 * (by interpolation between stored points, in constant space), because training curves move on a log scale of
 * epochs: a feature that is learned 10x slower shows up a decade later, and a fall per step would call it flat.
 *
 * @param trainFall     fraction in (0, 1) the smoothed train loss must still fall over the advice span to keep a
 *                      run above its first minimum at CONTINUE (default 0.005)
 * @param turnDoublings doublings of epochs in [0.25, 8] a run still rising needs left to be told anything but STOP
 *                      (default 1)
 * @param testFall      fraction in (0, 1) a falling test loss must fall by over the span to keep CONTINUE (default
 *                      0.01)
 * @param spanDoublings how far back falls are measured, in doublings of epochs, in [0.25, 4] (default 1)
 * @param trainClimb    fraction in (0, 10] by which the smoothed train loss must rise over the span for a rising run
 *                      to be told CONTINUE whatever else it reads: training itself has changed (default 0.1)
 * @param scheduleSettle doublings of epochs in [0, 4] after the last change a trainer announces (tag
 *                      {@code schedule_end}) during which no STOP is read from the curve (default 0.25)
 * @param sweepPrior    how far a sweep's ended runs may move the chance told to its other runs: the standard
 *                      deviation in [0, 4] of the priors around no move, on the offset in log-odds and on the log of
 *                      the slope ({@link SweepChanceEvidence}); 0 reads no sweep (default 0.5)
 * @param turnChance    within {@link #EARLY_TURN_DOUBLINGS} before the turn, a run not falling is told STOP as at the
 *                      turn when its chance of beating the best, as if told to go on, is under this, in [0, 1); 0
 *                      turns it off (default 0.3; 0.1 with the own curve's chance until the eighty-eighth round)
 * @param turnChanceFrom which chance that early turn reads: the run's own curve's, the same whatever else its sweep
 *                      has done, or the chance as the detector tells it, moved by the sweep's ended runs (default
 *                      {@link TurnChanceFrom#SWEEP}, adopted after the eighty-eighth round by a rule written down
 *                      before the rounds that judged it)
 * @param untoldTurnChance with {@link TurnChanceFrom#SWEEP}, what a run whose sweep has told it nothing (no ended run
 *                      yet, the sweep not read, or advice computed in process) compares its own chance with in that
 *                      early turn instead of {@code turnChance}, in [0, 1); 0 turns the early turn off for such runs,
 *                      and {@code turnChance} 0 for all (default 0.1, the own chance's threshold before the
 *                      eighty-eighth round, adopted after the ninety-eighth by a rule written down before the rounds
 *                      that judged it: with every run told nothing it keeps the 95% of winners, where 0.3
 *                      did not)
 * @param longShotChance within {@link #LONG_SHOT_DOUBLINGS} before the early turn, a run not falling is told STOP as
 *                      in it when its chance, read as the early turn reads it (moved by its sweep, or its own where
 *                      its sweep has told it nothing), is under this, in [0, 1); 0 turns it off (default 0.15: written
 *                      down with its rule for adoption before the hundred-eleventh round, and adopted on the
 *                      hundred-eleventh to hundred-fourteenth, written blind after it)
 */
public record AdviceSettings(
        double trainFall,
        double turnDoublings,
        double testFall,
        double spanDoublings,
        double trainClimb,
        double scheduleSettle,
        double sweepPrior,
        double turnChance,
        TurnChanceFrom turnChanceFrom,
        double untoldTurnChance,
        double longShotChance) {

    /** Which chance the early turn reads ({@code --advice-turn-chance-from}). */
    public enum TurnChanceFrom {
        /** The run's own curve's: a verdict is the same offline and live, whatever the sweep's other runs did. */
        OWN,
        /**
         * As the detector tells it, moved by the sweep's ended runs ({@link SweepChanceEvidence}): a verdict depends
         * on which of the sweep's runs have ended before it.
         */
        SWEEP
    }

    public static final double DEFAULT_TRAIN_FALL = 0.005;
    public static final double DEFAULT_TEST_FALL = 0.01;
    public static final double DEFAULT_TURN_DOUBLINGS = 0.75;
    public static final double DEFAULT_SPAN_DOUBLINGS = 1;
    public static final double DEFAULT_TRAIN_CLIMB = 0.1;
    public static final double DEFAULT_SCHEDULE_SETTLE = 0.25;
    public static final double DEFAULT_SWEEP_PRIOR = 0.5;
    public static final double DEFAULT_TURN_CHANCE = 0.3;
    public static final TurnChanceFrom DEFAULT_TURN_CHANCE_FROM = TurnChanceFrom.SWEEP;
    public static final double DEFAULT_UNTOLD_TURN_CHANCE = 0.1;
    public static final double DEFAULT_LONG_SHOT_CHANCE = 0.15;

    /** How long before the turn a run's chance may end it early, in doublings of epochs. */
    public static final double EARLY_TURN_DOUBLINGS = 0.5;

    /** How long before the early turn a run's chance may end it under {@code longShotChance}, in doublings. */
    public static final double LONG_SHOT_DOUBLINGS = 0.5;

    public AdviceSettings {
        SettingRange.open("advice train fall", trainFall, 0, 1);
        SettingRange.closed("advice turn (doublings)", turnDoublings, 0.25, 8);
        SettingRange.open("advice test fall", testFall, 0, 1);
        SettingRange.closed("advice span (doublings)", spanDoublings, 0.25, 4);
        SettingRange.aboveUpTo("advice train climb", trainClimb, 0, 10);
        SettingRange.closed("advice schedule settle (doublings)", scheduleSettle, 0, 4);
        SettingRange.closed("advice sweep prior (log-odds)", sweepPrior, 0, 4);
        SettingRange.fromBelow("advice turn chance", turnChance, 0, 1);
        java.util.Objects.requireNonNull(turnChanceFrom, "which chance the advice's early turn reads");
        SettingRange.fromBelow("advice untold turn chance", untoldTurnChance, 0, 1);
        SettingRange.fromBelow("advice long-shot chance", longShotChance, 0, 1);
    }

    /** The documented defaults. No environment is read here: that is the command line's job. */
    public static AdviceSettings defaults() {
        return new AdviceSettings(
                DEFAULT_TRAIN_FALL,
                DEFAULT_TURN_DOUBLINGS,
                DEFAULT_TEST_FALL,
                DEFAULT_SPAN_DOUBLINGS,
                DEFAULT_TRAIN_CLIMB,
                DEFAULT_SCHEDULE_SETTLE,
                DEFAULT_SWEEP_PRIOR,
                DEFAULT_TURN_CHANCE,
                DEFAULT_TURN_CHANCE_FROM,
                DEFAULT_UNTOLD_TURN_CHANCE,
                DEFAULT_LONG_SHOT_CHANCE);
    }

    // by name: ten numbers in a row are easy to swap positionally; each copies the others as they are
    public AdviceSettings withTrainFall(double fraction) {
        return changed(c -> c.trainFall = fraction);
    }

    public AdviceSettings withTurnDoublings(double doublings) {
        return changed(c -> c.turnDoublings = doublings);
    }

    public AdviceSettings withTestFall(double fraction) {
        return changed(c -> c.testFall = fraction);
    }

    public AdviceSettings withSpanDoublings(double doublings) {
        return changed(c -> c.spanDoublings = doublings);
    }

    public AdviceSettings withTrainClimb(double fraction) {
        return changed(c -> c.trainClimb = fraction);
    }

    public AdviceSettings withScheduleSettle(double doublings) {
        return changed(c -> c.scheduleSettle = doublings);
    }

    public AdviceSettings withSweepPrior(double logOdds) {
        return changed(c -> c.sweepPrior = logOdds);
    }

    public AdviceSettings withTurnChance(double chance) {
        return changed(c -> c.turnChance = chance);
    }

    public AdviceSettings withTurnChanceFrom(TurnChanceFrom from) {
        return changed(c -> c.turnChanceFrom = from);
    }

    public AdviceSettings withUntoldTurnChance(double chance) {
        return changed(c -> c.untoldTurnChance = chance);
    }

    public AdviceSettings withLongShotChance(double chance) {
        return changed(c -> c.longShotChance = chance);
    }

    private AdviceSettings changed(java.util.function.Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.settings();
    }

    /** A copy of the settings whose fields are set one by one, by name, and checked when built. */
    private static final class Copy {
        double trainFall;
        double turnDoublings;
        double testFall;
        double spanDoublings;
        double trainClimb;
        double scheduleSettle;
        double sweepPrior;
        double turnChance;
        TurnChanceFrom turnChanceFrom;
        double untoldTurnChance;
        double longShotChance;

        Copy(AdviceSettings from) {
            trainFall = from.trainFall;
            turnDoublings = from.turnDoublings;
            testFall = from.testFall;
            spanDoublings = from.spanDoublings;
            trainClimb = from.trainClimb;
            scheduleSettle = from.scheduleSettle;
            sweepPrior = from.sweepPrior;
            turnChance = from.turnChance;
            turnChanceFrom = from.turnChanceFrom;
            untoldTurnChance = from.untoldTurnChance;
            longShotChance = from.longShotChance;
        }

        AdviceSettings settings() {
            return new AdviceSettings(
                    trainFall,
                    turnDoublings,
                    testFall,
                    spanDoublings,
                    trainClimb,
                    scheduleSettle,
                    sweepPrior,
                    turnChance,
                    turnChanceFrom,
                    untoldTurnChance,
                    longShotChance);
        }
    }

    /** How long after an announced schedule's last change no STOP is read, in log-epochs. */
    public double scheduleSettleLogEpochs() {
        return logEpochs(scheduleSettle);
    }

    /** The span in log-epochs. */
    public double spanLogEpochs() {
        return logEpochs(spanDoublings);
    }

    /** Doublings of epochs in log-epochs: {@code ln 2} per doubling. */
    private static double logEpochs(double doublings) {
        return doublings * Math.log(2);
    }
}
