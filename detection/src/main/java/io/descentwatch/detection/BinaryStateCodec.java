package io.descentwatch.detection;

import io.descentwatch.events.AlertType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Compact binary bytes for what only the detector itself reads: its state stores and its repartition topic. The
 * streaming detector writes a run's state on every event, and a generic (JSON or Smile) bean encoding of it cost
 * more than detection itself; this writes the fields directly. Enum values are written by name, so reordering an
 * enum cannot corrupt a store; the leading version byte lets a future format be told apart.
 * {@link StateCodec} stays the format of everything people and other programs read.
 */
public final class BinaryStateCodec {

    private static final byte VERSION = 1;

    public byte[] encodeRun(RunState s) {
        return write(out -> {
            out.writeUTF(s.runId());
            out.writeUTF(s.sweepId());
            out.writeLong(s.paramCount());
            out.writeLong(s.trainSize());
            out.writeInt(s.outputDim());
            out.writeLong(s.lastEpoch());
            writeInstant(out, s.lastTime());
            out.writeLong(s.acceptedEvents());
            out.writeLong(s.ignoredEvents());
            out.writeUTF(s.phase().name());
            writeSeries(out, s.test());
            writeSeries(out, s.train());
            out.writeDouble(s.firstTrainLoss());
            writeLandmark(out, s.minimum());
            writeLandmark(out, s.peak());
            writeLandmark(out, s.low());
            RunState.Streaks k = s.streaks();
            out.writeInt(k.held());
            out.writeDouble(k.heldSince());
            out.writeInt(k.fit());
            out.writeLong(k.fitStart());
            out.writeInt(k.diverge());
            out.writeLong(s.interpolationEpoch());
            out.writeBoolean(s.finished());
            writeTypes(out, s.fired());
            out.writeBoolean(s.reported() != null);
            if (s.reported() != null) {
                writeSummary(out, s.reported());
            }
        });
    }

    public RunState decodeRun(byte[] bytes) {
        return read(bytes, in -> new RunState(in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readInt(),
                in.readLong(), readInstant(in), in.readLong(), in.readLong(), RunPhase.valueOf(in.readUTF()),
                readSeries(in), readSeries(in), in.readDouble(), readLandmark(in), readLandmark(in),
                readLandmark(in), new RunState.Streaks(in.readInt(), in.readDouble(), in.readInt(), in.readLong(),
                in.readInt()), in.readLong(), in.readBoolean(), readTypes(in),
                in.readBoolean() ? readSummary(in) : null));
    }

    public byte[] encodeSweep(SweepState s) {
        return write(out -> {
            out.writeUTF(s.sweepId());
            writeTypes(out, s.fired());
            out.writeInt(s.runs().size());
            for (RunSummary r : s.runs().values()) {
                writeSummary(out, r);
            }
        });
    }

    public SweepState decodeSweep(byte[] bytes) {
        return read(bytes, in -> {
            String sweepId = in.readUTF();
            Set<AlertType> fired = readTypes(in);
            int n = in.readInt();
            Map<String, RunSummary> runs = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                RunSummary r = readSummary(in);
                runs.put(r.runId(), r);
            }
            return new SweepState(sweepId, runs, fired);
        });
    }

    public byte[] encodeSummary(RunSummary s) {
        return write(out -> writeSummary(out, s));
    }

    public RunSummary decodeSummary(byte[] bytes) {
        return read(bytes, BinaryStateCodec::readSummary);
    }

    private static void writeSummary(DataOutputStream out, RunSummary s) throws IOException {
        out.writeUTF(s.runId());
        out.writeUTF(s.sweepId());
        out.writeLong(s.paramCount());
        out.writeLong(s.trainSize());
        out.writeInt(s.outputDim());
        out.writeLong(s.epoch());
        writeInstant(out, s.time());
        out.writeDouble(s.testLoss());
        out.writeDouble(s.trainLoss());
        out.writeBoolean(s.interpolated());
        out.writeLong(s.interpolationEpoch());
        out.writeBoolean(s.finished());
        out.writeBoolean(s.diverged());
        out.writeUTF(s.phase().name());
        out.writeInt(s.sweepRuns());
    }

    private static RunSummary readSummary(DataInputStream in) throws IOException {
        return new RunSummary(in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readInt(), in.readLong(),
                readInstant(in), in.readDouble(), in.readDouble(), in.readBoolean(), in.readLong(),
                in.readBoolean(), in.readBoolean(), RunPhase.valueOf(in.readUTF()), in.readInt());
    }

    private static void writeSeries(DataOutputStream out, SmoothedSeries s) throws IOException {
        double[] recent = s.recent();
        out.writeInt(recent.length);
        for (double v : recent) {
            out.writeDouble(v);
        }
        out.writeDouble(s.level());
        out.writeDouble(s.lastLogEpoch());
        out.writeDouble(s.priorLogEpoch());
        out.writeDouble(s.varianceWeight());
        out.writeDouble(s.noise());
        out.writeLong(s.count());
    }

    private static SmoothedSeries readSeries(DataInputStream in) throws IOException {
        double[] recent = new double[in.readInt()];
        for (int i = 0; i < recent.length; i++) {
            recent[i] = in.readDouble();
        }
        return new SmoothedSeries(recent, in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                in.readDouble(), in.readLong());
    }

    private static void writeLandmark(DataOutputStream out, Landmark l) throws IOException {
        out.writeBoolean(l != null);
        if (l != null) {
            out.writeLong(l.epoch());
            out.writeDouble(l.loss());
            out.writeDouble(l.varianceWeight());
        }
    }

    private static Landmark readLandmark(DataInputStream in) throws IOException {
        return in.readBoolean() ? new Landmark(in.readLong(), in.readDouble(), in.readDouble()) : null;
    }

    private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    private static void writeTypes(DataOutputStream out, Set<AlertType> types) throws IOException {
        out.writeByte(types.size());
        for (AlertType t : types) {
            out.writeUTF(t.name());
        }
    }

    private static Set<AlertType> readTypes(DataInputStream in) throws IOException {
        int n = in.readByte();
        if (n == 0) {
            return Set.of();
        }
        EnumSet<AlertType> types = EnumSet.noneOf(AlertType.class);
        for (int i = 0; i < n; i++) {
            types.add(AlertType.valueOf(in.readUTF()));
        }
        return types;
    }

    @FunctionalInterface
    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("state written in format version " + version + "; this detector "
                        + "reads version " + VERSION);
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable detector state", e);
        }
    }
}
