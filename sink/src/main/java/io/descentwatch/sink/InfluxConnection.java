package io.descentwatch.sink;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's side of InfluxDB: the client (with its timeouts and credentials), the wait for the database, the
 * writes and what a failed write means (retry, give up on some points, or stop for a grant).
 */
final class InfluxConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InfluxConnection.class);
    private static final int CONNECT_TIMEOUT_S = 5;
    /** A batch of thousands of points may take InfluxDB a while to index. */
    private static final int READ_WRITE_TIMEOUT_S = 30;

    /** What a failed write means. */
    enum Failure {
        RETRY,
        POINTS_REFUSED
    }

    private final SinkSettings settings;
    private final InfluxDB influx;
    private final InfluxDatabase database;
    private final AtomicLong written = new AtomicLong();

    InfluxConnection(SinkSettings settings) {
        this.settings = settings;
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
                .readTimeout(READ_WRITE_TIMEOUT_S, TimeUnit.SECONDS)
                .writeTimeout(READ_WRITE_TIMEOUT_S, TimeUnit.SECONDS);
        this.influx = settings.user == null || settings.user.isBlank()
                ? InfluxDBFactory.connect(settings.url, http)
                : InfluxDBFactory.connect(settings.url, settings.user, settings.password(), http);
        this.database = new InfluxDatabase(influx, settings.url, settings.database, settings.user);
    }

    long pointsWritten() {
        return written.get();
    }

    /** One write; its points count as written once InfluxDB has acknowledged them. */
    void write(BatchPoints batch) {
        influx.write(batch);
        written.addAndGet(batch.getPoints().size());
    }

    /**
     * What a failed write means: a retry (InfluxDB unreachable or busy) or points InfluxDB stored the batch
     * without and will never take. Credentials or grants no retry can fix are thrown as
     * {@link InfluxDatabase.AccessDenied}, naming the user and the grant it needs.
     */
    Failure classify(RuntimeException failure) {
        // before the partial-write check: influxdb-java files a missing user under unable-to-parse
        Optional<InfluxDatabase.AccessDenied> denied = database.accessDenied(failure);
        if (denied.isPresent()) {
            throw denied.get();
        }
        if (failure instanceof InfluxDBException.UnableToParseException
                || failure instanceof InfluxDBException.FieldTypeConflictException
                || failure instanceof InfluxDBException.PointsBeyondRetentionPolicyException) {
            return Failure.POINTS_REFUSED;
        }
        return Failure.RETRY;
    }

    /**
     * Waits for InfluxDB and its database, retrying while InfluxDB is unreachable; fails at once on what a retry
     * cannot fix (credentials, grants), naming the user and the grant it needs.
     *
     * @return what was found, or null when stopped meanwhile
     */
    String awaitDatabase(BooleanSupplier stopping) {
        Backoff backoff = new Backoff(settings.maxBackoff());
        String lastProblem = null;
        while (!stopping.getAsBoolean()) {
            try {
                return database.ensure();
            } catch (InfluxDatabase.AccessDenied e) {
                throw e;
            } catch (RuntimeException e) {
                // broad: until InfluxDB answers, whatever its client throws (unreachable, a proxy's error page
                // that does not parse) is retried; one line per new problem, not one per retry
                if (!Objects.equals(lastProblem, e.getMessage())) {
                    log.warn(
                            "InfluxDB at {} failed to answer ({}); retrying with backoff up to {} ms",
                            settings.url,
                            e.getMessage(),
                            settings.maxBackoffMs);
                    lastProblem = e.getMessage();
                }
                sleep(backoff.next().toMillis());
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An InfluxQL identifier in double quotes, escaped. */
    static String quoted(String identifier) {
        return "\"" + identifier.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        influx.close();
    }
}
