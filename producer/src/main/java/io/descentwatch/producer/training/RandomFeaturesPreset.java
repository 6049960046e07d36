package io.descentwatch.producer.training;

import io.descentwatch.options.Bounds;
import io.descentwatch.producer.datasets.GaussianLinearTeacher;
import io.descentwatch.producer.datasets.RegressionData;
import io.descentwatch.producer.datasets.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Model-wise double descent with random ReLU features, the setting in which it was first shown for a model whose
 * capacity is one number (Belkin, Hsu, Ma and Mandal 2019; Mei and Montanari 2019): n examples x ~ N(0, I_d), targets
 * y = &lt;b, x&gt; + noise with |b| = 1; a frozen random first layer of N ReLU features without bias and a
 * zero-initialised linear readout trained by full-batch gradient descent with lr = lr-scale / largest eigenvalue
 * of F'F/n, in double precision. Test MSE against noise-free targets over N peaks at N = n (the readout can just
 * interpolate) and falls below its first minimum at N = 10 n.
 */
public final class RandomFeaturesPreset implements Preset {

    public static final String NAME = "rf-modelwise";
    static final String WIDTH_RATIOS = "width-ratios";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "model-wise double descent: random ReLU features (frozen) + linear readout, widths N/n = 0.1..10";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.same(CommonParameters.TRAIN_SIZE, "100", "Training examples n.")
                        .within(Bounds.closed(1, 1e6)),
                ParameterSpec.of(
                                CommonParameters.TEST_SIZE,
                                "2000",
                                "1000",
                                "Test examples (noise-free targets) the test loss is measured on.")
                        .within(Bounds.closed(1, 1e6)),
                ParameterSpec.same(CommonParameters.INPUT_DIM, "20", "Input dimension d.")
                        .within(Bounds.closed(1, 1e5)),
                ParameterSpec.same(CommonParameters.NOISE, "0.5", "Standard deviation of the label noise.")
                        .within(Bounds.closed(0, 100)),
                ParameterSpec.of(
                                WIDTH_RATIOS,
                                "0.1,0.2,0.3,0.5,0.7,0.9,1,1.1,1.3,1.5,2,5,10",
                                "0.1,0.3,0.5,0.8,1,1.2,2,5,10",
                                "Widths N as multiples of n, used when widths is auto.")
                        .within(Bounds.aboveUpTo(0, 1000)),
                ParameterSpec.same(
                                CommonParameters.WIDTHS,
                                "auto",
                                "Widths N (random features), e.g. 10,50,100; " + "auto = width-ratios x train-size.")
                        .within(Bounds.closed(1, 1e6))
                        .orWord("auto"),
                ParameterSpec.same(CommonParameters.EPOCHS, "5000", "Full-batch gradient steps per run.")
                        .within(Bounds.closed(1, 1e8)),
                ParameterSpec.same(
                                CommonParameters.LR_SCALE,
                                "0.9",
                                "Learning rate as a fraction of the stable limit "
                                        + "1 / largest eigenvalue of F'F/n (below 1).")
                        .within(Bounds.open(0, 1)),
                CommonParameters.seeds("1", "1"),
                CommonParameters.eval("log", "log"),
                CommonParameters.engine());
    }

    @Override
    public List<RunSpec> plan(String sweepId, Parameters p) {
        List<RunSpec> runs = new ArrayList<>();
        for (int seed : CommonParameters.seeds(p)) {
            for (int width : widths(p)) {
                runs.add(new RunSpec(NAME, sweepId, RunSpec.runId(sweepId, "N", width, seed), width, seed, p));
            }
        }
        return runs;
    }

    static List<Integer> widths(Parameters p) {
        if (!p.text(CommonParameters.WIDTHS).equals("auto")) {
            return p.integers(CommonParameters.WIDTHS);
        }
        int n = p.integer(CommonParameters.TRAIN_SIZE);
        TreeSet<Integer> widths = new TreeSet<>();
        for (double r : p.numbers(WIDTH_RATIOS)) {
            widths.add(Math.max(1, (int) Math.round(r * n)));
        }
        return new ArrayList<>(widths);
    }

    @Override
    public void train(RunSpec run, RunObserver observer) throws InterruptedException {
        Parameters p = run.parameters();
        int n = p.integer(CommonParameters.TRAIN_SIZE);
        int d = p.integer(CommonParameters.INPUT_DIM);
        int width = run.width();
        GaussianLinearTeacher teacher = new GaussianLinearTeacher(
                ones(d),
                Seeds.direction(Seeds.stream(run.seed(), "teacher"), d, 1.0),
                p.number(CommonParameters.NOISE));
        RegressionData train = teacher.sample(Seeds.stream(run.seed(), "train"), n);
        RegressionData test = teacher.sample(Seeds.stream(run.seed(), "test"), p.integer(CommonParameters.TEST_SIZE));

        INDArray frozen = LinearProblem.matrix(featureWeights(run.seed(), d, width));
        INDArray x = LinearProblem.matrix(train.x());
        INDArray features = Transforms.relu(x.mmul(frozen), false);
        INDArray testFeatures = Transforms.relu(LinearProblem.matrix(test.x()).mmul(frozen), false);
        INDArray testTargets = LinearProblem.column(test.cleanY());
        LinearProblem problem = new LinearProblem(
                features,
                LinearProblem.column(train.y()),
                w -> meanSquaredError(testFeatures, LinearProblem.column(w), testTargets));
        double lr = p.number(CommonParameters.LR_SCALE) / problem.largestCurvature();

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("family", "random-features");
        model.put("width", width);
        model.put("activation", "relu");
        model.put("frozen_params", (long) d * width);
        TrainingLoop.Trainee trainee = LinearEngines.create(p, problem, x, frozen, lr, run.seed(), width);
        observer.started(run, new RunShape(width, n, 1, epochs(run), model, Map.of("lr", String.valueOf(lr))));
        TrainingLoop.run(trainee, epochs(run), EvalSchedule.parse(p.text(CommonParameters.EVAL)), observer);
    }

    /**
     * d x N Gaussian weights with variance 1/d, drawn column by column so that the first N features of a wider
     * model are those of a narrower one: the sweep adds features rather than redrawing them.
     */
    static double[][] featureWeights(long seed, int d, int width) {
        Random random = Seeds.stream(seed, "features");
        double[][] w = new double[d][width];
        double scale = 1 / Math.sqrt(d);
        for (int j = 0; j < width; j++) {
            for (int i = 0; i < d; i++) {
                w[i][j] = scale * random.nextGaussian();
            }
        }
        return w;
    }

    static double meanSquaredError(INDArray features, INDArray w, INDArray targets) {
        INDArray residual = features.mmul(w).subi(targets);
        double norm = residual.norm2Number().doubleValue();
        return norm * norm / targets.rows();
    }

    static double[] ones(int d) {
        double[] v = new double[d];
        java.util.Arrays.fill(v, 1.0);
        return v;
    }
}
