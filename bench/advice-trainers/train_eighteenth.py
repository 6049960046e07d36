#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighteenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no
stopping benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own
logic and committed before any of its runs was looked at, revised at most once (freezeout-layers', with fewer than 3
winning runs; README.md says how), and the runs were sorted by census.py alone), and made to differ from the fifty-nine
families of train.py ... train_seventeenth.py in training procedure, on the sixteenth round's theme: the problem being
fitted changes on a fixed schedule, and the trainer says when the schedule ends. Progressive freezing of a deep ReLU
network's hidden layers from the first one on (FreezeOut: each layer's weights stop at a scheduled epoch, cubic or
linear in the layer's depth, all at once, or only the lower ones; optionally each layer's step annealed to zero by its
freezing epoch), on scikit-learn's digits with flipped labels and on a tanh teacher's regression; iterative magnitude
pruning with weight rewinding (lottery-ticket rounds: train, prune a share of the remaining hidden weights by magnitude,
rewind the survivors to their values at an early epoch, train again; beside it pruning without rewinding and random
re-initialisation of the survivors), on a sparse tanh teacher, scikit-learn's breast cancer with flipped labels and its
diabetes data; and a training set whose label noise changes on a schedule (annotators reviewing batches of the
first-pass labels at scheduled epochs, correcting most of them or, a worse reviewer, corrupting them; the batch drawn at
random or the points of largest current loss first), on the digits, a synthetic tanh teacher's classes and breast
cancer.

Every run whose training changes on a schedule sends the string tag schedule_end: the last epoch at which the
schedule changes what is fitted (a layer frozen, a pruning round with its rewind, a review that changed labels),
counted as train_sixteenth.py counts it: a change made before the training of epoch e + 1 (after the event of epoch e,
at the start of epoch e counted from 0) is at epoch e. The controls (no layer frozen, the dense network, the first-pass
labels kept), one in each family under a step decay of the learning rate only, send none. Each run checks that the
changes it made end at the epoch it announced.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, epochs_of
and settings from train_more.py, label_noise from train_fourth.py, dict_runs from train_seventh.py, real_binary from
train_thirteenth.py, and with_end, check_end, lr_now, diabetes_split and flip_labels from train_sixteenth.py; one
thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_eighteenth.py --family freezeout-layers [--list] [--runs 0,3] [--out FILE]

Families (see README.md): freezeout-layers, lottery-rewind, annotator-relabel. Evaluation spacings: train.py's 'every',
'every:K', 'log:K' and train_more.py's 'jitter:K', 'rand:M'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import epochs_of, settings  # noqa: E402
from train_fourth import label_noise  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirteenth import real_binary  # noqa: E402
from train_sixteenth import check_end, diabetes_split, flip_labels, lr_now, with_end  # noqa: E402

torch.set_num_threads(1)


def digits_split(g, n):
    """scikit-learn's 8x8 digits (pixels in [0, 1]) in a random order: the first n for training, the rest (clean) for
    testing."""
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    xs, ys = torch.tensor(xs / 16.0), torch.tensor(ys)
    perm = torch.randperm(len(xs), generator=g)
    return xs[perm[:n]], ys[perm[:n]], xs[perm[n:]], ys[perm[n:]]


def tanh_teacher(g, d, kt, F, r=None):
    """A tanh teacher of kt units, x -> sqrt(F) (tanh(2 x . v_k) . c - mean) / std: unit vectors v_k over all d inputs
    (over r random inputs each where r is given: a sparse teacher), a standard normal readout c, standardised on 20,000
    Gaussian inputs."""
    V = torch.zeros(kt, d)
    for k in range(kt):
        idx = torch.randperm(d, generator=g)[:r] if r else torch.arange(d)
        V[k, idx] = torch.randn(len(idx), generator=g)
        V[k] /= V[k].norm()
    ct = torch.randn(kt, generator=g)
    ref = torch.tanh(2 * torch.randn(20_000, d, generator=g) @ V.T) @ ct
    mu, sd = ref.mean(), ref.std()
    return lambda z: math.sqrt(F) * (torch.tanh(2 * z @ V.T) @ ct - mu) / sd


def he_layers(g, dims):
    """Weight matrices He-scaled from g (the readout, the last, at 1/sqrt(fan-in)) and zero biases."""
    out = []
    for i, (a, b) in enumerate(zip(dims, dims[1:])):
        scale = math.sqrt(2.0 / a) if i < len(dims) - 2 else 1.0 / math.sqrt(a)
        out.append([torch.randn(a, b, generator=g) * scale, torch.zeros(b)])
    return out


