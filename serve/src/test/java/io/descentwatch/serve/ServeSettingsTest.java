package io.descentwatch.serve;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServeSettingsTest {

    @Test
    void theDefaultsAreKafkasPortThePageOnLoopbackAndADirectoryUnderHome() {
        ServeSettings s = ServeSettings.defaults();
        ServeSettings.Endpoints at = s.validate();
        assertThat(at.kafka()).isEqualTo(new Endpoint("localhost", 9092));
        assertThat(at.http()).isEqualTo(new Endpoint("localhost", 8080));
        assertThat(s.pageInterval).isEqualTo(Duration.ofMillis(100));
        if (System.getenv("DW_DATA_DIR") == null) {
            assertThat(s.dataDir).isEqualTo(Path.of(System.getProperty("user.home"), ".descentwatch", "serve"));
        }
        assertThat(s.fresh).isFalse();
    }

    @Test
    void badValuesNameTheirFlag() {
        assertThatThrownBy(() -> parse("--kafka", "localhost:1", "--http", "localhost:1").validate())
                .hasMessageContaining("--kafka and --http must use different ports");
        assertThatThrownBy(() -> parse("--page-interval", "PT0.001S").validate())
                .hasMessageContaining("--page-interval").hasMessageContaining("[PT0.01S, PT1M]");
        assertThatThrownBy(() -> parse("--webhook-attempts", "0").validate())
                .hasMessageContaining("--webhook-attempts").hasMessageContaining("[1, 100]");
        assertThatThrownBy(() -> parse("--influx-url", "localhost:8086").validate())
                .hasMessageContaining("--influx-url must be an http:// or https:// URL");
    }

    private static ServeSettings parse(String... args) {
        return CommandLine.populateCommand(new ServeSettings(), args);
    }
}
