#!/usr/bin/env python3
"""Measurements of the Python client, run by `./descentwatch bench client` (which starts serve and reads this
script's JSON lines); it can also be run against any Kafka.

    bench_client.py cost --bootstrap HOST:PORT     the cost of one log() against a bare confluent-kafka produce
    bench_client.py latency --bootstrap HOST:PORT  log() calls at a trainer's pace, each with its wall-clock time
"""

import argparse
import datetime
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import descentwatch  # noqa: E402

MODEL = {"family": "random-features", "width": 1000}
TAGS = {"seed": 1, "epochs": 5000, "lr": 0.0101}


def losses(i):
    return 1.0 / (1 + i), 1.5 / (1 + i) + 0.01 * (i % 7)


def client(args, rep):
    run = descentwatch.Run(sweep_id="bench-cost", run_id=f"bench-cost/client/r{rep}", param_count=1000,
                           train_size=100, model=MODEL, tags=TAGS, bootstrap=args.bootstrap, topic=args.topic)
    started = time.perf_counter_ns()
    for i in range(args.events):
        train_loss, test_loss = losses(i)
        run.log(i, train_loss=train_loss, test_loss=test_loss)
    elapsed = time.perf_counter_ns() - started
    run.close()
    return elapsed / args.events / 1000


def producer(args):
    from confluent_kafka import Producer
    return Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True, "acks": "all",
                     "linger.ms": 5})


def event(run_id, i):
    train_loss, test_loss = losses(i)
    return {"schema": "descentwatch.epoch/v1", "run_id": run_id, "sweep_id": "bench-cost", "param_count": 1000,
            "train_size": 100, "model": MODEL, "tags": TAGS, "epoch": i, "train_loss": train_loss,
            "test_loss": test_loss,
            "time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")}


def bare(args, rep):
    """The same JSON, encoded beforehand: only produce() and poll(0) are timed."""
    p = producer(args)
    run_id = f"bench-cost/bare/r{rep}"
    key = run_id.encode()
    values = [json.dumps(event(run_id, i), separators=(",", ":")).encode() for i in range(args.events)]
    started = time.perf_counter_ns()
    for v in values:
        p.produce(args.topic, v, key)
        p.poll(0)
    elapsed = time.perf_counter_ns() - started
    p.flush(30)
    return elapsed / args.events / 1000


def handmade(args, rep):
    """What the README's hand-written publish() does per call: the dict, the time, json.dumps, produce."""
    p = producer(args)
    run_id = f"bench-cost/handmade/r{rep}"
    started = time.perf_counter_ns()
    for i in range(args.events):
        p.produce(args.topic, json.dumps(event(run_id, i)), run_id)
        p.poll(0)
    elapsed = time.perf_counter_ns() - started
    p.flush(30)
    return elapsed / args.events / 1000


def cost(args):
    result = {"events": args.events, "client_us": [], "bare_us": [], "handmade_us": []}
    for rep in range(args.repetitions):
        # interleaved, so that a slow moment of a shared machine hits all three alike
        result["client_us"].append(client(args, rep))
        result["bare_us"].append(bare(args, rep))
        result["handmade_us"].append(handmade(args, rep))
    print(json.dumps(result), flush=True)


def latency(args):
    """log() at a trainer's pace; each call's wall-clock time in ms, for the page's time of showing it."""
    with descentwatch.Run(sweep_id=args.sweep_id, run_id=args.run_id, param_count=100, train_size=100,
                          bootstrap=args.bootstrap, topic=args.topic, linger=args.linger) as run:
        for i in range(args.events):
            time.sleep(args.interval)
            sent = time.time()
            run.log(i, train_loss=1.0 / (1 + i), test_loss=1.0 / (1 + i))
            print(json.dumps({"epoch": i, "sent_ms": sent * 1000}), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mode", choices=["cost", "latency"])
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--topic", default="training.epochs")
    p.add_argument("--events", type=int, default=20000)
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--interval", type=float, default=0.5, help="seconds between log() calls (latency)")
    p.add_argument("--linger", type=float, default=0.2, help="the client's linger (latency; default: the client's)")
    p.add_argument("--sweep-id", default="bench-latency")
    p.add_argument("--run-id", default="bench-latency/r1")
    args = p.parse_args()
    cost(args) if args.mode == "cost" else latency(args)


if __name__ == "__main__":
    main()
