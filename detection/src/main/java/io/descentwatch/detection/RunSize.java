package io.descentwatch.detection;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.ParameterRatio;

/**
 * How large a run's model is against what it has to fit: the three numbers its parameters-per-target ratio
 * ({@link #pOverN()}) comes from. Built from an event ({@link #of}) or read from a store, so the two longs are
 * named where they are set.
 *
 * @param paramCount the model's trainable parameters
 * @param trainSize  training examples
 * @param outputDim  outputs per example (targets fitted per example)
 */
public record RunSize(long paramCount, long trainSize, int outputDim) {

    public static RunSize of(EpochEvent event) {
        return new RunSize(event.paramCount(), event.trainSize(), event.outputDim());
    }

    /** Parameters per fitted target value: about 1 at the interpolation threshold. */
    public double pOverN() {
        return ParameterRatio.of(paramCount, trainSize, outputDim);
    }
}
