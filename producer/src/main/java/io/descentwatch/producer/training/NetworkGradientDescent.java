package io.descentwatch.producer.training;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A linear readout trained through DL4J's {@link MultiLayerNetwork}: an optional frozen dense ReLU layer (random
 * features, no bias) and a zero-initialised MSE output layer without bias, one {@code fit} per epoch on the whole
 * training set. It computes exactly the update {@link Nd4jGradientDescent} does; it is the slower reference.
 */
final class NetworkGradientDescent implements TrainingLoop.Trainee {

    private final LinearProblem problem;
    private final MultiLayerNetwork net;
    private final DataSet batch;
    private final String readoutKey;

    /**
     * @param inputs        n x d raw inputs
     * @param frozenWeights d x N weights of a frozen ReLU layer, or null for a plain linear model on the inputs
     */
    NetworkGradientDescent(
            LinearProblem problem, INDArray inputs, INDArray frozenWeights, double learningRate, long seed) {
        this.problem = problem;
        long inputDim = inputs.columns();
        long width = problem.width();
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.DOUBLE)
                .updater(new Sgd(learningRate))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        if (frozenWeights != null) {
            layers.layer(new FrozenLayer(new DenseLayer.Builder()
                    .nIn(inputDim)
                    .nOut(width)
                    .hasBias(false)
                    .activation(Activation.RELU)
                    .weightInit(WeightInit.ZERO)
                    .build()));
        }
        layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(width)
                .nOut(1)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .weightInit(WeightInit.ZERO)
                .build());
        MultiLayerConfiguration conf = layers.build();
        this.net = new MultiLayerNetwork(conf);
        net.init();
        if (frozenWeights != null) {
            net.setParam("0_W", frozenWeights);
        }
        this.readoutKey = (frozenWeights != null ? 1 : 0) + "_W";
        this.batch = new DataSet(inputs, problem.targets());
    }

    long trainableParams() {
        return Networks.trainableParams(net);
    }

    long allParams() {
        return net.numParams();
    }

    @Override
    public void step() {
        net.fit(batch);
    }

    @Override
    public Evaluation evaluate(long epoch) {
        return problem.evaluate(epoch, net.getParam(readoutKey));
    }
}
