package io.descentwatch.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.descentwatch.broker.LoopbackPorts;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.serve.ServeLifecycle.Part;
import io.descentwatch.serve.ServeLifecycle.State;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeLifecycleTest {

    @Test
    void partsStopInTheStatedOrderWhateverOrderTheyStartedInAndOnlyOnce() {
        List<String> stopped = new ArrayList<>();
        ServeLifecycle life = new ServeLifecycle();
        life.starting();
        for (Part p : List.of(Part.BROKER, Part.DETECTOR, Part.FEED, Part.PAGE, Part.WEBHOOK)) {
            life.started(p, () -> stopped.add(p.name()));
        }
        life.running();
        assertThat(life.state()).isEqualTo(State.RUNNING);

        assertThat(life.stop(() -> stopped.add("clients ended"))).isTrue();
        assertThat(stopped).containsExactly("WEBHOOK", "PAGE", "FEED", "clients ended", "DETECTOR", "BROKER");
        assertThat(life.state()).isEqualTo(State.STOPPED);

        assertThat(life.stop(() -> stopped.add("clients ended")))
                .as("a second stop")
                .isFalse();
        assertThat(stopped).hasSize(6);
        assertThatThrownBy(() -> life.started(Part.SINK, () -> {})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStartThatFailsHalfWayStopsWhatStartedEvenWhenOnePartFailsToStop() {
        List<String> stopped = new ArrayList<>();
        ServeLifecycle life = new ServeLifecycle();
        life.starting();
        life.started(Part.BROKER, () -> stopped.add("BROKER"));
        life.started(Part.DETECTOR, () -> {
            stopped.add("DETECTOR");
            throw new IOException("already gone");
        });
        assertThatThrownBy(() -> life.started(Part.DETECTOR, () -> {}))
                .as("a part started twice")
                .isInstanceOf(IllegalStateException.class);

        // start failed here: never running, and stopping stops what had started
        assertThat(life.stop(() -> stopped.add("clients ended"))).isTrue();
        assertThat(stopped).containsExactly("clients ended", "DETECTOR", "BROKER");
        assertThat(life.state()).isEqualTo(State.STOPPED);
        assertThatThrownBy(life::running).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A real serve whose detector cannot start (a topic name Kafka refuses) once its broker is up: the constructor
     * throws, and the broker's port and the data directory are free again, so a corrected serve can start there.
     */
    @Test
    void aServeThatFailsToStartLeavesNothingRunningAndClosingTwiceIsSafe(@TempDir Path data) throws Exception {
        ServeSettings settings = ServeSettings.defaults();
        settings.kafka = "127.0.0.1:" + LoopbackPorts.free();
        settings.http = "127.0.0.1:" + LoopbackPorts.free();
        settings.dataDir = data;
        TopicSettings refused = TopicSettings.defaults();
        refused.runs = "not a topic name";

        assertThatThrownBy(() -> new Serve(
                        settings,
                        DetectionSettings.defaults(),
                        refused,
                        new PrintWriter(new StringWriter()),
                        Clock.systemUTC()))
                .isNotInstanceOf(BadSettingException.class);
        assertPortsAndDataFree(settings);

        Serve serve = new Serve(
                settings,
                DetectionSettings.defaults(),
                TopicSettings.defaults(),
                new PrintWriter(new StringWriter()),
                Clock.systemUTC());
        serve.close();
        assertThatCode(serve::close).as("closing twice").doesNotThrowAnyException();
        assertPortsAndDataFree(settings);
    }

    private static void assertPortsAndDataFree(ServeSettings settings) {
        ServeSettings.Endpoints at = settings.validate();
        assertThatCode(() -> at.kafka().checkFree("--kafka")).doesNotThrowAnyException();
        assertThatCode(() -> at.http().checkFree("--http")).doesNotThrowAnyException();
        assertThatCode(() -> DataDir.open(settings.dataDir, false).close()).doesNotThrowAnyException();
    }
}
