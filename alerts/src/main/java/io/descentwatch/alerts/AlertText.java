package io.descentwatch.alerts;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.AlertWording;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The one-line text form of an alert, or of a sweep's digest of run alerts, for terminals and logs. */
public final class AlertText {

    /** Runs a digest names per type; the rest are counted. */
    static final int RUNS_NAMED = 3;

    private AlertText() {}

    public static String line(Alert a) {
        return String.format(
                Locale.ROOT,
                "%s %-23s p/n %-6s %s",
                time(a.time()),
                a.type().name(),
                AlertWording.num(a.pOverN()),
                a.message());
    }

    /** A digest's line: the time of its latest alert, how many alerts it holds, and {@link #summary}. */
    public static String line(AlertDigest.Digest d) {
        return String.format(
                Locale.ROOT, "%s %-23s %s", time(d.lastTime()), d.alerts().size() + " run alerts", summary(d));
    }

    /** A notice's line: {@link #line(Alert)} or {@link #line(AlertDigest.Digest)}. */
    public static String line(AlertDigest.Notice n) {
        return n instanceof AlertDigest.Digest d ? line(d) : line(((AlertDigest.Single) n).alert());
    }

    /**
     * What a digest says, e.g. {@code sweep rf: TEST_LOSS_RISING in 12 runs (N0010/s1, N0020/s1, N0030/s1 +9),
     * SECOND_DESCENT in 2 runs (N0400/s1, N0800/s1)}: per type, how many runs and the first few by model size
     * (a run id that starts with its sweep's id is named by the rest).
     */
    public static String summary(AlertDigest.Digest d) {
        StringJoiner types = new StringJoiner(", ", "sweep " + d.sweepId() + ": ", "");
        for (Map.Entry<AlertType, List<Alert>> e : d.byType().entrySet()) {
            List<Alert> of = e.getValue();
            StringJoiner runs = new StringJoiner(", ", " (", ")");
            of.stream().limit(RUNS_NAMED).forEach(a -> runs.add(shortRun(a)));
            String more = of.size() > RUNS_NAMED ? " +" + (of.size() - RUNS_NAMED) : "";
            String named = runs.toString();
            types.add(e.getKey().name() + " in " + of.size() + (of.size() == 1 ? " run" : " runs")
                    + named.substring(0, named.length() - 1) + more + ")");
        }
        return types.toString();
    }

    /** A run's id without its sweep's, where it starts with it ({@code rf/N0100/s1} in sweep rf: N0100/s1). */
    static String shortRun(Alert a) {
        String run = a.runId() == null ? "?" : a.runId();
        String prefix = a.sweepId() + "/";
        return run.startsWith(prefix) && run.length() > prefix.length() ? run.substring(prefix.length()) : run;
    }

    private static String time(Instant t) {
        String time = t.toString().replace('T', ' ');
        int dot = time.indexOf('.');
        if (dot > 0) {
            time = time.substring(0, dot) + "Z";
        }
        return time;
    }
}
