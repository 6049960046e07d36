package io.descentwatch.producer.training;

import io.descentwatch.options.Bounds;
import java.util.List;

/** Settings every preset (or several) has, under the same keys (and flags). */
public final class CommonParameters {

    public static final String TRAIN_SIZE = "train-size";
    public static final String TEST_SIZE = "test-size";
    public static final String EPOCHS = "epochs";
    public static final String SEEDS = "seeds";
    public static final String EVAL = "eval";
    public static final String ENGINE = "engine";
    // settings several presets have, under the same key and with the same meaning
    public static final String INPUT_DIM = "input-dim";
    public static final String NOISE = "noise";
    public static final String WIDTHS = "widths";
    public static final String LR = "lr";
    public static final String LR_SCALE = "lr-scale";

    private CommonParameters() {}

    public static ParameterSpec seeds(String full, String quick) {
        return ParameterSpec.of(
                        SEEDS,
                        full,
                        quick,
                        "Seeds, one run per seed and size, e.g. 1,2,3 or 1..5: "
                                + "a seed fixes the data, the random weights and the noise.")
                .within(Bounds.closed(0, Integer.MAX_VALUE));
    }

    public static ParameterSpec eval(String full, String quick) {
        return ParameterSpec.of(
                EVAL,
                full,
                quick,
                "When to evaluate and publish: every, K (every K epochs), log " + "(20 points per decade) or log:P.");
    }

    public static ParameterSpec engine() {
        return ParameterSpec.same(
                ENGINE,
                "nd4j",
                "How the linear readout is trained: nd4j (full-batch gradient "
                        + "descent as ND4J matrix products, about 10x faster) or network (the same steps through DL4J's "
                        + "MultiLayerNetwork.fit; the reference the nd4j engine is tested against).");
    }

    public static List<Integer> seeds(Parameters p) {
        return p.integers(SEEDS);
    }
}
