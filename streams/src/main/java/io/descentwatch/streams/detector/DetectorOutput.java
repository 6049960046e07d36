package io.descentwatch.streams.detector;

import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepPicture;
import io.descentwatch.events.Advice;
import io.descentwatch.events.Alert;

/** What the detection processors emit; the topology routes each kind to its topic. */
sealed interface DetectorOutput {

    record AlertRaised(Alert alert) implements DetectorOutput {
    }

    /** A run's new summary; {@code statusChanged} says whether the sweep detector must hear it. */
    record RunChanged(RunSummary summary, boolean statusChanged) implements DetectorOutput {
    }

    record SweepChanged(SweepPicture picture) implements DetectorOutput {
    }

    /** A run's stopping advice changed (verdict or basis): for the compacted advice topic, at once. */
    record AdviceChanged(Advice advice) implements DetectorOutput {
    }
}
