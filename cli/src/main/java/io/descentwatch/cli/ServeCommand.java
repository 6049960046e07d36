package io.descentwatch.cli;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.serve.BadSettingException;
import io.descentwatch.serve.Serve;
import io.descentwatch.serve.ServeSettings;
import io.descentwatch.streams.detector.DetectionOptions;
import io.descentwatch.streams.detector.RunEndSettings;
import io.descentwatch.streams.detector.StreamsAppSettings;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Everything your own trainer needs, in this process, until Ctrl-C: a Kafka broker on --kafka "
                    + "(data kept in --data-dir across restarts), the streaming detector, and a live web page on --http "
                    + "with JSON endpoints /api/alerts, /api/runs and /api/sweeps. Alerts are printed as they fire.",
            "Publish from Python with the client in clients/python, or from any Kafka client per the JSON "
                    + "Schema. With --influx-url the sink writes to InfluxDB too; --webhook forwards alerts."
        })
final class ServeCommand extends Subcommand {

    @Mixin
    ServeSettings settings;

    @Mixin
    TopicSettings topics;

    @Mixin
    DetectionOptions detection;

    @Mixin
    RunEndSettings runEnds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        DetectionSettings checked;
        try {
            checked = detection.settings();
        } catch (IllegalArgumentException e) {
            // the detection settings' own check: a usage error, as serve's BadSettingException is
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // Ctrl-C or SIGTERM: interrupt serve and wait while it stops the page, detector and broker; the JVM exits
        // only after that, so no port, thread or lock outlives the process
        ShutdownHook onExit = ShutdownHook.interruptThenAwait("serve-shutdown", Duration.ofSeconds(60));
        Serve serve;
        try {
            // serve names the application and its state directory itself
            StreamsAppSettings app = StreamsAppSettings.defaults("serve", null);
            app.runEnds = runEnds;
            serve = new Serve(settings, checked, topics, app, out, Clock.systemUTC());
        } catch (BadSettingException e) {
            // a bad flag only: any other exception from starting serve is a fault, reported as one
            onExit.close();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (InterruptedException e) {
            onExit.close();
            out.println("serve stopped");
            out.flush();
            return 130;
        }
        try (serve) {
            serve.awaitStop();
            return 0;
        } catch (InterruptedException e) {
            return 130;
        } finally {
            out.println("serve stopped; data kept in " + settings.dataDir);
            out.flush();
            onExit.close();
        }
    }
}
