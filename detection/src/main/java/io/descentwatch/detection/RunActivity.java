package io.descentwatch.detection;

/**
 * Whether a run still trains, as far as sweep decisions go: whether it said {@code final} (for good), and whether
 * it went quiet (no event for the idle timeout, or the end of its input; until its next event). The two are
 * independent, so a run that said final can go quiet too; one value instead of two neighbouring flags that a swap
 * would leave compiling.
 */
public enum RunActivity {
    /** Neither said final nor quiet. */
    TRAINING(false, false),
    /** Went quiet without saying final. */
    QUIET(false, true),
    /** Said final, and has not gone quiet since. */
    FINISHED(true, false),
    /** Said final, then went quiet. */
    FINISHED_QUIET(true, true);

    private final boolean finished;
    private final boolean idle;

    RunActivity(boolean finished, boolean idle) {
        this.finished = finished;
        this.idle = idle;
    }

    /** The run said {@code final}. */
    public boolean finished() {
        return finished;
    }

    /** The run went quiet: it counts as ended for sweep decisions until its next event. */
    public boolean idle() {
        return idle;
    }

    public RunActivity withFinished(boolean value) {
        return of(value, idle);
    }

    public RunActivity withIdle(boolean value) {
        return of(finished, value);
    }

    /** After an event: no longer quiet, and finished once any event said final. */
    RunActivity afterEvent(boolean isFinal) {
        return TRAINING.withFinished(finished || isFinal);
    }

    private static RunActivity of(boolean finished, boolean idle) {
        if (finished) {
            return idle ? FINISHED_QUIET : FINISHED;
        }
        return idle ? QUIET : TRAINING;
    }
}
