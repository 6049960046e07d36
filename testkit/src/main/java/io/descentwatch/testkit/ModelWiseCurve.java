package io.descentwatch.testkit;

/**
 * A model-wise double-descent curve for synthetic sweeps (the large-sweep tests and the sweep-size benchmark): a
 * size's test loss at the end of training falls with size, peaks at the interpolation threshold (p/n = 1) with a
 * peak spanning neighbouring sizes, and past it settles lower than any size below.
 */
public final class ModelWiseCurve {

    /** The peak's width in natural-log parameters: about three sizes of a grid with ten per decade. */
    private static final double PEAK_WIDTH = 0.35;
    /** Past the threshold the loss is this fraction of the curve's: the over-parameterized models win. */
    private static final double PAST_THRESHOLD = 0.8;

    private ModelWiseCurve() {}

    /**
     * The test loss of a model of {@code paramCount} parameters trained on {@code trainTargets} targets, with a
     * peak of relative {@code height} at the threshold (0 for none).
     */
    public static double testLoss(long paramCount, long trainTargets, double height) {
        double x = Math.log((double) paramCount / trainTargets);
        return (1.0 + 0.5 * Math.exp(-x - 2))
                * (1 + height * Math.exp(-x * x / (2 * PEAK_WIDTH * PEAK_WIDTH)))
                * (paramCount > trainTargets ? PAST_THRESHOLD : 1);
    }
}
