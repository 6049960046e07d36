package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Advice;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ledger, kept event by event, against a straightforward oracle that looks at each whole run at once: a
 * patience-p rule stops at the first evaluation that is the p-th in a row without a new lowest test loss, the
 * advice at the first evaluation after which the advice in force says STOP; each keeps the lowest test loss up to
 * its stop and spends its stop's epoch (the run's last epoch while still training).
 */
class StopLedgerTest {

    /** One rule's account of one run, from the whole run. */
    private record Expected(long stopEpoch, long keptEpoch, double keptLoss, long spent) {}

    private static Expected oracle(List<EpochEvent> events, int stopIndex) {
        int end = stopIndex < 0 ? events.size() - 1 : stopIndex;
        long keptEpoch = -1;
        double kept = Double.NaN;
        for (int i = 0; i <= end; i++) {
            double t = events.get(i).testLoss();
            if (Double.isFinite(t) && (Double.isNaN(kept) || t < kept)) {
                kept = t;
                keptEpoch = events.get(i).epoch();
            }
        }
        return new Expected(
                stopIndex < 0 ? -1 : events.get(stopIndex).epoch(),
                keptEpoch,
                kept,
                events.get(end).epoch());
    }

    /** The patience rule read off the whole run: -1 when it never stops. */
    private static int patienceStop(List<EpochEvent> events, int patience) {
        double best = Double.POSITIVE_INFINITY;
        int lastBest = -1;
        for (int i = 0; i < events.size(); i++) {
            double t = events.get(i).testLoss();
            if (Double.isFinite(t) && t < best) {
                best = t;
                lastBest = i;
            } else if (i - lastBest >= patience) {
                return i;
            }
        }
        return -1;
    }

    private static void assertTrack(RuleTrack track, Expected e, String what) {
        assertThat(track.stopEpoch()).as(what + " stop").isEqualTo(e.stopEpoch());
        assertThat(track.keptEpoch()).as(what + " kept epoch").isEqualTo(e.keptEpoch());
        assertThat(track.keptTestLoss()).as(what + " kept loss").isEqualTo(e.keptLoss());
        assertThat(track.epochsSpent()).as(what + " spent").isEqualTo(e.spent());
    }

    @Test
    void everyRunOfTheLabelledCorpusMatchesTheOracle() throws IOException {
        EpochEventCodec codec = new EpochEventCodec();
        DescentDetector detector = new DescentDetector();
        Map<String, List<EpochEvent>> runs = new LinkedHashMap<>();
        // the advice in force after each accepted event, as the detector's state holds it
        Map<String, List<Advice>> advice = new LinkedHashMap<>();
        for (String line : Files.readAllLines(LabelledCurves.modelwise())) {
            EpochEvent e = codec.decode(line).value();
            RunState before = detector.runs().get(e.runId());
            if (before != null && e.epoch() <= before.lastEpoch()) {
                detector.accept(e);
                continue;
            }
            detector.accept(e);
            runs.computeIfAbsent(e.runId(), id -> new ArrayList<>()).add(e);
            advice.computeIfAbsent(e.runId(), id -> new ArrayList<>())
                    .add(detector.runs().get(e.runId()).advice().current());
        }
        int adviceStops = 0;
        int patienceStops = 0;
        for (Map.Entry<String, List<EpochEvent>> run : runs.entrySet()) {
            List<EpochEvent> events = run.getValue();
            LedgerState ledger = detector.runs().get(run.getKey()).ledger();
            int p3 = patienceStop(events, 3);
            assertTrack(ledger.patience3(), oracle(events, p3), run.getKey() + " patience 3");
            assertTrack(ledger.patience10(), oracle(events, patienceStop(events, 10)), run.getKey() + " patience 10");
            List<Advice> given = advice.get(run.getKey());
            int adviceStop = -1;
            for (int i = 0; i < given.size() && adviceStop < 0; i++) {
                if (given.get(i) != null && given.get(i).stop()) {
                    adviceStop = i;
                }
            }
            assertTrack(ledger.advice(), oracle(events, adviceStop), run.getKey() + " advice");
            Expected whole = oracle(events, -1);
            assertThat(ledger.bestEpoch()).isEqualTo(whole.keptEpoch());
            assertThat(ledger.bestTestLoss()).isEqualTo(whole.keptLoss());
            adviceStops += adviceStop >= 0 ? 1 : 0;
            patienceStops += p3 >= 0 ? 1 : 0;
        }
        // the corpus exercises both branches of each rule
        assertThat(adviceStops).isPositive().isLessThan(runs.size());
        assertThat(patienceStops).isPositive();
    }

