#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-eleventh held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is temporal point processes and event-time models: a
self-exciting (Hawkes) process fitted by maximising its likelihood with gradient methods, a recurrent neural intensity
model of marked event sequences, and a mixture model of inter-event times conditioned on real covariates; the test
loss is the held-out negative log-likelihood per event, the train loss the same on the training sequences:

- hawkes-expsum-mle: a multivariate Hawkes process (D event types) whose intensity is lambda_d(t) = mu_d + sum over
  past events j of sum_k A[d, d_j, k] beta_k exp(-beta_k (t - t_j)), a sum of K exponential kernels with basis decays
  beta_k on a geometric grid (fixed, or learned in part of the grid), fitted to a few training sequences on [0, T] by
  maximising the exact log-likelihood sum_i log lambda_{d_i}(t_i) - sum_d int_0^T lambda_d(t) dt (the compensator in
  closed form) with Adam or momentum SGD, full-batch or on minibatches of sequences; mu and A kept non-negative by
  projection (clamped after each step) or by a softplus; an L1 penalty on A in part of the grid; float64. Data:
  sequences simulated by Ogata's thinning from a true Hawkes process (a sparse excitation matrix scaled to a given
  branching ratio, each pair's kernel a mix of a fast and a slow exponential). Noise: homogeneous Poisson clutter
  events and reassigned event types in the training sequences of part of the grid.
- rmtpp-gru-marks: a recurrent marked temporal point process (RMTPP, Du et al. 2016): a GRU (an LSTM in 1 run) reads
  each event's type (one-hot) and its standardised log gap, and from its state h predicts the next event's type by a
  softmax and its time by the intensity lambda(s) = exp(v.h + b + w s), s the time since the last event (its integral
  in closed form; w = 0 in 1 run, an exponential gap), torch.nn.GRU with its weights drawn from the run's generator,
  float32, Adam, RMSprop or momentum SGD on minibatches of sequences, gradient-norm clipping in part of the grid. Data:
  synthetic marked sequences of a semi-Markov process (the next type from a transition matrix, the gap Weibull with
  a shape and a scale per pair of types, the scale also growing with the previous gap), or of a marked Hawkes
  process in 2 runs. Noise: reassigned types and log-normal jitter on the gaps of the training sequences.
- lognormmix-gaps-covars: an intensity-free model of inter-event times (Shchur et al. 2020's LogNormMix): an MLP maps
  a subject's covariates, its previous log gap and a first-gap flag to a K-component log-normal mixture of the next
  gap (weights, means and standard deviations over a floor 'sdmin'), float32, Adam, AdamW or momentum SGD on
  minibatches of events. Data: the subjects are the rows of scikit-learn's diabetes (the 10 covariates; the disease
  progression, standardised, drives the gap's scale), breast cancer (30 covariates; the diagnosis) or wine (13; the
  cultivar); each subject has E gaps of a log-AR(1) process around m0 + a z plus a subject's unobserved frailty, the
  innovations a two-component normal mixture (bursts and lulls); real covariates, synthetic event times. Noise: the
  frailty, and the covariate rows of a share of the training subjects shuffled among them in part of the grid.

Train loss: the negative log-likelihood per event on the training sequences as given (with their noise), the model in
its evaluation form; test loss: the same on held-out sequences (subjects) simulated without the noise. For the
rmtpp-gru-marks family the NLL per event is the time part plus the type part (the cross-entropy); its error rates are
the shares of next types mispredicted. A run whose loss turns NaN or infinite sends that evaluation as its last and
stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, leaves from train_thirtysixth.py, take from train_thirtyninth.py,
count from train_fortyeighth.py, uniform from train_thirtysecond.py, mlp_params and mlp from train_sixtyfifth.py,
logger and train_until from train_seventyfourth.py; one thread, every random draw from a seeded torch.Generator
(true processes, simulated sequences, splits, noise, initialisations, minibatches), synthetic event times, 6
significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredeleventh.py --family hawkes-expsum-mle [--list] [--runs 0,3] [--out FILE]

Families (see README.md): hawkes-expsum-mle, rmtpp-gru-marks, lognormmix-gaps-covars. Evaluation spacings: train.py's
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


class Uniforms:
    """Uniform(0, 1) draws one at a time, taken in blocks of 1,024 (float64) from the run's generator."""

    def __init__(self, g):
        self.g, self.buf, self.i = g, [], 0

    def __call__(self):
        if self.i >= len(self.buf):
            self.buf, self.i = torch.rand(1024, generator=self.g, dtype=F64).tolist(), 0
        self.i += 1
        return min(max(self.buf[self.i - 1], 1e-300), 1 - 1e-16)


