package io.descentwatch.bench.stopping;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.events.Advice;
import io.descentwatch.events.EpochEvent;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Every evaluation of chosen runs with the detector's view and each rule's stop: for reading a rule's decisions. */
public final class StoppingTrace {

    private StoppingTrace() {}

    public static void print(PrintWriter out, List<Curve> curves, String runIdPart, DetectionSettings settings) {
        RunDetector detector = new RunDetector(settings);
        // a sweep's moves depend on its own runs alone: only the traced runs' families are read
        java.util.Set<String> traced = curves.stream()
                .filter(c -> c.runId().contains(runIdPart))
                .map(Curve::family)
                .collect(java.util.stream.Collectors.toSet());
        SweepMoves sweeps = SweepMoves.of(
                curves.stream().filter(c -> traced.contains(c.family())).toList(), settings);
        for (Curve c : curves) {
            if (!c.runId().contains(runIdPart)) {
                continue;
            }
            out.printf(
                    Locale.ROOT,
                    "%s: %s, first minimum at index %d, best %.4g%n",
                    c.runId(),
                    c.kind(),
                    c.firstMinIndex(),
                    c.best());
            StringBuilder stops = new StringBuilder();
            for (StoppingRule rule : StoppingBench.rules(settings, sweeps)) {
                int i = rule.stopIndex(c);
                stops.append(String.format(
                        Locale.ROOT,
                        "  %s: epoch %d (kept %.4g)",
                        rule.name(),
                        c.events().get(i).epoch(),
                        c.keptUpTo(i)));
            }
            out.println(stops);
            RunState state = null;
            for (EpochEvent e : c.events()) {
                state = detector.step(state, e.withFinal(false), sweeps.of(c)).state();
                Advice a = state.advice().current();
                out.printf(
                        Locale.ROOT,
                        "%7d train %.5g (%.5g) test %.5g (%.5g) %-20s %-8s %s%n",
                        e.epoch(),
                        e.trainLoss(),
                        state.train().level(),
                        e.testLoss(),
                        state.test().level(),
                        state.phase(),
                        a == null ? "-" : a.verdict(),
                        a == null ? "" : a.reason());
            }
        }
        out.flush();
    }
}
