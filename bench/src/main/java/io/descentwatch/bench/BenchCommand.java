package io.descentwatch.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Benchmarks, each side by side with its baseline in the same run on the same servers, one subcommand (and class)
 * each. They print Markdown tables (the format of docs/benchmarks.md). Without --bootstrap / --influx-url they start
 * the local servers the tests use.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measures the detector, alert latency, the sink and the Python client against their "
                + "baselines; prints Markdown.",
        subcommands = {
            DetectorBenchCommand.class,
            EventsBenchCommand.class,
            LatencyBenchCommand.class,
            SinkBenchCommand.class,
            TelemetryBenchCommand.class,
            TrainingBenchCommand.class,
            ScaleBenchCommand.class,
            ClientBenchCommand.class,
            StoppingBenchCommand.class,
            SweepSizeBenchCommand.class,
            SweepLiveBenchCommand.class,
            PageScaleBenchCommand.class
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
