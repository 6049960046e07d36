package io.descentwatch.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How much of a stretch of this process's work went to the JIT compiler: the time its compiler threads spent
 * compiling against the CPU time the whole process used. A benchmark that runs the broker, Kafka Streams and the
 * detector in one JVM on 2 cores compiles for minutes, and while it does the compiler threads take CPU from
 * what is timed; a round is steady once compiling is a small share of it.
 */
final class JitActivity {

    /**
     * A round whose compiling is under this share of its CPU time counts as steady. Measured on the detector
     * benchmark (2026-12-05, 2 cores): the share of a detector and pass-through round fell over successive rounds
     * from 61% to 51%, 31%, 20%, 14% and 9% (and in a longer run stayed at 3-10% from there on), while the rounds'
     * rates stopped rising from one round to the next.
     */
    static final double STEADY_SHARE = 0.10;

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final long compilingMsAtStart;
    private final long cpuNsAtStart;

    private JitActivity(long compilingMs, long cpuNs) {
        this.compilingMsAtStart = compilingMs;
        this.cpuNsAtStart = cpuNs;
    }

    /** Starts counting now. */
    static JitActivity start() {
        return new JitActivity(compilingMs(), OS.getProcessCpuTime());
    }

    /** The share of the process's CPU time since the start that the JIT spent compiling, in [0, 1]. */
    double share() {
        return share(compilingMs() - compilingMsAtStart, OS.getProcessCpuTime() - cpuNsAtStart);
    }

    static double share(long compilingMs, long cpuNs) {
        if (cpuNs <= 0) {
            return compilingMs > 0 ? 1 : 0;
        }
        return Math.min(1, compilingMs * 1e6 / cpuNs);
    }

    static boolean steady(double share) {
        return share < STEADY_SHARE;
    }

    private static long compilingMs() {
        return JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
    }
}
