#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-fourth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is the implicit low-rank bias of deep linear factorisations:
an end-to-end matrix W = F_1 F_2 ... F_N (depth N = 2-4, every factor a trained weight matrix, no nonlinearity) grown
from a small initialisation by gradient descent (heavy ball, Adam or minibatch SGD in some runs) learns the large
singular directions of its target first and the small ones, where the noise lives, late:

- deepfact-synth-complete: matrix completion of a synthetic low-rank matrix (30 x 30, rank 3, singular values
  10, 5, 2.5 at the base), a share p of its entries observed with Gaussian (Student-t in 1 run) noise on them; the
  test loss the squared error on the unobserved entries against the clean matrix.
- deepfact-sklearn-complete: matrix completion of matrices built from scikit-learn's data sets (the breast cancer's
  patients x 30 columns, the digits' images x 64 pixels, the wine's and the diabetes' patients x columns, each column
  standardised over the whole data set), a share p of the entries observed (Gaussian noise added to them in most runs);
  the test loss the squared error on the held-out entries (their true values).
- deepfact-bilinear-sense: matrix sensing and bilinear regression: y_i = <A_i, M> + noise with Gaussian sensing
  matrices A_i ('gauss') or rank-one ones A_i = u_i v_i^T ('bilinear': y_i = u_i^T M v_i, a bilinear regression of
  two Gaussian inputs), M synthetic of low rank (20 x 20, rank 3 at the base), fewer measurements than entries; the
  test loss the squared error on 1,000 fresh measurements against their clean values.

Problem (every random draw from the run's generator): training samples i = 1..n, each a linear functional of the
end-to-end matrix (an entry for completion, <A_i, W> for sensing) and a target y_i (noisy where sd is set:
train_seventysixth.py's target_noise, Gaussian of sd 'sd', Student-t of 'df' degrees of freedom scaled to sd where df
is set). Objective: (scale / 2) times the mean squared residual over the minibatch (the whole set where batch is not
set), scale = rows x cols for completion (so that its gradient in W is, in expectation over the observed pattern, W
minus the target) and 1 for sensing. Model: F_1 (rows x width), width x width factors in the middle, F_N (width x cols),
each init times N(0, 1) / sqrt(its row count), from the run's generator. Step: 'gd' and 'hb' (heavy ball, momentum mom)
torch.optim.SGD at lr / (N s^(2 - 2/N) lam), s the largest singular value of the objective's gradient at W = 0 (the
data's own estimate of the target's top singular value) and lam the largest eigenvalue of the sampling operator
(1 / p for completion, of A^T A / n for sensing), so that lr near 1 is the largest stable step at the fit; 'adam'
torch.optim.Adam at lr as it is. Train loss: the mean squared error over the training samples (their given, noisy
targets); test loss: the mean squared error over the held-out entries or measurements; no error rates. A run whose
loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, leaves from train_thirtysixth.py, take from train_thirtyninth.py,
count from train_fortyeighth.py, logger and train_until from train_seventyfourth.py and target_noise from
train_seventysixth.py; one thread, every random draw from a seeded torch.Generator (targets, masks, sensing matrices,
splits, noise, initialisations, minibatches), float64, synthetic event times, 6 significant digits. No planned last
epoch is told: the last event's final marks it. One epoch is one pass over the training samples (one step at full
batch).

    /usr/bin/python3 train_hundredfourth.py --family deepfact-synth-complete [--list] [--runs 0,3] [--out FILE]

Families (see README.md): deepfact-synth-complete, deepfact-sklearn-complete, deepfact-bilinear-sense. Evaluation
spacings: train.py's 'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's
'mixed:A:K', 'mixlog:A:K', 'geom:G', 'burst:P:B'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import target_noise  # noqa: E402  (Gaussian or Student-t noise of sd 'sd')

torch.set_num_threads(1)

F64 = torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def low_rank(g, c):
    """A rows x cols matrix U diag(s) V^T of rank 'rank', U and V orthonormal (QR of Gaussians), s_k = s1 ratio^k."""
    d1, d2, r = c["rows"], c["cols"], c["rank"]
    U = torch.linalg.qr(torch.randn(d1, r, generator=g, dtype=F64))[0]
    V = torch.linalg.qr(torch.randn(d2, r, generator=g, dtype=F64))[0]
    s = c["s1"] * c["ratio"] ** torch.arange(r, dtype=F64)
    return U @ torch.diag(s) @ V.T


