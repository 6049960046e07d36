package io.descentwatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events are built by naming each field; what is left out is the wire's default, or named as missing. */
class EpochEventBuilderTest {

    private final EpochEventCodec codec = new EpochEventCodec();

    /** Every field distinct, so a builder that set one field from another would give other JSON. */
    private static EpochEvent everyField() {
        return EpochEvent.builder()
                .runId("run-1")
                .sweepId("sweep-2")
                .epoch(3)
                .trainLoss(0.25)
                .testLoss(0.5)
                .trainError(0.125)
                .testError(0.0625)
                .paramCount(4)
                .trainSize(5)
                .outputDim(6)
                .time(Instant.parse("2026-07-08T09:10:11.012Z"))
                .model(Map.of("width", 13L))
                .tags(Map.of("seed", "14"))
                .isFinal(true)
                .build();
    }

    @Test
    void eachFieldGoesWhereItIsNamedOnTheWire() {
        assertThat(codec.encodeToString(everyField()))
                .isEqualTo("{\"schema\":\"descentwatch.epoch/v1\","
                        + "\"run_id\":\"run-1\",\"sweep_id\":\"sweep-2\",\"epoch\":3,\"train_loss\":0.25,\"test_loss\":0.5,"
                        + "\"train_error\":0.125,\"test_error\":0.0625,\"param_count\":4,\"train_size\":5,\"output_dim\":6,"
                        + "\"time\":\"2026-07-08T09:10:11.012Z\",\"model\":{\"width\":13},\"tags\":{\"seed\":\"14\"},"
                        + "\"final\":true}");
    }

    @Test
    void leftOutOptionalFieldsAreTheWireDefaults() {
        EpochEvent bare = EpochEvent.builder()
                .runId("r")
                .sweepId("s")
                .epoch(1)
                .trainLoss(0.5)
                .testLoss(0.75)
                .paramCount(10)
                .trainSize(20)
                .time(Instant.EPOCH)
                .build();
        String json = "{\"schema\":\"descentwatch.epoch/v1\",\"run_id\":\"r\",\"sweep_id\":\"s\",\"epoch\":1,"
                + "\"train_loss\":0.5,\"test_loss\":0.75,\"param_count\":10,\"train_size\":20,"
                + "\"time\":\"1970-01-01T00:00:00Z\"}";
        assertThat(codec.encodeToString(bare)).isEqualTo(json);
        assertThat(codec.decode(json).value()).isEqualTo(bare);
    }

    @Test
    void aCopyChangesOnlyWhatItNames() {
        EpochEvent e = everyField();
        assertThat(e.toBuilder().build()).isEqualTo(e);
        EpochEvent later = e.toBuilder().epoch(30).build();
        assertThat(later.epoch()).isEqualTo(30);
        assertThat(later.toBuilder().epoch(3).build()).isEqualTo(e);
        assertThat(e.withFinal(false).isFinal()).isFalse();
        assertThat(e.withTag("sweep_runs", "8").tags())
                .containsEntry("seed", "14")
                .containsEntry("sweep_runs", "8");
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> EpochEvent.builder()
                        .runId("r")
                        .epoch(1)
                        .trainLoss(0.5)
                        .paramCount(10)
                        .time(Instant.EPOCH)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("an epoch event needs sweepId, testLoss, trainSize");
    }
}
