package io.descentwatch.report;

import io.descentwatch.detection.DescentDetector;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/** Reports of the labelled corpus, built the way the report command builds them: the offline detector's alerts and
 * stopping advice. */
final class CorpusReports {

    private CorpusReports() {}

    static Report of(Path jsonl, Predicate<EpochEvent> keep) throws IOException {
        EpochEventCodec codec = new EpochEventCodec();
        DescentDetector detector = new DescentDetector();
        ReportBuilder builder = new ReportBuilder();
        List<String> lines = Files.readAllLines(jsonl);
        for (String line : lines) {
            EpochEvent e = codec.decode(line).value();
            if (keep.test(e) && builder.accept(e)) {
                for (Alert a : detector.accept(e, builder::advice)) {
                    builder.accept(a);
                }
            }
        }
        detector.runs().forEach((run, state) -> builder.ledger(run, state.ledger()));
        return builder.snapshot(false);
    }
}
