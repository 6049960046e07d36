#!/usr/bin/python3
"""Copies of the thirteenth and fourteenth rounds' scheduled-change families as their trainers would send them had
they told the advice their schedule: the tag schedule_end (the last epoch at which the run's own schedule changes
what is fitted) added to every event of each run whose settings name a schedule. These are the runs
--advice-schedule-settle was designed on; the files under independent/ stay as the blind trainers wrote them.

    /usr/bin/python3 announce_schedule.py OUT_DIR

- prune-magnitude: the cubic schedule's end t1, or the one-shot step t0; unpruned runs send nothing.
- reg-schedule: 'late' and 'early' switch at t0, the ramps end at t1; the curriculum 1 - exp(-gamma e) is within 5%
  of its end at 3 / gamma; constant and absent regularisers send nothing.
- stream-grow: the epoch the stream reaches n_max, T * ceil((n_max - n0) / k) (a window slides until then too).
"""
import gzip
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
INDEPENDENT = os.path.join(HERE, "..", "src", "main", "resources", "stopping", "independent")


def schedule_end(family, t):
    if family == "prune-magnitude":
        if t.get("prune", "none") == "none":
            return None
        return int(t["t0"]) if t["prune"] == "oneshot" else int(t["t1"])
    if family == "reg-schedule":
        kind = t.get("sched")
        if kind in (None, "none", "const"):
            return None
        if kind in ("late", "early"):
            return int(t["t0"])
        if kind.startswith("ramp"):
            return int(t["t1"])
        return int(math.ceil(3 / float(t["gamma"])))
    n0, k, period, n_max = int(t["n0"]), int(t["k"]), int(t["T"]), int(t["n_max"])
    return period * math.ceil((n_max - n0) / k)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for family in ("prune-magnitude", "reg-schedule", "stream-grow"):
        told = set()
        with gzip.open(os.path.join(INDEPENDENT, family + ".jsonl.gz"), "rt") as src, \
                gzip.open(os.path.join(out, family + ".jsonl.gz"), "wt") as dst:
            for line in src:
                event = json.loads(line)
                end = schedule_end(family, event["tags"])
                if end is not None:
                    # the line itself is kept byte for byte (its number formats included); only the tag goes in
                    line = line.replace('"tags":{', '"tags":{"schedule_end":"%d",' % end, 1)
                    told.add(event["run_id"])
                dst.write(line)
        print("%s: %d runs tell schedule_end" % (family, len(told)))


if __name__ == "__main__":
    main()
