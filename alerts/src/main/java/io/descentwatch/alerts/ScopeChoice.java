package io.descentwatch.alerts;

import io.descentwatch.events.AlertScope;

/** A subscriber's {@code --scope}, as written on a command line (lower case, as on the wire). */
public enum ScopeChoice {
    run(AlertScope.RUN),
    sweep(AlertScope.SWEEP);

    private final AlertScope scope;

    ScopeChoice(AlertScope scope) {
        this.scope = scope;
    }

    public AlertScope scope() {
        return scope;
    }

    /** The scope, null for none chosen. */
    public static AlertScope of(ScopeChoice choice) {
        return choice == null ? null : choice.scope;
    }
}
