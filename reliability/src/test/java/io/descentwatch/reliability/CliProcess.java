package io.descentwatch.reliability;

import io.descentwatch.cli.DescentWatchCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One descentwatch role in a JVM of its own, as a user runs it, so that a test can kill it outright (SIGKILL: no
 * shutdown hook, no clean close) and see what the rest of the system does. Its output is kept for assertions
 * and for the failure message.
 */
final class CliProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final Thread reader;

    private CliProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            synchronized (output) {
                                output.append(line).append('\n');
                            }
                        }
                    } catch (IOException e) {
                        // the process is gone
                    }
                },
                name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    static CliProcess start(String name, List<String> args, Map<String, String> env) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-Dorg.bytedeco.javacpp.cachedir="
                        + System.getProperty(
                                "org.bytedeco.javacpp.cachedir",
                                Path.of(System.getProperty("user.home"), ".javacpp", "cache")
                                        .toString()),
                "-cp",
                System.getProperty("java.class.path"),
                DescentWatchCommand.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().putAll(env);
        try {
            return new CliProcess(name, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Waits until the output contains {@code text}; fails with the output so far if it does not in time. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline || !process.isAlive() && !output().contains(text)) {
                if (!output().contains(text)) {
                    throw new AssertionError(name + " did not print \"" + text + "\" within " + timeout
                            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                            + ":\n" + output());
                }
            }
            Thread.sleep(100);
        }
    }

    /** SIGKILL: the process gets no chance to close anything. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as a service manager or `kill` stops it: its shutdown hook runs. */
    void terminate() {
        // through the handle: Process.destroy() would also close this end of its output, losing its last lines
        process.toHandle().destroy();
    }

    /** Waits for the process to end by itself; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + ":\n" + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // it was sent SIGKILL; only the wait for its exit was cut short
            }
        }
    }
}
