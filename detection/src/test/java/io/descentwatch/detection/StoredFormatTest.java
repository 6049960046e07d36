package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Advice;
import io.descentwatch.events.AlertType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The store format byte for byte: the fixtures under {@code state-format/} were written by the detector in format 8
 * (the run's first test loss, at the end of each run state), those of format 7 before it (the chances told, at the end
 * of each ledger), and those of format 6 before its state was grouped into records. Every number in these states is
 * distinct and the flags differ between them, so a codec that swaps two fields of one type, or two flags, writes other
 * bytes and fails here; and a store written in format 7 or 6 must still decode to the same state, with no first test
 * loss (and, from format 6, no chances told).
 */
class StoredFormatTest {

    private final BinaryStateCodec codec = new BinaryStateCodec();

    @Test
    void aFinishedRunIsWrittenAndReadAsBefore() throws IOException {
        assertRunFormat(finishedRun(8), fixture("finished-run-v8.hex"));
    }

    @Test
    void aQuietRunIsWrittenAndReadAsBefore() throws IOException {
        assertRunFormat(quietRun(8), fixture("quiet-run-v8.hex"));
    }

    @Test
    void aSummaryWithoutAdviceOrLedgerIsWrittenAndReadAsBefore() throws IOException {
        byte[] stored = fixture("bare-summary-v8.hex");
        assertThat(HexFormat.of().formatHex(codec.encodeSummary(bareSummary())))
                .isEqualTo(HexFormat.of().formatHex(stored));
        assertThat(codec.decodeSummary(stored)).isEqualTo(bareSummary());
    }

    @Test
    void statesStoredInFormatSevenReadWithNoFirstTestLoss() throws IOException {
        assertReads(finishedRun(7), codec.decodeRun(fixture("finished-run-v7.hex")));
        assertReads(quietRun(7), codec.decodeRun(fixture("quiet-run-v7.hex")));
        assertThat(codec.decodeSummary(fixture("bare-summary-v7.hex"))).isEqualTo(bareSummary());
    }

    /**
     * The divergence check's start for a run in progress across the upgrade: its first test loss after it. A state of
     * format 7 is the same bytes as format 8 without the first test loss at the end.
     */
    @Test
    void aRunStoredInFormatSevenTakesItsFirstTestLossAfterTheUpgrade() {
        RunDetector detector = new RunDetector();
        RunState s = null;
        for (int i = 0; i < 20; i++) {
            s = detector.step(s, StopLedgerTest.event(i, 1.0 / (i + 1))).state();
        }
        assertThat(s.curve().firstTestLoss()).isEqualTo(1.0);
        byte[] current = codec.encodeRun(s);
        byte[] v7 = java.util.Arrays.copyOf(current, current.length - 8);
        v7[0] = 7;
        RunState stored = codec.decodeRun(v7);
        assertThat(stored.curve().firstTestLoss()).isNaN();
        RunState after = detector.step(stored, StopLedgerTest.event(20, 0.05)).state();
        assertThat(after.lastEpoch()).isEqualTo(20);
        assertThat(after.curve().firstTestLoss()).isEqualTo(0.05);
    }

    @Test
    void statesStoredInFormatSixReadWithNoChancesTold() throws IOException {
        assertReads(finishedRun(6), codec.decodeRun(fixture("finished-run-v6.hex")));
        assertReads(quietRun(6), codec.decodeRun(fixture("quiet-run-v6.hex")));
        assertThat(codec.decodeSummary(fixture("bare-summary-v6.hex"))).isEqualTo(bareSummary());
    }

