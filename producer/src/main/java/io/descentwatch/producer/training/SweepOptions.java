package io.descentwatch.producer.training;

import io.descentwatch.events.EpochEvent;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The flags that choose a sweep: preset, --quick, sweep id and generic --set; the per-setting flags come from
 * {@link PresetFlags}. A picocli mixin shared by {@code train} and {@code sweep}.
 */
public class SweepOptions {

    /** For picocli's completion and help. */
    public static final class PresetNames extends ArrayList<String> {
        public PresetNames() {
            super(Presets.names());
        }
    }

    @Option(
            names = "--preset",
            defaultValue = "${env:DW_PRESET:-rf-modelwise}",
            completionCandidates = PresetNames.class,
            description = "The experiment: ${COMPLETION-CANDIDATES} (env DW_PRESET; default ${DEFAULT-VALUE}).")
    String preset;

    @Option(
            names = "--quick",
            defaultValue = "${env:DW_QUICK:-false}",
            description = "The preset's small size: about a minute on one core or less, and still shows its effect "
                    + "(env DW_QUICK).")
    boolean quick;

    @Option(
            names = "--sweep-id",
            defaultValue = "${env:DW_SWEEP_ID}",
            description = "Sweep id of the events (env DW_SWEEP_ID; default: the preset's name and the UTC start "
                    + "time, e.g. rf-modelwise-20261128-120000, so a rerun is a new sweep).")
    String sweepId;

    /** Whether the sweep id was given rather than generated from the start time. */
    public boolean hasSweepId() {
        return sweepId != null && !sweepId.isBlank();
    }

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Any preset setting by its key, repeatable; the same as its own flag (--set epochs=100).")
    Map<String, String> set = new LinkedHashMap<>();

    /** A planned sweep. */
    public record Sweep(Preset preset, Parameters parameters, String sweepId, List<RunSpec> runs) {}

    /** The sweep the flags choose; a setting the preset lacks or a value out of its bounds is a usage error. */
    public Sweep resolve(CommandSpec spec, Clock clock) {
        Preset p = Presets.named(preset);
        Map<String, String> overrides = new LinkedHashMap<>(PresetFlags.overrides(spec, p));
        overrides.putAll(set);
        try {
            return plan(p, quick, overrides, sweepId, clock);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * A preset's sweep with some settings overridden, as the flags would give it.
     *
     * @param sweepId the sweep's id, or null for the preset's name and the UTC start time
     */
    public static Sweep plan(Preset p, boolean quick, Map<String, String> overrides, String sweepId, Clock clock) {
        Parameters parameters = Parameters.resolve(p.parameters(), quick, overrides, p.name());
        String id = sweepId != null && !sweepId.isBlank()
                ? sweepId
                : p.name()
                        + (quick ? "-quick-" : "-")
                        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                                .withZone(ZoneOffset.UTC)
                                .format(clock.instant());
        return new Sweep(p, parameters, id, withPlannedSize(p.plan(id, parameters)));
    }

    /**
     * Every run tells the detector how many runs its sweep has (tag sweep_runs), so sweep decisions settle once all
     * of them are known, however coarse the grid of sizes.
     */
    static List<RunSpec> withPlannedSize(List<RunSpec> runs) {
        String size = String.valueOf(runs.size());
        return runs.stream()
                .map(r -> new RunSpec(
                        r.preset(),
                        r.sweepId(),
                        r.runId(),
                        r.width(),
                        r.seed(),
                        r.parameters().with(EpochEvent.SWEEP_RUNS_TAG, size)))
                .toList();
    }

    public String presetName() {
        return preset;
    }

    public boolean quick() {
        return quick;
    }
}
