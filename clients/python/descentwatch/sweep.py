"""A sweep named once, of a known size, handing out its runs."""

from . import contract
from .run import Run


class Sweep:
    """A sweep of ``size`` runs (model sizes times seeds): names the sweep once and hands out its :class:`Run`\\ s,
    each tagged with the sweep's size, so the detector settles its sweep decisions as soon as every run is in.

        sweep = descentwatch.Sweep("widths-0412", size=len(widths) * len(seeds))
        for width in widths:
            for seed in seeds:
                with sweep.run(f"w{width}/s{seed}", param_count=..., train_size=...) as run:
                    ...

    Keyword arguments other than ``sweep_id`` and ``size`` (``bootstrap``, ``out``, ``kafka_config``, ``epochs``
    ...) are the default of every run, and each ``run()`` may override them. A run's id is the sweep's id, '/',
    and the name given (a name that already starts with the sweep's id is kept as it is). Handing out more runs than
    ``size``, or one name twice, is a ValueError: a sweep that announced fewer runs than it has would settle its
    decisions before its last runs are in.
    """

    def __init__(self, sweep_id, size, **run_defaults):
        contract.check_id("sweep_id", sweep_id)
        self.sweep_id = sweep_id
        self.size = contract.check_count("size", size)
        for reserved in ("sweep_id", "run_id", "sweep_runs"):
            if reserved in run_defaults:
                raise ValueError(f"{reserved} is the sweep's to set, not a run default")
        self._defaults = run_defaults
        self.run_ids = []

    def __len__(self):
        return self.size

    def run_id(self, name):
        """The id of this sweep's run called ``name``."""
        name = str(name)
        return name if name.startswith(self.sweep_id + "/") else f"{self.sweep_id}/{name}"

    def run(self, name, param_count, train_size, **overrides):
        """The next run of the sweep: a :class:`Run` (a context manager), with ``sweep_runs`` = the sweep's size."""
        run_id = self.run_id(name)
        if run_id in self.run_ids:
            raise ValueError(f"run {run_id} was already handed out by sweep {self.sweep_id}")
        if len(self.run_ids) >= self.size:
            raise ValueError(f"sweep {self.sweep_id} has {self.size} runs, all handed out already; make the sweep "
                             "with its real size")
        settings = dict(self._defaults)
        settings.update(overrides)
        run = Run(sweep_id=self.sweep_id, run_id=run_id, param_count=param_count, train_size=train_size,
                  sweep_runs=self.size, **settings)
        self.run_ids.append(run_id)
        return run

    def alerts(self, types=None, scope=None, url=None, timeout=None, from_beginning=True):
        """This sweep's alerts from a running serve (see :func:`descentwatch.alerts`)."""
        from .subscribe import DEFAULT_URL, alerts
        return alerts(sweep_id=self.sweep_id, types=types, scope=scope, url=url or DEFAULT_URL, timeout=timeout,
                      from_beginning=from_beginning)
