package io.descentwatch.options;

import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The one place option values are checked against their {@link Range}: after picocli has read the command line and
 * the environment, before a command runs. A value outside its range is a {@link ParameterException} naming the
 * flag and the range, which picocli reports as a usage error (exit code 2). Settings built outside a command line
 * (defaults, tests, the demo) go through {@link #populate} or {@link #parse}, so they are checked the same way.
 */
public final class Ranges {

    private static final Set<Class<?>> NUMBERS = Set.of(
            int.class,
            long.class,
            short.class,
            byte.class,
            double.class,
            float.class,
            Integer.class,
            Long.class,
            Short.class,
            Byte.class,
            Double.class,
            Float.class);

    private Ranges() {}

    /** A settings object with its defaults (and DW_* environment variables), checked. */
    public static <T> T populate(T settings) {
        return parse(settings);
    }

    /** A settings object with its defaults overridden by command-line style arguments, checked. */
    public static <T> T parse(T settings, String... args) {
        // parsed as the launcher parses (choices in any case, ...)
        CommandLine cli = CommandLines.configured(settings);
        cli.parseArgs(args);
        check(cli);
        return settings;
    }

    /** Checks every option of the command (mixins included) that declares a {@link Range}. */
    public static void check(CommandLine cli) {
        for (OptionSpec option : cli.getCommandSpec().options()) {
            Bounds bounds = bounds(option);
            Object value = option.getValue();
            if (bounds == null || value == null) {
                continue;
            }
            for (Object v : elements(value)) {
                if (!bounds.contains(v)) {
                    throw new ParameterException(
                            cli,
                            String.format(
                                    "Invalid value for option '%s': %s is out of " + "range, valid: %s",
                                    option.longestName(), v, bounds.describe()),
                            option,
                            String.valueOf(v));
                }
            }
        }
    }

    /** Checks a settings object's current values (e.g. one whose fields were set in code). */
    public static void check(Object settings) {
        check(new CommandLine(settings instanceof CommandSpec spec ? spec : CommandSpec.forAnnotatedObject(settings)));
    }

    /** The range an option declares, or null. */
    public static Bounds bounds(ArgSpec arg) {
        if (!(arg.userObject() instanceof AnnotatedElement element)) {
            return null;
        }
        Range range = element.getAnnotation(Range.class);
        return range == null ? null : Bounds.of(range, holdsDurations(arg));
    }

    /** Whether an option holds numbers or durations (itself or as list elements): those need a range. */
    public static boolean isNumeric(ArgSpec arg) {
        if (NUMBERS.contains(arg.type()) || holdsDurations(arg)) {
            return true;
        }
        boolean many =
                Collection.class.isAssignableFrom(arg.type()) || arg.type().isArray();
        return many && List.of(arg.auxiliaryTypes()).stream().anyMatch(NUMBERS::contains);
    }

    private static boolean holdsDurations(ArgSpec arg) {
        return arg.type() == Duration.class || List.of(arg.auxiliaryTypes()).contains(Duration.class);
    }

    private static Collection<?> elements(Object value) {
        if (value instanceof Collection<?> c) {
            return c;
        }
        if (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive()) {
            return List.of((Object[]) value);
        }
        return List.of(value);
    }
}
