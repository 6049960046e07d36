package io.descentwatch.producer.training;

import io.descentwatch.producer.output.EventOutput;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trains a sweep's runs in this process, one run per worker thread at a time, each worker single-threaded in
 * ND4J by default (one per core beats fewer multi-threaded ones on these small matrices). Each run's events go
 * to the sink in epoch order; the sink is flushed when a run ends, so a finished run is a delivered run. The
 * first failure (a run's exception, or a sink that cannot deliver) stops the other runs and is raised.
 */
public final class SweepRunner {

    /** Hears the sweep's progress; called from worker threads. */
    public interface Progress {
        default void runStarted(RunSpec run, RunShape shape) {}

        default void epochs(long completed) {}

        default void runFinished(RunSpec run, Evaluation last) {}
    }

    /** What a sweep did. */
    public record Outcome(int runs, long events) {}

    private final int workers;
    private final int threadsPerWorker;
    private final Clock clock;
    private AdvisedStopping stopping;

    public SweepRunner(int workers, int threadsPerWorker, Clock clock) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1");
        }
        this.workers = workers;
        this.threadsPerWorker = threadsPerWorker;
        this.clock = clock;
    }

    /** Runs end at the first STOP of DescentWatch's stopping advice instead of at their last epoch. */
    public SweepRunner stopping(AdvisedStopping advice) {
        this.stopping = advice;
        return this;
    }

    public Outcome run(List<RunSpec> runs, EventOutput sink, Progress progress) throws InterruptedException {
        Nd4jRuntime.configure(threadsPerWorker);
        // the longest runs first, so no worker is left with a big one at the end while the others idle
        List<RunSpec> order = new ArrayList<>(runs);
        order.sort(Comparator.comparingDouble(SweepRunner::cost).reversed());
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, Math.max(1, runs.size())), r -> {
            Thread t = new Thread(r, "dw-train-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicLong events = new AtomicLong();
        ExecutorCompletionService<RunSpec> done = new ExecutorCompletionService<>(pool);
        try {
            for (RunSpec run : order) {
                done.submit(() -> {
                    try {
                        trainOne(
                                run,
                                sink,
                                progress,
                                events,
                                clock,
                                stopping == null ? RunObserver.NONE : stopping.observer());
                        return run;
                    } catch (InterruptedException | RuntimeException e) {
                        throw new RunFailure(run, e);
                    }
                });
            }
            for (int i = 0; i < order.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    // the first failure stops the sweep at once: no point training runs whose events cannot go out
                    pool.shutdownNow();
                    Throwable cause = e.getCause() instanceof RunFailure f ? f.getCause() : e.getCause();
                    String runId = e.getCause() instanceof RunFailure f ? f.run.runId() : "a run";
                    throw new SweepFailedException(
                            "run " + runId + " failed: "
                                    + (cause.getMessage() == null ? cause.toString() : cause.getMessage()),
                            cause);
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        return new Outcome(runs.size(), events.get());
    }

    /** Trains one run to completion and delivers its events: what a worker does with one job. */
    public static Evaluation trainOne(RunSpec run, EventOutput sink, Progress progress, AtomicLong events, Clock clock)
            throws InterruptedException {
        return trainOne(run, sink, progress, events, clock, RunObserver.NONE);
    }

    /**
     * As {@link #trainOne(RunSpec, EventOutput, Progress, AtomicLong, Clock)}, ending the run at the first STOP of
     * {@code stopping}'s advice when it is not null: what a worker with {@code --stop auto} does with one job.
     */
    public static Evaluation trainOne(
            RunSpec run, EventOutput sink, Progress progress, AtomicLong events, Clock clock, AdvisedStopping stopping)
            throws InterruptedException {
        return trainOne(run, sink, progress, events, clock, stopping == null ? RunObserver.NONE : stopping.observer());
    }

    /** As {@link #trainOne(RunSpec, EventOutput, Progress, AtomicLong, Clock)}, with {@code stop} asked to end it. */
    static Evaluation trainOne(
            RunSpec run, EventOutput sink, Progress progress, AtomicLong events, Clock clock, RunObserver stop)
            throws InterruptedException {
        Preset preset = Presets.named(run.preset());
        Evaluation[] last = new Evaluation[1];
        RunReporter reporter = new RunReporter(
                event -> {
                    sink.publish(event);
                    events.incrementAndGet();
                },
                clock);
        preset.train(run, RunObserver.both(RunObserver.both(stop, reporter), new RunObserver() {
            long reported;

            @Override
            public void started(RunSpec r, RunShape shape) {
                progress.runStarted(r, shape);
            }

            @Override
            public void epochDone(long epoch) {
                progress.epochs(epoch - reported);
                reported = epoch;
            }

            @Override
            public void evaluated(Evaluation evaluation, boolean isLast) {
                last[0] = evaluation;
            }
        }));
        sink.flush();
        progress.runFinished(run, last[0]);
        return last[0];
    }

    private static double cost(RunSpec run) {
        return (double) Presets.named(run.preset()).epochs(run) * Math.max(1, run.width());
    }

    /** Carries which run failed out of the pool. */
    private static final class RunFailure extends Exception {
        final RunSpec run;

        RunFailure(RunSpec run, Exception cause) {
            super(cause);
            this.run = run;
        }
    }

    /** A run of the sweep failed; the others were stopped. */
    public static final class SweepFailedException extends RuntimeException {
        public SweepFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
