package io.descentwatch.bench.stopping;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.detection.DetectionSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoppingCurvesTest {

    /** A run's events as an independent trainer writes them: wire contract v1, one JSON line each. */
    private static List<String> run(String runId, String sweepId, String tags, double[] test) {
        double[] train = new double[test.length];
        for (int i = 0; i < train.length; i++) {
            train[i] = 1.0 / (i + 1);
        }
        return run(runId, sweepId, tags, train, test);
    }

    private static List<String> run(String runId, String sweepId, String tags, double[] train, double[] test) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < test.length; i++) {
            lines.add(String.format(
                    Locale.ROOT,
                    "{\"schema\":\"descentwatch.epoch/v1\",\"run_id\":\"%s\","
                            + "\"sweep_id\":\"%s\",\"epoch\":%d,\"train_loss\":%s,\"test_loss\":%s,\"param_count\":10,"
                            + "\"train_size\":10,\"time\":\"2026-12-01T00:00:00Z\",\"tags\":{%s}%s}",
                    runId,
                    sweepId,
                    1L << i,
                    train[i],
                    test[i],
                    tags,
                    i == test.length - 1 ? ",\"final\":true" : ""));
        }
        return lines;
    }

    private static final double[] WINS = {2.0, 1.0, 0.9, 1.2, 1.4, 1.5, 1.3, 0.8, 0.6, 0.6};
    private static final double[] NOTHING_BETTER = {2.0, 1.0, 0.9, 1.2, 1.4, 1.5, 1.3, 1.0, 0.95, 1.0};
    private static final double[] NO_BUMP = {2.0, 1.5, 1.2, 1.1, 1.05, 1.0, 0.99, 0.98, 0.98, 0.97};

    private List<Curve> load(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.addAll(run("lin/a/s1", "indep-lin", "\"family\":\"lin\"", WINS));
        lines.addAll(run("lin/b/s1", "indep-lin", "\"family\":\"lin\"", NOTHING_BETTER));
        lines.addAll(run("cnn/a/s1", "indep-cnn", "\"family\":\"cnn\"", NO_BUMP));
        lines.addAll(run("plain/a/s1", "someone-elses-sweep", "", WINS));
        // the project's own trainer tags its runs with the preset: these are split by sweep into tuning/held out
        for (int s = 0; s < 8; s++) {
            lines.addAll(run("dl4j/s" + s, "stop0" + s + "-two-scale", "\"preset\":\"two-scale\"", WINS));
        }
        Path file = dir.resolve("curves.jsonl");
        Files.write(file, lines);
        return StoppingCurves.load(file);
    }

    @Test
    void aTestLossBelowZeroIsJudgedByItsSizeNotTurnedAround(@TempDir Path dir) throws IOException {
        // a test negative log-likelihood under a density over 1: its minimum -0.05 then a climb that never comes
        // back, and the same shifted down by 1, whose second descent ends 20% (of its size) under its first minimum
        double[] nothingBetter = {0.5, 0.1, -0.05, 0.2, 0.4, 0.7, 0.7, 0.6, 0.65, 0.7};
        double[] wins = {-0.5, -0.9, -1.05, -0.8, -0.6, -0.3, -0.7, -1.1, -1.26, -1.26};
        List<String> lines = new ArrayList<>(run("nll/a", "indep-nll", "\"family\":\"nll\"", nothingBetter));
        lines.addAll(run("nll/b", "indep-nll", "\"family\":\"nll\"", wins));
        Path file = dir.resolve("nll.jsonl");
        Files.write(file, lines);
        List<Curve> curves = StoppingCurves.load(file);
        assertThat(curves)
                .extracting(Curve::kind)
                .containsExactly(Curve.Kind.NOTHING_BETTER, Curve.Kind.SECOND_DESCENT_WINS);
        assertThat(curves.get(0).best()).isEqualTo(-0.05);
        // 2% of a loss's size moves it up or down, whatever its sign: a kept -0.05 is the best, not 2% short of it
        org.assertj.core.data.Offset<Double> ulp = org.assertj.core.data.Offset.offset(1e-12);
        assertThat(Curve.above(-0.05, Curve.WITHIN)).isCloseTo(-0.049, ulp);
        assertThat(Curve.below(-0.05, Curve.WITHIN)).isCloseTo(-0.051, ulp);
        assertThat(Curve.above(0.05, Curve.WITHIN)).isCloseTo(0.051, ulp);
        assertThat(Curve.excess(0.05, -0.05)).isCloseTo(2.0, ulp);
    }

    @Test
    void classifiesIndependentRunsAndNamesThemByFamilyElseSweep(@TempDir Path dir) throws IOException {
        List<Curve> curves = load(dir);
        assertThat(curves)
                .extracting(Curve::runId, Curve::family, Curve::kind)
                .startsWith(
                        org.assertj.core.groups.Tuple.tuple("lin/a/s1", "lin", Curve.Kind.SECOND_DESCENT_WINS),
                        org.assertj.core.groups.Tuple.tuple("lin/b/s1", "lin", Curve.Kind.NOTHING_BETTER),
                        org.assertj.core.groups.Tuple.tuple("cnn/a/s1", "cnn", Curve.Kind.NO_BUMP),
                        org.assertj.core.groups.Tuple.tuple(
                                "plain/a/s1", "someone-elses-sweep", Curve.Kind.SECOND_DESCENT_WINS),
                        org.assertj.core.groups.Tuple.tuple("dl4j/s0", "two-scale", Curve.Kind.SECOND_DESCENT_WINS));
        assertThat(curves.get(0).events().get(curves.get(0).firstMinIndex()).testLoss())
                .isEqualTo(0.9);
    }

    @Test
    void runsNotFromAShippedPresetAreAllHeldOut(@TempDir Path dir) throws IOException {
        List<Curve> curves = load(dir);
        assertThat(curves.stream().filter(c -> !c.fromPreset())).hasSize(4).allMatch(StoppingCurves::heldOut);
        List<Curve> presetRuns = curves.stream().filter(Curve::fromPreset).toList();
        assertThat(presetRuns).anyMatch(StoppingCurves::heldOut).anyMatch(c -> !StoppingCurves.heldOut(c));
    }

    @Test
    void byFamilyPrintsOneTablePerFamily(@TempDir Path dir) throws IOException {
        StringWriter text = new StringWriter();
        StoppingBench.print(new PrintWriter(text), load(dir), DetectionSettings.defaults(), true);
        String out = text.toString();
        assertThat(out)
                .contains("cnn, held out of design (1 runs: cnn 0 winning / 0 nothing better / 1 no bump)")
                .contains("lin, held out of design (2 runs: lin 1 winning / 1 nothing better / 0 no bump)")
                .contains("someone-elses-sweep, held out of design (1 runs:")
                .contains("two-scale, designed on (")
                .doesNotContain("tuning (");
        // a table per family, then the held-out families pooled
        assertThat(out.split("\\| DescentWatch advice \\|", -1)).hasSize(1 + 4 + 1);
    }

    @Test
    void byFamilyPoolsTheHeldOutFamiliesAndKeepsUntoldTrainingChangesApart(@TempDir Path dir) throws IOException {
        List<Curve> curves = new ArrayList<>(load(dir));
        Path grow = dir.resolve("grow.jsonl");
        Files.write(grow, run("grow/a/s1", "indep-grow", "\"family\":\"stream-grow\"", WINS));
        curves.addAll(StoppingCurves.load(grow));
        StringWriter text = new StringWriter();
        StoppingBench.print(new PrintWriter(text), curves, DetectionSettings.defaults(), true);
        // cnn, lin and someone-elses-sweep: the preset is designed on, stream-grow pooled apart
        assertThat(text.toString())
                .contains("held-out families pooled (3 families, 4 runs; outside the families whose training changes"
                        + " under the run without telling it: stream-grow)")
                // two winners, one family with a run where nothing better comes, trained to its end, its best kept
                .contains("| train to the end | 100.00% (2/2) | 100.00% | 0 of 1 | 0.00% |")
                .contains("train to the end on stream-grow: 1 of 1 winners kept");
    }

    @Test
    void listsTheRunsTheAdviceLosesWithItsReason(@TempDir Path dir) throws IOException {
        // the train loss learns, then is flat, the test loss doubled above its first minimum: the advice stops;
        // much later the test loss falls far below the first minimum, which the stop loses
        double[] train = new double[18];
        java.util.Arrays.fill(train, 0.5);
        train[0] = 1.0;
        train[1] = 0.7;
        double[] test = {2.0, 1.0, 0.9, 1.5, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 1.0, 0.3, 0.3, 0.3};
        Path file = dir.resolve("lost.jsonl");
        Files.write(file, run("flat/s1", "indep-flat", "\"family\":\"flat\"", train, test));
        List<Curve> curves = StoppingCurves.load(file);
        assertThat(curves).singleElement().extracting(Curve::kind).isEqualTo(Curve.Kind.SECOND_DESCENT_WINS);
        StringWriter text = new StringWriter();
        StoppingBench.lostRuns(new PrintWriter(text), curves, DetectionSettings.defaults(), SweepMoves.NONE);
        assertThat(text.toString())
                .contains("runs whose model kept by the advice is more than 2% above their best:")
                .contains("- flat/s1 (second descent wins): STOP at epoch ")
                .contains("kept 0.9000 (first minimum " + "0.9000 at epoch 4), best 0.3000 at epoch 32768");
    }
}
