"""The Python subscription and the Sweep helper against a real serve (run by PythonAgainstServeTest).

The runs are real PyTorch training: the Optuna example's two-scale linear regression, whose test loss rises and
then falls a second time, far below its first minimum, at learning rates 0.1 and 0.3.
"""
import threading
import time
import uuid

import pytest
import torch

from serve_env import serve  # noqa: F401 (the fixture; it also puts the client and the examples on sys.path)
import descentwatch
import optuna_second_descent as task

EPOCHS = 4000


def train(sweep, name, lr, pace=0.0):
    """One run; ``pace`` seconds per evaluation, as a slower trainer would take (the detector commits every
    0.1 s, and serve's run summaries carry the advice in force at each commit)."""
    data = task.task(7)
    with sweep.run(name, param_count=task.FAST + task.SLOW, train_size=task.N, linger=0.05) as run:
        for epoch, train_loss, test_loss in task.curve(*data, lr, EPOCHS):
            run.log(epoch, train_loss=train_loss, test_loss=test_loss)
            time.sleep(pace)


def test_alerts_of_one_sweep_and_type_arrive_once_each(serve):
    torch.set_num_threads(1)
    sweep = descentwatch.Sweep(f"py-alerts-{uuid.uuid4().hex[:8]}", size=2, bootstrap=serve["bootstrap"])
    train(sweep, "lr0.1", 0.1)
    train(sweep, "lr0.3", 0.3)
    # another sweep's alerts must not come through the filter
    other = descentwatch.Sweep(f"py-other-{uuid.uuid4().hex[:8]}", size=1, bootstrap=serve["bootstrap"])
    train(other, "lr0.1", 0.1)

    seen = []
    for alert in descentwatch.alerts(sweep_id=sweep.sweep_id, types=["SECOND_DESCENT"], url=serve["url"],
                                     timeout=60):
        seen.append(alert)
        if len(seen) == 2:
            break
    assert sorted(a["run_id"] for a in seen) == sorted(sweep.run_ids)
    assert {a["type"] for a in seen} == {"SECOND_DESCENT"}
    assert {a["sweep_id"] for a in seen} == {sweep.sweep_id}
    assert all(a["schema"] == "descentwatch.alert/v1" for a in seen)
    # the sweep's own helper lists the same, and a subscriber that starts now skips what is already there
    again = list(sweep.alerts(types="SECOND_DESCENT", url=serve["url"], timeout=3))
    assert sorted(a["alert_id"] for a in again) == sorted(a["alert_id"] for a in seen)
    assert list(descentwatch.alerts(sweep_id=sweep.sweep_id, types=["SECOND_DESCENT"], url=serve["url"],
                                    timeout=3, from_beginning=False)) == []


def test_callbacks_deliver_alerts_and_advice_while_training_goes_on(serve):
    torch.set_num_threads(1)
    sweep = descentwatch.Sweep(f"py-callbacks-{uuid.uuid4().hex[:8]}", size=1, bootstrap=serve["bootstrap"])
    alerts, advice = [], []
    callback_threads = set()
    got_second_descent = threading.Event()

    def on_alert(alert):
        callback_threads.add(threading.current_thread().name)
        alerts.append(alert)
        if alert["type"] == "SECOND_DESCENT":
            got_second_descent.set()

    def on_advice(a):
        advice.append(a)

    with descentwatch.subscribe(on_alert=on_alert, on_advice=on_advice, sweep_id=sweep.sweep_id,
                                url=serve["url"]) as subscription:
        started = time.monotonic()
        train(sweep, "lr0.1", 0.1, pace=0.03)
        training_seconds = time.monotonic() - started
        assert got_second_descent.wait(60), f"alerts so far: {[a['type'] for a in alerts]}"
        deadline = time.monotonic() + 30
        while not any(a["basis"] == "second_descent_running" for a in advice) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert subscription.error is None
    # the callbacks ran on the subscription's thread, not the training loop's
    assert callback_threads == {"descentwatch-subscription"}
    assert training_seconds < 30
    types = [a["type"] for a in alerts]
    assert "TEST_LOSS_RISING" in types and types.index("TEST_LOSS_RISING") < types.index("SECOND_DESCENT")
    # each change of verdict or basis once, in order: the bump was called a possible second descent, then a
    # running one
    bases = [a["basis"] for a in advice]
    assert all(a["schema"] == "descentwatch.advice/v1" and a["run_id"] == sweep.run_ids[0] for a in advice)
    assert all(x != y for x, y in zip(bases, bases[1:]))
    assert "second_descent_possible" in bases and "second_descent_running" in bases
    assert bases.index("second_descent_possible") < bases.index("second_descent_running")


def test_a_bad_filter_is_refused_in_serves_words(serve):
    with pytest.raises(ValueError, match="SECOND_DESCENT"):
        next(descentwatch.alerts(types=["NO_SUCH_TYPE"], url=serve["url"], timeout=5))
