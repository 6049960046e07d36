package io.descentwatch.detection;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DetectionSettingsTest {

    @Command(name = "detect")
    static class DetectCommand {
        @Mixin
        DetectionSettings settings;
    }

    @Test
    void defaultsAgreeWithACommandThatMixesTheSettingsIn() throws IllegalAccessException {
        DetectCommand command = new DetectCommand();
        new CommandLine(command).parseArgs();
        DetectionSettings defaults = DetectionSettings.defaults();
        for (Field field : DetectionSettings.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) || field.isAnnotationPresent(Mixin.class)) {
                continue;
            }
            field.setAccessible(true);
            assertThat(field.get(command.settings)).as(field.getName()).isEqualTo(field.get(defaults));
            assertThat(((Number) field.get(defaults)).doubleValue()).as(field.getName()).isPositive();
        }
        assertThat(defaults.riseThreshold()).isEqualTo(0.05);
        assertThat(defaults.confirmEvaluations()).isEqualTo(3);
    }

    @Test
    void everyThresholdIsADocumentedOptionWithAnEnvironmentFallback() {
        CommandLine cli = new CommandLine(new DetectionSettings());
        List<Field> fields = new ArrayList<>();
        for (Class<?> type : List.of(DetectionSettings.class, AdviceSettings.class)) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !field.isAnnotationPresent(Mixin.class)) {
                    fields.add(field);
                }
            }
        }
        assertThat(cli.getCommandSpec().options()).hasSize(fields.size());
        for (Field field : fields) {
            Option option = field.getAnnotation(Option.class);
            assertThat(option).as(field.getName()).isNotNull();
            assertThat(option.defaultValue()).as(field.getName()).startsWith("${env:DW_");
            String description = String.join(" ", option.description());
            assertThat(description).as(field.getName()).contains("(default ${DEFAULT-VALUE})");
            assertThat(description.length()).as(field.getName()).isGreaterThan(100);
        }
        // descriptions are format strings: a stray % would garble the help text
        assertThat(cli.getUsageMessage()).contains("--rise-threshold", "(default 0.05)", "Half of the 10% a clear");
    }

    @Test
    void argumentsOverrideDefaults() {
        DetectionSettings settings = DetectionSettings.parse("--rise-threshold", "0.2", "--confirm-evaluations", "4");
        assertThat(settings.riseThreshold()).isEqualTo(0.2);
        assertThat(settings.confirmEvaluations()).isEqualTo(4);
        assertThat(settings.fallThreshold()).isEqualTo(DetectionSettings.defaults().fallThreshold());
    }
}
