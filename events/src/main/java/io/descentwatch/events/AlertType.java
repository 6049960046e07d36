package io.descentwatch.events;

/** What a descent alert says. Each fires at most once per run (run scope) or per sweep (sweep scope). */
public enum AlertType {
    INTERPOLATION_REACHED(AlertScope.RUN),
    TEST_LOSS_RISING(AlertScope.RUN),
    SECOND_DESCENT(AlertScope.RUN),
    BELOW_FIRST_MINIMUM(AlertScope.RUN),
    DIVERGED(AlertScope.RUN),
    INTERPOLATION_THRESHOLD(AlertScope.SWEEP),
    MODEL_WISE_PEAK(AlertScope.SWEEP),
    OVERPARAMETERIZED_WINS(AlertScope.SWEEP);

    private final AlertScope scope;

    AlertType(AlertScope scope) {
        this.scope = scope;
    }

    public AlertScope scope() {
        return scope;
    }
}