def true_hawkes(g, D, rho, density):
    """A true Hawkes process from g: base rates mu_d in U(0.1, 0.2); each ordered pair of types excites with
    probability 'density' (the self-excitation always), its weight U(0.3, 1); the weights scaled so that the branching
    matrix's spectral radius is rho; each pair's kernel a mix (share U(0.2, 0.8)) of a fast (decay 2) and a slow
    (decay 0.25) exponential, each of unit mass: alpha (D x D x 2), alpha[d, e, k] the mass of e's excitation of d."""
    mu = 0.1 + 0.1 * torch.rand(D, generator=g, dtype=F64)
    on = (torch.rand(D, D, generator=g, dtype=F64) < density) | torch.eye(D, dtype=torch.bool)
    wgt = (0.3 + 0.7 * torch.rand(D, D, generator=g, dtype=F64)) * on
    wgt = wgt * rho / float(torch.linalg.eigvals(wgt).abs().max())
    share = 0.2 + 0.6 * torch.rand(D, D, generator=g, dtype=F64)
    return mu, torch.stack([wgt * share, wgt * (1 - share)], 2), (2.0, 0.25)


def simulate_hawkes(u, mu, alpha, decays, T):
    """One sequence of the Hawkes process on [0, T] by Ogata's thinning (the intensity only decays between events, so
    its value just after the last event bounds it until the next): (times, types) as lists."""
    D, K = len(mu), len(decays)
    mu, al = mu.tolist(), alpha.tolist()
    ex = [[0.0] * K for _ in range(D)]  # ex[d][k]: sum over past events j of alpha[d, d_j, k] b_k exp(-b_k (t - t_j))
    t, times, types = 0.0, [], []
    while True:
        bound = sum(mu) + sum(sum(r) for r in ex)
        t_new = t - math.log(u()) / bound
        if t_new > T:
            return times, types
        for d in range(D):
            for k in range(K):
                ex[d][k] *= math.exp(-decays[k] * (t_new - t))
        t = t_new
        lam = [mu[d] + sum(ex[d]) for d in range(D)]
        v = u() * bound
        if v > sum(lam):
            continue
        d, acc = 0, lam[0]
        while acc < v and d < D - 1:
            d += 1
            acc += lam[d]
        times.append(t)
        types.append(d)
        for d2 in range(D):
            for k in range(K):
                ex[d2][k] += al[d2][d][k] * decays[k]


def nll_tags(extra=None):
    return {"test_loss": "heldout-nll-per-event", "loss": "nll-per-event"} | (extra or {})


# -------------------------------------------------------------------------------------------------- hawkes-expsum-mle


def hawkes_sequences(g, c):
    """(train, test): lists of (times, types) float64 / long tensors; the training ones with their noise ('clutter':
    homogeneous Poisson events of that rate per type added; 'flip': a share of the types reassigned to another)."""
    D, T = c["D"], c["T"]
    mu, alpha, decays = true_hawkes(g, D, c["rho"], c["density"])
    u = Uniforms(g)
    seqs = [simulate_hawkes(u, mu, alpha, decays, T) for _ in range(c["n"] + c["n_test"])]
    out = []
    for i, (ts, ds) in enumerate(seqs):
        ts, ds = torch.tensor(ts, dtype=F64), torch.tensor(ds, dtype=torch.long)
        if i < c["n"] and c.get("clutter"):
            m = int(torch.poisson(torch.tensor([c["clutter"] * D * T], dtype=F64), generator=g).item())
            ct, cd = torch.rand(m, generator=g, dtype=F64) * T, torch.randint(0, D, (m,), generator=g)
            ts, ds = torch.cat([ts, ct]), torch.cat([ds, cd])
            o = torch.argsort(ts)
            ts, ds = ts[o], ds[o]
        if i < c["n"] and c.get("flip"):
            hit = torch.rand(len(ds), generator=g) < c["flip"]
            ds = torch.where(hit, (ds + torch.randint(1, D, (len(ds),), generator=g)) % D, ds)
        out.append((ts, ds))
    return out[:c["n"]], out[c["n"]:]


