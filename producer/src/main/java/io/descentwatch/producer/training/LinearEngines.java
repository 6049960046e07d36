package io.descentwatch.producer.training;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Chooses how a linear readout is trained (setting {@code engine}). */
final class LinearEngines {

    private LinearEngines() {}

    /**
     * @param inputs raw inputs the network engine feeds through its frozen layer (or the features themselves)
     * @param frozen the frozen layer's weights, or null when the features are the inputs
     */
    static TrainingLoop.Trainee create(
            Parameters p,
            LinearProblem problem,
            INDArray inputs,
            INDArray frozen,
            double lr,
            long seed,
            long expectedParams) {
        String engine = p.text(CommonParameters.ENGINE);
        switch (engine) {
            case "nd4j":
                return new Nd4jGradientDescent(problem, lr);
            case "network": {
                NetworkGradientDescent net = new NetworkGradientDescent(problem, inputs, frozen, lr, seed);
                if (net.trainableParams() != expectedParams) {
                    throw new IllegalStateException("the network has " + net.trainableParams()
                            + " trainable parameters, expected " + expectedParams);
                }
                return net;
            }
            default:
                throw new IllegalArgumentException("engine must be nd4j or network, not '" + engine + "'");
        }
    }
}
