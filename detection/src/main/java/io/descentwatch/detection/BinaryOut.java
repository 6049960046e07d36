package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import io.descentwatch.events.AlertType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

/** A growing heap buffer that starts with the format version byte: what {@link BinaryStateCodec} writes into. */
final class BinaryOut {

    /** Room for a typical run state, so that most encodings never grow their buffer. */
    private static final int INITIAL_BYTES = 640;

    private ByteBuffer buf = ByteBuffer.allocate(INITIAL_BYTES).put(BinaryStateCodec.VERSION);

    /** The buffer, with room for at least {@code bytes} more. */
    ByteBuffer buffer(int bytes) {
        if (buf.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * buf.capacity(), buf.position() + bytes));
            buf.flip();
            buf = bigger.put(buf);
        }
        return buf;
    }

    void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        buffer(4 + utf8.length).putInt(utf8.length).put(utf8);
    }

    void name(Enum<?> e) {
        string(e.name());
    }

    void instant(Instant t) {
        if (t == null) {
            buffer(1).put((byte) 0);
        } else {
            buffer(1 + 8 + 4).put((byte) 1).putLong(t.getEpochSecond()).putInt(t.getNano());
        }
    }

    void series(SmoothedSeries s) {
        double[] recent = s.recent();
        ByteBuffer b = buffer(4 + 8 * recent.length + 5 * 8 + 8).putInt(recent.length);
        for (double v : recent) {
            b.putDouble(v);
        }
        b.putDouble(s.level())
                .putDouble(s.lastLogEpoch())
                .putDouble(s.priorLogEpoch())
                .putDouble(s.varianceWeight())
                .putDouble(s.noise())
                .putLong(s.count());
    }

    void landmark(Landmark l) {
        if (l == null) {
            buffer(1).put((byte) 0);
        } else {
            buffer(1 + 3 * 8)
                    .put((byte) 1)
                    .putLong(l.epoch())
                    .putDouble(l.loss())
                    .putDouble(l.varianceWeight());
        }
    }

    void types(Set<AlertType> types) {
        buffer(1).put((byte) types.size());
        // in the enum's order, not the set's: a state's set comes from Set.copyOf, whose order is salted per JVM,
        // and one state must give the same bytes in every process (the reader takes any order)
        for (AlertType t : AlertType.values()) {
            if (types.contains(t)) {
                name(t);
            }
        }
    }

    void summary(RunSummary s) {
        string(s.runId());
        string(s.sweepId());
        summaryBody(s);
    }

    void summaryBody(RunSummary s) {
        buffer(8 + 8 + 4 + 8)
                .putLong(s.paramCount())
                .putLong(s.trainSize())
                .putInt(s.outputDim())
                .putLong(s.epoch());
        instant(s.time());
        buffer(8 + 8 + 1 + 8 + 1 + 1)
                .putDouble(s.testLoss())
                .putDouble(s.trainLoss())
                .put(bool(s.interpolated()))
                .putLong(s.interpolationEpoch())
                .put(bool(s.finished()))
                .put(bool(s.diverged()));
        name(s.phase());
        buffer(4).putInt(s.sweepRuns());
        advice(s.advice());
        buffer(1).put(bool(s.idle()));
        buffer(1).put(bool(s.ledger() != null));
        if (s.ledger() != null) {
            ledger(s.ledger());
        }
    }

    void ledger(LedgerState l) {
        buffer(8 + 8 + 8).putLong(l.bestEpoch()).putDouble(l.bestTestLoss()).putLong(l.lastEpoch());
        // in a fixed order, not the enum's: reordering the enum cannot corrupt a store
        for (RuleTrack t : new RuleTrack[] {l.patience3(), l.patience10(), l.advice()}) {
            buffer(4 * 8 + 4)
                    .putLong(t.stopEpoch())
                    .putLong(t.keptEpoch())
                    .putDouble(t.keptTestLoss())
                    .putLong(t.epochsSpent())
                    .putInt(t.withoutBest());
        }
        varint(l.told().size());
        for (ChanceTold t : l.told()) {
            // the chance as a float: ChanceTold keeps no more, so a state read back says what it said
            buffer(4 + 8 + 8 + 4)
                    .putFloat((float) t.chance())
                    .putLong(t.epoch())
                    .putDouble(t.bestThen())
                    .putFloat(t.sweepMove());
        }
    }

    /** A sweep's told chances: each bin's hundredths, told and beaten, as varints (a few bytes a bin). */
    void chances(SweepChanceEvidence e) {
        varint(e.bins().size());
        e.bins().forEach((bin, tally) -> {
            varint(bin);
            varint(tally.told());
            varint(tally.beaten());
        });
    }

    /** An advice without its ids: they are those of the summary or state that holds it. */
    void advice(Advice a) {
        buffer(1).put(bool(a != null));
        if (a == null) {
            return;
        }
        buffer(8).putLong(a.epoch());
        name(a.verdict());
        name(a.basis());
        buffer(8).putDouble(a.chance() == null ? Double.NaN : a.chance());
        string(a.reason());
        buffer(16).putLong(a.bestEpoch()).putDouble(a.bestTestLoss());
        instant(a.time());
    }

    void adviceState(AdviceState a) {
        buffer(8 + 8).putLong(a.bestEpoch()).putDouble(a.bestLoss());
        LevelHistory h = a.history();
        double[] e = h.logEpochs();
        double[] tr = h.train();
        double[] te = h.test();
        ByteBuffer b = buffer(4 + 24 * e.length).putInt(e.length);
        for (int i = 0; i < e.length; i++) {
            b.putDouble(e[i]).putDouble(tr[i]).putDouble(te[i]);
        }
        buffer(8 + 4).putLong(a.flatSince()).putInt(a.held());
        advice(a.current());
    }

    byte[] bytes() {
        return Arrays.copyOf(buf.array(), buf.position());
    }

    /** A non-negative int in 7-bit groups: counts are small, and a sweep's record is mostly counts. */
    void varint(int v) {
        ByteBuffer b = buffer(5);
        while ((v & ~0x7F) != 0) {
            b.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.put((byte) v);
    }

    /** An int of either sign as a varint (zigzag): histogram keys sit near each other, on both sides of zero. */
    void signedVarint(int v) {
        varint((v << 1) ^ (v >> 31));
    }

    void seedLosses(SeedLosses l) {
        if (l.isExact()) {
            double[] values = l.values();
            buffer(1).put((byte) 0);
            varint(values.length);
            ByteBuffer b = buffer(8 * values.length);
            for (double v : values) {
                b.putDouble(v);
            }
            return;
        }
        int[] keys = l.keys();
        int[] counts = l.counts();
        buffer(1 + 16).put((byte) 1).putDouble(l.sum()).putDouble(l.squares());
        varint(l.level());
        varint(keys.length);
        int previous = 0;
        for (int i = 0; i < keys.length; i++) {
            // keys increase: the first as it is, then each as its distance from the one before
            signedVarint(keys[i] - previous);
            previous = keys[i];
            varint(counts[i]);
        }
    }

    static byte bool(boolean b) {
        return (byte) (b ? 1 : 0);
    }
}
