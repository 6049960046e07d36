package io.descentwatch.importers;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One run as a log holds it, before it is mapped to epoch events: its name (where in the input it was found), the
 * file it came from, each scalar series by tag or column (step to value), and the text attributes a CSV log may
 * carry ({@code sweep_id}, {@code param_count}, {@code train_size} columns).
 */
record LoggedRun(
        String name,
        Path source,
        Map<String, NavigableMap<Long, Sample>> series,
        Map<String, String> attributes,
        Instant fileTime) {

    /** One logged value; {@code wallTime} is null where the log has no time. */
    record Sample(double value, Instant wallTime) {}

    /** Collects a run's values as a reader finds them; a later value at the same step replaces the earlier. */
    static final class Builder {
        private final String name;
        private final Path source;
        private final Instant fileTime;
        private final Map<String, NavigableMap<Long, Sample>> series = new HashMap<>();
        private final Map<String, String> attributes = new HashMap<>();

        Builder(String name, Path source, Instant fileTime) {
            this.name = name;
            this.source = source;
            this.fileTime = fileTime;
        }

        void add(String tag, long step, double value, Instant wallTime) {
            series.computeIfAbsent(tag, t -> new TreeMap<>()).put(step, new Sample(value, wallTime));
        }

        void attribute(String key, String value) {
            attributes.putIfAbsent(key, value);
        }

        boolean isEmpty() {
            return series.isEmpty();
        }

        LoggedRun build() {
            return new LoggedRun(name, source, Map.copyOf(series), Map.copyOf(attributes), fileTime);
        }
    }
}
