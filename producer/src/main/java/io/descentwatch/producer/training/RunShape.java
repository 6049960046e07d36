package io.descentwatch.producer.training;

import java.util.Map;

/**
 * What a run's events say about its model and data, fixed for the run: trainable parameters (frozen layers do not
 * count: they cannot help fit the training set), training examples, outputs per example and the model's
 * description, and tags only this run has (e.g. the learning rate it derived).
 */
public record RunShape(
        long paramCount,
        long trainSize,
        int outputDim,
        long epochs,
        Map<String, Object> model,
        Map<String, String> tags) {

    public RunShape {
        model = Map.copyOf(model);
        tags = Map.copyOf(tags);
    }

    public RunShape(long paramCount, long trainSize, int outputDim, long epochs, Map<String, Object> model) {
        this(paramCount, trainSize, outputDim, epochs, model, Map.of());
    }
}
