package io.descentwatch.streams.detector;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed processing thread gets. A fault that passes (a broker lost, a timeout) fails a thread now and
 * then, and a replacement, its state restored from the changelog, carries on: so the thread is replaced. An error
 * that recurs on the same record or the same state (state written by a newer format after a rollback, a bug one
 * input always hits) fails every replacement again, and replacing it forever would leave a process that looks
 * alive and does nothing. So once more than {@code maxFailures} threads failed within {@code window}, this
 * instance stops instead (SHUTDOWN_CLIENT: the other instances of the group are left running), with one line
 * saying why, and the process exits non-zero, so that an orchestrator shows the failure and restarts it.
 */
public final class RepeatedFailureGuard implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(RepeatedFailureGuard.class);

    private final int maxFailures;
    private final Duration window;
    private final LongSupplier nanoTime;
    private final Deque<Long> recent = new ArrayDeque<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> verdict = new AtomicReference<>();

    public RepeatedFailureGuard(int maxFailures, Duration window, LongSupplier nanoTime) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.nanoTime = nanoTime;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        failures.incrementAndGet();
        int inWindow;
        synchronized (recent) {
            long now = nanoTime.getAsLong();
            while (!recent.isEmpty() && now - recent.peekFirst() > window.toNanos()) {
                recent.removeFirst();
            }
            recent.addLast(now);
            inWindow = recent.size();
        }
        if (inWindow <= maxFailures) {
            log.error(
                    "detector thread failed ({} of {} allowed within {}); replacing it, its state restored from "
                            + "the changelog",
                    inWindow,
                    maxFailures,
                    window,
                    exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        String why = "detector threads failed " + inWindow + " times within " + window + " (--max-thread-failures "
                + maxFailures + "), the last time with: " + describe(exception)
                + "; an error that recurs on the same record or state does not pass by replacing the thread, so "
                + "this detector stops (exit 1) for it to be seen and fixed";
        verdict.compareAndSet(null, why);
        log.error(why, exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Every thread failure so far, replaced or not. */
    public long failures() {
        return failures.get();
    }

    /** Why this guard stopped the detector; null while it has not. */
    public String verdict() {
        return verdict.get();
    }

    /** The exception and its innermost cause: Kafka Streams wraps what the processor threw. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e
                ? top
                : top + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