def sklearn_matrix(g, c):
    """'rows' random rows (patients, images) of a scikit-learn data set as a rows x columns matrix, each column
    standardised over the whole data set (the digits' always-blank pixels left at 0)."""
    import sklearn.datasets
    load = {"cancer": "load_breast_cancer", "digits": "load_digits", "wine": "load_wine",
            "diabetes": "load_diabetes"}[c["data"]]
    xs, _ = getattr(sklearn.datasets, load)(return_X_y=True)
    X = torch.tensor(xs, dtype=F64)
    sd = X.std(0)
    X = (X - X.mean(0)) / torch.where(sd > 1e-6, sd, torch.ones_like(sd))
    return X[torch.randperm(len(X), generator=g)[:c["rows"]]]


class Completion:
    """Matrix completion: a share p of M's entries (a seeded random choice) observed, target noise on them; the test
    set the other entries at M's values (clean)."""

    def __init__(self, g, c, M):
        d1, d2 = M.shape
        k = int(round(c["p"] * d1 * d2))
        perm = torch.randperm(d1 * d2, generator=g)
        self.obs, self.held = perm[:k], perm[k:]
        flat = M.reshape(-1)
        self.y = target_noise(g, c, flat[self.obs])
        self.yt = flat[self.held]
        self.n, self.scale, self.shape = k, float(d1 * d2), (d1, d2)
        self.lam = d1 * d2 / k  # the largest eigenvalue of P_obs / p

    def pred(self, W, idx):
        return W.reshape(-1)[take(self.obs, idx)]

    def test_pred(self, W):
        return W.reshape(-1)[self.held]

    def grad0(self):
        G = torch.zeros(self.shape[0] * self.shape[1], dtype=F64)
        G[self.obs] = self.y
        return (self.scale / self.n) * G.reshape(self.shape)


class Sensing:
    """Matrix sensing: n measurements y_i = <A_i, M> + noise, A_i with N(0, 1) entries ('gauss') or u_i v_i^T with u_i,
    v_i N(0, I) ('bilinear'); the test set 1,000 fresh measurements at their clean values."""

    def __init__(self, g, c, M):
        d1, d2 = M.shape
        self.kind, self.shape = c["kind"], (d1, d2)
        self.A, self.y = self.draw(g, c["m"], M)
        self.y = target_noise(g, c, self.y)
        self.At, self.yt = self.draw(g, 1000, M)
        self.n, self.scale = c["m"], 1.0
        X = self.design(self.A)
        self.lam = float(torch.linalg.eigvalsh(X.T @ X / self.n)[-1])

    def draw(self, g, m, M):
        d1, d2 = self.shape
        if self.kind == "gauss":
            A = torch.randn(m, d1 * d2, generator=g, dtype=F64)
        else:
            A = (torch.randn(m, d1, generator=g, dtype=F64), torch.randn(m, d2, generator=g, dtype=F64))
        return A, self.apply(A, M)

    def design(self, A):
        return A if self.kind == "gauss" else (A[0][:, :, None] * A[1][:, None, :]).reshape(len(A[0]), -1)

    def apply(self, A, W, idx=None):
        if self.kind == "gauss":
            return take(A, idx) @ W.reshape(-1)
        u, v = take(A[0], idx), take(A[1], idx)
        return ((u @ W) * v).sum(1)

    def pred(self, W, idx):
        return self.apply(self.A, W, idx)

    def test_pred(self, W):
        return self.apply(self.At, W)

    def grad0(self):
        return (self.design(self.A).T @ self.y / self.n).reshape(self.shape)


