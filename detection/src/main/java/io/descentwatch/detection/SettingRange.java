package io.descentwatch.detection;

import java.util.Locale;

/**
 * The checks of {@link DetectionSettings} and {@link AdviceSettings}: a value outside the span the detectors'
 * arithmetic is meant for is refused when the settings are built, naming the setting, rather than giving an index
 * out of bounds deep in a detector. The command line checks the same spans first (the {@code @Range} of each
 * option in the streams module's {@code DetectionOptions}, which names the flag and exits 2); {@code
 * DetectionOptionsTest} checks the two agree.
 */
final class SettingRange {

    private SettingRange() {}

    /** {@code value} in [min, max]. */
    static double closed(String name, double value, double min, double max) {
        return check(name, value, value >= min && value <= max, "[" + show(min) + ", " + show(max) + "]");
    }

    /** {@code value} in (above, max]. */
    static double aboveUpTo(String name, double value, double above, double max) {
        return check(name, value, value > above && value <= max, "(" + show(above) + ", " + show(max) + "]");
    }

    /** {@code value} in (above, below). */
    static double open(String name, double value, double above, double below) {
        return check(name, value, value > above && value < below, "(" + show(above) + ", " + show(below) + ")");
    }

    /** {@code value} in [min, below). */
    static double fromBelow(String name, double value, double min, double below) {
        return check(name, value, value >= min && value < below, "[" + show(min) + ", " + show(below) + ")");
    }

    private static double check(String name, double value, boolean inside, String range) {
        // NaN is inside no range: every comparison with it is false
        if (!inside) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "%s is %s, valid: %s", name, show(value), range));
        }
        return value;
    }

    private static String show(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
