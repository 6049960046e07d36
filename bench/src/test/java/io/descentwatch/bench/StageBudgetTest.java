package io.descentwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.bench.DetectorThroughputBench.Measured;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The topology's budgets: each a stage `--stages` measures, checked against its own round's floor. */
class StageBudgetTest {

    @Test
    void everyBudgetIsAStageOfTheDetectorAndNoneIsTheFloor() {
        assertThat(Arrays.stream(StageBudget.values()).map(b -> b.stage))
                .doesNotHaveDuplicates()
                .doesNotContain(StageBudget.FLOOR, Measured.PASS_THROUGH);
        assertThat(StageBudget.FLOOR).isEqualTo(Measured.VALIDATION);
    }

    @Test
    void aStageIsMeasuredAgainstTheFloorOfItsOwnRound() {
        // the rounds' own ratios are 2, 2.5 and 2 floors for the run detector, 3, 4 and 2.5 for the full one; the
        // ratios of the medians (5 and 8 against 2 µs) would be 2.5 and 4
        DetectorThroughputBench.Result r = result(round(1, 2, 3), round(2, 5, 8), round(4, 8, 10));
        assertThat(r.cpuMultiple(Measured.RUN_DETECTOR, StageBudget.FLOOR)).isEqualTo(2.0);
        assertThat(r.cpuMultiple(Measured.FULL, StageBudget.FLOOR)).isEqualTo(3.0);
    }

    @Test
    void aStageOverItsBudgetIsNamedAndFailsTheCheck() {
        double run = StageBudget.RUN_DETECTOR.floors;
        double full = StageBudget.FULL.floors;
        DetectorThroughputBench.Result within = result(round(2, 2 * run, 2 * full), round(3, 3 * run, 3 * full));
        DetectorThroughputBench.Result over =
                result(round(2, 2 * run, 2 * full + 0.1), round(3, 3 * run, 3 * full + 0.1));

        assertThat(checked(within, true).status()).isZero();
        DetectorBenchCommand failed = checked(over, true);
        assertThat(failed.status()).isEqualTo(1);
        assertThat(checked(over, false).status()).as("without --check-budget").isZero();

        StringWriter text = new StringWriter();
        checked(over, true, new PrintWriter(text));
        assertThat(text.toString())
                .contains("| " + Measured.FULL.label + " |")
                .contains("| NO |")
                .contains("over budget: [" + Measured.FULL.label + "]")
                .doesNotContain("over budget: [" + Measured.RUN_DETECTOR.label);
    }

    private static DetectorBenchCommand checked(DetectorThroughputBench.Result r, boolean check) {
        return checked(r, check, new PrintWriter(new StringWriter()));
    }

    private static DetectorBenchCommand checked(DetectorThroughputBench.Result r, boolean check, PrintWriter out) {
        DetectorBenchCommand command = new DetectorBenchCommand();
        command.checkBudget = check;
        command.printBudget(out, r);
        out.flush();
        return command;
    }

    private static DetectorThroughputBench.Result result(DetectorThroughputBench.Round... counted) {
        return new DetectorThroughputBench.Result(1_000_000, List.of(), List.of(counted), null, Map.of());
    }

    /** A round in which the floor, the run detector and the full detector cost these CPU µs per event. */
    private static DetectorThroughputBench.Round round(double floor, double runDetector, double full) {
        Map<Measured, DetectorThroughputBench.Run> runs = new EnumMap<>(Measured.class);
        for (Measured what : Measured.values()) {
            double cpu = switch (what) {
                case VALIDATION -> floor;
                case RUN_DETECTOR -> runDetector;
                case RUN_OUTPUTS, SWEEP_REPARTITION, FULL -> full;
                case PASS_THROUGH -> floor;
            };
            runs.put(
                    what,
                    new DetectorThroughputBench.Run(
                            "bench-" + what,
                            new GroupProgress.Steady(100_000, cpu),
                            new DetectorThroughputBench.Threads(Map.of(), 0)));
        }
        return new DetectorThroughputBench.Round(runs, 0.05);
    }
}
