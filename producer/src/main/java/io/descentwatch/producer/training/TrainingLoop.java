package io.descentwatch.producer.training;

/**
 * Full-batch training for a number of epochs, evaluating on a schedule. One epoch is one step of gradient descent
 * on the whole training set (that is what the experiments measure: no minibatch noise blurs the curves).
 */
final class TrainingLoop {

    /** A model being trained. */
    interface Trainee {
        void step();

        Evaluation evaluate(long epoch);
    }

    private TrainingLoop() {}

    /**
     * Trains and reports. A diverged run (train loss NaN or infinite) stops at that evaluation, which becomes its
     * last: divergence is data for the detector, not a reason to burn the remaining epochs.
     */
    static void run(Trainee trainee, long epochs, EvalSchedule schedule, RunObserver observer)
            throws InterruptedException {
        long[] evals = schedule.epochs(epochs);
        int next = 0;
        if (evals[0] == 0) {
            next++;
            if (report(trainee.evaluate(0), epochs == 0, observer)) {
                return;
            }
        }
        for (long e = 1; e <= epochs; e++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("training stopped at epoch " + (e - 1) + " of " + epochs);
            }
            trainee.step();
            observer.epochDone(e);
            if (next < evals.length && evals[next] == e) {
                next++;
                if (report(trainee.evaluate(e), e == epochs, observer)) {
                    return;
                }
            }
        }
    }

    /** @return whether the run ends here: its last epoch, divergence, or the observer's stop */
    private static boolean report(Evaluation evaluation, boolean last, RunObserver observer) {
        boolean diverged = !Double.isFinite(evaluation.trainLoss());
        boolean ends = last || diverged || observer.stopAfter(evaluation);
        observer.evaluated(evaluation, ends);
        return ends;
    }
}
