package io.descentwatch.producer.jobs;

import io.descentwatch.producer.output.EventOutput;
import io.descentwatch.producer.training.AdvisedStopping;
import io.descentwatch.producer.training.Evaluation;
import io.descentwatch.producer.training.RunSpec;
import io.descentwatch.producer.training.SweepRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of the consumer group on the jobs topic: takes one job at a time, trains the run, publishes its
 * events, and commits the job's offset only once the run's last event is delivered. A worker that dies mid-run
 * commits nothing, so the group hands the job to another worker, which trains the run again from scratch (same
 * seed: the same losses; the detector ignores the epochs it has already seen).
 *
 * <p>Runs on its own thread ({@link #run}); {@link #stop} ends it between jobs or, interrupting, mid-run.
 */
public final class JobWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

    /** What the worker has done, for logs and tests. */
    public interface Listener {
        default void jobStarted(RunSpec run) {}

        default void jobFinished(RunSpec run, Evaluation last) {}

        default void jobRejected(String key, String reason) {}
    }

    private final Properties consumerProperties;
    private final String jobsTopic;
    private final EventOutput sink;
    private final Listener listener;
    private final Clock clock;
    private final JobCodec codec = new JobCodec();
    private final AtomicLong events = new AtomicLong();
    private volatile boolean stopping;
    private volatile RuntimeException failure;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile AdvisedStopping advice;

    /**
     * @param maxRunTime the longest a run may take: the worker does not poll while training, and Kafka takes its
     *                   jobs away from a member that has not polled for this long
     */
    public JobWorker(
            Properties clientProperties,
            String groupId,
            String jobsTopic,
            EventOutput sink,
            Duration maxRunTime,
            Listener listener,
            Clock clock) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, String.valueOf(maxRunTime.toMillis()));
        // the KIP-848 protocol moves a stopped member's partitions to the others without waiting for busy members
        // to rejoin (Kafka 4.0+ brokers; --kafka-property group.protocol=classic for older ones)
        p.putIfAbsent(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        this.consumerProperties = p;
        this.jobsTopic = jobsTopic;
        this.sink = sink;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Each run this worker trains ends at the first STOP of DescentWatch's stopping advice, computed here on the
     * run's own evaluations (its last event is marked final), instead of at its last epoch; null: at its last epoch.
     * Set before {@link #run}.
     */
    public JobWorker stopping(AdvisedStopping advice) {
        this.advice = advice;
        return this;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
        consumer = c;
        try {
            c.subscribe(List.of(jobsTopic));
            while (!stopping) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (stopping) {
                        return;
                    }
                    process(c, record);
                }
            }
        } catch (WakeupException | InterruptException e) {
            log.info("worker stopped");
        } catch (InterruptedException e) {
            log.info("worker stopped mid-run; its job stays uncommitted and goes to another worker");
        } catch (RuntimeException e) {
            // broad: a worker reports why it stopped rather than dying silently; e.g. Kafka took no events within the
            // delivery timeout: the job stays uncommitted for another try
            failure = e;
            log.error("worker failed: {}", e.getMessage());
        } finally {
            consumer = null;
            // leave the group now, so the uncommitted job moves to another worker at once; an interrupt still
            // pending would make close() give up before it has told the group
            Thread.interrupted();
            c.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        }
    }

    private void process(KafkaConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> record)
            throws InterruptedException {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        RunSpec run;
        try {
            run = codec.decode(record.value());
        } catch (JobCodec.BadJobException e) {
            // a job no worker can read would block its partition forever: report it and move past it
            log.error(
                    "skipping job {} at {}-{}@{}: {}",
                    record.key(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            listener.jobRejected(record.key(), e.getMessage());
            commit(c, partition, record.offset());
            return;
        }
        listener.jobStarted(run);
        log.info("training {} ({} width {} seed {})", run.runId(), run.preset(), run.width(), run.seed());
        Evaluation last;
        try {
            last = SweepRunner.trainOne(run, sink, new SweepRunner.Progress() {}, events, clock, advice);
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            // broad: whatever one run threw, the worker decides on its job (commit or retry) and goes on
            if (Thread.currentThread().isInterrupted() || stopping) {
                throw new InterruptedException("stopped during " + run.runId());
            }
            // a run that cannot be trained (bad settings) will not train elsewhere either; a sink failure is
            // different: the events did not arrive, so the job must stay uncommitted for another try
            if (e instanceof IllegalArgumentException) {
                log.error("job {} cannot be trained: {}", run.runId(), e.getMessage());
                listener.jobRejected(record.key(), e.getMessage());
                commit(c, partition, record.offset());
                return;
            }
            throw e;
        }
        commit(c, partition, record.offset());
        listener.jobFinished(run, last);
    }

    private static void commit(KafkaConsumer<String, byte[]> c, TopicPartition partition, long offset) {
        c.commitSync(Map.of(partition, new OffsetAndMetadata(offset + 1)));
    }

    /** Why the worker ended, if it failed (null while it runs or after a clean stop). */
    public RuntimeException failure() {
        return failure;
    }

    /** Events this worker has published. */
    public long events() {
        return events.get();
    }

    /** Stops after the current job. */
    public void stop() {
        stopping = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /**
     * Stops now, as a crash would: the run in progress is abandoned and its job is not committed. (A crash of the
     * process leaves the job to the group after the session timeout; this leaves it at once.)
     */
    public void kill() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
