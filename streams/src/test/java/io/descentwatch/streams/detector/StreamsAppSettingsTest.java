package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** What the detector's Streams properties make of the guarantee and of the user's Kafka properties. */
class StreamsAppSettingsTest {

    /** Kafka Streams' view of the detector's properties under a guarantee, with the user's Kafka properties. */
    private static StreamsConfig streamsConfig(StreamsAppSettings.Guarantee guarantee, Map<String, String> client) {
        StreamsAppSettings settings = StreamsAppSettings.defaults("settings-test", Path.of("unused"));
        settings.guarantee = guarantee;
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:9");
        p.putAll(client);
        return new StreamsConfig(settings.streamsProperties(p));
    }

    private static Map<String, Object> producerConfig(
            StreamsAppSettings.Guarantee guarantee, Map<String, String> client) {
        return streamsConfig(guarantee, client).getProducerConfigs("settings-test-client");
    }

    private static Map<String, Object> mainConsumerConfig(
            StreamsAppSettings.Guarantee guarantee, Map<String, String> client) {
        return streamsConfig(guarantee, client).getMainConsumerConfigs("settings-test", "client", 0);
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
    void batchesFillToTheDetectorsSizeUnderEitherGuarantee() {
        for (StreamsAppSettings.Guarantee guarantee : StreamsAppSettings.Guarantee.values()) {
            assertThat(producerConfig(guarantee, Map.of()).get(ProducerConfig.BATCH_SIZE_CONFIG))
                    .isEqualTo(StreamsAppSettings.PRODUCER_BATCH_BYTES);
        }
    }

    /** The producer settings the detector chooses, each under the guarantee it chooses it for. */
    private static final Map<String, StreamsAppSettings.Guarantee> CHOSEN_PRODUCER_SETTINGS = Map.of(
            ProducerConfig.LINGER_MS_CONFIG, StreamsAppSettings.Guarantee.AT_LEAST_ONCE,
            ProducerConfig.BATCH_SIZE_CONFIG, StreamsAppSettings.Guarantee.EXACTLY_ONCE_V2);

    @Test
    void aProducerSettingTheUserSetsWinsPrefixedOrNot() {
        CHOSEN_PRODUCER_SETTINGS.forEach((key, guarantee) -> {
            assertThat(producerConfig(guarantee, Map.of(StreamsConfig.producerPrefix(key), "40"))
                            .get(key))
                    .as("%s, prefixed", key)
                    .isEqualTo("40");
            assertThat(producerConfig(guarantee, Map.of(key, "30")).get(key))
                    .as("%s, not prefixed", key)
                    .isEqualTo("30");
        });
    }

    /** The main consumer settings the detector chooses under exactly-once, and its value of each. */
    private static final Map<String, String> CHOSEN_CONSUMER_SETTINGS = Map.of(
            ConsumerConfig.FETCH_MIN_BYTES_CONFIG, StreamsAppSettings.EXACTLY_ONCE_FETCH_MIN_BYTES,
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, StreamsAppSettings.EXACTLY_ONCE_FETCH_MAX_WAIT_MS);

    @Test
    void underExactlyOnceTheMainConsumerGathersFetchesUnlessTheUserSetsHowForAnyConsumer() {
        StreamsAppSettings.Guarantee eos = StreamsAppSettings.Guarantee.EXACTLY_ONCE_V2;
        CHOSEN_CONSUMER_SETTINGS.forEach((key, value) -> {
            assertThat(mainConsumerConfig(eos, Map.of()).get(key)).as(key).isEqualTo(value);
            for (String name :
                    new String[] {key, StreamsConfig.consumerPrefix(key), StreamsConfig.mainConsumerPrefix(key)}) {
                assertThat(mainConsumerConfig(eos, Map.of(name, "7")).get(key))
                        .as("%s set as %s", key, name)
                        .isEqualTo("7");
            }
        });
    }

    @Test
    void underAtLeastOnceTheMainConsumerKeepsKafkasFetchSettings() {
        Map<String, Object> alo = mainConsumerConfig(StreamsAppSettings.Guarantee.AT_LEAST_ONCE, Map.of());
        CHOSEN_CONSUMER_SETTINGS.forEach(
                (key, value) -> assertThat(alo.get(key)).as(key).isNotEqualTo(value));
    }
}
