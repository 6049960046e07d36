package io.descentwatch.producer.training;

import io.descentwatch.options.Bounds;
import io.descentwatch.producer.datasets.GaussianLinearTeacher;
import io.descentwatch.producer.datasets.RegressionData;
import io.descentwatch.producer.datasets.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Least squares on the first p of D standard Gaussian features, trained by full-batch gradient descent from zero
 * (which converges to the min-norm solution), over a sweep of p: the weak-features model of Belkin, Hsu and Xu,
 * whose expected risk has a closed form ({@link BelkinHsuXu}) that diverges at p = n. The target's coefficients
 * are equal (|b| = 1), so every feature carries the same signal. Test loss is the exact expected MSE against
 * noise-free targets, |w - b_used|^2 + |b_rest|^2 (the closed form minus sigma^2); each event carries the closed
 * form's value for its p as tag {@code bhx_test_loss}.
 */
public final class MinNormLinearPreset implements Preset {

    public static final String NAME = "minnorm-linear";
    static final String TOTAL_FEATURES = "total-features";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "min-norm least squares on the first p of D Gaussian features vs the Belkin-Hsu-Xu closed form";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.of(CommonParameters.TRAIN_SIZE, "100", "50", "Training examples n.")
                        .within(Bounds.closed(1, 1e6)),
                ParameterSpec.of(TOTAL_FEATURES, "400", "200", "Features D the target depends on.")
                        .within(Bounds.closed(1, 1e6)),
                ParameterSpec.of(
                                CommonParameters.WIDTHS,
                                "10,20,40,60,80,90,95,100,105,110,120,150,200,300,400",
                                "5,10,20,30,40,45,50,55,60,75,100,150,200",
                                "Features p the model uses (p <= D).")
                        .within(Bounds.closed(1, 1e6)),
                ParameterSpec.same(CommonParameters.NOISE, "0.5", "Standard deviation of the label noise.")
                        .within(Bounds.closed(0, 100)),
                ParameterSpec.of(CommonParameters.EPOCHS, "5000", "2000", "Full-batch gradient steps per run.")
                        .within(Bounds.closed(1, 1e8)),
                ParameterSpec.same(
                                CommonParameters.LR_SCALE,
                                "0.9",
                                "Learning rate as a fraction of the stable limit "
                                        + "1 / largest eigenvalue of X'X/n (below 1).")
                        .within(Bounds.open(0, 1)),
                CommonParameters.seeds("1", "1"),
                CommonParameters.eval("log", "log"),
                CommonParameters.engine());
    }

    @Override
    public List<RunSpec> plan(String sweepId, Parameters p) {
        int total = p.integer(TOTAL_FEATURES);
        List<RunSpec> runs = new ArrayList<>();
        for (int seed : CommonParameters.seeds(p)) {
            for (int width : p.integers(CommonParameters.WIDTHS)) {
                if (width < 1 || width > total) {
                    throw new IllegalArgumentException(
                            "width " + width + " must be in [1, total-features = " + total + "]");
                }
                runs.add(new RunSpec(NAME, sweepId, RunSpec.runId(sweepId, "p", width, seed), width, seed, p));
            }
        }
        return runs;
    }

    static GaussianLinearTeacher teacher(Parameters p) {
        int total = p.integer(TOTAL_FEATURES);
        double[] b = new double[total];
        Arrays.fill(b, 1 / Math.sqrt(total));
        return new GaussianLinearTeacher(RandomFeaturesPreset.ones(total), b, p.number(CommonParameters.NOISE));
    }

    /** The closed form for this run, as test loss (noise-free targets): NaN near p = n. */
    public static double closedFormTestLoss(Parameters p, int width) {
        int n = p.integer(CommonParameters.TRAIN_SIZE);
        int total = p.integer(TOTAL_FEATURES);
        double sigmaSq = Math.pow(p.number(CommonParameters.NOISE), 2);
        double usedSq = (double) width / total;
        return BelkinHsuXu.risk(n, width, usedSq, 1 - usedSq, sigmaSq) - sigmaSq;
    }

    @Override
    public void train(RunSpec run, RunObserver observer) throws InterruptedException {
        Parameters p = run.parameters();
        int n = p.integer(CommonParameters.TRAIN_SIZE);
        int width = run.width();
        GaussianLinearTeacher teacher = teacher(p);
        // all D features are drawn whatever p is, so runs of one seed share their data and differ only in p
        RegressionData train = teacher.sample(Seeds.stream(run.seed(), "train"), n);
        INDArray x = LinearProblem.matrix(train.x())
                .get(NDArrayIndex.all(), NDArrayIndex.interval(0, width))
                .dup('c');
        LinearProblem problem = new LinearProblem(x, LinearProblem.column(train.y()), teacher::excessRisk);
        double lr = p.number(CommonParameters.LR_SCALE) / problem.largestCurvature();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("family", "linear");
        model.put("width", width);
        TrainingLoop.Trainee trainee = LinearEngines.create(p, problem, x, null, lr, run.seed(), width);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("lr", String.valueOf(lr));
        double closedForm = closedFormTestLoss(p, width);
        if (Double.isFinite(closedForm)) {
            tags.put("bhx_test_loss", String.valueOf(closedForm));
        }
        observer.started(run, new RunShape(width, n, 1, epochs(run), model, tags));
        TrainingLoop.run(trainee, epochs(run), EvalSchedule.parse(p.text(CommonParameters.EVAL)), observer);
    }
}
