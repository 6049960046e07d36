package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.detection.AdviceSettings;
import io.descentwatch.detection.ChanceMove;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.SweepChanceEvidence;
import io.descentwatch.detection.ToldChances;
import io.descentwatch.events.Advice;
import io.descentwatch.events.AdviceCodec;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.LabelledCurves;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `descentwatch detect`: the detectors offline, JSON lines in and out, bad lines reported and skipped. */
class DetectCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheAlertsOfTheDetectorsAndReportsBadLinesByNumber() throws Exception {
        List<String> lines =
                new ArrayList<>(Files.readAllLines(LabelledCurves.modelwise()).subList(0, 3000));
        lines.add(5, "[\"not an event\"]"); // line 6
        lines.add(100, "{\"schema\":\"descentwatch.epoch/v9\"}"); // line 101
        Path input = tmp.resolve("events.jsonl");
        Files.write(input, lines);

        CommandRun run = CommandRun.of("detect", "--input", input.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err())
                .contains("line 6: NOT_AN_OBJECT")
                .contains("line 101: UNKNOWN_SCHEMA")
                .contains("2 lines rejected");

        DescentDetector detector = new DescentDetector();
        EpochEventCodec codec = new EpochEventCodec();
        List<Alert> expected = new ArrayList<>();
        lines.stream()
                .map(codec::decode)
                .filter(d -> d.isValid())
                .forEach(d -> expected.addAll(detector.accept(d.value())));
        expected.addAll(detector.endOfInput());
        AlertCodec alerts = new AlertCodec();
        List<Alert> actual =
                run.out().lines().map(l -> alerts.decode(l).value()).toList();
        assertThat(actual).isEqualTo(expected).isNotEmpty();
        assertThat(actual).extracting(Alert::type).contains(AlertType.INTERPOLATION_REACHED);
    }

    @Test
    void theEndOfTheInputEndsRunsThatNeverSaidFinal() throws Exception {
        // a real preset sweep as other trainers send it: no final event, no planned run count
        List<String> stripped = LabelledCurves.strippedPresetSweeps(Set.of("rf-s8"));
        Path input = tmp.resolve("stripped.jsonl");
        Files.write(input, stripped);
        CommandRun run = CommandRun.of("detect", "--input", input.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("\"MODEL_WISE_PEAK\"", "\"INTERPOLATION_THRESHOLD\"", "\"OVERPARAMETERIZED_WINS\"");
    }

    @Test
    void withAdviceEachAdviceChangeIsAJsonLineAmongTheAlertsWhereItHappened() throws Exception {
        Path input = LabelledCurves.epochwise();
        CommandRun plain = CommandRun.of("detect", "--input", input.toString());
        CommandRun advised = CommandRun.of("detect", "--input", input.toString(), "--advice");
        assertThat(advised.exitCode()).as(advised.err()).isZero();
        List<String> adviceLines = advised.out()
                .lines()
                .filter(l -> l.contains("\"descentwatch.advice/v1\""))
                .toList();
        // the alerts are the same, in the same order; the advice lines come in between
        assertThat(advised.out()
                        .lines()
                        .filter(l -> !l.contains("\"descentwatch.advice/v1\""))
                        .toList())
                .isEqualTo(plain.out().lines().toList());
        // by default each run is told its last logged epoch as its plan (tag max_epochs), as a trainer tells it live
        DescentDetector detector = new DescentDetector();
        EpochEventCodec codec = new EpochEventCodec();
        List<EpochEvent> events = Files.readAllLines(input).stream()
                .map(l -> codec.decode(l).value())
                .toList();
        Map<String, Long> last = new HashMap<>();
        events.forEach(e -> last.merge(e.runId(), e.epoch(), Math::max));
        List<Advice> expected = new ArrayList<>();
        for (EpochEvent e : events) {
            detector.accept(e.withTag(EpochEvent.MAX_EPOCHS_TAG, Long.toString(last.get(e.runId()))), expected::add);
        }
        AdviceCodec adviceCodec = new AdviceCodec();
        assertThat(adviceLines.stream().map(l -> adviceCodec.decode(l).value()).toList())
                .isEqualTo(expected)
                .isNotEmpty();
        assertThat(adviceLines.get(0))
                .contains("\"run_id\"", "\"epoch\"", "\"advice\"", "\"reason\"", "\"best_epoch\"");
    }

    @Test
    void withAdviceTheLedgerFollowsOnStderrPerRunAndPerSweep() throws Exception {
        // one run whose second descent wins; patience stops it at its first bump, the advice does not
        List<String> lines = new ArrayList<>();
        EpochEventCodec codec = new EpochEventCodec();
        List<EpochEvent> events = new ArrayList<>();
        double[] test = {2.0, 1.5, 1.0, 1.1, 1.2, 1.3, 1.25, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45};
        for (int i = 0; i < test.length; i++) {
            events.add(EpochEvent.builder()
                    .runId("wins")
                    .sweepId("ledger-sweep")
                    .epoch(i + 1)
                    .trainLoss(1.0 / (i + 1))
                    .testLoss(test[i])
                    .paramCount(50)
                    .trainSize(100)
                    .time(Instant.EPOCH.plusSeconds(i))
                    .build());
        }
        events.forEach(e -> lines.add(codec.encodeToString(e)));
        Path input = tmp.resolve("ledger.jsonl");
        Files.write(input, lines);
        CommandRun run = CommandRun.of("detect", "--input", input.toString(), "--advice");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String err = run.err();
        assertThat(err).contains("advice ledger", "sweep ledger-sweep");
        String row = err.lines()
                .filter(l -> l.trim().startsWith("wins "))
                .findFirst()
                .orElseThrow();
        // best 0.45 at epoch 16; patience 3 stops at epoch 6 (three evaluations without a new best after epoch 3)
        assertThat(row).contains("0.450 (16)", "stop 6, keeps 1.00 @3 (+122%)");
        String totals = err.lines()
                .filter(l -> l.trim().startsWith("patience 3 "))
                .findFirst()
                .orElseThrow();
        assertThat(totals.trim().split(" {2,}"))
                .containsExactly("patience 3", "1 of 1", "6 of 16 (37.5%)", "0 of 1", "+122%");
        // and none of it on stdout: that stays JSON lines
        assertThat(run.out().lines()).allSatisfy(l -> assertThat(l).startsWith("{"));
    }

    @Test
    void theLedgerTablesTheChanceToldAgainstWhatFollowedPerSweep() throws Exception {
        Path input = risingToTheEnd("rises", null);
        CommandRun run = CommandRun.of("detect", "--input", input.toString(), "--advice", "--max-epochs", "none");
        assertThat(run.exitCode()).as(run.err()).isZero();

        // the same input through the library, to its end as the command reads it
        DescentDetector detector = new DescentDetector();
        EpochEventCodec codec = new EpochEventCodec();
        for (String line : Files.readAllLines(input)) {
            detector.accept(codec.decode(line).value());
        }
        detector.endOfInput();
        List<ToldChances.Told> told = detector.runs().get("rises").ledger().toldOutcomes();
        assertThat(told).isNotEmpty();

        List<String> err = run.err().lines().toList();
        int header = err.indexOf(err.stream()
                .filter(l -> l.contains("the chance told with the advice against what followed"))
                .findFirst()
                .orElseThrow());
        assertThat(err.get(header)).contains("(" + told.size() + " told before a run's last evaluation");
        List<ToldChances.Bin> bins = ToldChances.bins(told);
        for (int i = 0; i < bins.size(); i++) {
            ToldChances.Bin b = bins.get(i);
            assertThat(err.get(header + 2 + i).trim().split(" {2,}"))
                    .startsWith(
                            String.format(java.util.Locale.ROOT, "%.1f-%.1f", b.lo(), b.hi()),
                            String.valueOf(b.told()));
        }
        // the test loss rises to the end: whatever was told from the bump on, nothing better followed
        assertThat(told.get(told.size() - 1).beaten()).isFalse();
        // the run ended with the input: what it showed moves the chance a later run of its sweep would be told
        SweepChanceEvidence evidence = detector.sweeps().get("rising").chances();
        assertThat(evidence.told()).isEqualTo(told.size());
        ChanceMove move = evidence.move(AdviceSettings.DEFAULT_SWEEP_PRIOR);
        assertThat(run.err())
                .contains(String.format(
                        java.util.Locale.ROOT,
                        "its ended runs were told %d chances and beat %d: the chance told to a run after them moves"
                                + " by %+.2f in log-odds after a slope of %.2f (0.20, 0.50 and 0.80 would read %.2f,"
                                + " %.2f and %.2f",
                        told.size(),
                        told.stream().filter(ToldChances.Told::beaten).count(),
                        move.offset(),
                        move.slope(),
                        move.apply(0.2),
                        move.apply(0.5),
                        move.apply(0.8)));
    }

    /** A run whose test loss rises from epoch 10 to its end while its train loss keeps falling: a bump that never turns. */
    private Path risingToTheEnd(String runId, String maxEpochsTag) throws Exception {
        EpochEventCodec codec = new EpochEventCodec();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i <= 60; i++) {
            long epoch = Math.round(Math.pow(10, i / 20.0));
            double log = Math.log10(epoch);
            EpochEvent.Builder b = EpochEvent.builder()
                    .runId(runId)
                    .sweepId("rising")
                    .epoch(epoch)
                    .trainLoss(2.0 * Math.pow(epoch, -0.3))
                    .testLoss(log < 1 ? 2.0 - log : 1.0 + 0.5 * (log - 1))
                    .paramCount(50)
                    .trainSize(100)
                    .time(Instant.EPOCH.plusSeconds(epoch));
            if (maxEpochsTag != null) {
                b.tags(java.util.Map.of(EpochEvent.MAX_EPOCHS_TAG, maxEpochsTag));
            }
            lines.add(codec.encodeToString(b.build()));
        }
        Path input = tmp.resolve(runId + ".jsonl");
        Files.write(input, lines.stream().distinct().toList());
        return input;
    }

    private static List<Advice> adviceOf(CommandRun run) {
        AdviceCodec codec = new AdviceCodec();
        return run.out()
                .lines()
                .filter(l -> l.contains("\"descentwatch.advice/v1\""))
                .map(l -> codec.decode(l).value())
                .toList();
    }

    @Test
    void maxEpochsTellsTheBudgetOfRunsThatDoNotTellTheirOwn() throws Exception {
        Path untold = risingToTheEnd("untold", null);
        // without a budget a rise with a falling train loss may still turn: the advice waits to the end
        List<Advice> waiting =
                adviceOf(CommandRun.of("detect", "--input", untold.toString(), "--advice", "--max-epochs", "none"));
        assertThat(waiting).isNotEmpty().noneMatch(Advice::stop);

        // told 1,200: the rise goes on to epoch 1,000, past epoch 714, from which fewer than the turn's 0.75
        // doublings are left
        CommandRun told = CommandRun.of("detect", "--input", untold.toString(), "--advice", "--max-epochs", "1200");
        assertThat(told.exitCode()).as(told.err()).isZero();
        assertThat(adviceOf(told))
                .filteredOn(Advice::stop)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.reason()).contains("planned epoch 1200"));

        // a run that tells its own budget keeps it
        Path own = risingToTheEnd("own", "1000000");
        List<Advice> kept =
                adviceOf(CommandRun.of("detect", "--input", own.toString(), "--advice", "--max-epochs", "2000"));
        assertThat(kept).isNotEmpty().noneMatch(a -> a.reason().contains("planned epoch 2000:"));
    }

    @Test
    void byDefaultEachRunIsToldItsLastLoggedEpochAsItsPlanFromAFileOrFromStandardInput() throws Exception {
        Path untold = risingToTheEnd("untold", null); // its last event is at epoch 1000
        CommandRun fromFile = CommandRun.of("detect", "--input", untold.toString(), "--advice");
        assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
        assertThat(adviceOf(fromFile))
                .filteredOn(Advice::stop)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.reason()).contains("planned epoch 1000"));

        // standard input can be read only once: it is spooled, and the same advice comes out
        InputStream stdin = System.in;
        CommandRun fromStdin;
        try (InputStream in = Files.newInputStream(untold)) {
            System.setIn(in);
            fromStdin = CommandRun.of("detect", "--advice");
        } finally {
            System.setIn(stdin);
        }
        assertThat(fromStdin.exitCode()).as(fromStdin.err()).isZero();
        assertThat(adviceOf(fromStdin)).isEqualTo(adviceOf(fromFile));
        assertThat(fromStdin.err()).contains(" 0 lines rejected");

        // a run that tells its own budget keeps it
        Path own = risingToTheEnd("own", "1000000");
        assertThat(adviceOf(CommandRun.of("detect", "--input", own.toString(), "--advice")))
                .isNotEmpty()
                .noneMatch(a -> a.reason().contains("planned epoch 1000:"));
    }

    @Test
    void aMaxEpochsThatIsNeitherANumberNorLastNorNoneStopsBeforeAnythingStarts() {
        for (String bad : List.of("0", "soon", "-3")) {
            CommandRun run = CommandRun.of("detect", "--input", "does-not-matter.jsonl", "--max-epochs", bad);
            assertThat(run.exitCode()).as(bad).isEqualTo(2);
            assertThat(run.err()).contains("--max-epochs").contains("'last'").contains("'none'");
        }
    }

    @Test
    void anAdviceSettingOutOfRangeStopsBeforeAnythingStarts() {
        CommandRun run = CommandRun.of("detect", "--input", "does-not-matter.jsonl", "--advice-train-fall", "2");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--advice-train-fall").contains("(0, 1)");
    }

    @Test
    void aThresholdFlagChangesWhatIsDetected() throws Exception {
        Path input = LabelledCurves.epochwise();
        CommandRun defaults = CommandRun.of("detect", "--input", input.toString());
        CommandRun strict = CommandRun.of("detect", "--input", input.toString(), "--rise-threshold", "0.5");
        assertThat(strict.out()
                        .lines()
                        .filter(l -> l.contains("TEST_LOSS_RISING"))
                        .count())
                .isLessThan(defaults.out()
                        .lines()
                        .filter(l -> l.contains("TEST_LOSS_RISING"))
                        .count());
    }

    @Test
    void aSweepPastTheCapOnSizesIsSaidOnceOnStderr() throws Exception {
        EpochEventCodec codec = new EpochEventCodec();
        List<String> lines = new ArrayList<>();
        for (int size = 1; size <= 20; size++) {
            lines.add(codec.encodeToString(EpochEvent.builder()
                    .runId("wide/p" + size * 10)
                    .sweepId("wide")
                    .epoch(1)
                    .trainLoss(0.5)
                    .testLoss(1.0)
                    .paramCount(size * 10L)
                    .trainSize(100)
                    .time(Instant.EPOCH)
                    .build()
                    .withFinal(true)));
        }
        Path input = tmp.resolve("wide.jsonl");
        Files.write(input, lines);
        CommandRun run = CommandRun.of("detect", "--input", input.toString(), "--sweep-max-sizes", "16");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err().lines().filter(l -> l.contains("more than 16 model sizes")))
                .singleElement()
                .asString()
                .contains("sweep wide", "wide/p170", "--sweep-max-sizes");
    }

    @Test
    void aBadFlagValueNamesTheFlag() {
        CommandRun run = CommandRun.of("detect", "--rise-threshold", "lots");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--rise-threshold").contains("lots");
    }
}
