package io.descentwatch.bench;

import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The offline oracle: the {@code detect} logic on a sweep's events as sent, to the end of the input. */
final class OfflineVerdicts {

    private OfflineVerdicts() {}

    /** The sweep alerts of the offline detector on these events, ended as {@code detect} ends its input. */
    static Map<AlertType, Long> of(List<EpochEvent> events, DetectionSettings settings) {
        DescentDetector detector = new DescentDetector(settings);
        List<Alert> alerts = new ArrayList<>();
        for (EpochEvent e : events) {
            alerts.addAll(detector.accept(e));
        }
        alerts.addAll(detector.endOfInput());
        Map<AlertType, Long> verdicts = new EnumMap<>(AlertType.class);
        for (Alert a : alerts) {
            if (a.scope() == AlertScope.SWEEP) {
                verdicts.putIfAbsent(a.type(), a.paramCount());
            }
        }
        return verdicts;
    }
}
