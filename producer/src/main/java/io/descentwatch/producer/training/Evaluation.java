package io.descentwatch.producer.training;

/** One evaluation of a run after {@code epoch} completed epochs; errors are null for regression. */
public record Evaluation(long epoch, double trainLoss, double testLoss, Double trainError, Double testError) {

    public static Evaluation regression(long epoch, double trainLoss, double testLoss) {
        return new Evaluation(epoch, trainLoss, testLoss, null, null);
    }
}
