package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.descentwatch.options.Bounds;
import io.descentwatch.options.Ranges;
import io.descentwatch.producer.training.ParameterSpec;
import io.descentwatch.producer.training.Presets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Walks every option of every command through picocli's model: each numeric one (numbers, durations, lists of
 * them, and the presets' numeric settings) must declare a range, and a value just outside it must stop the command
 * with exit code 2 and a message naming the flag, before anything starts. A new numeric option without a range
 * fails here.
 */
class OptionRangesTest {

    /** Long enough to parse and print an error; a command that started for real would take longer or hang. */
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(30);

    private record Case(List<String> command, OptionSpec option, String outside) {
        @Override
        public String toString() {
            return String.join(" ", command) + " " + option.longestName() + "=" + outside;
        }
    }

    @Test
    void everyNumericOptionOfEveryCommandRefusesAValueOutsideItsRange() {
        List<Case> cases = new ArrayList<>();
        List<String> unranged = new ArrayList<>();
        walk(CommandRun.everything(), List.of(), cases, unranged);
        assertThat(unranged)
                .as("numeric options without a @Range (or preset settings without bounds)")
                .isEmpty();
        // the commands that have the detection thresholds, the topics, the presets' flags and the bench's own
        assertThat(cases.size()).isGreaterThan(150);
        for (Case c : cases) {
            List<String> args = new ArrayList<>(c.command());
            args.add(c.option().longestName() + "=" + c.outside());
            args.addAll(required(c));
            CommandRun run = assertTimeoutPreemptively(
                    REFUSED_WITHIN, () -> CommandRun.of(args.toArray(String[]::new)), c::toString);
            assertThat(run.exitCode()).as(c + ": " + run.err()).isEqualTo(2);
            assertThat(run.err())
                    .as(c.toString())
                    .contains(c.option().longestName())
                    .contains("out of range");
        }
    }

    @Test
    void theKnownBadValuesAreUsageErrorsNamingTheFlagAndTheRange() {
        assertRefused(List.of("detect", "--median-window", "0"), "--median-window", "[1, 51]");
        assertRefused(List.of("train", "--epochs", "-5", "--out", "x.jsonl"), "--epochs", "[1, 100000000]");
        assertRefused(List.of("detect", "--confirm-evaluations", "-3"), "--confirm-evaluations", "[1, 100]");
        assertRefused(List.of("detect", "--noise-sigmas", "-1"), "--noise-sigmas", "[0, 10]");
        assertRefused(List.of("train", "--set", "epochs=-5", "--out", "x.jsonl"), "--epochs", "[1, 100000000]");
        assertRefused(List.of("detector", "--run-idle-timeout", "PT0S"), "--run-idle-timeout", "greater than PT0S");
    }

    @Test
    void anUnknownCommandIsAnErrorEvenWithHelpAfterIt() {
        CommandRun run = CommandRun.of("frobnicate", "--help");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown command 'frobnicate'").contains("detect");
        CommandRun nested = CommandRun.of("bench", "nope", "--help");
        assertThat(nested.exitCode()).isEqualTo(2);
        assertThat(nested.err()).contains("Unknown command 'nope'").contains("latency");
        assertThat(CommandRun.of("detect", "--help").exitCode()).isZero();
    }

    private static void assertRefused(List<String> args, String flag, String range) {
        CommandRun run = CommandRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(flag).contains(range);
    }

    private static void walk(CommandLine cli, List<String> path, List<Case> cases, List<String> unranged) {
        CommandSpec spec = cli.getCommandSpec();
        for (OptionSpec option : spec.options()) {
            String where = String.join(" ", path) + " " + option.longestName();
            String outside = outside(option);
            if (outside != null) {
                cases.add(new Case(path, option, outside));
            } else if (needsRange(option)) {
                unranged.add(where);
            }
        }
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            if (!sub.getKey().equals("help") && sub.getValue().getCommandName().equals(sub.getKey())) {
                walk(
                        sub.getValue(),
                        Stream.concat(path.stream(), Stream.of(sub.getKey())).toList(),
                        cases,
                        unranged);
            }
        }
    }

    /** A value outside the option's range, or null when it has none. */
    private static String outside(OptionSpec option) {
        Bounds bounds = Ranges.bounds(option);
        if (bounds != null) {
            return bounds.outsideExample();
        }
        List<ParameterSpec> owners = presetSettings(option);
        if (owners.isEmpty() || owners.stream().noneMatch(ParameterSpec::numeric)) {
            return null;
        }
        // the flag accepts what any preset having the setting accepts: find a value all of them refuse
        for (ParameterSpec owner : owners) {
            if (owner.numeric()) {
                String candidate = owner.bounds().outsideExample();
                if (owners.stream().allMatch(o -> refuses(o, candidate))) {
                    return candidate;
                }
            }
        }
        fail("no value of " + option.longestName() + " is refused by every preset that has it");
        return null;
    }

    /** Numbers, durations or lists of them, and preset settings whose defaults are numbers. */
    private static boolean needsRange(OptionSpec option) {
        if (Ranges.isNumeric(option)) {
            return true;
        }
        List<ParameterSpec> owners = presetSettings(option);
        if (!owners.isEmpty()) {
            return owners.stream().anyMatch(o -> looksNumeric(o.fullDefault()));
        }
        return option.type() == String.class && option.defaultValue() != null && looksNumeric(option.defaultValue());
    }

    private static List<ParameterSpec> presetSettings(OptionSpec option) {
        if (option.userObject() != null) {
            return List.of();
        }
        String key = option.longestName().substring(2);
        return Presets.all().stream()
                .flatMap(p -> p.parameters().stream())
                .filter(s -> s.key().equals(key))
                .toList();
    }

    private static boolean refuses(ParameterSpec spec, String value) {
        try {
            spec.check(value);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** A number or a list of them ("1,2", "1..5"), as the presets write them. */
    private static boolean looksNumeric(String text) {
        for (String part : text.split(",|\\.\\.")) {
            try {
                Double.parseDouble(part.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return !text.isBlank();
    }

    /** Dummy values for the command's other required options and parameters, so only the range is wrong. */
    private static List<String> required(Case c) {
        CommandSpec spec = CommandRun.everything().getCommandSpec();
        for (String name : c.command()) {
            spec = spec.subcommands().get(name).getCommandSpec();
        }
        List<String> args = new ArrayList<>();
        for (OptionSpec o : spec.requiredArgs().stream()
                .filter(OptionSpec.class::isInstance)
                .map(OptionSpec.class::cast)
                .toList()) {
            if (!o.longestName().equals(c.option().longestName())) {
                args.add(o.longestName());
                args.add("x");
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.required()) {
                args.add("x");
            }
        }
        return args;
    }
}
