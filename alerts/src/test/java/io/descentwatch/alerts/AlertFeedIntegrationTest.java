package io.descentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertType;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.TestServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The feed on the real in-process broker. */
class AlertFeedIntegrationTest {

    private final KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());

    private static Alert alert(AlertType type, String run, String sweep, int i) {
        return Alert.of(type)
                .run(run)
                .sweep(sweep)
                .epoch(i)
                .paramCount(100)
                .trainSize(100)
                .message("alert " + i)
                .at(Instant.EPOCH.plusSeconds(i))
                .build();
    }

    private String topicWith(List<Alert> alerts) {
        TopicSettings topics = TestServices.freshTopics("alert-feed");
        new TopicProvisioner(kafka.clientProperties()).ensure(List.of(TopicProvisioner.topic(topics.alerts, topics)));
        publish(topics.alerts, alerts);
        return topics.alerts;
    }

    private void publish(String topic, List<Alert> alerts) {
        Properties p = kafka.clientProperties();
        p.put("enable.idempotence", "false");
        AlertCodec codec = new AlertCodec();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (Alert a : alerts) {
                producer.send(new ProducerRecord<>(topic, a.sweepId(), codec.encode(a)));
            }
            // a record that is not an alert: skipped, the feed goes on
            producer.send(new ProducerRecord<>(topic, "x", "not json".getBytes()));
        }
    }

    @Test
    void fromTheBeginningEveryMatchingAlertArrivesOnceInOrderPerSweep() throws Exception {
        List<Alert> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sent.add(alert(
                    i % 3 == 0 ? AlertType.SECOND_DESCENT : AlertType.TEST_LOSS_RISING,
                    "s" + (i % 2) + "/r" + i,
                    "s" + (i % 2),
                    i));
        }
        String topic = topicWith(sent);
        List<Alert> got = new ArrayList<>();
        AlertFilter filter = new AlertFilter(Set.of(AlertType.SECOND_DESCENT), "s0", null);
        try (AlertFeed feed = new AlertFeed(kafka.clientProperties(), topic, null, true, filter)) {
            feed.run(got::add, 5);
        }
        List<Alert> expected = sent.stream().filter(filter::test).toList();
        assertThat(expected).hasSize(5);
        assertThat(got).containsExactlyElementsOf(expected);
    }

    @Test
    void aGroupResumesAfterTheLastAlertItHandledAndAFailedHandlerLeavesItsAlertForNextTime() throws Exception {
        List<Alert> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(alert(AlertType.SECOND_DESCENT, "g/r" + i, "g", i));
        }
        String topic = topicWith(sent);
        String group = "feed-test-" + System.nanoTime();
        List<Alert> first = new ArrayList<>();
        try (AlertFeed feed = new AlertFeed(kafka.clientProperties(), topic, group, true, AlertFilter.ALL)) {
            feed.run(
                    a -> {
                        if (a.epoch() == 3) {
                            throw new IllegalStateException("webhook down");
                        }
                        first.add(a);
                    },
                    0);
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("webhook down");
        }
        assertThat(first).containsExactlyElementsOf(sent.subList(0, 3));

        List<Alert> second = new ArrayList<>();
        try (AlertFeed feed = new AlertFeed(kafka.clientProperties(), topic, group, true, AlertFilter.ALL)) {
            feed.run(second::add, 3);
        }
        assertThat(second).containsExactlyElementsOf(sent.subList(3, 6));
    }

    @Test
    void aDigestsAlertsAreCommittedOnlyOnceTheDigestWasDelivered() throws Exception {
        List<Alert> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(alert(AlertType.TEST_LOSS_RISING, "d/r" + i, "d", i));
        }
        Alert peak = alert(AlertType.MODEL_WISE_PEAK, "d/r3", "d", 6);
        sent.add(3, peak);
        String topic = topicWith(sent);
        String group = "digest-test-" + System.nanoTime();
        List<AlertDigest.Notice> first = new ArrayList<>();
        try (AlertFeed feed = new AlertFeed(kafka.clientProperties(), topic, group, true, AlertFilter.ALL)) {
            feed.deliver(
                    new DigestDelivery(new AlertDigest(Duration.ofMillis(300)), Clock.systemUTC(), n -> {
                        if (n instanceof AlertDigest.Digest) {
                            throw new IllegalStateException("webhook down");
                        }
                        first.add(n);
                    }),
                    0);
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("webhook down");
        }
        assertThat(first).as("the sweep's finding went out at once").containsExactly(new AlertDigest.Single(peak));

        // nothing of the undelivered digest was committed: the next start delivers it (and the peak again, since
        // it came after alerts that were not delivered: at least once, never lost)
        List<AlertDigest.Notice> second = new ArrayList<>();
        try (AlertFeed feed = new AlertFeed(kafka.clientProperties(), topic, group, true, AlertFilter.ALL)) {
            feed.deliver(
                    new DigestDelivery(new AlertDigest(Duration.ofHours(1)), Clock.systemUTC(), second::add),
                    sent.size());
        }
        List<Alert> runAlerts = sent.stream().filter(a -> a != peak).toList();
        assertThat(second).containsExactly(new AlertDigest.Single(peak), new AlertDigest.Digest("d", runAlerts));

        // everything was delivered and committed: a third start has nothing to deliver
        List<AlertDigest.Notice> third = new ArrayList<>();
        try (AlertFeed feed = new AlertFeed(kafka.clientProperties(), topic, group, true, AlertFilter.ALL)) {
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    return;
                }
                feed.stop();
            });
            stopper.start();
            feed.deliver(new DigestDelivery(new AlertDigest(Duration.ofHours(1)), Clock.systemUTC(), third::add), 0);
            stopper.join();
        }
        assertThat(third).isEmpty();
    }

    @Test
    void withoutFromBeginningOnlyNewAlertsArrive() throws Exception {
        String topic = topicWith(List.of(alert(AlertType.DIVERGED, "old/r", "old", 1)));
        List<Alert> got = new ArrayList<>();
        Alert fresh = alert(AlertType.DIVERGED, "new/r", "new", 2);
        try (AlertFeed feed = new AlertFeed(kafka.clientProperties(), topic, null, false, AlertFilter.ALL)) {
            Thread publisher = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    return;
                }
                publish(topic, List.of(fresh));
            });
            publisher.start();
            feed.run(got::add, 1);
            publisher.join();
        }
        assertThat(got).containsExactly(fresh);
    }
}
