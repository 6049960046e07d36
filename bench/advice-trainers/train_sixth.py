#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixth held-out round).

Written blind to the advice rule (nothing under detection/, bench/src/main/java or bench/src/test, neither
docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping benchmark,
no Java and not the descentwatch launcher was run; the runs were sorted by census.py alone), and made to differ from
the twenty-three families of train.py, train_more.py, train_third.py, train_fourth.py and train_fifth.py in model,
loss, noise and optimizer: a recurrent network (GRU or LSTM) reading short synthetic sequences with a fast and a
slow, long-memory part of the target, trained by heavy ball, Adam or RMSprop with gradient-norm clipping on Laplace
or Gaussian label noise; a one-layer self-attention classifier on synthetic token sequences, trained by AdamW (or
heavy ball) under warm-up and cosine or linear decay on the cross-entropy (some runs with label smoothing) with
10-30% of the labels flipped; and a linear predictor on rotated two-scale inputs trained by sign descent, a
hand-written Lion or L-BFGS with a small history, on the log-cosh loss or the squared hinge loss on margins. The file
format, determinism and helpers are the earlier files': Writer, two-scale inputs and the command line from train.py,
epochs_of, settings and lr_factor from train_more.py, grid_runs from train_third.py, label_noise and strip_none from
train_fourth.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant
digits.

    /usr/bin/python3 train_sixth.py --family gru-sequence [--list] [--runs 0,3] [--out FILE]

Families (see README.md): gru-sequence, attention-tokens, sign-logcosh. Evaluation spacings: train.py's 'every',
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
from train_more import epochs_of, lr_factor, settings  # noqa: E402
from train_third import grid_runs  # noqa: E402
from train_fourth import label_noise, strip_none  # noqa: E402

torch.set_num_threads(1)


def noise_of(g, m, law):
    """m unit-variance noise draws under law: 'gauss', 'laplace' (a difference of two exponentials over sqrt(2)) or
    't<dof>' (Student-t, heavy tails; label_noise)."""
    if law == "laplace":
        u = torch.rand(m, 2, generator=g).clamp_min(1e-300)
        return (-u[:, 0].log() + u[:, 1].log()) / math.sqrt(2)
    return label_noise(g, m, 0 if law == "gauss" else int(law[1:]))


def warm_factor(c, e, epochs):
    """The step's multiplier at epoch e: 'warm-cosine' (linear warm-up over c['warm'] epochs, then a cosine down to 0
    at the last epoch), or train_more.py's lr_factor ('const', 'cosine', 'warmup' = warm-up then linear decay, ...)."""
    if c["sched"] == "warm-cosine":
        if e < c["warm"]:
            return (e + 1) / c["warm"]
        return 0.5 * (1 + math.cos(math.pi * (e - c["warm"]) / (epochs - c["warm"])))
    return lr_factor(c, e, epochs)


def rotation(g, d):
    q, r = torch.linalg.qr(torch.randn(d, d, generator=g))
    return q * torch.sign(torch.diagonal(r))


# ---------------------------------------------------------------------------------------------------- gru-sequence


