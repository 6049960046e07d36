package io.descentwatch.alerts;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Summarises the run alerts of a sweep, so that a sweep of 39 runs that each start to overfit is one notice, not
 * 39: the first run alert of a sweep opens a window, every run alert of that sweep that comes within it joins, and
 * when it closes the sweep's run alerts go out as one {@link Digest}. Sweep alerts (the sweep's verdicts) are
 * never held back: each goes out at once as a {@link Single}. A window that caught one alert sends it as it is.
 * With a zero window every alert goes out at once, one notice each (the behaviour before digests).
 *
 * <p>Not thread-safe; time is passed in, so tests and callers decide what "now" is.
 */
public final class AlertDigest {

    /** Order in which a digest names its types: what a person acts on first ({@link AlertType#actionRank()}). */
    static final List<AlertType> ORDER = Arrays.stream(AlertType.values())
            .filter(t -> t.scope() == AlertScope.RUN)
            .sorted(Comparator.comparingInt(AlertType::actionRank))
            .toList();

    /** What goes out: one alert, or the run alerts of one sweep. */
    public sealed interface Notice permits Single, Digest {
        /** The alerts it delivers. */
        List<Alert> alerts();
    }

    /** One alert, as it came. */
    public record Single(Alert alert) implements Notice {
        @Override
        public List<Alert> alerts() {
            return List.of(alert);
        }
    }

    /**
     * The run alerts of one sweep that came within one window, in the order they came.
     */
    public record Digest(String sweepId, List<Alert> alerts) implements Notice {

        public Digest {
            Objects.requireNonNull(sweepId, "sweepId");
            alerts = List.copyOf(alerts);
            if (alerts.isEmpty()) {
                throw new IllegalArgumentException("a digest holds at least one alert");
            }
        }

        /** The alerts of each type, in {@link #ORDER}, each list ordered by model size, then run id. */
        public Map<AlertType, List<Alert>> byType() {
            Map<AlertType, List<Alert>> by = new EnumMap<>(AlertType.class);
            for (Alert a : alerts) {
                by.computeIfAbsent(a.type(), t -> new ArrayList<>()).add(a);
            }
            Map<AlertType, List<Alert>> ordered = new LinkedHashMap<>();
            for (AlertType t : ORDER) {
                List<Alert> of = by.remove(t);
                if (of != null) {
                    of.sort(Comparator.comparingLong(Alert::paramCount).thenComparing(a -> String.valueOf(a.runId())));
                    ordered.put(t, of);
                }
            }
            by.forEach(ordered::put);
            return ordered;
        }

        public Instant firstTime() {
            return alerts.stream()
                    .map(Alert::time)
                    .min(Comparator.naturalOrder())
                    .orElseThrow();
        }

        public Instant lastTime() {
            return alerts.stream()
                    .map(Alert::time)
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
        }
    }

    private record Open(Instant due, List<Alert> alerts) {}

    private final Duration window;
    /** Sweeps with a window open, in the order they opened (and so of their closing). */
    private final Map<String, Open> open = new LinkedHashMap<>();

    /**
     * @param window how long the first run alert of a sweep waits for others; zero: no digests
     */
    public AlertDigest(Duration window) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("the digest window must not be negative, got " + window);
        }
        this.window = window;
    }

    public Duration window() {
        return window;
    }

    /** Takes one alert; returns what goes out now (a sweep alert, or any alert without digests). */
    public List<Notice> accept(Alert alert, Instant now) {
        if (window.isZero() || alert.scope() == AlertScope.SWEEP) {
            return List.of(new Single(alert));
        }
        open.computeIfAbsent(alert.sweepId(), s -> new Open(now.plus(window), new ArrayList<>()))
                .alerts
                .add(alert);
        return List.of();
    }

    /** The digests whose window has closed by {@code now}, oldest first. */
    public List<Notice> due(Instant now) {
        List<Notice> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Open>> i = open.entrySet().iterator(); i.hasNext(); ) {
            Map.Entry<String, Open> e = i.next();
            if (!e.getValue().due.isAfter(now)) {
                out.add(notice(e.getKey(), e.getValue().alerts));
                i.remove();
            }
        }
        return out;
    }

    /** Everything held back, at once (the subscriber is stopping). */
    public List<Notice> flush() {
        List<Notice> out = new ArrayList<>();
        open.forEach((sweep, o) -> out.add(notice(sweep, o.alerts)));
        open.clear();
        return out;
    }

    /** Alerts held back now. */
    public int pending() {
        return open.values().stream().mapToInt(o -> o.alerts.size()).sum();
    }

    private static Notice notice(String sweep, List<Alert> alerts) {
        return alerts.size() == 1 ? new Single(alerts.get(0)) : new Digest(sweep, alerts);
    }
}
