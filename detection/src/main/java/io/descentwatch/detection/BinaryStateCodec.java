package io.descentwatch.detection;

import io.descentwatch.events.AlertType;
import java.nio.BufferUnderflowException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
     * of run states and summaries), 7 the chances told (at the end of each ledger, and of sweep states), 8 the run's
     * first test loss (at the end of run states), which the divergence check reads; older run states and summaries
     * are still read (with the advisor and the ledger starting afresh, the run not quiet, and no first test loss),
     * and older sweep states with no chances told.
     */
    static final byte VERSION = 8;

    static final byte OLDEST_READABLE = 1;
    private static final byte FIRST_BOUNDED_SWEEP = 4;
    static final byte FIRST_LEDGER = 6;
    static final byte FIRST_TOLD_CHANCES = 7;
    static final byte FIRST_TEST_LOSS_KEPT = 8;

    public byte[] encodeRun(RunState s) {
        RunFacts facts = s.facts();
        RunSize size = facts.size();
        RunProgress progress = s.progress();
        RunCurve curve = s.curve();
        RunCurve.Landmarks landmarks = curve.landmarks();
        BinaryOut out = new BinaryOut();
        out.string(facts.runId());
        out.string(facts.sweepId());
        out.buffer(8 + 8 + 4 + 8)
                .putLong(size.paramCount())
                .putLong(size.trainSize())
                .putInt(size.outputDim())
                .putLong(progress.lastEpoch());
        out.instant(progress.lastTime());
        out.buffer(16)
                .putLong(progress.events().accepted())
                .putLong(progress.events().ignored());
        out.name(curve.phase());
        out.series(curve.test());
        out.series(curve.train());
        out.buffer(8).putDouble(curve.firstTrainLoss());
        out.landmark(landmarks.minimum());
        out.landmark(landmarks.peak());
        out.landmark(landmarks.low());
        RunCurve.Streaks k = curve.streaks();
        out.buffer(4 + 8 + 4 + 8 + 4 + 8 + 1)
                .putInt(k.held())
                .putDouble(k.heldSince())
                .putInt(k.fit())
                .putLong(k.fitStart())
                .putInt(k.diverge())
                .putLong(curve.interpolationEpoch())
                .put(BinaryOut.bool(progress.activity().finished()));
        RunVerdicts verdicts = s.verdicts();
        out.types(verdicts.fired());
        RunSummary reported = verdicts.reported();
        out.buffer(1).put(BinaryOut.bool(reported != null));
        if (reported != null) {
            // the run's own summary: its ids are the state's, so they are not written twice
            out.summaryBody(reported);
        }
        out.adviceState(verdicts.advice());
        out.buffer(1).put(BinaryOut.bool(progress.activity().idle()));
        out.ledger(verdicts.ledger());
        out.buffer(8).putDouble(curve.firstTestLoss());
        return out.bytes();
    }

    public RunState decodeRun(byte[] bytes) {
        return read(bytes, this::readRun);
    }

    /** Fields in the order {@link #encodeRun} writes them; the records are built once each part is read. */
    private RunState readRun(BinaryIn in) {
        String runId = in.string();
        String sweepId = in.string();
        RunSize size = new RunSize(in.buf.getLong(), in.buf.getLong(), in.buf.getInt());
        RunFacts facts = new RunFacts(runId, sweepId, size);
        long lastEpoch = in.buf.getLong();
        Instant lastTime = in.instant();
        RunProgress.EventCounts events = new RunProgress.EventCounts(in.buf.getLong(), in.buf.getLong());
        RunPhase phase = RunPhase.valueOf(in.string());
        SmoothedSeries test = in.series();
        SmoothedSeries train = in.series();
        double firstTrainLoss = in.buf.getDouble();
        RunCurve.Landmarks landmarks = new RunCurve.Landmarks(in.landmark(), in.landmark(), in.landmark());
        RunCurve.Streaks streaks = new RunCurve.Streaks(
                in.buf.getInt(), in.buf.getDouble(), in.buf.getInt(), in.buf.getLong(), in.buf.getInt());
        long interpolationEpoch = in.buf.getLong();
        RunActivity activity = RunActivity.TRAINING.withFinished(in.bool());
        Set<AlertType> fired = in.types();
        RunSummary reported = in.bool() ? in.summaryBody(runId, sweepId) : null;
        AdviceState advice = in.version >= 2 ? in.adviceState(runId, sweepId) : AdviceState.START;
        activity = activity.withIdle(in.version >= 3 && in.bool());
        LedgerState ledger = in.version >= FIRST_LEDGER ? in.ledger() : LedgerState.START;
        double firstTestLoss = in.version >= FIRST_TEST_LOSS_KEPT ? in.buf.getDouble() : Double.NaN;
        RunCurve curve =
                new RunCurve(phase, test, firstTestLoss, landmarks, train, firstTrainLoss, streaks, interpolationEpoch);
        return new RunState(
                facts,
                new RunProgress(lastEpoch, lastTime, events, activity),
                curve,
                new RunVerdicts(fired, reported, advice, ledger));
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
        out.chances(s.chances());
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
                SizeAggregate a = new SizeAggregate(
                        paramCount, in.varint(), in.varint(), in.varint(), in.varint(), in.seedLosses());
                sizes.put(paramCount, a);
            }
            return new SweepState(sweepId, sizes, fired, known, quiet, planned, pastCap, in.chances());
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