def gru_sequence(w, run_id, c):
    """A recurrent network reading sequences of length T with df fast input channels (scale 1) and ds slow ones
    (scale s), the d = df + ds channels of every step turned by one random rotation (so that Adam's and RMSprop's
    per-coordinate steps cannot undo the small scale). The target: a fast part of power F, a random linear function of
    the fast channels of the last c['lags'] steps, plus a slow part of power S, a long-memory filtered sum
    sum_t rho^(T-1-t) <u, x_slow_t> / s of the slow channels at unit scale; each part centred and scaled to its power
    on 20,000 draws; plus label noise (c['noise_law'] times c['noise']). Model: torch.nn.GRU or LSTM (one layer,
    hidden h, weights from c['init'] times the default uniform scale, drawn from the seeded generator) and a linear
    readout of the last hidden state. Full batch or minibatches (reshuffled each epoch), heavy ball (SGD with
    momentum 0.9), Adam or RMSprop, with the gradient's norm clipped to c['clip'], on the mean squared error,
    autograd, float32; test loss on 2,000 fresh sequences, noise included."""
    torch.set_default_dtype(torch.float32)
    g = torch.Generator().manual_seed(21_000 + c["seed"])
    n, T, df, ds, s, h = c["n"], c["T"], c["df"], c["ds"], c["s"], c["hidden"]
    d = df + ds
    Q = rotation(g, d)
    A = torch.randn(c["lags"], df, generator=g) / math.sqrt(c["lags"] * df)
    u = torch.randn(ds, generator=g)
    u /= u.norm()
    decay = c["rho"] ** torch.arange(T - 1, -1, -1, dtype=torch.float32)

    def raw(m):
        x = torch.randn(m, T, d, generator=g) * torch.cat([torch.ones(df), torch.full((ds,), s)])
        fast = (x[:, T - c["lags"]:, :df].flip(1) * A).sum((1, 2))
        slow = (x[:, :, df:] @ u / s * decay).sum(1)
        return x @ Q, fast, slow

    _, f0, s0 = raw(20_000)
    mf, kf, ms, ks = f0.mean(), f0.std(), s0.mean(), s0.std()

    def data(m):
        x, fast, slow = raw(m)
        y = math.sqrt(c["F"]) * (fast - mf) / kf + math.sqrt(c["S"]) * (slow - ms) / ks
        return x, y + c["noise"] * noise_of(g, m, c["noise_law"])

    x, y = data(n)
    xt, yt = data(2000)
    cell = torch.nn.GRU if c["cell"] == "gru" else torch.nn.LSTM
    rnn = cell(d, h, batch_first=True)
    head = torch.nn.Linear(h, 1)
    with torch.no_grad():
        for p in rnn.parameters():
            p.copy_((2 * torch.rand(p.shape, generator=g) - 1) * c["init"] / math.sqrt(h))
        head.weight.copy_((2 * torch.rand(1, h, generator=g) - 1) * c["init"] / math.sqrt(h))
        head.bias.zero_()
    params = list(rnn.parameters()) + list(head.parameters())
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    elif c["opt"] == "rmsprop":
        opt = torch.optim.RMSprop(params, lr=c["lr"], alpha=0.99)
    else:  # heavy ball
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9)

    def f(z):
        return head(rnn(z)[0][:, -1]).squeeze(1)

    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "recurrent", "cell": c["cell"], "hidden": h, "input_dim": d, "length": T},
                settings(c, ("seed", "df", "ds", "s", "lags", "rho", "F", "S", "noise", "noise_law", "init", "opt",
                             "lr", "clip", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "dtype": "float32"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    b = c.get("batch", n)
    e = 0
    for p in pts:
        while e < p:
            idx = torch.randperm(n, generator=g) if b < n else torch.arange(n)
            for j in range(0, n, b):
                jj = idx[j:j + b]
                opt.zero_grad()
                ((f(x[jj]) - y[jj]) ** 2).mean().backward()
                torch.nn.utils.clip_grad_norm_(params, c["clip"])
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((f(x) - y) ** 2).mean(), ((f(xt) - yt) ** 2).mean(), final=e == pts[-1])


def runs_gru_sequence():
    keys = ("n", "T", "df", "ds", "s", "lags", "rho", "F", "S", "noise", "noise_law", "cell", "hidden", "init", "opt",
            "lr", "clip", "batch", "epochs", "eval")
    grid = [
        (300, 8, 6, 1, 0.02, 1, 0.3, 2.0, 3.0, 1.0, 'laplace', 'gru', 4, 1.0, 'sgd', 0.05, 1.0, None, 3000, 'log:40',
         (1, 2, 3)),
        (300, 8, 6, 1, 0.03, 1, 0.3, 2.0, 3.0, 1.0, 'gauss', 'gru', 4, 1.0, 'sgd', 0.05, 1.0, None, 3000, 'jitter:30',
         (1, 2)),
        (600, 8, 6, 1, 0.02, 1, 0.3, 2.0, 3.0, 1.0, 'laplace', 'gru', 8, 1.0, 'sgd', 0.05, 1.0, None, 3000, 'log:35',
         (1, 2)),
        (300, 8, 6, 1, 0.01, 1, 0.3, 2.0, 3.0, 1.0, 'laplace', 'gru', 4, 1.0, 'sgd', 0.05, 1.0, None, 3000, 'every:5',
         (1,)),
        (300, 8, 6, 1, 0.02, 1, 0.3, 2.0, 3.0, 1.0, 'gauss', 'lstm', 4, 1.0, 'sgd', 0.05, 1.0, None, 3000, 'log:30',
         (1,)),
        (300, 8, 6, 1, 0.02, 1, 0.3, 2.0, 1.0, 1.0, 'gauss', 'gru', 4, 1.0, 'sgd', 0.05, 1.0, None, 3000, 'jitter:35',
         (1,)),
        (300, 8, 6, 1, 0.02, 1, 0.3, 2.0, 3.0, 1.0, 'laplace', 'gru', 4, 1.0, 'sgd', 0.02, 1.0, None, 3000, 'rand:300',
         (1,)),
        (300, 12, 6, 1, 0.02, 1, 0.8, 2.0, 3.0, 1.0, 'laplace', 'gru', 4, 1.0, 'sgd', 0.05, 1.0, None, 3000, 'log:30',
         (1,)),
        (300, 8, 6, 1, 0.02, 1, 0.3, 2.0, 3.0, 1.0, 'gauss', 'gru', 4, 1.0, 'sgd', 0.01, 1.0, 50, 800, 'every:2', (1,)),
        (300, 8, 6, 1, 0.085, 1, 0.85, 2.0, 3.0, 1.0, 'laplace', 'gru', 4, 1.0, 'adam', 0.01, 1.0, None, 2000, 'log:30',
         (1,)),
        (300, 8, 6, 1, 0.1, 1, 0.85, 2.0, 3.0, 1.0, 'laplace', 'gru', 4, 1.0, 'rmsprop', 0.003, 1.0, None, 2000,
         'jitter:35', (1,)),
        (1000, 8, 6, 1, 0.05, 1, 0.3, 2.0, 3.0, 1.0, 'laplace', 'gru', 8, 0.3, 'adam', 0.01, 0.1, None, 1000, 'log:40',
         (1,)),
        (300, 8, 3, 1, 0.02, 1, 0.3, 2.0, 3.0, 1.0, 'gauss', 'gru', 4, 1.0, 'sgd', 0.05, 1.0, None, 3000, 'log:40',
         (1,)),
        (300, 8, 6, 1, 0.02, 1, 0.3, 2.0, 3.0, 1.3, 'laplace', 'gru', 4, 1.0, 'sgd', 0.05, 1.0, None, 3000, 'every:10',
         (1,)),
        (300, 8, 6, 1, 0.02, 1, 0.3, 2.0, 3.0, 1.0, 'laplace', 'gru', 6, 1.0, 'sgd', 0.05, 1.0, None, 3000, 'log:30',
         (1,)),
    ]
    return gru_sequence, strip_none(grid_runs(grid, keys, lambda d: "%s%d-%s-T%d-n%d-df%d-s%g-S%g-%s%s" % (
        d["cell"], d["hidden"], d["opt"], d["T"], d["n"], d["df"], d["s"], d["S"], d["noise_law"],
        "-b%d" % d["batch"] if d["batch"] else "")))


# ---------------------------------------------------------------------------------------------------- attention-tokens


def attention_tokens(w, run_id, c):
    """A one-layer self-attention classifier on synthetic token sequences: L tokens drawn uniformly from a vocabulary
    of V, each position also carrying an intensity r_t ~ N(0, 1). The label's logit has a fast part of power F, a
    random weight per token summed over the sequence (a bag of words), plus a slow part of power S, the intensities
    summed with the weights 1 + c['mix'] times a random weight per token; each part centred and scaled on 20,000
    draws. The class is the logit's sign after logistic noise (temperature c['temp']), then a share c['flip'] of the
    training labels is flipped (the test labels are not). Model: a learned embedding of width dm (from c['init'] times
    N(0, 1)), plus a learned position embedding, plus the intensity times s along a fixed random unit direction of the
    embedding space (so the intensity enters at a small scale, and not along one coordinate that AdamW's
    per-coordinate step could undo); one attention head (query, key, value and output maps of width dm, residual),
    mean pooling (or the state of a CLS token), a layer norm (none where c['norm'] is 0) and a linear head to 2
    logits. Full batch or minibatches, AdamW (decoupled weight decay c['wd']) or heavy ball (momentum 0.9), with a
    linear warm-up over c['warm'] epochs then a cosine or linear decay (warm_factor), on the cross-entropy with label
    smoothing c['smooth'], autograd, float32. Test loss: the plain cross-entropy on 2,000 fresh sequences with clean
    labels; train and test error rates in the events."""
    torch.set_default_dtype(torch.float32)
    g = torch.Generator().manual_seed(22_000 + c["seed"])
    n, L, V, dm = c["n"], c["L"], c["V"], c["dm"]
    wf = torch.randn(V, generator=g)
    ws = torch.randn(V, generator=g)

    def raw(m):
        tok = torch.randint(0, V, (m, L), generator=g)
        r = torch.randn(m, L, generator=g)
        return tok, r, wf[tok].sum(1), ((1 + c["mix"] * ws[tok]) * r).sum(1)

    _, _, f0, s0 = raw(20_000)
    mf, kf, ms, ks = f0.mean(), f0.std(), s0.mean(), s0.std()

    def data(m, flip):
        tok, r, fast, slow = raw(m)
        logit = math.sqrt(c["F"]) * (fast - mf) / kf + math.sqrt(c["S"]) * (slow - ms) / ks
        u = torch.rand(m, generator=g).clamp(1e-7, 1 - 1e-7)
        lab = (logit + c["temp"] * (u.log() - (1 - u).log()) > 0).long()
        flipped = torch.rand(m, generator=g) < flip
        return tok, r, torch.where(flipped, 1 - lab, lab)

    tok, r, y = data(n, c["flip"])
    tokt, rt, yt = data(2000, 0.0)
    v = torch.randn(dm, generator=g)
    v /= v.norm()

    def mat(a, b, scale=1.0):
        return (torch.randn(a, b, generator=g) * scale / math.sqrt(a)).requires_grad_()

    emb = (torch.randn(V + 1, dm, generator=g) * c["init"]).requires_grad_()  # the last row is the CLS token
    pos = (torch.randn(L + 1, dm, generator=g) * c["init"]).requires_grad_()
    Wq, Wk, Wv, Wo = mat(dm, dm), mat(dm, dm), mat(dm, dm), mat(dm, dm, 0.5)
    head = mat(dm, 2, 0.1)
    hb = torch.zeros(2, requires_grad=True)
    params = [emb, pos, Wq, Wk, Wv, Wo, head, hb]
    cls = c["pool"] == "cls"

    def f(tk, rr):
        m = tk.shape[0]
        z = emb[tk] + pos[:L] + c["s"] * rr.unsqueeze(2) * v
        if cls:
            z = torch.cat([(emb[V] + pos[L]).expand(m, 1, dm), z], 1)
        att = torch.softmax((z @ Wq) @ (z @ Wk).transpose(1, 2) / math.sqrt(dm), 2)
        z = z + (att @ (z @ Wv)) @ Wo
        pooled = z[:, 0] if cls else z.mean(1)
        if c["norm"]:
            pooled = torch.nn.functional.layer_norm(pooled, (dm,))
        return pooled @ head + hb

    if c["opt"] == "adamw":
        opt = torch.optim.AdamW(params, lr=c["lr"], weight_decay=c["wd"])
    else:  # heavy ball, L2 weight decay
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9, weight_decay=c["wd"])
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "self-attention", "heads": 1, "width": dm, "vocab": V, "length": L, "pooling": c["pool"]},
                settings(c, ("seed", "F", "S", "s", "mix", "temp", "flip", "init", "norm", "opt", "lr", "wd", "smooth",
                             "sched", "warm", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy", "dtype": "float32"}, output_dim=2)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    b = c.get("batch", n)
    ce = torch.nn.functional.cross_entropy
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * warm_factor(c, e, c["epochs"])
            idx = torch.randperm(n, generator=g) if b < n else torch.arange(n)
            for j in range(0, n, b):
                jj = idx[j:j + b]
                opt.zero_grad()
                ce(f(tok[jj], r[jj]), y[jj], label_smoothing=c["smooth"]).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            out, outt = f(tok, r), f(tokt, rt)
            run.log(e, ce(out, y), ce(outt, yt), (out.argmax(1) != y).float().mean(),
                    (outt.argmax(1) != yt).float().mean(), final=e == pts[-1])


def runs_attention_tokens():
    keys = ('n', 'L', 'V', 'dm', 'F', 'S', 's', 'mix', 'temp', 'flip', 'init', 'pool', 'norm', 'opt', 'lr', 'wd',
            'smooth', 'sched', 'warm', 'batch', 'epochs', 'eval')
    grid = [
        (1000, 6, 12, 6, 3.0, 6.0, 0.2, 0.0, 0.3, 0.2, 0.3, 'mean', 1, 'adamw', 0.01, 0.01, 0.0, 'warm-cosine', 50,
         None, 800, 'log:30', (1, 2)),
        (1000, 6, 12, 6, 3.0, 6.0, 0.5, 0.0, 0.3, 0.2, 0.3, 'mean', 1, 'adamw', 0.01, 0.01, 0.1, 'warm-cosine', 50,
         None, 800, 'jitter:30', (1,)),
        (1000, 6, 12, 6, 2.0, 8.0, 0.05, 0.0, 0.3, 0.3, 0.3, 'mean', 1, 'adamw', 0.003, 0.0, 0.0, 'warm-cosine', 50,
         None, 1500, 'log:35', (1,)),
        (1000, 6, 12, 6, 3.0, 6.0, 0.2, 0.5, 0.3, 0.2, 0.3, 'cls', 1, 'adamw', 0.01, 0.01, 0.0, 'warmup', 100, None,
         800, 'every:4', (1,)),
        (600, 6, 12, 6, 3.0, 6.0, 0.2, 0.0, 0.3, 0.2, 0.3, 'mean', 1, 'adamw', 0.01, 0.01, 0.1, 'warm-cosine', 50, None,
         800, 'log:30', (1,)),
        (1000, 6, 12, 6, 3.0, 6.0, 1.0, 0.0, 0.3, 0.2, 0.3, 'mean', 1, 'adamw', 0.01, 0.01, 0.0, 'warm-cosine', 50,
         None, 800, 'jitter:35', (1,)),
        (1000, 6, 12, 6, 3.0, 3.0, 0.2, 0.0, 0.3, 0.1, 0.3, 'mean', 1, 'adamw', 0.01, 0.01, 0.0, 'warmup', 50, None,
         800, 'rand:300', (1,)),
        (1000, 6, 12, 6, 3.0, 6.0, 0.2, 0.0, 0.3, 0.3, 0.3, 'mean', 1, 'adamw', 0.01, 0.0, 0.0, 'warm-cosine', 50, 250,
         400, 'every', (1,)),
        (1000, 6, 12, 8, 3.0, 6.0, 0.2, 0.5, 0.3, 0.2, 0.3, 'cls', 1, 'adamw', 0.003, 0.01, 0.1, 'warm-cosine', 100,
         None, 1000, 'log:30', (1,)),
        (1000, 8, 16, 6, 3.0, 6.0, 0.2, 0.0, 0.3, 0.2, 0.3, 'mean', 1, 'adamw', 0.01, 0.01, 0.0, 'warm-cosine', 50,
         None, 800, 'jitter:30', (1,)),
        (1500, 6, 12, 6, 3.0, 6.0, 0.2, 0.0, 0.3, 0.1, 0.3, 'mean', 1, 'adamw', 0.01, 0.01, 0.0, 'warm-cosine', 50,
         None, 600, 'log:30', (1,)),
        (1000, 6, 12, 6, 3.0, 6.0, 0.2, 0.0, 0.3, 0.2, 0.1, 'mean', 1, 'adamw', 0.003, 0.01, 0.0, 'warmup', 200, None,
         1000, 'every:5', (1,)),
        (800, 6, 12, 6, 1.0, 6.0, 0.2, 0.0, 0.3, 0.2, 0.3, 'mean', 1, 'adamw', 0.01, 0.01, 0.0, 'warm-cosine', 50, None,
         800, 'log:35', (1,)),
        (1000, 6, 12, 6, 3.0, 6.0, 0.2, 0.0, 0.1, 0.2, 0.3, 'cls', 1, 'adamw', 0.01, 0.005, 0.0, 'warm-cosine', 50,
         None, 800, 'jitter:30', (1,)),
        (1000, 6, 12, 6, 3.0, 6.0, 0.2, 0.0, 0.3, 0.15, 0.3, 'mean', 1, 'adamw', 0.01, 0.01, 0.05, 'warmup', 50, None,
         800, 'every:2', (1,)),
        (1000, 6, 12, 6, 3.0, 6.0, 0.05, 0.0, 0.3, 0.2, 0.3, 'mean', 0, 'sgd', 0.1, 0.0, 0.0, 'warm-cosine', 50, None,
         1500, 'every:3', (1,)),
        (600, 6, 12, 3, 3.0, 9.0, 0.05, 0.0, 0.3, 0.2, 0.3, 'mean', 0, 'adamw', 0.01, 0.01, 0.0, 'warm-cosine', 50,
         None, 1500, 'log:35', (1,)),
        (1000, 6, 12, 6, 3.0, 6.0, 0.05, 0.0, 0.3, 0.2, 0.3, 'mean', 0, 'sgd', 0.03, 0.0, 0.0, 'warm-cosine', 50, None,
         1500, 'jitter:30', (1,)),
        (300, 6, 12, 6, 3.0, 6.0, 0.03, 0.0, 0.3, 0.2, 0.3, 'mean', 0, 'sgd', 0.05, 0.0, 0.0, 'warm-cosine', 50, None,
         3000, 'log:40', (1,)),
    ]
    return attention_tokens, strip_none(grid_runs(grid, keys, lambda d: "%s-%s-d%d-V%d-L%d-n%d-s%g-S%g-flip%g%s%s%s" % (
        d["opt"], d["pool"], d["dm"], d["V"], d["L"], d["n"], d["s"], d["S"], d["flip"],
        "-ls%g" % d["smooth"] if d["smooth"] else "", "-wd%g" % d["wd"] if d["wd"] else "",
        "-b%d" % d["batch"] if d["batch"] else "") + ("" if d["norm"] else "-nonorm")))


# ---------------------------------------------------------------------------------------------------- sign-logcosh


def sign_logcosh(w, run_id, c):
    """A linear predictor (weights and a bias, from zero) on train.py's two-scale Gaussian inputs (df features of
    scale 1, ds of scale s), turned by a random rotation in most runs (so that sign descent's per-coordinate step
    cannot undo the small scale). Regression: a fast part of power F on the fast features, a slow part of power S on
    the slow ones at unit scale, plus noise (c['noise_law'] times c['noise']); loss log cosh(f - y). Classification:
    the sign of the same teacher after logistic noise (temperature c['noise']), a share c['flip'] of the training
    labels flipped; loss the squared hinge max(0, 1 - y f)^2 on the margins. Optimizers the earlier families lack:
    sign descent (the step c['lr'] times the sign of the full-batch gradient), Lion (hand-written: the step times the
    sign of (1 - b1) g + b1 m, m <- b2 m + (1 - b2) g, b1 0.9, b2 0.99, decoupled weight decay c['wd']), both under
    train_more.py's lr_factor schedules, or L-BFGS (torch.optim.LBFGS, history c['hist'], one iteration an epoch, no
    line search, step c['lr']). Autograd, float64. Test loss: the same loss on 2,000 fresh points (noise included,
    no flipped labels); classification runs also log error rates."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(23_000 + c["seed"])
    n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
    d = df + ds
    Q = rotation(g, d) if c["rotate"] else torch.eye(d)
    a = torch.randn(df, generator=g)
    a *= math.sqrt(c["F"]) / a.norm()
    b = torch.randn(ds, generator=g)
    b *= math.sqrt(c["S"]) / b.norm() / s
    task = c["task"]

    def data(m, flip):
        x = train.two_scale_inputs(g, m, df, ds, s)
        t = x[:, :df] @ a + x[:, df:] @ b
        if task == "reg":
            y = t + c["noise"] * noise_of(g, m, c["noise_law"])
        else:
            u = torch.rand(m, generator=g).clamp(1e-12, 1 - 1e-12)
            y = torch.sign(t + c["noise"] * (u.log() - (1 - u).log()))
            y = torch.where(torch.rand(m, generator=g) < flip, -y, y)
        return x @ Q, y

    x, y = data(n, c.get("flip", 0.0))
    xt, yt = data(2000, 0.0)
    wt = torch.zeros(d, requires_grad=True)
    bias = torch.zeros(1, requires_grad=True)
    params = [wt, bias]

    def loss(z, t):
        out = z @ wt + bias
        if task == "reg":
            r = out - t
            return (r.abs() + torch.nn.functional.softplus(-2 * r.abs()) - math.log(2)).mean()  # log cosh, stable
        return (torch.clamp(1 - t * out, min=0) ** 2).mean()

    opt_kind = c["opt"]
    if opt_kind == "lbfgs":
        opt = torch.optim.LBFGS(params, lr=c["lr"], max_iter=1, history_size=c["hist"])
    mom = [torch.zeros_like(p) for p in params]
    run = w.run(run_id, d + 1, n, {"family": "linear", "input_dim": d, "rotated": bool(c["rotate"])},
                settings(c, ("seed", "df", "ds", "s", "F", "S", "noise", "noise_law", "flip", "rotate", "lr", "wd",
                             "sched", "warm", "hist", "eval"))
                | {"optimizer": opt_kind, "loss": "log-cosh" if task == "reg" else "squared-hinge"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            if opt_kind == "lbfgs":
                def closure():
                    opt.zero_grad()
                    lo = loss(x, y)
                    lo.backward()
                    return lo
                opt.step(closure)
            else:
                grads = torch.autograd.grad(loss(x, y), params)
                lr = c["lr"] * warm_factor(c, e, c["epochs"])
                with torch.no_grad():
                    for prm, gr, m in zip(params, grads, mom):
                        if opt_kind == "sign":
                            prm -= lr * torch.sign(gr)
                        else:  # lion
                            prm -= lr * (torch.sign(0.1 * gr + 0.9 * m) + c.get("wd", 0.0) * prm)
                            m.mul_(0.99).add_(0.01 * gr)
            e += 1
        with torch.no_grad():
            if task == "reg":
                run.log(e, loss(x, y), loss(xt, yt), final=e == pts[-1])
            else:
                run.log(e, loss(x, y), loss(xt, yt), (torch.sign(x @ wt + bias) != y).double().mean(),
                        (torch.sign(xt @ wt + bias) != yt).double().mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_sign_logcosh():
    keys = ("task", "n", "df", "ds", "s", "F", "S", "noise", "noise_law", "flip", "rotate", "opt", "lr", "wd",
            "sched", "warm", "hist", "epochs", "eval")
    grid = [
        ("reg", 200, 150, 10, 0.1, 2.0, 3.0, 0.7, "laplace", None, 1, "sign", 0.003, None, "cosine", None, None, 5000,
         "log:30", (1, 2)),
        ("reg", 200, 150, 10, 0.1, 2.0, 3.0, 0.7, "laplace", None, 1, "sign", 0.001, None, "const", None, None, 5000,
         "jitter:30", (1,)),
        ("reg", 200, 150, 10, 0.1, 2.0, 0.5, 0.7, "laplace", None, 1, "sign", 0.003, None, "cosine", None, None, 5000,
         "log:35", (1,)),
        ("reg", 200, 100, 10, 0.1, 2.0, 3.0, 0.7, "laplace", None, 1, "sign", 0.003, None, "cosine", None, None, 5000,
         "jitter:35", (1,)),
        ("reg", 200, 150, 10, 0.1, 2.0, 3.0, 0.7, "laplace", None, 0, "sign", 0.003, None, "cosine", None, None, 5000,
         "log:30", (1,)),
        ("reg", 200, 150, 10, 0.1, 2.0, 3.0, 0.7, "t3", None, 1, "lion", 0.001, 0.0, "cosine", None, None, 5000,
         "log:35", (1, 2)),
        ("reg", 200, 150, 10, 0.1, 2.0, 3.0, 0.7, "laplace", None, 1, "lion", 0.001, 0.1, "warmup", 200, None, 5000,
         "every:5", (1,)),
        ("reg", 200, 170, 10, 0.05, 2.0, 2.0, 1.0, "gauss", None, 1, "lion", 0.0005, 0.0, "const", None, None, 8000,
         "jitter:30", (1,)),
        ("reg", 200, 150, 10, 0.1, 2.0, 3.0, 0.7, "laplace", None, 1, "lbfgs", 0.5, None, None, None, 5, 500,
         "every", (1, 2)),
        ("reg", 200, 150, 10, 0.1, 2.0, 0.5, 0.7, "laplace", None, 1, "lbfgs", 1.0, None, None, None, 3, 500,
         "every:2", (1,)),
        ("reg", 200, 120, 10, 0.05, 2.0, 3.0, 1.0, "t3", None, 1, "lbfgs", 0.3, None, None, None, 10, 1000,
         "log:35", (1,)),
        ("cls", 300, 200, 10, 0.1, 4.0, 6.0, 0.3, None, 0.1, 1, "sign", 0.003, None, "cosine", None, None, 5000,
         "log:30", (1,)),
        ("cls", 300, 200, 10, 0.1, 4.0, 6.0, 0.3, None, 0.2, 1, "lion", 0.001, 0.0, "cosine", None, None, 5000,
         "jitter:30", (1,)),
        ("cls", 300, 200, 10, 0.1, 4.0, 6.0, 0.3, None, 0.1, 1, "lbfgs", 0.5, None, None, None, 5, 500,
         "rand:300", (1,)),
        ("cls", 300, 250, 10, 0.1, 4.0, 2.0, 0.3, None, 0.1, 1, "sign", 0.003, None, "cosine", None, None, 5000,
         "log:30", (1,)),
        ("reg", 200, 60, 10, 0.1, 2.0, 3.0, 0.7, "laplace", None, 1, "sign", 0.003, None, "cosine", None, None, 5000,
         "every:10", (1,)),
        ("reg", 200, 60, 10, 0.1, 2.0, 3.0, 0.7, "laplace", None, 1, "lbfgs", 0.5, None, None, None, 5, 500,
         "log:30", (1,)),
    ]
    return sign_logcosh, strip_none(grid_runs(grid, keys, lambda d: "%s-%s-n%d-df%d-s%g-S%g-%s%s%s" % (
        d["opt"], "logcosh" if d["task"] == "reg" else "sqhinge", d["n"], d["df"], d["s"], d["S"],
        d["noise_law"] if d["task"] == "reg" else "flip%g" % d["flip"], "-rot" if d["rotate"] else "",
        "-" + d["sched"] if d["opt"] != "lbfgs" else "-h%d" % d["hist"])))


FAMILIES = {"gru-sequence": runs_gru_sequence, "attention-tokens": runs_attention_tokens,
            "sign-logcosh": runs_sign_logcosh}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
