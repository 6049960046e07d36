package io.descentwatch.demo;

import io.descentwatch.broker.EmbeddedKafkaBroker;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.sink.InfluxSink;
import io.descentwatch.sink.SinkSettings;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The server side of the product in this JVM: an in-process KRaft broker on loopback, the streaming detector, and
 * the InfluxDB sink when a URL is given. Everything it creates on disk lives in temporary directories that
 * {@link #close()} removes.
 */
public final class EmbeddedPipeline implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final EmbeddedKafkaBroker broker;
    private final ScratchDirectory stateDir;
    private final DetectorApp detector;
    private final InfluxSink sink;
    private final Thread sinkThread;
    private final KafkaSettings kafka;
    private final TopicSettings topics;

    /**
     * @param influx where the sink writes, or null for no sink
     */
    public EmbeddedPipeline(TopicSettings topics, DetectionSettings detection, SinkSettings influx) {
        this.topics = topics;
        this.broker = EmbeddedKafkaBroker.start();
        this.kafka = KafkaSettings.of(broker.bootstrapServers());
        // not under the OS temp directory, which Kafka Streams warns may be cleaned under a running app
        this.stateDir =
                ScratchDirectory.createIn(Path.of(System.getProperty("user.home"), ".descentwatch", "demo"), "state-");
        DetectorApp app = null;
        try {
            new TopicProvisioner(kafka.clientProperties())
                    .ensure(List.of(TopicProvisioner.topic(topics.epochs, topics)));
            app = new DetectorApp(
                            kafka, topics, detection, StreamsAppSettings.defaults("descentwatch-demo", stateDir.path()))
                    .start();
            if (!app.awaitRunning(START_TIMEOUT)) {
                throw new IllegalStateException("the detector did not start within " + START_TIMEOUT);
            }
        } catch (InterruptedException e) {
            abandon(app);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the pipeline", e);
        } catch (RuntimeException e) {
            // broad, and rethrown: whatever stopped the start, the half-started detector goes
            abandon(app);
            throw e;
        }
        this.detector = app;
        if (influx != null) {
            sink = new InfluxSink(kafka.clientProperties(), topics, influx);
            sinkThread = new Thread(sink, "demo-sink");
            sinkThread.setDaemon(true);
            sinkThread.start();
        } else {
            sink = null;
            sinkThread = null;
        }
    }

    /** Undoes a start that failed half way. */
    private void abandon(DetectorApp app) {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            broker.close();
            stateDir.close();
        }
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public TopicSettings topics() {
        return topics;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public long pointsWritten() {
        return sink == null ? 0 : sink.pointsWritten();
    }

    /** Stops the sink, the detector and the broker, in that order, and removes their directories. */
    @Override
    public void close() {
        if (sink != null) {
            sink.close();
            try {
                sinkThread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            detector.close();
        } finally {
            broker.close();
            stateDir.close();
        }
    }
}