def relu_net(layers, z):
    for W, b in layers[:-1]:
        z = torch.relu(z @ W + b)
    return z @ layers[-1][0] + layers[-1][1]


def log_run(run, e, f, ft, y, yt, loss_of, classify, final):
    if classify:
        run.log(e, loss_of(f, y), loss_of(ft, yt), (f.argmax(1) != y).double().mean(),
                (ft.argmax(1) != yt).double().mean(), final=final)
    else:
        run.log(e, loss_of(f, y), loss_of(ft, yt), final=final)


# ---------------------------------------------------------------------------------------------------- freezeout-layers


def freeze_plan(c):
    """The scheduled freezes as sorted (epoch, hidden layer) pairs, the layers counted from the input: the first m =
    c['upto'] (all L without it) hidden layers, layer i at t_i; 'linear' t_i = t0 + (t1 - t0) i / (m - 1); 'cubic'
    (FreezeOut's cubic spacing) the cube roots of t_i evenly spaced from t0 to t1; 'once' every one of them at t1;
    'none' no freeze."""
    kind = c["freeze"]
    if kind == "none":
        return []
    m = c.get("upto") or c["L"]
    plan = []
    for i in range(m):
        if kind == "once" or m == 1:
            t = c["t1"]
        elif kind == "linear":
            t = c["t0"] + (c["t1"] - c["t0"]) * i / (m - 1)
        else:
            lo, hi = c["t0"] ** (1 / 3), c["t1"] ** (1 / 3)
            t = (lo + (hi - lo) * i / (m - 1)) ** 3
        plan.append((int(round(t)), i))
    assert all(0 < e < c["epochs"] for e, _ in plan)
    return sorted(plan)


