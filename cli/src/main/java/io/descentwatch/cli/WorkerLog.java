package io.descentwatch.cli;

import io.descentwatch.events.Advice;
import io.descentwatch.producer.jobs.JobWorker;
import io.descentwatch.producer.training.AdvisedStopping;
import io.descentwatch.producer.training.Evaluation;
import io.descentwatch.producer.training.RunSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the workers of {@code worker} tell the person running it (one line per job started and finished, skipped
 * jobs on stderr), and whether they have had nothing to do for a while, for {@code --exit-when-idle}.
 */
final class WorkerLog implements JobWorker.Listener {

    private final PrintWriter out;
    private final PrintWriter err;
    private final AdvisedStopping advised;
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());

    /** @param advised the stopping of {@code --stop auto} (null for {@code end}): a run it stopped says why */
    WorkerLog(PrintWriter out, PrintWriter err, AdvisedStopping advised) {
        this.out = out;
        this.err = err;
        this.advised = advised;
    }

    @Override
    public void jobStarted(RunSpec run) {
        busy.incrementAndGet();
        lastActivity.set(System.nanoTime());
        synchronized (out) {
            out.printf("training %s%n", run.runId());
            out.flush();
        }
    }

    @Override
    public void jobFinished(RunSpec run, Evaluation last) {
        busy.decrementAndGet();
        lastActivity.set(System.nanoTime());
        synchronized (out) {
            out.printf(
                    "trained %s: epoch %d, train loss %.4g, test loss %.4g%n",
                    run.runId(), last.epoch(), last.trainLoss(), last.testLoss());
            Advice stop = advised == null ? null : advised.stopped().get(run.runId());
            if (stop != null) {
                out.printf("  %s: stopped at epoch %d: %s%n", run.runId(), stop.epoch(), stop.reason());
            }
            out.flush();
        }
    }

    @Override
    public void jobRejected(String key, String reason) {
        lastActivity.set(System.nanoTime());
        err.println("descentwatch worker: skipped job " + key + ": " + reason);
    }

    /** Whether no worker is training and none started or finished a job for at least {@code idle}. */
    boolean idleFor(Duration idle) {
        return busy.get() == 0 && System.nanoTime() - lastActivity.get() > idle.toNanos();
    }
}
