package io.descentwatch.detection;

/**
 * How fast a test loss fell over the last two advice spans, and where it ends if it keeps slowing down at the rate
 * it slowed between them. A second descent is the slower features being fitted, each at its own time scale, and on
 * a log scale of epochs a time scale that is running out shows as a fall that shrinks from one span to the next.
 * Continuing that shrinking as a geometric series ({@code fall × q / (1 - q)} for a ratio {@code q} of the last
 * fall to the one before) overestimates what an exponential approach has left (its falls shrink faster than
 * geometrically), so the projection errs on the side of going on. A fall that is not shrinking gives no end: a
 * second descent that is still speeding up, or falling steadily in log-epochs, may go anywhere.
 *
 * @param earlier the fall of the test loss over the span before the last (NaN when the history does not reach back)
 * @param last    the fall over the last span
 * @param level   the test loss now
 */
record Pace(double earlier, double last, double level) {

    /** The pace of the run's test level now, read from its peak on once it has one (below). */
    static Pace of(LevelHistory history, double now, double span, RunState run) {
        double level = run.test().level();
        Landmark peak = run.peak();
        return peak == null
                ? of(history, now, span, level)
                : since(history, now, span, level, LogEpochs.of(peak.epoch()));
    }

    /** The pace over the last two spans, whatever they hold. */
    static Pace of(LevelHistory history, double now, double span, double level) {
        return since(history, now, span, level, Double.NEGATIVE_INFINITY);
    }

    /**
     * The pace read only from what the test loss did after {@code sinceLogEpoch}: when the span before the last
     * reaches back past it, the earlier fall is unknown, and no end is projected. A second descent's pace is read
     * from its peak on: two spans that reach back past the peak hold the first descent's fall (the smoothed level
     * lags most in the first epochs) and the rise, and their falls shrink because the curve turned, not because the
     * second descent is running out. Read across the peak, three runs of {@code neural-ode-rk4} (the forty-first
     * round), whose Adam overshot at first, were told at epochs 24-74 of 800 that their second descent was slowing
     * down to end above the best; they went on to a test loss a fifth to a half of the one kept.
     */
    static Pace since(LevelHistory history, double now, double span, double level, double sinceLogEpoch) {
        double back = history.testAt(now - span);
        double back2 = history.reaches(now - 2 * span) && now - 2 * span >= sinceLogEpoch
                ? history.testAt(now - 2 * span)
                : Double.NaN;
        return new Pace(back2 - back, back - level, level);
    }

    /** Whether the test loss is falling, by less over the last span than over the one before. */
    boolean slowing() {
        return last > 0 && earlier > last;
    }

    /** Where the test loss ends at this pace: minus infinity when the fall is not slowing down. */
    double ends() {
        if (!slowing()) {
            return last > 0 || Double.isNaN(earlier) ? Double.NEGATIVE_INFINITY : level;
        }
        double q = last / earlier;
        return level - last * q / (1 - q);
    }
}
