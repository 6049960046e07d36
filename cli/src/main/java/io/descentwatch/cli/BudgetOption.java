package io.descentwatch.cli;

import io.descentwatch.events.EpochEvent;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --max-epochs} of the offline commands that advise (detect, report): the planned last epoch the advice is
 * told for runs whose events do not tell their own. A picocli mixin.
 */
final class BudgetOption {

    @Option(
            names = "--max-epochs",
            paramLabel = "N|last|none",
            defaultValue = "${env:DW_MAX_EPOCHS:-last}",
            converter = LoggedBudget.Converter.class,
            description = "The planned last epoch of every run whose events do not tell their own (tag max_epochs), "
                    + "as a trainer tells it live: N for every run, 'last' for each run's last epoch in the input "
                    + "(read once before detecting; standard input is read to its end first), or 'none'. With a "
                    + "budget the advice also says STOP when a second descent can no longer win before it; without "
                    + "one, where none comes, a run is advised to train to its end (env DW_MAX_EPOCHS; default "
                    + "last: a finished log says how long its runs went, and an unfinished one is no worse off than "
                    + "its trainer, which stops there anyway).")
    LoggedBudget budget;

    private Map<String, Long> lastLogged = Map.of();

    /** Reads each run's last epoch from the input first, when the budget is each run's last logged epoch. */
    void prepare(EventLogInput input) throws IOException {
        if (budget.kind() == LoggedBudget.Kind.LAST_LOGGED) {
            lastLogged = input.lastEpochs();
        }
    }

    /** The event as the advice is to read it: with the budget told, unless it tells its own. */
    EpochEvent told(EpochEvent event) {
        long epochs = switch (budget.kind()) {
            case NONE -> 0;
            case FIXED -> budget.epochs();
            case LAST_LOGGED -> lastLogged.getOrDefault(event.runId(), 0L);
        };
        return epochs <= 0 || event.maxEpochs() > 0
                ? event
                : event.withTag(EpochEvent.MAX_EPOCHS_TAG, Long.toString(epochs));
    }
}
