package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** What the detector's Streams properties make of the guarantee and of the user's Kafka properties. */
class StreamsAppSettingsTest {

    private static Map<String, Object> producerConfig(
            StreamsAppSettings.Guarantee guarantee, Map<String, String> client) {
        StreamsAppSettings settings = StreamsAppSettings.defaults("linger-test", Path.of("unused"));
        settings.guarantee = guarantee;
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:9");
        p.putAll(client);
        return new StreamsConfig(settings.streamsProperties(p)).getProducerConfigs("linger-test-client");
    }

    @Test
    void atLeastOnceSendsAlertsWithoutKafkaStreamsHundredMillisecondLinger() {
        assertThat(producerConfig(StreamsAppSettings.Guarantee.AT_LEAST_ONCE, Map.of())
                        .get(ProducerConfig.LINGER_MS_CONFIG))
                .isEqualTo(StreamsAppSettings.AT_LEAST_ONCE_LINGER_MS);
    }

    @Test
    void exactlyOnceKeepsKafkaStreamsLingerSinceTheCommitFlushes() {
        Map<String, Object> eos = producerConfig(StreamsAppSettings.Guarantee.EXACTLY_ONCE_V2, Map.of());
        assertThat(eos.get(ProducerConfig.LINGER_MS_CONFIG)).isNotEqualTo(StreamsAppSettings.AT_LEAST_ONCE_LINGER_MS);
    }

    @Test
    void aLingerTheUserSetsWinsPrefixedOrNot() {
        assertThat(producerConfig(
                                StreamsAppSettings.Guarantee.AT_LEAST_ONCE,
                                Map.of(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "40"))
                        .get(ProducerConfig.LINGER_MS_CONFIG))
                .isEqualTo("40");
        assertThat(producerConfig(
                                StreamsAppSettings.Guarantee.AT_LEAST_ONCE,
                                Map.of(ProducerConfig.LINGER_MS_CONFIG, "30"))
                        .get(ProducerConfig.LINGER_MS_CONFIG))
                .isEqualTo("30");
    }
}
