package io.descentwatch.producer.training;

import io.descentwatch.options.Bounds;
import java.util.List;

/**
 * One setting of a preset: its key (also its tag name and its CLI flag, {@code --key}), its default for the full
 * experiment and for {@code --quick}, and what it means. A numeric setting (one number or a comma-separated list,
 * {@code a..b} ranges included) has {@link Bounds} every number must be within, and may also accept some words
 * (the widths' {@code auto}); {@link #check} is the one place a value is checked, for flags, {@code --set} and
 * jobs alike.
 */
public record ParameterSpec(
        String key, String fullDefault, String quickDefault, String description, Bounds bounds, List<String> words) {

    public ParameterSpec {
        words = List.copyOf(words);
    }

    /** A setting that is not a number (a schedule, an engine, a path): its own code checks it. */
    public static ParameterSpec of(String key, String fullDefault, String quickDefault, String description) {
        return new ParameterSpec(key, fullDefault, quickDefault, description, null, List.of());
    }

    public static ParameterSpec same(String key, String value, String description) {
        return of(key, value, value, description);
    }

    /** The same setting, numeric, with every number within {@code range}. */
    public ParameterSpec within(Bounds range) {
        return new ParameterSpec(key, fullDefault, quickDefault, description, range, words);
    }

    /** The same setting, also accepting {@code word} as a whole value. */
    public ParameterSpec orWord(String word) {
        List<String> more = new java.util.ArrayList<>(words);
        more.add(word);
        return new ParameterSpec(key, fullDefault, quickDefault, description, bounds, more);
    }

    public String defaultValue(boolean quick) {
        return quick ? quickDefault : fullDefault;
    }

    /** Whether this setting holds numbers (and so has bounds). */
    public boolean numeric() {
        return bounds != null;
    }

    /**
     * Refuses a value of a numeric setting that is not a number, or a list of them, within the bounds.
     *
     * @throws IllegalArgumentException saying what is wrong, without the flag (the caller names it)
     */
    public void check(String value) {
        if (bounds == null || words.contains(value.trim())) {
            return;
        }
        for (String part : value.split(",")) {
            String p = part.trim();
            int dots = p.indexOf("..");
            for (String number : dots > 0 ? List.of(p.substring(0, dots), p.substring(dots + 2)) : List.of(p)) {
                double v;
                try {
                    v = Double.parseDouble(number.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + number.trim() + "' is not a number"
                            + (words.isEmpty() ? "" : " or " + String.join(", ", words)));
                }
                if (!bounds.contains(v)) {
                    throw new IllegalArgumentException(number.trim() + " is out of range, valid: " + bounds.describe());
                }
            }
        }
    }
}
