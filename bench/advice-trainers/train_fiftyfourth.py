#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fifty-fourth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 164 families of train.py ... train_fiftysecond.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is regression networks on scikit-learn's real tabular
sets and on synthetic counts, under robust or count losses and target noise, at sizes around where the model can just
fit its training set:

- huber-mlp-diabetes: a one-hidden-layer ReLU MLP on scikit-learn's diabetes (its 10 standardised columns, half of
  them times a small scale in part of the grid), trained on the Huber loss of training progressions with contaminated
  noise (Gaussian noise plus, for a share of the patients, a wide outlier); the hidden width swept through where the
  network can just fit the training patients. Train loss: the Huber loss of the noisy training targets (the
  objective); test loss: the squared error of the held-out patients' real (standardised) progression.
- linnerud-multiout: a multi-output network on scikit-learn's linnerud, all three physiological targets (weight, waist,
  pulse) at once from the three exercises, a shared tanh trunk read by three linear heads; 14 athletes for training
  (their standardised targets with Gaussian noise), the other 6 for testing; full batch. Train loss: the mean squared
  error over the three noisy training targets; test loss: that of the held-out athletes' real targets.
- poisson-mlp-counts: a one-hidden-layer ReLU MLP with a log link trained on the Poisson negative log-likelihood of
  synthetic counts whose rate, a tanh teacher of fast inputs plus a linear part of slow inputs at a small scale, is
  multiplied by a Gamma factor (negative-binomial, overdispersed counts); the width swept through where the network
  can just fit the training counts. Train loss: the Poisson NLL of the training counts; test loss: the excess expected
  Poisson NLL of 2,000 fresh inputs against their true rate (zero only for the true rate).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take from train_thirtyninth.py, and mlp_params, mlp_forward and
count from train_fortyeighth.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6
significant digits. No train or test error is sent (no share exists for these regressions).

    /usr/bin/python3 train_fiftyfourth.py --family huber-mlp-diabetes [--list] [--runs 0,3] [--out FILE]

Families (see README.md): huber-mlp-diabetes, linnerud-multiout, poisson-mlp-counts. Evaluation spacings: train.py's
'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K',
'mixlog:A:K', 'geom:G', 'burst:P:B'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as fn  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, take  # noqa: E402
from train_fortyeighth import count, mlp_forward, mlp_params  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64


def make_opt(c, params):
    """Adam ('adam'), SGD with heavy-ball momentum 0.9 ('momentum'), plain SGD ('sgd') or RMSprop ('rmsprop', alpha
    0.99) at step lr, with L2 weight decay wd (coupled, PyTorch's weight_decay) where set."""
    o, lr, wd = c["opt"], c["lr"], c.get("wd") or 0.0
    if o == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if o == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=wd)
    if o == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd)


def contaminated(g, m, sigma, p_out, out):
    """m draws of target noise: N(0, sigma^2), and for a share p_out of them (drawn from g) N(0, out^2) instead."""
    sd = torch.full((m,), float(sigma), dtype=F64)
    if p_out:
        sd = torch.where(torch.rand(m, generator=g, dtype=F64) < p_out, torch.full_like(sd, float(out)), sd)
    return sd * torch.randn(m, generator=g, dtype=F64)


def noise_name(d):
    s = "sig%g" % d["sigma"] if d.get("sigma") else "clean"
    return s + ("-out%g" % d["p_out"] if d.get("p_out") else "")


# ---------------------------------------------------------------------------------------------------- huber-mlp-diabetes