def hawkes_feats(beta, seqs, D, T):
    """The sufficient parts of the log-likelihood for basis decays beta (K): per event i its type and S[i, e, k] =
    sum over earlier events j of type e of beta_k exp(-beta_k (t_i - t_j)); per sequence C[e, k] = sum over its events
    j of type e of 1 - exp(-beta_k (T - t_j)) (the integral of the kernel over the rest of the window)."""
    S, C, types, seq_of = [], [], [], []
    for s, (ts, ds) in enumerate(seqs):
        oh = fn.one_hot(ds, D).to(F64)
        dt = ts[:, None] - ts[None, :]
        low = torch.tril(torch.ones(len(ts), len(ts), dtype=torch.bool), -1)
        dt = torch.where(low, dt, torch.zeros_like(dt))
        E = beta * torch.exp(-beta * dt[..., None]) * low[..., None]
        S.append(torch.einsum("ijk,je->iek", E, oh))
        C.append(oh.T @ -torch.expm1(-beta * (T - ts)[:, None]))
        types.append(ds)
        seq_of.append(torch.full((len(ts),), s, dtype=torch.long))
    return torch.cat(S), torch.stack(C), torch.cat(types), torch.cat(seq_of)


def hawkes_expsum_mle(w, run_id, c):
    """A multivariate Hawkes model with K exponential basis kernels per pair, float64. Data (from the run's
    generator): hawkes_sequences. Parameters: mu (D), A (D x D x K), from mu = half the training rate of each type and
    A U(0, 2 a0 / (D K)); basis decays beta_k geometric from bmin to bmax (K = 1: their geometric mean), learned
    through log beta where 'learn' is set. Non-negativity: 'proj' clamps mu at 1e-4 and A at 0 after each step,
    'softplus' takes mu and A as softplus of free parameters. Objective: the negative log-likelihood per event of the
    sequences in the minibatch ('batch' sequences, all where unset), plus lam sum A (where set). Optimizer: Adam or
    momentum SGD (0.9) at lr."""
    g = torch.Generator().manual_seed(1_111_100 + c["seed"])
    D, K, T = c["D"], c["K"], c["T"]
    tr, te = hawkes_sequences(g, c)
    if K == 1:
        beta0 = torch.tensor([math.sqrt(c["bmin"] * c["bmax"])], dtype=F64)
    else:
        beta0 = torch.exp(torch.linspace(math.log(c["bmin"]), math.log(c["bmax"]), K, dtype=F64))
    rate = torch.stack([(d == torch.arange(D)[:, None]).sum(1) for _, d in tr]).sum(0).to(F64) / (len(tr) * T)
    mu0 = (0.5 * rate).clamp_min(1e-3)
    A0 = torch.rand(D, D, K, generator=g, dtype=F64) * 2 * c["a0"] / (D * K)
    if c["param"] == "softplus":
        raw = leaves([torch.log(torch.expm1(mu0)), torch.log(torch.expm1(A0.clamp_min(1e-6)))])
    else:
        raw = leaves([mu0.clone(), A0.clone()])
    log_beta = leaves([torch.log(beta0)])[0] if c.get("learn") else None
    allp = raw + ([log_beta] if c.get("learn") else [])
    if c["opt"] == "adam":
        opt = torch.optim.Adam(allp, lr=c["lr"])
    else:
        opt = torch.optim.SGD(allp, lr=c["lr"], momentum=0.9)
    lam = c.get("lam") or 0.0
    fixed = None if c.get("learn") else (hawkes_feats(beta0, tr, D, T), hawkes_feats(beta0, te, D, T))

    def positive():
        if c["param"] == "softplus":
            return fn.softplus(raw[0]), fn.softplus(raw[1])
        return raw[0], raw[1]

    def nll(seqs, idx, feats):
        """The NLL per event of the sequences idx (None: all) of seqs."""
        if feats is None:
            feats = hawkes_feats(torch.exp(log_beta), seqs if idx is None else [seqs[i] for i in idx.tolist()], D, T)
            S, C, ty, nseq = feats[0], feats[1], feats[2], len(feats[1])
        elif idx is None:
            S, C, ty, nseq = feats[0], feats[1], feats[2], len(feats[1])
        else:
            m = torch.isin(feats[3], idx)
            S, C, ty, nseq = feats[0][m], feats[1][idx], feats[2][m], len(idx)
        mu, A = positive()
        lam_i = mu[ty] + (A[ty] * S).sum((1, 2))
        comp = nseq * T * mu.sum() + (A.sum(0) * C.sum(0)).sum()
        return (comp - torch.log(lam_i.clamp_min(1e-300)).sum()) / len(ty)

    def step(idx):
        opt.zero_grad()
        obj = nll(tr, idx, None if fixed is None else fixed[0])
        if lam:
            obj = obj + lam * positive()[1].sum()
        obj.backward()
        opt.step()
        if c["param"] == "proj":
            with torch.no_grad():
                raw[0].clamp_(min=1e-4)
                raw[1].clamp_(min=0.0)

    n_ev = sum(len(t) for t, _ in tr)
    run = w.run(run_id, count(allp), n_ev, {"family": "hawkes-exp-sum", "types": D, "basis_kernels": K,
                                             "train_sequences": c["n"]},
                settings(c, ("seed", "D", "T", "n", "rho", "density", "clutter", "flip", "K", "bmin", "bmax", "learn",
                             "param", "a0", "lam", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "penalty": "l1" if lam else "none", "test_sequences": str(c["n_test"]),
                   "test_events": str(sum(len(t) for t, _ in te)),
                   "full_batch": "false" if c.get("batch") else "true"} | nll_tags())
    log_ = logger(run)

    def log(e, final):
        log_(e, nll(tr, None, None if fixed is None else fixed[0]), nll(te, None, None if fixed is None else fixed[1]),
             final=final)

    train_until(g, c["n"], c, step, log)


def runs_hawkes_expsum_mle():
    # The logic: a 4-type Hawkes process (branching ratio 0.7, half the cross-excitations on) on windows of T = 60,
    # about 120 events a sequence; 3 training sequences (about 370 events) and 30 held-out ones. The model's K = 8
    # basis decays from 0.05 to 20 give it 4 + 128 = 132 parameters, about one for every three training events, enough
    # to shape a kernel for every pair from the few events each pair has (the rare pairs' kernels then fit chance
    # coincidences). Adam at 0.003, full batch (one step an epoch), 1,500 epochs, projection. The size on both sides:
    # K 1 (20 parameters, the exponential kernel of the classical fit), 2, 4, 16 and 32 (516 parameters, more than the
    # events); the data on both sides: 1, 8 and 24 training sequences. One thing at a time besides: 8 types (520
    # parameters); the branching ratio 0.9; an L1 penalty 0.003 and 0.03; softplus instead of projection; momentum SGD
    # at 0.003; minibatches of one sequence; the 4 decays learned (K 4, 600 epochs); clutter (0.05 a type and time
    # unit, a third of the true base rate) and 20% reassigned types in the training sequences. Evaluation spacing
    # mixed.
    base = dict(D=4, T=60.0, n=3, n_test=30, rho=0.7, density=0.5, clutter=None, flip=None, K=8, bmin=0.05, bmax=20.0,
                learn=None, param="proj", a0=0.3, lam=None, opt="adam", lr=0.003, batch=None, epochs=1500,
                eval="every:3")
    return hawkes_expsum_mle, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(K=1, eval="log:40"),
        dict(K=2, eval="every:5"),
        dict(K=4, eval="geom:4"),
        dict(K=16, eval="every:3"),
        dict(K=32, eval="jitter:40"),
        dict(n=1, eval="every:2"),
        dict(n=8, eval="every:4"),
        dict(n=24, K=16, eval="every:5"),
        dict(D=8, eval="mixlog:40:40"),
        dict(rho=0.9, eval="every:3"),
        dict(lam=0.003, eval="every:3"),
        dict(lam=0.03, eval="rand:200"),
        dict(param="softplus", eval="every:4"),
        dict(opt="sgd", lr=0.003, eval="every:5"),
        dict(batch=1, epochs=600, eval="every"),
        dict(K=4, learn=1, epochs=600, eval="every:6"),
        dict(clutter=0.05, eval="mixed:60:5"),
        dict(flip=0.2, eval="burst:100:10"),
        dict(clutter=0.05, K=16, eval="every:3"),
    ], lambda d: "D%d-T%g-n%d-rho%g%s%s-K%d%s-%s-%s-lr%g%s%s" % (
        d["D"], d["T"], d["n"], d["rho"], "-clutter%g" % d["clutter"] if d.get("clutter") else "",
        "-flip%g" % d["flip"] if d.get("flip") else "", d["K"], "learned" if d.get("learn") else "", d["param"],
        d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else "", "-l1%g" % d["lam"] if d.get("lam") else ""))


