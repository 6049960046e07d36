package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import io.descentwatch.events.EpochEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongToDoubleFunction;

/**
 * Hand-made training curves of each kind the stopping advice must tell apart, built from the mechanism of
 * epoch-wise double descent (Heckel and Yilmaz 2021): fast features learned first (time constant 10 epochs),
 * their noise fitted next (150 epochs; the bump), slow features learned last (the second descent), each showing in
 * the train loss as well as the test loss. Evaluated on a log grid of 40 points per decade.
 */
final class AdviceCurves {

    private AdviceCurves() {}

    static double fast(long t) {
        return Math.exp(-t / 10.0);
    }

    static double noiseFitted(long t) {
        return -Math.expm1(-t / 150.0);
    }

    static double slow(long t, double tau) {
        return Math.exp(-t / tau);
    }

    /** Slow features with time constant {@code tau}: a second descent that ends well below the first minimum. */
    static List<EpochEvent> secondDescentWins(String run, long epochs, double tau) {
        return curve(
                run,
                epochs,
                t -> 0.5 + 2 * fast(t) + 0.8 * slow(t, tau) - 0.2 * noiseFitted(t),
                t -> 0.3 + 1.5 * fast(t) + 1.2 * noiseFitted(t) * slow(t, tau) + 0.6 * slow(t, tau));
    }

    /**
     * No slow features: the test loss rises to a plateau above its first minimum and the train loss flattens (well
     * above zero: much of it is noise no feature can fit).
     */
    static List<EpochEvent> nothingBetter(String run, long epochs) {
        return nothingBetter(run, epochs, 0);
    }

    /** The same with the test loss moved by {@code testShift} (under zero, as a density's log-likelihood goes). */
    static List<EpochEvent> nothingBetter(String run, long epochs, double testShift) {
        return curve(
                run,
                epochs,
                t -> 1.2 + 2 * fast(t) - 0.2 * noiseFitted(t),
                t -> testShift + 0.3 + 1.5 * fast(t) + 0.7 * noiseFitted(t) + 0.6 * slow(t, 40));
    }

    /** No bump at all: both losses fall and flatten. */
    static List<EpochEvent> converging(String run, long epochs) {
        return curve(run, epochs, t -> 0.4 + 2 * fast(t), t -> 0.5 + 1.5 * fast(t));
    }

    /** The train loss goes to zero (interpolation) while memorising noise lifts the test loss for good. */
    static List<EpochEvent> interpolating(String run, long epochs) {
        return curve(run, epochs, t -> 3 * Math.exp(-t / 40.0), t -> 1.0 + 1.5 * fast(t) + 0.6 * noiseFitted(t));
    }

    /**
     * Grokking's shape (Power et al. 2022): every training example classified right (train error zero) from epoch
     * {@code fitted}, the cross-entropy falling on as one over the root of the epochs (under weight decay, far from
     * the interpolation threshold), the test loss up on memorisation and flat for long, then falling far under its
     * first minimum around epoch {@code groks}, when the general solution takes over.
     */
    static List<EpochEvent> grokking(String run, long epochs, long fitted, double groks) {
        return fittedFrom(
                fitted,
                curve(run, epochs, t -> 2 * fast(t) + 0.3 / Math.sqrt(1 + t / 20.0), memorisedUntil(groks, 0.3)));
    }

    /**
     * Grokking without the memorisation bump: every training example classified right from epoch {@code fitted}, the
     * train loss 0.05 plus {@code fallingTrain} over the root of the epochs (a cross-entropy falling on; 0 for weight
     * decay's plateau, the train loss flat), the test loss flat after its first descent, then falling far under it
     * around epoch {@code groks}.
     */
    static List<EpochEvent> grokkingFromAPlateau(
            String run, long epochs, long fitted, double groks, double fallingTrain) {
        LongToDoubleFunction general = generalFrom(groks);
        return fittedFrom(
                fitted,
                curve(run, epochs, fittingOn(fallingTrain), t -> 0.8 + 1.5 * fast(t) - 0.5 * general.applyAsDouble(t)));
    }

    /**
     * Grokking in two steps: every training example classified right from epoch {@code fitted}, the train loss 0.05
     * plus {@code fallingTrain} over the root of the epochs; the test loss up on memorisation, then under its first
     * minimum around epoch {@code groks}, flat there for long, and down again around epoch {@code groksAgain} as a
     * second, slower solution takes over (the later steps of Power et al.'s curves under weight decay).
     */
    static List<EpochEvent> grokkingInTwoSteps(
            String run, long epochs, long fitted, double groks, double groksAgain, double fallingTrain) {
        LongToDoubleFunction memorised = memorisedUntil(groks, 0.5);
        LongToDoubleFunction slower = generalFrom(groksAgain);
        return fittedFrom(
                fitted,
                curve(
                        run,
                        epochs,
                        fittingOn(fallingTrain),
                        t -> memorised.applyAsDouble(t) - 0.2 * slower.applyAsDouble(t)));
    }

    /**
     * A training set fitted under weight decay: the train loss 0.05 plus {@code fallingTrain} over the root of the
     * epochs (0: flat on weight decay's plateau).
     */
    private static LongToDoubleFunction fittingOn(double fallingTrain) {
        return t -> 2 * fast(t) + 0.05 + fallingTrain / Math.sqrt(1 + t / 20.0);
    }