def diabetes_data(g, c):
    """scikit-learn's diabetes (442 patients, 10 columns), split at random (g) into n training patients and the rest
    for testing; columns and progression standardised on the training patients, the 10 columns times s where set, and
    q nuisance columns N(0, 1) (drawn from g, unrelated to the progression) appended where set; the training
    progressions plus contaminated noise (sigma, p_out, out), the test progressions clean."""
    from sklearn.datasets import load_diabetes
    X, Y = load_diabetes(return_X_y=True)
    X, Y = torch.tensor(X, dtype=F64), torch.tensor(Y, dtype=F64)
    perm = torch.randperm(len(Y), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    Y = (Y - Y[tr].mean()) / Y[tr].std()
    if c.get("s"):
        X = X * c["s"]
    if c.get("q"):
        X = torch.cat([X, torch.randn(len(X), c["q"], generator=g, dtype=F64)], 1)
    y = Y[tr] + contaminated(g, len(tr), c.get("sigma") or 0.0, c.get("p_out"), c.get("out"))
    return X[tr], y, X[te], Y[te]


def huber_mlp_diabetes(w, run_id, c):
    """A ReLU MLP 10 (+ q) -> h -> 1 (two hidden layers of h where depth is 2), float64, weights and biases U(+-1 /
    sqrt(fan-in)) from the run's generator. Data: diabetes_data. Loss: the Huber loss at delta (the squared error
    where delta is None). Optimizer: make_opt on minibatches. Train loss: the objective on the noisy training targets;
    test loss: the mean squared error of the held-out patients' real standardised progression."""
    g = torch.Generator().manual_seed(541_000 + c["seed"])
    x, y, xt, yt = diabetes_data(g, c)
    h = c["h"]
    params = mlp_params(g, [x.shape[1]] + [h] * (c.get("depth") or 1) + [1])
    opt = make_opt(c, params)
    delta = c.get("delta")

    def loss(f, t):
        return fn.huber_loss(f, t, delta=delta) if delta else ((f - t) ** 2).mean()

    def step(idx):
        opt.zero_grad()
        loss(mlp_forward(params, take(x, idx))[:, 0], take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(x), {"family": "relu-mlp", "width": h, "depth": c.get("depth") or 1,
                                                "inputs": x.shape[1]},
                settings(c, ("seed", "n", "s", "q", "sigma", "p_out", "out", "h", "depth", "delta", "opt", "lr", "wd", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "huber" if delta else "mse", "test_loss": "clean-mse",
                   "points_per_weight": "%.3g" % (len(x) / count(params))})

    def log(e, final):
        run.log(e, loss(mlp_forward(params, x)[:, 0], y), ((mlp_forward(params, xt)[:, 0] - yt) ** 2).mean(),
                final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_huber_mlp_diabetes():
    # The logic: 150 training patients, one progression each; the ReLU MLP over the 10 columns has 12 h + 1 weights,
    # so by count it can just fit them near h 12, and in practice (the targets' noise, Gaussian 0.5 plus, for 10% of
    # the patients, an outlier of std 3) a little above. The sweep of h (4, 8, 12, 16 at the base at 2 seeds, 24, 48,
    # 128) crosses it under the Huber loss at delta 1 (the squared error inside, the absolute error outside), Adam at
    # 0.01 on minibatches of 25, 400 epochs; the loss moved one thing at a time: delta 0.3 and 3, the plain squared
    # error; the noise: clean targets, 30% outliers, Gaussian 1.0 alone; 100 and 300 patients; two hidden layers; the
    # columns at scale 0.1 beside 5 nuisance columns N(0, 1) (fast inputs that carry nothing); momentum SGD at 0.02;
    # weight decay 0.01, and 0.1 at h 48; Adam at 0.05 on minibatches of 10. Evaluation spacing mixed.
    base = dict(n=150, s=None, q=None, sigma=0.5, p_out=0.1, out=3.0, h=16, depth=None, delta=1.0, opt="adam",
                lr=0.01, wd=None, batch=25, epochs=400, eval="every:2")
    return huber_mlp_diabetes, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every"),
        dict(h=8, eval="jitter:40"),
        dict(h=12, eval="every:2"),
        dict(h=24, eval="geom:3"),
        dict(h=48, eval="every:3"),
        dict(h=128, eval="mixed:40:4"),
        dict(delta=0.3, eval="every:2"),
        dict(delta=3.0, eval="every"),
        dict(delta=None, eval="log:40"),
        dict(sigma=None, p_out=None, out=None, eval="every:2"),
        dict(p_out=0.3, eval="burst:20:5"),
        dict(sigma=1.0, p_out=None, out=None, eval="every:4"),
        dict(n=100, eval="every:2"),
        dict(n=300, eval="mixlog:30:40"),
        dict(depth=2, eval="every:2"),
        dict(s=0.1, q=5, eval="every:2"),
        dict(opt="momentum", lr=0.02, eval="rand:120"),
        dict(wd=0.01, eval="every:2"),
        dict(wd=0.1, h=48, eval="every:3"),
        dict(lr=0.05, batch=10, eval="every"),
    ], lambda d: "n%d%s%s-%s-h%d%s-%s-%s-lr%g%s-b%s" % (
        d["n"], "-s%g" % d["s"] if d.get("s") else "", "-q%d" % d["q"] if d.get("q") else "", noise_name(d), d["h"],
        "x%d" % d["depth"] if d.get("depth") else "", "huber%g" % d["delta"] if d.get("delta") else "mse", d["opt"],
        d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "", d.get("batch") or "full"))


# ---------------------------------------------------------------------------------------------------- linnerud-multiout


def linnerud_data(g, c):
    """scikit-learn's linnerud (20 athletes; chins, situps, jumps -> weight, waist, pulse), split at random (g) into
    n training athletes and the rest for testing, inputs and targets standardised on the training athletes, the
    situps column times s where set; Gaussian noise sigma (contaminated: p_out, out) on each training target."""
    from sklearn.datasets import load_linnerud
    data = load_linnerud()
    X, Y = torch.tensor(data.data, dtype=F64), torch.tensor(data.target, dtype=F64)
    perm = torch.randperm(len(Y), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    Y = (Y - Y[tr].mean(0)) / Y[tr].std(0)
    if c.get("s"):
        X[:, 1] *= c["s"]
    noise = contaminated(g, 3 * len(tr), c.get("sigma") or 0.0, c.get("p_out"), c.get("out")).view(len(tr), 3)
    return X[tr], Y[tr] + noise, X[te], Y[te]


def linnerud_multiout(w, run_id, c):
    """A multi-output network, float64: a shared trunk 3 -> h (tanh; 'relu' where act says so), weights and biases
    U(+-1 / sqrt(fan-in)) times init from the run's generator, read by three linear heads h -> 1 (one per target,
    the rows of one h -> 3 matrix, U(+-1 / sqrt(h))). Data: linnerud_data. Loss: the mean squared error over the three
    targets (weights 1, 1, 1). Optimizer: make_opt, full batch (or minibatches of `batch`). Train loss: that of the
    noisy training targets; test loss: that of the held-out athletes' real targets."""
    g = torch.Generator().manual_seed(542_000 + c["seed"])
    x, y, xt, yt = linnerud_data(g, c)
    h = c["h"]
    init = c.get("init") or 1.0
    trunk = [uniform(g, 3, h, 3).double() * init, uniform(g, 3, h).double() * init]
    heads = [uniform(g, h, 3, h).double(), uniform(g, h, 3).double()]
    params = leaves(trunk + heads)
    act = torch.relu if c.get("act") == "relu" else torch.tanh
    opt = make_opt(c, params)

    def forward(z):
        return act(z @ params[0].T + params[1]) @ params[2].T + params[3]

    def mse(f, t):
        return ((f - t) ** 2).mean()

    def step(idx):
        opt.zero_grad()
        mse(forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(x), {"family": "shared-trunk-multiout", "width": h, "targets": 3,
                                                "activation": c.get("act") or "tanh"},
                settings(c, ("seed", "n", "s", "q", "sigma", "p_out", "out", "h", "act", "init", "opt", "lr", "wd", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "mse-3-targets", "test_loss": "clean-mse-3-targets",
                   "numbers_per_weight": "%.3g" % (3 * len(x) / count(params))},
                output_dim=3)

    def log(e, final):
        run.log(e, mse(forward(x), y), mse(forward(xt), yt), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_linnerud_multiout():
    # The logic: 14 training athletes, three targets each, 42 numbers to fit; the trunk 3 -> h and the three heads
    # have 7 h + 3 weights, so by count the network can just fit them near h 6 (the base, at 2 seeds). The sweep of h
    # (2, 3, 4, 6, 8, 12, 24, 64) crosses it under Gaussian noise 0.3 on every standardised training target; full-batch
    # Adam at 0.01, 2,000 epochs. One thing at a time besides: clean targets, noise 0.6, contaminated noise (20% of
    # the targets at std 1.5), the situps column at scale 0.3, ReLU for tanh, a small start (the trunk times 0.1, at
    # h 24), momentum SGD at 0.05, plain SGD at 0.1 (h 64), weight decay 0.01, 16 athletes for training (4 held out),
    # Adam at 0.003. Evaluation spacing mixed (log and jittered grids, every 5th epoch, geometric gaps, bursts).
    base = dict(n=14, s=None, sigma=0.3, p_out=None, out=None, h=6, act=None, init=None, opt="adam", lr=0.01,
                wd=None, batch=None, epochs=2000, eval="log:40")
    return linnerud_multiout, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=2, eval="every:5"),
        dict(h=3, eval="jitter:40"),
        dict(h=4, eval="log:40"),
        dict(h=8, eval="geom:6"),
        dict(h=12, eval="every:5"),
        dict(h=24, eval="mixed:50:10"),
        dict(h=64, eval="log:40"),
        dict(sigma=None, eval="jitter:40"),
        dict(sigma=0.6, eval="every:5"),
        dict(p_out=0.2, out=1.5, eval="mixlog:30:40"),
        dict(s=0.3, eval="log:40"),
        dict(act="relu", eval="every:4"),
        dict(h=24, init=0.1, eval="burst:100:10"),
        dict(opt="momentum", lr=0.05, eval="rand:200"),
        dict(opt="sgd", lr=0.1, h=64, eval="log:40"),
        dict(wd=0.01, eval="every:5"),
        dict(n=16, eval="jitter:40"),
        dict(lr=0.003, eval="geom:5"),
    ], lambda d: "n%d%s-%s-h%d%s%s-%s-lr%g%s" % (
        d["n"], "-s%g" % d["s"] if d.get("s") else "", noise_name(d), d["h"], "-" + d["act"] if d.get("act") else "",
        "-init%g" % d["init"] if d.get("init") else "", d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- poisson-mlp-counts


def gamma_factor(g, m, k):
    """m draws of a Gamma(k, 1 / k) factor (mean 1, variance 1 / k) from g: k a whole number, the mean of k
    exponentials; k 0.5, a squared normal (chi-square of 1 degree of freedom, over 1)."""
    if k == 0.5:
        return torch.randn(m, generator=g, dtype=F64) ** 2
    k = int(k)
    e = -torch.log(torch.rand(m, k, generator=g, dtype=F64).clamp_min(1e-300))
    return e.sum(1) / k


def count_data(g, c):
    """Synthetic counts: df fast inputs N(0, 1) and ds slow ones s N(0, 1); the true log rate log(m0) + sqrt(F) times a
    standardised tanh teacher of 4 units of the fast inputs + the slow inputs along a unit direction at unit scale
    times sqrt(S), clamped to [-6, 4] about log(m0); each count Poisson(rate times a Gamma(k, 1 / k) factor) (negative
    binomial; plain Poisson where k is None), drawn with g; n training points, 2,000 fresh test points (their true
    rates kept)."""
    df, ds, s = c["df"], c["ds"], c["s"]
    U = torch.randn(df, 4, generator=g, dtype=F64) / math.sqrt(df)
    v = torch.randn(4, generator=g, dtype=F64)
    u = torch.randn(ds, generator=g, dtype=F64)
    u = u / u.norm()
    raw = torch.tanh(2 * torch.randn(4000, df, generator=g, dtype=F64) @ U) @ v
    mean, sd = raw.mean().item(), raw.std().item()

    def draw(m):
        x = torch.cat([torch.randn(m, df, generator=g, dtype=F64), s * torch.randn(m, ds, generator=g, dtype=F64)], 1)
        eta = math.sqrt(c["F"]) * (torch.tanh(2 * x[:, :df] @ U) @ v - mean) / sd + math.sqrt(c["S"]) * (
            x[:, df:] / s) @ u
        return x, c["m0"] * torch.exp(eta.clamp(-6.0, 4.0))

    x, mu = draw(c["n"])
    xt, mut = draw(2000)
    lam = mu * gamma_factor(g, len(mu), c["k"]) if c.get("k") else mu
    y = torch.poisson(lam, generator=g)
    return x, y, xt, mut


def poisson_mlp_counts(w, run_id, c):
    """A ReLU MLP d -> h -> 1 with a log link, float64, weights and biases U(+-1 / sqrt(fan-in)) from the run's
    generator, the output bias set to the log of the training counts' mean. Data: count_data. Loss: the mean Poisson
    NLL, exp(f) - y f + log(y!). Optimizer: make_opt on minibatches, each minibatch's gradient norm clipped to clip
    where set. Train loss: the Poisson NLL of the training counts; test loss: the excess expected NLL of the fresh
    inputs against their true rate mu, mean(exp(f) - mu - mu (f - log mu)), zero only at f = log mu."""
    g = torch.Generator().manual_seed(543_000 + c["seed"])
    x, y, xt, mut = count_data(g, c)
    h = c["h"]
    params = mlp_params(g, [x.shape[1], h, 1])
    with torch.no_grad():
        params[-1].fill_(math.log(y.mean().item()))
    opt = make_opt(c, params)
    lgy = torch.lgamma(y + 1)

    def nll(f, t, lg):
        return (torch.exp(f) - t * f + lg).mean()

    def step(idx):
        opt.zero_grad()
        nll(mlp_forward(params, take(x, idx))[:, 0], take(y, idx), take(lgy, idx)).backward()
        if c.get("clip"):
            torch.nn.utils.clip_grad_norm_(params, c["clip"])
        opt.step()

    run = w.run(run_id, count(params), len(x), {"family": "relu-mlp-log-link", "width": h, "inputs": x.shape[1]},
                settings(c, ("seed", "n", "df", "ds", "s", "F", "S", "m0", "k", "h", "opt", "lr", "wd", "clip", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "poisson-nll", "test_loss": "excess-expected-poisson-nll",
                   "points_per_weight": "%.3g" % (len(x) / count(params))})

    def log(e, final):
        ft = mlp_forward(params, xt)[:, 0]
        run.log(e, nll(mlp_forward(params, x)[:, 0], y, lgy), (torch.exp(ft) - mut - mut * (ft - torch.log(mut))).mean(),
                final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_poisson_mlp_counts():
    # The logic: 300 training counts (mean about 3-4) over 8 fast and 4 slow inputs (scale 0.1); the MLP has 14 h + 1
    # weights, so by count it can just fit them near h 21 (the base h 24, at 2 seeds), the Gamma factor of shape 2
    # (variance 1 / 2 on the rate) giving it plenty of noise to fit. The sweep of h (4, 8, 16, 24, 32, 64, 128)
    # crosses it under Adam at 0.005 on minibatches of 30, 300 epochs. One thing at a time besides: plain Poisson
    # counts, Gamma shapes 1 and 0.5 (heavier overdispersion), no slow part (S 0), the slow inputs at 0.3, low counts
    # (m0 1), 150 and 600 points, momentum SGD at 0.01 with the gradient clipped to norm 1, RMSprop at 0.002, Adam at
    # 0.02, weight decay 0.001. Evaluation spacing mixed.
    base = dict(n=300, df=8, ds=4, s=0.1, F=0.5, S=1.0, m0=3.0, k=2, h=24, opt="adam", lr=0.005, wd=None, clip=None,
                batch=30, epochs=300, eval="every:2")
    return poisson_mlp_counts, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every"),
        dict(h=8, eval="jitter:40"),
        dict(h=16, eval="every:2"),
        dict(h=32, eval="geom:3"),
        dict(h=64, eval="every:3"),
        dict(h=128, eval="mixed:40:4"),
        dict(k=None, eval="every:2"),
        dict(k=1, eval="every"),
        dict(k=0.5, eval="burst:20:5"),
        dict(S=0.0, eval="every:2"),
        dict(s=0.3, eval="log:40"),
        dict(m0=1.0, eval="every:2"),
        dict(n=150, eval="every"),
        dict(n=600, eval="every:4"),
        dict(opt="momentum", lr=0.01, clip=1.0, eval="rand:120"),
        dict(opt="rmsprop", lr=0.002, eval="every:2"),
        dict(lr=0.02, eval="mixlog:30:40"),
        dict(wd=0.001, eval="every:3"),
    ], lambda d: "n%d-df%d-ds%d-s%g-S%g-m%g-%s-h%d-%s-lr%g%s" % (
        d["n"], d["df"], d["ds"], d["s"], d["S"], d["m0"], "nb%g" % d["k"] if d.get("k") else "poisson", d["h"],
        d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


FAMILIES = {"huber-mlp-diabetes": runs_huber_mlp_diabetes, "linnerud-multiout": runs_linnerud_multiout,
            "poisson-mlp-counts": runs_poisson_mlp_counts}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