# --------------------------------------------------------------------------------------------------- rmtpp-gru-marks


def semi_markov(g, c, m):
    """m sequences of L events of a semi-Markov process with M types, (gaps m x L float32, types m x L long); the
    process from g: transition rows softmax(1.5 N(0, 1)), Weibull shapes exp(U(log 0.6, log 2.5)) and scales
    exp(U(log 0.3, log 2)) per pair of types (previous, next); the next gap's scale times (the previous gap, clamped
    into [0.05, 20]) ** 'mem'; the first type uniform, the first gap exponential of mean 1."""
    M, L = c["M"], c["L"]
    P = torch.softmax(1.5 * torch.randn(M, M, generator=g, dtype=F64), 1)
    shape = torch.exp(math.log(0.6) + (math.log(2.5) - math.log(0.6)) * torch.rand(M, M, generator=g, dtype=F64))
    scale = torch.exp(math.log(0.3) + (math.log(2.0) - math.log(0.3)) * torch.rand(M, M, generator=g, dtype=F64))
    types = torch.zeros(m, L, dtype=torch.long)
    gaps = torch.zeros(m, L, dtype=F64)
    types[:, 0] = torch.randint(0, M, (m,), generator=g)
    gaps[:, 0] = -torch.log(torch.rand(m, generator=g, dtype=F64).clamp_min(1e-300))
    for i in range(1, L):
        a = types[:, i - 1]
        b = torch.multinomial(P[a], 1, generator=g)[:, 0]
        s = scale[a, b] * gaps[:, i - 1].clamp(0.05, 20.0) ** c["mem"]
        e = -torch.log(torch.rand(m, generator=g, dtype=F64).clamp_min(1e-300))
        types[:, i], gaps[:, i] = b, s * e ** (1 / shape[a, b])
    return gaps.to(F32), types


