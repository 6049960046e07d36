package io.descentwatch.detection;

import java.util.Locale;

/** The stopping rules the ledger compares: patience 3, patience 10 (the common defaults) and the advice. */
public enum StopRule {
    PATIENCE_3,
    PATIENCE_10,
    /** Stops at the advice's first STOP (confirmed, as the advice topic carries it). */
    ADVICE;

    /** Its name on the wire, in InfluxDB and on the page: {@code patience_3}, {@code patience_10}, {@code advice}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Its name for people. */
    public String label() {
        return switch (this) {
            case PATIENCE_3 -> "patience 3";
            case PATIENCE_10 -> "patience 10";
            case ADVICE -> "advice";
        };
    }

    /** This rule's account in a run's ledger. */
    public RuleTrack of(LedgerState ledger) {
        return switch (this) {
            case PATIENCE_3 -> ledger.patience3();
            case PATIENCE_10 -> ledger.patience10();
            case ADVICE -> ledger.advice();
        };
    }
}
