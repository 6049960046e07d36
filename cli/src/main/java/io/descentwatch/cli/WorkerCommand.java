package io.descentwatch.cli;

import io.descentwatch.events.Advice;
import io.descentwatch.options.Range;
import io.descentwatch.producer.jobs.JobWorker;
import io.descentwatch.producer.output.EventOutput;
import io.descentwatch.producer.output.KafkaOutput;
import io.descentwatch.producer.training.AdvisedStopping;
import io.descentwatch.producer.training.Nd4jRuntime;
import io.descentwatch.producer.training.StopMode;
import io.descentwatch.streams.detector.DetectionOptions;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = "Takes training jobs from the jobs topic (a consumer group: start as many workers as you "
                + "like, anywhere), trains each run, publishes its epoch events, and commits a job only when its "
                + "run has finished, so the job of a worker that dies is trained by another. With --stop auto each "
                + "run ends at the first STOP of the stopping advice.")
final class WorkerCommand extends Subcommand {

    /** How often the supervising thread looks at the workers: a failure or the idle limit is acted on this fast. */
    private static final Duration SUPERVISION_PERIOD = Duration.ofMillis(500);

    @Mixin
    WorkerOptions workers;

    @Option(
            names = "--group",
            defaultValue = "${env:DW_WORKER_GROUP:-descentwatch-workers}",
            description = "Consumer group of the workers (env DW_WORKER_GROUP; default ${DEFAULT-VALUE}).")
    String group;

    @Option(
            names = "--max-run-time",
            defaultValue = "${env:DW_MAX_RUN_TIME:-PT1H}",
            description = "The longest one run may train (env DW_MAX_RUN_TIME; default ${DEFAULT-VALUE}): a worker "
                    + "does not poll Kafka while it trains, and a member silent for longer loses its jobs.")
    @Range(above = "PT0S", max = "P7D")
    Duration maxRunTime;

    @Option(
            names = "--exit-when-idle",
            paramLabel = "DURATION",
            defaultValue = "${env:DW_EXIT_WHEN_IDLE}",
            description = "Exit after no job arrived for this long, e.g. PT30S (env DW_EXIT_WHEN_IDLE; default: "
                    + "run until stopped).")
    @Range(above = "PT0S", max = "P7D")
    Duration exitWhenIdle;

    @Option(
            names = "--stop",
            defaultValue = "${env:DW_STOP:-end}",
            description = "How each run this worker trains ends: end (its last epoch) or auto (at the first STOP of "
                    + "DescentWatch's stopping advice, computed here on the run's own evaluations: through the first "
                    + "bump while a second descent can still come, stopped once none can; its last event is marked "
                    + "final), as `train --stop`. Env DW_STOP; default ${DEFAULT-VALUE}: a preset's runs show their "
                    + "whole curve unless asked. Valid values: ${COMPLETION-CANDIDATES}. The --advice-* thresholds "
                    + "apply. A setting of the worker, not of the job `sweep` publishes: the advice is computed "
                    + "with this process's detection settings, like the detector's (set both from the same DW_* "
                    + "environment), and the job format stays the same, so workers of every version read every "
                    + "job; give all workers of a group the same --stop, since a job goes to whichever takes it.")
    StopMode stop;

    @Mixin
    DetectionOptions detection;

    @Mixin
    KafkaTarget kafka;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = out();
        kafka.ensureTopics(kafka.topics.jobs, kafka.topics.epochs);
        Nd4jRuntime.configure(workers.threadsPerWorker);
        AdvisedStopping advised = AdvisedStopping.of(stop, detection.settings());
        WorkerLog log = new WorkerLog(stdout, err(), advised);
        List<JobWorker> pool = new ArrayList<>();
        try (EventOutput sink =
                KafkaOutput.create(kafka.clientProperties(), kafka.topics.epochs, workers.deliveryTimeout)) {
            List<Thread> threads = start(pool, sink, log, advised);
            ShutdownHook onExit = ShutdownHook.run("dw-worker-shutdown", () -> pool.forEach(JobWorker::stop));
            try {
                stdout.printf(
                        "%d workers in group %s take jobs from %s and publish to %s%s%n",
                        pool.size(),
                        group,
                        kafka.topics.jobs,
                        kafka.topics.epochs,
                        advised == null ? "" : "; runs stop at the advice's first STOP (--stop auto)");
                stdout.flush();
                supervise(pool, threads, log);
            } finally {
                onExit.close();
            }
        }
        for (JobWorker w : pool) {
            if (w.failure() != null) {
                throw w.failure();
            }
        }
        stdout.printf(
                "workers stopped; %d events published%n",
                pool.stream().mapToLong(JobWorker::events).sum());
        if (advised != null) {
            Map<String, Advice> stopped = advised.stopped();
            stdout.printf("--stop auto: %d runs stopped early%n", stopped.size());
        }
        return 0;
    }

    /** One thread per worker, each a member of the consumer group. */
    private List<Thread> start(List<JobWorker> pool, EventOutput sink, WorkerLog log, AdvisedStopping advised) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers.count(); i++) {
            JobWorker w = new JobWorker(
                            kafka.clientProperties(),
                            group,
                            kafka.topics.jobs,
                            sink,
                            maxRunTime,
                            log,
                            Clock.systemUTC())
                    .stopping(advised);
            Thread t = new Thread(w, "dw-worker-" + (i + 1));
            pool.add(w);
            threads.add(t);
            t.start();
        }
        return threads;
    }

    /** Waits for the workers, stopping all of them when one fails or, with --exit-when-idle, when none has work. */
    private void supervise(List<JobWorker> pool, List<Thread> threads, WorkerLog log) throws InterruptedException {
        while (threads.stream().anyMatch(Thread::isAlive)) {
            for (Thread t : threads) {
                t.join(SUPERVISION_PERIOD.toMillis());
            }
            boolean failed = pool.stream().anyMatch(w -> w.failure() != null);
            if (failed || exitWhenIdle != null && log.idleFor(exitWhenIdle)) {
                pool.forEach(JobWorker::stop);
            }
        }
    }
}
