package io.descentwatch.options;

import java.time.Duration;
import java.util.Locale;

/**
 * An interval of valid values, each end open, closed or absent: the checkable form of a {@link Range}, also used
 * for settings that are not annotated fields (the presets' generated flags). Numbers and durations are compared as
 * doubles (durations in seconds), which is exact for any bound a person writes.
 */
public record Bounds(double low, boolean lowInclusive, double high, boolean highInclusive, boolean durations) {

    /** Numbers from {@code min} to {@code max}, both included. */
    public static Bounds closed(double min, double max) {
        return new Bounds(min, true, max, true, false);
    }

    /** Numbers of at least {@code min}. */
    public static Bounds atLeast(double min) {
        return new Bounds(min, true, Double.POSITIVE_INFINITY, false, false);
    }

    /** Numbers greater than {@code bound} and at most {@code max}. */
    public static Bounds aboveUpTo(double bound, double max) {
        return new Bounds(bound, false, max, true, false);
    }

    /** Numbers strictly between {@code low} and {@code high}. */
    public static Bounds open(double low, double high) {
        return new Bounds(low, false, high, false, false);
    }

    /** The bounds an annotation declares, read as durations when the option holds durations. */
    public static Bounds of(Range range, boolean durations) {
        if (!range.min().isEmpty() && !range.above().isEmpty()
                || !range.max().isEmpty() && !range.below().isEmpty()) {
            throw new IllegalArgumentException("a @Range has either min or above, and either max or below: " + range);
        }
        double low = Double.NEGATIVE_INFINITY;
        boolean lowInclusive = false;
        if (!range.min().isEmpty()) {
            low = value(range.min(), durations);
            lowInclusive = true;
        } else if (!range.above().isEmpty()) {
            low = value(range.above(), durations);
        }
        double high = Double.POSITIVE_INFINITY;
        boolean highInclusive = false;
        if (!range.max().isEmpty()) {
            high = value(range.max(), durations);
            highInclusive = true;
        } else if (!range.below().isEmpty()) {
            high = value(range.below(), durations);
        }
        return new Bounds(low, lowInclusive, high, highInclusive, durations);
    }

    /** Whether a value (a Number or a Duration) is inside. NaN never is. */
    public boolean contains(Object value) {
        double v = value instanceof Duration d ? seconds(d) : ((Number) value).doubleValue();
        if (Double.isNaN(v)) {
            return false;
        }
        boolean aboveLow = lowInclusive ? v >= low : v > low;
        boolean belowHigh = highInclusive ? v <= high : v < high;
        return aboveLow && belowHigh;
    }

    /** The interval as a person reads it: {@code [1, 100]}, {@code (0, 1)}, {@code at least 0}, {@code > PT0S}. */
    public String describe() {
        boolean hasLow = low != Double.NEGATIVE_INFINITY;
        boolean hasHigh = high != Double.POSITIVE_INFINITY;
        if (hasLow && hasHigh) {
            return (lowInclusive ? "[" : "(") + show(low) + ", " + show(high) + (highInclusive ? "]" : ")");
        }
        if (hasLow) {
            return (lowInclusive ? "at least " : "greater than ") + show(low);
        }
        if (hasHigh) {
            return (highInclusive ? "at most " : "less than ") + show(high);
        }
        return "any value";
    }

    /**
     * A value just outside the interval, as option text: below the low end when there is one, else above the high
     * end. For tests that check a range is enforced.
     */
    public String outsideExample() {
        double v;
        if (low != Double.NEGATIVE_INFINITY) {
            v = lowInclusive ? low - Math.max(1, Math.abs(low)) : low;
        } else if (high != Double.POSITIVE_INFINITY) {
            v = highInclusive ? high + Math.max(1, Math.abs(high)) : high;
        } else {
            throw new IllegalStateException("an unbounded range has no value outside it");
        }
        return durations ? Duration.ofNanos(Math.round(v * 1e9)).toString() : show(v);
    }

    private String show(double v) {
        if (durations) {
            return Duration.ofNanos(Math.round(v * 1e9)).toString();
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    private static double value(String text, boolean durations) {
        return durations ? seconds(Duration.parse(text)) : Double.parseDouble(text);
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }
}
