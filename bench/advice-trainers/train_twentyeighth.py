#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, twenty-eighth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping* or
*Advice* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no Maven and not
the descentwatch launcher was run; each family's grid was set from its own logic and committed before any of its runs
was trained or looked at, revised at most once (README.md says where and why), and the runs were sorted by census.py
alone), and made to differ from the eighty-nine families of train.py ... train_twentyseventh.py in model, loss,
optimizer, noise and data: an MLP over learned embeddings of two residues trained on a share of the table of a
modular operation (addition, subtraction, multiplication or a quadratic form mod p) by AdamW with decoupled weight
decay, Adam with coupled L2 or heavy ball, some training labels replaced at random, judged by the cross-entropy on the
held-out pairs of the table (the grokking setting of Power et al. 2022); an echo-state network, a fixed random
reservoir of fast and leaky slow units driven by an input series, whose linear readout alone is trained by gradient
descent, heavy ball, Adam or momentum minibatches on noisy targets (a fast nonlinear function of the last inputs plus
a slow moving average, or the NARMA-10 system), judged on the clean targets of a later stretch of the series; and a
Cox proportional-hazards model, a linear or tanh-network log-risk trained on the Breslow partial likelihood of
censored exponential survival times (covariates at two scales or scikit-learn's diabetes with irrelevant columns, an
unobserved frailty), judged by the centred squared error of the log-risk on fresh subjects or by their stratified
partial likelihood. The file format, determinism and helpers are the earlier files': Writer, the command line and
two_scale_inputs from train.py, epochs_of, settings and lr_factor from train_more.py, dict_runs from train_seventh.py,
batches and top_eig from train_twentyfirst.py; one thread, every random draw from a seeded torch.Generator, synthetic
event times, 6 significant digits.

    /usr/bin/python3 train_twentyeighth.py --family modular-grok [--list] [--runs 0,3] [--out FILE]

Families (see README.md): modular-grok, esn-readout, cox-partial. Evaluation spacings: train.py's 'every',
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
from train import two_scale_inputs  # noqa: E402
from train_more import epochs_of, lr_factor, settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches, top_eig  # noqa: E402

torch.set_num_threads(1)


def set_lr(opt, lr):
    for group in opt.param_groups:
        group["lr"] = lr


# ---------------------------------------------------------------------------------------------------- modular-grok


OPS = {"add": lambda a, b, p: (a + b) % p, "sub": lambda a, b, p: (a - b) % p, "mul": lambda a, b, p: (a * b) % p,
       "quad": lambda a, b, p: (a * a + a * b + b * b) % p}


def grok_data(g, c):
    """(a, b, y, at, bt, yt): the p^2 pairs of residues (a, b) mod p, labelled by the operation c['op'] mod p; a share
    c['frac'] of them (a seeded permutation) for training, the others for testing; a share c['flip'] of the training
    labels replaced by another residue at random (the test labels clean)."""
    p = c["p"]
    a = torch.arange(p).repeat_interleave(p)
    b = torch.arange(p).repeat(p)
    y = OPS[c["op"]](a, b, p)
    perm = torch.randperm(p * p, generator=g)
    ntr = int(round(c["frac"] * p * p))
    tr, te = perm[:ntr], perm[ntr:]
    ytr = y[tr].clone()
    if c.get("flip"):
        flip = torch.rand(ntr, generator=g) < c["flip"]
        ytr[flip] = (ytr[flip] + torch.randint(1, p, (int(flip.sum()),), generator=g)) % p
    return a[tr], b[tr], ytr, a[te], b[te], y[te]


