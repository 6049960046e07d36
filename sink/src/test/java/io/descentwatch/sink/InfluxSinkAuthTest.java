package io.descentwatch.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.InfluxServer;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink against a real InfluxDB with authentication on, set up as the InfluxDB image sets up the compose
 * stack: an admin, and the sink's user with ALL on its database but no admin rights (it may not CREATE DATABASE).
 * Also with an admin as the sink's user, and with authentication off. What no retry can fix ends the sink at once
 * with an error that names the user and the grant, never a loop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InfluxSinkAuthTest {

    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-secret";
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(20);

    private InfluxServer influx;
    private KafkaSettings kafka;
    private List<EpochEvent> events;
    private long points;

    @TempDir
    Path tmp;

    @BeforeAll
    void start() throws Exception {
        influx = InfluxServer.startWithAuth(ADMIN, ADMIN_PASSWORD);
        kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        events = InfluxSinkFaultTest.sample(LabelledCurves.epochwise(), 2);
        points = InfluxSinkFaultTest.distinctPoints(events);
    }

    @AfterAll
    void stop() {
        influx.close();
    }

    @Test
    void aUserWithAllOnAnExistingDatabaseButNoAdminRightsWritesEveryPoint() throws Exception {
        influx.asAdmin("CREATE DATABASE \"granted\"");
        influx.createUser("writer", "writer-secret");
        influx.asAdmin("GRANT ALL ON \"granted\" TO \"writer\"");
        SinkSettings s = settings("granted", "writer", "writer-secret");

        try (Running sink = run(s)) {
            awaitCount("granted", points);
            assertThat(sink.future.isDone()).as("the sink is still running").isFalse();
        }
    }

    @Test
    void aGrantRevokedWhileRunningStopsTheSinkWithTheGrantItNeedsAndCommitsNothingUnwritten() throws Exception {
        influx.asAdmin("CREATE DATABASE \"revoked\"");
        influx.createUser("revokee", "revokee-secret");
        influx.asAdmin("GRANT ALL ON \"revoked\" TO \"revokee\"");
        SinkSettings s = settings("revoked", "revokee", "revokee-secret");
        TopicSettings topics = topicsWithEvents();
        InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, s);
        CompletableFuture<Void> f = CompletableFuture.runAsync(sink);
        try {
            awaitCount("revoked", points);
            influx.asAdmin("REVOKE ALL ON \"revoked\" FROM \"revokee\"");
            InfluxSinkFaultTest.produce(kafka, topics.epochs, events.subList(0, 1));
            assertThatThrownBy(() -> f.get(FAILS_WITHIN.toSeconds(), TimeUnit.SECONDS))
                    .cause()
                    .hasMessageContaining("'revokee' may not write to database 'revoked'")
                    .hasMessageContaining("GRANT ALL ON \"revoked\" TO \"revokee\"");
        } finally {
            sink.close();
        }
        // the refused record's offset was not committed: a sink restarted once the grant is back resumes at it
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            long committed =
                    admin.listConsumerGroupOffsets(s.groupId).partitionsToOffsetAndMetadata().get().entrySet().stream()
                            .filter(e -> e.getKey().topic().equals(topics.epochs))
                            .mapToLong(e -> e.getValue().offset())
                            .sum();
            assertThat(committed).as("offsets committed for the epochs topic").isEqualTo(events.size());
        }
    }

    @Test
    void anInfluxDbNotUpYetIsWaitedForNotTakenForAnAccessProblem() throws Exception {
        influx.asAdmin("CREATE DATABASE \"late\"");
        influx.createUser("patient", "patient-secret");
        influx.asAdmin("GRANT ALL ON \"late\" TO \"patient\"");
        SinkSettings s = settings("late", "patient", "patient-secret");
        s.maxBackoffMs = 300;
        influx.stop();
        try (Running sink = run(s)) {
            Thread.sleep(2000);
            assertThat(sink.future.isDone()).as("still waiting for InfluxDB").isFalse();
            influx.restart();
            awaitCount("late", points);
        } finally {
            if (!influx.isRunning()) {
                influx.restart();
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the running sink is held only to be stopped at the end
    void anAdminCreatesTheMissingDatabaseAndWrites() throws Exception {
        SinkSettings s = settings("created_by_admin", ADMIN, ADMIN_PASSWORD);
        try (Running ignored = run(s)) {
            awaitCount("created_by_admin", points);
        }
    }

    @Test
    void withoutAuthenticationTheSinkCreatesTheDatabaseAndWrites() throws Exception {
        InfluxServer open = TestServices.influx();
        SinkSettings s = SinkSettings.defaults(open.url());
        s.database = "no_auth_" + System.nanoTime();
        s.groupId = "sink-auth-" + System.nanoTime();
        TopicSettings topics = topicsWithEvents();
        InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, s);
        CompletableFuture<Void> f = CompletableFuture.runAsync(sink);
        try {
            InfluxSinkFaultTest.awaitCount(open, s.database, points, Duration.ofSeconds(60));
        } finally {
            sink.close();
            f.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aUserWithoutAGrantOnAMissingDatabaseStopsWithTheGrantItNeeds() throws Exception {
        influx.createUser("nogrant", "nogrant-secret");
        SinkSettings s = settings("not_there", "nogrant", "nogrant-secret");
        assertThatThrownBy(() -> failureOf(s))
                .hasMessageContaining("'nogrant'")
                .hasMessageContaining("is not an admin")
                .hasMessageContaining("CREATE DATABASE \"not_there\"")
                .hasMessageContaining("GRANT ALL ON \"not_there\" TO \"nogrant\"");
    }

    @Test
    void aUserWithoutAGrantOnAnExistingDatabaseStopsWithTheGrantItNeeds() throws Exception {
        influx.asAdmin("CREATE DATABASE \"someone_elses\"");
        influx.createUser("outsider", "outsider-secret");
        SinkSettings s = settings("someone_elses", "outsider", "outsider-secret");
        assertThatThrownBy(() -> failureOf(s))
                .hasMessageContaining("'outsider'")
                .hasMessageContaining("GRANT ALL ON \"someone_elses\" TO \"outsider\"");
    }

    @Test
    void aWrongPasswordStopsWithAnErrorNamingTheUserAndNotThePassword() throws Exception {
        influx.createUser("mistyped", "right-secret");
        SinkSettings s = settings("whatever", "mistyped", "wrong-secret");
        assertThatThrownBy(() -> failureOf(s))
                .hasMessageContaining("rejected user 'mistyped'")
                .hasMessageContaining("DW_INFLUX_PASSWORD")
                .hasMessageNotContaining("wrong-secret");
    }

    @Test
    void noUserWhereAuthenticationIsOnStopsWithAnErrorSayingToSetOne() throws Exception {
        SinkSettings s = SinkSettings.defaults(influx.url());
        s.database = "anonymous";
        s.groupId = "sink-auth-" + System.nanoTime();
        assertThatThrownBy(() -> failureOf(s))
                .hasMessageContaining("has authentication on")
                .hasMessageContaining("--influx-user");
    }

    /** Runs a sink that must fail, and returns its failure; it must fail soon, not retry. */
    private void failureOf(SinkSettings s) throws Exception {
        InfluxSink sink = new InfluxSink(kafka.clientProperties(), topicsWithEvents(), s);
        CompletableFuture<Void> f = CompletableFuture.runAsync(sink);
        try {
            f.get(FAILS_WITHIN.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(count(s.database)).as("nothing written").isZero();
            throw (Exception) e.getCause();
        } finally {
            sink.close();
        }
        throw new AssertionError("the sink ended without an error");
    }

    private SinkSettings settings(String database, String user, String password) throws Exception {
        SinkSettings s = SinkSettings.defaults(influx.url());
        s.database = database;
        s.user = user;
        s.passwordFile = Files.writeString(tmp.resolve(user + "-" + System.nanoTime()), password + "\n");
        s.groupId = "sink-auth-" + System.nanoTime();
        return s;
    }

    private TopicSettings topicsWithEvents() {
        TopicSettings topics = TestServices.freshTopics("sink-auth");
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics),
                        TopicProvisioner.topic(topics.alerts, topics),
                        TopicProvisioner.compactedTopic(topics.runs, topics)));
        InfluxSinkFaultTest.produce(kafka, topics.epochs, events);
        return topics;
    }

    private Running run(SinkSettings s) {
        InfluxSink sink = new InfluxSink(kafka.clientProperties(), topicsWithEvents(), s);
        return new Running(sink, CompletableFuture.runAsync(sink));
    }

    private record Running(InfluxSink sink, CompletableFuture<Void> future) implements AutoCloseable {
        @Override
        public void close() throws ExecutionException, TimeoutException {
            sink.close();
            try {
                future.get(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the sink stopped", e);
            }
        }
    }

    private void awaitCount(String db, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long seen = 0;
        while (System.nanoTime() < deadline) {
            seen = count(db);
            if (seen >= expected) {
                assertThat(seen).isEqualTo(expected);
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("database " + db + " has " + seen + " epoch points, expected " + expected);
    }

    /** Epoch points in the database, read as the admin; 0 when the database does not exist. */
    private long count(String db) {
        try (InfluxDB client = InfluxDBFactory.connect(influx.url(), ADMIN, ADMIN_PASSWORD)) {
            QueryResult r = client.query(new Query("SELECT count(epoch) FROM epoch", db));
            if (r.getResults().get(0).getError() != null
                    || r.getResults().get(0).getSeries() == null) {
                return 0;
            }
            return ((Number) r.getResults()
                            .get(0)
                            .getSeries()
                            .get(0)
                            .getValues()
                            .get(0)
                            .get(1))
                    .longValue();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
