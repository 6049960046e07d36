package io.descentwatch.alerts;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which alerts a subscriber wants: any of some types, of sweeps and runs whose ids match a pattern. A pattern is
 * an exact id in which {@code *} stands for any characters ({@code rf-*}, {@code *}/s1); null matches everything.
 * A sweep alert has no run of its own to match, so a run pattern keeps only the run alerts of matching runs.
 */
public record AlertFilter(Set<AlertType> types, String sweepPattern, String runPattern) {

    public static final AlertFilter ALL = new AlertFilter(Set.of(), null, null);

    public AlertFilter {
        types = types == null || types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    public boolean test(Alert a) {
        return (types.isEmpty() || types.contains(a.type()))
                && matches(sweepPattern, a.sweepId())
                && (runPattern == null || (a.runId() != null && a.scope() == AlertScope.RUN
                && matches(runPattern, a.runId())));
    }

    static boolean matches(String pattern, String id) {
        if (pattern == null) {
            return true;
        }
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(id).matches();
    }
}
