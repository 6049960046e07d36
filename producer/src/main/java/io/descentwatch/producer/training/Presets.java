package io.descentwatch.producer.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The experiments this product ships, by name. */
public final class Presets {

    private static final Map<String, Preset> ALL = new LinkedHashMap<>();

    static {
        for (Preset p : List.of(
                new RandomFeaturesPreset(),
                new TwoScalePreset(),
                new MinNormLinearPreset(),
                new MlpLabelNoisePreset())) {
            ALL.put(p.name(), p);
        }
    }

    private Presets() {}

    public static List<Preset> all() {
        return List.copyOf(ALL.values());
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static Preset named(String name) {
        Preset p = ALL.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no preset '" + name + "'; there are " + String.join(", ", names()));
        }
        return p;
    }
}
