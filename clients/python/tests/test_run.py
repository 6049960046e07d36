import json
import math
import socket
import subprocess
import sys
import time
import warnings

import pytest

import descentwatch
from descentwatch import ContractError, DeliveryError, Run
from conftest import read_lines


def sweep_run(path, **kwargs):
    args = dict(sweep_id="s", run_id="s/w10/s1", param_count=10, train_size=100, out=str(path))
    args.update(kwargs)
    return Run(**args)


def test_events_follow_the_json_schema_and_the_last_is_final(tmp_path, epoch_schema):
    path = tmp_path / "run.jsonl"
    with sweep_run(path, output_dim=3, model={"family": "mlp", "width": 64}, tags={"lr": 0.1, "note": "x"},
                   sweep_runs=13) as run:
        run.log(0, train_loss=2.5, test_loss=2.6)
        run.log(1, train_loss=1.0, test_loss=1.5, train_error=0.5, test_error=0.25)
        run.log(2, train_loss=float("nan"), test_loss=float("inf"))
    events = read_lines(path)
    assert [e["epoch"] for e in events] == [0, 1, 2]
    for e in events:
        epoch_schema.validate(e)
        descentwatch.validate_event(e)
    assert [e.get("final", False) for e in events] == [False, False, True]
    assert events[1]["train_error"] == 0.5 and events[1]["test_error"] == 0.25
    assert events[2]["train_loss"] == "NaN" and events[2]["test_loss"] == "Infinity"
    assert events[0]["tags"] == {"lr": 0.1, "note": "x", "sweep_runs": "13"}
    assert events[0]["model"] == {"family": "mlp", "width": 64}
    assert events[0]["output_dim"] == 3
    assert all(e["run_id"] == "s/w10/s1" and e["sweep_id"] == "s" for e in events)


