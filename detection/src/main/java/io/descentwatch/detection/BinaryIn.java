package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import io.descentwatch.events.AlertType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads what {@link BinaryOut} wrote; a short or unknown record is an error that names the format. */
final class BinaryIn {
    final ByteBuffer buf;

    final byte version;

    BinaryIn(byte[] bytes) {
        this.buf = ByteBuffer.wrap(bytes);
        this.version = bytes.length == 0 ? -1 : buf.get();
        if (version < BinaryStateCodec.OLDEST_READABLE || version > BinaryStateCodec.VERSION) {
            throw new IllegalStateException("state written in format version " + version + "; this detector "
                    + "reads versions " + BinaryStateCodec.OLDEST_READABLE + " to " + BinaryStateCodec.VERSION);
        }
    }

    Advice advice(String runId, String sweepId) {
        if (version < 2 || !bool()) {
            return null;
        }
        long epoch = buf.getLong();
        Advice.Verdict verdict = Advice.Verdict.valueOf(string());
        Advice.Basis basis = Advice.Basis.valueOf(string());
        double stored = version >= 5 ? buf.getDouble() : Double.NaN;
        Double chance = Double.isNaN(stored) ? null : stored;
        String reason = string();
        return new Advice(
                runId, sweepId, epoch, verdict, basis, chance, reason, buf.getLong(), buf.getDouble(), instant());
    }

