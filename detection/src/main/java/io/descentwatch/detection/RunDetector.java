package io.descentwatch.detection;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Run-scope detection: feeds one epoch event into a run's state and says which alerts it raises. Stateless and
 * deterministic (alert times are event times), so a replay or a restarted Kafka task reaches the same decisions.
 *
 * <p>Decisions are taken on the smoothed test loss ({@link SmoothedSeries}): a change counts only when it is larger
 * than a relative threshold, larger than what the run's own noise explains, larger than an absolute floor, and has
 * held for several evaluations in a row.
 */
public final class RunDetector {

    private final DetectionSettings settings;
    private final StoppingAdvisor advisor;
    private final RunSummaries summaries;

    public RunDetector(DetectionSettings settings) {
        this.settings = settings;
        this.advisor = new StoppingAdvisor(settings);
        this.summaries = new RunSummaries(settings);
    }

    public RunDetector() {
        this(DetectionSettings.defaults());
    }

    public DetectionSettings settings() {
        return settings;
    }

    /** One event, with no sweep read: the run's chance is its own curve's ({@link SweepChances#NONE}). */
    public RunStep step(RunState previousOrNull, EpochEvent event) {
        return step(previousOrNull, event, SweepChances.NONE);
    }

    /** One event; an advice made anew moves its chance by what {@code sweepChances} says of the run's sweep. */
    public RunStep step(RunState previousOrNull, EpochEvent event, SweepChances sweepChances) {
        if (previousOrNull != null && event.epoch() <= previousOrNull.lastEpoch()) {
            return new RunStep(previousOrNull.withIgnored(), List.of(), Optional.empty(), false, false);
        }
        RunState before = previousOrNull != null ? previousOrNull : RunState.start(event);
        return new RunEvaluation(settings, advisor, summaries, before, event, sweepChances).run();
    }

    /**
     * The run went quiet: nothing arrived for the idle timeout (live) or its input ended (offline). It now counts as
     * ended for sweep decisions, as if it had said {@code final}, and its last evaluation is final for its
     * interpolation verdict: a train loss under the criterion that there was no later evaluation to confirm still
     * counts. A run already quiet is left as it is; its next event brings it back.
     */
    public RunStep idle(RunState s) {
        if (s.idle()) {
            return new RunStep(s, List.of(), Optional.empty(), false, false);
        }
        List<Alert> alerts = new ArrayList<>();
        long interpolationEpoch = s.interpolationEpoch();
        if (!s.interpolated() && !s.diverged() && s.curve().streaks().fit() > 0) {
            interpolationEpoch = s.curve().streaks().fitStart();
            if (!s.hasFired(AlertType.INTERPOLATION_REACHED)) {
                double threshold = RunEvaluation.interpolationThreshold(settings, s.firstTrainLoss());
                alerts.add(RunAlertWording.interpolationReached(
                        s,
                        new RunAlertWording.Fit(
                                interpolationEpoch, threshold, "the run's last evaluation", s.firstTrainLoss())));
            }
        }
        Set<AlertType> fired = s.fired().isEmpty() ? EnumSet.noneOf(AlertType.class) : EnumSet.copyOf(s.fired());
        alerts.forEach(a -> fired.add(a.type()));
        RunState quiet = s.withProgress(s.progress().quiet())
                .withCurve(s.curve().withInterpolationEpoch(interpolationEpoch))
                .withVerdicts(s.verdicts().withFired(fired));
        int sweepRuns = s.reported() != null ? s.reported().sweepRuns() : 0;
        RunSummary summary = summaries.summarize(quiet, sweepRuns);
        return new RunStep(quiet.withReported(summary), alerts, Optional.of(summary), true, true);
    }
}
