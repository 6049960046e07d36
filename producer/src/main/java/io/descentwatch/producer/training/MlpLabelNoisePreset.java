package io.descentwatch.producer.training;

import io.descentwatch.options.Bounds;
import io.descentwatch.producer.datasets.CsvDataset;
import io.descentwatch.producer.datasets.LabelledData;
import io.descentwatch.producer.datasets.MnistIdx;
import io.descentwatch.producer.datasets.Seeds;
import io.descentwatch.producer.datasets.TeacherClassification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Model-wise double descent in a fully connected network with label noise: one hidden ReLU layer of h units
 * trained with full-batch Adam on the squared loss against one-hot labels (the loss under which Belkin et al.
 * saw the peak), a fraction of training labels replaced by random classes, over a sweep of h. Near
 * p = n * classes the network can just memorise the noisy labels and its test loss peaks; wider networks
 * interpolate more smoothly and the test loss falls again. Test loss and error are measured on clean labels.
 *
 * <p>The data is synthetic (a random linear teacher over Gaussian inputs) unless {@code dataset} names MNIST IDX
 * files ({@code mnist:DIR}) or a CSV file with a label column ({@code csv:FILE}).
 */
public final class MlpLabelNoisePreset implements Preset {

    public static final String NAME = "mlp-label-noise";
    static final String CLASSES = "classes";
    static final String LABEL_NOISE = "label-noise";
    static final String OPTIMIZER = "optimizer";
    static final String DATASET = "dataset";
    static final String LABEL_COLUMN = "label-column";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "model-wise double descent in a one-hidden-layer MLP with label noise, peak near p = n x classes";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.of(CommonParameters.TRAIN_SIZE, "200", "100", "Training examples n.")
                        .within(Bounds.closed(1, 1e6)),
                ParameterSpec.of(CommonParameters.TEST_SIZE, "2000", "1000", "Test examples (clean labels).")
                        .within(Bounds.closed(1, 1e6)),
                ParameterSpec.same(CommonParameters.INPUT_DIM, "10", "Input dimension of the synthetic data.")
                        .within(Bounds.closed(1, 1e5)),
                ParameterSpec.same(CLASSES, "4", "Classes of the synthetic data (outputs per example).")
                        .within(Bounds.closed(2, 1000)),
                ParameterSpec.same(LABEL_NOISE, "0.2", "Fraction of training labels replaced by a random class.")
                        .within(Bounds.closed(0, 1)),
                ParameterSpec.of(
                                CommonParameters.WIDTHS,
                                "2,4,8,12,16,24,32,40,48,56,64,96,128,256,512",
                                "2,4,8,16,24,32,48,64,128,512",
                                "Hidden units h; p = h(d+1) + (h+1) classes.")
                        .within(Bounds.closed(1, 1e6)),
                ParameterSpec.of(CommonParameters.EPOCHS, "4000", "2000", "Full-batch steps per run.")
                        .within(Bounds.closed(1, 1e8)),
                ParameterSpec.same(OPTIMIZER, "adam", "adam or sgd."),
                ParameterSpec.same(CommonParameters.LR, "0.005", "Learning rate.")
                        .within(Bounds.aboveUpTo(0, 10)),
                CommonParameters.seeds("1", "1"),
                CommonParameters.eval("log", "log"),
                ParameterSpec.same(
                        DATASET,
                        "synthetic",
                        "synthetic, mnist:DIR (train-images-idx3-ubyte and "
                                + "train-labels-idx1-ubyte, optionally .gz) or csv:FILE (numeric features, one label column)."),
                ParameterSpec.same(
                        LABEL_COLUMN,
                        "label",
                        "The label column of a csv dataset: a header name or a " + "zero-based index (-1 = last)."));
    }

    @Override
    public List<RunSpec> plan(String sweepId, Parameters p) {
        List<RunSpec> runs = new ArrayList<>();
        for (int seed : CommonParameters.seeds(p)) {
            for (int width : p.integers(CommonParameters.WIDTHS)) {
                runs.add(new RunSpec(NAME, sweepId, RunSpec.runId(sweepId, "h", width, seed), width, seed, p));
            }
        }
        return runs;
    }

    /** Training data (labels with noise) and test data (clean labels) for one seed. */
    record Split(LabelledData train, LabelledData test) {}

    static Split data(Parameters p, long seed) {
        int n = p.integer(CommonParameters.TRAIN_SIZE);
        int nTest = p.integer(CommonParameters.TEST_SIZE);
        String dataset = p.text(DATASET);
        LabelledData train;
        LabelledData test;
        if (dataset.equals("synthetic")) {
            TeacherClassification teacher = TeacherClassification.random(
                    Seeds.stream(seed, "teacher"), p.integer(CommonParameters.INPUT_DIM), p.integer(CLASSES));
            train = teacher.sample(Seeds.stream(seed, "train"), n);
            test = teacher.sample(Seeds.stream(seed, "test"), nTest);
        } else {
            LabelledData all = load(dataset, p.text(LABEL_COLUMN), n + nTest);
            LabelledData[] parts = all.split(Seeds.stream(seed, "split"), n, nTest);
            boolean csv = dataset.startsWith("csv:");
            // CSV columns have arbitrary units; MNIST pixels are already in [0, 1]
            train = csv ? parts[0].standardisedLike(parts[0]) : parts[0];
            test = csv ? parts[1].standardisedLike(parts[0]) : parts[1];
        }
        return new Split(train.withLabelNoise(Seeds.stream(seed, "label-noise"), p.number(LABEL_NOISE)), test);
    }

    private static LabelledData load(String dataset, String labelColumn, int needed) {
        try {
            if (dataset.startsWith("mnist:")) {
                // a random split needs more than the first `needed` images only if the file is ordered by class;
                // MNIST is not, and reading 60,000 images to use 2,000 would dominate a quick run
                return MnistIdx.readDirectory(Path.of(dataset.substring(6)), Math.max(needed, 10_000));
            }
            if (dataset.startsWith("csv:")) {
                return CsvDataset.read(Path.of(dataset.substring(4)), labelColumn, true, ',');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + dataset + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("dataset must be synthetic, mnist:DIR or csv:FILE, not '" + dataset + "'");
    }

    static MultiLayerNetwork network(int inputDim, int hidden, int classes, IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.DOUBLE)
                .updater(updater)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(inputDim)
                        .nOut(hidden)
                        .activation(Activation.RELU)
                        .weightInit(WeightInit.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(hidden)
                        .nOut(classes)
                        .activation(Activation.IDENTITY)
                        .weightInit(WeightInit.XAVIER)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static IUpdater updater(Parameters p) {
        double lr = p.number(CommonParameters.LR);
        return switch (p.text(OPTIMIZER)) {
            case "adam" -> new Adam(lr);
            case "sgd" -> new Sgd(lr);
            default ->
                throw new IllegalArgumentException("optimizer must be adam or sgd, not '" + p.text(OPTIMIZER) + "'");
        };
    }

    @Override
    public void train(RunSpec run, RunObserver observer) throws InterruptedException {
        Parameters p = run.parameters();
        Split data = data(p, run.seed());
        int classes = data.train().classes();
        MultiLayerNetwork net = network(
                data.train().dimension(),
                run.width(),
                classes,
                updater(p),
                Seeds.stream(run.seed(), "weights").nextLong());
        DataSet train = dataSet(data.train());
        DataSet test = dataSet(data.test());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("family", "mlp");
        model.put("width", run.width());
        model.put("hidden_layers", 1);
        model.put("activation", "relu");
        Map<String, String> tags = Map.of(
                "classes",
                String.valueOf(classes),
                "input_dim",
                String.valueOf(data.train().dimension()));
        observer.started(
                run,
                new RunShape(Networks.trainableParams(net), data.train().size(), classes, epochs(run), model, tags));
        TrainingLoop.run(
                new TrainingLoop.Trainee() {
                    @Override
                    public void step() {
                        net.fit(train);
                    }

                    @Override
                    public Evaluation evaluate(long epoch) {
                        double[] trainScores = scores(net, train);
                        double[] testScores = scores(net, test);
                        return new Evaluation(epoch, trainScores[0], testScores[0], trainScores[1], testScores[1]);
                    }
                },
                epochs(run),
                EvalSchedule.parse(p.text(CommonParameters.EVAL)),
                observer);
    }

    static DataSet dataSet(LabelledData data) {
        INDArray x = LinearProblem.matrix(data.x());
        INDArray y = Nd4j.zeros(DataType.DOUBLE, data.size(), data.classes());
        for (int i = 0; i < data.size(); i++) {
            y.putScalar(i, data.labels()[i], 1.0);
        }
        return new DataSet(x, y);
    }

    /** {MSE per output as DL4J's loss computes it, classification error}. */
    static double[] scores(MultiLayerNetwork net, DataSet data) {
        INDArray out = net.output(data.getFeatures(), false);
        INDArray labels = data.getLabels();
        double sq = out.sub(labels).norm2Number().doubleValue();
        double mse = sq * sq / out.length();
        INDArray predicted = out.argMax(1);
        INDArray actual = labels.argMax(1);
        long wrong = predicted.neq(actual).castTo(DataType.INT64).sumNumber().longValue();
        return new double[] {mse, (double) wrong / labels.rows()};
    }
}
