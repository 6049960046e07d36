package io.descentwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import io.descentwatch.testkit.JsonSchemas;
import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published JSON Schemas and the Java validator must agree: external trainers rely on the schema. */
class JsonSchemaAgreementTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonSchema schema(String name) {
        return JsonSchemas.load(name);
    }

    @Test
    void corpusEventsAreValidUnderTheSchema() throws IOException {
        JsonSchema s = schema("epoch-v1.schema.json");
        List<String> lines = Files.readAllLines(LabelledCurves.epochwise());
        for (int i = 0; i < lines.size(); i += 97) {
            assertThat(s.validate(MAPPER.readTree(lines.get(i))))
                    .as("line %d", i + 1)
                    .isEmpty();
        }
    }

    @Test
    void schemaRejectsWhatTheCodecRejects() throws IOException {
        JsonSchema s = schema("epoch-v1.schema.json");
        EpochEventCodec codec = new EpochEventCodec();
        String ok = codec.encodeToString(EpochEvent.builder()
                .runId("r")
                .sweepId("s")
                .epoch(1)
                .trainLoss(0.5)
                .testLoss(0.7)
                .paramCount(10)
                .trainSize(10)
                .time(Instant.EPOCH)
                .build());
        assertThat(s.validate(MAPPER.readTree(ok))).isEmpty();
        for (String bad : List.of(
                ok.replace("\"epoch\":1", "\"epoch\":-1"),
                ok.replace("\"param_count\":10", "\"param_count\":0"),
                ok.replace("\"epoch\":1", "\"epoch\":\"1\""),
                ok.replace("descentwatch.epoch/v1", "descentwatch.epoch/v2"),
                ok.replace("\"run_id\":\"r\",", ""),
                ok.replace("\"test_loss\":0.7", "\"test_loss\":\"high\""),
                ok.replace("\"run_id\":\"r\"", "\"run_id\":\"ends in a backslash\\\\\""),
                ok.replace("\"run_id\":\"r\"", "\"run_id\":\"back\\\\ space\""),
                ok.replace("\"sweep_id\":\"s\"", "\"sweep_id\":\"a\\\\,b\""),
                ok.replace("\"run_id\":\"r\"", "\"run_id\":\"tab\\there\""))) {
            assertThat(codec.decode(bad).isValid()).as(bad).isFalse();
            assertThat(s.validate(MAPPER.readTree(bad))).as(bad).isNotEmpty();
        }
        // and both accept backslashes that InfluxDB can store
        String storable = ok.replace("\"run_id\":\"r\"", "\"run_id\":\"C:\\\\runs\\\\a\\\\\\\\b x\"");
        assertThat(codec.decode(storable).isValid()).as(storable).isTrue();
        assertThat(s.validate(MAPPER.readTree(storable))).as(storable).isEmpty();
    }

    @Test
    void encodedAdviceIsValidUnderTheSchemaAndReadsBack() throws IOException {
        JsonSchema s = schema("advice-v1.schema.json");
        AdviceCodec codec = new AdviceCodec();
        for (Advice a : List.of(
                new Advice(
                        "r",
                        "s",
                        800,
                        Advice.Verdict.STOP,
                        Advice.Basis.NO_SECOND_DESCENT,
                        0.125,
                        "no second descent can come: keep the checkpoint of epoch 40",
                        40,
                        1.53,
                        Instant.EPOCH),
                new Advice(
                        "r",
                        "s",
                        0,
                        Advice.Verdict.CONTINUE,
                        Advice.Basis.WARMING_UP,
                        null,
                        "too early to judge",
                        -1,
                        Double.NaN,
                        Instant.EPOCH))) {
            byte[] bytes = codec.encode(a);
            assertThat(s.validate(MAPPER.readTree(bytes))).as(new String(bytes)).isEmpty();
            assertThat(codec.decode(bytes).value()).isEqualTo(a);
        }
        String ok = codec.encodeToString(
                new Advice("r", "s", 1, Advice.Verdict.STOP, Advice.Basis.CONVERGED, 0.25, "x", 1, 0.5, Instant.EPOCH));
        for (String bad : List.of(
                ok.replace("\"STOP\"", "\"HALT\""),
                ok.replace("\"converged\"", "\"done\""),
                ok.replace("\"best_epoch\":1", "\"best_epoch\":-2"),
                ok.replace("advice/v1", "advice/v2"),
                ok.replace("\"chance\":0.25", "\"chance\":1.5"))) {
            assertThat(codec.decode(bad).isValid()).as(bad).isFalse();
            assertThat(s.validate(MAPPER.readTree(bad))).as(bad).isNotEmpty();
        }
    }

    @Test
    void encodedAlertsAreValidUnderTheSchema() throws IOException {
        JsonSchema s = schema("alert-v1.schema.json");
        Alert a = Alert.of(AlertType.MODEL_WISE_PEAK)
                .run("r")
                .sweep("s")
                .epoch(5000)
                .paramCount(100)
                .trainSize(100)
                .details(Map.of("peak_loss", 1.36, "peak_param_count", 100L))
                .message("sweep s: model-wise peak")
                .at(Instant.EPOCH)
                .build();
        JsonNode node = MAPPER.readTree(new AlertCodec().encode(a));
        assertThat(s.validate(node)).isEmpty();
    }
}
