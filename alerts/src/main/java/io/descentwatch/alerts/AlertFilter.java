package io.descentwatch.alerts;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which alerts a subscriber wants: any of some types, of one scope (run or sweep alerts; null for both), of sweeps
 * and runs whose ids match a pattern. A pattern is an exact id in which {@code *} stands for any characters
 * ({@code rf-*}, {@code *}/s1); null matches everything. A sweep alert has no run of its own to match, so a run
 * pattern keeps only the run alerts of matching runs.
 */
public record AlertFilter(Set<AlertType> types, AlertScope scope, String sweepPattern, String runPattern) {

    public static final AlertFilter ALL = new AlertFilter(Set.of(), null, null, null);

    public AlertFilter {
        types = types == null || types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    /** Both scopes. */
    public AlertFilter(Set<AlertType> types, String sweepPattern, String runPattern) {
        this(types, null, sweepPattern, runPattern);
    }

    public boolean test(Alert a) {
        return (types.isEmpty() || types.contains(a.type()))
                && (scope == null || a.scope() == scope)
                && matches(sweepPattern, a.sweepId())
                && (runPattern == null
                        || (a.runId() != null && a.scope() == AlertScope.RUN && matches(runPattern, a.runId())));
    }

    /**
     * Types and a scope that no alert can have at once (only sweep types with {@code --scope run}, say) would
     * silently deliver nothing: the message names the clash, null when there is none.
     */
    public String contradiction() {
        if (scope != null && !types.isEmpty() && types.stream().noneMatch(t -> t.scope() == scope)) {
            return "no alert of types "
                    + types.stream().map(Enum::name).sorted().toList() + " has scope " + scope.wireName();
        }
        return null;
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
