#!/usr/bin/python3
"""Census of independent trainer files, computed here in Python (not with the project's Java).

    /usr/bin/python3 census.py FILE.jsonl[.gz] ... [--runs]

Per run, from its test losses in epoch order: the first minimum is the lowest test loss before the curve first
stands more than 10% above its running minimum; a run that never does has "no bump". Otherwise it is "winning" when
its best test loss from there on is more than 2% below the first minimum, and "nothing better" when it is not.
Prints per file: runs, winning, nothing better, no bump, events and the file's size; --runs lists every run too.
"""
import gzip
import json
import math
import os
import sys


def classify(losses):
    m, idx = math.inf, None
    for i, v in enumerate(losses):
        v = math.inf if v is None or v != v else v
        if v < m:
            m = v
        elif v > 1.1 * m:
            idx = i
            break
    if idx is None:
        return "no bump", m, None
    after = min(math.inf if v != v else v for v in losses[idx:])
    return ("winning" if after < 0.98 * m else "nothing better"), m, after


def loss(v):
    return float(v) if not isinstance(v, str) else float(v.replace("Infinity", "inf"))


def main():
    files = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = "--runs" in sys.argv
    print("| family | runs | winning | nothing better | no bump | events | file |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for path in files:
        runs, events, family = {}, 0, None
        with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
            for line in f:
                e = json.loads(line)
                events += 1
                family = e["tags"]["family"]
                runs.setdefault(e["run_id"], []).append((e["epoch"], loss(e["test_loss"])))
        count = {"winning": 0, "nothing better": 0, "no bump": 0}
        for rid, pts in runs.items():
            pts.sort()
            kind, first, after = classify([v for _, v in pts])
            count[kind] += 1
            if show:
                print("  %-70s %-14s first min %.4g  best after %s" % (rid, kind, first,
                                                                      "-" if after is None else "%.4g" % after))
        print("| %s | %d | %d | %d | %d | %s | %d kB |" % (family, len(runs), count["winning"], count["nothing better"],
                                                        count["no bump"], format(events, ","),
                                                        round(os.path.getsize(path) / 1000)))


if __name__ == "__main__":
    main()
