package io.descentwatch.producer.training;

import java.util.Objects;

/**
 * One run of a sweep: a preset, one model size and one seed, with the sweep's complete settings. Everything a
 * worker anywhere needs to train it, so a distributed job is just this record.
 */
public record RunSpec(String preset, String sweepId, String runId, int width, long seed, Parameters parameters) {

    public RunSpec {
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(sweepId, "sweepId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(parameters, "parameters");
    }

    /** "sweep/N0100/s1": sorts by width within a sweep, and names the size and seed for people reading alerts. */
    public static String runId(String sweepId, String widthLetter, int width, long seed) {
        return String.format("%s/%s%04d/s%d", sweepId, widthLetter, width, seed);
    }
}
