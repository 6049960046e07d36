package io.descentwatch.events;

/**
 * p/n: a model's parameters per training target (training examples times outputs per example). Double descent's
 * interpolation threshold sits near p/n = 1 whatever the model, which is why every event, summary and alert
 * reports it; computed here alone so that they all agree.
 */
public final class ParameterRatio {

    private ParameterRatio() {}

    public static double of(long paramCount, long trainSize, int outputDim) {
        return (double) paramCount / ((double) trainSize * outputDim);
    }
}
