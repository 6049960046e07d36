package io.descentwatch.detection;

import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import java.time.Instant;
import java.util.Set;

/**
 * Everything the run detector remembers about one run, in bounded space whatever the run's length: what the run is,
 * how far it has got, what its curves have done (the smoothed series, a few recent raw values each, the landmarks,
 * confirmation counters) and what the detector has said about it (alerts fired, the last summary sent to the sweep,
 * the advice and its ledger). Immutable; each event produces a new one.
 *
 * <p>The accessors below the components read through to them for the code that asks about a run as a whole.
 *
 * @param facts    the run's ids and model size
 * @param progress its latest epoch and time, event counts, and whether it said final or went quiet
 * @param curve    its phase, smoothed losses, landmarks, streaks and interpolation epoch
 * @param verdicts its alerts fired, last summary reported, advice and ledger
 */
public record RunState(RunFacts facts, RunProgress progress, RunCurve curve, RunVerdicts verdicts) {

    static RunState start(EpochEvent first) {
        return new RunState(RunFacts.of(first), RunProgress.start(first.time()), RunCurve.START, RunVerdicts.START);
    }

    public String runId() {
        return facts.runId();
    }

    public String sweepId() {
        return facts.sweepId();
    }

    public long paramCount() {
        return facts.size().paramCount();
    }

    public long trainSize() {
        return facts.size().trainSize();
    }

    public int outputDim() {
        return facts.size().outputDim();
    }

    /** The highest epoch accepted; events at or below it are duplicates or stale. */
    public long lastEpoch() {
        return progress.lastEpoch();
    }

    /** The time of the latest accepted event. */
    public Instant lastTime() {
        return progress.lastTime();
    }

    /** The run said {@code final}. */
    public boolean finished() {
        return progress.activity().finished();
    }

    /** The run went quiet: ended for sweep decisions until its next event. */
    public boolean idle() {
        return progress.activity().idle();
    }

    public RunPhase phase() {
        return curve.phase();
    }

    public SmoothedSeries test() {
        return curve.test();
    }

    public SmoothedSeries train() {
        return curve.train();
    }

    public double firstTrainLoss() {
        return curve.firstTrainLoss();
    }

    public Landmark minimum() {
        return curve.landmarks().minimum();
    }

    public Landmark peak() {
        return curve.landmarks().peak();
    }

    public long interpolationEpoch() {
        return curve.interpolationEpoch();
    }

    public boolean interpolated() {
        return curve.interpolationEpoch() >= 0;
    }

    public boolean diverged() {
        return curve.phase() == RunPhase.DIVERGED;
    }

    public Set<AlertType> fired() {
        return verdicts.fired();
    }

    public boolean hasFired(AlertType type) {
        return verdicts.fired().contains(type);
    }

    public RunSummary reported() {
        return verdicts.reported();
    }

    public AdviceState advice() {
        return verdicts.advice();
    }

    public LedgerState ledger() {
        return verdicts.ledger();
    }

    RunState withProgress(RunProgress next) {
        return new RunState(facts, next, curve, verdicts);
    }

    RunState withCurve(RunCurve next) {
        return new RunState(facts, progress, next, verdicts);
    }

    RunState withVerdicts(RunVerdicts next) {
        return new RunState(facts, progress, curve, next);
    }

    RunState withIgnored() {
        return withProgress(progress.withIgnored());
    }

    RunState withReported(RunSummary summary) {
        return withVerdicts(verdicts.withReported(summary));
    }

    RunState withAdvice(AdviceState next) {
        return withVerdicts(verdicts.withAdvice(next));
    }

    RunState withLedger(LedgerState next) {
        return withVerdicts(verdicts.withLedger(next));
    }
}
