package io.descentwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Which thread does what, by the names Kafka gives them, and whose CPU time lands where. */
class ThreadCpuTest {

    @Test
    void kafkaThreadsAreToldByTheirNames() {
        assertThat(ThreadCpu.Role.of("bench-1-4b2c-StreamThread-1")).isEqualTo(ThreadCpu.Role.STREAM_THREADS);
        assertThat(ThreadCpu.Role.of("kafka-producer-network-thread | bench-1-4b2c-StreamThread-1-producer"))
                .isEqualTo(ThreadCpu.Role.PRODUCER_NETWORK);
        assertThat(ThreadCpu.Role.of("data-plane-kafka-request-handler-3")).isEqualTo(ThreadCpu.Role.BROKER_REQUESTS);
        assertThat(ThreadCpu.Role.of("data-plane-kafka-network-thread-1-PLAINTEXT-PLAINTEXT-0"))
                .isEqualTo(ThreadCpu.Role.BROKER_NETWORK);
        assertThat(ThreadCpu.Role.of("main")).isEqualTo(ThreadCpu.Role.OTHER);
    }

    @Test
    void aThreadsCpuTimeCountsForItsRole() throws InterruptedException {
        ThreadCpu before = ThreadCpu.now();
        AtomicBoolean stop = new AtomicBoolean();
        Thread busy = new Thread(
                () -> {
                    while (!stop.get()) {
                        Thread.onSpinWait();
                    }
                },
                "test-StreamThread-1");
        busy.start();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (threads.getThreadCpuTime(busy.getId()) < 20_000_000L && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        // taken while the thread still runs: a thread that has ended is left out
        Map<ThreadCpu.Role, Long> used = ThreadCpu.now().since(before);
        stop.set(true);
        busy.join();
        assertThat(used.get(ThreadCpu.Role.STREAM_THREADS)).isGreaterThanOrEqualTo(20_000_000L);
    }
}
