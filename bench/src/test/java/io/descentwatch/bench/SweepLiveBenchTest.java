package io.descentwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.options.CommandLines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench sweep-live} at its smallest, on a real serve: one sweep per case, fast trainers, a short idle timeout.
 * What it must do, not how fast: every case gets its row, every sweep completes and is set beside the offline
 * detector, and the clearest peaks are named live.
 */
class SweepLiveBenchTest {

    private record Run(int exitCode, String out, String err) {}

    private static Run bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = CommandLines.configured(new BenchCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void oneSweepPerCaseGivesTheTableWithEveryCaseComplete() {
        Run run = bench(
                "sweep-live",
                "--sweeps",
                "1",
                "--noise-sweeps",
                "1",
                "--evaluations",
                "4",
                "--evaluation-gap",
                "PT0.01S",
                "--stagger",
                "PT1S",
                "--run-idle-timeout",
                "PT3S",
                "--details",
                "--",
                "--peak-threshold",
                "0.10");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("sweep-live: 17 sweeps");
        List<String> rows = run.out()
                .lines()
                .filter(l -> l.startsWith("| ") && !l.startsWith("| sweeps ") && !l.startsWith("| ---"))
                .toList();
        assertThat(run.out()).contains("| sweeps | seeds | grid | `final` |", "deciding event to peak on /api/alerts");
        // 8 latency cases, 4 recall cases, 5 noise-only cases
        assertThat(rows).hasSize(17);
        assertThat(rows.stream().filter(r -> r.startsWith("| peak 2-6x |"))).hasSize(8);
        assertThat(rows.stream().filter(r -> r.startsWith("| bump 20-80% |"))).hasSize(4);
        assertThat(rows.stream().filter(r -> r.startsWith("| noise only |"))).hasSize(5);
        for (String row : rows) {
            String[] cells = row.split("\\|");
            // cells[0] is empty: | sweeps | ... | complete | live = offline | offline peaks |
            assertThat(cells).as(row).hasSize(15);
            assertThat(cells[12].strip()).as(row).isEqualTo("1 / 1");
            // whether they agree is the detector's business, reported with the differences, not this test's
            assertThat(cells[13].strip()).as(row).matches("[01] / 1");
        }
        // a peak twice the best size on each side is found, live, at one seed or three
        assertThat(rows.stream().filter(r -> r.startsWith("| peak 2-6x |")))
                .allSatisfy(
                        r -> assertThat(r.split("\\|")[7].strip()).as(run.out()).isEqualTo("1 / 1"));
        assertThat(run.out()).contains("17 sweeps,");
        // --details: one line per sweep
        assertThat(run.out().lines().filter(l -> l.startsWith("- live") && l.contains(": true ")))
                .hasSize(17);
    }

    @Test
    void anUnknownDetectorFlagIsAUsageErrorBeforeAnythingStarts() {
        Run run = bench("sweep-live", "--", "--no-such-flag", "1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--no-such-flag");
        assertThat(run.err()).doesNotContain("starting serve");
    }
}
