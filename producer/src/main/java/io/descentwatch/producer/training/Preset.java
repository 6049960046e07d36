package io.descentwatch.producer.training;

import java.util.List;

/**
 * An experiment: a sweep of runs (model sizes x seeds) and how to train one of them. Implementations are
 * stateless; every run gets everything it needs from its {@link RunSpec}, so any worker can train any run.
 */
public interface Preset {

    String name();

    /** One line for --help and the README. */
    String description();

    /** Every setting, with its full and --quick default. */
    List<ParameterSpec> parameters();

    /** The runs of a sweep with these settings, in the order a person would read them (by size, then seed). */
    List<RunSpec> plan(String sweepId, Parameters parameters);

    /** Epochs one run trains: for progress and scheduling. */
    default long epochs(RunSpec run) {
        return run.parameters().integer(CommonParameters.EPOCHS);
    }

    /**
     * Trains one run from scratch, reporting to the observer. Same spec, same thread count: bit-identical losses.
     *
     * @throws InterruptedException when the thread is interrupted: the run stops between epochs
     */
    void train(RunSpec run, RunObserver observer) throws InterruptedException;
}
