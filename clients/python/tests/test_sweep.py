import pytest

import descentwatch
from conftest import read_lines


def test_a_sweep_names_its_runs_and_tags_them_with_its_size(tmp_path, epoch_schema):
    path = tmp_path / "sweep.jsonl"
    sweep = descentwatch.Sweep("widths", size=2, out=str(path))
    with sweep.run("w8/s1", param_count=8, train_size=100) as run:
        run.log(0, 1.0, 1.0)
    with sweep.run("widths/w16/s1", param_count=16, train_size=100, tags={"lr": 0.1}) as run:
        run.log(0, 1.0, 1.0)
    events = read_lines(path)
    for e in events:
        epoch_schema.validate(e)
    assert [e["run_id"] for e in events] == ["widths/w8/s1", "widths/w16/s1"]
    assert {e["sweep_id"] for e in events} == {"widths"}
    assert [e["tags"] for e in events] == [{"sweep_runs": "2"}, {"lr": 0.1, "sweep_runs": "2"}]
    assert sweep.run_ids == ["widths/w8/s1", "widths/w16/s1"] and len(sweep) == 2


def test_a_sweep_hands_out_no_more_runs_than_its_size_and_no_run_twice(tmp_path):
    sweep = descentwatch.Sweep("s", size=2, out=str(tmp_path / "s.jsonl"))
    sweep.run("a", param_count=1, train_size=1).close()
    with pytest.raises(ValueError, match="already handed out"):
        sweep.run("a", param_count=1, train_size=1)
    sweep.run("b", param_count=1, train_size=1).close()
    with pytest.raises(ValueError, match="has 2 runs"):
        sweep.run("c", param_count=1, train_size=1)


@pytest.mark.parametrize("kwargs, field", [(dict(sweep_id="", size=1), "sweep_id"),
                                           (dict(sweep_id="s", size=0), "size"),
                                           (dict(sweep_id="s", size=1, sweep_runs=3), "sweep_runs")])
def test_bad_sweep_settings_are_refused_naming_them(kwargs, field):
    with pytest.raises((descentwatch.ContractError, ValueError), match=field):
        descentwatch.Sweep(**kwargs)


def test_alerts_without_a_serve_is_a_clear_error_naming_the_address():
    with pytest.raises(ConnectionError, match="127.0.0.1:9"):
        next(descentwatch.alerts(url="http://127.0.0.1:9", timeout=2))


def test_subscribe_needs_a_callback():
    with pytest.raises(ValueError, match="on_alert"):
        descentwatch.subscribe(sweep_id="s")


def test_the_pruner_wraps_only_optuna_pruners():
    optuna = pytest.importorskip("optuna")
    from descentwatch.pruning import DescentWatchPruner
    sweep = descentwatch.Sweep("s", size=1, out="/dev/null")
    with pytest.raises(TypeError, match="Optuna pruner"):
        DescentWatchPruner(object(), sweep)
    with pytest.raises(ValueError, match="advice_wait"):
        DescentWatchPruner(optuna.pruners.MedianPruner(), sweep, advice_wait=-1)