def deep_factorisation(w, run_id, c, prob, model_info, tags):
    """Trains the end-to-end matrix F_1 ... F_N of depth c['depth'] on prob (see the module's docstring)."""
    g = prob.g
    d1, d2 = prob.shape
    N, h = c["depth"], c["width"]
    dims = [d1] + [h] * (N - 1) + [d2]
    F = leaves([torch.randn(a, b, generator=g, dtype=F64) * c["init"] / math.sqrt(a) for a, b in zip(dims, dims[1:])])

    def end_to_end():
        W = F[0]
        for f in F[1:]:
            W = W @ f
        return W

    s = float(torch.linalg.matrix_norm(prob.grad0(), ord=2))
    if c["opt"] == "adam":
        lr = c["lr"]
        opt = torch.optim.Adam(F, lr=lr)
    else:
        lr = c["lr"] / (N * s ** (2 - 2 / N) * prob.lam)
        opt = torch.optim.SGD(F, lr=lr, momentum=c.get("mom") or 0.0)

    def step(idx):
        opt.zero_grad()
        r = prob.pred(end_to_end(), idx) - take(prob.y, idx)
        (0.5 * prob.scale * (r * r).mean()).backward()
        opt.step()

    run = w.run(run_id, count(F), prob.n, dict(model_info, depth=N, width=h, rows=d1, cols=d2), tags
                | {"optimizer": {"gd": "gd", "hb": "heavy-ball", "adam": "adam"}[c["opt"]]
                   + ("-minibatch" if c.get("batch") else ""), "full_batch": "false" if c.get("batch") else "true",
                   "loss": "mse", "step_size": "%.4g" % lr, "grad0_top_sv": "%.4g" % s,
                   "params_per_sample": "%.3g" % (count(F) / prob.n), "test_size": str(len(prob.yt))})
    log_ = logger(run)

    def log(e, final):
        W = end_to_end()
        log_(e, ((prob.pred(W, None) - prob.y) ** 2).mean(), ((prob.test_pred(W) - prob.yt) ** 2).mean(),
             final=final)

    train_until(g, prob.n, c, step, log)


FACT_KEYS = ("depth", "width", "init", "opt", "lr", "mom", "batch", "eval")


def fact_name(d):
    return "d%d-w%d-init%g-%s-lr%g%s%s" % (d["depth"], d["width"], d["init"], d["opt"], d["lr"],
                                         "-mom%g" % d["mom"] if d.get("mom") else "",
                                         "-b%d" % d["batch"] if d.get("batch") else "")


def noise_name(d):
    if not d.get("sd"):
        return "clean"
    return "sd%g%s" % (d["sd"], "-t%g" % d["df"] if d.get("df") else "")


# -------------------------------------------------------------------------------------------- deepfact-synth-complete


def deepfact_synth_complete(w, run_id, c):
    g = torch.Generator().manual_seed(1_041_000 + c["seed"])
    M = low_rank(g, c)
    prob = Completion(g, c, M)
    prob.g = g
    deep_factorisation(w, run_id, c, prob, {"family": "deep-linear-factorisation", "task": "matrix-completion"},
                       settings(c, ("seed", "rows", "cols", "rank", "s1", "ratio", "p", "sd", "df") + FACT_KEYS)
                       | {"data": "synthetic-low-rank", "test_loss": "heldout-entries-mse-clean"})


def runs_deepfact_synth_complete():
    # The logic: a 30 x 30 matrix of rank 3 (singular values 10, 5, 2.5), 40% of its entries observed (360 of 900,
    # twice the 171 degrees of freedom of rank 3) with Gaussian noise of sd 0.15 on them (the entries' rms is 0.38); a
    # depth-3 factorisation of full width 30 (2,700 weights, 7.5 a sample, enough to fit every observed entry), each
    # factor at 0.1 of the default scale (the end-to-end matrix near 1e-3), full-batch gradient descent at 0.5 of the
    # largest stable step, 5,000 steps: the singular directions are learnt one at a time, the largest first, and the
    # noise on the observed entries (whose own top singular values are near the third's) late, the unobserved entries'
    # error rising as it is fitted. One thing at a time besides: depth 2 and 4 (and 4 at init 0.3), init 0.03 (longer)
    # and 0.5, width 6, clean entries, sd 0.4 (and at depth 2), Student-t noise (3 degrees of freedom), 25% and 60%
    # observed, rank 5 (ratio 0.6), a weak third direction (ratio 0.25), a 20 x 50 matrix, Adam at 3e-3, heavy ball
    # (0.9, at 0.05) and minibatch SGD (60 entries a batch, at 0.1, 800 epochs). Evaluation spacing mixed.
    base = dict(rows=30, cols=30, rank=3, s1=10.0, ratio=0.5, p=0.4, sd=0.15, df=None, depth=3, width=30, init=0.1,
                opt="gd", lr=0.5, mom=None, batch=None, epochs=5000, eval="mixed:50:25")
    return deepfact_synth_complete, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(depth=2, eval="every:5"),
        dict(depth=4, eval="log:40"),
        dict(depth=4, init=0.3, eval="every:10"),
        dict(init=0.03, epochs=12000, eval="jitter:40"),
        dict(init=0.5, eval="every:4"),
        dict(width=6, eval="geom:6"),
        dict(sd=None, eval="every:5"),
        dict(sd=0.4, eval="burst:60:8"),
        dict(sd=0.4, depth=2, eval="rand:150"),
        dict(df=3.0, eval="every:3"),
        dict(p=0.25, eval="log:35"),
        dict(p=0.6, eval="every:6"),
        dict(rank=5, ratio=0.6, eval="mixlog:40:40"),
        dict(ratio=0.25, eval="every:4"),
        dict(rows=20, cols=50, width=20, eval="jitter:35"),
        dict(opt="adam", lr=3e-3, eval="every:5"),
        dict(opt="hb", mom=0.9, lr=0.05, eval="mixed:30:5"),
        dict(batch=60, lr=0.1, epochs=800, eval="every"),
    ], lambda d: "synth%dx%d-r%d-s%g-ratio%g-p%g-%s-%s" % (
        d["rows"], d["cols"], d["rank"], d["s1"], d["ratio"], d["p"], noise_name(d), fact_name(d)))


