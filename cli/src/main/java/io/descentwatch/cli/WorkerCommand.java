package io.descentwatch.cli;

import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.options.Range;
import io.descentwatch.producer.jobs.JobWorker;
import io.descentwatch.producer.sink.EventSink;
import io.descentwatch.producer.sink.KafkaEventSink;
import io.descentwatch.producer.training.Evaluation;
import io.descentwatch.producer.training.Nd4jRuntime;
import io.descentwatch.producer.training.RunSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Takes training jobs from the jobs topic (a consumer group: start as many workers as you "
                + "like, anywhere), trains each run, publishes its epoch events, and commits a job only when its "
                + "run has finished, so the job of a worker that dies is trained by another.")
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--workers", defaultValue = "${env:DW_WORKERS:-0}",
            description = "Jobs trained at once by this process (env DW_WORKERS; default 0 = one per core).")
    @Range(min = "0", max = "1024")
    int workers;

    @Option(names = "--threads-per-worker", defaultValue = "${env:DW_THREADS_PER_WORKER:-1}",
            description = "ND4J threads per run (env DW_THREADS_PER_WORKER; default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1024")
    int threadsPerWorker;

    @Option(names = "--group", defaultValue = "${env:DW_WORKER_GROUP:-descentwatch-workers}",
            description = "Consumer group of the workers (env DW_WORKER_GROUP; default ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--max-run-time", defaultValue = "${env:DW_MAX_RUN_TIME:-PT1H}",
            description = "The longest one run may train (env DW_MAX_RUN_TIME; default ${DEFAULT-VALUE}): a worker "
                    + "does not poll Kafka while it trains, and a member silent for longer loses its jobs.")
    @Range(above = "PT0S", max = "P7D")
    Duration maxRunTime;

    @Option(names = "--delivery-timeout", defaultValue = "${env:DW_DELIVERY_TIMEOUT:-PT5M}",
            description = "How long events may wait for an unreachable Kafka before the worker stops with an error "
                    + "(env DW_DELIVERY_TIMEOUT; default ${DEFAULT-VALUE}).")
    @Range(above = "PT0S", max = "P1D")
    Duration deliveryTimeout;

    @Option(names = "--exit-when-idle", paramLabel = "DURATION", defaultValue = "${env:DW_EXIT_WHEN_IDLE}",
            description = "Exit after no job arrived for this long, e.g. PT30S (env DW_EXIT_WHEN_IDLE; default: "
                    + "run until stopped).")
    @Range(above = "PT0S", max = "P7D")
    Duration exitWhenIdle;

    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create the jobs and epochs topics if they are missing (default: on; "
                    + "--no-create-topics leaves them to an administrator).")
    boolean createTopics;

    @Mixin
    KafkaSettings kafka;

    @Mixin
    TopicSettings topics;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        if (createTopics) {
            new TopicProvisioner(kafka.clientProperties()).ensure(List.of(
                    TopicProvisioner.topic(topics.jobs, topics), TopicProvisioner.topic(topics.epochs, topics)));
        }
        Nd4jRuntime.configure(threadsPerWorker);
        int n = workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
        AtomicInteger busy = new AtomicInteger();
        AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        JobWorker.Listener listener = new JobWorker.Listener() {
            @Override
            public void jobStarted(RunSpec run) {
                busy.incrementAndGet();
                lastActivity.set(System.nanoTime());
                synchronized (stdout) {
                    stdout.printf("training %s%n", run.runId());
                    stdout.flush();
                }
            }

            @Override
            public void jobFinished(RunSpec run, Evaluation last) {
                busy.decrementAndGet();
                lastActivity.set(System.nanoTime());
                synchronized (stdout) {
                    stdout.printf("trained %s: epoch %d, train loss %.4g, test loss %.4g%n", run.runId(),
                            last.epoch(), last.trainLoss(), last.testLoss());
                    stdout.flush();
                }
            }

            @Override
            public void jobRejected(String key, String reason) {
                lastActivity.set(System.nanoTime());
                spec.commandLine().getErr().println("descentwatch worker: skipped job " + key + ": " + reason);
            }
        };
        List<JobWorker> pool = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (EventSink sink = KafkaEventSink.create(kafka.clientProperties(), topics.epochs, deliveryTimeout)) {
            for (int i = 0; i < n; i++) {
                JobWorker w = new JobWorker(kafka.clientProperties(), group, topics.jobs, sink, maxRunTime, listener,
                        Clock.systemUTC());
                Thread t = new Thread(w, "dw-worker-" + (i + 1));
                pool.add(w);
                threads.add(t);
                t.start();
            }
            ShutdownHook onExit = ShutdownHook.run("dw-worker-shutdown", () -> pool.forEach(JobWorker::stop));
            try {
                stdout.printf("%d workers in group %s take jobs from %s and publish to %s%n", n, group, topics.jobs,
                        topics.epochs);
                stdout.flush();
                while (threads.stream().anyMatch(Thread::isAlive)) {
                    for (Thread t : threads) {
                        t.join(500);
                    }
                    if (pool.stream().anyMatch(w -> w.failure() != null)) {
                        pool.forEach(JobWorker::stop);
                    }
                    if (exitWhenIdle != null && busy.get() == 0
                            && System.nanoTime() - lastActivity.get() > exitWhenIdle.toNanos()) {
                        pool.forEach(JobWorker::stop);
                    }
                }
            } finally {
                onExit.close();
            }
        }
        for (JobWorker w : pool) {
            if (w.failure() != null) {
                throw w.failure();
            }
        }
        long events = pool.stream().mapToLong(JobWorker::events).sum();
        stdout.printf("workers stopped; %d events published%n", events);
        return 0;
    }
}
