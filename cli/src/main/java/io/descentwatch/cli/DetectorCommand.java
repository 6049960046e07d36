package io.descentwatch.cli;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "detector", mixinStandardHelpOptions = true,
        description = "Runs the streaming detector (Kafka Streams): epoch events in, descent alerts and the "
                + "current state of every run and sweep out, exactly once. Runs until stopped (Ctrl-C, SIGTERM).")
final class DetectorCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DetectorCommand.class);

    @Mixin
    KafkaSettings kafka;

    @Mixin
    TopicSettings topics;

    @Mixin
    StreamsAppSettings settings;

    @Mixin
    DetectionSettings detection;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        DetectorApp app = new DetectorApp(kafka, topics, detection, settings);
        ShutdownHook onExit = ShutdownHook.run("detector-shutdown", () -> {
            app.close();
            stopped.countDown();
        });
        try {
            log.info("detector {} starting: {} -> {} (Kafka {})", settings.applicationId, topics.epochs,
                    topics.alerts, kafka.describe());
            app.start();
            if (app.awaitRunning(Duration.ofMinutes(5))) {
                log.info("detector running");
            }
            stopped.await();
            return 0;
        } finally {
            onExit.close();
        }
    }
}
