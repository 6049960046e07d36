package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Once every run of a sweep has finished, what the sweep detector has said must not depend on the order the runs
 * arrived in: all training at once, one after another from the smallest (as a live sweep finishes), or even the
 * largest first (a replay of one file per run). Without the producer's run count a live sweep cannot know that a
 * smaller model is still to come until every run has gone quiet (here: the end of the input), so with the count
 * the verdicts may come earlier, never differ, except for one thing: a peak that stands out far enough is named
 * while the sweep still grows, on the sizes that have ended, and a size arriving later next to it may stand a
 * little higher; so the peak may name a neighbour of the size a later look would name, never more.
 */
class ArrivalOrderTest {

    @Test
    void sweepAlertsAreTheSameWhetherRunsArriveTogetherOrSmallestFirst() throws IOException {
        List<EpochEvent> interleaved = corpus(false);
        Said reference = sweepAlerts(interleaved);
        assertThat(reference.verdicts())
                .as("the corpus has sweep alerts to compare")
                .hasSizeGreaterThan(20);
        sweepAlerts(orderedBySize(interleaved, false)).assertSameAs(reference);
    }

    @Test
    void withThePlannedRunCountSweepAlertsAreTheSameInAnyOrder() throws IOException {
        List<EpochEvent> interleaved = corpus(true);
        Said reference = sweepAlerts(interleaved);
        sweepAlerts(corpus(false)).assertSameAs(reference);
        sweepAlerts(orderedBySize(interleaved, false)).assertSameAs(reference);
        sweepAlerts(orderedBySize(interleaved, true)).assertSameAs(reference);
    }

    /** The corpus, optionally with each event telling its sweep's run count as the shipped trainers do. */
    private static List<EpochEvent> corpus(boolean plannedRunCount) throws IOException {
        EpochEventCodec codec = new EpochEventCodec();
        List<EpochEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(LabelledCurves.modelwise())) {
            events.add(codec.decode(line).value());
        }
        if (!plannedRunCount) {
            return events;
        }
        Map<String, Set<String>> runsOfSweep = new LinkedHashMap<>();
        events.forEach(e ->
                runsOfSweep.computeIfAbsent(e.sweepId(), k -> new TreeSet<>()).add(e.runId()));
        return events.stream()
                .map(e -> e.toBuilder()
                        .tags(Map.of(
                                EpochEvent.SWEEP_RUNS_TAG,
                                String.valueOf(runsOfSweep.get(e.sweepId()).size())))
                        .build())
                .toList();
    }

    /** Each run whole, one after another, by model size. */
    private static List<EpochEvent> orderedBySize(List<EpochEvent> interleaved, boolean largestFirst) {
        Map<String, List<EpochEvent>> byRun = new LinkedHashMap<>();
        interleaved.forEach(
                e -> byRun.computeIfAbsent(e.runId(), k -> new ArrayList<>()).add(e));
        List<List<EpochEvent>> runs = new ArrayList<>(byRun.values());
        runs.sort((a, b) -> Long.compare(a.get(0).paramCount(), b.get(0).paramCount()));
        if (largestFirst) {
            Collections.reverse(runs);
        }
        return runs.stream().flatMap(List::stream).toList();
    }

    /**
     * What each sweep finally says: the alert types and the model size each names, and where its peak is among
     * its sizes. Which over-parameterized model is first seen to win may differ (any model past the threshold that
     * beats all below it is right), so that one is compared by type only.
     */
    record Said(Set<String> verdicts, Map<String, Integer> peakIndex) {
        void assertSameAs(Said reference) {
            assertThat(verdicts).isEqualTo(reference.verdicts());
            assertThat(peakIndex.keySet()).isEqualTo(reference.peakIndex().keySet());
            peakIndex.forEach((sweep, at) -> assertThat(
                            Math.abs(at - reference.peakIndex().get(sweep)))
                    .as("%s: the peak's size, as an index among its sizes", sweep)
                    .isLessThanOrEqualTo(1));
        }
    }

    private static Said sweepAlerts(List<EpochEvent> events) {
        DescentDetector detector = new DescentDetector();
        Set<String> said = new TreeSet<>();
        Map<String, Integer> peakIndex = new TreeMap<>();
        Map<String, TreeSet<Long>> sizes = new LinkedHashMap<>();
        List<Alert> alerts = new ArrayList<>();
        for (EpochEvent e : events) {
            sizes.computeIfAbsent(e.sweepId(), k -> new TreeSet<>()).add(e.paramCount());
            alerts.addAll(detector.accept(e));
        }
        alerts.addAll(detector.endOfInput());
        for (Alert a : alerts) {
            if (a.scope() == AlertScope.SWEEP) {
                said.add(a.sweepId() + " " + a.type()
                        + switch (a.type()) {
                            case OVERPARAMETERIZED_WINS, MODEL_WISE_PEAK -> "";
                            default -> " P=" + a.paramCount();
                        });
                if (a.type() == AlertType.MODEL_WISE_PEAK) {
                    peakIndex.put(
                            a.sweepId(),
                            sizes.get(a.sweepId()).headSet(a.paramCount()).size());
                }
            }
        }
        return new Said(said, peakIndex);
    }
}