    @Test
    void theStoredStatesDifferInEveryFlag() {
        RunState finished = finishedRun(BinaryStateCodec.VERSION);
        RunState quiet = quietRun(BinaryStateCodec.VERSION);
        assertThat(finished.finished()).isNotEqualTo(quiet.finished());
        assertThat(finished.idle()).isNotEqualTo(quiet.idle());
        assertThat(finished.finished()).isNotEqualTo(finished.idle());
        RunSummary[] summaries = {finished.reported(), quiet.reported(), bareSummary()};
        // as bits over the three summaries, no two flags read alike: a swap of any two changes some record
        Set<String> patterns = new java.util.HashSet<>();
        patterns.add(bits(summaries, RunSummary::interpolated));
        patterns.add(bits(summaries, RunSummary::finished));
        patterns.add(bits(summaries, RunSummary::diverged));
        patterns.add(bits(summaries, RunSummary::idle));
        assertThat(patterns).hasSize(4);
    }

    private static String bits(RunSummary[] summaries, java.util.function.Predicate<RunSummary> flag) {
        StringBuilder b = new StringBuilder();
        for (RunSummary s : summaries) {
            b.append(flag.test(s) ? '1' : '0');
        }
        return b.toString();
    }

    /** The state encodes to the stored bytes, and the stored bytes decode to it. */
    private void assertRunFormat(RunState state, byte[] stored) {
        assertThat(HexFormat.of().formatHex(codec.encodeRun(state)))
                .isEqualTo(HexFormat.of().formatHex(stored));
        assertReads(state, codec.decodeRun(stored));
    }

