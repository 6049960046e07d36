package io.descentwatch.bench;

/**
 * What the detector's topology may cost per event, in multiples of its floor: the same topology cut short after
 * validation (decoding the contract's JSON and routing by run, what any detector of the contract pays), measured in
 * the same round of `bench detector --stages` (so the budget holds on a fast machine and a slow one alike). The
 * JMH budgets ({@link CostBudget}) hold the line for the detector's own code; these hold it for everything a
 * feature adds in place: the store, what is published, the broker's and the producers' work for it.
 *
 * <p>The measure is the whole process's CPU µs per event over each run's steady stretch, not the rate: on 2 cores
 * a round's rate swings by a factor of two, its CPU per event by a fifth to a third (docs/benchmarks.md). Each
 * round's ratio to its own floor is taken, and the median of the rounds'. The budgets are set at issue 24's
 * figures (2026-12-07, four runs: medians of 1.49-1.83 floors for the run detector and 2.27-3.44 for the full
 * detector) with a margin for that noise (single rounds ranged over 1.33-2.20 and 1.79-3.72). The detector is far from
 * issue 24's 0.8 of a pass-through topology on the default load (0.8 would allow the full detector 1.2-1.5 floors), so
 * any stage over budget is throughput lost, and a feature that costs more than a budget leaves must say why.
 */
enum StageBudget {
    RUN_DETECTOR(
            DetectorThroughputBench.Measured.RUN_DETECTOR,
            2.25,
            "every event: the run's state read and kept, a step, the idle check; nothing published"),
    FULL(
            DetectorThroughputBench.Measured.FULL,
            4.0,
            "and the alerts, advice and summaries published, status changes repartitioned, the sweep detector");

    /** The stage every budget is a multiple of. */
    static final DetectorThroughputBench.Measured FLOOR = DetectorThroughputBench.Measured.VALIDATION;

    final DetectorThroughputBench.Measured stage;
    final double floors;
    final String why;

    StageBudget(DetectorThroughputBench.Measured stage, double floors, String why) {
        this.stage = stage;
        this.floors = floors;
        this.why = why;
    }

    /** Whether a stage that cost {@code measuredFloors} of the floor is within budget. */
    boolean within(double measuredFloors) {
        return measuredFloors <= floors;
    }
}
