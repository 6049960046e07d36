package io.descentwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EpochEventCodecTest {

    private final EpochEventCodec codec = new EpochEventCodec();

    private static final String VALID = """
            {"schema":"descentwatch.epoch/v1","run_id":"rf-demo/N0100/s1","sweep_id":"rf-demo","epoch":17,
             "train_loss":0.031,"test_loss":1.204,"train_error":0.0,"test_error":0.12,
             "param_count":100,"train_size":100,"time":"2026-11-28T12:00:00.123Z",
             "model":{"family":"random-features","width":100},"tags":{"label_noise":"0.5"}}""";

    @Test
    void decodesTheContractExample() {
        EpochEvent e = codec.decode(VALID).value();
        assertThat(e.runId()).isEqualTo("rf-demo/N0100/s1");
        assertThat(e.sweepId()).isEqualTo("rf-demo");
        assertThat(e.epoch()).isEqualTo(17);
        assertThat(e.trainLoss()).isEqualTo(0.031);
        assertThat(e.testLoss()).isEqualTo(1.204);
        assertThat(e.trainError()).isEqualTo(0.0);
        assertThat(e.testError()).isEqualTo(0.12);
        assertThat(e.paramCount()).isEqualTo(100);
        assertThat(e.trainSize()).isEqualTo(100);
        assertThat(e.outputDim()).isEqualTo(1);
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-28T12:00:00.123Z"));
        assertThat(e.model()).containsEntry("family", "random-features").containsEntry("width", 100L);
        assertThat(e.tags()).containsEntry("label_noise", "0.5");
        assertThat(e.isFinal()).isFalse();
        assertThat(e.pOverN()).isEqualTo(1.0);
    }

    @Test
    void roundTripsEveryFieldIncludingDivergence() {
        EpochEvent e = EpochEvent.builder()
                .runId("r \"odd\", id=1 ünï")
                .sweepId("s")
                .epoch(3)
                .trainLoss(Double.NaN)
                .testLoss(Double.POSITIVE_INFINITY)
                .trainError(0.5)
                .paramCount(210)
                .trainSize(500)
                .outputDim(10)
                .time(Instant.parse("2026-01-02T03:04:05.678Z"))
                .model(Map.of("width", 7L, "lr", 0.02))
                .tags(Map.of("noise", "0.5"))
                .isFinal(true)
                .build();
        EpochEvent back = codec.decode(codec.encode(e)).value();
        assertThat(back).isEqualTo(e);
        assertThat(back.trainLoss()).isNaN();
        assertThat(back.pOverN()).isEqualTo(210.0 / 5000.0);
    }

    @Test
    void acceptsBareNaNTokensAsPythonWritesThem() {
        String py = VALID.replace("\"train_loss\":0.031", "\"train_loss\":NaN").replace("1.204", "Infinity");
        EpochEvent e = codec.decode(py).value();
        assertThat(e.trainLoss()).isNaN();
        assertThat(e.testLoss()).isInfinite();
    }

    @Test
    void ignoresUnknownFieldsAndAcceptsOffsets() {
        String json = VALID.replace("\"epoch\":17", "\"epoch\":17,\"future_field\":{\"a\":[1,2]}")
                .replace("2026-11-28T12:00:00.123Z", "2026-11-28T13:00:00.123+01:00");
        EpochEvent e = codec.decode(json).value();
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-28T12:00:00.123Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json                | garbage{                                        | NOT_JSON       | not valid JSON",
                "array                   | [1,2]                                           | NOT_AN_OBJECT  | expected a JSON object",
                "missing run_id          | @run_id                                         | MISSING_FIELD  | 'run_id'",
                "epoch as string         | \"epoch\":17=\"epoch\":\"17\"                   | WRONG_TYPE     | 'epoch' must be an integer",
                "fractional epoch        | \"epoch\":17=\"epoch\":17.5                     | WRONG_TYPE     | 'epoch' must be an integer",
                "negative epoch          | \"epoch\":17=\"epoch\":-1                       | OUT_OF_RANGE   | 'epoch'",
                "absurd epoch            | \"epoch\":17=\"epoch\":99999999999999999999999  | OUT_OF_RANGE   | 'epoch'",
                "zero param_count        | \"param_count\":100=\"param_count\":0           | OUT_OF_RANGE   | 'param_count'",
                "param_count as NaN      | \"param_count\":100=\"param_count\":NaN         | WRONG_TYPE     | 'param_count'",
                "loss as word            | \"test_loss\":1.204=\"test_loss\":\"high\"      | WRONG_TYPE     | 'test_loss'",
                "error above one         | \"test_error\":0.12=\"test_error\":1.5          | OUT_OF_RANGE   | 'test_error'",
                "bad time                | 2026-11-28T12:00:00.123Z=yesterday              | WRONG_TYPE     | RFC 3339",
                "unknown schema version  | descentwatch.epoch/v1=descentwatch.epoch/v2     | UNKNOWN_SCHEMA | descentwatch.epoch/v2",
                "newline in run_id       | rf-demo/N0100/s1=rf\\nx                         | OUT_OF_RANGE   | control character",
                "blank sweep_id          | \"sweep_id\":\"rf-demo\"=\"sweep_id\":\" \"      | OUT_OF_RANGE   | 'sweep_id'",
                "tags not an object      | {\"label_noise\":\"0.5\"}=[1]                   | WRONG_TYPE     | 'tags'",
            })
    void rejectsBadInputWithAReason(String name, String edit, RejectionKind kind, String reasonPart) {
        String json;
        if (edit.startsWith("@")) {
            json = VALID.replaceAll("\"" + edit.substring(1) + "\":\"[^\"]*\",", "");
        } else if (edit.contains("=")) {
            String[] parts = edit.split("=", 2);
            json = VALID.replace(parts[0], parts[1]);
            assertThat(json).as("fixture edit applies").isNotEqualTo(VALID);
        } else {
            json = edit;
        }
        Decoded<EpochEvent> d = codec.decode(json);
        assertThat(d).isInstanceOf(Decoded.Invalid.class);
        Rejection r = ((Decoded.Invalid<EpochEvent>) d).rejection();
        assertThat(r.kind()).isEqualTo(kind);
        assertThat(r.reason()).contains(reasonPart);
    }

    @Test
    void rejectsOversizedStringsAndRecords() {
        String longId = "x".repeat(ContractLimits.DEFAULT.maxIdLength() + 1);
        Rejection r =
                ((Decoded.Invalid<EpochEvent>) codec.decode(VALID.replace("rf-demo/N0100/s1", longId))).rejection();
        assertThat(r.kind()).isEqualTo(RejectionKind.TOO_LONG);
        assertThat(r.reason()).contains("'run_id'").contains("257");

        String huge = VALID.replace("\"0.5\"", "\"" + "y".repeat(1_000_000) + "\"");
        Rejection big = ((Decoded.Invalid<EpochEvent>) codec.decode(huge)).rejection();
        assertThat(big.kind()).isEqualTo(RejectionKind.TOO_LARGE);
    }

    @Test
    void nullAndEmptyInputAreRejectedNotThrown() {
        assertThat(codec.decode((byte[]) null).isValid()).isFalse();
        assertThat(codec.decode(new byte[0]).isValid()).isFalse();
        assertThat(codec.decode(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00}).isValid())
                .isFalse();
    }

    @Test
    void everyLabelledCurveEventParses() throws IOException {
        for (Path file : List.of(LabelledCurves.epochwise(), LabelledCurves.modelwise())) {
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSizeGreaterThan(1000);
            for (int i = 0; i < lines.size(); i++) {
                Decoded<EpochEvent> d = codec.decode(lines.get(i));
                assertThat(d.isValid())
                        .as("%s line %d: %s", file.getFileName(), i + 1, d)
                        .isTrue();
                EpochEvent e = d.value();
                assertThat(codec.decode(codec.encode(e)).value()).isEqualTo(e);
            }
        }
    }
}
