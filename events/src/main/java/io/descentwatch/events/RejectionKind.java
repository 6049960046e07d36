package io.descentwatch.events;

/** Why an input record is not a valid event. Stable names: they appear in dead-letter records and metrics. */
public enum RejectionKind {
    NOT_JSON,
    NOT_AN_OBJECT,
    TOO_LARGE,
    UNKNOWN_SCHEMA,
    MISSING_FIELD,
    WRONG_TYPE,
    OUT_OF_RANGE,
    TOO_LONG
}
