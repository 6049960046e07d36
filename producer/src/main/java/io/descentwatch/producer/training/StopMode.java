package io.descentwatch.producer.training;

/**
 * How a run ends, the {@code --stop} setting of {@code train} and {@code worker}: {@code end} at its last epoch,
 * {@code auto} at the first STOP of DescentWatch's stopping advice ({@link AdvisedStopping}).
 */
public enum StopMode {
    end,
    auto
}
