#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fourteenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, bench/src/main/java or bench/src/test,
neither docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
before any of its runs was looked at, and the runs were sorted by census.py alone), and made to differ from the
forty-seven families of train.py ... train_thirteenth.py in training procedure, model, noise and data: co-teaching, two
MLP classifiers that each pick the small-loss share of every minibatch for the other to learn from (Han et al.'s
Co-teaching, its forget rate ramped up over the first epochs; Yu et al.'s Co-teaching+, which picks among the points
the two networks disagree on; one network selecting its own small-loss points; plain training), on scikit-learn's
digits and on a synthetic softmax teacher, with symmetric or pair-flip label noise, judged by the first network's
cross-entropy on clean test labels; schedules of regularisation, an MLP regressor whose weight decay or dropout rate
is switched on late, switched off early, ramped up or down or raised along Morerio et al.'s curriculum during
training, on a ReLU teacher and on scikit-learn's diabetes data, judged without dropout; and a training set that grows
while the model trains (a stream: k new points every T epochs from a start of n0 to a final n_max, or a sliding window
of the latest W), a linear or random-features regression, or scikit-learn's diabetes patients on their raw inputs and
products, fitted by one gradient step (or one pass of minibatches) on the current set an epoch, so that the set's
size crosses the interpolation threshold during the run. The file format, determinism and helpers are the earlier
files': Writer and the command line from train.py, epochs_of and settings from train_more.py, label_noise from
train_fourth.py and dict_runs from train_seventh.py; one thread, every random draw from a seeded torch.Generator,
synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fourteenth.py --family coteach-select [--list] [--runs 0,3] [--out FILE]

Families (see README.md): coteach-select, reg-schedule, stream-grow. Evaluation spacings: train.py's 'every',
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

torch.set_num_threads(1)

RELU_MEAN, RELU_STD = 1 / math.sqrt(2 * math.pi), math.sqrt(0.5 - 1 / (2 * math.pi))  # of relu(z), z standard normal


# ---------------------------------------------------------------------------------------------------- coteach-select


def class_noise(g, y, K, rate, kind):
    """Training labels with a share `rate` corrupted: 'sym' replaces a label by another class drawn uniformly,
    'pair' moves it to the next class (c -> c + 1 mod K), Han et al.'s pair flipping."""
    y = y.clone()
    flip = torch.rand(len(y), generator=g) < rate
    if kind == "pair":
        y[flip] = (y[flip] + 1) % K
    else:
        y[flip] = (y[flip] + torch.randint(1, K, (int(flip.sum()),), generator=g)) % K
    return y


def mlp_init(g, sizes):
    """A ReLU MLP's weights and biases: He-scaled weights (the output layer's at 1/sqrt(fan-in)), zero biases."""
    ps = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        gain = 2.0 if i < len(sizes) - 2 else 1.0
        ps += [(torch.randn(a, b, generator=g) * math.sqrt(gain / a)).requires_grad_(),
               torch.zeros(b, requires_grad=True)]
    return ps


def mlp_forward(ps, z):
    for i in range(0, len(ps), 2):
        z = z @ ps[i] + ps[i + 1]
        if i < len(ps) - 2:
            z = torch.relu(z)
    return z


