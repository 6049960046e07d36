package io.descentwatch.bench;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produce-to-alert latency at a steady event rate: each run alert is matched to the send time of the event that
 * raised it (same run, same epoch) and timed when a read_committed consumer sees it. Each repetition starts a fresh
 * detector, and the events of its first seconds (the warm-up) are sent at the rate but not timed: a new detector's
 * first transactions add each of its output partitions to a transaction and fetch their metadata, which put the
 * first burst of alerts of every later repetition at a p99 of 287-306 ms where the later bursts of the same
 * repetition had 146-184 ms (docs/benchmarks.md, "Latency at a steady 10,000 events/s").
 */
final class AlertLatencyBench {

    /**
     * Evaluations per second of one run: every run gets this rate, and the number of runs training at once grows
     * with the total rate, as in a sweep where more workers publish.
     */
    private static final int EVALUATIONS_PER_RUN_SECOND = 20;

    /**
     * The load generator wakes at most once per tick and sends every event due by then, as many trainers publishing
     * at once do. Woken for each event (each park a timer and a futex), its thread took 18-22% of a core at 10,000
     * events/s, on the cores this process's broker and detector share; with the tick the process took 0-20 points
     * less of the machine at the same rate (docs/benchmarks.md, "The commit interval at 50 ms"). Each event is timed
     * from when it was sent, not when it was due.
     */
    private static final long SEND_TICK_NANOS = 1_000_000;

    /**
     * @param cpuShare the benchmark process's mean CPU use while events were sent, as a share of all the machine's
     *     cores: broker, detector and load generator share this process, so near 1 the machine is saturated and the
     *     latency is queueing
     */
    record Result(int rate, double achievedRate, Stats latencyMs, long events, double cpuShare) {

        /** Repetitions at one rate as one: the median of each figure, the alerts of all of them. */
        static Result median(List<Result> runs) {
            Stats m = new Stats(
                    Stats.median(runs.stream().map(r -> r.latencyMs().median()).toList()),
                    Stats.median(runs.stream().map(r -> r.latencyMs().p99()).toList()),
                    Stats.median(runs.stream().map(r -> r.latencyMs().max()).toList()),
                    runs.stream().mapToInt(r -> r.latencyMs().n()).sum());
            return new Result(
                    runs.get(0).rate(),
                    Stats.median(runs.stream().map(Result::achievedRate).toList()),
                    m,
                    runs.stream().mapToLong(Result::events).sum(),
                    Stats.median(runs.stream().map(Result::cpuShare).toList()));
        }
    }

    static Result run(KafkaSettings kafka, int rate, Duration warmUp, Duration duration, int epochsPerRun)
            throws Exception {
        TopicSettings topics =
                TopicSettings.defaults().prefixed("bench-latency-" + rate + "-" + System.nanoTime() + ".");
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        try (ScratchDirectory state = ScratchDirectory.create("bench-latency-");
                DetectorApp app = new DetectorApp(
                                kafka,
                                topics,
                                DetectionSettings.defaults(),
                                StreamsAppSettings.defaults("bench-latency-" + System.nanoTime(), state.path()))
                        .start()) {
            if (!app.awaitRunning(Duration.ofMinutes(2))) {
                throw new IllegalStateException("detector did not start");
            }
            Thread reader =
                    new Thread(() -> readAlerts(kafka, topics.alerts, sentAt, latencies, stop), "latency-reader");
            reader.start();
            long[] produced;
            double cpuShare;
            try (CpuSampler cpu = CpuSampler.start()) {
                produced = produceAtRate(kafka, topics.epochs, rate, warmUp, duration, epochsPerRun, sentAt);
                cpuShare = cpu.meanShare();
            }
            Thread.sleep(3000);
            stop.set(true);
            reader.join(10_000);
            double achieved = produced[0] / (produced[1] / 1e9);
            return new Result(rate, achieved, Stats.of(latencies), produced[0], cpuShare);
        }
    }

    /** Returns {events timed, nanoseconds they took to send}; the warm-up's events go first, untimed. */
    private static long[] produceAtRate(
            KafkaSettings kafka,
            String topic,
            int rate,
            Duration warmUp,
            Duration duration,
            int epochsPerRun,
            Map<String, Long> sentAt) {
        EpochEventCodec codec = new EpochEventCodec();
        SyntheticRuns runs = new SyntheticRuns("lat" + rate, epochsPerRun);
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        long untimed = rate * warmUp.toSeconds();
        long total = untimed + rate * duration.toSeconds();
        long intervalNanos = 1_000_000_000L / rate;
        int concurrentRuns = Math.max(1, rate / EVALUATIONS_PER_RUN_SECOND);
        int[] nextEpoch = new int[concurrentRuns];
        int[] runOfSlot = new int[concurrentRuns];
        int nextRun = 0;
        for (int s = 0; s < concurrentRuns; s++) {
            runOfSlot[s] = nextRun++;
            nextEpoch[s] = 1;
        }
        long start = System.nanoTime();
        long timedFrom = start + untimed * intervalNanos;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    // up to the end of the event's send tick, and then everything due by then goes at once
                    LockSupport.parkNanos(wait + Math.floorMod(start - due, SEND_TICK_NANOS));
                }
                int slot = (int) (i % concurrentRuns);
                int run = runOfSlot[slot];
                int epoch = nextEpoch[slot];
                String runId = runs.runId(run);
                if (i >= untimed) {
                    sentAt.put(runId + "@" + epoch, System.nanoTime());
                }
                producer.send(new ProducerRecord<>(topic, runId, codec.encode(runs.event(run, epoch, Instant.now()))));
                if (epoch == epochsPerRun) {
                    runOfSlot[slot] = nextRun++;
                    nextEpoch[slot] = 1;
                } else {
                    nextEpoch[slot] = epoch + 1;
                }
            }
            producer.flush();
        }
        return new long[] {total - untimed, System.nanoTime() - timedFrom};
    }

    private static void readAlerts(
            KafkaSettings kafka, String topic, Map<String, Long> sentAt, List<Double> latencies, AtomicBoolean stop) {
        AlertCodec codec = new AlertCodec();
        Properties c = kafka.clientProperties();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-reader-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    Decoded<Alert> d = codec.decode(r.value());
                    if (!d.isValid() || d.value().scope() != AlertScope.RUN) {
                        continue;
                    }
                    Long sent = sentAt.get(d.value().runId() + "@" + d.value().epoch());
                    if (sent != null) {
                        latencies.add((now - sent) / 1e6);
                    }
                }
            }
        }
    }
}
