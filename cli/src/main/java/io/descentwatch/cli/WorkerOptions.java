package io.descentwatch.cli;

import io.descentwatch.options.Range;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How many runs a training command trains at once, with how many threads each, and how long their events may wait
 * for Kafka: a picocli mixin of {@code train} and {@code worker}.
 */
final class WorkerOptions {

    @Option(
            names = "--workers",
            defaultValue = "${env:DW_WORKERS:-0}",
            description = "Runs trained at once by this process (env DW_WORKERS; default 0 = one per core).")
    @Range(min = "0", max = "1024")
    int workers;

    @Option(
            names = "--threads-per-worker",
            defaultValue = "${env:DW_THREADS_PER_WORKER:-1}",
            description = "ND4J threads per run (env DW_THREADS_PER_WORKER; default ${DEFAULT-VALUE}: one "
                    + "single-threaded worker per core is fastest for these small models, and the same seed and "
                    + "thread count give bit-identical losses).")
    @Range(min = "1", max = "1024")
    int threadsPerWorker;

    @Option(
            names = "--delivery-timeout",
            defaultValue = "${env:DW_DELIVERY_TIMEOUT:-PT5M}",
            description = "How long events may wait for an unreachable Kafka before training stops with an error "
                    + "(env DW_DELIVERY_TIMEOUT; default ${DEFAULT-VALUE}; ISO-8601).")
    @Range(above = "PT0S", max = "P1D")
    Duration deliveryTimeout;

    /** The number of workers to run: the setting, or one per available core when it is 0. */
    int count() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
