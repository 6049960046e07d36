package io.descentwatch.importers;

import com.google.protobuf.ByteString;
import io.descentwatch.importers.proto.DataType;
import io.descentwatch.importers.proto.Event;
import io.descentwatch.importers.proto.Summary;
import io.descentwatch.importers.proto.SummaryMetadata;
import io.descentwatch.importers.proto.TensorProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes event files in the documented layout (no TensorBoard writer installs here: Debian 12 packages neither
 * tensorboard nor tensorboardX): a {@code brain.Event:2} version record, then one Event per scalar, as PyTorch's
 * {@code add_scalar} (simple_value) or TF 2's {@code tf.summary.scalar} (a rank-0 float tensor packed in
 * tensor_content, plugin "scalars") write them.
 */
final class EventFileWriter {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    EventFileWriter() throws IOException {
        bytes.write(frame(Event.newBuilder()
                .setWallTime(1.7e9)
                .setFileVersion("brain.Event:2")
                .build()
                .toByteArray()));
    }

    EventFileWriter simple(String tag, long step, double value) throws IOException {
        Summary.Value v = Summary.Value.newBuilder()
                .setTag(tag)
                .setSimpleValue((float) value)
                .build();
        return write(step, v);
    }

    EventFileWriter tensor(String tag, long step, double value) throws IOException {
        byte[] content = ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat((float) value)
                .array();
        Summary.Value v = Summary.Value.newBuilder()
                .setTag(tag)
                .setMetadata(SummaryMetadata.newBuilder()
                        .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("scalars")))
                .setTensor(TensorProto.newBuilder()
                        .setDtype(DataType.DT_FLOAT)
                        .setTensorContent(ByteString.copyFrom(content)))
                .build();
        return write(step, v);
    }

    private EventFileWriter write(long step, Summary.Value v) throws IOException {
        bytes.write(frame(Event.newBuilder()
                .setWallTime(1.7e9 + step)
                .setStep(step)
                .setSummary(Summary.newBuilder().addValue(v))
                .build()
                .toByteArray()));
        return this;
    }

    /** Frames one record as TensorFlow's writer does: for tests and fixtures. */
    static byte[] frame(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        byte[] len = new byte[8];
        b.get(0, len);
        b.putInt(TfRecordReader.maskedCrc(len, 0, 8));
        b.put(data);
        b.putInt(TfRecordReader.maskedCrc(data, 0, data.length));
        return b.array();
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    Path writeTo(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), bytes());
    }
}
