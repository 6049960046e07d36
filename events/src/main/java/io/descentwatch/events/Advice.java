package io.descentwatch.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Stopping advice for one run: wire contract v1 ({@code descentwatch.advice/v1}), the value of the compacted
 * advice topic (key = run id). A trainer that follows it stops when it says {@link Verdict#STOP} and keeps the
 * checkpoint of {@code bestEpoch}.
 *
 * @param epoch        the evaluation the advice was given at
 * @param verdict      CONTINUE or STOP
 * @param basis        why, as a stable code (what programs branch on)
 * @param chance       the estimated chance that going on beats the best test loss so far by 2%, in [0, 1]:
 *                     calibrated on families held out of its fit; null while warming up (and in advice written
 *                     before the chance existed), and then left out of the JSON
 * @param reason       why, in one line for a person
 * @param bestEpoch    the epoch of the lowest test loss seen so far: the checkpoint to keep (-1 before any)
 * @param bestTestLoss that lowest test loss (NaN before any)
 */
public record Advice(
        String runId,
        String sweepId,
        long epoch,
        @JsonProperty("advice") Verdict verdict,
        Basis basis,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double chance,
        String reason,
        long bestEpoch,
        double bestTestLoss,
        Instant time) {

    public static final String SCHEMA = "descentwatch.advice/v1";

    /** What to do now. */
    public enum Verdict {
        CONTINUE,
        STOP
    }

    /** The case the run is in; its wire name is the lower-case name. */
    public enum Basis {
        /** Too few evaluations to judge: nothing to stop for yet. */
        WARMING_UP,
        /** The test loss has not risen: the first descent is still going (or has flattened out without a bump). */
        FIRST_DESCENT,
        /** The test loss rose, but the train loss is still falling: slower features are still being fitted. */
        SECOND_DESCENT_POSSIBLE,
        /** The test loss is falling again from its peak. */
        SECOND_DESCENT_RUNNING,
        /** The test loss rose and the train loss has stopped falling (or interpolated): no second descent comes. */
        NO_SECOND_DESCENT,
        /** No bump, and both losses have stopped falling: training has converged. */
        CONVERGED,
        /** The second descent went below the first minimum and has levelled off. */
        SECOND_DESCENT_LEVELLED,
        /**
         * The trainer's own schedule still changes what is fitted (its {@code schedule_end} tag): the curve so far
         * does not say what comes after the change, so nothing read from it stops the run yet.
         */
        SCHEDULED_CHANGE,
        /** The losses are no longer finite or the train loss exploded. */
        DIVERGED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Basis ofWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    public Advice {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(sweepId, "sweepId");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(time, "time");
    }

    public boolean stop() {
        return verdict == Verdict.STOP;
    }

    /** Whether this says something different from {@code earlier}: a change is what the advice topic carries. */
    public boolean differsFrom(Advice earlier) {
        return earlier == null || earlier.verdict != verdict || earlier.basis != basis;
    }
}
