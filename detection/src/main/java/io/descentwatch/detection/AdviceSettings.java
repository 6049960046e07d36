package io.descentwatch.detection;

import io.descentwatch.options.Range;
import io.descentwatch.options.Ranges;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * The thresholds of the stopping advice ({@link StoppingAdvisor}), as picocli options with an environment
 * fallback, mixed into {@link DetectionSettings} so every command that detects also advises with the same numbers.
 * Each description says why its default is what it is; each value is checked against its {@link Range} by
 * {@link Ranges}, so a bad one stops the command before anything starts (exit 2, naming the flag and the range).
 *
 * <p>Falls are measured between the smoothed value now and the smoothed value a number of doublings of epochs ago
 * (by interpolation between stored points, in constant space), because training curves move on a log scale of
 * epochs: a feature that is learned 10x slower shows up a decade later, and a fall per step would call it flat.
 */
public final class AdviceSettings {

    @Option(names = "--advice-train-fall", defaultValue = "${env:DW_ADVICE_TRAIN_FALL:-0.01}",
            description = "While the test loss is above its first minimum, the advice is CONTINUE as long as the "
                    + "smoothed train loss still falls by more than this fraction over the advice span (default "
                    + "${DEFAULT-VALUE}), a fraction in (0, 1). A second descent is the fitting of slower features, and "
                    + "fitting them lowers the train loss: on the shipped two-scale runs the train loss falls 3-10%% "
                    + "per doubling while their second descent builds up, and under 0.5%% once it has run its "
                    + "course. 1%% sits between, so a run whose train loss has stopped moving is told to stop.")
    @Range(above = "0", below = "1")
    double trainFall;

    @Option(names = "--advice-test-fall", defaultValue = "${env:DW_ADVICE_TEST_FALL:-0.01}",
            description = "A falling test loss keeps the advice at CONTINUE while it falls by more than this fraction "
                    + "over the advice span (default ${DEFAULT-VALUE}), a fraction in (0, 1). Below it, a second descent "
                    + "counts as levelled off; 1%% per doubling is what is left to gain is within the 2%% a kept "
                    + "checkpoint is judged by, over the next doubling.")
    @Range(above = "0", below = "1")
    double testFall;

    @Option(names = "--advice-reach", defaultValue = "${env:DW_ADVICE_REACH:-1}",
            description = "STOP once the smoothed test loss is above its first minimum by more than this multiple of "
                    + "the smoothed train loss (default ${DEFAULT-VALUE}), in [0.1, 100]. A second descent lowers "
                    + "the test loss by learning signal, which lowers the train loss by about as much, and the train "
                    + "loss cannot fall below zero: 1 is that bound for a train and a test loss on the same scale. "
                    + "Raise it when the test loss is measured on another scale than the train loss.")
    @Range(min = "0.1", max = "100")
    double reach;

    @Option(names = "--advice-span", defaultValue = "${env:DW_ADVICE_SPAN:-1}",
            description = "How far back falls are measured, in doublings of epochs (default ${DEFAULT-VALUE}), in "
                    + "[0.25, 4]: at epoch 800, one doubling compares with epoch 400. One doubling is long enough "
                    + "for the smoothing (a 0.15 log-epoch time constant) to have settled and short enough to "
                    + "notice within one doubling that a run has stopped learning.")
    // shorter than a quarter doubling is within the smoothing's lag; longer than four waits for ever
    @Range(min = "0.25", max = "4")
    double spanDoublings;

    /** The documented defaults (environment variables applied), read from the annotations above. */
    public static AdviceSettings defaults() {
        return parse();
    }

    /** Defaults overridden by command-line style arguments, e.g. {@code parse("--advice-train-fall", "0.02")}. */
    public static AdviceSettings parse(String... args) {
        return Ranges.parse(new AdviceSettings(), args);
    }

    public double trainFall() {
        return trainFall;
    }

    public double testFall() {
        return testFall;
    }

    public double reach() {
        return reach;
    }

    /** The span in log-epochs: {@code ln 2} per doubling. */
    public double spanLogEpochs() {
        return spanDoublings * Math.log(2);
    }

    public double spanDoublings() {
        return spanDoublings;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "AdviceSettings{trainFall=%s, testFall=%s, reach=%s, spanDoublings=%s}",
                trainFall, testFall, reach, spanDoublings);
    }
}