    /** An evaluation of one run with a constant train loss; {@link StoredFormatTest} builds states from it too. */
    static EpochEvent event(long epoch, double test) {
        return EpochEvent.builder()
                .runId("r")
                .sweepId("s")
                .epoch(epoch)
                .trainLoss(0.5)
                .testLoss(test)
                .paramCount(10)
                .trainSize(100)
                .time(Instant.EPOCH.plusSeconds(epoch))
                .build();
    }

    private static Advice advice(long epoch, Advice.Verdict verdict) {
        return new Advice(
                "r",
                "s",
                epoch,
                verdict,
                verdict == Advice.Verdict.STOP ? Advice.Basis.NO_SECOND_DESCENT : Advice.Basis.SECOND_DESCENT_POSSIBLE,
                null,
                "why",
                -1,
                Double.NaN,
                Instant.EPOCH);
    }

    @Test
    void aWorkedExample() {
        // best 1.0 at epoch 2; a bump; a second descent to 0.5 at epoch 9
        double[] test = {2.0, 1.5, 1.0, 1.1, 1.2, 1.3, 1.2, 1.0, 0.8, 0.5, 0.6};
        LedgerState l = LedgerState.START;
        for (int i = 0; i < test.length; i++) {
            // the advice says STOP at epoch 4 only, then CONTINUE again: its first STOP is its stop
            Advice a = advice(i, i == 4 ? Advice.Verdict.STOP : Advice.Verdict.CONTINUE);
            l = StopLedger.step(l, i, test[i], a, 0);
        }
        assertThat(l.patience3().stopEpoch()).isEqualTo(5);
        assertThat(l.patience3().keptTestLoss()).isEqualTo(1.0);
        assertThat(l.patience3().epochsSpent()).isEqualTo(5);
        assertThat(l.advice().stopEpoch()).isEqualTo(4);
        assertThat(l.advice().keptEpoch()).isEqualTo(2);
        assertThat(l.patience10().stopped()).as("still training").isFalse();
        assertThat(l.patience10().keptTestLoss()).isEqualTo(0.5);
        assertThat(l.patience10().epochsSpent()).isEqualTo(10);
        assertThat(l.bestTestLoss()).isEqualTo(0.5);
        assertThat(l.kept(StopRule.PATIENCE_10)).isTrue();
        assertThat(l.kept(StopRule.PATIENCE_3)).isFalse();
        assertThat(l.patience3().excessOver(l.bestTestLoss())).isEqualTo(1.0);

        SweepLedger sweep = SweepLedger.of(List.of(l, LedgerState.START));
        assertThat(sweep.runs()).isEqualTo(1);
        assertThat(sweep.epochsSoFar()).isEqualTo(10);
        assertThat(sweep.of(StopRule.ADVICE)).isEqualTo(new SweepLedger.Totals(1, 4, 0, 1.0));
        assertThat(sweep.of(StopRule.PATIENCE_10)).isEqualTo(new SweepLedger.Totals(0, 10, 1, 0.0));
    }

    @Test
    void aStateWrittenBeforeTheLedgerStartsItsLedgerAfresh() {
        RunDetector detector = new RunDetector();
        RunState s = null;
        for (int i = 0; i < 20; i++) {
            s = detector.step(s, event(i, 1.0 / (i + 1))).state();
        }
        // a state without a reported summary, so that format 5 is the same bytes without the ledger at the end
        // (the run's best, its last epoch, three accounts)
        RunState bare = s.withReported(null);
        BinaryStateCodec codec = new BinaryStateCodec();
        byte[] current = codec.encodeRun(bare);
        assertThat(codec.decodeRun(current).ledger()).isEqualTo(s.ledger());
        // format 5 (the one before the ledger) is the same bytes without it, and without the chances told (format 7)
        // and the first test loss (format 8) that follow it
        int told = 1 + s.ledger().told().size() * (4 + 8 + 8 + 4);
        int firstTestLoss = 8;
        byte[] v5 = java.util.Arrays.copyOf(current, current.length - (3 * 8 + 3 * (4 * 8 + 4)) - told - firstTestLoss);
        v5[0] = 5;
        RunState old = codec.decodeRun(v5);
        assertThat(old.ledger()).isEqualTo(LedgerState.START);
        assertThat(old.lastEpoch()).isEqualTo(s.lastEpoch());
        // it starts afresh at the next event
        RunState next = detector.step(old, event(20, 0.01)).state();
        assertThat(next.ledger().bestEpoch()).isEqualTo(20);
        assertThat(next.ledger().lastEpoch()).isEqualTo(20);
    }
}