def test_time_is_stamped_now_in_utc(tmp_path):
    path = tmp_path / "run.jsonl"
    before = time.time()
    with sweep_run(path) as run:
        run.log(0, 1.0, 1.0)
    after = time.time()
    stamp = read_lines(path)[0]["time"]
    assert stamp.endswith("Z")
    t = time.mktime(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone + int(stamp[20:23]) / 1000
    assert before - 0.002 <= t <= after + 0.002


def test_a_run_ended_by_an_exception_is_not_final(tmp_path):
    path = tmp_path / "run.jsonl"
    with pytest.raises(KeyboardInterrupt):
        with sweep_run(path) as run:
            run.log(0, 1.0, 1.0)
            run.log(1, 0.5, 0.9)
            raise KeyboardInterrupt
    events = read_lines(path)
    assert [e["epoch"] for e in events] == [0, 1]
    assert not any(e.get("final") for e in events)


def test_a_known_epoch_count_marks_the_last_event_at_once(tmp_path):
    path = tmp_path / "run.jsonl"
    run = sweep_run(path, epochs=2, linger=0)
    run.log(0, 1.0, 1.0)
    run.log(2, 0.5, 0.9)
    assert run.events_sent == 2        # nothing held back: the last epoch is known
    run.close()
    assert [e.get("final", False) for e in read_lines(path)] == [False, True]
    # the planned last epoch goes out as the max_epochs tag, which the stopping advice plans with
    assert {e["tags"]["max_epochs"] for e in read_lines(path)} == {"2"}


def test_a_schedule_end_goes_out_as_its_tag_and_a_bad_one_names_the_field(tmp_path):
    path = tmp_path / "run.jsonl"
    with sweep_run(path, epochs=3000, schedule_end=2000, linger=0) as run:
        run.log(0, 1.0, 1.0)
        run.log(1, 0.5, 0.9)
    # the last epoch the trainer's own schedule changes what is fitted: the advice reads no STOP before it shows
    assert {e["tags"]["schedule_end"] for e in read_lines(path)} == {"2000"}
    with pytest.raises(ContractError, match="epoch"):
        sweep_run(tmp_path / "bad.jsonl", schedule_end=-5)


def test_an_event_of_a_slow_loop_goes_out_without_waiting_for_the_next(tmp_path):
    path = tmp_path / "run.jsonl"
    run = sweep_run(path, linger=0.1)
    run.log(0, 1.0, 1.0)
    deadline = time.time() + 5
    while time.time() < deadline and not path.read_text():
        time.sleep(0.02)
    assert [e["epoch"] for e in read_lines(path)] == [0]
    run.close()


@pytest.mark.parametrize("field, kwargs", [
    ("run_id", dict(run_id="")),
    ("run_id", dict(run_id="a\nb")),
    ("run_id", dict(run_id="x" * 257)),
    ("run_id", dict(run_id="ends with \\")),
    ("sweep_id", dict(sweep_id=3)),
    ("param_count", dict(param_count=0)),
    ("param_count", dict(param_count=2.5)),
    ("param_count", dict(param_count=True)),
    ("train_size", dict(train_size=-1)),
    ("output_dim", dict(output_dim=0)),
    ("tags.x", dict(tags={"x": [1, 2]})),
    ("tags.y", dict(tags={"y": float("nan")})),
    ("model.name", dict(model={"name": "n" * 1025})),
    ("tags", dict(tags={str(i): i for i in range(65)})),
])
def test_bad_run_settings_are_refused_naming_the_field(tmp_path, field, kwargs):
    path = tmp_path / "run.jsonl"
    with pytest.raises(ContractError) as e:
        sweep_run(path, **kwargs)
    assert e.value.field == field
    assert not path.exists() or path.read_text() == ""


@pytest.mark.parametrize("field, args", [
    ("epoch", dict(epoch=-1, train_loss=1.0, test_loss=1.0)),
    ("epoch", dict(epoch=1.5, train_loss=1.0, test_loss=1.0)),
    ("epoch", dict(epoch=10 ** 10, train_loss=1.0, test_loss=1.0)),
    ("train_loss", dict(epoch=1, train_loss="low", test_loss=1.0)),
    ("test_loss", dict(epoch=1, train_loss=1.0, test_loss=None)),
    ("train_error", dict(epoch=1, train_loss=1.0, test_loss=1.0, train_error=1.5)),
    ("test_error", dict(epoch=1, train_loss=1.0, test_loss=1.0, test_error=-0.1)),
])
def test_bad_events_are_refused_before_sending_and_nothing_is_lost(tmp_path, field, args):
    path = tmp_path / "run.jsonl"
    with sweep_run(path) as run:
        run.log(0, 1.0, 1.0)
        with pytest.raises(ContractError) as e:
            run.log(**args)
        assert e.value.field == field
        run.log(2, 0.5, 0.5)
    assert [e["epoch"] for e in read_lines(path)] == [0, 2]


def test_epochs_must_increase(tmp_path):
    with sweep_run(tmp_path / "run.jsonl") as run:
        run.log(3, 1.0, 1.0)
        with pytest.raises(ContractError, match="increase"):
            run.log(3, 1.0, 1.0)


def test_numbers_from_numpy_and_torch_are_accepted(tmp_path, epoch_schema):
    torch = pytest.importorskip("torch")
    path = tmp_path / "run.jsonl"
    with sweep_run(path, param_count=torch.tensor(10).item(), tags={"lr": torch.tensor(0.5).item()}) as run:
        run.log(torch.tensor(1), train_loss=torch.tensor(0.25), test_loss=torch.tensor(0.5, dtype=torch.float64))
    e = read_lines(path)[0]
    epoch_schema.validate(e)
    assert e["epoch"] == 1 and e["train_loss"] == 0.25 and e["test_loss"] == 0.5


def test_param_count_counts_trainable_parameters_only():
    torch = pytest.importorskip("torch")
    net = torch.nn.Sequential(torch.nn.Linear(20, 64, bias=False), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    assert descentwatch.param_count(net) == 20 * 64 + 64 + 1
    net[0].weight.requires_grad_(False)      # frozen random features do not count
    assert descentwatch.param_count(net) == 65


def test_the_file_mode_needs_no_kafka_client(tmp_path):
    # a fresh interpreter: the package and a whole run in file mode must not import confluent_kafka
    code = ("import sys, descentwatch\n"
            f"with descentwatch.Run(sweep_id='s', run_id='r', param_count=1, train_size=1, out={str(tmp_path / 'r.jsonl')!r}) as r:\n"
            "    r.log(0, 1.0, 1.0)\n"
            "assert 'confluent_kafka' not in sys.modules, 'imported'\n"
            "assert 'torch' not in sys.modules, 'imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(tmp_path),
                   env={"PYTHONPATH": str(__import__("pathlib").Path(descentwatch.__file__).parents[1])})


def test_no_kafka_at_the_address_is_a_clear_error_at_once():
    pytest.importorskip("confluent_kafka")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]          # free, and nothing listens there
    started = time.time()
    with pytest.raises(DeliveryError, match=f"127.0.0.1:{port}.*descentwatch serve"):
        Run(sweep_id="s", run_id="r", param_count=1, train_size=1, bootstrap=f"127.0.0.1:{port}",
            connect_timeout=1)
    assert time.time() - started < 10


def test_validate_event_agrees_with_the_json_schema(epoch_schema):
    good = {"schema": "descentwatch.epoch/v1", "run_id": "r", "sweep_id": "s", "epoch": 0, "train_loss": 1.0,
            "test_loss": "NaN", "param_count": 1, "train_size": 1, "time": "2026-11-28T12:00:00.123Z"}
    variants = [
        {}, {"epoch": -1}, {"epoch": 1.5}, {"train_loss": "nan"}, {"test_loss": "-Infinity"}, {"param_count": 0},
        {"train_size": 10 ** 16}, {"output_dim": 0}, {"output_dim": 7},
        {"time": "2026-11-28T12:00:00+01:00"}, {"run_id": ""}, {"run_id": "a\\ b"}, {"tags": {"k": [1]}},
        {"tags": {"k": "v"}}, {"train_error": 1.01}, {"test_error": 0}, {"final": "yes"}, {"final": True},
        {"schema": "descentwatch.epoch/v2"}, {"model": {"width": 3, "family": None}},
    ]
    for change in variants:
        event = dict(good, **change)
        schema_ok = epoch_schema.is_valid(event)
        try:
            descentwatch.validate_event(event)
            ours = True
        except ContractError:
            ours = False
        assert ours == schema_ok, (change, schema_ok)
    # the schema's date-time format is checked only where jsonschema has an RFC 3339 parser; the detector always
    # checks it, and so does the client
    for bad_time in ("yesterday", "2026-13-01T00:00:00Z", "2026-11-28T12:00:00"):
        with pytest.raises(ContractError, match="time"):
            descentwatch.validate_event(dict(good, time=bad_time))
    for missing in ("run_id", "time", "test_loss"):
        event = dict(good)
        del event[missing]
        assert not epoch_schema.is_valid(event)
        with pytest.raises(ContractError, match=missing):
            descentwatch.validate_event(event)


def test_should_stop_follows_this_runs_latest_advice_only():
    from descentwatch.run import _AdviceFollower
    follower = _AdviceFollower.__new__(_AdviceFollower)   # the record handling alone, without a broker
    follower._run_id = b"sw/r1"
    follower._latest = None

    def advice(run_id, verdict, epoch):
        return json.dumps({"schema": "descentwatch.advice/v1", "run_id": run_id, "sweep_id": "sw", "epoch": epoch,
                           "advice": verdict, "basis": "no_second_descent", "reason": "r", "best_epoch": 3,
                           "best_test_loss": 1.0, "time": "2026-12-01T00:00:00Z"}).encode()

    follower.accept(b"sw/r1", advice("sw/r1", "CONTINUE", 10))
    follower.accept(b"sw/r2", advice("sw/r2", "STOP", 20))          # another run's advice
    follower.accept(b"sw/r1", b"not json")
    follower.accept(b"sw/r1", None)                                   # a tombstone
    assert follower.latest()["advice"] == "CONTINUE"
    follower.accept(b"sw/r1", advice("sw/r1", "STOP", 40))
    assert follower.latest()["epoch"] == 40 and follower.latest()["advice"] == "STOP"


def test_should_stop_is_false_without_a_detector(tmp_path):
    with descentwatch.Run(sweep_id="sw", run_id="sw/r1", param_count=10, train_size=10, epochs=10,
                          out=str(tmp_path / "r.jsonl")) as run:
        run.log(1, train_loss=1.0, test_loss=1.0)
        assert run.should_stop() is False
        assert run.advice is None


def test_should_stop_warns_once_when_the_run_does_not_tell_its_budget(tmp_path):
    with descentwatch.Run(sweep_id="sw", run_id="sw/r1", param_count=10, train_size=10,
                          out=str(tmp_path / "r.jsonl")) as run:
        run.log(1, train_loss=1.0, test_loss=1.0)
        with pytest.warns(UserWarning, match="epochs="):
            run.should_stop()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            run.should_stop()   # once per run
    for told in ({"epochs": 100}, {"tags": {"max_epochs": "100"}}):
        with descentwatch.Run(sweep_id="sw", run_id="sw/r2", param_count=10, train_size=10,
                              out=str(tmp_path / "r2.jsonl"), **told) as run:
            run.log(1, train_loss=1.0, test_loss=1.0)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                assert run.should_stop() is False
