package io.descentwatch.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class TopicRoutesTest {

    private final Topic<String, String> words = new Topic<>("words", Serdes.String(), Serdes.String());
    private final Topic<String, Long> counts = new Topic<>("counts", Serdes.String(), Serdes.Long());

    @Test
    void aRecordGoesToItsTopicsHandlerDecodedWithThatTopicsSerde() {
        TopicRoutes<String> routes = new TopicRoutes<String>()
                .on(words, (r, word) -> r.key() + " said " + word.toUpperCase())
                .on(counts, (r, n) -> r.key() + " counted " + (n + 1));
        assertThat(routes.names()).as("in the order added").containsExactly("words", "counts");

        assertThat(routes.route(record("words", "hello".getBytes(StandardCharsets.UTF_8))))
                .contains("k said HELLO");
        assertThat(routes.route(record("counts", Serdes.Long().serializer().serialize("counts", 41L))))
                .contains("k counted 42");
        assertThat(routes.route(record("counts", null))).as("a tombstone").isEmpty();
        assertThat(routes.route(record("other", new byte[] {1})))
                .as("a topic not routed")
                .isEmpty();
    }

    @Test
    void aTopicRoutedTwiceIsRefused() {
        TopicRoutes<String> routes = new TopicRoutes<String>().on(words, (r, w) -> w);
        assertThatThrownBy(() -> routes.on(new Topic<>("words", Serdes.String(), Serdes.Long()), (r, n) -> ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("words");
    }

    private static ConsumerRecord<String, byte[]> record(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 0, "k", value);
    }
}
