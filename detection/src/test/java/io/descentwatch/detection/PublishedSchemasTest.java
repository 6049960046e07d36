package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.JsonSchemas;
import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runs and sweeps topics' JSON is part of the contract beside the alerts and advice: every run summary and
 * sweep picture the detector publishes over the labelled sweeps validates under its published schema.
 */
class PublishedSchemasTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonSchema schema(String name) {
        return JsonSchemas.load(name);
    }

    @Test
    void everyPublishedRunSummaryAndSweepPictureMatchesItsSchema() throws IOException {
        JsonSchema runs = schema("run-v1.schema.json");
        JsonSchema sweeps = schema("sweep-v1.schema.json");
        PublishedJson json = new PublishedJson();
        EpochEventCodec events = new EpochEventCodec();
        List<String> lines = Files.readAllLines(LabelledCurves.modelwise());
        DescentDetector detector = new DescentDetector(DetectionSettings.defaults());
        int summaries = 0;
        for (int i = 0; i < lines.size(); i++) {
            EpochEvent e = events.decode(lines.get(i)).value();
            detector.accept(e);
            RunSummary reported = detector.runs().get(e.runId()).reported();
            if (i % 11 == 0 && reported != null) {
                assertThat(runs.validate(MAPPER.readTree(json.encodeSummary(reported))))
                        .as(e.runId())
                        .isEmpty();
                summaries++;
            }
        }
        detector.endOfInput();
        assertThat(summaries).isGreaterThan(100);
        assertThat(detector.sweeps()).isNotEmpty();
        for (SweepState sweep : detector.sweeps().values()) {
            assertThat(sweeps.validate(MAPPER.readTree(json.encodeSweep(SweepPicture.of(sweep)))))
                    .as(sweep.sweepId())
                    .isEmpty();
        }
    }
}
