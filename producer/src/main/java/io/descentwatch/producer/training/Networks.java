package io.descentwatch.producer.training;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Facts about DL4J networks the events need. */
final class Networks {

    private Networks() {}

    /**
     * Parameters gradient descent can change. {@code numParams()} counts frozen layers too, but a frozen layer
     * cannot help fit the training set, so it must not move the interpolation threshold.
     */
    static long trainableParams(MultiLayerNetwork net) {
        long total = 0;
        for (Layer layer : net.getLayers()) {
            if (!(layer instanceof FrozenLayer) && !(layer instanceof FrozenLayerWithBackprop)) {
                total += layer.numParams();
            }
        }
        return total;
    }
}
