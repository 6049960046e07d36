package io.descentwatch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time each kind of thread of this process used over a stretch: the stream threads, the producers' network
 * threads, the in-process broker's request handlers and network threads, and the rest. A profile of the stream
 * threads leaves out what the broker and the producers do for what a topology publishes; this puts it beside them
 * (it showed that the broker's share went with the number of produce requests: docs/benchmarks.md, "Where the
 * broker's share goes").
 */
final class ThreadCpu {

    /** What a thread does, told by the names Kafka and Kafka Streams give their threads. */
    enum Role {
        STREAM_THREADS("stream threads"),
        PRODUCER_NETWORK("producers' network threads"),
        BROKER_REQUESTS("broker request handlers"),
        BROKER_NETWORK("broker network threads"),
        OTHER("other threads");

        final String label;

        Role(String label) {
            this.label = label;
        }

        static Role of(String threadName) {
            // a producer's network thread is named after its stream thread: it is told first
            if (threadName.startsWith("kafka-producer-network-thread")) {
                return PRODUCER_NETWORK;
            }
            if (threadName.contains("StreamThread")) {
                return STREAM_THREADS;
            }
            if (threadName.contains("kafka-request-handler")) {
                return BROKER_REQUESTS;
            }
            if (threadName.contains("kafka-network-thread")) {
                return BROKER_NETWORK;
            }
            return OTHER;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> nanosByThread;

    private ThreadCpu(Map<Long, Long> nanosByThread) {
        this.nanosByThread = nanosByThread;
    }

    /** Each live thread's CPU time so far. */
    static ThreadCpu now() {
        Map<Long, Long> nanos = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long cpu = THREADS.getThreadCpuTime(id);
            if (cpu >= 0) {
                nanos.put(id, cpu);
            }
        }
        return new ThreadCpu(nanos);
    }

    /**
     * The CPU nanoseconds each role used since {@code before}, counted over the threads alive now: a thread that
     * ended in between is left out, so take this before a topology closes.
     */
    Map<Role, Long> since(ThreadCpu before) {
        Map<Role, Long> byRole = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            byRole.put(role, 0L);
        }
        for (ThreadInfo thread : THREADS.getThreadInfo(
                nanosByThread.keySet().stream().mapToLong(Long::longValue).toArray())) {
            if (thread != null) {
                long id = thread.getThreadId();
                long used = nanosByThread.get(id) - before.nanosByThread.getOrDefault(id, 0L);
                byRole.merge(Role.of(thread.getThreadName()), used, Long::sum);
            }
        }
        return byRole;
    }
}
