package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import io.descentwatch.events.AlertType;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Compact binary bytes for what only the detector itself reads: its state stores and its repartition topic. The
 * streaming detector writes a run's state on every event, and a generic (JSON or Smile) bean encoding of it cost
 * more than detection itself; this writes the fields straight into a byte buffer. Enum values are written by name,
 * so reordering an enum cannot corrupt a store; the leading version byte lets a future format be told apart.
 * {@link StateCodec} stays the format of everything people and other programs read.
 */
public final class BinaryStateCodec {

    /**
     * 2 added the stopping advice, 3 whether a run went quiet (at the end of each record); older records are still
     * read (with the advisor starting afresh, and the run not quiet).
     */
    private static final byte VERSION = 3;
    private static final byte OLDEST_READABLE = 1;
    /** Room for a typical run state, so that most encodings never grow their buffer. */
    private static final int INITIAL_BYTES = 640;

    public byte[] encodeRun(RunState s) {
        Out out = new Out();
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
                .put(bool(s.finished()));
        out.types(s.fired());
        RunSummary reported = s.reported();
        out.buffer(1).put(bool(reported != null));
        if (reported != null) {
            // the run's own summary: its ids are the state's, so they are not written twice
            out.summaryBody(reported);
        }
        out.adviceState(s.advice());
        out.buffer(1).put(bool(s.idle()));
        return out.bytes();
    }

    public RunState decodeRun(byte[] bytes) {
        return read(bytes, this::readRun);
    }

    private RunState readRun(In in) {
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
        return new RunState(runId, sweepId, paramCount, trainSize, outputDim, lastEpoch, lastTime, accepted,
                ignored, phase, test, train, firstTrainLoss, minimum, peak, low, streaks, interpolationEpoch,
                finished, idle, fired, reported, advice);
    }

    public byte[] encodeSweep(SweepState s) {
        Out out = new Out();
        out.string(s.sweepId());
        out.types(s.fired());
        out.buffer(4).putInt(s.runs().size());
        for (RunSummary r : s.runs().values()) {
            out.summary(r);
        }
        return out.bytes();
    }

    public SweepState decodeSweep(byte[] bytes) {
        return read(bytes, in -> {
            String sweepId = in.string();
            Set<AlertType> fired = in.types();
            int n = in.buf.getInt();
            Map<String, RunSummary> runs = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                RunSummary r = in.summary();
                runs.put(r.runId(), r);
            }
            return new SweepState(sweepId, runs, fired);
        });
    }

    public byte[] encodeSummary(RunSummary s) {
        Out out = new Out();
        out.summary(s);
        return out.bytes();
    }

    public RunSummary decodeSummary(byte[] bytes) {
        return read(bytes, In::summary);
    }

    /** Reads one whole record; a short or overlong one is an error that says so. */
    private static <T> T read(byte[] bytes, Function<In, T> reader) {
        In in = new In(bytes);
        try {
            T value = reader.apply(in);
            in.end();
            return value;
        } catch (BufferUnderflowException e) {
            throw new IllegalStateException("unreadable detector state: the record ends early", e);
        }
    }

    private static byte bool(boolean b) {
        return (byte) (b ? 1 : 0);
    }

    /** A growing heap buffer that starts with the version byte. */
    private static final class Out {
        private ByteBuffer buf = ByteBuffer.allocate(INITIAL_BYTES).put(VERSION);

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
            b.putDouble(s.level()).putDouble(s.lastLogEpoch()).putDouble(s.priorLogEpoch())
                    .putDouble(s.varianceWeight()).putDouble(s.noise()).putLong(s.count());
        }

        void landmark(Landmark l) {
            if (l == null) {
                buffer(1).put((byte) 0);
            } else {
                buffer(1 + 3 * 8).put((byte) 1).putLong(l.epoch()).putDouble(l.loss()).putDouble(l.varianceWeight());
            }
        }

        void types(Set<AlertType> types) {
            buffer(1).put((byte) types.size());
            for (AlertType t : types) {
                name(t);
            }
        }

        void summary(RunSummary s) {
            string(s.runId());
            string(s.sweepId());
            summaryBody(s);
        }

        void summaryBody(RunSummary s) {
            buffer(8 + 8 + 4 + 8).putLong(s.paramCount()).putLong(s.trainSize()).putInt(s.outputDim())
                    .putLong(s.epoch());
            instant(s.time());
            buffer(8 + 8 + 1 + 8 + 1 + 1).putDouble(s.testLoss()).putDouble(s.trainLoss())
                    .put(bool(s.interpolated())).putLong(s.interpolationEpoch()).put(bool(s.finished()))
                    .put(bool(s.diverged()));
            name(s.phase());
            buffer(4).putInt(s.sweepRuns());
            advice(s.advice());
            buffer(1).put(bool(s.idle()));
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
    }

    /** Reads what {@link Out} wrote; a short or unknown record is an error that names the format. */
    private static final class In {
        final ByteBuffer buf;

        final byte version;

        In(byte[] bytes) {
            this.buf = ByteBuffer.wrap(bytes);
            this.version = bytes.length == 0 ? -1 : buf.get();
            if (version < OLDEST_READABLE || version > VERSION) {
                throw new IllegalStateException("state written in format version " + version + "; this detector "
                        + "reads versions " + OLDEST_READABLE + " to " + VERSION);
            }
        }

        Advice advice(String runId, String sweepId) {
            if (version < 2 || !bool()) {
                return null;
            }
            long epoch = buf.getLong();
            Advice.Verdict verdict = Advice.Verdict.valueOf(string());
            Advice.Basis basis = Advice.Basis.valueOf(string());
            String reason = string();
            return new Advice(runId, sweepId, epoch, verdict, basis, reason, buf.getLong(), buf.getDouble(),
                    instant());
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
            return new AdviceState(bestEpoch, bestLoss, new LevelHistory(e, tr, te), flatSince, held,
                    advice(runId, sweepId));
        }

        String string() {
            int length = buf.getInt();
            if (length < 0 || length > buf.remaining()) {
                throw new IllegalStateException("unreadable detector state: a string of " + length + " bytes with "
                        + buf.remaining() + " left");
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
            return new SmoothedSeries(recent, buf.getDouble(), buf.getDouble(), buf.getDouble(), buf.getDouble(),
                    buf.getDouble(), buf.getLong());
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

        RunSummary summaryBody(String runId, String sweepId) {
            long paramCount = buf.getLong();
            long trainSize = buf.getLong();
            int outputDim = buf.getInt();
            long epoch = buf.getLong();
            Instant time = instant();
            double testLoss = buf.getDouble();
            double trainLoss = buf.getDouble();
            boolean interpolated = bool();
            long interpolationEpoch = buf.getLong();
            boolean finished = bool();
            boolean diverged = bool();
            RunPhase phase = RunPhase.valueOf(string());
            int sweepRuns = buf.getInt();
            Advice advice = advice(runId, sweepId);
            boolean idle = version >= 3 && bool();
            return new RunSummary(runId, sweepId, paramCount, trainSize, outputDim, epoch, time, testLoss, trainLoss,
                    interpolated, interpolationEpoch, finished, diverged, phase, sweepRuns, idle, advice);
        }

        void end() {
            if (buf.hasRemaining()) {
                throw new IllegalStateException("unreadable detector state: " + buf.remaining()
                        + " bytes past its end");
            }
        }
    }
}
