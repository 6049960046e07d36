package io.descentwatch.bench;

/**
 * What each part of the detector's own per-event work may cost, in multiples of its floor: tokenizing the event's
 * JSON with Jackson, measured in the same run (so the budget holds on a fast machine and a slow one alike). A
 * feature that pushes a part over its budget shows here, with its cost, before it shows as lost throughput.
 *
 * <p>The budgets are the line to hold, set at issue 24's figures with a margin for this machine's noise (a floor
 * swings by a fifth between runs). The detector has not reached issue 24's 0.8 of a pass-through topology on the
 * default load (docs/benchmarks.md: everything after decoding would have to cost a third of what it does), and the
 * topology's per-event cost is several times its code's, so any step over budget is throughput lost. Decoding and a
 * step are paid on every event; encoding a state once per run per commit, and a summary once per run per summary
 * interval, so those two are per call and looser.
 */
enum CostBudget {
    DECODE("decode", 2.5, "every event: the contract's checks on top of tokenizing"),
    DETECTOR_STEP("detectorStep", 2.0, "every event: smoothing, landmarks, alert rules, advice, ledger"),
    STATE_ENCODE("encodeStateForTheStore", 2.5, "once per run per commit"),
    SUMMARY_ENCODE("encodeSummaryForTheRunsTopic", 8.0, "once per run per summary interval (1 s)");

    /** The floor every budget is a multiple of. */
    static final String FLOOR = "tokenizeOnly";

    final String benchmark;
    final double floors;
    final String why;

    CostBudget(String benchmark, double floors, String why) {
        this.benchmark = benchmark;
        this.floors = floors;
        this.why = why;
    }

    /** Whether {@code nanos} per call is within budget, given the floor's {@code floorNanos} in the same run. */
    boolean within(double nanos, double floorNanos) {
        return nanos <= floors * floorNanos;
    }
}
