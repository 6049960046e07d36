package io.descentwatch.bench;

import java.lang.management.ManagementFactory;

/**
 * This process's CPU use while a benchmark runs, sampled every 200 ms, as a share of all the machine's cores (1 =
 * every core busy in this process). Benchmarks that run the broker, the detector and the load generator in one JVM
 * report it beside their figures, so that a reader sees when a latency is the machine's saturation.
 */
final class CpuSampler implements AutoCloseable {

    private static final long PERIOD_MS = 200;

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Thread thread;
    private volatile boolean stopped;
    private double sum;
    private int samples;

    private CpuSampler() {
        thread = new Thread(this::sample, "cpu-sampler");
        thread.setDaemon(true);
    }

    static CpuSampler start() {
        CpuSampler s = new CpuSampler();
        s.os.getProcessCpuLoad(); // the first reading only starts the interval
        s.thread.start();
        return s;
    }

    private void sample() {
        while (!stopped) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            double load = os.getProcessCpuLoad();
            if (load >= 0) {
                synchronized (this) {
                    sum += load;
                    samples++;
                }
            }
        }
    }

    /** The mean share so far; NaN before the first sample. */
    synchronized double meanShare() {
        return samples == 0 ? Double.NaN : sum / samples;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
