package io.descentwatch.bench;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.AlertType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each sweep's live verdicts, as serve showed them, set beside its truth and the offline detector's on the same
 * events, case by case: the figures of each case, the sweeps where live and offline differ, and one line per sweep.
 */
record LiveVerdicts(
        SendSchedule sent,
        ServeApiPoller api,
        AlertTopicTimes topic,
        DetectionSettings detection,
        Duration idleTimeout) {

    /**
     * Every case's figures; each sweep complete on both sides whose live and offline verdicts differ, with what each
     * said; and one line per sweep, from {@link #detail}.
     */
    record Scored(List<SweepLiveBench.Row> rows, List<String> disagreements, List<String> details) {}

    /** Every case's figures, {@code caseOf} giving the place of each sweep's case in {@code cases}. */
    Scored score(List<LiveSweep.Case> cases, List<LiveSweep> sweeps, List<Integer> caseOf) {
        Scored scored = new Scored(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int c = 0; c < cases.size(); c++) {
            scored.rows().add(row(c, cases.get(c), sweeps, caseOf, scored));
        }
        return scored;
    }

    /** The figures of case {@code c}; its sweeps' disagreements and details added to {@code scored}'s. */
    private SweepLiveBench.Row row(
            int c, LiveSweep.Case k, List<LiveSweep> sweeps, List<Integer> caseOf, Scored scored) {
        int n = 0;
        int livePeaks = 0;
        int atTrue = 0;
        int withinOne = 0;
        int complete = 0;
        int agree = 0;
        int offlinePeaks = 0;
        List<Double> seconds = new ArrayList<>();
        List<Double> secondsOnTopic = new ArrayList<>();
        for (int i = 0; i < sweeps.size(); i++) {
            if (caseOf.get(i) != c) {
                continue;
            }
            n++;
            LiveSweep sweep = sweeps.get(i);
            Map<AlertType, ServeApiPoller.Seen> liveAlerts = api.seen.getOrDefault(sweep.sweepId, Map.of());
            Map<AlertType, Long> offline = OfflineVerdicts.of(sent.sent(i), detection);
            ServeApiPoller.Seen peak = liveAlerts.get(AlertType.MODEL_WISE_PEAK);
            offlinePeaks += offline.containsKey(AlertType.MODEL_WISE_PEAK) ? 1 : 0;
            if (peak != null) {
                livePeaks++;
                int at = sweep.indexOf(peak.paramCount());
                atTrue += sweep.peak >= 0 && at == sweep.peak ? 1 : 0;
                withinOne += sweep.peak >= 0 && at >= 0 && Math.abs(at - sweep.peak) <= 1 ? 1 : 0;
                Long topicAt =
                        topic.onTopic.getOrDefault(sweep.sweepId, Map.of()).get(AlertType.MODEL_WISE_PEAK);
                if (sweep.peak >= 0) {
                    long decided = deciding(sweep, sent.lastSent(i), idleTimeout);
                    seconds.add((peak.atNanos() - decided) / 1e9);
                    if (topicAt != null) {
                        secondsOnTopic.add((topicAt - decided) / 1e9);
                    }
                }
            }
            scored.details()
                    .add(detail(
                            sweep, sent.lastSent(i), idleTimeout, peak, offline, api.completeAt.get(sweep.sweepId)));
            if (api.completeAt.containsKey(sweep.sweepId)) {
                complete++;
                Map<AlertType, Long> liveVerdicts = new EnumMap<>(AlertType.class);
                liveAlerts.forEach((type, seen) -> liveVerdicts.put(type, seen.paramCount()));
                if (liveVerdicts.equals(offline)) {
                    agree++;
                } else {
                    scored.disagreements().add(sweep.sweepId + ": live " + liveVerdicts + ", offline " + offline);
                }
            }
        }
        return new SweepLiveBench.Row(
                k, n, livePeaks, atTrue, withinOne, seconds, secondsOnTopic, complete, agree, offlinePeaks);
    }

    /** One sweep: its truth, its live and offline peaks, and when its peak and its completeness came. */
    private static String detail(
            LiveSweep sweep,
            long[] lastSent,
            Duration idleTimeout,
            ServeApiPoller.Seen peak,
            Map<AlertType, Long> offline,
            Long completeAt) {
        long last = java.util.Arrays.stream(lastSent).max().orElse(0);
        String truth = sweep.peak < 0
                ? "no peak"
                : String.format(
                        Locale.ROOT,
                        "peak at %d (%.2fx over %d and %d)",
                        sweep.sizes[sweep.peak],
                        sweep.prominence,
                        sweep.sizes[sweep.bestBelow],
                        sweep.sizes[sweep.bestAbove]);
        String live = peak == null
                ? "none"
                : sweep.peak < 0
                        ? peak.paramCount() + " (false)"
                        : String.format(
                                Locale.ROOT,
                                "%d, %+.1f s after the deciding event",
                                peak.paramCount(),
                                (peak.atNanos() - deciding(sweep, lastSent, idleTimeout)) / 1e9);
        Long off = offline.get(AlertType.MODEL_WISE_PEAK);
        return String.format(
                Locale.ROOT,
                "%s (%s): true %s; live peak %s; offline peak %s; complete %s",
                sweep.sweepId,
                sweep.sendsFinal ? "final" : "no final",
                truth,
                live,
                off == null ? "none" : off,
                completeAt == null
                        ? "never"
                        : String.format(Locale.ROOT, "%.1f s after its last event", (completeAt - last) / 1e9));
    }

    /** When the sizes that decide the peak had ended, as the detector can know it (System.nanoTime). */
    private static long deciding(LiveSweep sweep, long[] lastSent, Duration idleTimeout) {
        long latest = Long.MIN_VALUE;
        for (int r = 0; r < sweep.runs.size(); r++) {
            if (sweep.decides(sweep.runs.get(r))) {
                long end = lastSent[r] + (sweep.sendsFinal ? 0 : idleTimeout.toNanos());
                latest = Math.max(latest, end);
            }
        }
        return latest;
    }
}