def freezeout_layers(w, run_id, c):
    """Progressive freezing of a deep ReLU network's hidden layers from the first one on (FreezeOut, Brock et al. 2017).
    Data: 'digits', digits_split (n training images, a share c['flip'] of their labels replaced by another class at
    random, the other images clean for testing), 10 logits and the cross-entropy, error rates in the events; 'synth', d
    Gaussian inputs, the target a tanh teacher of kt units over all inputs (tanh_teacher, power F) plus label noise of
    std c['noise'], n training points and 2,000 test points, noise included, the squared error. Model: L hidden ReLU
    layers of width h and a linear readout (he_layers: weights He-scaled, the readout at 1/sqrt(h), zero biases). At the
    start of each epoch of freeze_plan, the planned hidden layer's weights and bias are frozen (no gradient from then
    on, their optimizer state unused); the readout always trains. With c['anneal'] (FreezeOut's own schedule) each
    planned layer's step is c['lr'] times 0.5 (1 + cos(pi e / t_i)) until it freezes at t_i. Full-batch heavy ball
    (momentum c['mom']) or Adam, at step c['lr'] (times c['decay'] from epoch c['decay_at'] in a control), minibatches
    of c['batch'] under heavy ball where given; autograd, float64. Train loss: the loss on the (noisy) training targets;
    test loss: on the test points. schedule_end: the last freeze. Grid (runs_freezeout_layers; 17 settings, 1-2 seeds,
    22 runs): the digits base n 400, 25% flipped, L 3, h 64, cubic freezing from epoch 100 to 400 (layers frozen at 100,
    217 and 400), heavy ball at 0.05 (momentum 0.9), 800 epochs; one setting at a time linear spacing (100, 250, 400),
    FreezeOut's annealed steps, an early schedule (20 to 100), a late one (500 to 750), every layer at once at epoch
    300, only the first two layers frozen (100 and 400), L 5, h 128, 40% flipped, Adam (0.002), minibatches of 50 (step
    0.02, freezing from epoch 30 to 150 of 300); the synthetic teacher (d 20, kt 8, F 3, noise 1, n 300, heavy ball at
    0.001, freezing from epoch 200 to 1,000 of 1,500; 2 seeds), with h 8 (321 parameters for the 300 points), and with
    linear spacing and annealed steps; controls without freezing on the digits (2 seeds), on the digits under a step
    decay (x0.1 at epoch 400), on the synthetic teacher, and on it with h 8. Revised once (README): the first grid's
    synthetic rows had step 0.005, and their networks had interpolated the training points before the schedule began."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(60_000 + c["seed"])
    if c["data"] == "digits":
        x, y, xt, yt = digits_split(g, c["n"])
        y = flip_labels(g, y, 10, c["flip"])
        out = 10
    else:
        teacher = tanh_teacher(g, c["d"], c["kt"], c["F"])

        def draw(m):
            z = torch.randn(m, c["d"], generator=g)
            return z, teacher(z) + c["noise"] * label_noise(g, m, 0)

        x, y = draw(c["n"])
        xt, yt = draw(2000)
        out = 1
    classify = out > 1
    n, d = x.shape
    L, h = c["L"], c["h"]
    layers = he_layers(g, [d] + [h] * L + [out])
    if not classify:
        layers[-1] = [layers[-1][0].squeeze(1).clone(), layers[-1][1].squeeze(0).clone()]
    for layer in layers:
        for q in layer:
            q.requires_grad_()
    params = [q for layer in layers for q in layer]
    groups = [{"params": layer} for layer in layers]
    if c["opt"] == "adam":
        opt = torch.optim.Adam(groups, lr=c["lr"])
    else:
        opt = torch.optim.SGD(groups, lr=c["lr"], momentum=c.get("mom") or 0.0)
    plan = freeze_plan(c)
    t_of = {i: t for t, i in plan}
    end = plan[-1][0] if plan else None

    def loss_of(f, t):
        return torch.nn.functional.cross_entropy(f, t) if classify else ((f - t) ** 2).mean()

    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "mlp-freezeout", "depth": L, "width": h, "input_dim": d, "frozen_layers": len(plan)},
                with_end(settings(c, ("seed", "data", "n", "flip", "d", "kt", "F", "noise", "L", "h", "freeze", "t0",
                                      "t1", "upto", "anneal", "opt", "lr", "mom", "batch", "decay", "decay_at", "eval"))
                         | {"optimizer": c["opt"], "loss": "cross-entropy" if classify else "mse"}, end),
                output_dim=out)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    todo, done = list(plan), []
    e = 0
    for p in pts:
        while e < p:
            while todo and todo[0][0] == e:
                _, i = todo.pop(0)
                for q in layers[i]:
                    q.requires_grad_(False)
                    q.grad = None
                done.append(e)
            for i, grp in enumerate(opt.param_groups):
                f = lr_now(c, e)
                if c.get("anneal") and i in t_of and e < t_of[i]:
                    f *= 0.5 * (1 + math.cos(math.pi * e / t_of[i]))
                grp["lr"] = f
            idx = torch.randperm(n, generator=g) if bsz < n else None
            for j in range(0, n, bsz):
                xb, yb = (x, y) if idx is None else (x[idx[j:j + bsz]], y[idx[j:j + bsz]])
                opt.zero_grad(set_to_none=True)
                loss_of(relu_net(layers, xb), yb).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            log_run(run, e, relu_net(layers, x), relu_net(layers, xt), y, yt, loss_of, classify, e == pts[-1])
    check_end(run_id, end, done)
    assert all(not q.requires_grad for i in t_of for q in layers[i])
    torch.set_default_dtype(torch.float32)


def runs_freezeout_layers():
    base = dict(data="digits", n=400, flip=0.25, d=None, kt=None, F=None, noise=None, L=3, h=64, freeze="cubic",
                t0=100, t1=400, upto=None, anneal=None, opt="hb", lr=0.05, mom=0.9, batch=None, decay=None,
                decay_at=None, epochs=800, eval="log:30")
    # Revised once (README): the first grid's synthetic rows had step 0.005, and the networks of width 64 had fitted the
    # 300 points to a train loss under 0.01 by epoch 185, before the first freeze at epoch 200 could change anything
    synth = dict(data="synth", n=300, flip=None, d=20, kt=8, F=3.0, noise=1.0, lr=0.001, t0=200, t1=1000, epochs=1500)
    none = dict(freeze="none", t0=None, t1=None)
    return freezeout_layers, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(freeze="linear", eval="every:2"),
        dict(anneal=True, eval="jitter:30"),
        dict(t0=20, t1=100, eval="every:3"),
        dict(t0=500, t1=750, eval="every"),
        dict(freeze="once", t0=None, t1=300, eval="rand:300"),
        dict(upto=2, eval="every:4"),
        dict(L=5, eval="log:35"),
        dict(h=128, eval="jitter:35"),
        dict(flip=0.4, eval="log:40"),
        dict(opt="adam", lr=0.002, mom=None, eval="every:10"),
        dict(batch=50, lr=0.02, t0=30, t1=150, epochs=300, eval="every:2"),
        dict(synth, seeds=(1, 2), eval="log:30"),
        dict(synth, h=8, eval="every:3"),
        dict(synth, freeze="linear", anneal=True, eval="jitter:30"),
        dict(none, seeds=(1, 2), eval="log:30"),
        dict(none, decay=0.1, decay_at=400, eval="every:3"),
        dict(synth, **none, eval="every:2"),
        dict(synth, **none, h=8, eval="log:35"),
    ], lambda d: "%s-n%d-%s-L%d-h%d-%s%s%s" % (
        d["data"], d["n"], "flip%g" % d["flip"] if d["data"] == "digits" else "noise%g" % d["noise"], d["L"], d["h"],
        freeze_name(d), "-" + d["opt"], "-b%d" % d["batch"] if d.get("batch") else ""))


def freeze_name(d):
    if d["freeze"] == "none":
        return "nofreeze" + ("-decay@%d" % d["decay_at"] if d.get("decay_at") else "")
    s = "%s%s%d" % (d["freeze"], "%d-" % d["t0"] if d.get("t0") is not None else "@", d["t1"])
    if d.get("upto"):
        s += "-first%d" % d["upto"]
    if d.get("anneal"):
        s += "-anneal"
    return s


# ---------------------------------------------------------------------------------------------------- lottery-rewind


def prune_epochs(c):
    """The epochs at whose start a pruning round ends and the next begins: T, 2 T, ..., R T (none for the dense
    network)."""
    if c["mode"] == "dense":
        return []
    out = [c["T"] * (j + 1) for j in range(c["R"])]
    assert out[-1] < c["epochs"] and (c["mode"] != "rewind" or c["k"] < c["T"])
    return out


def lottery_rewind(w, run_id, c):
    """Iterative magnitude pruning with weight rewinding (lottery-ticket rounds; Frankle and Carbin 2019, Frankle et al.
    2020). Data: 'synth', d Gaussian inputs, the target a sparse tanh teacher of kt units each reading r random inputs
    (tanh_teacher, power F) plus Gaussian label noise of std c['noise'], n training points and 2,000 test points, noise
    included, the squared error; 'cancer', breast cancer as train_thirteenth's real_binary split (n patients, inputs
    standardised on them, the rest the test set), a share c['flip'] of the training labels flipped, 2 logits and the
    cross-entropy, error rates in the events; 'diabetes', train_sixteenth's diabetes_split (n patients, noise of std
    c['noise'] added to the standardised training progression, the rest for testing), the squared error. Model: depth
    hidden ReLU layers of width h and a linear readout (he_layers). Rounds of T epochs: at the start of epochs T, 2 T,
    ..., R T (prune_epochs) a share p of the remaining weights of the hidden layers' matrices (not the readout, not the
    biases) is pruned by magnitude, in each matrix ('layer') or by one threshold over them ('global'), and then
    'rewind': every surviving weight, bias and readout weight is set back to its value at the start of epoch k (k 0: the
    initialisation, the original lottery ticket); 'finetune': the trained values are kept (pruning without rewinding);
    'reinit': the survivors and the readout drawn afresh as at the start, biases zero (the random re-initialisation
    control of the lottery-ticket papers); 'dense': never pruned. The optimizer is rebuilt after each round (its
    momentum or moments restart); pruned weights stay zero (their gradients masked, the weights re-masked after every
    step). After the last round the sparse network trains to the end. Full-batch heavy ball (momentum c['mom']) or Adam
    at step c['lr'] (times c['decay'] from epoch c['decay_at'] in a control); autograd, float64. Train loss: the loss on
    the (noisy) training targets; test loss: on the test points. param_count: the dense network's weights and biases.
    schedule_end: the last round's pruning, R T. Grid (runs_lottery_rewind; 19 settings, 1-2 seeds, 22 runs): the
    synthetic base d 30, kt 3, r 4, F 3, noise 1, n 250, one hidden layer of width 100 (3,201 parameters), 4 rounds of
    300 epochs pruning half the remaining weights (6.25% left), rewound to epoch 20, heavy ball at 0.01 (momentum 0.9),
    1,500 epochs; one setting at a time rewinding to the initialisation, pruning without rewinding, random
    re-initialisation, global pruning, 8 rounds of 150 epochs pruning 20% each, rounds of 50 epochs (the last at epoch
    200), 5 rounds of 500 epochs (the last at 2,500 of 3,000), noise 0.3, width 10 (321 parameters for the 250 points),
    two hidden layers of width 64, Adam (0.003), one round pruning 90% at epoch 500; breast cancer (n 300, 20% flipped,
    width 64, step 0.05; 2 seeds) and diabetes (n 300, noise 0.5, width 64); controls, the dense network: synthetic (2
    seeds), synthetic under a step decay (x0.1 at epoch 750), breast cancer and diabetes."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(61_000 + c["seed"])
    if c["data"] == "synth":
        teacher = tanh_teacher(g, c["d"], c["kt"], c["F"], c["r"])

        def draw(m):
            z = torch.randn(m, c["d"], generator=g)
            return z, teacher(z) + c["noise"] * label_noise(g, m, 0)

        x, y = draw(c["n"])
        xt, yt = draw(2000)
        out = 1
    elif c["data"] == "cancer":
        x, y, xt, yt = real_binary(g, "cancer", c["n"])
        y, yt = ((y + 1) / 2).long(), ((yt + 1) / 2).long()
        y = flip_labels(g, y, 2, c["flip"])
        out = 2
    else:
        x, y, xt, yt = diabetes_split(g, c["n"], c["noise"])
        out = 1
    classify = out > 1
    n, d = x.shape
    dims = [d] + [c["h"]] * c["depth"] + [out]

    def fresh():
        ls = he_layers(g, dims)
        if not classify:
            ls[-1] = [ls[-1][0].squeeze(1).clone(), ls[-1][1].squeeze(0).clone()]
        return ls

    layers = fresh()
    params = [q for layer in layers for q in layer]
    for q in params:
        q.requires_grad_()
    mats = [layer[0] for layer in layers[:-1]]
    masks = [torch.ones_like(m) for m in mats]

    def make_opt(e):
        if c["opt"] == "adam":
            return torch.optim.Adam(params, lr=lr_now(c, e))
        return torch.optim.SGD(params, lr=lr_now(c, e), momentum=c.get("mom") or 0.0)

    def prune():
        with torch.no_grad():
            if c["scope"] == "global":
                mags = torch.cat([torch.where(mk > 0, m.abs(), torch.full_like(m, math.inf)).flatten()
                                  for m, mk in zip(mats, masks)])
                alive = int(sum(mk.sum().item() for mk in masks))
                k = int(round(c["p"] * alive))
                order = torch.sort(mags, stable=True).indices[:k]
                flat = torch.cat([mk.flatten() for mk in masks])
                flat[order] = 0.0
                pos = 0
                for i, mk in enumerate(masks):
                    masks[i] = flat[pos:pos + mk.numel()].view_as(mk).clone()
                    pos += mk.numel()
            else:
                for i, (m, mk) in enumerate(zip(mats, masks)):
                    k = int(round(c["p"] * mk.sum().item()))
                    mags = torch.where(mk > 0, m.abs(), torch.full_like(m, math.inf)).flatten()
                    keep = mk.flatten().clone()
                    keep[torch.sort(mags, stable=True).indices[:k]] = 0.0
                    masks[i] = keep.view_as(mk)
            if c["mode"] == "rewind":
                for q, s in zip(params, snap):
                    q.copy_(s)
            elif c["mode"] == "reinit":
                for q, s in zip(params, [q for layer in fresh() for q in layer]):
                    q.copy_(s)
            for m, mk in zip(mats, masks):
                m.mul_(mk)

    rounds = prune_epochs(c)
    end = rounds[-1] if rounds else None
    density = (1 - c["p"]) ** c["R"] if rounds else 1.0
    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "mlp-lottery", "depth": c["depth"], "width": c["h"], "input_dim": d, "mode": c["mode"],
                 "final_density": "%.4g" % density},
                with_end(settings(c, ("seed", "data", "n", "d", "kt", "r", "F", "noise", "flip", "depth", "h", "mode",
                                      "k", "p", "R", "T", "scope", "opt", "lr", "mom", "decay", "decay_at", "eval"))
                         | {"optimizer": c["opt"], "loss": "cross-entropy" if classify else "mse"}, end),
                output_dim=out)

    def loss_of(f, t):
        return torch.nn.functional.cross_entropy(f, t) if classify else ((f - t) ** 2).mean()

    opt = make_opt(0)
    snap = None
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    done = []
    e = 0
    for p in pts:
        while e < p:
            if c["mode"] == "rewind" and e == c["k"]:
                snap = [q.detach().clone() for q in params]
            if e in rounds:
                prune()
                opt = make_opt(e)
                done.append(e)
            for grp in opt.param_groups:
                grp["lr"] = lr_now(c, e)
            opt.zero_grad()
            loss_of(relu_net(layers, x), y).backward()
            with torch.no_grad():
                for m, mk in zip(mats, masks):
                    m.grad.mul_(mk)
            opt.step()
            with torch.no_grad():
                for m, mk in zip(mats, masks):
                    m.mul_(mk)
            e += 1
        with torch.no_grad():
            log_run(run, e, relu_net(layers, x), relu_net(layers, xt), y, yt, loss_of, classify, e == pts[-1])
    check_end(run_id, end, done)
    alive = sum(mk.sum().item() for mk in masks) / sum(mk.numel() for mk in masks)
    assert abs(alive - density) < 0.02, (run_id, alive, density)
    torch.set_default_dtype(torch.float32)


