package io.descentwatch.importers;

import com.google.protobuf.InvalidProtocolBufferException;
import io.descentwatch.importers.proto.Event;
import io.descentwatch.importers.proto.Summary;
import io.descentwatch.importers.proto.TensorProto;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads TensorBoard event files: every directory under the input that holds files named {@code *tfevents*} is one
 * run, named by its path under the input (as TensorBoard names runs), its files read in name order (their names
 * start with the time they were opened). Scalars are kept by tag, from {@code simple_value} (TF 1 summaries,
 * PyTorch's and tensorboardX's {@code add_scalar}) and from rank-0 tensors (TF 2's {@code tf.summary.scalar});
 * images, histograms, graphs and the like are skipped.
 */
final class TensorBoardReader {

    /** TensorBoard's own test for an event file. */
    static boolean isEventFile(Path file) {
        return file.getFileName().toString().contains("tfevents") && Files.isRegularFile(file);
    }

    static boolean holdsEventFiles(Path input) throws IOException {
        if (Files.isRegularFile(input)) {
            return isEventFile(input);
        }
        try (Stream<Path> files = Files.walk(input)) {
            return files.anyMatch(TensorBoardReader::isEventFile);
        }
    }

    /** Every run under {@code input} (a directory tree, or one event file); problems go to {@code problems}. */
    List<LoggedRun> read(Path input, Consumer<String> problems) throws IOException {
        Map<Path, List<Path>> byDirectory = new TreeMap<>();
        if (Files.isRegularFile(input)) {
            byDirectory.put(input.toAbsolutePath().getParent(), List.of(input));
        } else {
            try (Stream<Path> files = Files.walk(input)) {
                files.filter(TensorBoardReader::isEventFile)
                        .sorted()
                        .forEach(f -> byDirectory
                                .computeIfAbsent(f.getParent(), d -> new ArrayList<>())
                                .add(f));
            }
        }
        List<LoggedRun> runs = new ArrayList<>();
        Path root = Files.isRegularFile(input) ? input.toAbsolutePath().getParent() : input;
        for (Map.Entry<Path, List<Path>> dir : byDirectory.entrySet()) {
            List<Path> files = dir.getValue();
            LoggedRun.Builder run = new LoggedRun.Builder(
                    RunNames.of(root, dir.getKey()),
                    files.get(0),
                    Files.getLastModifiedTime(files.get(files.size() - 1)).toInstant());
            for (Path file : files) {
                readFile(file, run, problems);
            }
            if (run.isEmpty()) {
                problems.accept(dir.getKey() + ": no scalars in its event files; skipped");
            } else {
                runs.add(run.build());
            }
        }
        return runs;
    }

    private static void readFile(Path file, LoggedRun.Builder run, Consumer<String> problems) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            TfRecordReader records = new TfRecordReader(in);
            while (true) {
                TfRecordReader.Next next = records.next();
                if (next instanceof TfRecordReader.Record record) {
                    readEvent(file, record, run, problems);
                } else if (next instanceof TfRecordReader.Corrupt bad) {
                    problems.accept(file + ": record at byte " + bad.offset() + ": " + bad.reason()
                            + (bad.resumable() ? "; record skipped" : "; the rest of this file is skipped"));
                    if (!bad.resumable()) {
                        return;
                    }
                } else {
                    return; // the end of the file
                }
            }
        }
    }

    private static void readEvent(
            Path file, TfRecordReader.Record record, LoggedRun.Builder run, Consumer<String> problems) {
        Event event;
        try {
            event = Event.parseFrom(record.data());
        } catch (InvalidProtocolBufferException e) {
            problems.accept(file + ": record at byte " + record.offset() + " is not an Event (" + e.getMessage()
                    + "); record skipped");
            return;
        }
        if (!event.hasSummary()) {
            return;
        }
        Instant time = event.getWallTime() > 0 ? Instant.ofEpochSecond(0, Math.round(event.getWallTime() * 1e9)) : null;
        for (Summary.Value value : event.getSummary().getValueList()) {
            OptionalDouble scalar = scalarOf(value);
            if (scalar.isPresent()) {
                run.add(value.getTag(), event.getStep(), scalar.getAsDouble(), time);
            }
        }
    }

    /** A value's number, if it is a scalar: a simple value, or a tensor of one number. */
    static OptionalDouble scalarOf(Summary.Value value) {
        return switch (value.getValueCase()) {
            case SIMPLE_VALUE -> OptionalDouble.of(value.getSimpleValue());
            case TENSOR -> scalarOf(value.getTensor());
            case VALUE_NOT_SET -> OptionalDouble.empty();
        };
    }

    private static OptionalDouble scalarOf(TensorProto t) {
        ByteBuffer content = ByteBuffer.wrap(t.getTensorContent().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        return switch (t.getDtype()) {
            case DT_FLOAT ->
                t.getFloatValCount() == 1
                        ? OptionalDouble.of(t.getFloatVal(0))
                        : content.remaining() == 4 ? OptionalDouble.of(content.getFloat()) : OptionalDouble.empty();
            case DT_DOUBLE ->
                t.getDoubleValCount() == 1
                        ? OptionalDouble.of(t.getDoubleVal(0))
                        : content.remaining() == 8 ? OptionalDouble.of(content.getDouble()) : OptionalDouble.empty();
            case DT_INT32 ->
                t.getIntValCount() == 1
                        ? OptionalDouble.of(t.getIntVal(0))
                        : content.remaining() == 4 ? OptionalDouble.of(content.getInt()) : OptionalDouble.empty();
            case DT_INT64 ->
                t.getInt64ValCount() == 1
                        ? OptionalDouble.of(t.getInt64Val(0))
                        : content.remaining() == 8 ? OptionalDouble.of(content.getLong()) : OptionalDouble.empty();
            // half and bfloat16 scalars are the upper bits of a float, carried in half_val (or the content)
            case DT_HALF ->
                halfBits(t).stream().mapToDouble(TensorBoardReader::halfToFloat).findFirst();
            case DT_BFLOAT16 ->
                halfBits(t).stream()
                        .mapToDouble(b -> Float.intBitsToFloat(b << 16))
                        .findFirst();
            case DT_INVALID, UNRECOGNIZED -> OptionalDouble.empty();
        };
    }

    private static List<Integer> halfBits(TensorProto t) {
        if (t.getHalfValCount() == 1) {
            return List.of(t.getHalfVal(0) & 0xffff);
        }
        byte[] c = t.getTensorContent().toByteArray();
        return c.length == 2 ? List.of((c[0] & 0xff) | (c[1] & 0xff) << 8) : List.of();
    }

    /** IEEE 754 binary16 (Java 17 has no Float.float16ToFloat). */
    static double halfToFloat(int bits) {
        int exponent = (bits >> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        double magnitude = exponent == 0
                ? mantissa * 0x1p-24
                : exponent == 31
                        ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                        : (1 + mantissa / 1024.0) * Math.scalb(1.0, exponent - 15);
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }
}
