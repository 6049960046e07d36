package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store format must give back exactly the state it was given, at every step of real curves. */
class BinaryStateCodecTest {

    private final BinaryStateCodec codec = new BinaryStateCodec();

    @Test
    void everyRunAndSweepStateOfTheCorpusRoundTrips() throws IOException {
        EpochEventCodec events = new EpochEventCodec();
        List<String> lines = Files.readAllLines(LabelledCurves.modelwise());
        DescentDetector detector = new DescentDetector();
        int checked = 0;
        int sweepChancesTold = 0;
        for (int i = 0; i < lines.size(); i += 7) {
            EpochEvent e = events.decode(lines.get(i)).value();
            detector.accept(e);
            RunState run = detector.runs().get(e.runId());
            RunState back = codec.decodeRun(codec.encodeRun(run));
            // records holding arrays compare arrays by identity: compare through the JSON codec instead
            assertThat(new String(new PublishedJson().encodeRun(back)))
                    .isEqualTo(new String(new PublishedJson().encodeRun(run)));
            // the chances told are the detector's own, not in the JSON
            assertThat(back.ledger().told()).isEqualTo(run.ledger().told());
            SweepState sweep = detector.sweeps().get(e.sweepId());
            if (sweep != null) {
                assertThat(codec.decodeSweep(codec.encodeSweep(sweep))).isEqualTo(sweep);
                sweepChancesTold = Math.max(sweepChancesTold, sweep.chances().told());
            }
            if (run.reported() != null) {
                assertThat(codec.decodeSummary(codec.encodeSummary(run.reported())))
                        .isEqualTo(run.reported());
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(1000);
        // the corpus's runs end one after another: its sweeps' states carry what their ended runs were told
        assertThat(sweepChancesTold).isPositive();
    }

    @Test
    void aVersionOneSummaryWrittenBeforeTheAdviceIsStillRead() {
        RunSummary summary = new RunSummary(
                new RunFacts("r", "s", new RunSize(1, 1, 1)),
                1,
                java.time.Instant.EPOCH,
                RunPhase.DESCENDING,
                1,
                -1,
                1,
                RunActivity.TRAINING,
                0,
                null,
                null);
        byte[] current = codec.encodeSummary(summary);
        // versions 5 and 4 (without an advice, whose chance 5 added) are the same record without the trailing
        // ledger, version 2 also without the idle flag before it, version 1 also without the advice (one byte each
        // here: none, not idle, none)
        for (byte version : new byte[] {4, 5}) {
            byte[] old = java.util.Arrays.copyOf(current, current.length - 1);
            old[0] = version;
            assertThat(codec.decodeSummary(old)).isEqualTo(summary);
        }
        byte[] v2 = java.util.Arrays.copyOf(current, current.length - 2);
        v2[0] = 2;
        assertThat(codec.decodeSummary(v2)).isEqualTo(summary);
        byte[] v1 = java.util.Arrays.copyOf(current, current.length - 3);
        v1[0] = 1;
        assertThat(codec.decodeSummary(v1)).isEqualTo(summary);
        assertThat(codec.decodeSummary(current)).isEqualTo(summary);
    }

    @Test
    void aVersionFourAdviceWrittenBeforeItsChanceIsReadWithoutOne() {
        io.descentwatch.events.Advice advice = new io.descentwatch.events.Advice(
                "r",
                "s",
                40,
                io.descentwatch.events.Advice.Verdict.CONTINUE,
                io.descentwatch.events.Advice.Basis.FIRST_DESCENT,
                0.3125,
                "falling",
                40,
                0.75,
                java.time.Instant.EPOCH);
        RunSummary summary = new RunSummary(
                new RunFacts("r", "s", new RunSize(1, 1, 1)),
                40,
                java.time.Instant.EPOCH,
                RunPhase.DESCENDING,
                0.75,
                -1,
                1,
                RunActivity.TRAINING,
                0,
                advice,
                null);
        byte[] current = codec.encodeSummary(summary);
        // version 4 wrote the same advice without the chance (eight bytes after the basis), and no ledger after
        // the idle flag (its flag is the last byte here: none)
        byte[] chance = java.nio.ByteBuffer.allocate(8).putDouble(0.3125).array();
        int at = indexOf(current, chance);
        assertThat(at).isPositive();
        byte[] v4 = new byte[current.length - 8 - 1];
        System.arraycopy(current, 0, v4, 0, at);
        System.arraycopy(current, at + 8, v4, at, current.length - at - 8 - 1);
        v4[0] = 4;
        RunSummary old = codec.decodeSummary(v4);
        assertThat(old.advice().chance()).isNull();
        assertThat(old.advice().reason()).isEqualTo("falling");
        assertThat(old.advice().bestTestLoss()).isEqualTo(0.75);
        assertThat(codec.decodeSummary(current)).isEqualTo(summary);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void anUnknownFormatVersionIsRefusedClearly() {
        byte[] bytes = codec.encodeSummary(new RunSummary(
                new RunFacts("r", "s", new RunSize(1, 1, 1)),
                1,
                java.time.Instant.EPOCH,
                RunPhase.DESCENDING,
                1,
                -1,
                1,
                RunActivity.TRAINING,
                0,
                null,
                null));
        bytes[0] = 9;
        assertThatThrownBy(() -> codec.decodeSummary(bytes)).hasMessageContaining("version 9");
    }
}
