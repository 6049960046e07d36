package io.descentwatch.importers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The TFRecord framing: CRC-32C (Castagnoli, not zlib's CRC-32) masked as TensorFlow masks it. */
class TfRecordReaderTest {

    @Test
    void theChecksumIsCrc32cMaskedAsTensorFlowDoes() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        int crc32c = 0xE3069283; // CRC-32C's published check value for "123456789"
        int masked = ((crc32c >>> 15) | (crc32c << 17)) + 0xa282ead8;
        assertThat(TfRecordReader.maskedCrc(check, 0, check.length)).isEqualTo(masked);
    }

    @Test
    void readsRecordsInOrderWithTheirOffsetsThenTheEnd() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(EventFileWriter.frame(new byte[] {1, 2, 3}));
        file.write(EventFileWriter.frame(new byte[0]));
        file.write(EventFileWriter.frame(new byte[] {4}));
        TfRecordReader reader = new TfRecordReader(new ByteArrayInputStream(file.toByteArray()));

        TfRecordReader.Record first = (TfRecordReader.Record) reader.next();
        TfRecordReader.Record empty = (TfRecordReader.Record) reader.next();
        TfRecordReader.Record last = (TfRecordReader.Record) reader.next();

        assertThat(first.data()).containsExactly(1, 2, 3);
        assertThat(empty.offset()).isEqualTo(19); // 8 length + 4 CRC + 3 data + 4 CRC
        assertThat(last.data()).containsExactly(4);
        assertThat(reader.next()).isInstanceOf(TfRecordReader.End.class);
    }

    @Test
    void halfPrecisionScalarsAreDecoded() {
        assertThat(TensorBoardReader.halfToFloat(0x3c00)).isEqualTo(1.0);
        assertThat(TensorBoardReader.halfToFloat(0xc000)).isEqualTo(-2.0);
        assertThat(TensorBoardReader.halfToFloat(0x3555)).isCloseTo(0.33325, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(TensorBoardReader.halfToFloat(0x7c00)).isInfinite();
    }
}
