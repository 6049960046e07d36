package io.descentwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-28T12:00:00Z",
                "2026-11-28T12:00:00.1Z",
                "2026-11-28T12:00:00.123Z",
                "2026-11-28T23:59:59.123456789Z",
                "2024-02-29T00:00:00.000001Z",
                "1970-01-01T00:00:00Z"
            })
    void agreesWithJavaTime(String s) {
        assertThat(Rfc3339.parseUtc(s))
                .isEqualTo(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-28T12:00:00+01:00",
                "2026-02-30T12:00:00Z",
                "2026-11-28T24:00:00Z",
                "2026-11-28T12:00:00.Z",
                "2026-11-28t12:00:00Z",
                "2026-11-28T12:00:00.1234567890Z",
                "yesterday"
            })
    void leavesEverythingElseToJavaTime(String s) {
        assertThat(Rfc3339.parseUtc(s)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-28T12:00:00+01:00", "2026-11-28T12:00:00.5-05:30"})
    void theCodecStillReadsOffsets(String s) {
        String json = new EpochEventCodec()
                .encodeToString(EpochEvent.builder()
                        .runId("r")
                        .sweepId("s")
                        .epoch(1)
                        .trainLoss(1)
                        .testLoss(1)
                        .paramCount(1)
                        .trainSize(1)
                        .time(Instant.EPOCH)
                        .build())
                .replace("1970-01-01T00:00:00Z", s);
        assertThat(new EpochEventCodec().decode(json).value().time())
                .isEqualTo(OffsetDateTime.parse(s).toInstant());
    }
}
