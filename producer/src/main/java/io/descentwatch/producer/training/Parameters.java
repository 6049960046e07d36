package io.descentwatch.producer.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A preset's complete settings as strings, in declaration order. Strings because the same map is the events'
 * tags, the flags a person typed and the body of a distributed job, so all three always agree.
 */
public record Parameters(Map<String, String> values) {

    public Parameters {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The preset's defaults (full or quick) overridden by {@code overrides}; a key the preset does not have is an
     * error naming the keys it has, so a typo never trains silently with a default; a value outside its setting's
     * bounds is an error naming the setting and the bounds.
     */
    public static Parameters resolve(
            List<ParameterSpec> specs, boolean quick, Map<String, String> overrides, String presetName) {
        Map<String, String> v = new LinkedHashMap<>();
        Map<String, ParameterSpec> byKey = new LinkedHashMap<>();
        for (ParameterSpec s : specs) {
            v.put(s.key(), s.defaultValue(quick));
            byKey.put(s.key(), s);
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            ParameterSpec spec = byKey.get(e.getKey());
            if (spec == null) {
                throw new IllegalArgumentException("preset " + presetName + " has no setting '" + e.getKey()
                        + "'; it has " + String.join(", ", v.keySet()));
            }
            try {
                spec.check(e.getValue());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(
                        "Invalid value for setting '" + e.getKey() + "' (--" + e.getKey() + ") of preset " + presetName
                                + ": " + bad.getMessage(),
                        bad);
            }
            v.put(e.getKey(), e.getValue().trim());
        }
        return new Parameters(v);
    }

    public String text(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing setting '" + key + "'");
        }
        return v;
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(text(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' must be an integer, not '" + text(key) + "'");
        }
    }

    public double number(String key) {
        try {
            return Double.parseDouble(text(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' must be a number, not '" + text(key) + "'");
        }
    }

    /** A comma-separated list of integers, e.g. seeds "1,2,3" or widths "10,20,50"; "a..b" is a range. */
    public List<Integer> integers(String key) {
        List<Integer> out = new ArrayList<>();
        for (String part : text(key).split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                int dots = p.indexOf("..");
                if (dots > 0) {
                    int from = Integer.parseInt(p.substring(0, dots).trim());
                    int to = Integer.parseInt(p.substring(dots + 2).trim());
                    for (int i = from; i <= to; i++) {
                        out.add(i);
                    }
                } else {
                    out.add(Integer.parseInt(p));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "setting '" + key + "' must list integers, e.g. 1,2,3 or 1..5; '" + p + "' is not one");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("setting '" + key + "' is empty");
        }
        return out;
    }

    /** A comma-separated list of numbers, e.g. width ratios "0.1,0.5,1,2". */
    public List<Double> numbers(String key) {
        List<Double> out = new ArrayList<>();
        for (String part : text(key).split(",")) {
            if (!part.isBlank()) {
                try {
                    out.add(Double.parseDouble(part.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "setting '" + key + "' must list numbers; '" + part.trim() + "' is not one");
                }
            }
        }
        return out;
    }

    public Parameters with(String key, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(key, value);
        return new Parameters(v);
    }
}