    private static void assertReads(RunState state, RunState read) {
        // records holding arrays compare arrays by identity: compare through the JSON codec instead
        PublishedJson json = new PublishedJson();
        assertThat(new String(json.encodeRun(read), StandardCharsets.UTF_8))
                .isEqualTo(new String(json.encodeRun(state), StandardCharsets.UTF_8));
        assertThat(read.reported()).isEqualTo(state.reported());
        // the chances told and the first test loss are the detector's own, not in the JSON
        assertThat(read.ledger().told()).isEqualTo(state.ledger().told());
        assertThat(Double.doubleToLongBits(read.curve().firstTestLoss()))
                .as("first test loss")
                .isEqualTo(Double.doubleToLongBits(state.curve().firstTestLoss()));
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = StoredFormatTest.class.getResourceAsStream("/state-format/" + name)) {
            assertThat(in).as(name).isNotNull();
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    /**
     * Said final, not quiet; every landmark set; its summary interpolated and finished, not diverged, not quiet; as
     * stored in {@code format} (chances told from 7, the first test loss from 8).
     */
    static RunState finishedRun(int format) {
        boolean told = format >= BinaryStateCodec.FIRST_TOLD_CHANCES;
        RunSummary reported = new RunSummary(
                new RunFacts("run-a", "sweep-a", new RunSize(1001, 1002, 13)),
                1003,
                Instant.ofEpochSecond(1_700_000_001L, 5),
                RunPhase.SECOND_DESCENT,
                0.101,
                1004,
                0.102,
                RunActivity.FINISHED,
                14,
                advice("run-a", "sweep-a", 0),
                ledger(0, told));
        return new RunState(
                new RunFacts("run-a", "sweep-a", new RunSize(1011, 1012, 15)),
                new RunProgress(
                        1013,
                        Instant.ofEpochSecond(1_700_000_002L, 6),
                        new RunProgress.EventCounts(1014, 1015),
                        RunActivity.FINISHED),
                new RunCurve(
                        RunPhase.BELOW_FIRST_MINIMUM,
                        series(0.2),
                        format >= BinaryStateCodec.FIRST_TEST_LOSS_KEPT ? 0.1101 : Double.NaN,
                        new RunCurve.Landmarks(
                                new Landmark(1016, 0.112, 0.113),
                                new Landmark(1017, 0.114, 0.115),
                                new Landmark(1018, 0.116, 0.117)),
                        series(0.3),
                        0.111,
                        new RunCurve.Streaks(16, 0.118, 17, 1019, 18),
                        1020),
                new RunVerdicts(
                        EnumSet.of(AlertType.TEST_LOSS_RISING, AlertType.SECOND_DESCENT),
                        reported,
                        new AdviceState(1021, 0.119, history(0.4), 1022, 19, advice("run-a", "sweep-a", 100)),
                        ledger(100, told)));
    }

    /** Quiet, not finished; no peak or low yet; its summary interpolated and diverged, not finished, not quiet. */
    static RunState quietRun(int format) {
        boolean told = format >= BinaryStateCodec.FIRST_TOLD_CHANCES;
        RunSummary reported = new RunSummary(
                new RunFacts("run-b", "sweep-b", new RunSize(2001, 2002, 23)),
                2003,
                Instant.ofEpochSecond(1_700_000_003L, 7),
                RunPhase.DIVERGED,
                0.201,
                2004,
                0.202,
                RunActivity.TRAINING,
                24,
                advice("run-b", "sweep-b", 200),
                ledger(200, told));
        return new RunState(
                new RunFacts("run-b", "sweep-b", new RunSize(2011, 2012, 25)),
                new RunProgress(
                        2013,
                        Instant.ofEpochSecond(1_700_000_004L, 8),
                        new RunProgress.EventCounts(2014, 2015),
                        RunActivity.QUIET),
                new RunCurve(
                        RunPhase.RISING,
                        series(0.5),
                        format >= BinaryStateCodec.FIRST_TEST_LOSS_KEPT ? 0.2101 : Double.NaN,
                        new RunCurve.Landmarks(new Landmark(2016, 0.212, 0.213), null, null),
                        series(0.6),
                        0.211,
                        new RunCurve.Streaks(26, 0.214, 27, 2017, 28),
                        -1),
                new RunVerdicts(
                        Set.of(),
                        reported,
                        new AdviceState(2018, 0.215, history(0.7), 2019, 29, null),
                        ledger(300, told)));
    }

    /** A summary on its own: not interpolated, finished or diverged, but quiet; no advice, no ledger. */
    static RunSummary bareSummary() {
        return new RunSummary(
                new RunFacts("run-c", "sweep-c", new RunSize(3001, 3002, 33)),
                3003,
                Instant.ofEpochSecond(1_700_000_005L, 9),
                RunPhase.DESCENDING,
                0.301,
                -1,
                0.302,
                RunActivity.QUIET,
                34,
                null,
                null);
    }

    private static SmoothedSeries series(double base) {
        return new SmoothedSeries(
                new double[] {base + 0.001, base + 0.002, base + 0.003},
                base + 0.004,
                base + 0.005,
                base + 0.006,
                base + 0.007,
                base + 0.008,
                Math.round(base * 1000) + 9);
    }

    private static LevelHistory history(double base) {
        return new LevelHistory(
                new double[] {base + 0.001, base + 0.002},
                new double[] {base + 0.003, base + 0.004},
                new double[] {base + 0.005, base + 0.006});
    }

    private static Advice advice(String runId, String sweepId, int base) {
        return new Advice(
                runId,
                sweepId,
                4001 + base,
                Advice.Verdict.CONTINUE,
                Advice.Basis.SECOND_DESCENT_POSSIBLE,
                0.401 + base,
                "reason " + base,
                4002 + base,
                0.402 + base,
                Instant.ofEpochSecond(1_700_000_100L + base, 10));
    }

    private static LedgerState ledger(int base, boolean told) {
        return new LedgerState(
                5001 + base,
                0.501 + base,
                5002 + base,
                track(5010 + base),
                track(5020 + base),
                track(5030 + base),
                told
                        ? List.of(
                                new ChanceTold(0.0625 + base / 1000.0, 5040 + base, 0.541 + base, -0.75f + base),
                                new ChanceTold(0.3125 + base / 1000.0, 5050 + base, 0.551 + base, 0.875f + base))
                        : List.of());
    }

    private static RuleTrack track(int base) {
        return new RuleTrack(base + 1, base + 2, base + 0.003, base + 4, base + 5);
    }
}
