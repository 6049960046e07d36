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

    static Pace of(LevelHistory history, double now, double span, double level) {
        double back = history.testAt(now - span);
        double back2 = history.reaches(now - 2 * span) ? history.testAt(now - 2 * span) : Double.NaN;
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
