package io.descentwatch.bench.stopping;

import io.descentwatch.events.EpochEvent;
import java.util.List;

/**
 * One run trained to the end, as its evaluations, and what hindsight says about it: where its first minimum was
 * (the lowest test loss before the test loss first rose clearly above its running minimum), its best test loss,
 * and which case it is. {@code family} is what the run is reported under: the shipped preset it was trained with
 * (tag {@code preset}, set by the project's own trainer), else the family an independent trainer names (tag
 * {@code family}), else its sweep id.
 */
public record Curve(String runId, String family, List<EpochEvent> events, Kind kind, int firstMinIndex, double best) {

    /** A clear rise: the test loss 10% above its running minimum for three evaluations in a row. */
    static final double RISE = 0.10;
    /** A model within 2% of the run's best counts as the best: the judgement the issue sets. */
    static final double WITHIN = 0.02;

    /**
     * {@code loss} moved up by {@code fraction} of its size: {@code (1 + fraction) * loss} for a positive loss, and
     * still above it for a negative one (a test negative log-likelihood under a density over 1), where the product
     * would fall below it and turn every comparison around.
     */
    static double above(double loss, double fraction) {
        return loss + fraction * Math.abs(loss);
    }

    /** {@code loss} moved down by {@code fraction} of its size: {@code (1 - fraction) * loss} for a positive loss. */
    static double below(double loss, double fraction) {
        return loss - fraction * Math.abs(loss);
    }

    /**
     * How far {@code kept} is above {@code best}, as a share of the best's size: {@code kept / best - 1} for a
     * positive best.
     */
    static double excess(double kept, double best) {
        return (kept - best) / Math.abs(best);
    }

    enum Kind {
        /** The second descent ends more than 2% below the first minimum: stopping at the bump loses it. */
        SECOND_DESCENT_WINS,
        /** Nothing after the first minimum beats it by 2%: every epoch after it is spent for nothing. */
        NOTHING_BETTER,
        /** The test loss never rises clearly: no bump to stop at. */
        NO_BUMP
    }

    /** The run's test losses in order, one that is not finite as the largest double (never a best, always high). */
    static double[] testLosses(List<EpochEvent> events) {
        return events.stream()
                .mapToDouble(e -> Double.isFinite(e.testLoss()) ? e.testLoss() : Double.MAX_VALUE)
                .toArray();
    }

    /**
     * The test loss at index {@code i} held for three evaluations in a row (the lowest of them; the last two
     * evaluations alone): one diverging step is not a bump, nor a peak.
     */
    static double held(double[] test, int i) {
        return i + 2 < test.length ? Math.min(test[i], Math.min(test[i + 1], test[i + 2])) : test[i];
    }

    static Curve of(String runId, List<EpochEvent> events) {
        int n = events.size();
        double[] test = testLosses(events);
        double best = Double.MAX_VALUE;
        for (double t : test) {
            best = Math.min(best, t);
        }
        int minIndex = 0;
        int firstMin = -1;
        for (int i = 1; i < n; i++) {
            if (test[i] < test[minIndex]) {
                minIndex = i;
            }
            // a rise that holds for three evaluations in a row: one diverging step early on is not a bump
            if (held(test, i) > above(test[minIndex], RISE)) {
                firstMin = minIndex;
                break;
            }
        }
        Kind kind;
        if (firstMin < 0) {
            kind = Kind.NO_BUMP;
        } else {
            kind = test[firstMin] > above(best, WITHIN) ? Kind.SECOND_DESCENT_WINS : Kind.NOTHING_BETTER;
        }
        return new Curve(runId, familyOf(events.get(0)), List.copyOf(events), kind, firstMin, best);
    }

    /** This run as a trainer that tells its planned last epoch sends it: the tag max_epochs on every event. */
    public Curve withBudgetAnnounced() {
        String last = Long.toString(finalEpoch());
        List<EpochEvent> told = events.stream()
                .map(e -> e.withTag(EpochEvent.MAX_EPOCHS_TAG, last))
                .toList();
        return new Curve(runId, family, told, kind, firstMinIndex, best);
    }

    static String familyOf(EpochEvent first) {
        String preset = first.tags().get(PRESET_TAG);
        return preset != null ? preset : first.tags().getOrDefault("family", first.sweepId());
    }

    /** Tag that the project's own trainer puts on every run of a shipped preset. */
    static final String PRESET_TAG = "preset";

    /** Whether the run was trained by the project's own trainer from a shipped preset (the rule's design data). */
    boolean fromPreset() {
        return events.get(0).tags().containsKey(PRESET_TAG);
    }

    long finalEpoch() {
        return events.get(events.size() - 1).epoch();
    }

    /** Whether a kept checkpoint with this test loss counts as the run's best: within {@link #WITHIN} of it. */
    boolean keepsBest(double keptLoss) {
        return keptLoss <= above(best, WITHIN);
    }

    /** The best test loss among the evaluations up to and including {@code stopIndex}: the kept checkpoint. */
    double keptUpTo(int stopIndex) {
        double kept = Double.MAX_VALUE;
        for (int i = 0; i <= stopIndex; i++) {
            double t = events.get(i).testLoss();
            if (Double.isFinite(t)) {
                kept = Math.min(kept, t);
            }
        }
        return kept;
    }
}
