package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.descentwatch.detection.AdviceSettings;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.options.Bounds;
import io.descentwatch.options.Range;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The detection flags and the plain settings they map onto agree: the same defaults, the same ranges, every flag
 * with a {@code DW_*} environment fallback and a reason; and the detection module itself knows no command line.
 * Defaults are read from the annotations, not through picocli, so no {@code DW_*} variable of the shell running the
 * test changes its result.
 */
class DetectionOptionsTest {

    private static final Path ROOT =
            Path.of(System.getProperty("descentwatch.repo.root", "..")).toAbsolutePath();
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:(DW_[A-Z_]+):-([^}]+)}");

    @Test
    void theFlagsDefaultsAreTheDocumentedDefaultsOfTheSettings() throws Exception {
        DetectionSettings defaults = DetectionSettings.defaults();
        for (Field field : optionFields()) {
            Matcher m = ENV_DEFAULT.matcher(field.getAnnotation(Option.class).defaultValue());
            assertThat(m.matches()).as(field.getName()).isTrue();
            Object settings = field.getDeclaringClass() == AdviceOptions.class ? defaults.advice() : defaults;
            Object value = settings.getClass().getMethod(field.getName()).invoke(settings);
            if (value instanceof Enum<?> choice) {
                assertThat(m.group(2)).as(field.getName()).isEqualToIgnoringCase(choice.name());
            } else {
                assertThat(Double.parseDouble(m.group(2)))
                        .as(field.getName())
                        .isEqualTo(((Number) value).doubleValue());
            }
        }
    }

    @Test
    void everyThresholdIsADocumentedOptionWithAnEnvironmentFallbackAndARange() {
        CommandLine cli = new CommandLine(new DetectionOptions());
        List<Field> fields = optionFields();
        assertThat(cli.getCommandSpec().options()).hasSize(fields.size());
        assertThat(fields)
                .hasSize(DetectionSettings.class.getRecordComponents().length
                        - 1
                        + AdviceSettings.class.getRecordComponents().length);
        for (Field field : fields) {
            Option option = field.getAnnotation(Option.class);
            assertThat(option.defaultValue()).as(field.getName()).startsWith("${env:DW_");
            String description = String.join(" ", option.description());
            if (field.getType().isEnum()) {
                // a choice names its valid values; a threshold has a range
                assertThat(description).as(field.getName()).contains("${COMPLETION-CANDIDATES}");
            } else {
                assertThat(field.getAnnotation(Range.class)).as(field.getName()).isNotNull();
            }
            assertThat(description).as(field.getName()).contains("(default ${DEFAULT-VALUE})");
            assertThat(description.length()).as(field.getName()).isGreaterThan(100);
        }
        // descriptions are format strings: a stray % would garble the help text
        assertThat(cli.getUsageMessage()).contains("--rise-threshold", "(default 0.05)", "Half of the 10% a clear");
    }

    @Test
    void argumentsOverrideDefaults() {
        DetectionSettings settings =
                DetectionOptions.parse("--rise-threshold", "0.2", "--confirm-evaluations", "4", "--advice-turn", "1");
        assertThat(settings.riseThreshold()).isEqualTo(0.2);
        assertThat(settings.confirmEvaluations()).isEqualTo(4);
        assertThat(settings.advice().turnDoublings()).isEqualTo(1);
    }

    @Test
    void aFlagOutOfRangeIsAUsageErrorNamingTheFlagAndTheRange() {
        assertThatThrownBy(() -> DetectionOptions.parse("--advice-train-fall", "1.5"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--advice-train-fall")
                .hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> DetectionOptions.parse("--advice-span", "0"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--advice-span")
                .hasMessageContaining("[0.25, 4]");
        assertThat(DetectionOptions.parse("--advice-span", "2").advice().spanDoublings())
                .isEqualTo(2);
        assertThatThrownBy(() -> DetectionOptions.parse("--advice-schedule-settle", "5"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--advice-schedule-settle")
                .hasMessageContaining("[0, 4]");
        assertThat(DetectionOptions.parse("--advice-schedule-settle", "0")
                        .advice()
                        .scheduleSettle())
                .isZero();
    }

    @Test
    void aChoiceFlagTakesItsValuesInAnyCaseAndRefusesOthersNamingTheFlagAndTheValues() {
        assertThat(DetectionOptions.parse().advice().turnChanceFrom()).isEqualTo(AdviceSettings.TurnChanceFrom.SWEEP);
        assertThat(DetectionOptions.parse("--advice-turn-chance-from", "own")
                        .advice()
                        .turnChanceFrom())
                .isEqualTo(AdviceSettings.TurnChanceFrom.OWN);
        assertThatThrownBy(() -> DetectionOptions.parse("--advice-turn-chance-from", "sweeps"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--advice-turn-chance-from")
                .hasMessageContaining("OWN, SWEEP");
        assertThat(DetectionOptions.parse("--advice-turn-chance-from", "Own")
                        .advice()
                        .turnChanceFrom())
                .isEqualTo(AdviceSettings.TurnChanceFrom.OWN);
    }

    /** What the flags refuse, the settings refuse too, and what the flags take at their ends, the settings take. */
    @Test
    void theFlagsRangesAreTheSettingsRanges() throws Exception {
        for (Field field : thresholdFields()) {
            Bounds bounds = Bounds.of(field.getAnnotation(Range.class), false);
            String flag = field.getAnnotation(Option.class).names()[0];
            String outside = bounds.outsideExample();
            assertThatThrownBy(() -> DetectionOptions.parse(flag, outside))
                    .as(flag)
                    .isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessageContaining(flag);
            assertThatThrownBy(() -> withValue(field, Double.parseDouble(outside)))
                    .as(flag + " " + outside)
                    .isInstanceOf(IllegalArgumentException.class);
            for (double end : new double[] {bounds.low(), bounds.high()}) {
                boolean inclusive = end == bounds.low() ? bounds.lowInclusive() : bounds.highInclusive();
                if (inclusive) {
                    withValue(field, end);
                    double outward = end == bounds.low() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                    double past =
                            field.getType() == int.class ? end + Math.signum(outward) : Math.nextAfter(end, outward);
                    assertThatThrownBy(() -> withValue(field, past))
                            .as(flag + " just past " + end)
                            .isInstanceOf(IllegalArgumentException.class);
                } else if (Double.isFinite(end)) {
                    assertThatThrownBy(() -> withValue(field, end))
                            .as(flag + " at " + end)
                            .isInstanceOf(IllegalArgumentException.class);
                }
            }
        }
    }

    @Test
    void theDetectionModuleKnowsNoCommandLine() throws IOException {
        String pom = Files.readString(ROOT.resolve("detection/pom.xml"));
        assertThat(pom).doesNotContain("picocli").doesNotContain("descentwatch-options");
        try (Stream<Path> sources = Files.walk(ROOT.resolve("detection/src"))) {
            for (Path java : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(java))
                        .as(java.toString())
                        .doesNotContain("import picocli")
                        .doesNotContain("System.getenv");
            }
        }
    }

    /** The constant named {@code name} of an enum type known only at run time, as {@code Enum.valueOf} finds it. */
    private static Object enumConstant(Class<?> type, String name) {
        return Stream.of(type.getEnumConstants())
                .filter(c -> ((Enum<?>) c).name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + type.getSimpleName() + "." + name));
    }

    /**
     * The settings with every flag at its annotated default (no environment read) and one set to a value, built.
     */
    private static DetectionSettings withValue(Field changed, double value) throws IllegalAccessException {
        DetectionOptions options = new DetectionOptions();
        for (Field field : optionFields()) {
            Matcher m = ENV_DEFAULT.matcher(field.getAnnotation(Option.class).defaultValue());
            assertThat(m.matches()).isTrue();
            if (field.getType().isEnum()) {
                field.setAccessible(true);
                field.set(
                        field.getDeclaringClass() == AdviceOptions.class ? options.advice : options,
                        enumConstant(field.getType(), m.group(2).toUpperCase(Locale.ROOT)));
            } else {
                set(options, field, field.equals(changed) ? value : Double.parseDouble(m.group(2)));
            }
        }
        return options.settings();
    }

    private static void set(DetectionOptions options, Field field, double value) throws IllegalAccessException {
        Object holder = field.getDeclaringClass() == AdviceOptions.class ? options.advice : options;
        field.setAccessible(true);
        if (field.getType() == int.class) {
            field.setInt(holder, (int) value);
        } else {
            field.setDouble(holder, value);
        }
    }

    /** The options that are numbers with a range: all but the choices. */
    private static List<Field> thresholdFields() {
        return optionFields().stream().filter(f -> !f.getType().isEnum()).toList();
    }

    private static List<Field> optionFields() {
        List<Field> fields = new ArrayList<>();
        for (Class<?> type : List.of(DetectionOptions.class, AdviceOptions.class)) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.isAnnotationPresent(Mixin.class)) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }
}
