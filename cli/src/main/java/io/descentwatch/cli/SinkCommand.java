package io.descentwatch.cli;

import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.ops.Metrics;
import io.descentwatch.ops.OpsServer;
import io.descentwatch.ops.OpsSettings;
import io.descentwatch.sink.InfluxSink;
import io.descentwatch.sink.SinkSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "sink",
        mixinStandardHelpOptions = true,
        description = "Writes epochs, run states and alerts from Kafka to InfluxDB (measurements epoch, run_state, "
                + "alert). Commits offsets only after InfluxDB acknowledged a batch; retries while InfluxDB is down. "
                + "Runs until stopped.")
final class SinkCommand implements Callable<Integer> {

    @Mixin
    KafkaSettings kafka;

    @Mixin
    TopicSettings topics;

    @Mixin
    SinkSettings settings;

    @Mixin
    OpsSettings ops;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            ops.checkFree();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics),
                        TopicProvisioner.topic(topics.alerts, topics),
                        TopicProvisioner.compactedTopic(topics.runs, topics)));
        PrometheusMeterRegistry registry = Metrics.registry("sink");
        InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, settings, registry);
        OpsServer endpoints = OpsServer.startIfEnabled(ops, registry, sink::health);
        ShutdownHook onExit = ShutdownHook.stopThenAwait("sink-shutdown", sink::close, Duration.ofSeconds(15));
        try {
            sink.run();
        } finally {
            onExit.close();
            if (endpoints != null) {
                endpoints.close();
            }
        }
        return 0;
    }
}
