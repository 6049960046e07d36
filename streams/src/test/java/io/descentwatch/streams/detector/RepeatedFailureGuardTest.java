package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class RepeatedFailureGuardTest {

    private final AtomicLong now = new AtomicLong();
    private final RepeatedFailureGuard guard = new RepeatedFailureGuard(3, Duration.ofMinutes(10), now::get);

    private static RuntimeException failure() {
        return new StreamsException("exception caught in process", new IllegalStateException("unknown state format 9"));
    }

    @Test
    void failuresUpToTheLimitWithinTheWindowAreReplacedAndTheNextStopsThisInstance() {
        for (int i = 0; i < 3; i++) {
            assertThat(guard.handle(failure())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now.addAndGet(Duration.ofSeconds(20).toNanos());
            assertThat(guard.verdict()).isNull();
        }
        assertThat(guard.handle(failure())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(guard.failures()).isEqualTo(4);
        assertThat(guard.verdict())
                .contains(
                        "4 times within PT10M",
                        "--max-thread-failures 3",
                        "IllegalStateException: unknown state format 9");
    }

    @Test
    void failuresFartherApartThanTheWindowNeverStopIt() {
        for (int i = 0; i < 20; i++) {
            assertThat(guard.handle(failure())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            // three per window at most: one every four minutes leaves at most three within ten
            now.addAndGet(Duration.ofMinutes(4).toNanos());
        }
        assertThat(guard.failures()).isEqualTo(20);
        assertThat(guard.verdict()).isNull();
    }

    @Test
    void zeroAllowedStopsOnTheFirstFailure() {
        RepeatedFailureGuard strict = new RepeatedFailureGuard(0, Duration.ofMinutes(1), now::get);
        assertThat(strict.handle(failure())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
