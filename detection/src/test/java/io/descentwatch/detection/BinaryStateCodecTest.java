package io.descentwatch.detection;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.LabelledCurves;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store format must give back exactly the state it was given, at every step of real curves. */
class BinaryStateCodecTest {

    private final BinaryStateCodec codec = new BinaryStateCodec();

    @Test
    void everyRunAndSweepStateOfTheCorpusRoundTrips() throws IOException {
        EpochEventCodec events = new EpochEventCodec();
        List<String> lines = Files.readAllLines(LabelledCurves.modelwise());
        DescentDetector detector = new DescentDetector();
        int checked = 0;
        for (int i = 0; i < lines.size(); i += 7) {
            EpochEvent e = events.decode(lines.get(i)).value();
            detector.accept(e);
            RunState run = detector.runs().get(e.runId());
            RunState back = codec.decodeRun(codec.encodeRun(run));
            // records holding arrays compare arrays by identity: compare through the JSON codec instead
            assertThat(new String(new PublishedJson().encodeRun(back)))
                    .isEqualTo(new String(new PublishedJson().encodeRun(run)));
            SweepState sweep = detector.sweeps().get(e.sweepId());
            if (sweep != null) {
                assertThat(codec.decodeSweep(codec.encodeSweep(sweep))).isEqualTo(sweep);
            }
            if (run.reported() != null) {
                assertThat(codec.decodeSummary(codec.encodeSummary(run.reported()))).isEqualTo(run.reported());
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void aVersionOneSummaryWrittenBeforeTheAdviceIsStillRead() {
        RunSummary summary = new RunSummary("r", "s", 1, 1, 1, 1, java.time.Instant.EPOCH, 1, 1, false, -1, false,
                false, RunPhase.DESCENDING, 0, false);
        byte[] current = codec.encodeSummary(summary);
        // version 4 is the same record without the trailing ledger, version 2 also without the idle flag before
        // it, version 1 also without the advice (one byte each here: none, not idle, none)
        byte[] v4 = java.util.Arrays.copyOf(current, current.length - 1);
        v4[0] = 4;
        assertThat(codec.decodeSummary(v4)).isEqualTo(summary);
        byte[] v2 = java.util.Arrays.copyOf(current, current.length - 2);
        v2[0] = 2;
        assertThat(codec.decodeSummary(v2)).isEqualTo(summary);
        byte[] v1 = java.util.Arrays.copyOf(current, current.length - 3);
        v1[0] = 1;
        assertThat(codec.decodeSummary(v1)).isEqualTo(summary);
        assertThat(codec.decodeSummary(current)).isEqualTo(summary);
    }

    @Test
    void anUnknownFormatVersionIsRefusedClearly() {
        byte[] bytes = codec.encodeSummary(new RunSummary("r", "s", 1, 1, 1, 1, java.time.Instant.EPOCH, 1, 1,
                false, -1, false, false, RunPhase.DESCENDING, 0, false));
        bytes[0] = 9;
        assertThatThrownBy(() -> codec.decodeSummary(bytes)).hasMessageContaining("version 9");
    }
}