def modular_grok(w, run_id, c):
    """An MLP on modular arithmetic (the grokking setting of Power et al. 2022; an MLP over learned embeddings as in Liu
    et al. 2022), float32: the residues a and b embedded by one learned table E (p x de), [E[a], E[b]] -> h units
    (ReLU, or the square as in Gromov 2023) -> p logits; E from alpha times standard normals, the layers from alpha /
    sqrt(fan-in) times them, biases zero (alpha the initialisation scale, larger in Omnigrok's sense). Objective: the
    cross-entropy of the (partly flipped) training labels; AdamW (decoupled weight decay c['wd'] on every parameter),
    Adam with coupled L2 ('adam', torch's weight_decay) or heavy ball ('hb', momentum c['mom'], L2 c['wd']), full batch
    or minibatches of c['batch'], the step constant or under a cosine decay (lr_factor). Train loss: the cross-entropy
    of the training labels (errors too); test loss: the cross-entropy on the held-out pairs, clean labels (errors too).
    Data: grok_data. Grid (runs_modular_grok; 21 settings, 1-2 seeds, 22 runs): the base, addition mod 31, 40% of the
    961 pairs for training, no flips, de 32, h 128 (ReLU; 8,191 weights), alpha 1, full-batch AdamW at 0.002 with
    weight decay 1, 3,000 epochs (2 seeds); one setting at a time weight decay 0, 0.3 or 3, 25%, 60% or 80% of the
    pairs, p 23, p 47 (2,000 epochs), subtraction, multiplication, the quadratic form a^2 + ab + b^2, 10% or 30% of the
    training labels flipped, alpha 3, width 32, the square activation, Adam at 0.002 with coupled L2 0.01, heavy ball
    at 0.05 (momentum 0.9, L2 0.01), minibatches of 64 (600 epochs), and a cosine decay of the step."""
    g = torch.Generator().manual_seed(104_000 + c["seed"])
    a, b, y, at, bt, yt = grok_data(g, c)
    p, de, h, alpha = c["p"], c["de"], c["h"], c["alpha"]
    params = [alpha * torch.randn(p, de, generator=g),
              alpha * torch.randn(2 * de, h, generator=g) / math.sqrt(2 * de), torch.zeros(h),
              alpha * torch.randn(h, p, generator=g) / math.sqrt(h), torch.zeros(p)]
    for q in params:
        q.requires_grad_()
    E, W1, b1, W2, b2 = params
    if c["opt"] == "adamw":
        opt = torch.optim.AdamW(params, lr=c["lr"], weight_decay=c["wd"])
    elif c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"], weight_decay=c["wd"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=c["wd"])
    ce = torch.nn.functional.cross_entropy

    def forward(u, v):
        z = torch.cat([E[u], E[v]], 1) @ W1 + b1
        return (torch.relu(z) if c["act"] == "relu" else z * z) @ W2 + b2

    run = w.run(run_id, sum(q.numel() for q in params), len(y),
                {"family": "modular-mlp-" + c["act"], "modulus": p, "embedding_dim": de, "width": h},
                settings(c, ("seed", "op", "p", "frac", "flip", "de", "h", "act", "alpha", "opt", "lr", "mom", "wd",
                             "sched", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy", "test_loss": "heldout-pairs-cross-entropy"},
                output_dim=p)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for pt in pts:
        while e < pt:
            set_lr(opt, c["lr"] * lr_factor(c, e, c["epochs"]))
            for idx in batches(g, len(y), c.get("batch")):
                ab, bb, yb = (a, b, y) if idx is None else (a[idx], b[idx], y[idx])
                opt.zero_grad()
                ce(forward(ab, bb), yb).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            out, out_t = forward(a, b), forward(at, bt)
            run.log(e, ce(out, y), ce(out_t, yt), (out.argmax(1) != y).float().mean(),
                    (out_t.argmax(1) != yt).float().mean(), final=e == pts[-1])


def runs_modular_grok():
    base = dict(op="add", p=31, frac=0.4, flip=None, de=32, h=128, act="relu", alpha=1.0, opt="adamw", lr=0.002,
                mom=None, wd=1.0, sched="const", batch=None, epochs=3000, eval="log:35")
    return modular_grok, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(wd=0.0, eval="every:10"),
        dict(wd=0.3, eval="jitter:35"),
        dict(wd=3.0, eval="every:8"),
        dict(frac=0.25, eval="log:40"),
        dict(frac=0.6, eval="every:6"),
        dict(frac=0.8, eval="jitter:30"),
        dict(p=23, eval="log:30"),
        dict(p=47, epochs=2000, eval="every:10"),
        dict(op="sub", eval="rand:300"),
        dict(op="mul", eval="every:12"),
        dict(op="quad", eval="log:35"),
        dict(flip=0.1, eval="every:5"),
        dict(flip=0.3, eval="jitter:35"),
        dict(alpha=3.0, eval="log:35"),
        dict(h=32, eval="every:16"),
        dict(act="square", eval="every:20"),
        dict(opt="adam", wd=0.01, eval="every:10"),
        dict(opt="hb", lr=0.05, mom=0.9, wd=0.01, eval="log:35"),
        dict(batch=64, epochs=600, eval="every"),
        dict(sched="cosine", eval="jitter:30"),
    ], lambda d: "%s-p%d-frac%g%s-de%d-h%d-%s-alpha%g-%s%g-wd%g-%s%s" % (
        d["op"], d["p"], d["frac"], "-flip%g" % d["flip"] if d.get("flip") else "", d["de"], d["h"], d["act"],
        d["alpha"], d["opt"], d["lr"], d["wd"], d["sched"], "-b%d" % d["batch"] if d.get("batch") else "-fullbatch"))


