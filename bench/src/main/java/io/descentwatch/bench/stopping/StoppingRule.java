package io.descentwatch.bench.stopping;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.Patience;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.RunStep;
import io.descentwatch.detection.SweepChances;
import io.descentwatch.events.EpochEvent;
import java.util.List;

/** A way to decide, evaluation by evaluation, when to stop a run: the evaluation index it stops after. */
interface StoppingRule {

    String name();

    /** The index of the evaluation after which the run stops (the last index to train to the end). */
    int stopIndex(Curve run);

    /** Trains every run to its end. */
    static StoppingRule toTheEnd() {
        return new StoppingRule() {
            @Override
            public String name() {
                return "train to the end";
            }

            @Override
            public int stopIndex(Curve run) {
                return run.events().size() - 1;
            }
        };
    }

    /** Patience early stopping as {@link Patience} defines it (Keras, Lightning, DL4J). */
    static StoppingRule patience(int patience) {
        return new StoppingRule() {
            @Override
            public String name() {
                return "patience " + patience;
            }

            @Override
            public int stopIndex(Curve run) {
                List<EpochEvent> events = run.events();
                // the detection core's definition, which the live ledger uses too
                double best = Double.NaN;
                int without = 0;
                for (int i = 0; i < events.size(); i++) {
                    double t = events.get(i).testLoss();
                    without = Patience.withoutBest(without, t, best);
                    if (Patience.newBest(t, best)) {
                        best = t;
                    }
                    if (Patience.stops(patience, without)) {
                        return i;
                    }
                }
                return events.size() - 1;
            }
        };
    }

    /**
     * Prechelt's GL_alpha (Early Stopping - But When?, 1998): stop as soon as the generalization loss
     * 100 (E_va / E_opt - 1) exceeds alpha, E_opt being the lowest validation loss so far.
     */
    static StoppingRule prechelt(double alpha) {
        return new StoppingRule() {
            @Override
            public String name() {
                return "Prechelt GL" + (alpha == Math.rint(alpha) ? String.valueOf((long) alpha) : alpha);
            }

            @Override
            public int stopIndex(Curve run) {
                List<EpochEvent> events = run.events();
                double best = Double.MAX_VALUE;
                for (int i = 0; i < events.size(); i++) {
                    double t = events.get(i).testLoss();
                    if (!Double.isFinite(t)) {
                        return i;
                    }
                    best = Math.min(best, t);
                    if (100 * (t / best - 1) > alpha) {
                        return i;
                    }
                }
                return events.size() - 1;
            }
        };
    }

    /**
     * DescentWatch's advice, run in process as a trainer would: stop at the first STOP, each run told what {@code
     * sweeps} says its sweep had learned when it started.
     */
    static StoppingRule descentWatch(DetectionSettings settings, SweepMoves sweeps) {
        RunDetector detector = new RunDetector(settings);
        return new StoppingRule() {
            @Override
            public String name() {
                return "DescentWatch advice";
            }

            @Override
            public int stopIndex(Curve run) {
                List<EpochEvent> events = run.events();
                SweepChances sweep = sweeps.of(run);
                RunState state = null;
                for (int i = 0; i < events.size(); i++) {
                    // the trainer has not decided to end the run: what it sends has no final flag
                    EpochEvent e = events.get(i);
                    RunStep step = detector.step(state, e.isFinal() ? e.withFinal(false) : e, sweep);
                    state = step.state();
                    if (state.advice().current() != null
                            && state.advice().current().stop()) {
                        return i;
                    }
                }
                return events.size() - 1;
            }
        };
    }
}
