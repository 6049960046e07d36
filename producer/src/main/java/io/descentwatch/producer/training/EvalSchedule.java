package io.descentwatch.producer.training;

import java.util.Locale;
import java.util.TreeSet;

/**
 * When a run evaluates (and publishes an event): {@code every} epoch, every {@code k} epochs, or log-spaced
 * ({@code log}, or {@code log:P} for P points per decade) so that a 20,000-epoch run sends about a hundred events
 * and still resolves the early dip at epoch 25. Epoch 0 (before training) and the last epoch are always evaluated.
 */
public record EvalSchedule(Kind kind, int value) {

    /** Points per decade of {@code log}: enough that the detector's smoothing sees each bump over several points. */
    public static final int DEFAULT_POINTS_PER_DECADE = 20;

    public enum Kind {
        EVERY,
        LOG
    }

    public EvalSchedule {
        if (value < 1) {
            throw new IllegalArgumentException("an evaluation schedule needs a positive number, not " + value);
        }
    }

    /** Parses "every", "1", "10", "log", "log:40". */
    public static EvalSchedule parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.equals("every") || t.equals("all")) {
                return new EvalSchedule(Kind.EVERY, 1);
            }
            if (t.equals("log")) {
                return new EvalSchedule(Kind.LOG, DEFAULT_POINTS_PER_DECADE);
            }
            if (t.startsWith("log:")) {
                return new EvalSchedule(Kind.LOG, Integer.parseInt(t.substring(4)));
            }
            if (t.startsWith("every:")) {
                return new EvalSchedule(Kind.EVERY, Integer.parseInt(t.substring(6)));
            }
            return new EvalSchedule(Kind.EVERY, Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("evaluation schedule '" + text
                    + "' is not one of: every, K (every K epochs), log, log:P (P points per decade)");
        }
    }

    /** The epochs to evaluate in a run of {@code totalEpochs}, ascending, starting with 0 and ending with it. */
    public long[] epochs(long totalEpochs) {
        TreeSet<Long> out = new TreeSet<>();
        out.add(0L);
        out.add(totalEpochs);
        if (kind == Kind.EVERY) {
            for (long e = value; e < totalEpochs; e += value) {
                out.add(e);
            }
        } else {
            for (int i = 0; ; i++) {
                long e = Math.round(Math.pow(10, (double) i / value));
                if (e >= totalEpochs) {
                    break;
                }
                out.add(e);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public String toString() {
        return kind == Kind.EVERY ? (value == 1 ? "every" : String.valueOf(value)) : "log:" + value;
    }
}
