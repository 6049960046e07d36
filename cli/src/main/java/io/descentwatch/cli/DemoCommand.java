package io.descentwatch.cli;

import io.descentwatch.demo.Demo;
import io.descentwatch.demo.DemoSettings;
import io.descentwatch.streams.detector.DetectionOptions;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The whole pipeline in this process, no Docker: an in-process Kafka broker, the detector, "
                    + "and workers training a model-wise random-features sweep and an epoch-wise run with DL4J (about "
                    + "3 minutes on 2 cores). Shows each run and each alert live, writes a live HTML report, and ends "
                    + "with what was found. Ctrl-C stops everything cleanly.",
            "With --influx-url (or DW_INFLUX_URL) the sink writes to that InfluxDB as well."
        })
final class DemoCommand extends Subcommand {

    @Mixin
    DemoSettings settings;

    @Mixin
    DetectionOptions detection;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        // Ctrl-C: interrupt the demo and wait while it stops the workers, detector and broker and removes its
        // temporary directories; the JVM exits only after that
        ShutdownHook onExit = ShutdownHook.interruptThenAwait("demo-shutdown", Duration.ofSeconds(30));
        try {
            Demo.Outcome outcome = new Demo(settings, detection.settings(), out, Clock.systemUTC()).run();
            return outcome.caughtUp() ? 0 : 1;
        } catch (InterruptedException e) {
            out.println("demo stopped");
            out.flush();
            return 130;
        } finally {
            onExit.close();
        }
    }
}
