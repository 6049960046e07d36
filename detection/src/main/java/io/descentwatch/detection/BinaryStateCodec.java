package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import io.descentwatch.events.AlertType;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.TreeMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Compact binary bytes for what only the detector itself reads: its state stores and its repartition topic. The
 * streaming detector writes a run's state on every event, and a generic (JSON or Smile) bean encoding of it cost
 * more than detection itself; this writes the fields straight into a byte buffer. Enum values are written by name,
 * so reordering an enum cannot corrupt a store; the leading version byte lets a future format be told apart.
 * {@link PublishedJson} stays the format of everything people and other programs read.
 */
public final class BinaryStateCodec {

    /**
     * 2 added the stopping advice, 3 whether a run went quiet (at the end of each record), 4 the bounded sweep state
     * (per-size aggregates instead of every run's summary), 5 the advice's chance, 6 the advice ledger (at the end
     * of run states and summaries); older run states and summaries are still read (with the advisor and the ledger
     * starting afresh, and the run not quiet).
     */
    static final byte VERSION = 6;
    static final byte OLDEST_READABLE = 1;
    private static final byte FIRST_BOUNDED_SWEEP = 4;
    static final byte FIRST_LEDGER = 6;

    public byte[] encodeRun(RunState s) {
        BinaryOut out = new BinaryOut();
        out.string(s.runId());
        out.string(s.sweepId());
        out.buffer(8 + 8 + 4 + 8).putLong(s.paramCount()).putLong(s.trainSize()).putInt(s.outputDim())
                .putLong(s.lastEpoch());
        out.instant(s.lastTime());
        out.buffer(16).putLong(s.acceptedEvents()).putLong(s.ignoredEvents());
        out.name(s.phase());
        out.series(s.test());
        out.series(s.train());
        out.buffer(8).putDouble(s.firstTrainLoss());
        out.landmark(s.minimum());
        out.landmark(s.peak());
        out.landmark(s.low());
        RunState.Streaks k = s.streaks();
        out.buffer(4 + 8 + 4 + 8 + 4 + 8 + 1).putInt(k.held()).putDouble(k.heldSince()).putInt(k.fit())
                .putLong(k.fitStart()).putInt(k.diverge()).putLong(s.interpolationEpoch())
                .put(BinaryOut.bool(s.finished()));
        out.types(s.fired());
        RunSummary reported = s.reported();
        out.buffer(1).put(BinaryOut.bool(reported != null));
        if (reported != null) {
            // the run's own summary: its ids are the state's, so they are not written twice
            out.summaryBody(reported);
        }
        out.adviceState(s.advice());
        out.buffer(1).put(BinaryOut.bool(s.idle()));
        out.ledger(s.ledger());
        return out.bytes();
    }

    public RunState decodeRun(byte[] bytes) {
        return read(bytes, this::readRun);
    }

    private RunState readRun(BinaryIn in) {
        String runId = in.string();
        String sweepId = in.string();
        long paramCount = in.buf.getLong();
        long trainSize = in.buf.getLong();
        int outputDim = in.buf.getInt();
        long lastEpoch = in.buf.getLong();
        Instant lastTime = in.instant();
        long accepted = in.buf.getLong();
        long ignored = in.buf.getLong();
        RunPhase phase = RunPhase.valueOf(in.string());
        SmoothedSeries test = in.series();
        SmoothedSeries train = in.series();
        double firstTrainLoss = in.buf.getDouble();
        Landmark minimum = in.landmark();
        Landmark peak = in.landmark();
        Landmark low = in.landmark();
        RunState.Streaks streaks = new RunState.Streaks(in.buf.getInt(), in.buf.getDouble(), in.buf.getInt(),
                in.buf.getLong(), in.buf.getInt());
        long interpolationEpoch = in.buf.getLong();
        boolean finished = in.bool();
        Set<AlertType> fired = in.types();
        RunSummary reported = in.bool() ? in.summaryBody(runId, sweepId) : null;
        AdviceState advice = in.version >= 2 ? in.adviceState(runId, sweepId) : AdviceState.START;
        boolean idle = in.version >= 3 && in.bool();
        LedgerState ledger = in.version >= FIRST_LEDGER ? in.ledger() : LedgerState.START;
        return new RunState(runId, sweepId, paramCount, trainSize, outputDim, lastEpoch, lastTime, accepted,
                ignored, phase, test, train, firstTrainLoss, minimum, peak, low, streaks, interpolationEpoch,
                finished, idle, fired, reported, advice, ledger);
    }

    /**
     * A sweep's bounded state: counts, then each size's counts and seed losses (exact values, or the histogram's
     * level, sums and bins as varints, a few bytes a bin). Written only in format 4 and later: the store that holds
     * it ({@code sweep-sizes}) is new with that format.
     */
    public byte[] encodeSweep(SweepState s) {
        BinaryOut out = new BinaryOut();
        out.string(s.sweepId());
        out.types(s.fired());
        out.varint(s.knownRuns());
        out.varint(s.quietRuns());
        out.varint(s.plannedRuns());
        out.varint(s.runsPastSizeCap());
        out.varint(s.sizes().size());
        for (SizeAggregate a : s.sizes().values()) {
            out.buffer(8).putLong(a.paramCount());
            out.varint(a.seeds());
            out.varint(a.ended());
            out.varint(a.diverged());
            out.varint(a.interpolating());
            out.seedLosses(a.losses());
        }
        return out.bytes();
    }

    public SweepState decodeSweep(byte[] bytes) {
        return read(bytes, in -> {
            if (in.version < FIRST_BOUNDED_SWEEP) {
                throw new IllegalStateException("a sweep state in format " + in.version + ", from before sweep "
                        + "state was bounded; this detector reads sweep states from format " + FIRST_BOUNDED_SWEEP);
            }
            String sweepId = in.string();
            Set<AlertType> fired = in.types();
            int known = in.varint();
            int quiet = in.varint();
            int planned = in.varint();
            int pastCap = in.varint();
            int n = in.count(8 + 5);
            Map<Long, SizeAggregate> sizes = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                long paramCount = in.buf.getLong();
                SizeAggregate a = new SizeAggregate(paramCount, in.varint(), in.varint(), in.varint(), in.varint(),
                        in.seedLosses());
                sizes.put(paramCount, a);
            }
            return new SweepState(sweepId, sizes, fired, known, quiet, planned, pastCap);
        });
    }

    public byte[] encodeSummary(RunSummary s) {
        BinaryOut out = new BinaryOut();
        out.summary(s);
        return out.bytes();
    }

    public RunSummary decodeSummary(byte[] bytes) {
        return read(bytes, BinaryIn::summary);
    }

    /** Reads one whole record; a short or overlong one is an error that says so. */
    private static <T> T read(byte[] bytes, Function<BinaryIn, T> reader) {
        BinaryIn in = new BinaryIn(bytes);
        try {
            T value = reader.apply(in);
            in.end();
            return value;
        } catch (BufferUnderflowException e) {
            throw new IllegalStateException("unreadable detector state: the record ends early", e);
        }
    }
}
