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
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Epoch-wise double descent from two feature scales (Heckel and Yilmaz 2021): a linear model on 200 features of
 * scale 1 and 10 of scale 0.1, n = 500, noise sigma 1, full-batch gradient descent. The large-scale features are
 * learned first (test loss falls), then their noise is fitted (it rises), then the small-scale features carry the
 * signal home (it falls again, below the first minimum). Test loss is the exact expected MSE against noise-free
 * targets, which the Gaussian inputs make computable: E[(x'(w - b))^2] = sum_j scale_j^2 (w_j - b_j)^2.
 */
public final class TwoScalePreset implements Preset {

    public static final String NAME = "two-scale-epochwise";
    static final String FAST_FEATURES = "fast-features";
    static final String SLOW_FEATURES = "slow-features";
    static final String SLOW_SCALE = "slow-scale";
    static final String FAST_SIGNAL = "fast-signal";
    static final String SLOW_SIGNAL = "slow-signal";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "epoch-wise double descent: linear model on two feature scales (Heckel & Yilmaz), one run per seed";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.same(CommonParameters.TRAIN_SIZE, "500", "Training examples n.")
                        .within(Bounds.closed(1, 1e6)),
                ParameterSpec.same(FAST_FEATURES, "200", "Features of scale 1 (learned first).")
                        .within(Bounds.closed(1, 1e5)),
                ParameterSpec.same(SLOW_FEATURES, "10", "Features of the small scale (learned last).")
                        .within(Bounds.closed(1, 1e5)),
                ParameterSpec.same(SLOW_SCALE, "0.1", "Standard deviation of the small-scale features.")
                        .within(Bounds.aboveUpTo(0, 100)),
                ParameterSpec.same(FAST_SIGNAL, "1.2", "Variance of the target carried by the scale-1 features.")
                        .within(Bounds.closed(0, 100)),
                ParameterSpec.same(SLOW_SIGNAL, "1.0", "Variance of the target carried by the small-scale features.")
                        .within(Bounds.closed(0, 100)),
                ParameterSpec.same(CommonParameters.NOISE, "1.0", "Standard deviation of the label noise.")
                        .within(Bounds.closed(0, 100)),
                ParameterSpec.of(
                                CommonParameters.LR,
                                "0.02",
                                "0.1",
                                "Learning rate; --quick takes 5x larger steps and "
                                        + "5x fewer epochs, the same curve in log-epochs.")
                        .within(Bounds.aboveUpTo(0, 10)),
                ParameterSpec.of(CommonParameters.EPOCHS, "20000", "4000", "Full-batch gradient steps per run.")
                        .within(Bounds.closed(1, 1e8)),
                CommonParameters.seeds("1,2,3", "1,2"),
                CommonParameters.eval("log", "log"),
                CommonParameters.engine());
    }

    @Override
    public List<RunSpec> plan(String sweepId, Parameters p) {
        int d = p.integer(FAST_FEATURES) + p.integer(SLOW_FEATURES);
        List<RunSpec> runs = new ArrayList<>();
        for (int seed : CommonParameters.seeds(p)) {
            runs.add(new RunSpec(NAME, sweepId, RunSpec.runId(sweepId, "d", d, seed), d, seed, p));
        }
        return runs;
    }

    static GaussianLinearTeacher teacher(Parameters p, long seed) {
        int fast = p.integer(FAST_FEATURES);
        int slow = p.integer(SLOW_FEATURES);
        double slowScale = p.number(SLOW_SCALE);
        Random random = Seeds.stream(seed, "teacher");
        double[] fastPart = Seeds.direction(random, fast, Math.sqrt(p.number(FAST_SIGNAL)));
        double[] slowPart = Seeds.direction(random, slow, Math.sqrt(p.number(SLOW_SIGNAL)) / slowScale);
        double[] scales = new double[fast + slow];
        double[] b = new double[fast + slow];
        for (int j = 0; j < fast + slow; j++) {
            scales[j] = j < fast ? 1.0 : slowScale;
            b[j] = j < fast ? fastPart[j] : slowPart[j - fast];
        }
        return new GaussianLinearTeacher(scales, b, p.number(CommonParameters.NOISE));
    }

    @Override
    public void train(RunSpec run, RunObserver observer) throws InterruptedException {
        Parameters p = run.parameters();
        int n = p.integer(CommonParameters.TRAIN_SIZE);
        GaussianLinearTeacher teacher = teacher(p, run.seed());
        RegressionData train = teacher.sample(Seeds.stream(run.seed(), "train"), n);
        INDArray x = LinearProblem.matrix(train.x());
        LinearProblem problem = new LinearProblem(x, LinearProblem.column(train.y()), teacher::excessRisk);
        int d = teacher.dimension();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("family", "linear");
        model.put("width", d);
        model.put(
                "feature_scales",
                p.integer(FAST_FEATURES) + "x1," + p.integer(SLOW_FEATURES) + "x" + p.text(SLOW_SCALE));
        TrainingLoop.Trainee trainee =
                LinearEngines.create(p, problem, x, null, p.number(CommonParameters.LR), run.seed(), d);
        observer.started(run, new RunShape(d, n, 1, epochs(run), model));
        TrainingLoop.run(trainee, epochs(run), EvalSchedule.parse(p.text(CommonParameters.EVAL)), observer);
    }
}