# ---------------------------------------------------------------------------------------------------- esn-readout


def esn_series(g, c, T):
    """(u, y): T steps of the input fed to the reservoir and of the clean target. 'twoscale': u uniform on [-1, 1];
    the target sqrt(F) times a fast part, a random tanh teacher of the last 4 inputs (8 units, v_j tanh(w_j . window),
    w_j standard normals, v_j too), standardised over the T steps, plus sqrt(S) times a slow part, the exponential
    moving average of u at rate c['rate'] (m_t = (1 - rate) m_(t-1) + rate u_t), standardised. 'narma': the NARMA-10
    system y_t = 0.3 y_(t-1) + 0.05 y_(t-1) (y_(t-1) + ... + y_(t-10)) + 1.5 v_(t-10) v_(t-1) + 0.1 driven by v
    uniform on [0, 0.5], fed to the reservoir as u = 4 (v - 0.25)."""
    if c["data"] == "narma":
        v = (0.5 * torch.rand(T, generator=g)).tolist()
        y = [0.0] * T
        for t in range(10, T):
            y[t] = 0.3 * y[t - 1] + 0.05 * y[t - 1] * sum(y[t - 10:t]) + 1.5 * v[t - 10] * v[t - 1] + 0.1
        return 4 * (torch.tensor(v) - 0.25), torch.tensor(y)
    u = 2 * torch.rand(T, generator=g) - 1
    L = 4
    win = torch.stack([torch.cat([torch.zeros(k), u[:T - k]]) for k in range(L)], 1)
    Wt = torch.randn(L, 8, generator=g)
    vt = torch.randn(8, generator=g)
    fast = torch.tanh(win @ Wt) @ vt
    m, ms, r = 0.0, [], c["rate"]
    for x in u.tolist():
        m = (1 - r) * m + r * x
        ms.append(m)
    slow = torch.tensor(ms)

    def std(z):
        return (z - z.mean()) / z.std()

    return u, math.sqrt(c["F"]) * std(fast) + math.sqrt(c["S"]) * std(slow)


