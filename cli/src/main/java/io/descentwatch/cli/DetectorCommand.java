package io.descentwatch.cli;

import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.ops.Metrics;
import io.descentwatch.ops.OpsServer;
import io.descentwatch.ops.OpsSettings;
import io.descentwatch.streams.detector.DetectionOptions;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "detector",
        mixinStandardHelpOptions = true,
        description = "Runs the streaming detector (Kafka Streams): epoch events in, descent alerts and the "
                + "current state of every run and sweep out, exactly once. Runs until stopped (Ctrl-C, SIGTERM), "
                + "or until its processing threads fail again and again (--max-thread-failures): then it exits "
                + "with status 1.")
final class DetectorCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DetectorCommand.class);

    @Mixin
    KafkaSettings kafka;

    @Mixin
    TopicSettings topics;

    @Mixin
    StreamsAppSettings settings;

    @Mixin
    DetectionOptions detection;

    @Mixin
    OpsSettings ops;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            ops.checkFree();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // 0 once stopped from outside (Ctrl-C, SIGTERM); 1 once the detector stopped itself on repeated failures
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        DetectorApp app = new DetectorApp(kafka, topics, detection.settings(), settings);
        PrometheusMeterRegistry registry = Metrics.registry("detector");
        app.bindMetrics(registry, topics);
        OpsServer endpoints = OpsServer.startIfEnabled(ops, registry, app::health);
        ShutdownHook onExit = ShutdownHook.run("detector-shutdown", () -> {
            app.close();
            exit.complete(0);
        });
        app.failure().thenAccept(why -> exit.complete(1));
        try {
            log.info(
                    "detector {} starting: {} -> {} (Kafka {})",
                    settings.applicationId,
                    topics.epochs,
                    topics.alerts,
                    kafka.describe());
            app.start();
            if (app.awaitRunning(Duration.ofMinutes(5))) {
                log.info("detector running");
            }
            int code = exit.get();
            if (code != 0) {
                log.error("detector stopped: {}", app.failure().getNow(""));
                app.close();
            }
            return code;
        } finally {
            onExit.close();
            if (endpoints != null) {
                endpoints.close();
            }
        }
    }
}
