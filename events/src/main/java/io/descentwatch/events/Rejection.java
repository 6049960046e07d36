package io.descentwatch.events;

/** A record that is not a valid event: what kind of fault, and a sentence a person can act on. */
public record Rejection(RejectionKind kind, String reason) {

    @Override
    public String toString() {
        return kind + ": " + reason;
    }
}