    AdviceState adviceState(String runId, String sweepId) {
        long bestEpoch = buf.getLong();
        double bestLoss = buf.getDouble();
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining() / 24) {
            throw new IllegalStateException("unreadable detector state: a history of " + n + " points");
        }
        double[] e = new double[n];
        double[] tr = new double[n];
        double[] te = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = buf.getDouble();
            tr[i] = buf.getDouble();
            te[i] = buf.getDouble();
        }
        long flatSince = buf.getLong();
        int held = buf.getInt();
        return new AdviceState(
                bestEpoch, bestLoss, new LevelHistory(e, tr, te), flatSince, held, advice(runId, sweepId));
    }

    private RuleTrack ruleTrack() {
        return new RuleTrack(buf.getLong(), buf.getLong(), buf.getDouble(), buf.getLong(), buf.getInt());
    }

    String string() {
        int length = buf.getInt();
        if (length < 0 || length > buf.remaining()) {
            throw new IllegalStateException(
                    "unreadable detector state: a string of " + length + " bytes with " + buf.remaining() + " left");
        }
        String s = new String(buf.array(), buf.arrayOffset() + buf.position(), length, StandardCharsets.UTF_8);
        buf.position(buf.position() + length);
        return s;
    }

    boolean bool() {
        return buf.get() != 0;
    }

    Instant instant() {
        return bool() ? Instant.ofEpochSecond(buf.getLong(), buf.getInt()) : null;
    }

    SmoothedSeries series() {
        double[] recent = new double[buf.getInt()];
        for (int i = 0; i < recent.length; i++) {
            recent[i] = buf.getDouble();
        }
        return new SmoothedSeries(
                recent,
                buf.getDouble(),
                buf.getDouble(),
                buf.getDouble(),
                buf.getDouble(),
                buf.getDouble(),
                buf.getLong());
    }

    Landmark landmark() {
        return bool() ? new Landmark(buf.getLong(), buf.getDouble(), buf.getDouble()) : null;
    }

    Set<AlertType> types() {
        int n = buf.get();
        if (n == 0) {
            return Set.of();
        }
        EnumSet<AlertType> types = EnumSet.noneOf(AlertType.class);
        for (int i = 0; i < n; i++) {
            types.add(AlertType.valueOf(string()));
        }
        return types;
    }

    RunSummary summary() {
        return summaryBody(string(), string());
    }

    /**
     * A summary after its ids (those of the state that holds it, or read by {@link #summary}). The flags
     * {@code interpolated} and {@code diverged} were written as they follow from the interpolation epoch and the
     * phase, so they are read past.
     */
    RunSummary summaryBody(String runId, String sweepId) {
        RunFacts run = new RunFacts(runId, sweepId, new RunSize(buf.getLong(), buf.getLong(), buf.getInt()));
        long epoch = buf.getLong();
        Instant time = instant();
        double testLoss = buf.getDouble();
        double trainLoss = buf.getDouble();
        bool(); // interpolated
        long interpolationEpoch = buf.getLong();
        RunActivity activity = RunActivity.TRAINING.withFinished(bool());
        bool(); // diverged
        RunPhase phase = RunPhase.valueOf(string());
        int sweepRuns = buf.getInt();
        Advice advice = advice(run.runId(), run.sweepId());
        activity = activity.withIdle(version >= 3 && bool());
        LedgerState ledger = version >= BinaryStateCodec.FIRST_LEDGER && bool() ? ledger() : null;
        return new RunSummary(
                run, epoch, time, phase, testLoss, interpolationEpoch, trainLoss, activity, sweepRuns, advice, ledger);
    }

    /** A ledger as {@link BinaryOut#ledger} wrote it: the run's best, then patience 3's, patience 10's, the advice's. */
    LedgerState ledger() {
        long bestEpoch = buf.getLong();
        double bestTestLoss = buf.getDouble();
        long lastEpoch = buf.getLong();
        RuleTrack patience3 = ruleTrack();
        RuleTrack patience10 = ruleTrack();
        RuleTrack advice = ruleTrack();
        List<ChanceTold> told = new ArrayList<>();
        if (version >= BinaryStateCodec.FIRST_TOLD_CHANCES) {
            int n = count(4 + 8 + 8 + 4);
            for (int i = 0; i < n; i++) {
                told.add(new ChanceTold(buf.getFloat(), buf.getLong(), buf.getDouble(), buf.getFloat()));
            }
        }
        return new LedgerState(bestEpoch, bestTestLoss, lastEpoch, patience3, patience10, advice, told);
    }

    /** A sweep's told chances as {@link BinaryOut#chances} wrote them; none before they were kept. */
    SweepChanceEvidence chances() {
        if (version < BinaryStateCodec.FIRST_TOLD_CHANCES) {
            return SweepChanceEvidence.NONE;
        }
        int n = count(3);
        Map<Integer, SweepChanceEvidence.Tally> bins = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            bins.put(varint(), new SweepChanceEvidence.Tally(varint(), varint()));
        }
        return new SweepChanceEvidence(bins);
    }

    void end() {
        if (buf.hasRemaining()) {
            throw new IllegalStateException("unreadable detector state: " + buf.remaining() + " bytes past its end");
        }
    }

    int varint() {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = buf.get();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalStateException("unreadable detector state: a varint of more than five bytes");
    }

    int signedVarint() {
        int z = varint();
        return (z >>> 1) ^ -(z & 1);
    }

    /** A count of items of at least {@code minBytes} each, checked against what is left of the record. */
    int count(int minBytes) {
        int n = varint();
        if (n < 0 || n > buf.remaining() / minBytes) {
            throw new IllegalStateException(
                    "unreadable detector state: " + n + " items in " + buf.remaining() + " bytes");
        }
        return n;
    }

    SeedLosses seedLosses() {
        if (buf.get() == 0) {
            double[] values = new double[count(8)];
            for (int i = 0; i < values.length; i++) {
                values[i] = buf.getDouble();
            }
            return SeedLosses.exact(values);
        }
        double sum = buf.getDouble();
        double squares = buf.getDouble();
        int level = varint();
        int n = count(2);
        int[] keys = new int[n];
        int[] counts = new int[n];
        int previous = 0;
        for (int i = 0; i < n; i++) {
            keys[i] = previous + signedVarint();
            previous = keys[i];
            counts[i] = varint();
        }
        return SeedLosses.binned(level, keys, counts, sum, squares);
    }
}
