package io.descentwatch.bench;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.serve.Serve;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * When each event of the sweeps goes out, sending them so, and what went out: each sweep's events as sent, and when
 * each of its runs' last event went out (System.nanoTime).
 */
final class SendSchedule {

    /** One event due at {@code offsetNanos} after the start of sending. */
    private record Due(long offsetNanos, int sweep, int run, int evaluation) {}

    private final List<LiveSweep> sweeps;
    private final List<Due> schedule;
    private final List<List<EpochEvent>> sent = new ArrayList<>();
    private final long[][] lastSent;

    SendSchedule(List<LiveSweep> sweeps, SweepLiveBench.Settings s) {
        this.sweeps = sweeps;
        this.schedule = schedule(sweeps, s);
        this.lastSent = new long[sweeps.size()][];
        for (int i = 0; i < sweeps.size(); i++) {
            sent.add(new ArrayList<>(sweeps.get(i).events()));
            lastSent[i] = new long[sweeps.get(i).runs.size()];
        }
    }

    /** How many events the schedule sends. */
    long events() {
        return schedule.size();
    }

    /** The events of sweep {@code sweep} as sent. */
    List<EpochEvent> sent(int sweep) {
        return sent.get(sweep);
    }

    /** When each run of sweep {@code sweep} sent its last event (System.nanoTime). */
    long[] lastSent(int sweep) {
        return lastSent[sweep];
    }

    /**
     * Each sweep starts at a random time within the stagger and sends its runs one after the other, its evaluations
     * one gap apart (and one gap between runs), as a trainer working through its sizes does.
     */
    private static List<Due> schedule(List<LiveSweep> sweeps, SweepLiveBench.Settings s) {
        Random random = new Random(s.seed());
        long gap = s.evaluationGap().toNanos();
        List<Due> due = new ArrayList<>();
        for (int i = 0; i < sweeps.size(); i++) {
            LiveSweep sweep = sweeps.get(i);
            long start = (long) (random.nextDouble() * s.stagger().toNanos());
            for (int r = 0; r < sweep.runs.size(); r++) {
                for (int k = 0; k < sweep.evaluations; k++) {
                    due.add(new Due(start + ((long) r * sweep.evaluations + k) * gap, i, r, k));
                }
            }
        }
        due.sort(Comparator.comparingLong(Due::offsetNanos));
        return due;
    }

    void send(Serve serve, ServeApiPoller poller, PrintWriter progress) throws InterruptedException {
        long total = events();
        Properties p = serve.kafka().clientProperties();
        // as a trainer's client: sent at once, a few milliseconds of batching at most
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        EpochEventCodec codec = new EpochEventCodec();
        String topic = TopicSettings.defaults().epochs;
        long start = System.nanoTime();
        long nextProgress = start + SweepLiveBench.PROGRESS_EVERY.toNanos();
        long count = 0;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (Due d : schedule) {
                long wait = start + d.offsetNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                LiveSweep sweep = sweeps.get(d.sweep());
                EpochEvent e = sweep.event(d.run(), d.evaluation(), Instant.now());
                long now = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, e.runId(), codec.encode(e)));
                sent.get(d.sweep()).add(e);
                if (d.evaluation() == sweep.evaluations - 1) {
                    lastSent[d.sweep()][d.run()] = now;
                }
                count++;
                if (now >= nextProgress) {
                    progress.printf(
                            Locale.ROOT,
                            "sweep-live: %3.0f s, sent %,d of %,d events; %s%n",
                            (now - start) / 1e9,
                            count,
                            total,
                            poller.summary());
                    progress.flush();
                    nextProgress += SweepLiveBench.PROGRESS_EVERY.toNanos();
                }
            }
            producer.flush();
        }
    }
}
