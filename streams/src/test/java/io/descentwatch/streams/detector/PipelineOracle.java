package io.descentwatch.streams.detector;

import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the streaming pipeline must alert, for the tests that run it (here and in the reliability module): the
 * offline detector's alerts over the same events, compared by what each alert says.
 */
public final class PipelineOracle {

    private PipelineOracle() {}

    /** The alerts the offline detector raises over the events: what any correct run of the pipeline raises. */
    public static List<Alert> alerts(List<EpochEvent> events) {
        DescentDetector detector = new DescentDetector(DetectionSettings.defaults());
        List<Alert> out = new ArrayList<>();
        events.forEach(e -> out.addAll(detector.accept(e)));
        return out;
    }

    /**
     * What an alert says: run alerts at the epoch they fired; sweep alerts by the landmark model size they name.
     * How updates of different runs interleave across partitions differs from one run of the pipeline to the next,
     * so the epoch of a sweep alert is not compared, nor which over-parameterized model was first seen to win (any
     * model past the threshold that beats every model below it is a right answer).
     */
    public static Map<String, String> byId(List<Alert> alerts) {
        return alerts.stream()
                .collect(Collectors.toMap(
                        Alert::alertId,
                        a -> switch (a.type()) {
                            case OVERPARAMETERIZED_WINS -> a.type().name();
                            case INTERPOLATION_THRESHOLD, MODEL_WISE_PEAK -> a.type() + " P=" + a.paramCount();
                            default -> a.type() + "@" + a.epoch();
                        },
                        (a, b) -> a + " AND AGAIN " + b,
                        LinkedHashMap::new));
    }
}
