package io.descentwatch.producer.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Adds one flag per preset setting ({@code --epochs}, {@code --lr}, ...) to a command, generated from the presets'
 * own declarations so flags, defaults and help never drift apart. Each flag falls back to an environment variable
 * (DW_ + the key in upper snake case, e.g. DW_TRAIN_SIZE); its help lists every preset's default. Unset flags keep
 * the preset's default.
 */
public final class PresetFlags implements CommandLine.IModelTransformer {

    @Override
    public CommandSpec transform(CommandSpec spec) {
        for (Map.Entry<String, List<Owner>> e : settings().entrySet()) {
            String key = e.getKey();
            String description = e.getValue().get(0).spec().description();
            StringBuilder help = new StringBuilder(
                    description.endsWith(".") ? description.substring(0, description.length() - 1) : description);
            help.append(" (env ").append(envName(key)).append("; default:");
            for (Owner o : e.getValue()) {
                ParameterSpec s = o.spec();
                help.append(' ').append(o.preset()).append(' ').append(s.fullDefault());
                if (!s.quickDefault().equals(s.fullDefault())) {
                    help.append(" (quick ").append(s.quickDefault()).append(')');
                }
                help.append(',');
            }
            help.setLength(help.length() - 1);
            help.append(").");
            List<ParameterSpec> owners = e.getValue().stream().map(Owner::spec).toList();
            spec.addOption(OptionSpec.builder("--" + key)
                    .paramLabel(key.toUpperCase(Locale.ROOT).replace('-', '_'))
                    .type(String.class)
                    .converters(value -> checked(owners, value))
                    .defaultValue("${env:" + envName(key) + "}")
                    .description(help.toString().replace("%", "%%"))
                    .build());
        }
        return spec;
    }

    /**
     * The settings given on this command line (or by environment) that the preset has. A flag given on the
     * command line that the preset lacks is an error; one from the environment is ignored, because one
     * environment often serves several presets.
     */
    public static Map<String, String> overrides(CommandSpec spec, Preset preset) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> keys = preset.parameters().stream().map(ParameterSpec::key).toList();
        CommandLine.ParseResult parsed =
                spec.commandLine() == null ? null : spec.commandLine().getParseResult();
        for (String key : settings().keySet()) {
            OptionSpec option = spec.findOption("--" + key);
            if (option == null || option.getValue() == null) {
                continue;
            }
            boolean typed = parsed != null && parsed.hasMatchedOption("--" + key);
            if (keys.contains(key)) {
                out.put(key, option.getValue());
            } else if (typed) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "preset " + preset.name() + " has no setting --" + key + "; its settings are --"
                                + String.join(", --", keys));
            }
        }
        return out;
    }

    /**
     * A value the presets that have this setting can take, checked as the flag is read (picocli then names the flag
     * in the error). The preset is not known yet: a value any of them accepts passes here, and
     * {@link Parameters#resolve} checks it against the chosen one.
     */
    private static String checked(List<ParameterSpec> owners, String value) {
        IllegalArgumentException refused = null;
        for (ParameterSpec owner : owners) {
            try {
                owner.check(value);
                return value;
            } catch (IllegalArgumentException e) {
                refused = refused == null ? e : refused;
            }
        }
        throw new CommandLine.TypeConversionException(refused.getMessage());
    }

    static String envName(String key) {
        return "DW_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private record Owner(String preset, ParameterSpec spec) {}

    private static Map<String, List<Owner>> settings() {
        Map<String, List<Owner>> all = new LinkedHashMap<>();
        for (Preset p : Presets.all()) {
            for (ParameterSpec s : p.parameters()) {
                all.computeIfAbsent(s.key(), k -> new java.util.ArrayList<>()).add(new Owner(p.name(), s));
            }
        }
        return all;
    }
}