def marked_hawkes(g, c, m):
    """m sequences of the first L events of a true_hawkes process of M types (branching ratio 0.8, density 0.5),
    simulated on windows long enough to hold them (T 40 L / M, retried twice longer while short), gaps scaled to a
    mean of 1 by the process's stationary rate."""
    M, L = c["M"], c["L"]
    mu, alpha, decays = true_hawkes(g, M, 0.8, 0.5)
    rate = float(torch.linalg.solve(torch.eye(M, dtype=F64) - alpha.sum(2), mu).sum())
    u = Uniforms(g)
    gaps, types = [], []
    for _ in range(m):
        T = 2.0 * L / rate
        while True:
            ts, ds = simulate_hawkes(u, mu, alpha, decays, T)
            if len(ts) >= L:
                break
            T *= 2
        ts = torch.tensor(ts[:L], dtype=F64)
        gaps.append(torch.diff(ts, prepend=torch.zeros(1, dtype=F64)) * rate)
        types.append(torch.tensor(ds[:L], dtype=torch.long))
    return torch.stack(gaps).to(F32), torch.stack(types)


def rmtpp_gru_marks(w, run_id, c):
    """RMTPP with a GRU (or LSTM) of H units, float32. Data (from the run's generator): n training and n_test held-out
    sequences of L events (semi_markov, or marked_hawkes where data is 'hawkes'); in the training ones a share 'flip'
    of the types reassigned to another and the gaps times exp(gjit N(0, 1)). Input of step i: the one-hot type and the
    log gap standardised by the training log gaps' mean and sd; the state h_i predicts event i + 1: its type by
    softmax(h W + c) and its gap s by the intensity exp(v.h + b + w s), the NLL -(v.h + b + w s) + exp(v.h + b)
    (exp(w s) - 1) / w ('exp' head: w = 0, -(v.h + b) + exp(v.h + b) s), plus the type's cross-entropy. Weights
    U(+-1 / sqrt(H)) from the run's generator (heads: U(+-1 / sqrt(fan-in)), w from 0.1). Optimizer: Adam, RMSprop
    or momentum SGD (0.9) at lr on minibatches of 'batch' sequences, the gradient's norm clipped at 'clip' where set."""
    g = torch.Generator().manual_seed(1_111_200 + c["seed"])
    M, L, H = c["M"], c["L"], c["H"]
    make = marked_hawkes if c["data"] == "hawkes" else semi_markov
    gaps, types = make(g, c, c["n"] + c["n_test"])
    gaps, types = gaps.clamp_min(1e-6), types.clone()
    n = c["n"]
    if c.get("flip"):
        hit = torch.rand(n, L, generator=g) < c["flip"]
        types[:n] = torch.where(hit, (types[:n] + torch.randint(1, M, (n, L), generator=g)) % M, types[:n])
    if c.get("gjit"):
        gaps[:n] = gaps[:n] * torch.exp(c["gjit"] * torch.randn(n, L, generator=g))
    lg = torch.log(gaps)
    m0, s0 = float(lg[:n].mean()), float(lg[:n].std())
    inp = torch.cat([fn.one_hot(types, M).to(F32), ((lg - m0) / s0)[..., None]], 2)
    cell = torch.nn.LSTM if c["cell"] == "lstm" else torch.nn.GRU
    rnn = cell(M + 1, H, batch_first=True)
    with torch.no_grad():
        for q in rnn.parameters():
            q.uniform_(-1 / math.sqrt(H), 1 / math.sqrt(H), generator=g)
    Wm, cm = uniform(g, H, H, M), uniform(g, H, M)
    v, b = uniform(g, H, H), uniform(g, H, 1)
    wt = torch.tensor([0.1])
    heads = leaves([Wm, cm, v, b] + ([wt] if c["head"] == "rmtpp" else []))
    allp = list(rnn.parameters()) + heads
    if c["opt"] == "adam":
        opt = torch.optim.Adam(allp, lr=c["lr"])
    elif c["opt"] == "rmsprop":
        opt = torch.optim.RMSprop(allp, lr=c["lr"])
    else:
        opt = torch.optim.SGD(allp, lr=c["lr"], momentum=0.9)

    def parts(rows):
        """(NLL per event, error share) of the sequences 'rows' (a slice or an index tensor)."""
        h, _ = rnn(inp[rows])
        h = h[:, :-1]
        s, nxt = gaps[rows][:, 1:], types[rows][:, 1:]
        a = h @ v + b[0]
        if c["head"] == "rmtpp":
            wv = heads[4][0]
            ws = wv * s
            wsafe = torch.where(wv.abs() < 1e-6, torch.full_like(wv, 1e-6), wv)
            integ = torch.where(ws.abs() < 1e-6, s * (1 + ws / 2), torch.expm1(ws) / wsafe)
            t_nll = -(a + ws) + torch.exp(a) * integ
        else:
            t_nll = -a + torch.exp(a) * s
        logits = h @ Wm + cm
        m_nll = fn.cross_entropy(logits.reshape(-1, M), nxt.reshape(-1), reduction="none")
        err = (logits.argmax(2) != nxt).to(F32).mean()
        return t_nll.mean() + m_nll.mean(), err

    def step(idx):
        opt.zero_grad()
        loss, _ = parts(slice(0, n) if idx is None else idx)
        loss.backward()
        if c.get("clip"):
            torch.nn.utils.clip_grad_norm_(allp, c["clip"])
        opt.step()

    run = w.run(run_id, count(allp), n * (L - 1), {"family": "rmtpp-" + c["cell"], "width": H, "types": M,
                                                   "head": c["head"]},
                settings(c, ("seed", "data", "M", "L", "mem", "n", "flip", "gjit", "cell", "H", "head", "opt", "lr",
                             "batch", "clip", "eval"))
                | {"optimizer": c["opt"], "test_sequences": str(c["n_test"]), "test_events": str(c["n_test"] * (L - 1)),
                   "full_batch": "false" if c.get("batch") else "true"}
                | nll_tags({"error": "next-type-mispredicted"}), output_dim=M + 1)
    log_ = logger(run)

    def log(e, final):
        lt, et = parts(slice(0, n))
        lh, eh = parts(slice(n, None))
        log_(e, lt, lh, et, eh, final=final)

    train_until(g, n, c, step, log)


