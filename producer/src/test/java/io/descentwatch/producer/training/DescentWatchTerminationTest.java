package io.descentwatch.producer.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Advice;
import io.descentwatch.producer.datasets.GaussianLinearTeacher;
import io.descentwatch.producer.datasets.RegressionData;
import io.descentwatch.producer.datasets.Seeds;
import io.descentwatch.producer.earlystopping.DescentWatchTermination;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DL4J termination condition on real runs of the two-scale preset (its --quick settings: lr 0.1, 4000 epochs),
 * trained by DL4J's own {@link EarlyStoppingTrainer}: it stops early where no second descent comes and does not
 * stop where the second descent wins.
 */
class DescentWatchTerminationTest {

    private static final int EPOCHS = 4000;

    @BeforeAll
    static void oneThread() {
        Nd4jRuntime.configure(1);
    }

    /** A two-scale problem with its quick settings and {@code slowSignal} carried by the slow features. */
    private static Parameters settings(String slowSignal) {
        return Parameters.resolve(
                new TwoScalePreset().parameters(),
                true,
                Map.of(TwoScalePreset.SLOW_SIGNAL, slowSignal),
                TwoScalePreset.NAME);
    }

    /** The test loss of every epoch of the same run trained to its end (the same update, without DL4J's overhead). */
    private static double bestToTheEnd(Parameters p, GaussianLinearTeacher teacher, LinearProblem problem) {
        Nd4jGradientDescent gd = new Nd4jGradientDescent(problem, p.number(CommonParameters.LR));
        double best = Double.MAX_VALUE;
        for (int e = 1; e <= EPOCHS; e++) {
            gd.step();
            best = Math.min(best, teacher.excessRisk(gd.weights()));
        }
        return best;
    }

    private record Outcome(
            EarlyStoppingResult<MultiLayerNetwork> result, DescentWatchTermination advice, double bestToTheEnd) {}

    private static Outcome train(String slowSignal) {
        Parameters p = settings(slowSignal);
        GaussianLinearTeacher teacher = TwoScalePreset.teacher(p, 1);
        RegressionData data = teacher.sample(Seeds.stream(1, "train"), p.integer(CommonParameters.TRAIN_SIZE));
        INDArray x = LinearProblem.matrix(data.x());
        INDArray y = LinearProblem.column(data.y());
        LinearProblem problem = new LinearProblem(x, y, teacher::excessRisk);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.DOUBLE)
                .updater(new Sgd(p.number(CommonParameters.LR)))
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(teacher.dimension())
                        .nOut(1)
                        .hasBias(false)
                        .activation(Activation.IDENTITY)
                        .weightInit(WeightInit.ZERO)
                        .build())
                .build());
        net.init();
        // the exact expected test loss of the current weights (Gaussian inputs make it computable)
        ScoreCalculator<MultiLayerNetwork> testLoss = new ScoreCalculator<>() {
            @Override
            public double calculateScore(MultiLayerNetwork m) {
                return teacher.excessRisk(m.getParam("0_W").toDoubleVector());
            }

            @Override
            public boolean minimizeScore() {
                return true;
            }
        };
        DescentWatchTermination advice = DescentWatchTermination.forModel(net, data.x().length, EPOCHS);
        EarlyStoppingConfiguration<MultiLayerNetwork> conf = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .scoreCalculator(testLoss)
                .modelSaver(new InMemoryModelSaver<>())
                .evaluateEveryNEpochs(1)
                .epochTerminationConditions(advice, new MaxEpochsTerminationCondition(EPOCHS))
                .build();
        EarlyStoppingResult<MultiLayerNetwork> result =
                new EarlyStoppingTrainer(conf, net, new ListDataSetIterator<>(List.of(new DataSet(x, y)))).fit();
        return new Outcome(result, advice, bestToTheEnd(p, teacher, problem));
    }

    @Test
    void withoutSlowFeaturesTheRunStopsEarlyAndKeepsTheFirstMinimum() {
        Outcome o = train("0");
        assertThat(o.result().getTerminationReason())
                .isEqualTo(EarlyStoppingResult.TerminationReason.EpochTerminationCondition);
        // at the latest by the turn: a test loss not falling once fewer than the default 1 doubling of the planned
        // epochs is left, at the first evaluation past half of them
        assertThat(o.result().getTotalEpochs()).as(o.advice().toString()).isLessThan(EPOCHS * 3 / 5);
        assertThat(o.advice().advice().stop()).isTrue();
        assertThat(o.advice().advice().basis()).isIn(Advice.Basis.NO_SECOND_DESCENT, Advice.Basis.CONVERGED);
        assertThat(o.result().getTerminationDetails()).contains("keep the checkpoint of epoch");
        // nothing better comes later: the model kept is as good as any the whole run would reach
        assertThat(o.result().getBestModelScore()).isLessThanOrEqualTo(1.02 * o.bestToTheEnd());
    }

    @Test
    void whereTheSecondDescentWinsTheRunIsNotStoppedBeforeIt() {
        Outcome o = train("1.0");
        // the second descent beats the first minimum (well under it: the preset's point)
        assertThat(o.result().getBestModelScore())
                .as(o.advice().toString())
                .isLessThanOrEqualTo(1.02 * o.bestToTheEnd());
        assertThat(o.result().getBestModelEpoch()).isGreaterThan(EPOCHS / 10);
    }
}
