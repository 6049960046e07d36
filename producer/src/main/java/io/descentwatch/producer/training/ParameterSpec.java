package io.descentwatch.producer.training;

/**
 * One setting of a preset: its key (also its tag name and its CLI flag, {@code --key}), its default for the full
 * experiment and for {@code --quick}, and what it means.
 */
public record ParameterSpec(String key, String fullDefault, String quickDefault, String description) {

    public static ParameterSpec of(String key, String fullDefault, String quickDefault, String description) {
        return new ParameterSpec(key, fullDefault, quickDefault, description);
    }

    public static ParameterSpec same(String key, String value, String description) {
        return new ParameterSpec(key, value, value, description);
    }

    public String defaultValue(boolean quick) {
        return quick ? quickDefault : fullDefault;
    }
}
