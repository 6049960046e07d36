package io.descentwatch.importers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Reads the TFRecord framing of an event file: per record a little-endian uint64 length, the masked CRC-32C of
 * those 8 bytes, the data, and the masked CRC-32C of the data (TensorFlow's {@code core/lib/io/record_writer}).
 *
 * <p>A record whose data fails its check is reported and skipped: its length was checked, so the next record is
 * found. A length that fails its check, or a file that ends inside a record (a writer still writing, or killed),
 * ends the file: nothing after it can be framed.
 */
final class TfRecordReader {

    /** What the next read found. */
    sealed interface Next permits Record, Corrupt, End {}

    /** A record whose data passed its check. */
    record Record(long offset, byte[] data) implements Next {}

    /** A record that could not be read; {@code resumable}: the records after it can still be read. */
    record Corrupt(long offset, String reason, boolean resumable) implements Next {}

    /** The end of the file, at a record boundary. */
    record End() implements Next {}

    /** TensorFlow's mask: CRCs of data that itself holds CRCs are poor, so the stored value is rotated and offset. */
    private static final int MASK_DELTA = 0xa282ead8;

    /** Larger records are framing gone wrong, not summaries: TensorBoard's own reader refuses far smaller ones. */
    static final long MAX_RECORD_BYTES = 256L << 20;

    private final InputStream in;
    private long offset;
    private boolean ended;

    TfRecordReader(InputStream in) {
        this.in = in;
    }

    Next next() throws IOException {
        if (ended) {
            return new End();
        }
        long start = offset;
        byte[] header = new byte[12];
        int got = in.readNBytes(header, 0, header.length);
        offset += got;
        if (got == 0) {
            ended = true;
            return new End();
        }
        if (got < header.length) {
            return stop(start, "the file ends inside a record's header (" + got + " of 12 bytes)");
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long length = h.getLong(0);
        int lengthCrc = h.getInt(8);
        if (lengthCrc != maskedCrc(header, 0, 8)) {
            return stop(start, "the record's length fails its CRC-32C check");
        }
        if (length < 0 || length > MAX_RECORD_BYTES) {
            return stop(start, "a record of " + Long.toUnsignedString(length) + " bytes is too large");
        }
        byte[] data = new byte[(int) length];
        int read = in.readNBytes(data, 0, data.length);
        offset += read;
        byte[] footer = new byte[4];
        int footerRead = read == data.length ? in.readNBytes(footer, 0, 4) : 0;
        offset += footerRead;
        if (read < data.length || footerRead < 4) {
            return stop(start, "the file ends inside a record (" + length + " bytes announced)");
        }
        if (ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt() != maskedCrc(data, 0, data.length)) {
            return new Corrupt(start, "the record's data fails its CRC-32C check", true);
        }
        return new Record(start, data);
    }

    private Corrupt stop(long start, String reason) {
        ended = true;
        return new Corrupt(start, reason, false);
    }

    static int maskedCrc(byte[] bytes, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, length);
        int value = (int) crc.getValue();
        return ((value >>> 15) | (value << 17)) + MASK_DELTA;
    }
}
