package io.descentwatch.cli;

import java.time.Duration;

/**
 * What a command does on Ctrl-C or SIGTERM, for as long as it runs: installed when made, removed when closed (unless
 * the JVM is already exiting, in which case the hook is running and the command lets it finish).
 */
final class ShutdownHook implements AutoCloseable {

    private final Thread hook;

    private ShutdownHook(String name, Runnable action) {
        this.hook = new Thread(action, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Runs {@code action} on exit. */
    static ShutdownHook run(String name, Runnable action) {
        return new ShutdownHook(name, action);
    }

    /**
     * On exit, asks the calling thread's work to stop and waits up to {@code wait} for that thread to finish its
     * clean-up, so that the JVM exits only after it (stopped servers, removed directories, committed offsets).
     */
    static ShutdownHook stopThenAwait(String name, Runnable stop, Duration wait) {
        Thread caller = Thread.currentThread();
        return new ShutdownHook(name, () -> {
            stop.run();
            try {
                caller.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * On exit, interrupts the calling thread and waits up to {@code wait} while it stops what it started: for
     * commands whose work runs on their own thread until interrupted (demo, serve).
     */
    static ShutdownHook interruptThenAwait(String name, Duration wait) {
        return stopThenAwait(name, Thread.currentThread()::interrupt, wait);
    }

    /**
     * On exit, runs {@code action} (a flush of what a command has sent) for at most {@code limit}: an unreachable
     * Kafka must not hold the exit for a whole delivery timeout. A failure is one line on stderr, after
     * {@code failurePrefix}.
     */
    static ShutdownHook runAtMost(String name, Runnable action, Duration limit, String failurePrefix) {
        return new ShutdownHook(name, () -> {
            Thread worker = new Thread(
                    () -> {
                        try {
                            action.run();
                        } catch (RuntimeException e) {
                            // broad: the process is exiting; whatever the flush threw is one line, not a stack trace
                            System.err.println(failurePrefix + e.getMessage());
                        }
                    },
                    name + "-action");
            worker.setDaemon(true);
            worker.start();
            try {
                worker.join(limit.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Whether the JVM has begun to exit (its hooks are running or about to). */
    static boolean jvmExiting() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook is running, and waits for us where it should
        }
    }
}
