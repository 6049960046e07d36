package io.descentwatch.detection;

import io.descentwatch.events.EpochEvent;

/**
 * A run's summary (the compacted runs topic, the sweep detector's input) and when it is published again: on every
 * status change (news the sweep detector decides on), and when the test loss has moved by the summary step.
 */
final class RunSummaries {

    private final DetectionSettings settings;

    RunSummaries(DetectionSettings settings) {
        this.settings = settings;
    }

    /**
     * The run's summary. Its test loss is the smoothed level while the run trains, and once it has ended (said
     * final, or went quiet) the running median of its last evaluations: what a model-wise curve plots is where
     * training ended, and near the interpolation threshold the test loss is often still rising then, which the
     * smoothing's lag would understate (so the peak would move to a size whose loss had levelled off).
     */
    RunSummary summarize(RunState s, int sweepRuns) {
        double testLoss = s.finished() || s.idle()
                ? s.test().filtered(settings.medianWindow())
                : s.test().level();
        return new RunSummary(
                s.facts(),
                s.lastEpoch(),
                s.progress().lastTime(),
                s.phase(),
                testLoss,
                s.interpolationEpoch(),
                s.train().filtered(settings.medianWindow()),
                s.progress().activity(),
                sweepRuns,
                s.advice().current(),
                s.ledger());
    }

    /** The planned run count of the event's sweep, from its {@code sweep_runs} tag; 0 when absent or unreadable. */
    static int plannedSweepRuns(EpochEvent event) {
        String value = event.tags().get(EpochEvent.SWEEP_RUNS_TAG);
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** News the sweep detector decides on. */
    static boolean statusChanged(RunSummary last, RunSummary now) {
        return last == null
                || last.phase() != now.phase()
                || last.interpolated() != now.interpolated()
                || last.activity() != now.activity();
    }

    /** The published picture follows the test loss once it has moved by the summary step. */
    boolean lossMoved(RunSummary last, RunSummary now) {
        if (Double.isNaN(last.testLoss())) {
            return !Double.isNaN(now.testLoss());
        }
        return Math.abs(now.testLoss() - last.testLoss()) > settings.summaryStep() * Math.abs(last.testLoss());
    }
}
