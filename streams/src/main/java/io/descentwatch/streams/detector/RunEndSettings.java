package io.descentwatch.streams.detector;

import io.descentwatch.options.Range;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * When the detector takes a run or a sweep to have ended without being told: every role that runs the detector
 * (the detector itself, serve, the demo) has these two flags.
 */
public final class RunEndSettings {

    @Option(
            names = "--run-idle-timeout",
            defaultValue = "${env:DW_RUN_IDLE_TIMEOUT:-PT15M}",
            description = "A run that sends nothing for this long counts as ended for sweep decisions (shown as "
                    + "idle in its summary) whether or not it said final; its next event brings it back, and once "
                    + "every run of a sweep is idle the sweep is decided on what it has. Fifteen minutes is longer "
                    + "than the gap between evaluations of the models double-descent sweeps train (seconds to "
                    + "minutes per epoch) and decides a sweep that stopped without saying so within a quarter of an "
                    + "hour; trainers that evaluate less often should raise it or send final (env "
                    + "DW_RUN_IDLE_TIMEOUT; ISO-8601, greater than zero; default ${DEFAULT-VALUE}).")
    @Range(above = "PT0S")
    Duration runIdleTimeout;

    @Option(
            names = "--sweep-quiet",
            defaultValue = "${env:DW_SWEEP_QUIET:-PT15S}",
            description = "A run that said final counts as quiet once nothing more came from it for this long, and "
                    + "once every known run of a sweep is quiet the sweep is complete: decided on what it has "
                    + "(fainter peaks, a coarse grid's landmarks, the over-parameterized win) without waiting for "
                    + "the idle timeout. Fifteen seconds is longer than a trainer takes between one run's final "
                    + "event and the next run's first evaluation for the models sweeps train one after another "
                    + "here (milliseconds to seconds), and keeps a sweep's last verdicts within seconds of its last "
                    + "run; a trainer whose next run's first evaluation comes later should raise it (a run that "
                    + "comes after a sweep was complete still counts, but verdicts already given stand) (env "
                    + "DW_SWEEP_QUIET; ISO-8601, greater than zero; default ${DEFAULT-VALUE}).")
    @Range(above = "PT0S")
    Duration sweepQuiet;
}
