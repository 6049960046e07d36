package io.descentwatch.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counts behind each fault test (events sent, received, alerts expected and seen, points written), written to
 * {@code target/reliability/<fault>.json} and printed, so that docs/reliability.md can give the figures of a run.
 */
final class ReliabilityLog {

    private ReliabilityLog() {}

    static void record(String fault, Map<String, ?> counts) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("fault", fault);
        entry.put("time", Instant.now().toString());
        entry.putAll(counts);
        System.out.println("reliability: " + entry);
        Path dir = Path.of(System.getProperty("descentwatch.reliability.dir", "target/reliability"));
        try {
            Files.createDirectories(dir);
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve(fault + ".json").toFile(), entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
