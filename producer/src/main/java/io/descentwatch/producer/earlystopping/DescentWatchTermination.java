package io.descentwatch.producer.earlystopping;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Advice;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.earlystopping.termination.EpochTerminationCondition;
import org.deeplearning4j.nn.api.Model;

/**
 * A DL4J {@link EpochTerminationCondition} for {@code EarlyStoppingTrainer} that follows DescentWatch's stopping
 * advice, computed in process (no Kafka): it keeps training through the first bump while a second descent can
 * still come, and stops once none can (or once it has levelled off). The score it is given is the test loss (the
 * configuration's score calculator, minimised); the train loss comes from {@code trainLoss}, by default the
 * model's own score after its last fit (the full-batch loss for full-batch training, a noisy one otherwise: the
 * advice smooths it).
 *
 * <pre>{@code
 * EarlyStoppingConfiguration<MultiLayerNetwork> conf = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
 *         .scoreCalculator(new DataSetLossCalculator(testIterator, true))
 *         .epochTerminationConditions(DescentWatchTermination.forModel(net, trainExamples, 20_000),
 *                 new MaxEpochsTerminationCondition(20_000))
 *         .build();
 * }</pre>
 *
 * <p>Tell it the epochs the trainer will run at most (the {@code MaxEpochsTerminationCondition}'s): the advice then
 * also stops a rise that cannot turn in time, and a second descent too slow to pass the best before the end. The
 * trainer keeps the best model by the same score, which is the checkpoint the advice names. The condition holds the
 * run's detector state, so it is not meant to be serialised with the configuration.
 */
public final class DescentWatchTermination implements EpochTerminationCondition {

    private static final long serialVersionUID = 1L;

    private final transient DoubleSupplier trainLoss;
    private final transient DetectionSettings settings;
    private final String runId;
    private final AdvisedRun.Shape shape;
    private transient AdvisedRun run;

    /**
     * @param trainLoss the current train loss, read once per evaluated epoch
     * @param shape     the model's trainable parameters, the training examples, outputs per example and the last
     *                  epoch the trainer plans ({@link AdvisedRun.Shape#UNKNOWN_EPOCHS} when it does not say)
     */
    public DescentWatchTermination(
            String runId, DoubleSupplier trainLoss, AdvisedRun.Shape shape, DetectionSettings settings) {
        this.runId = runId;
        this.trainLoss = trainLoss;
        this.shape = shape;
        this.settings = settings;
        initialize();
    }

    /**
     * The advice with its documented defaults for a network trained for at most {@code maxEpochs} epochs, its train
     * loss read from {@link Model#score()}.
     */
    public static DescentWatchTermination forModel(Model model, long trainSize, long maxEpochs) {
        return new DescentWatchTermination(
                "dl4j-run",
                model::score,
                new AdvisedRun.Shape(model.numParams(), trainSize, 1, maxEpochs),
                DetectionSettings.defaults());
    }

    /**
     * The same without a planned end: the advice then waits out every rise while the train loss falls, and where
     * nothing better comes it lets the run train on for as long as its train loss creeps down.
     */
    public static DescentWatchTermination forModel(Model model, long trainSize) {
        return forModel(model, trainSize, AdvisedRun.Shape.UNKNOWN_EPOCHS);
    }

    @Override
    public void initialize() {
        run = new AdvisedRun(settings, runId, "dl4j", shape);
    }

    /** DL4J numbers epochs from 0 (the first completed epoch); the advice counts completed epochs. */
    @Override
    public boolean terminate(int epochNum, double score, boolean minimize) {
        double test = minimize ? score : -score;
        return run.evaluate(epochNum + 1L, trainLoss.getAsDouble(), test);
    }

    /** The advice in force: its reason says why the run stopped (or goes on). */
    public Advice advice() {
        return run.advice();
    }

    /** What DL4J reports as the termination details: the advice's reason. */
    @Override
    public String toString() {
        Advice a = run == null ? null : run.advice();
        return "DescentWatchTermination(" + (a == null ? "no advice yet" : a.verdict() + ": " + a.reason()) + ")";
    }
}