def runs_rmtpp_gru_marks():
    # The logic: 16 training sequences of 48 events (752 predicted events) of a 3-type semi-Markov process (the gap's
    # scale grows with the previous gap, mem 0.3), 150 held-out sequences; a GRU of 32 units (3,648 weights and 133 in
    # the heads, about five a training event, enough to remember the training sequences' gaps and types), Adam at
    # 3e-3 on minibatches of 4 sequences, 80 epochs. The size on both sides: 4, 8 (373 weights, about half a weight an
    # event), 16, 64 and 128 units; the data on both sides: 4 and 64 training sequences. One thing at a time besides:
    # 30% reassigned types, log-normal gap jitter sd 0.5, both together at 64 units; the exponential head (w 0); an
    # LSTM; RMSprop at 1e-3; momentum SGD at 0.03 with clipping at 1; the marked Hawkes process (3 types; at 32 and 128
    # units); a longer memory (mem 0.6) with 5 types; Adam at 0.01 (clipped at 5). Evaluation spacing mixed.
    base = dict(data="semimarkov", M=3, L=48, mem=0.3, n=16, n_test=150, flip=None, gjit=None, cell="gru", H=32,
                head="rmtpp", opt="adam", lr=3e-3, batch=4, clip=None, epochs=80, eval="every")
    return rmtpp_gru_marks, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(H=4, eval="every"),
        dict(H=8, eval="every:2"),
        dict(H=16, eval="mixed:20:2"),
        dict(H=64, eval="every"),
        dict(H=128, epochs=50, eval="every"),
        dict(n=4, batch=2, epochs=120, eval="every:2"),
        dict(n=64, batch=8, epochs=40, eval="every"),
        dict(flip=0.3, eval="every"),
        dict(gjit=0.5, eval="burst:10:4"),
        dict(flip=0.3, gjit=0.5, H=64, eval="every"),
        dict(head="exp", eval="geom:2"),
        dict(cell="lstm", eval="every"),
        dict(opt="rmsprop", lr=1e-3, eval="every:2"),
        dict(opt="sgd", lr=0.03, clip=1.0, eval="rand:50"),
        dict(data="hawkes", eval="every"),
        dict(data="hawkes", H=128, epochs=50, eval="every"),
        dict(M=5, mem=0.6, eval="jitter:30"),
        dict(lr=0.01, clip=5.0, eval="every"),
    ], lambda d: "%s-M%d-L%d-mem%g-n%d%s%s-%s%d-%s-%s-lr%g-b%d%s" % (
        d["data"], d["M"], d["L"], d["mem"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "",
        "-gjit%g" % d["gjit"] if d.get("gjit") else "", d["cell"], d["H"], d["head"], d["opt"], d["lr"], d["batch"],
        "-clip%g" % d["clip"] if d.get("clip") else ""))