def runs_lottery_rewind():
    base = dict(data="synth", n=250, d=30, kt=3, r=4, F=3.0, noise=1.0, flip=None, depth=1, h=100, mode="rewind",
                k=20, p=0.5, R=4, T=300, scope="layer", opt="hb", lr=0.01, mom=0.9, decay=None, decay_at=None,
                epochs=1500, eval="log:30")
    cancer = dict(data="cancer", n=300, d=None, kt=None, r=None, F=None, noise=None, flip=0.2, h=64, lr=0.05)
    diabetes = dict(data="diabetes", n=300, d=None, kt=None, r=None, F=None, noise=0.5, h=64)
    dense = dict(mode="dense", k=None, p=None, R=None, T=None, scope=None)
    return lottery_rewind, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(k=0, eval="every:2"),
        dict(mode="finetune", k=None, eval="jitter:30"),
        dict(mode="reinit", k=None, eval="every:3"),
        dict(scope="global", eval="log:35"),
        dict(p=0.2, R=8, T=150, eval="every:4"),
        dict(T=50, eval="rand:300"),
        dict(T=500, R=5, epochs=3000, eval="every:5"),
        dict(noise=0.3, eval="jitter:35"),
        dict(h=10, eval="every"),
        dict(depth=2, h=64, eval="log:40"),
        dict(opt="adam", lr=0.003, mom=None, eval="every:10"),
        dict(R=1, p=0.9, T=500, eval="every:3"),
        dict(cancer, seeds=(1, 2), eval="log:30"),
        dict(diabetes, eval="every:2"),
        dict(dense, seeds=(1, 2), eval="log:30"),
        dict(dense, decay=0.1, decay_at=750, eval="every:4"),
        dict(cancer, **dense, eval="jitter:30"),
        dict(diabetes, **dense, eval="every"),
    ], lambda d: "%s-n%d-%s-%sh%d-%s-%s" % (
        d["data"], d["n"], "flip%g" % d["flip"] if d["data"] == "cancer" else "noise%g" % d["noise"],
        "2x" if d["depth"] == 2 else "", d["h"], lottery_name(d), d["opt"]))


