package io.descentwatch.detection;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/** A JSON-lines file of epoch events streamed through one {@link DescentDetector}, its alerts indexed. */
final class CorpusReplay {

    final DescentDetector detector;
    /** runId or sweepId -> type -> the alert. */
    final Map<String, Map<AlertType, Alert>> alerts = new HashMap<>();

    long events;
    long rejected;

    CorpusReplay(DetectionSettings settings) {
        this.detector = new DescentDetector(settings);
    }

    CorpusReplay replay(Path jsonl) {
        EpochEventCodec codec = new EpochEventCodec();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Decoded<EpochEvent> decoded = codec.decode(line);
                if (!decoded.isValid()) {
                    rejected++;
                    continue;
                }
                events++;
                index(detector.accept(decoded.value()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // as the detect command does: the end of the input ends every run
        index(detector.endOfInput());
        return this;
    }

    private void index(Iterable<Alert> raised) {
        for (Alert alert : raised) {
            String key =
                    alert.type().scope() == io.descentwatch.events.AlertScope.RUN ? alert.runId() : alert.sweepId();
            Alert previous = alerts.computeIfAbsent(key, k -> new EnumMap<>(AlertType.class))
                    .put(alert.type(), alert);
            if (previous != null) {
                throw new AssertionError("alert fired twice: " + alert);
            }
        }
    }

    Alert alert(String key, AlertType type) {
        return alerts.getOrDefault(key, Map.of()).get(type);
    }
}
