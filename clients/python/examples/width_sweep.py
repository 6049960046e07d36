#!/usr/bin/env python3
"""A model-wise double-descent sweep in PyTorch, published live to DescentWatch.

Random ReLU features (a frozen random first layer) with a trained linear readout, on n = 100 noisy examples of a
linear target in d = 20 dimensions, over widths N = 0.1n ... 10n. Each width is trained by full-batch gradient
descent from zero (which converges to the minimum-norm fit) for 5,000 epochs. Test loss falls, peaks near N = n,
where the model can just fit the training set, and falls again: the largest model beats every small one.
Three seeds per width, 39 runs, about a minute on one core.

    ./descentwatch serve                                  # in one terminal
    python3 clients/python/examples/width_sweep.py        # in another; open http://localhost:8080/
"""

import argparse
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # the client, uninstalled
import descentwatch  # noqa: E402

WIDTH_RATIOS = (0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0, 1.1, 1.3, 1.5, 2.0, 5.0, 10.0)


def log_spaced(epochs, per_decade=12):
    """Evaluation epochs: 0, 1, 2, ... then evenly on a log scale up to the last epoch."""
    points = {0, epochs}
    for i in range(int(per_decade * math.log10(epochs)) + 1):
        points.add(int(round(10 ** (i / per_decade))))
    return sorted(p for p in points if p <= epochs)


def data(n, n_test, d, noise, generator):
    beta = torch.randn(d, generator=generator, dtype=torch.float64)
    beta /= beta.norm()
    x = torch.randn(n, d, generator=generator, dtype=torch.float64)
    y = x @ beta + noise * torch.randn(n, generator=generator, dtype=torch.float64)
    x_test = torch.randn(n_test, d, generator=generator, dtype=torch.float64)
    return x, y.unsqueeze(1), x_test, (x_test @ beta).unsqueeze(1)


def model(d, width, generator):
    features = torch.nn.Linear(d, width, bias=False).double()
    with torch.no_grad():
        features.weight.copy_(torch.randn(width, d, generator=generator, dtype=torch.float64) / math.sqrt(d))
    features.weight.requires_grad_(False)          # frozen: random features, not counted as parameters
    readout = torch.nn.Linear(width, 1, bias=False).double()
    torch.nn.init.zeros_(readout.weight)           # from zero, gradient descent tends to the min-norm fit
    return torch.nn.Sequential(features, torch.nn.ReLU(), readout)


def train(run, net, x, y, x_test, y_test, epochs):
    features, readout = net[:2], net[2]
    with torch.no_grad():
        # the first layer is frozen: its features are computed once, and only the readout trains on them
        f, f_test = features(x), features(x_test)
        # the largest stable step for the mean squared error: 0.9 / largest eigenvalue of F'F/n
        lr = 0.9 / torch.linalg.eigvalsh(f.T @ f / len(x)).max().item()
    optimizer = torch.optim.SGD(readout.parameters(), lr=lr)
    mse = torch.nn.MSELoss()
    evaluate = set(log_spaced(epochs))
    for epoch in range(epochs + 1):
        if epoch in evaluate:
            with torch.no_grad():
                train_loss = mse(readout(f), y).item()
                test_loss = mse(readout(f_test), y_test).item()
            run.log(epoch, train_loss=train_loss, test_loss=test_loss)
        if epoch == epochs:
            break
        optimizer.zero_grad()
        mse(readout(f), y).backward()
        optimizer.step()
    return test_loss


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bootstrap", default=os.environ.get("DW_BOOTSTRAP", "localhost:9092"),
                   help="Kafka to publish to (default: %(default)s, where `./descentwatch serve` listens)")
    p.add_argument("--out", help="write JSON lines to this file instead of Kafka")
    p.add_argument("--sweep-id", default="rf-torch-" + time.strftime("%Y%m%d-%H%M%S"))
    p.add_argument("--n", type=int, default=100, help="training examples (default %(default)s)")
    p.add_argument("--epochs", type=int, default=5000, help="gradient steps per width (default %(default)s)")
    p.add_argument("--seeds", type=int, default=3,
                   help="seeds of the random features per width (default %(default)s: the peak region is rough, "
                        "and three seeds let the detector tell that roughness from noise)")
    p.add_argument("--data-seed", type=int, default=0, help="seed of the data set (default %(default)s)")
    p.add_argument("--noise", type=float, default=0.5, help="label noise standard deviation")
    args = p.parse_args()
    torch.set_num_threads(1)
    widths = sorted({max(1, round(r * args.n)) for r in WIDTH_RATIOS})
    runs = len(widths) * args.seeds
    print(f"sweep {args.sweep_id}: {runs} runs, widths {widths}, n = {args.n}, {args.epochs} epochs each, "
          f"to {args.out or args.bootstrap}", flush=True)
    started = time.time()
    # one data set for the whole sweep, as in a real experiment; seeds draw the random features
    x, y, x_test, y_test = data(args.n, 1000, 20, args.noise, torch.Generator().manual_seed(args.data_seed))
    for seed in range(1, args.seeds + 1):
        for width in widths:
            net = model(20, width, torch.Generator().manual_seed(1000 * seed + width))
            with descentwatch.Run(sweep_id=args.sweep_id, run_id=f"{args.sweep_id}/N{width:04d}/s{seed}",
                                  param_count=descentwatch.param_count(net), train_size=args.n,
                                  model={"family": "random-features", "width": width},
                                  tags={"seed": seed, "epochs": args.epochs}, sweep_runs=runs, epochs=args.epochs,
                                  bootstrap=args.bootstrap, out=args.out) as run:
                test_loss = train(run, net, x, y, x_test, y_test, args.epochs)
            print(f"  N = {width:5d} (N/n = {width / args.n:5.2f}) seed {seed}: test loss {test_loss:.3f}",
                  flush=True)
    print(f"done in {time.time() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