def esn_readout(w, run_id, c):
    """An echo-state network (Jaeger 2001; leaky units as in Jaeger et al. 2007), float64: a fixed reservoir of Nf fast
    units (leak 1) and Ns slow ones (leak c['leak']), x_t = (1 - leak) x_(t-1) + leak tanh(W x_(t-1) + w_in u_t + b),
    W standard normals kept with probability 0.1 and scaled to spectral radius c['rho'], w_in and b uniform on [-1, 1]
    and [-0.2, 0.2]; only the linear readout y_t = q . [x_t, u_t] + q0 is trained (from zero), on half the squared error
    of noisy targets plus c['l2'] |q|^2 / 2 where set: full-batch gradient descent ('gd', step c['lr'] over the largest
    eigenvalue of the features' second moment with the constant), heavy ball ('hb', momentum 0.9, same scaling),
    momentum minibatches ('sgd', same scaling) or Adam (step c['lr']). The series: esn_series, 200 washout steps, then
    n training steps whose targets carry Gaussian noise c['noise'], then 2,000 test steps. Train loss: the squared error
    on the noisy training targets; test loss: the squared error against the clean targets of the 2,000 steps after
    the training part. Grid (runs_esn_readout; 20 settings, 1-2 seeds, 21 runs): the base 'twoscale', F 1, S 1, rate
    0.02, Nf 200 fast and Ns 50 slow units at leak 0.03, rho 0.9, n 300, noise 0.3, gradient descent at 1, 20,000 epochs
    (2 seeds); one setting at a time Nf 100, 300 (the training steps' count) or 600, no slow units, slow leak 0.1 or
    0.01, rho 0.5 or 1.1, noise 0.1 or 0.6, n 150 or 1,000, no slow part (S 0), l2 0.001, heavy ball at 0.1 (5,000
    epochs), Adam at 0.001 (5,000 epochs), minibatches of 20 under momentum 0.9 at 0.1 (1,000 epochs); and NARMA-10
    (noise 0.05) with Nf 200 and with Nf 300."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(105_000 + c["seed"])
    wash, n = 200, c["n"]
    T = wash + n + 2000
    u, y = esn_series(g, c, T)
    Nf, Ns = c["Nf"], c["Ns"]
    N = Nf + Ns
    W = torch.randn(N, N, generator=g) * (torch.rand(N, N, generator=g) < 0.1)
    W = W * (c["rho"] / torch.linalg.eigvals(W).abs().max())
    w_in = 2 * torch.rand(N, generator=g) - 1
    bias = 0.2 * (2 * torch.rand(N, generator=g) - 1)
    leak = torch.cat([torch.ones(Nf), torch.full((Ns,), c["leak"] if Ns else 1.0)])
    xs, x = [], torch.zeros(N)
    for t in range(T):
        x = (1 - leak) * x + leak * torch.tanh(W @ x + w_in * u[t] + bias)
        xs.append(x)
    feats = torch.cat([torch.stack(xs), u.unsqueeze(1)], 1)
    ftr, ytr = feats[wash:wash + n], y[wash:wash + n] + c["noise"] * torch.randn(n, generator=g)
    fte, yte = feats[wash + n:], y[wash + n:]
    q = torch.zeros(N + 1, requires_grad=True)
    q0 = torch.zeros(1, requires_grad=True)
    lr = c["lr"] if c["opt"] == "adam" else c["lr"] / top_eig(ftr)
    if c["opt"] == "adam":
        opt = torch.optim.Adam([q, q0], lr=lr)
    else:
        opt = torch.optim.SGD([q, q0], lr=lr, momentum=0.0 if c["opt"] == "gd" else 0.9)
    l2 = c.get("l2") or 0.0

    def mse(f, t):
        return ((f @ q + q0 - t) ** 2).mean()

    run = w.run(run_id, N + 2, n,
                {"family": "echo-state-readout", "fast_units": Nf, "slow_units": Ns, "spectral_radius": c["rho"]},
                settings(c, ("seed", "data", "F", "S", "rate", "Nf", "Ns", "leak", "rho", "n", "noise", "l2", "opt",
                             "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "test_loss": "later-segment-clean-mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for idx in batches(g, n, c.get("batch")):
                fb, yb = (ftr, ytr) if idx is None else (ftr[idx], ytr[idx])
                opt.zero_grad()
                loss = 0.5 * mse(fb, yb)
                if l2:
                    loss = loss + 0.5 * l2 * (q * q).sum()
                loss.backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, mse(ftr, ytr), mse(fte, yte), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_esn_readout():
    base = dict(data="twoscale", F=1.0, S=1.0, rate=0.02, Nf=200, Ns=50, leak=0.03, rho=0.9, n=300, noise=0.3,
                l2=None, opt="gd", lr=1.0, batch=None, epochs=20000, eval="log:35")
    narma = dict(data="narma", F=None, S=None, rate=None, noise=0.05)
    return esn_readout, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(Nf=100, eval="every:20"),
        dict(Nf=300, eval="jitter:35"),
        dict(Nf=600, eval="log:30"),
        dict(Ns=0, leak=None, eval="every:25"),
        dict(leak=0.1, eval="rand:300"),
        dict(leak=0.01, eval="log:40"),
        dict(rho=0.5, eval="every:20"),
        dict(rho=1.1, eval="jitter:30"),
        dict(noise=0.1, eval="every:16"),
        dict(noise=0.6, eval="log:35"),
        dict(n=150, eval="every:10"),
        dict(n=1000, eval="log:35"),
        dict(S=0.0, eval="every:20"),
        dict(l2=0.001, eval="jitter:35"),
        dict(opt="hb", lr=0.1, epochs=5000, eval="every:5"),
        dict(opt="adam", lr=0.001, epochs=5000, eval="log:35"),
        dict(opt="sgd", lr=0.1, batch=20, epochs=1000, eval="every"),
        dict(narma, eval="log:35"),
        dict(narma, Nf=300, eval="every:10"),
    ], lambda d: "%s%s-Nf%d-Ns%d%s-rho%g-n%d-noise%g%s-%s%g%s" % (
        d["data"], "-F%g-S%g-rate%g" % (d["F"], d["S"], d["rate"]) if d["data"] == "twoscale" else "", d["Nf"],
        d["Ns"], "-leak%g" % d["leak"] if d.get("leak") else "", d["rho"], d["n"], d["noise"],
        "-l2%g" % d["l2"] if d.get("l2") else "", d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else ""))


# ---------------------------------------------------------------------------------------------------- cox-partial


def cox_data(g, c):
    """(x, time, event, xt, eta_t, time_t, event_t): n training and m test subjects. 'synth': train.py's two-scale
    inputs, df of scale 1 and ds of scale s, the true log-hazard eta = x . theta, a fast part of power F and a slow
    part of power S at unit scale (two_scale_regression's teacher); m 2,000. 'diabetes': scikit-learn's 442 patients, n
    for training and the others (m 142) for testing, the ten inputs standardised on the training patients next to nz
    irrelevant standard normal columns, eta = A times the progression standardised on the training patients. Survival
    times exponential with hazard exp(eta + frailty z), z a standard normal per subject (unobserved); censoring times
    exponential at rate c['cens'] (none where 0); observed the earlier of the two and whether it is the event."""
    if c["data"] == "diabetes":
        from sklearn.datasets import load_diabetes
        X, Y = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(X), torch.tensor(Y)
        perm = torch.randperm(len(Y), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        X = torch.cat([X, torch.randn(len(Y), c["nz"], generator=g)], 1)
        eta = c["A"] * (Y - Y[tr].mean()) / Y[tr].std()
        x, xt, eta_tr, eta_t = X[tr], X[te], eta[tr], eta[te]
    else:
        df, ds, s = c["df"], c["ds"], c["s"]
        theta = torch.cat([torch.randn(df, generator=g) * math.sqrt(c["F"] / df),
                           torch.randn(ds, generator=g) * math.sqrt(c["S"] / max(ds, 1)) / s])
        x = two_scale_inputs(g, c["n"], df, ds, s)
        xt = two_scale_inputs(g, 2000, df, ds, s)
        eta_tr, eta_t = x @ theta, xt @ theta

    def times(eta):
        m = len(eta)
        tt = -torch.log(torch.rand(m, generator=g)) * torch.exp(-(eta + c["frailty"] * torch.randn(m, generator=g)))
        if not c["cens"]:
            return tt, torch.ones(m)
        cc = -torch.log(torch.rand(m, generator=g)) / c["cens"]
        return torch.minimum(tt, cc), (tt <= cc).double()

    time, event = times(eta_tr)
    time_t, event_t = times(eta_t)
    return x, time, event, xt, eta_t, time_t, event_t


def partial_nll(eta, event):
    """Minus the Breslow partial log-likelihood per event, the rows in order of decreasing time (each row's risk set
    the rows before it and itself); along the last dimension, so strata can be rows of a matrix."""
    return -((eta - torch.logcumsumexp(eta, -1)) * event).sum() / event.sum()


def cox_partial(w, run_id, c):
    """A Cox proportional-hazards model (Cox 1972; a network's log-risk as in DeepSurv, Katzman et al. 2018), float64:
    the log-risk a linear function of the covariates (from zero, no intercept) or a tanh network d -> h -> 1 (the layer
    from 1/sqrt(d) times standard normals, the head from 0.5/sqrt(h) times them, biases zero), trained on minus the
    Breslow partial log-likelihood per event of the censored training times plus c['l2'] times the squared weights / 2
    where set: full-batch gradient descent ('gd', step c['lr'] over the largest eigenvalue of the covariates' second
    moment with the constant), heavy ball ('hb', momentum 0.9, same scaling), momentum minibatches ('sgd', the partial
    likelihood of each minibatch within itself, same scaling) or Adam (step c['lr']). Train loss: that partial
    likelihood on the training subjects; test loss (c['test']): 'risk', the mean squared error of the log-risk against
    the true log-hazard on the test subjects, both centred on them (the baseline hazard is not identified); 'pl', the
    test subjects' partial likelihood in 100 strata of 20 (their censored times, each stratum its own risk sets). Data:
    cox_data. Grid (runs_cox_partial; 21 settings, 1-2 seeds, 22 runs): the base synthetic, n 300, df 80 fast and ds 20
    slow covariates at s 0.1, F 1, S 2, no frailty, censoring at rate 0.5, linear, gradient descent at 1, 5,000 epochs,
    test 'risk' (2 seeds); one setting at a time df 40 or 150, n 150 or 800, s 0.05 (15,000 epochs) or 0.3, no slow
    part (S 0), F 3, frailty 1, censoring at rate 2 or none, heavy ball at 0.1, Adam at 0.01, minibatches of 50 under
    momentum 0.9 at 0.1 (1,000 epochs), l2 0.01, a tanh network of width 32 under Adam at 0.001 (3,000 epochs) or heavy
    ball at 0.1, test 'pl'; and diabetes, 300 patients with 40 irrelevant columns, A 1, linear, and the tanh network
    under Adam at 0.001 (3,000 epochs)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(106_000 + c["seed"])
    x, time, event, xt, eta_t, time_t, event_t = cox_data(g, c)
    n, d = x.shape
    if c["model"] == "mlp":
        h = c["h"]
        params = [torch.randn(d, h, generator=g) / math.sqrt(d), torch.zeros(h),
                  0.5 * torch.randn(h, generator=g) / math.sqrt(h)]
    else:
        params = [torch.zeros(d)]
    for p in params:
        p.requires_grad_()
    lr = c["lr"] if c["opt"] == "adam" else c["lr"] / top_eig(x)
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=lr)
    else:
        opt = torch.optim.SGD(params, lr=lr, momentum=0.0 if c["opt"] == "gd" else 0.9)
    l2 = c.get("l2") or 0.0
    order = torch.argsort(time, descending=True)
    if c["test"] == "pl":
        strata = torch.argsort(time_t.view(100, -1), 1, descending=True) + 20 * torch.arange(100).unsqueeze(1)

    def risk(z):
        if c["model"] == "mlp":
            return torch.tanh(z @ params[0] + params[1]) @ params[2]
        return z @ params[0]

    def test_loss():
        r = risk(xt)
        if c["test"] == "pl":
            return partial_nll(r[strata], event_t[strata])
        return ((r - r.mean() - (eta_t - eta_t.mean())) ** 2).mean()

    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "cox-" + c["model"], "covariates": d} | ({"width": c["h"]} if c["model"] == "mlp" else {}),
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "nz", "A", "frailty", "cens", "model",
                             "h", "l2", "opt", "lr", "batch", "test", "eval"))
                | {"optimizer": c["opt"], "loss": "breslow-partial-nll-per-event",
                   "test_loss": {"risk": "centred-log-risk-mse", "pl": "stratified-partial-nll"}[c["test"]]})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for idx in batches(g, n, c.get("batch")):
                idx = order if idx is None else idx[torch.argsort(time[idx], descending=True)]
                opt.zero_grad()
                loss = partial_nll(risk(x[idx]), event[idx])
                if l2:
                    loss = loss + 0.5 * l2 * sum((p_ ** 2).sum() for p_ in params)
                loss.backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, partial_nll(risk(x[order]), event[order]), test_loss(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_cox_partial():
    base = dict(data="synth", n=300, df=80, ds=20, s=0.1, F=1.0, S=2.0, nz=None, A=None, frailty=0.0, cens=0.5,
                model="linear", h=None, l2=None, opt="gd", lr=1.0, batch=None, test="risk", epochs=5000, eval="log:35")
    dia = dict(data="diabetes", df=None, ds=None, s=None, F=None, S=None, nz=40, A=1.0)
    mlp = dict(model="mlp", h=32)
    return cox_partial, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(df=40, eval="every:20"),
        dict(df=150, eval="jitter:35"),
        dict(n=150, eval="log:40"),
        dict(n=800, eval="every:25"),
        dict(s=0.05, epochs=15000, eval="log:35"),
        dict(s=0.3, eval="every:10"),
        dict(S=0.0, eval="jitter:30"),
        dict(F=3.0, eval="every:16"),
        dict(frailty=1.0, eval="log:30"),
        dict(cens=2.0, eval="rand:300"),
        dict(cens=0.0, eval="every:20"),
        dict(opt="hb", lr=0.1, eval="every:8"),
        dict(opt="adam", lr=0.01, eval="jitter:35"),
        dict(opt="sgd", lr=0.1, batch=50, epochs=1000, eval="every"),
        dict(l2=0.01, eval="log:35"),
        dict(mlp, opt="adam", lr=0.001, epochs=3000, eval="every:10"),
        dict(mlp, opt="hb", lr=0.1, eval="jitter:30"),
        dict(test="pl", eval="log:35"),
        dict(dia, eval="every:10"),
        dict(dia, **mlp, opt="adam", lr=0.001, epochs=3000, eval="jitter:30"),
    ], lambda d: "%s-n%d%s-frailty%g-cens%g-%s%s%s-%s%g%s-%s" % (
        d["data"], d["n"], "-df%d-ds%d-s%g-F%g-S%g" % (d["df"], d["ds"], d["s"], d["F"], d["S"])
        if d["data"] == "synth" else "-nz%d-A%g" % (d["nz"], d["A"]), d["frailty"], d["cens"], d["model"],
        "%d" % d["h"] if d.get("h") else "", "-l2%g" % d["l2"] if d.get("l2") else "", d["opt"], d["lr"],
        "-b%d" % d["batch"] if d.get("batch") else "", d["test"]))


FAMILIES = {"modular-grok": runs_modular_grok, "esn-readout": runs_esn_readout, "cox-partial": runs_cox_partial}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
