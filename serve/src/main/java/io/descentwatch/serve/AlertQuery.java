package io.descentwatch.serve;

import io.descentwatch.alerts.AlertFilter;
import io.descentwatch.alerts.ScopeChoice;
import io.descentwatch.events.AlertType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.util.Fields;

/**
 * The subscription a request to {@code /api/alerts} asks for, as {@code alerts} takes it on its command line:
 * {@code type} (comma-separated or repeated), {@code scope} ({@code run} or {@code sweep}), {@code sweep} and
 * {@code run} (patterns, {@code *} for any characters). Without parameters, every alert.
 */
final class AlertQuery {

    private AlertQuery() {}

    /** The filter the parameters ask for; an unknown type or scope is refused naming the valid values. */
    static AlertFilter parse(Fields query) {
        Set<AlertType> types = EnumSet.noneOf(AlertType.class);
        List<String> typeValues = query.getValues("type");
        for (String value : typeValues == null ? List.<String>of() : typeValues) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    types.add(type(name.trim()));
                }
            }
        }
        String scope = query.getValue("scope");
        AlertFilter filter = new AlertFilter(
                types,
                scope == null ? null : ScopeChoice.of(scopeChoice(scope)),
                query.getValue("sweep"),
                query.getValue("run"));
        String contradiction = filter.contradiction();
        if (contradiction != null) {
            throw new IllegalArgumentException("type and scope: " + contradiction);
        }
        return filter;
    }

    private static AlertType type(String name) {
        try {
            return AlertType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("type: unknown alert type '" + name + "' (valid: "
                    + Arrays.stream(AlertType.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
        }
    }

    private static ScopeChoice scopeChoice(String name) {
        try {
            return ScopeChoice.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scope: unknown scope '" + name + "' (valid: run, sweep)");
        }
    }
}