# -------------------------------------------------------------------------------------------- lognormmix-gaps-covars


def covariate_gaps(g, c):
    """(x, lg, xt, lgt): the training and held-out subjects' standardised covariates and their E log gaps (subjects
    x E), from scikit-learn's 'data' split at random (g) into n training subjects and the rest. z: the diabetes's
    progression standardised, the breast cancer's diagnosis as +-1, the wine's cultivar minus 1. Log gaps: a subject's
    level m0 + a z + f (f N(0, frail^2), unobserved), then l_j = level + rho (l_{j-1} - level) + eps_j (l_0 = level +
    eps_0), eps from 0.3 N(-1, 0.35^2) + 0.7 N(0.45, 0.35^2). A share 'swap' of the training subjects have their
    covariate rows shuffled among them (the gaps kept)."""
    from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
    load = {"diabetes": load_diabetes, "cancer": load_breast_cancer, "wine": load_wine}[c["data"]]
    xs, ys = load(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F64), torch.tensor(ys, dtype=F64)
    if c["data"] == "diabetes":
        z = (Y - Y.mean()) / Y.std()
    elif c["data"] == "cancer":
        z = 2 * Y - 1
    else:
        z = Y - 1
    N, E = len(X), c["E"]
    perm = torch.randperm(N, generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    sd = X[tr].std(0)
    X = (X - X[tr].mean(0)) / torch.where(sd > 1e-9, sd, torch.ones_like(sd))
    level = c["m0"] + c["a"] * z + c["frail"] * torch.randn(N, generator=g, dtype=F64)
    burst = torch.rand(N, E, generator=g, dtype=F64) < 0.3
    eps = torch.where(burst, -1.0, 0.45) + 0.35 * torch.randn(N, E, generator=g, dtype=F64)
    lg = torch.zeros(N, E, dtype=F64)
    prev = level
    for j in range(E):
        lg[:, j] = level + c["rho"] * (prev - level) + eps[:, j]
        prev = lg[:, j]
    x = X[tr].clone()
    if c.get("swap"):
        k = int(round(c["swap"] * len(tr)))
        x[:k] = x[:k][torch.randperm(k, generator=g)]
    return x.to(F32), lg[tr].to(F32), X[te].to(F32), lg[te].to(F32)


def event_rows(x, lg):
    """Per event (subject i, gap j): the inputs [covariates, previous log gap (0 for the first), first-gap flag] and
    the log gap."""
    S, E = lg.shape
    prev = torch.cat([torch.zeros(S, 1), lg[:, :-1]], 1)
    first = torch.zeros(S, E)
    first[:, 0] = 1.0
    inp = torch.cat([x[:, None, :].expand(S, E, x.shape[1]), prev[..., None], first[..., None]], 2)
    return inp.reshape(S * E, -1), lg.reshape(-1)


def lognormmix_gaps_covars(w, run_id, c):
    """A LogNormMix MLP, float32: inputs (event_rows) -> 'depth' hidden layers of H units ('act' relu or tanh) -> 3K
    outputs: the mixture's logits, its means of the log gap and its sds, sdmin + softplus(raw). The NLL of a gap tau:
    -log sum_k pi_k N(log tau; m_k, s_k^2) + log tau. Data (from the run's generator): covariate_gaps. Weights
    U(+-1 / sqrt(fan-in)) from the run's generator. Optimizer: Adam, AdamW (weight decay wd) or momentum SGD (0.9) at
    lr on minibatches of 'batch' events."""
    g = torch.Generator().manual_seed(1_111_300 + c["seed"])
    x, lg, xt, lgt = covariate_gaps(g, c)
    inp, y = event_rows(x, lg)
    inpt, yt = event_rows(xt, lgt)
    K, H = c["K"], c["H"]
    params = mlp_params(g, [inp.shape[1]] + [H] * c["depth"] + [3 * K], F32)
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    elif c["opt"] == "adamw":
        opt = torch.optim.AdamW(params, lr=c["lr"], weight_decay=c["wd"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9)
    act = torch.tanh if c["act"] == "tanh" else torch.relu

    def nll(z, t):
        o = mlp(params, z, act)
        logit, m, s = o[:, :K], o[:, K:2 * K], c["sdmin"] + fn.softplus(o[:, 2 * K:])
        lp = (torch.log_softmax(logit, 1) - 0.5 * ((t[:, None] - m) / s) ** 2 - torch.log(s)
              - 0.5 * math.log(2 * math.pi))
        return (-torch.logsumexp(lp, 1) + t).mean()

    def step(idx):
        opt.zero_grad()
        nll(take(inp, idx), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(y), {"family": "lognormmix-mlp", "width": H, "depth": c["depth"],
                                               "activation": c["act"], "components": K, "inputs": inp.shape[1]},
                settings(c, ("seed", "data", "n", "E", "m0", "a", "rho", "frail", "swap", "H", "depth", "act", "K",
                             "sdmin", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "test_subjects": str(len(xt)), "test_events": str(len(yt)),
                   "full_batch": "false" if c.get("batch") else "true", "covariates": "real",
                   "event_times": "synthetic"}
                | nll_tags())
    log_ = logger(run)

    def log(e, final):
        log_(e, nll(inp, y), nll(inpt, yt), final=final)

    train_until(g, len(y), c, step, log)


def runs_lognormmix_gaps_covars():
    # The logic: 100 diabetes patients (10 covariates, the other 342 held out), 6 gaps each (600 training events),
    # the log gap's level 0.8 times the standardised progression (which the covariates explain only in part) plus a
    # frailty of sd 0.3, AR(1) rho 0.4, bimodal innovations; a LogNormMix MLP of 3 components, 12 -> 64 -> 64 -> 9
    # (5,577 weights, about nine a training event, so it can fit each training gap with a narrow component), ReLU,
    # sdmin 0.05, Adam at 1e-3 on minibatches of 50 events, 200 epochs. The size on both sides: width 4 (97
    # weights), 16, 32, 128 and 256 (one hidden layer at 4); the data on both sides: 40 and 300 patients. One thing at
    # a time besides: the floor sdmin 0.01, 0.15 and 0.35 (the innovations' own sd: narrow components forbidden); one
    # component; AdamW with weight decay 0.01 and 0.1; momentum SGD at 0.01; tanh; no frailty; 30% of the training
    # patients' covariates shuffled; 3 gaps a patient; the breast cancer (150 patients) and the wine (60 wines).
    # Evaluation spacing mixed.
    base = dict(data="diabetes", n=100, E=6, m0=0.0, a=0.8, rho=0.4, frail=0.3, swap=None, H=64, depth=2, act="relu",
                K=3, sdmin=0.05, opt="adam", lr=1e-3, wd=None, batch=50, epochs=200, eval="every:2")
    return lognormmix_gaps_covars, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(H=4, depth=1, eval="log:40"),
        dict(H=16, eval="every"),
        dict(H=32, eval="jitter:40"),
        dict(H=128, eval="every:3"),
        dict(H=256, epochs=200, eval="every:2"),
        dict(n=40, epochs=500, eval="mixlog:50:40"),
        dict(n=300, epochs=150, eval="every"),
        dict(sdmin=0.01, eval="every:2"),
        dict(sdmin=0.15, eval="every"),
        dict(sdmin=0.35, eval="rand:100"),
        dict(K=1, eval="every:2"),
        dict(opt="adamw", wd=0.01, eval="every:3"),
        dict(opt="adamw", wd=0.1, eval="every:2"),
        dict(opt="sgd", lr=0.01, eval="geom:3"),
        dict(act="tanh", eval="every:2"),
        dict(frail=0.0, eval="every:2"),
        dict(swap=0.3, eval="burst:40:8"),
        dict(E=3, epochs=500, eval="every:4"),
        dict(data="cancer", n=150, eval="every:2"),
        dict(data="wine", n=60, epochs=600, eval="mixed:60:5"),
    ], lambda d: "%s-n%d-E%d-frail%g%s-%s%dx%d-K%d-sdmin%g-%s-lr%g%s" % (
        d["data"], d["n"], d["E"], d["frail"], "-swap%g" % d["swap"] if d.get("swap") else "", d["act"], d["H"],
        d["depth"],
        d["K"], d["sdmin"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


FAMILIES = {"hawkes-expsum-mle": runs_hawkes_expsum_mle, "rmtpp-gru-marks": runs_rmtpp_gru_marks,
            "lognormmix-gaps-covars": runs_lognormmix_gaps_covars}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