# ------------------------------------------------------------------------------------------ deepfact-sklearn-complete


def deepfact_sklearn_complete(w, run_id, c):
    g = torch.Generator().manual_seed(1_042_000 + c["seed"])
    M = sklearn_matrix(g, c)
    prob = Completion(g, c, M)
    prob.g = g
    deep_factorisation(w, run_id, c, prob, {"family": "deep-linear-factorisation", "task": "matrix-completion",
                                            "data": c["data"]},
                       settings(c, ("seed", "data", "rows", "p", "sd", "df") + FACT_KEYS)
                       | {"cols": str(M.shape[1]), "test_loss": "heldout-entries-mse-true-values",
                          "noise": "added-to-observed" if c.get("sd") else "none-added"})


def runs_deepfact_sklearn_complete():
    # The logic: 120 breast-cancer patients x 30 columns standardised (the columns strongly correlated: a few
    # directions carry most of the matrix, the rest a long tail), half the entries observed (1,800) with Gaussian noise
    # of sd 0.3 added to them, the other half held out; a depth-3 factorisation of width 30 (5,400 weights, three a
    # sample), each factor at 0.1 of the default scale, full-batch gradient descent at 0.5 of the largest stable step,
    # 5,000 steps: the large directions are learnt first and predict the held-out entries, the tail and the added noise
    # late, the held-out error rising as they are fitted. One thing at a time besides: no added noise (and at 30%
    # observed) and sd 0.6, Student-t noise (3 degrees of freedom), depth 2 and 4, init 0.03 (longer) and 0.5, width
    # 5, 30% and 70% observed, 60 patients, the digits (150 images x 64 pixels; with and without noise), the wine (120
    # wines x 13) and the diabetes (150 patients x 10), Adam at 3e-3, heavy ball (0.9, at 0.05) and minibatch SGD (300
    # entries a batch, at 0.1, 600 epochs). Evaluation spacing mixed.
    base = dict(data="cancer", rows=120, p=0.5, sd=0.3, df=None, depth=3, width=30, init=0.1, opt="gd", lr=0.5,
                mom=None, batch=None, epochs=5000, eval="mixed:50:25")
    digits = dict(data="digits", rows=150, width=64)
    return deepfact_sklearn_complete, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sd=None, eval="every:5"),
        dict(sd=None, p=0.3, eval="every:4"),
        dict(sd=0.6, eval="log:40"),
        dict(df=3.0, eval="rand:150"),
        dict(depth=2, eval="every:4"),
        dict(depth=4, eval="jitter:40"),
        dict(init=0.03, epochs=12000, eval="log:35"),
        dict(init=0.5, eval="geom:6"),
        dict(width=5, eval="every:6"),
        dict(p=0.3, eval="every:3"),
        dict(p=0.7, eval="burst:60:8"),
        dict(rows=60, eval="every:5"),
        dict(digits, eval="mixlog:40:40"),
        dict(digits, sd=None, eval="every:4"),
        dict(data="wine", width=13, eval="jitter:35"),
        dict(data="diabetes", rows=150, width=10, eval="every:5"),
        dict(opt="adam", lr=3e-3, eval="every:5"),
        dict(opt="hb", mom=0.9, lr=0.05, eval="mixed:30:5"),
        dict(batch=300, lr=0.1, epochs=600, eval="every"),
    ], lambda d: "%s-%d-p%g-%s-%s" % (d["data"], d["rows"], d["p"], noise_name(d), fact_name(d)))


