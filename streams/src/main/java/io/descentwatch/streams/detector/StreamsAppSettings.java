package io.descentwatch.streams.detector;

import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.options.Range;
import io.descentwatch.options.Ranges;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How the detector runs as a Kafka Streams application (its thresholds are in DetectionSettings). */
public class StreamsAppSettings {

    /** The processing guarantees a user may choose. */
    public enum Guarantee {
        EXACTLY_ONCE_V2(StreamsConfig.EXACTLY_ONCE_V2),
        AT_LEAST_ONCE(StreamsConfig.AT_LEAST_ONCE);

        final String config;

        Guarantee(String config) {
            this.config = config;
        }
    }

    @Option(
            names = "--application-id",
            defaultValue = "${env:DW_APPLICATION_ID:-descentwatch-detector}",
            description = "Kafka Streams application id: instances with the same id share the work "
                    + "(env DW_APPLICATION_ID; default ${DEFAULT-VALUE}).")
    public String applicationId;

    @Option(
            names = "--state-dir",
            defaultValue = "${env:DW_STATE_DIR:-${sys:user.home}/.descentwatch/streams}",
            description = "Where RocksDB keeps run and sweep state; it is rebuilt from the changelog if lost "
                    + "(env DW_STATE_DIR; default ${DEFAULT-VALUE}).")
    public Path stateDir;

