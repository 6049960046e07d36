package io.descentwatch.events;

import java.util.Locale;

/** Whether an alert is about one run or about a sweep of model sizes. */
public enum AlertScope {
    RUN,
    SWEEP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