    /**
     * The test loss from {@code floor} up on memorised noise, then 0.2 under {@code floor} once the general solution
     * has taken over around epoch {@code groks}.
     */
    private static LongToDoubleFunction memorisedUntil(double groks, double floor) {
        LongToDoubleFunction general = generalFrom(groks);
        return t -> floor
                + 1.5 * fast(t)
                + 1.5 * noiseFitted(t) * (1 - general.applyAsDouble(t))
                - 0.2 * general.applyAsDouble(t);
    }

    /** The share of the fit the general solution has taken over, from none to all around epoch {@code groks}. */
    private static LongToDoubleFunction generalFrom(double groks) {
        return t -> 1 / (1 + Math.pow(groks / Math.max(t, 1), 4));
    }

    /** {@code run} with every training example classified right (train error zero) from epoch {@code fitted}. */
    private static List<EpochEvent> fittedFrom(long fitted, List<EpochEvent> run) {
        return run.stream()
                .map(e -> e.toBuilder()
                        .trainError(e.epoch() >= fitted ? 0.0 : 0.2)
                        .build())
                .toList();
    }

    /**
     * The test loss rises to the end while the train loss keeps falling slowly (noise fitted ever more slowly): in
     * the shape of a rise that turns later, but it never does.
     */
    static List<EpochEvent> risingToTheEnd(String run, long epochs) {
        return curve(
                run,
                epochs,
                t -> 0.5 + 2 * fast(t) + Math.pow(1 + t / 50.0, -0.3),
                t -> 0.3 + 1.5 * fast(t) + t / (t + 2000.0));
    }

    /**
     * A network pruned as it trains: the test loss rises as noise is fitted, as in {@link #risingToTheEnd}, until
     * weights are cut from epoch {@code from} on (all of its capacity for noise by twice {@code from}). The cut
     * raises the train loss at once; the test loss turns only when most of the noise is cut away, from 2 {@code
     * from} on, and ends below its first minimum.
     */
    static List<EpochEvent> prunedWhileRising(String run, long epochs, long from) {
        LongToDoubleFunction cut = t -> Math.min(1, Math.max(0, (t - from) / (double) from));
        LongToDoubleFunction cutAway = t -> Math.min(1, Math.max(0, (t - 2.0 * from) / from));
        return curve(
                run,
                epochs,
                t -> 0.5 + 2 * fast(t) + Math.pow(1 + t / 50.0, -0.3) + 1.5 * cut.applyAsDouble(t),
                t -> 0.2 + 1.5 * fast(t) + t / (t + 2000.0) * (1 - cutAway.applyAsDouble(t)));
    }

    /** The run as a trainer that tells its planned last epoch sends it (tag max_epochs on every event). */
    static List<EpochEvent> withBudget(List<EpochEvent> run, long maxEpochs) {
        return tagged(run, EpochEvent.MAX_EPOCHS_TAG, maxEpochs);
    }

    /** The run as a trainer sends it that tells the last epoch its own schedule changes what is fitted. */
    static List<EpochEvent> withScheduleEnd(List<EpochEvent> run, long scheduleEnd) {
        return tagged(run, EpochEvent.SCHEDULE_END_TAG, scheduleEnd);
    }

    /** Every event of the run with an epoch tag, as a trainer that tells it sends it. */
    private static List<EpochEvent> tagged(List<EpochEvent> run, String tag, long epoch) {
        return run.stream().map(e -> e.withTag(tag, Long.toString(epoch))).toList();
    }

    /** A healthy start, then losses that are no longer finite. */
    static List<EpochEvent> diverging(String run, long epochs, long from) {
        return curve(
                run,
                epochs,
                t -> t >= from ? Double.NaN : 0.5 + 2 * fast(t),
                t -> t >= from ? Double.NaN : 0.5 + 1.5 * fast(t));
    }

    /** Every advice change of a run, in order, as a trainer that never stops would see them from {@code detector}. */
    static List<Advice> adviceChanges(RunDetector detector, List<EpochEvent> run) {
        return adviceChanges(detector, run, SweepChances.NONE);
    }

    /** The same, the run's chances moved as {@code sweep} says its sweep's ended runs move them. */
    static List<Advice> adviceChanges(RunDetector detector, List<EpochEvent> run, SweepChances sweep) {
        List<Advice> out = new ArrayList<>();
        RunState state = null;
        for (EpochEvent e : run) {
            RunStep step = detector.step(state, e, sweep);
            state = step.state();
            step.adviceChanged().ifPresent(out::add);
        }
        return out;
    }

    static List<EpochEvent> curve(String run, long epochs, LongToDoubleFunction train, LongToDoubleFunction test) {
        List<EpochEvent> out = new ArrayList<>();
        for (long e : logGrid(epochs)) {
            out.add(EpochEvent.builder()
                    .runId(run)
                    .sweepId("advice-test")
                    .epoch(e)
                    .trainLoss(train.applyAsDouble(e))
                    .testLoss(test.applyAsDouble(e))
                    .paramCount(210)
                    .trainSize(500)
                    .time(Instant.EPOCH.plusSeconds(e))
                    .build());
        }
        return out;
    }

    static long[] logGrid(long epochs) {
        TreeSet<Long> grid = new TreeSet<>();
        grid.add(0L);
        grid.add(epochs);
        for (int i = 0; ; i++) {
            long e = Math.round(Math.pow(10, i / 40.0));
            if (e >= epochs) {
                break;
            }
            grid.add(e);
        }
        return grid.stream().mapToLong(Long::longValue).toArray();
    }
}
