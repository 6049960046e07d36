package io.descentwatch.report;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertDetails;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.AlertWording;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a report found, one line each, for the end of a demo, the top of the HTML page and the report command: per
 * sweep the interpolation threshold, the model-wise peak and whether the over-parameterized models win, and per
 * run its second descent and whether it went below its first minimum, each with its p/n.
 */
public final class Findings {

    private Findings() {}

    public static List<String> of(Report report) {
        List<String> lines = new ArrayList<>();
        for (Report.SweepView sweep : report.sweeps()) {
            List<String> found = new ArrayList<>(found(sweep));
            long secondDescents = sweep.runs().stream()
                    .flatMap(r -> r.alerts().stream())
                    .filter(a -> a.type() == AlertType.SECOND_DESCENT)
                    .count();
            if (found.isEmpty()) {
                found.add(sweep.runs().size() + " runs, no descent alert yet");
            } else if (secondDescents == 0 && sweep.sizes() < 3) {
                found.add("no second descent yet");
            }
            String runs = sweep.runs().size() == 1 ? "1 run" : sweep.runs().size() + " runs";
            lines.add("sweep " + sweep.sweepId() + " (" + runs + "):");
            found.forEach(f -> lines.add("  " + f));
        }
        return lines;
    }

    /**
     * What one sweep found, one line each (its verdicts, then its runs' second descents, minima and divergences),
     * or nothing: how a list of many sweeps tells those with findings from the rest.
     */
    public static List<String> found(Report.SweepView sweep) {
        List<String> found = new ArrayList<>();
        sweep.alert(AlertType.INTERPOLATION_THRESHOLD)
                .ifPresent(a -> found.add(String.format(
                        Locale.ROOT,
                        "interpolation threshold at %,d parameters (p/n = %s)",
                        a.paramCount(),
                        num(a.pOverN()))));
        sweep.alert(AlertType.MODEL_WISE_PEAK)
                .ifPresent(a -> found.add(String.format(
                        Locale.ROOT,
                        "model-wise peak at %,d parameters (p/n = %s), test loss %s",
                        a.paramCount(),
                        num(a.pOverN()),
                        detail(a, AlertDetails.PEAK_LOSS))));
        sweep.alert(AlertType.OVERPARAMETERIZED_WINS)
                .ifPresent(a -> found.add(String.format(
                        Locale.ROOT,
                        "over-parameterized wins: %,d parameters (p/n = %s) reach test loss %s, under the best "
                                + "model below the threshold (%s at %s parameters)",
                        a.paramCount(),
                        num(a.pOverN()),
                        detail(a, AlertDetails.LOSS),
                        detail(a, AlertDetails.BEST_BELOW_LOSS),
                        detail(a, AlertDetails.BEST_BELOW_PARAM_COUNT))));
        for (Report.RunView run : sweep.runs()) {
            for (Alert a : run.alerts()) {
                if (a.type() == AlertType.SECOND_DESCENT) {
                    found.add(String.format(
                            Locale.ROOT,
                            "second descent in %s (p/n = %s) at epoch %,d: "
                                    + "test loss %s, down from peak %s at epoch %s",
                            run.runId(),
                            num(a.pOverN()),
                            a.epoch(),
                            detail(a, AlertDetails.LOSS),
                            detail(a, AlertDetails.PEAK_LOSS),
                            detail(a, AlertDetails.PEAK_EPOCH)));
                } else if (a.type() == AlertType.BELOW_FIRST_MINIMUM) {
                    found.add(String.format(
                            Locale.ROOT,
                            "below first minimum in %s (p/n = %s) at epoch %,d: " + "test loss %s under %s",
                            run.runId(),
                            num(a.pOverN()),
                            a.epoch(),
                            detail(a, AlertDetails.LOSS),
                            detail(a, AlertDetails.FIRST_MIN_LOSS)));
                } else if (a.type() == AlertType.DIVERGED) {
                    found.add(String.format(Locale.ROOT, "%s diverged at epoch %,d", run.runId(), a.epoch()));
                }
            }
        }
        return found;
    }

    private static String detail(Alert a, String key) {
        return AlertDetails.shown(a, key);
    }

    static String num(double v) {
        return AlertWording.num(v);
    }
}