    @Option(
            names = "--commit-interval-ms",
            defaultValue = "${env:DW_COMMIT_INTERVAL_MS:-50}",
            description = "How often results are committed. Under exactly-once an alert becomes visible only at "
                    + "commit, so this bounds alert latency; at 50 ms the p99 at 10,000 events/s stayed under "
                    + "150 ms on 2 cores (at 100 ms, 151-177 ms), and twice the commits cost no measurable "
                    + "throughput (env DW_COMMIT_INTERVAL_MS; default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "3600000")
    public long commitIntervalMs;

    @Option(
            names = "--summary-interval",
            defaultValue = "${env:DW_SUMMARY_INTERVAL:-PT1S}",
            description = "How often a run's summary goes to the runs topic when only its smoothed losses moved "
                    + "(a status, advice or final change goes at once). The runs topic feeds dashboards that "
                    + "refresh every 5 s or more and the live page's run table; at the commit interval, a detector "
                    + "with thousands of concurrent runs encoded and sent a summary for a third of its events, at "
                    + "four times the cost of a detector step; one second keeps the table live at a twentieth of that "
                    + "(env DW_SUMMARY_INTERVAL; ISO-8601, greater than zero; default ${DEFAULT-VALUE}).")
    @Range(above = "PT0S")
    public Duration summaryInterval;

    @Option(
            names = "--decoded-states",
            defaultValue = "${env:DW_DECODED_STATES:-10000}",
            description = "Run and sweep states kept decoded in memory per processing task, in front of RocksDB; "
                    + "a changed state is written to RocksDB and the changelog once per commit, not once per "
                    + "event. A run's state is a few KB, so the default holds 10,000 concurrently training runs "
                    + "in a few tens of MB; beyond it states are decoded from the store again (env "
                    + "DW_DECODED_STATES; default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "100000000")
    public int decodedStates;

    @Option(
            names = "--stream-threads",
            defaultValue = "${env:DW_STREAM_THREADS:-0}",
            description = "Processing threads in this instance; 0 = one per available core, since detection is "
                    + "CPU-bound and each thread takes whole partitions (env DW_STREAM_THREADS; default "
                    + "${DEFAULT-VALUE}).")
    @Range(min = "0", max = "1024")
    public int streamThreads;

    /** When runs and sweeps end without saying so: {@code --run-idle-timeout}, {@code --sweep-quiet}. */
    @Mixin
    public RunEndSettings runEnds = new RunEndSettings();

    public Duration runIdleTimeout() {
        return runEnds.runIdleTimeout;
    }

    public Duration sweepQuiet() {
        return runEnds.sweepQuiet;
    }

    /** The thread count to run with: the setting, or one per available core when it is 0. */
    public int effectiveStreamThreads() {
        return streamThreads > 0 ? streamThreads : Runtime.getRuntime().availableProcessors();
    }

    @Option(
            names = "--max-thread-failures",
            defaultValue = "${env:DW_MAX_THREAD_FAILURES:-5}",
            description = "Processing threads that may fail within --thread-failure-window and be replaced; one "
                    + "more and the detector stops with exit status 1. A passing fault (a broker lost, a timeout) "
                    + "fails a thread once or twice; an error that recurs on the same record or state fails every "
                    + "replacement within seconds, and five in an hour is such a loop, not bad luck (env "
                    + "DW_MAX_THREAD_FAILURES; default ${DEFAULT-VALUE}).")
    @Range(min = "0", max = "1000000")
    public int maxThreadFailures;

    @Option(
            names = "--thread-failure-window",
            defaultValue = "${env:DW_THREAD_FAILURE_WINDOW:-PT1H}",
            description = "The window --max-thread-failures counts in. An hour, longer than restoring a large "
                    + "state takes, so that a loop whose every turn restores the state still ends (env "
                    + "DW_THREAD_FAILURE_WINDOW; ISO-8601, greater than zero; default ${DEFAULT-VALUE}).")
    @Range(above = "PT0S")
    public Duration threadFailureWindow;

    /** The handler of failed processing threads these settings ask for. */
    public RepeatedFailureGuard failureGuard() {
        return new RepeatedFailureGuard(maxThreadFailures, threadFailureWindow, System::nanoTime);
    }

    @Option(
            names = "--processing-guarantee",
            defaultValue = "${env:DW_PROCESSING_GUARANTEE:-EXACTLY_ONCE_V2}",
            description = "${COMPLETION-CANDIDATES}: exactly-once means a restart neither loses nor repeats an "
                    + "alert (env DW_PROCESSING_GUARANTEE; default ${DEFAULT-VALUE}).")
    public Guarantee guarantee;

    /** The documented defaults (and DW_* environment variables) with the given identity and state directory. */
    public static StreamsAppSettings defaults(String applicationId, Path stateDir) {
        StreamsAppSettings s = Ranges.populate(new StreamsAppSettings());
        s.applicationId = applicationId;
        s.stateDir = stateDir;
        return s;
    }

    /**
     * How long the detector's producer waits to fill a batch under at-least-once, unless the Kafka properties set
     * it. Kafka Streams' own default is 100 ms, and under at-least-once nothing else flushes the producer before
     * the next commit, so every alert waited for it: at 1,000 events/s the produce-to-alert p50 was 66-86 ms with
     * 100 ms and 12-21 ms with 5 (docs/benchmarks.md). Under exactly-once the commit flushes the producer and the
     * linger made no difference measured, so Kafka Streams' default stays.
     */
    static final String AT_LEAST_ONCE_LINGER_MS = "5";

    /**
     * The largest batch the detector's producer fills per partition, unless the Kafka properties set it. With the
     * producer's default of 16 KiB a batch of run summaries (about 1,100 bytes each) was full after 15 and sent at
     * once, taking every other partition's partial batch along: about 800 produce requests a second at 200,000
     * events/s, each costing the broker 150-250 microseconds of CPU whatever it carried. Under exactly-once nothing is
     * read before the commit, so a batch sent early is not seen sooner; under at-least-once the 5 ms linger sends it
     * first. With 256 KiB the detector's requests fell by two thirds and its broker and producer threads' CPU per
     * event by a sixth (docs/benchmarks.md, "Where the broker's share goes").
     */
    static final String PRODUCER_BATCH_BYTES = String.valueOf(256 * 1024);

    /**
     * Under exactly-once, how much data the detector's main consumer asks the broker to gather for one fetch, and the
     * longest the broker may wait for it, unless the Kafka properties set them. With the consumer's defaults (1 byte,
     * 500 ms) a fetch is answered as soon as one record has come, so at 10,000 events/s the stream threads fetched
     * every few events: in the latency benchmark's steady stretch (2 cores) the in-process broker's request threads
     * took 53% of a core and the stream threads 40%; with 256 KiB and at most 5 ms, 34% and 23%. 10 ms rather than 5
     * halves how often an idle stream thread fetches (100 times a second; twice with the defaults). An alert waits at
     * most 10 ms more, against a commit interval (100 ms when measured, 50 now) before it can be read at all, and no
     * p99 moved beyond the benchmark's noise (docs/benchmarks.md, "Latency at a steady 10,000 events/s"). Under
     * at-least-once an alert is read tens of milliseconds after its event, so the consumer's defaults stay. At high
     * rates a fetch fills before the wait.
     */
    static final String EXACTLY_ONCE_FETCH_MIN_BYTES = String.valueOf(256 * 1024);

    static final String EXACTLY_ONCE_FETCH_MAX_WAIT_MS = "10";

    /** Streams properties on top of the Kafka client properties (bootstrap, security). */
    public Properties streamsProperties(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee.config);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(commitIntervalMs));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(effectiveStreamThreads()));
        // internal topics follow the cluster's default replication; a lone broker needs 1
        p.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1");
        // The run detector reads the epochs topic and, merged into it, the re-keyed fallback topic. Waiting for
        // both to have data would only delay alerts (events of one run never come through both), and the wait
        // check formats log strings on every record in Kafka Streams 4.4.
        p.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        handleGlobalStoreExceptions(p);
        // a dead letter is the rejected record plus its reason headers: it may be larger than the largest input
        p.putIfAbsent(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                String.valueOf(TopicProvisioner.DEAD_LETTER_MAX_BYTES));
        p.putIfAbsent(
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, UndeliverableRecordHandler.class.getName());
        putProducerDefault(p, ProducerConfig.BATCH_SIZE_CONFIG, PRODUCER_BATCH_BYTES);
        switch (guarantee) {
            case AT_LEAST_ONCE -> putProducerDefault(p, ProducerConfig.LINGER_MS_CONFIG, AT_LEAST_ONCE_LINGER_MS);
            case EXACTLY_ONCE_V2 -> {
                putMainConsumerDefault(p, ConsumerConfig.FETCH_MIN_BYTES_CONFIG, EXACTLY_ONCE_FETCH_MIN_BYTES);
                putMainConsumerDefault(p, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, EXACTLY_ONCE_FETCH_MAX_WAIT_MS);
            }
        }
        return p;
    }

    /**
     * The processing exception handler for the global store's processor too (the sweep chances), as for every other
     * processor. Kafka Streams 4.3 added this setting already deprecated (KIP-1270): Kafka Streams 5.0 removes it and
     * makes its {@code true} the only behaviour, so setting it now keeps the detector's behaviour across that upgrade.
     */
    @SuppressWarnings("deprecation")
    private static void handleGlobalStoreExceptions(Properties p) {
        p.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    }

    /** A producer setting of the detector's own, unless the Kafka properties set it, prefixed or not. */
    private static void putProducerDefault(Properties p, String key, String value) {
        putUnlessSet(p, StreamsConfig.producerPrefix(key), value, key);
    }

    /** A main consumer setting of the detector's own, unless the Kafka properties set it for any consumer. */
    private static void putMainConsumerDefault(Properties p, String key, String value) {
        putUnlessSet(p, StreamsConfig.mainConsumerPrefix(key), value, key, StreamsConfig.consumerPrefix(key));
    }

    private static void putUnlessSet(Properties p, String prefixed, String value, String... otherNames) {
        if (p.containsKey(prefixed) || Arrays.stream(otherNames).anyMatch(p::containsKey)) {
            return;
        }
        p.put(prefixed, value);
    }
}