def lottery_name(d):
    if d["mode"] == "dense":
        return "dense" + ("-decay@%d" % d["decay_at"] if d.get("decay_at") else "")
    return "%s%s-p%g-R%d-T%d%s" % (d["mode"], "@%d" % d["k"] if d["mode"] == "rewind" else "", d["p"], d["R"], d["T"],
                                   "-global" if d["scope"] == "global" else "")


# ---------------------------------------------------------------------------------------------------- annotator-relabel


def review_epochs(c):
    """The epochs at whose start a batch of labels is reviewed: t1, t1 + every, ..., R of them (none without
    reviews)."""
    if c["review"] == "none":
        return []
    out = [c["t1"] + j * (c.get("every") or 0) for j in range(c["R"])]
    assert out[-1] < c["epochs"] and len(set(out)) == len(out)
    return out


def annotator_relabel(w, run_id, c):
    """A classifier trained on labels whose noise changes on a schedule: annotators review batches of the first-pass
    labels at scheduled epochs. Data: 'digits', digits_split (n training images, the other images for testing), 10
    classes; 'synth', d Gaussian inputs, the class the argmax of a random tanh teacher's K logits (16 units, tanh(x V)
    C, V Gaussian at 2 / sqrt(d), C standard normal; the labels a deterministic function of the inputs), n training
    points and 2,000 test points; 'cancer', breast cancer as train_thirteenth's real_binary split (n patients, the rest
    for testing), 2 classes. First-pass labels: a share q0 of the training labels wrong, 'sym' (another class at random)
    or 'pair' (class k labelled k + 1 mod K, pair-flip). Reviews (review_epochs): at the start of each, a batch of
    ceil(b n) training points not reviewed before gets a reviewer's label, the true class with probability c['acc'] and
    another class at random otherwise ('random': the batch the next ones of a fixed random order; 'loss': the points of
    largest current cross-entropy against their current labels first). A reviewer of accuracy 0.95 brings the noise down
    towards 5%; one of accuracy 0.3 raises it. The controls ('none') keep the first-pass labels. Model: linear logits
    from zero, or a one-hidden-layer ReLU network of width h ('mlp'; the first layer He-scaled, the readout from zero),
    on the cross-entropy. Full-batch heavy ball (momentum c['mom']), for the linear model at step c['lr'] over the
    largest eigenvalue of the training inputs' Gram matrix (with the constant), for the network at step c['lr']; or Adam
    at step c['lr']; times c['decay'] from epoch c['decay_at'] in a control. Autograd, float64. Train loss: the
    cross-entropy on the current training labels, with their error rate; test loss: on the clean test labels, with the
    error rate. schedule_end: the last review (each review must change at least one label). Grid
    (runs_annotator_relabel; 17 settings, 1-2 seeds, 20 runs): the digits base n 500, 40% symmetric first-pass noise,
    the network of width 64, a reviewer of accuracy 0.95 reviewing a random 20% of the points every 100 epochs from
    epoch 200 (5 reviews, the last at 600; every point reviewed), heavy ball at 0.05 (momentum 0.9), 1,500 epochs; one
    setting at a time early reviews (every 20 epochs from 20, the last at 100), late ones (every 150 from 800, the last
    at 1,400), one review of every point at epoch 300, a degrading reviewer (accuracy 0.3 on first-pass labels 10%
    wrong), the largest-loss points reviewed first, 30% pair-flip noise, 10% of the points a review (half reviewed), the
    linear model (step 1 over the top eigenvalue), width 256 (1,000 epochs), Adam (0.003); the synthetic teacher (d 20,
    K 4, n 600, 40% wrong; 2 seeds) and breast cancer (n 300, 30% wrong, width 32); controls with the first-pass labels
    kept: the digits (2 seeds), the digits under a step decay (x0.1 at epoch 600), the synthetic teacher and breast
    cancer."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(62_000 + c["seed"])
    if c["data"] == "digits":
        x, ytrue, xt, yt = digits_split(g, c["n"])
        K = 10
    elif c["data"] == "synth":
        d, K = c["d"], c["K"]
        V = torch.randn(d, 16, generator=g) * 2 / math.sqrt(d)
        C = torch.randn(16, K, generator=g)

        def draw(m):
            z = torch.randn(m, d, generator=g)
            return z, (torch.tanh(z @ V) @ C).argmax(1)

        x, ytrue = draw(c["n"])
        xt, yt = draw(2000)
    else:
        x, ytrue, xt, yt = real_binary(g, "cancer", c["n"])
        ytrue, yt = ((ytrue + 1) / 2).long(), ((yt + 1) / 2).long()
        K = 2
    n, d = x.shape
    if c["kind"] == "pair":
        wrong = torch.rand(n, generator=g) < c["q0"]
        y = torch.where(wrong, (ytrue + 1) % K, ytrue)
    else:
        y = flip_labels(g, ytrue, K, c["q0"])
    order = torch.randperm(n, generator=g)
    reviews = review_epochs(c)
    end = reviews[-1] if reviews else None
    if c["model"] == "mlp":
        h = c["h"]
        params = [(torch.randn(d, h, generator=g) * math.sqrt(2.0 / d)).requires_grad_(),
                  torch.zeros(h, requires_grad=True), torch.zeros(h, K, requires_grad=True),
                  torch.zeros(K, requires_grad=True)]

        def logits(z):
            return torch.relu(z @ params[0] + params[1]) @ params[2] + params[3]
        base_lr = c["lr"]
    else:
        params = [torch.zeros(d, K, requires_grad=True), torch.zeros(K, requires_grad=True)]

        def logits(z):
            return z @ params[0] + params[1]
        x1 = torch.cat([x, torch.ones(n, 1)], 1)
        top = torch.linalg.eigvalsh(x1.T @ x1 / n)[-1].item()
        base_lr = c["lr"] if c["opt"] == "adam" else c["lr"] / top
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=base_lr)
    else:
        opt = torch.optim.SGD(params, lr=base_lr, momentum=c["mom"])
    ce = torch.nn.functional.cross_entropy
    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "softmax-" + c["model"], "classes": K, "input_dim": d,
                 "reviews": len(reviews), "first_pass_wrong": "%.4g" % (y != ytrue).double().mean().item()},
                with_end(settings(c, ("seed", "data", "n", "d", "K", "q0", "kind", "review", "acc", "b", "R", "t1",
                                      "every", "model", "h", "opt", "lr", "mom", "decay", "decay_at", "eval"))
                         | {"optimizer": c["opt"], "loss": "cross-entropy"}, end),
                output_dim=K)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    reviewed = torch.zeros(n, dtype=torch.bool)
    done = []
    e = 0
    for p in pts:
        while e < p:
            if e in reviews:
                left = (~reviewed[order]).nonzero().squeeze(1)
                m = min(int(math.ceil(c["b"] * n - 1e-9)), len(left))
                assert m > 0
                if c["review"] == "loss":
                    pool = (~reviewed).nonzero().squeeze(1)
                    with torch.no_grad():
                        cur = ce(logits(x[pool]), y[pool], reduction="none")
                    batch = pool[torch.sort(-cur, stable=True).indices[:m]]
                else:
                    batch = order[left[:m]]
                right = torch.rand(m, generator=g) < c["acc"]
                other = (ytrue[batch] + torch.randint(1, K, (m,), generator=g)) % K
                new = torch.where(right, ytrue[batch], other)
                if bool((new != y[batch]).any()):
                    done.append(e)
                y = y.clone()
                y[batch] = new
                reviewed[batch] = True
            for grp in opt.param_groups:
                grp["lr"] = base_lr * lr_now(c, e) / c["lr"]
            opt.zero_grad()
            ce(logits(x), y).backward()
            opt.step()
            e += 1
        with torch.no_grad():
            f, ft = logits(x), logits(xt)
            run.log(e, ce(f, y), ce(ft, yt), (f.argmax(1) != y).double().mean(), (ft.argmax(1) != yt).double().mean(),
                    final=e == pts[-1])
    check_end(run_id, end, done)
    assert done == reviews, (run_id, done, reviews)
    torch.set_default_dtype(torch.float32)


def runs_annotator_relabel():
    base = dict(data="digits", n=500, d=None, K=None, q0=0.4, kind="sym", review="random", acc=0.95, b=0.2, R=5,
                t1=200, every=100, model="mlp", h=64, opt="hb", lr=0.05, mom=0.9, decay=None, decay_at=None,
                epochs=1500, eval="log:30")
    synth = dict(data="synth", n=600, d=20, K=4)
    cancer = dict(data="cancer", n=300, q0=0.3, h=32)
    none = dict(review="none", acc=None, b=None, R=None, t1=None, every=None)
    return annotator_relabel, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(t1=20, every=20, eval="every:2"),
        dict(t1=800, every=150, eval="every:3"),
        dict(b=1.0, R=1, t1=300, every=None, eval="jitter:30"),
        dict(q0=0.1, acc=0.3, eval="every"),
        dict(review="loss", eval="log:35"),
        dict(kind="pair", q0=0.3, eval="rand:300"),
        dict(b=0.1, eval="every:4"),
        dict(model="linear", h=None, lr=1.0, eval="jitter:35"),
        dict(h=256, epochs=1000, eval="every:5"),
        dict(opt="adam", lr=0.003, mom=None, eval="every:10"),
        dict(synth, seeds=(1, 2), eval="log:30"),
        dict(cancer, eval="every:2"),
        dict(none, seeds=(1, 2), eval="log:30"),
        dict(none, decay=0.1, decay_at=600, eval="every:3"),
        dict(synth, **none, eval="jitter:30"),
        dict(cancer, **none, eval="every"),
    ], lambda d: "%s-n%d-%s%g-%s-%s-%s" % (
        d["data"], d["n"], d["kind"], d["q0"], review_name(d), "mlp%d" % d["h"] if d["model"] == "mlp" else "linear",
        d["opt"]))


def review_name(d):
    if d["review"] == "none":
        return "first-pass" + ("-decay@%d" % d["decay_at"] if d.get("decay_at") else "")
    s = "review-%s-acc%g-b%g-x%d-from%d" % (d["review"], d["acc"], d["b"], d["R"], d["t1"])
    if d.get("every"):
        s += "-every%d" % d["every"]
    return s


FAMILIES = {"freezeout-layers": runs_freezeout_layers, "lottery-rewind": runs_lottery_rewind,
            "annotator-relabel": runs_annotator_relabel}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
