package io.descentwatch.producer.training;

import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Least squares on fixed features: minimise the training MSE mean((F w - y)^2) over w, from w = 0, by full-batch
 * gradient descent. Random-features readouts and linear models are both this problem; the test loss is whatever
 * the preset measures for given weights.
 *
 * @param features    n x p training features (for random features: the frozen layer's outputs)
 * @param targets     n x 1 noisy training targets
 * @param testLoss    the test loss of weights w (p values)
 */
record LinearProblem(INDArray features, INDArray targets, ToDoubleFunction<double[]> testLoss) {

    static INDArray matrix(double[][] rows) {
        return Nd4j.createFromArray(rows).castTo(DataType.DOUBLE);
    }

    static INDArray column(double[] values) {
        return Nd4j.createFromArray(values).reshape(values.length, 1).castTo(DataType.DOUBLE);
    }

    long trainSize() {
        return features.rows();
    }

    long width() {
        return features.columns();
    }

    double trainLoss(INDArray w) {
        INDArray residual = features.mmul(w).subi(targets);
        double norm = residual.norm2Number().doubleValue();
        return norm * norm / trainSize();
    }

    /**
     * The largest eigenvalue of F'F/n, from the smaller of F'F/n and FF'/n (they share their nonzero spectrum):
     * gradient descent on the MSE is stable for learning rates below 1 / that value.
     */
    double largestCurvature() {
        INDArray f = features;
        INDArray gram = f.columns() <= f.rows() ? f.transpose().mmul(f) : f.mmul(f.transpose());
        gram.divi(trainSize());
        INDArray eigenvalues = Eigen.symmetricGeneralizedEigenvalues(gram.dup(), false);
        return eigenvalues.maxNumber().doubleValue();
    }

    Evaluation evaluate(long epoch, INDArray w) {
        return Evaluation.regression(epoch, trainLoss(w), testLoss.applyAsDouble(w.toDoubleVector()));
    }
}
