package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertDetails;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertWording;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every detail an alert carries is named in the contract, and run alerts are worded by the contract's wording. */
class AlertVocabularyTest {

    @Test
    void everyDetailKeyTheDetectorsWriteIsAContractConstant() throws Exception {
        Set<String> contract = new HashSet<>();
        for (Field f : AlertDetails.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && f.getType() == String.class
                    && !f.getName().equals("MISSING")) {
                contract.add((String) f.get(null));
            }
        }
        List<Alert> alerts = new ArrayList<>(alerts(LabelledCurves.epochwise()));
        alerts.addAll(alerts(LabelledCurves.modelwise()));
        assertThat(alerts).extracting(Alert::scope).contains(AlertScope.RUN, AlertScope.SWEEP);
        for (Alert a : alerts) {
            assertThat(contract)
                    .as(a.type() + " details")
                    .containsAll(a.details().keySet());
        }
    }

    @Test
    void runAlertsAreWordedByTheContractAndTheirDetailsReadBack() throws Exception {
        for (Alert a : alerts(LabelledCurves.epochwise())) {
            if (a.scope() != AlertScope.RUN) {
                continue;
            }
            assertThat(a.message()).startsWith(AlertWording.run(a.runId(), ""));
            switch (a.type()) {
                case SECOND_DESCENT ->
                    assertThat(a.message())
                            .endsWith(AlertWording.secondDescent(
                                    a.epoch(),
                                    AlertDetails.number(a, AlertDetails.LOSS),
                                    AlertDetails.number(a, AlertDetails.PEAK_LOSS),
                                    (long) AlertDetails.number(a, AlertDetails.PEAK_EPOCH)));
                case BELOW_FIRST_MINIMUM ->
                    assertThat(a.message()).contains(AlertDetails.shown(a, AlertDetails.FIRST_MIN_LOSS));
                default -> {}
            }
        }
        assertThat(AlertWording.num(0.123456)).isEqualTo("0.123");
        assertThat(AlertWording.num(Double.NaN)).isEqualTo("NaN");
        assertThat(AlertWording.percent(0.125)).isEqualTo("13%");
    }

    private static List<Alert> alerts(Path file) throws IOException {
        EpochEventCodec codec = new EpochEventCodec();
        DescentDetector detector = new DescentDetector(DetectionSettings.defaults());
        List<Alert> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            EpochEvent e = codec.decode(line).value();
            out.addAll(detector.accept(e));
        }
        out.addAll(detector.endOfInput());
        return out;
    }
}
