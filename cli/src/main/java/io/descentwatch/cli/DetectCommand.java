package io.descentwatch.cli;

import io.descentwatch.detection.DescentDetector;
import io.descentwatch.events.Advice;
import io.descentwatch.events.AdviceCodec;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventLines;
import io.descentwatch.streams.detector.DetectionOptions;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "detect",
        mixinStandardHelpOptions = true,
        description = "Runs the detectors offline: epoch events as JSON lines (or TensorBoard event files, or CSV "
                + "logs) in, descent alerts as JSON lines out, with the same code and settings as the streaming "
                + "detector. Rejected lines and records are reported on stderr with their line number or file and "
                + "reason; the run goes on.")
final class DetectCommand extends Subcommand {

    @Mixin
    EventLogInput input;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            defaultValue = "-",
            description = "Where alerts go, one JSON object per line (default: stdout).")
    String output;

    @Option(
            names = "--advice",
            defaultValue = "${env:DW_ADVICE:-false}",
            description = "Also print each change of a run's stopping advice (CONTINUE or STOP, why, the epoch of the "
                    + "checkpoint to keep) as a JSON line (schema descentwatch.advice/v1) among the alerts, where "
                    + "it happened, and at the end the advice ledger on stderr: per run and per sweep, where "
                    + "patience 3, patience 10 and the advice stop, what each keeps and spends, and per sweep the "
                    + "chance told with the advice against what followed (env DW_ADVICE; default off: the output "
                    + "stays alerts only).")
    boolean advice;

    @Mixin
    BudgetOption budget;

    @Mixin
    DetectionOptions settings;

    @Override
    public Integer call() throws Exception {
        DescentDetector detector = new DescentDetector(settings.settings());
        AlertCodec codec = new AlertCodec();
        PrintWriter err = err();
        long alerts = 0;
        EpochEventLines.Counts counts;
        try (PrintWriter out = "-".equals(output)
                ? out()
                : new PrintWriter(new BufferedWriter(
                        new OutputStreamWriter(Files.newOutputStream(Path.of(output)), StandardCharsets.UTF_8)))) {
            long[] raised = {0};
            AdviceCodec adviceCodec = new AdviceCodec();
            List<Advice> changes = new ArrayList<>(1);
            budget.prepare(input);
            counts = input.read("detect", err, (told, raw) -> {
                EpochEvent event = budget.told(told);
                changes.clear();
                for (Alert a : detector.accept(event, changes::add)) {
                    out.println(codec.encodeToString(a));
                    raised[0]++;
                }
                if (advice) {
                    // after the event's alerts: the advice is read from the state they describe
                    for (Advice change : changes) {
                        out.println(adviceCodec.encodeToString(change));
                    }
                }
            });
            // the end of the input ends every run, said final or not: sweeps decide on what they have
            for (Alert a : detector.endOfInput()) {
                out.println(codec.encodeToString(a));
                raised[0]++;
            }
            out.flush();
            alerts = raised[0];
        }
        input.describeImport(err); // stdout holds the alerts alone
        // e.g. a sweep past --sweep-max-sizes: said once, on stderr, beside the counts
        detector.notices().forEach(n -> err.println("descentwatch detect: " + n));
        if (advice) {
            LedgerTable.print(
                    err,
                    detector.runs().values(),
                    detector.sweeps(),
                    settings.settings().advice().sweepPrior());
        }
        err.printf(
                "descentwatch detect: %d events, %d alerts, %d %s, %d stale or duplicate events " + "ignored%n",
                counts.valid(), alerts, counts.rejected(), input.rejectedWhat(), detector.ignoredEvents());
        return 0;
    }
}
