package io.descentwatch.streams.detector;

import io.descentwatch.detection.ChanceMove;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepPicture;
import io.descentwatch.events.Advice;
import io.descentwatch.events.Alert;

/**
 * What the detection processors emit; the topology routes each kind to its topic by an exhaustive switch over
 * {@link #kind()} (a switch over the sealed type itself needs a later Java), so that a new kind of output does
 * not compile until it has a route.
 */
sealed interface DetectorOutput {

    /** One per record type below, each returned by its own record only. */
    enum Kind {
        ALERT,
        RUN,
        SWEEP,
        ADVICE,
        SWEEP_CHANCE
    }

    Kind kind();

    record AlertRaised(Alert alert) implements DetectorOutput {
        @Override
        public Kind kind() {
            return Kind.ALERT;
        }
    }

    /** A run's new summary; {@code statusChanged} says whether the sweep detector must hear it. */
    record RunChanged(RunSummary summary, boolean statusChanged) implements DetectorOutput {
        @Override
        public Kind kind() {
            return Kind.RUN;
        }
    }

    record SweepChanged(SweepPicture picture) implements DetectorOutput {
        @Override
        public Kind kind() {
            return Kind.SWEEP;
        }
    }

    /** A run's stopping advice changed (verdict or basis): for the compacted advice topic, at once. */
    record AdviceChanged(Advice advice) implements DetectorOutput {
        @Override
        public Kind kind() {
            return Kind.ADVICE;
        }
    }

    /**
     * A sweep's new move of the chance told to its runs (an ended run changed what the sweep knows of them): for the
     * sweep chances topic, which the run detector reads back as a global store.
     */
    record SweepChanceMoved(ChanceMove move) implements DetectorOutput {
        @Override
        public Kind kind() {
            return Kind.SWEEP_CHANCE;
        }
    }
}