# -------------------------------------------------------------------------------------------- deepfact-bilinear-sense


def deepfact_bilinear_sense(w, run_id, c):
    g = torch.Generator().manual_seed(1_043_000 + c["seed"])
    M = low_rank(g, c)
    prob = Sensing(g, c, M)
    prob.g = g
    deep_factorisation(w, run_id, c, prob, {"family": "deep-linear-factorisation",
                                            "task": "matrix-sensing" if c["kind"] == "gauss" else
                                            "bilinear-regression"},
                       settings(c, ("seed", "kind", "rows", "cols", "rank", "s1", "ratio", "m", "sd", "df")
                                + FACT_KEYS)
                       | {"data": "synthetic-low-rank", "test_loss": "fresh-measurements-mse-clean",
                          "measurements_per_entry": "%.3g" % (c["m"] / (c["rows"] * c["cols"]))})


def runs_deepfact_bilinear_sense():
    # The logic: a 20 x 20 matrix of rank 3 (singular values 6, 3, 1.5), 300 Gaussian measurements (fewer than its 400
    # entries, about four times rank 3's 111 degrees of freedom) with Gaussian noise of sd 1 on them (the clean values'
    # sd is 6.9); a depth-3 factorisation of width 20 (1,200 weights, four a measurement, enough to fit them all), each
    # factor at 0.1 of the default scale, full-batch gradient descent at 0.5 of the largest stable step, 5,000 steps:
    # the large directions first, the noise (spread over the directions the measurements leave free) late, the error on
    # fresh measurements rising as it is fitted. One thing at a time besides: rank-one measurements (a bilinear
    # regression of two Gaussian inputs; with 300 and 500), no noise, sd 2, Student-t noise (3 degrees of freedom), 200
    # and 500 measurements, depth 2 and 4, init 0.03 (longer) and 0.5, width 6, rank 1, a weak third direction (ratio
    # 0.25), a 30 x 15 matrix, Adam at 3e-3, heavy ball (0.9, at 0.05) and minibatch SGD (50 a batch, at 0.1, 800
    # epochs). Evaluation spacing mixed.
    base = dict(kind="gauss", rows=20, cols=20, rank=3, s1=6.0, ratio=0.5, m=300, sd=1.0, df=None, depth=3, width=20,
                init=0.1, opt="gd", lr=0.5, mom=None, batch=None, epochs=5000, eval="mixed:50:25")
    return deepfact_bilinear_sense, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(kind="bilinear", eval="every:5"),
        dict(kind="bilinear", m=500, eval="log:40"),
        dict(sd=None, eval="every:4"),
        dict(sd=2.0, eval="jitter:40"),
        dict(df=3.0, eval="every:3"),
        dict(m=200, eval="geom:6"),
        dict(m=500, eval="every:6"),
        dict(depth=2, eval="burst:60:8"),
        dict(depth=4, eval="every:5"),
        dict(init=0.03, epochs=12000, eval="log:35"),
        dict(init=0.5, eval="every:4"),
        dict(width=6, eval="mixlog:40:40"),
        dict(rank=1, eval="every:5"),
        dict(ratio=0.25, eval="jitter:35"),
        dict(rows=30, cols=15, width=15, eval="rand:150"),
        dict(opt="adam", lr=3e-3, eval="every:4"),
        dict(opt="hb", mom=0.9, lr=0.05, eval="mixed:30:5"),
        dict(batch=50, lr=0.1, epochs=800, eval="every"),
    ], lambda d: "%s%dx%d-r%d-s%g-ratio%g-m%d-%s-%s" % (
        d["kind"], d["rows"], d["cols"], d["rank"], d["s1"], d["ratio"], d["m"], noise_name(d), fact_name(d)))


FAMILIES = {"deepfact-synth-complete": runs_deepfact_synth_complete,
            "deepfact-sklearn-complete": runs_deepfact_sklearn_complete,
            "deepfact-bilinear-sense": runs_deepfact_bilinear_sense}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
