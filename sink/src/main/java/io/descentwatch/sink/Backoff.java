package io.descentwatch.sink;

import java.time.Duration;

/** Waits that start at {@link #FIRST} and double up to a limit: how the sink retries an absent InfluxDB. */
final class Backoff {

    static final Duration FIRST = Duration.ofMillis(100);

    private final Duration max;
    private Duration next = FIRST;

    Backoff(Duration max) {
        this.max = max;
    }

    /** The wait to take now; the one after it is twice as long, up to the limit. */
    Duration next() {
        Duration now = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return now;
    }
}
