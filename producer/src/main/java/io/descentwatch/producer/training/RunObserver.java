package io.descentwatch.producer.training;

/** Hears a run as it trains: its shape once, every epoch (cheaply, for progress) and every evaluation. */
public interface RunObserver {

    void started(RunSpec run, RunShape shape);

    /** Called after each completed epoch, from the training thread: keep it cheap. */
    default void epochDone(long epoch) {}

    /** An evaluation, in epoch order; {@code last} is true for the run's final one. */
    void evaluated(Evaluation evaluation, boolean last);

    /**
     * Asked with each evaluation before it is reported: true ends the run there, and that evaluation is reported
     * as its last (the stopping advice: {@code train --stop auto}).
     */
    default boolean stopAfter(Evaluation evaluation) {
        return false;
    }

    RunObserver NONE = new RunObserver() {
        @Override
        public void started(RunSpec run, RunShape shape) {}

        @Override
        public void evaluated(Evaluation evaluation, boolean last) {}
    };

    static RunObserver both(RunObserver a, RunObserver b) {
        return new RunObserver() {
            @Override
            public void started(RunSpec run, RunShape shape) {
                a.started(run, shape);
                b.started(run, shape);
            }

            @Override
            public void epochDone(long epoch) {
                a.epochDone(epoch);
                b.epochDone(epoch);
            }

            @Override
            public void evaluated(Evaluation evaluation, boolean last) {
                a.evaluated(evaluation, last);
                b.evaluated(evaluation, last);
            }

            @Override
            public boolean stopAfter(Evaluation evaluation) {
                // both are asked: each may keep its own view of the run
                return a.stopAfter(evaluation) | b.stopAfter(evaluation);
            }
        };
    }
}