def coteach_select(w, run_id, c):
    """Learning from noisy labels by sample selection. Data: 'digits', scikit-learn's 8x8 digits (pixels in [0, 1]),
    n training images and the other images (clean) as the test set; 'synth', d Gaussian inputs and K classes drawn
    from the softmax of a teacher's logits (a random one-hidden-layer tanh network of 16 units, the logits centred and
    scaled to power F), n training points and 2,000 test points with their drawn (not corrupted) labels. A share
    c['rate'] of the training labels corrupted by class_noise ('sym' or 'pair'). Model: a ReLU MLP (c['layers'] hidden
    layers of width h) to K logits, on the cross-entropy. Method: 'none' trains one network on every point; 'self'
    one network on the share R(e) of each minibatch with its smallest losses; 'coteach' (Han et al. 2018) two networks
    from different initialisations, each picking the R(e) share of the minibatch with its smallest losses for the
    OTHER to update on; 'coteach+' (Yu et al. 2019) the same, from epoch c['init_epoch'] on among the points the two
    networks' predictions disagree on (the whole minibatch where they agree on every point). R(e) = 1 - tau min(e /
    Tk, 1): the forget rate tau reached linearly over the first Tk epochs. Minibatches of c['batch'] reshuffled every
    epoch; Adam (step c['lr']; 'linear' decays it linearly to 0 from epoch c['decay_from'] with beta1 0.1 there, the
    paper's schedule) or SGD with momentum c['mom'], L2 weight decay c['wd']; autograd, float64. Train loss: the first
    network's cross-entropy on all the (noisy) training labels; test loss: its cross-entropy on the test labels;
    error rates in the events."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(46_000 + c["seed"])
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        xs, ys = load_digits(return_X_y=True)
        xs, ys = torch.tensor(xs / 16.0), torch.tensor(ys)
        perm = torch.randperm(len(xs), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        x, y, xt, yt = xs[tr], ys[tr], xs[te], ys[te]
        K = 10
    else:
        d, K = c["d"], c["K"]
        V = torch.randn(d, 16, generator=g) / math.sqrt(d)
        A = torch.randn(16, K, generator=g)
        ref = torch.tanh(torch.randn(20_000, d, generator=g) @ V) @ A
        mu, sd = ref.mean(0), (ref - ref.mean(0)).std()

        def draw(m):
            z = torch.randn(m, d, generator=g)
            logit = math.sqrt(c["F"]) * (torch.tanh(z @ V) @ A - mu) / sd
            return z, torch.multinomial(torch.softmax(logit, 1), 1, generator=g).squeeze(1)

        x, y = draw(c["n"])
        xt, yt = draw(2000)
    n = len(x)
    y = class_noise(g, y, K, c["rate"], c["noise"])
    method = c["method"]
    sizes = [x.shape[1]] + [c["h"]] * c["layers"] + [K]
    nets = [mlp_init(g, sizes) for _ in range(2 if method.startswith("coteach") else 1)]

    def make_opt(ps):
        if c["opt"] == "adam":
            return torch.optim.Adam(ps, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
        return torch.optim.SGD(ps, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=c.get("wd") or 0.0)

    opts = [make_opt(ps) for ps in nets]
    ce = torch.nn.functional.cross_entropy
    run = w.run(run_id, sum(p.numel() for p in nets[0]), n,
                {"family": "mlp-classifier", "width": c["h"], "hidden_layers": c["layers"], "input_dim": x.shape[1],
                 "networks": len(nets), "selection": method},
                settings(c, ("seed", "data", "n", "d", "K", "F", "noise", "rate", "method", "tau", "Tk", "init_epoch",
                             "h", "layers", "opt", "lr", "mom", "wd", "sched", "decay_from", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy"},
                output_dim=K)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz, tau, Tk = c["batch"], c.get("tau") or 0.0, c.get("Tk") or 1
    e = 0
    for p in pts:
        while e < p:
            if c.get("sched") == "linear" and e >= c["decay_from"]:
                for o in opts:
                    for group in o.param_groups:
                        group["lr"] = c["lr"] * (c["epochs"] - e) / (c["epochs"] - c["decay_from"])
                        group["betas"] = (0.1, 0.999)
            keep = 1.0 - tau * min(e / Tk, 1.0)
            idx = torch.randperm(n, generator=g)
            for j in range(0, n, bsz):
                bi = idx[j:j + bsz]
                xb, yb = x[bi], y[bi]
                outs = [mlp_forward(ps, xb) for ps in nets]
                losses = [ce(o, yb, reduction="none") for o in outs]
                if method == "none":
                    picks = [torch.arange(len(bi))]
                else:
                    pool = torch.arange(len(bi))
                    if method == "coteach+" and e >= c["init_epoch"]:
                        dis = (outs[0].argmax(1) != outs[1].argmax(1)).nonzero().squeeze(1)
                        if len(dis) > 0:
                            pool = dis
                    k = max(1, int(keep * len(pool)))
                    small = [pool[torch.sort(l_[pool].detach(), stable=True).indices[:k]] for l_ in losses]
                    picks = small if method == "self" else [small[1], small[0]]  # each learns from the other's pick
                for o, l_, pk in zip(opts, losses, picks):
                    o.zero_grad()
                    l_[pk].mean().backward()
                for o in opts:
                    o.step()
            e += 1
        with torch.no_grad():
            f, ft = mlp_forward(nets[0], x), mlp_forward(nets[0], xt)
            run.log(e, ce(f, y), ce(ft, yt), (f.argmax(1) != y).double().mean(), (ft.argmax(1) != yt).double().mean(),
                    final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_coteach_select():
    base = dict(data="digits", n=800, d=None, K=None, F=None, noise="sym", rate=0.4, method="coteach", tau=0.4, Tk=10,
                init_epoch=None, h=128, layers=1, opt="adam", lr=0.002, mom=None, wd=None, sched="const",
                decay_from=None, batch=64, epochs=500, eval="log:30")
    synth = dict(data="synth", n=600, d=20, K=4, F=9.0, rate=0.3, tau=0.3, h=64)
    return coteach_select, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(Tk=30, eval="every:2"),
        dict(Tk=100, eval="jitter:30"),
        dict(tau=0.2, eval="every:3"),
        dict(tau=0.6, eval="log:35"),
        dict(noise="pair", rate=0.3, tau=0.3, eval="rand:100"),
        dict(rate=0.2, tau=0.2, eval="every:4"),
        dict(method="coteach+", init_epoch=20, eval="every:5"),
        dict(method="self", eval="jitter:35"),
        dict(method="none", tau=None, Tk=None, eval="log:30"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="every"),
        dict(h=512, eval="every:2"),
        dict(n=400, eval="log:40"),
        dict(sched="linear", decay_from=200, eval="jitter:30"),
        dict(layers=2, eval="every:10"),
        dict(synth, seeds=(1, 2), eval="log:30"),
        dict(synth, method="none", tau=None, Tk=None, eval="every:3"),
        dict(synth, Tk=50, eval="jitter:30"),
    ], lambda d: "%s-%s%g-%s%s-h%d%s-%s%s-n%d" % (
        d["data"], d["noise"], d["rate"], d["method"], "-tau%g-Tk%d" % (d["tau"], d["Tk"]) if d.get("tau") else "",
        d["h"], "x%d" % d["layers"] if d["layers"] > 1 else "", d["opt"],
        "-decay%d" % d["decay_from"] if d["sched"] == "linear" else "", d["n"]))


# ---------------------------------------------------------------------------------------------------- reg-schedule


def reg_factor(c, e):
    """The regulariser's strength at epoch e as a share of its full strength: 'const' 1; 'late' 0 before epoch
    c['t0'], 1 from it; 'early' 1 before it, 0 from it; 'ramp-up' linear from 0 at epoch t0 to 1 at t1; 'ramp-down'
    from 1 at t0 to 0 at t1; 'curriculum' 1 - exp(-gamma e) (Morerio et al.'s curriculum dropout)."""
    kind = c["sched"]
    if kind == "const":
        return 1.0
    if kind == "late":
        return 1.0 if e >= c["t0"] else 0.0
    if kind == "early":
        return 1.0 if e < c["t0"] else 0.0
    if kind == "curriculum":
        return 1.0 - math.exp(-c["gamma"] * e)
    r = min(1.0, max(0.0, (e - c["t0"]) / (c["t1"] - c["t0"])))
    return r if kind == "ramp-up" else 1.0 - r


def reg_schedule(w, run_id, c):
    """An MLP regressor whose regularisation changes during training. Data: 'synth', d Gaussian inputs, the target a
    ReLU teacher of kt units (unit weight vectors over all inputs, a random readout, standardised to power F) plus
    label noise of std c['noise'] (Gaussian, or Student-t with c['dof'] degrees of freedom), n training points and
    2,000 test points, noise included; 'diabetes', scikit-learn's diabetes data split at random into n training
    patients and the rest (142) for testing, inputs and progression standardised on the training patients, label noise
    of std c['noise'] added to the training targets only. Model: f(x) = drop(relu(x W1 + b1)) . w2 + b2, width h,
    He-scaled W1 and a 1/sqrt(h) readout, zero biases. The regulariser: 'wd', L2 weight decay of strength lam on W1
    and w2 (not the biases), passed to the optimizer; 'dropout', inverted dropout of the hidden units at rate p in
    training (the masks from the seeded generator; none at evaluation); 'none'. Its strength at epoch e is the full
    strength (lam or p) times reg_factor. Minibatches of c['batch'] reshuffled every epoch, SGD with momentum c['mom']
    or Adam, at step c['lr']; the mean squared error, autograd, float64. Train loss: the squared error on the (noisy)
    training targets without dropout; test loss: on the test points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(47_000 + c["seed"])
    if c["data"] == "synth":
        d, kt = c["d"], c["kt"]
        V = torch.randn(kt, d, generator=g)
        V /= V.norm(dim=1, keepdim=True)
        ct = torch.randn(kt, generator=g)
        ref = torch.relu(torch.randn(20_000, d, generator=g) @ V.T) @ ct
        mu_t, sd_t = ref.mean(), ref.std()

        def draw(m):
            z = torch.randn(m, d, generator=g)
            return z, (math.sqrt(c["F"]) * (torch.relu(z @ V.T) @ ct - mu_t) / sd_t
                       + c["noise"] * label_noise(g, m, c.get("dof") or 0))

        x, y = draw(c["n"])
        xt, yt = draw(2000)
    else:
        from sklearn.datasets import load_diabetes
        X, Y = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(X), torch.tensor(Y)
        perm = torch.randperm(len(Y), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        x, xt, yt = X[tr], X[te], Y[te]
        y = Y[tr] + c["noise"] * torch.randn(len(tr), generator=g)
    n, d, h = len(x), x.shape[1], c["h"]
    W1 = (torch.randn(d, h, generator=g) * math.sqrt(2.0 / d)).requires_grad_()
    b1 = torch.zeros(h, requires_grad=True)
    w2 = (torch.randn(h, generator=g) / math.sqrt(h)).requires_grad_()
    b2 = torch.zeros(1, requires_grad=True)
    groups = [{"params": [W1, w2], "weight_decay": 0.0}, {"params": [b1, b2], "weight_decay": 0.0}]
    if c["opt"] == "adam":
        opt = torch.optim.Adam(groups, lr=c["lr"])
    else:
        opt = torch.optim.SGD(groups, lr=c["lr"], momentum=c.get("mom") or 0.0)

    def f(z, p=0.0):
        a = torch.relu(z @ W1 + b1)
        if p > 0:
            a = a * (torch.rand(a.shape, generator=g) >= p).double() / (1 - p)
        return a @ w2 + b2

    reg = c["reg"]
    run = w.run(run_id, d * h + 2 * h + 1, n,
                {"family": "mlp-regressor", "width": h, "input_dim": d, "regulariser": reg,
                 "reg_schedule": c.get("sched") or "none"},
                settings(c, ("seed", "data", "n", "d", "kt", "F", "noise", "dof", "h", "reg", "lam", "p", "sched", "t0",
                             "t1", "gamma", "opt", "lr", "mom", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c["batch"]
    e = 0
    for p in pts:
        while e < p:
            r = reg_factor(c, e) if reg != "none" else 0.0
            opt.param_groups[0]["weight_decay"] = c["lam"] * r if reg == "wd" else 0.0
            rate = c["p"] * r if reg == "dropout" else 0.0
            idx = torch.randperm(n, generator=g)
            for j in range(0, n, bsz):
                bi = idx[j:j + bsz]
                opt.zero_grad()
                ((f(x[bi], rate) - y[bi]) ** 2).mean().backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((f(x) - y) ** 2).mean(), ((f(xt) - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_reg_schedule():
    base = dict(data="synth", n=200, d=20, kt=8, F=2.0, noise=1.0, dof=None, h=128, reg="wd", lam=0.01, p=None,
                sched="late", t0=500, t1=None, gamma=None, opt="sgd", lr=0.01, mom=0.9, batch=50, epochs=3000,
                eval="log:30")
    drop = dict(reg="dropout", lam=None, p=0.5)
    diabetes = dict(data="diabetes", n=300, d=None, kt=None, F=None, noise=0.5)
    return reg_schedule, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sched="const", t0=None, eval="every:3"),
        dict(sched="early", eval="jitter:30"),
        dict(sched="ramp-up", t0=0, t1=3000, eval="every:2"),
        dict(sched="ramp-up", t0=200, t1=1000, eval="log:35"),
        dict(sched="ramp-down", t0=0, t1=1500, eval="every:4"),
        dict(lam=0.03, eval="rand:300"),
        dict(lam=0.003, eval="every:5"),
        dict(t0=1500, eval="jitter:35"),
        dict(reg="none", lam=None, sched=None, t0=None, eval="log:30"),
        dict(drop, eval="every:2"),
        dict(drop, sched="const", t0=None, eval="every:10"),
        dict(drop, sched="early", eval="log:40"),
        dict(drop, sched="curriculum", t0=None, gamma=0.003, eval="jitter:30"),
        dict(opt="adam", lr=0.001, mom=None, eval="every"),
        dict(h=512, eval="log:30"),
        dict(dof=3, eval="every:3"),
        dict(diabetes, seeds=(1, 2), eval="log:30"),
        dict(diabetes, **drop, eval="every:2"),
        dict(diabetes, reg="none", lam=None, sched=None, t0=None, eval="jitter:30"),
    ], lambda d: "%s-%s-h%d-%s-n%d-noise%g%s" % (
        d["data"], reg_name(d), d["h"], d["opt"], d["n"], d["noise"], "-t%d" % d["dof"] if d.get("dof") else ""))


def reg_name(d):
    if d["reg"] == "none":
        return "none"
    sched = d["sched"]
    if sched in ("late", "early"):
        sched += "%d" % d["t0"]
    elif sched.startswith("ramp"):
        sched += "%d-%d" % (d["t0"], d["t1"])
    elif sched == "curriculum":
        sched += "%g" % d["gamma"]
    return "%s%g-%s" % (d["reg"], d["lam"] if d["reg"] == "wd" else d["p"], sched)


# ---------------------------------------------------------------------------------------------------- stream-grow


def stream_size(c, e):
    """How many stream points have arrived by epoch e: n0, then k more every T epochs, up to n_max."""
    return min(c["n_max"], c["n0"] + c["k"] * (e // c["T"]))


def stream_grow(w, run_id, c):
    """Regression on a training set that grows while the model trains (a stream). Data: 'linear', p Gaussian features
    and the target a linear teacher of power F plus label noise of std c['noise'] (Gaussian, or Student-t with c['dof']
    degrees of freedom); 'rf', N standardised random ReLU features relu(v . z / sqrt(d)) of d Gaussian inputs, the
    target a random readout of 50 other random ReLU features of the inputs (power F) plus label noise; 2,000 test
    points, noise included; 'diabetes', scikit-learn's diabetes patients in a random order, the first n_max the
    stream and the rest (100) the test set, features the 10 inputs and their 54 non-constant products (x_i x_j,
    i <= j; the square of the two-valued sex column is constant), each standardised on the stream's patients, the target
    the standardised progression (label noise of std c['noise'] added to the stream's targets). The stream starts
    with n0 points; k more arrive every T epochs, up to n_max; with a window W only the latest W points are kept.
    Model: a linear readout w from zero, no bias. Each epoch: one full-batch gradient step on the current set's mean
    squared error plus ridge |w|^2 / 2, of size c['lr'] over the current set's largest Gram eigenvalue plus the
    ridge (recomputed whenever the set changes; 'gd'), or one pass of minibatches of c['batch'] over the current
    set, reshuffled, at the fixed step c['lr'] ('sgd'); float64, the gradient written out. Train loss: the squared
    error on the set the last step used (the starting set at epoch 0); test loss: on the test points. The events'
    train_size is the size of the set the run ends on (n_max, or W)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(48_000 + c["seed"])
    n_max = c["n_max"]
    if c["data"] == "linear":
        p = c["p"]
        theta = torch.randn(p, generator=g) * math.sqrt(c["F"] / p)

        def draw(m):
            z = torch.randn(m, p, generator=g)
            return z, z @ theta + c["noise"] * label_noise(g, m, c.get("dof") or 0)

        x, y = draw(n_max)
        xt, yt = draw(2000)
    elif c["data"] == "rf":
        d, N = c["d"], c["N"]
        vf = torch.randn(d, N, generator=g)
        vt = torch.randn(d, 50, generator=g)
        at = torch.randn(50, generator=g) * math.sqrt(c["F"] / 50)

        def feat(z, v):
            return (torch.relu(z @ v / math.sqrt(d)) - RELU_MEAN) / RELU_STD

        def draw(m):
            z = torch.randn(m, d, generator=g)
            return feat(z, vf), feat(z, vt) @ at + c["noise"] * label_noise(g, m, c.get("dof") or 0)

        x, y = draw(n_max)
        xt, yt = draw(2000)
    else:
        from sklearn.datasets import load_diabetes
        X, Y = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(X), torch.tensor(Y)
        perm = torch.randperm(len(Y), generator=g)
        tr, te = perm[:n_max], perm[n_max:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        ii, jj = torch.triu_indices(10, 10)
        F_all = torch.cat([X, X[:, ii] * X[:, jj]], 1)
        F_all = F_all[:, F_all[tr].std(0) > 1e-9]  # the square of the two-valued sex column is constant: dropped
        F_all = (F_all - F_all[tr].mean(0)) / F_all[tr].std(0)
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        x, xt, yt = F_all[tr], F_all[te], Y[te]
        y = Y[tr] + c["noise"] * torch.randn(n_max, generator=g)
    D = x.shape[1]
    wv = torch.zeros(D)
    ridge, win = c.get("ridge") or 0.0, c.get("window")
    run = w.run(run_id, D, min(n_max, win or n_max),
                {"family": "linear-stream", "features": D, "stream": "window" if win else "grow"},
                settings(c, ("seed", "data", "p", "d", "N", "F", "noise", "dof", "n0", "k", "T", "n_max", "window",
                             "ridge", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])

    def current(e):
        m = stream_size(c, e)
        lo = max(0, m - win) if win else 0
        return lo, m

    cur, step = None, None
    xs, ys = x[:c["n0"]], y[:c["n0"]]
    e = 0
    for pt in pts:
        while e < pt:
            rng = current(e)
            if rng != cur:
                cur = rng
                xs, ys = x[cur[0]:cur[1]], y[cur[0]:cur[1]]
                if c["opt"] == "gd":
                    top = torch.linalg.eigvalsh(xs.T @ xs / len(xs))[-1].item()
                    step = c["lr"] / (top + ridge)
            m = len(xs)
            if c["opt"] == "gd":
                wv = wv - step * (xs.T @ (xs @ wv - ys) / m + ridge * wv)
            else:
                idx = torch.randperm(m, generator=g)
                for j in range(0, m, c["batch"]):
                    bi = idx[j:j + c["batch"]]
                    wv = wv - c["lr"] * (xs[bi].T @ (xs[bi] @ wv - ys[bi]) / len(bi) + ridge * wv)
            e += 1
        run.log(e, ((xs @ wv - ys) ** 2).mean(), ((xt @ wv - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_stream_grow():
    base = dict(data="linear", p=100, d=None, N=None, F=4.0, noise=1.0, dof=None, n0=10, k=5, T=20, n_max=150,
                window=None, ridge=None, opt="gd", lr=0.9, batch=None, epochs=3000, eval="log:30")
    rf = dict(data="rf", p=None, d=20, N=100)
    diabetes = dict(data="diabetes", p=None, F=None, noise=0.0, n_max=342)
    return stream_grow, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(T=5, eval="every:2"),
        dict(T=100, epochs=8000, eval="jitter:30"),
        dict(n_max=120, eval="every:3"),
        dict(n_max=200, eval="log:35"),
        dict(n_max=600, epochs=4000, eval="every:4"),
        dict(noise=0.5, eval="rand:300"),
        dict(noise=2.0, eval="every:5"),
        dict(F=1.0, eval="jitter:35"),
        dict(n_max=300, window=100, eval="log:30"),
        dict(n_max=300, window=150, eval="every:2"),
        dict(ridge=0.05, eval="every:10"),
        dict(opt="sgd", lr=0.01, batch=10, eval="every"),
        dict(k=1, T=4, eval="log:40"),
        dict(rf, eval="jitter:30"),
        dict(rf, n_max=300, eval="every:3"),
        dict(diabetes, seeds=(1, 2), eval="log:30"),
        dict(diabetes, window=80, eval="every:2"),
    ], lambda d: "%s-D%d%s-noise%g-n%d+%dper%d-to%d%s%s-%s" % (
        d["data"], d.get("p") or d.get("N") or 64, "-F%g" % d["F"] if d.get("F") else "", d["noise"], d["n0"], d["k"],
        d["T"], d["n_max"], "-window%d" % d["window"] if d.get("window") else "",
        "-ridge%g" % d["ridge"] if d.get("ridge") else "", d["opt"]))


FAMILIES = {"coteach-select": runs_coteach_select, "reg-schedule": runs_reg_schedule, "stream-grow": runs_stream_grow}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
