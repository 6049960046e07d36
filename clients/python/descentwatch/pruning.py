"""An Optuna pruner that waits out the bump: any pruner's cuts, except where a second descent can still win.

Optuna's pruners (median, percentile, successive halving, Hyperband) compare a trial's intermediate values with
other trials' at the same step, so a trial whose test loss rises before it falls a second time looks worst exactly
when it is about to win. :class:`DescentWatchPruner` asks the wrapped pruner first; when it would cut, it asks
DescentWatch's stopping advice for the trial (published by the detector from the losses the trial reported) and
keeps the trial while the advice says a second descent is still possible or under way.

    pruner = DescentWatchPruner(optuna.pruners.MedianPruner(), sweep=descentwatch.Sweep("lr-study", size=40))
    study = optuna.create_study(pruner=pruner)

    def objective(trial):
        with pruner.watch(trial, param_count=..., train_size=..., epochs=epochs) as watched:
            for epoch in range(1, epochs + 1):
                ...  # train
                watched.report(epoch, train_loss=train_loss, test_loss=test_loss)   # to Optuna and DescentWatch
                if trial.should_prune():
                    raise optuna.TrialPruned()
        return test_loss

Needs a running ``./descentwatch serve`` (or any Kafka with the detector) and Optuna (Debian's python3-optuna).
"""

import threading
import time

import optuna

# the advice's bases that say a second descent can still come, or is coming, or that the trial's own schedule still
# changes what is fitted (descentwatch.advice/v1)
KEEP = frozenset({"second_descent_possible", "second_descent_running", "scheduled_change"})
# bases that say nothing yet about a bump: the detector may not have seen the rise the wrapped pruner reacts to
UNDECIDED = frozenset({None, "warming_up", "first_descent"})


class DescentWatchPruner(optuna.pruners.BasePruner):
    """Wraps ``wrapped`` (any Optuna pruner). Each trial is a run of ``sweep`` (a :class:`descentwatch.Sweep`, one
    run per trial, named ``t0000``, ``t0001``... by trial number).

    When the wrapped pruner would cut a trial, the trial's advice decides: kept while its verdict is CONTINUE on the
    basis ``second_descent_possible``, ``second_descent_running`` or ``scheduled_change``, cut on any other. The advice comes from the
    detector a moment after the losses were reported, and it needs a few evaluations to confirm a rise. So a trial
    whose test loss has risen above its minimum (now or before) while the advice still describes the first descent is
    kept for up to ``grace`` more reports (default 10: the detector confirms a rise in 3 evaluations and a STOP holds 3 more);
    after that the pruner waits up to ``advice_wait`` seconds (default 10: far more than the losses take through
    serve's detector on 2 cores) for the advice to catch up, then cuts as the wrapped pruner said. A trial that has
    never risen is cut at once: it is behind, not in a bump.

    ``kept`` lists (trial number, step, reason) for every cut the advice turned down.
    """

    def __init__(self, wrapped, sweep, grace=10, advice_wait=10.0):
        if not isinstance(wrapped, optuna.pruners.BasePruner):
            raise TypeError(f"wrapped must be an Optuna pruner, got {type(wrapped).__name__}")
        if grace < 0:
            raise ValueError(f"grace must be >= 0 reports, got {grace}")
        if advice_wait < 0:
            raise ValueError(f"advice_wait must be >= 0 seconds, got {advice_wait}")
        self.wrapped = wrapped
        self.sweep = sweep
        self.grace = int(grace)
        self.advice_wait = float(advice_wait)
        self.kept = []
        self._trials = {}
        self._lock = threading.Lock()

    def watch(self, trial, param_count, train_size, **run_settings):
        """The trial as a DescentWatch run: ``report(epoch, train_loss, test_loss)`` reports the test loss to
        Optuna and both losses to DescentWatch. A context manager; a pruned trial's run is closed as finished."""
        run = self.sweep.run(f"t{trial.number:04d}", param_count=param_count, train_size=train_size,
                             **run_settings)
        run.advice   # starts following the advice now: it is ready by the trial's first bump
        watched = _WatchedTrial(self, trial, run)
        with self._lock:
            self._trials[trial.number] = watched
        return watched

    def prune(self, study, trial):
        if not self.wrapped.prune(study, trial):
            return False
        with self._lock:
            watched = self._trials.get(trial.number)
        if watched is None:
            return True   # a trial not reported through watch(): nothing to ask
        advice = watched.run.advice
        if _basis(advice) in UNDECIDED and _has_bumped(trial):
            watched.deferred += 1
            if watched.deferred <= self.grace:
                return False   # in a bump the detector has not confirmed yet: give it the evaluations it needs
            deadline = time.monotonic() + self.advice_wait
            while _basis(advice) in UNDECIDED and time.monotonic() < deadline:
                time.sleep(0.05)
                advice = watched.run.advice
        if advice is not None and advice.get("advice") == "CONTINUE" and _basis(advice) in KEEP:
            self.kept.append((trial.number, trial.last_step, advice.get("reason")))
            return False
        return True

    def _finished(self, trial_number):
        with self._lock:
            self._trials.pop(trial_number, None)


def _basis(advice):
    return None if advice is None else advice.get("basis")


def _has_bumped(trial):
    """Whether the trial's test loss has ever risen above its lowest value before: it is in a bump or past one
    (its second descent may already be under way), not merely behind the others."""
    lowest = float("inf")
    for step in sorted(trial.intermediate_values):
        value = trial.intermediate_values[step]
        if value > lowest:
            return True
        lowest = min(lowest, value)
    return False


class _WatchedTrial:
    def __init__(self, pruner, trial, run):
        self._pruner = pruner
        self._trial = trial
        self.run = run
        self.deferred = 0   # cuts the wrapped pruner asked for while the advice had not seen the bump

    def report(self, epoch, train_loss, test_loss, train_error=None, test_error=None):
        """One evaluation: the test loss to Optuna (its intermediate value at step ``epoch``), both losses to
        DescentWatch."""
        self.run.log(epoch, train_loss=float(train_loss), test_loss=float(test_loss), train_error=train_error,
                     test_error=test_error)
        self._trial.report(float(test_loss), epoch)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self._pruner._finished(self._trial.number)
        # a pruned trial ended as its pruner decided: its run is over, not broken off
        if exc_type is None or issubclass(exc_type, optuna.TrialPruned):
            self.run.close(final=True)
        else:
            self.run.__exit__(exc_type, exc, tb)
        return False
