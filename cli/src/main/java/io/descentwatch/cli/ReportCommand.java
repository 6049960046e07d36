package io.descentwatch.cli;

import io.descentwatch.detection.DescentDetector;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEventLines;
import io.descentwatch.report.Chart;
import io.descentwatch.report.Findings;
import io.descentwatch.report.HtmlReport;
import io.descentwatch.report.PngCharts;
import io.descentwatch.report.Report;
import io.descentwatch.report.ReportBuilder;
import io.descentwatch.report.ReportCharts;
import io.descentwatch.streams.detector.DetectionOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "The demo's report, offline, from logged runs: epoch events as JSON lines (or TensorBoard "
                + "event files, or CSV logs) in, the alerts computed by the same detectors as the streaming "
                + "detector, an HTML report (index.html) and one PNG per chart out. Rejected lines and records are "
                + "reported on stderr with their line number or file and reason.")
final class ReportCommand extends Subcommand {

    @Mixin
    EventLogInput input;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            required = true,
            description = "Directory for index.html, its data and png/ (created if missing).")
    Path out;

    @Mixin
    BudgetOption budget;

    @Mixin
    DetectionOptions settings;

    @Override
    public Integer call() throws Exception {
        DescentDetector detector = new DescentDetector(settings.settings());
        ReportBuilder report = new ReportBuilder();
        PrintWriter err = err();
        budget.prepare(input);
        EpochEventLines.Counts counts = input.read("report", err, (logged, raw) -> {
            // the report shows what was logged; the advice is told the budget
            if (report.accept(logged)) {
                for (Alert a : detector.accept(budget.told(logged), report::advice)) {
                    report.accept(a);
                }
            }
        });
        // the end of the input ends every run, said final or not: sweeps decide on what they have
        detector.endOfInput().forEach(report::accept);
        detector.runs().forEach((run, state) -> report.ledger(run, state.ledger()));
        Report last = report.snapshot(false);
        List<Chart> charts = ReportCharts.of(last);
        List<String> findings = Findings.of(last);
        Path page = new HtmlReport(out.toAbsolutePath()).write(last);
        List<Path> pngs = PngCharts.write(charts, out.toAbsolutePath().resolve("png"));
        PrintWriter stdout = out();
        input.describeImport(stdout); // what a tree of another tracker's logs held, before what it shows
        findings.forEach(stdout::println);
        stdout.printf("%nreport: %s (%d charts, PNG in %s)%n", page.toUri(), pngs.size(), out.resolve("png"));
        err.printf(
                "descentwatch report: %d events, %d alerts, %d %s%n",
                counts.valid(), last.alerts().size(), counts.rejected(), input.rejectedWhat());
        return 0;
    }
}
