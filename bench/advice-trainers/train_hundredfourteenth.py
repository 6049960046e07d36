#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-fourteenth held-out
round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/ or /work/shared, and no git log, git show or git diff of main; no
stopping benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its
own logic and committed before any of its runs was trained, revised at most once (README.md says where and why), and
the runs were sorted by census.py alone). The theme of the round is mixed-effects and hierarchical (multilevel)
models fitted by gradient methods: group-specific random effects with partial pooling under a fixed or a learned
prior scale, networks with per-group embeddings or per-group heads, multi-task fits across groups of unequal sizes;
the test loss is on held-out rows of the same groups (and, in some settings, on unseen groups):

- ranslope-lmm-gd: a linear mixed model on synthetic grouped data (a global intercept and d fixed effects, a random
  intercept and random slopes on the first q inputs of every group; groups of power-law sizes), float64. Fitted
  either as penalised least squares over the fixed and the random effects together (the random effects' Gaussian
  prior as a ridge penalty at a fixed prior scale, or none: no pooling), by full-batch gradient descent, heavy ball,
  Adam or minibatch SGD from zero; or by the exact marginal likelihood (the random effects integrated out group by
  group; the fixed effects, the noise scale and both prior scales learned by Adam or gradient descent), predicting
  with the random effects' posterior means (BLUPs). Train loss: the mean squared error on the training rows at their
  noisy targets; test loss: the mean squared error on held-out rows of the same groups (or of unseen groups, predicted
  at the random effects' prior mean 0) at their noise-free means.
- groupembed-sklearn-mlp: a ReLU MLP on scikit-learn's real data whose input is the row's columns together with a
  learned embedding of its group (the diabetes: its progression from the other eight columns, the groups its
  patients' sex times age band; the wine: its alcohol from the other twelve columns, the groups its three cultivars;
  the iris: its petal width from the other three columns, the groups its species), the embeddings under a Gaussian
  prior penalty of a fixed scale, none, or absent (complete pooling); Adam, AdamW or momentum SGD on minibatches;
  float32. Noise: Gaussian target noise in part of the grid. Train loss: the mean squared error of the standardised
  target at the training rows' (noisy) targets; test loss: the same on the held-out rows of the same groups at their
  true targets, and in some settings on every row of whole groups held out (at the embedding's prior mean 0) too.
- taskhead-pool-bce: multi-task binary classification on synthetic tasks of power-law sizes (a shared tanh teacher,
  task readouts scattered around a common one), a shared ReLU trunk (trained, or frozen random features) with one
  logistic head a task, head_t = head_0 + delta_t, the deltas pooled by a Gaussian prior of a fixed scale, of a scale
  learned along the way (its conditional mode under a scaled inverse chi-square hyperprior), unpooled, or absent (one
  head for every task); flipped training labels; Adam or momentum SGD on minibatches; float32. Train loss: the
  binary cross-entropy at the training rows' given (flipped) labels; test loss: the cross-entropy to the teacher's
  probabilities on held-out rows of the same tasks (or of unseen tasks, through head_0).

A run whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, batches from train_twentyfirst.py, take from
train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py, logger and
train_until from train_seventyfourth.py and target_noise from train_seventysixth.py; one thread, every random draw
from a seeded torch.Generator (teachers, group sizes, splits, target noise, label draws and flips, initialisations,
minibatches), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final
marks it.

    /usr/bin/python3 train_hundredfourteenth.py --family ranslope-lmm-gd [--list] [--runs 0,3] [--out FILE]

Families (see README.md): ranslope-lmm-gd, groupembed-sklearn-mlp, taskhead-pool-bce. Evaluation spacings:
train.py's 'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's
'mixed:A:K', 'mixlog:A:K', 'geom:G', 'burst:P:B'.
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
from train_twentyfirst import batches  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import target_noise  # noqa: E402  (Gaussian noise of sd 'sd' on the training targets)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def group_sizes(g, G, n, imb, nmin):
    """The sizes of G groups that sum to n: at least nmin each, the rest shared in proportion to rank^-imb (imb 0:
    equal groups; 1: Zipf), the ranks in a random order (g); what the flooring leaves goes one a group, largest
    first."""
    rank = torch.randperm(G, generator=g).to(F64) + 1
    p = rank ** (-float(imb))
    p = p / p.sum()
    s = torch.floor(p * (n - nmin * G)).long() + nmin
    order = torch.argsort(p, descending=True)
    for i in range(n - int(s.sum())):
        s[order[i % G]] += 1
    return s


def pool_tag(c):
    return {"fixed": "fixed-prior-scale", "none": "no-pooling", "complete": "complete-pooling",
            "learned": "learned-prior-scale", "ml": "learned-prior-scale-marginal-likelihood"}[c["pool"]]


# ---------------------------------------------------------------------------------------------------- ranslope-lmm-gd


def lmm_data(g, c):
    """Synthetic grouped rows, float64: inputs N(0, I_d); the mean mu + x beta + b_j + x[:, :qtrue] u_j, mu 0.5, beta
    N(0, I / d) times sqrt(fix), the random intercepts b_j N(0, taub^2), the random slopes u_j N(0, taut^2 I); the
    training targets that plus noise sd 'sigma'. 'groups' groups of group_sizes ('n' rows, exponent 'imb', at least
    'nmin'), 'mtest' held-out rows a group with their noise-free means; 20 more (unseen) groups of 'mtest' rows each.
    Returns the training (x, group, y), the seen test (x, group, mean) and the unseen test (x, group, mean)."""
    d, q0, G, n, m, Gu = c["d"], c["qtrue"], c["groups"], c["n"], c["mtest"], 20
    beta = torch.randn(d, generator=g, dtype=F64) * math.sqrt(c["fix"] / d)
    b = c["taub"] * torch.randn(G + Gu, generator=g, dtype=F64)
    u = c["taut"] * torch.randn(G + Gu, q0, generator=g, dtype=F64)
    sizes = group_sizes(g, G, n, c["imb"], c["nmin"])

    def rows(gid):
        x = torch.randn(len(gid), d, generator=g, dtype=F64)
        return x, gid, 0.5 + x @ beta + b[gid] + (x[:, :q0] * u[gid]).sum(1)

    x, gid, mean = rows(torch.repeat_interleave(torch.arange(G), sizes))
    y = mean + c["sigma"] * torch.randn(n, generator=g, dtype=F64)
    seen = rows(torch.repeat_interleave(torch.arange(G), m))
    unseen = rows(torch.repeat_interleave(torch.arange(G, G + Gu), m))
    return (x, gid, y), seen, unseen, sizes


def lmm_design(x, gid, G, q):
    """The dense design [1, x, onehot(group), onehot(group) (x) x[:, :q]]: the global intercept, the fixed effects, the
    random intercepts, the random slopes (group-major). Rows of unseen groups (gid >= G) get zero random-effect
    columns: their random effects at the prior mean 0."""
    n = len(x)
    oh = torch.zeros(n, G, dtype=F64)
    ok = gid < G
    oh[ok.nonzero()[:, 0], gid[ok]] = 1.0
    slopes = (oh[:, :, None] * x[:, None, :q]).reshape(n, G * q)
    return torch.cat([torch.ones(n, 1, dtype=F64), x, oh, slopes], 1)


def ranslope_lmm_gd(w, run_id, c):
    """A linear mixed model, float64. Data (from the run's generator): lmm_data. The model's mean 1 mu + x beta + b_j +
    x[:, :q] u_j ('q' modelled random slopes, which may be more or fewer than the teacher's). Fits ('pool'):
    'fixed' minimises the penalised least squares (1 / 2n) (|y - Phi theta|^2 + sigma^2 (|b|^2 / taub_p^2 + |u|^2 /
    tau^2)) over all of theta = (mu, beta, b, u) (the random effects' Gaussian prior at the fixed prior scales taub_p
    1 and 'tau', the noise variance sigma^2 taken as known); 'none' the same without the penalty (no pooling: the
    minimum-norm interpolant where the rows allow); optimizer 'gd' (step lr / L, L the largest eigenvalue of the
    penalised objective's Hessian, one step an epoch), 'hb' (heavy ball, momentum 0.9, the same step), 'adam' (full
    batch, step lr) or 'sgd' (minibatches of 'batch', step lr / L, the penalty's gradient at every step), from zero.
    'ml' the exact marginal likelihood: the random effects (b_j, u_j) ~ N(0, diag(taub^2, tau^2 I_q)) integrated out
    group by group (Woodbury: each group's (1 + q) x (1 + q) posterior precision A_j = D^-1 + Z_j^T Z_j / s^2, its
    Cholesky factor in a batch), its mean negative log over the rows minimised over (mu, beta, log s, log taub, log
    tau) from (0, 0, 0, 0, 0) by Adam or gradient descent ('opt', full batch, step lr); predictions at the posterior
    means of the random effects, A_j^-1 Z_j^T (y_j - X_j beta) / s^2. Evaluation: the mean squared error on the
    training rows at their noisy targets; on the held-out rows ('test' 'seen': 'mtest' a training group; 'unseen':
    those of 20 groups not trained on, at the random effects' prior mean 0) at their noise-free means."""
    g = torch.Generator().manual_seed(1_141_000 + c["seed"])
    (x, gid, y), seen, unseen, sizes = lmm_data(g, c)
    xt, gt, yt = seen if c["test"] == "seen" else unseen
    G, q, d, n = c["groups"], c["q"], c["d"], c["n"]
    phi, phit = lmm_design(x, gid, G, q), lmm_design(xt, gt, G, q)
    p_fixed = 1 + d
    P = phi.shape[1]
    if c["pool"] == "ml":
        r = 1 + q
        Z = torch.cat([torch.ones(n, 1, dtype=F64), x[:, :q]], 1)
        S = torch.zeros(G, r, r, dtype=F64).index_add_(0, gid, Z[:, :, None] * Z[:, None, :])
        theta = torch.zeros(p_fixed, dtype=F64, requires_grad=True)
        logs = torch.zeros(3, dtype=F64, requires_grad=True)  # log s, log taub, log tau
        params = [theta, logs]
        opt = torch.optim.Adam(params, lr=c["lr"]) if c["opt"] == "adam" else torch.optim.SGD(params, lr=c["lr"])

        def blup():
            s2 = torch.exp(2 * logs[0])
            dinv = torch.cat([torch.exp(-2 * logs[1:2]), torch.exp(-2 * logs[2:3]).expand(q)])
            res = y - phi[:, :p_fixed] @ theta
            cj = torch.zeros(G, r, dtype=F64).index_add(0, gid, Z * res[:, None]) / s2
            A = torch.diag(dinv)[None] + S / s2
            Lc = torch.linalg.cholesky(A)
            uh = torch.cholesky_solve(cj[:, :, None], Lc)[:, :, 0]
            return res, s2, dinv, cj, Lc, uh

        def step(idx):
            opt.zero_grad()
            res, s2, dinv, cj, Lc, uh = blup()
            logdet = n * torch.log(s2) - G * torch.log(dinv).sum() + 2 * torch.log(
                torch.diagonal(Lc, dim1=1, dim2=2)).sum()
            quad = (res ** 2).sum() / s2 - (cj * uh).sum()
            (0.5 * (logdet + quad) / n).backward()
            opt.step()

        def coef():
            uh = blup()[5]
            return torch.cat([theta.detach(), uh[:, 0], uh[:, 1:].reshape(-1)])

        n_params = p_fixed + 3 + G * r
    else:
        lam = torch.zeros(P, dtype=F64)
        if c["pool"] == "fixed":
            lam[p_fixed:p_fixed + G] = c["sigma"] ** 2 / c["taubp"] ** 2
            lam[p_fixed + G:] = c["sigma"] ** 2 / c["tau"] ** 2
        gram = phi @ phi.T if n < P else phi.T @ phi  # the same largest eigenvalue, the smaller matrix
        L = float(torch.linalg.eigvalsh(gram / n)[-1]) + float(lam.max()) / n
        st = {"theta": torch.zeros(P, dtype=F64), "v": torch.zeros(P, dtype=F64)}
        if c["opt"] == "adam":
            th = torch.zeros(P, dtype=F64, requires_grad=True)
            opt = torch.optim.Adam([th], lr=c["lr"])
            st["theta"] = th

        def grad(idx):
            pb, yb = take(phi, idx), take(y, idx)
            return pb.T @ (pb @ st["theta"] - yb) / len(yb) + lam * st["theta"] / n

        def step(idx):
            if c["opt"] == "adam":
                opt.zero_grad()
                with torch.enable_grad():
                    th = st["theta"]
                    obj = 0.5 * ((phi @ th - y) ** 2).mean() + 0.5 * (lam * th ** 2).sum() / n
                    obj.backward()
                opt.step()
                return
            gr = grad(idx)
            if c["opt"] == "hb":
                st["v"] = 0.9 * st["v"] + gr
                gr = st["v"]
            st["theta"] = st["theta"] - c["lr"] / L * gr

        def coef():
            return st["theta"].detach()

        n_params = P
    run = w.run(run_id, n_params, n, {"family": "linear-mixed-model", "fixed_effects": p_fixed, "groups": G,
                                      "random_slopes": q, "random_effects_per_group": 1 + q},
                settings(c, ("seed", "n", "d", "qtrue", "q", "groups", "imb", "nmin", "sigma", "taub", "taut", "pool",
                             "tau", "taubp", "opt", "lr", "batch", "test", "mtest", "eval"))
                | {"optimizer": c["opt"], "fit": "marginal-likelihood" if c["pool"] == "ml" else "penalised-lsq",
                   "pooling": pool_tag(c), "loss": "mse", "test_loss": "heldout-mse-noisefree-%s-groups" % c["test"],
                   "test_size": str(len(xt)), "smallest_group": str(int(sizes.min())),
                   "largest_group": str(int(sizes.max())), "full_batch": "false" if c.get("batch") else "true"})
    log_ = logger(run)

    def log(e, final):
        th = coef()
        log_(e, ((phi @ th - y) ** 2).mean(), ((phit @ th - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_ranslope_lmm_gd():
    # The logic: 600 rows in 40 groups of Zipf sizes (at least 3 rows; the largest about 130), 20 fixed-effect inputs,
    # a random intercept (sd 1) and random slopes on the first 5 inputs (sd 0.5), noise sd 1. The model fits random
    # slopes on the first 20 inputs (a random intercept and 20 slopes a group: 861 coefficients for 600 rows, so that
    # every group under 21 rows, most of them, can interpolate its own rows), under the random effects' prior at the
    # scale 0.5 (the true slopes' scale; the intercept's prior scale 1), by full-batch gradient descent at the step
    # 1 / L for 3,000 epochs. The prior scale on both sides: none (no pooling, the interpolant), 3, 0.2 and 0.05
    # (near complete pooling); and learned: the marginal likelihood by Adam (0.02, 800 epochs), with 20 and with 5
    # modelled slopes. The model's size on both sides: 0, 5 (the teacher's) and 10 slopes, and 40 slopes on 40 inputs;
    # 100 groups; equal and very unequal (exponent 2) sizes; noise sd 0.5 and 2 (without pooling); 300 rows; heavy
    # ball, Adam (0.01) and minibatch SGD (20 rows, step 0.5 / L, 300 epochs); and the test on 20 unseen groups (no
    # pooling; the marginal likelihood). Evaluation spacing mixed.
    base = dict(n=600, d=20, qtrue=5, q=20, groups=40, imb=1.0, nmin=3, sigma=1.0, taub=1.0, taut=0.5, fix=1.0,
                pool="fixed", tau=0.5, taubp=1.0, opt="gd", lr=1.0, batch=None, test="seen", mtest=20, epochs=3000,
                eval="every:6")
    none = dict(pool="none", tau=None, taubp=None)
    ml = dict(pool="ml", tau=None, taubp=None, opt="adam", lr=0.02, epochs=800)
    return ranslope_lmm_gd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(none, eval="log:40"),
        dict(tau=3.0, eval="every:4"),
        dict(tau=0.2, eval="jitter:40"),
        dict(tau=0.05, eval="every:8"),
        dict(ml, eval="every:2"),
        dict(ml, q=5, eval="every:3"),
        dict(q=0, eval="every:5"),
        dict(none, q=5, eval="mixed:100:10"),
        dict(none, q=10, eval="every:5"),
        dict(d=40, q=40, eval="geom:5"),
        dict(groups=100, eval="burst:100:10"),
        dict(imb=0.0, eval="every:4"),
        dict(imb=2.0, eval="every:5"),
        dict(none, sigma=2.0, eval="every:5"),
        dict(none, sigma=0.5, eval="mixlog:50:40"),
        dict(n=300, eval="every:5"),
        dict(opt="hb", epochs=1000, eval="every:3"),
        dict(opt="adam", lr=0.01, epochs=1500, eval="geom:4"),
        dict(opt="sgd", lr=0.5, batch=20, epochs=300, eval="every"),
        dict(none, test="unseen", eval="rand:150"),
        dict(ml, test="unseen", eval="every:3"),
    ], lambda r: "n%d-d%d-G%d-imb%g-q%d-sig%g-%s-%s-lr%g%s%s" % (
        r["n"], r["d"], r["groups"], r["imb"], r["q"], r["sigma"],
        r["pool"] + ("%g" % r["tau"] if r["pool"] == "fixed" else ""), r["opt"], r["lr"],
        "-b%d" % r["batch"] if r.get("batch") else "", "-unseen" if r["test"] == "unseen" else ""))


# --------------------------------------------------------------------------------------------- groupembed-sklearn-mlp


def grouped_real(g, c):
    """Rows of a data set scikit-learn ships with a group each, float32: 'diabetes' (the raw columns: the target the
    progression, the inputs bmi, bp and s1-s6, the group sex times the age band floor((age - 19) / 'band')), 'wine'
    (the target alcohol, the inputs the other twelve columns, the group the cultivar) or 'iris' (the target petal
    width, the inputs the other three, the group the species). Whole groups held out: 'unseen' groups drawn at random
    (g); of the others' rows a share 'hold' (at least one a group of two or more, never all) held out at random, the
    rest for training. Inputs and target standardised on the training rows; Gaussian target noise ('sd') on the
    training targets (target_noise). Returns (x, group, y), the seen test, the unseen test and the number of groups."""
    from sklearn.datasets import load_diabetes, load_iris, load_wine
    if c["data"] == "diabetes":
        xs, ys = load_diabetes(return_X_y=True, scaled=False)
        X = torch.tensor(xs, dtype=F64)
        age_band = torch.floor((X[:, 0] - 19) / c["band"]).long()
        grp = (X[:, 1].long() - 1) * int(age_band.max() + 1) + age_band
        X, Y = X[:, 2:], torch.tensor(ys, dtype=F64)
    else:
        xs, ys = (load_wine if c["data"] == "wine" else load_iris)(return_X_y=True)
        X, grp = torch.tensor(xs, dtype=F64), torch.tensor(ys).long()
        col = 0 if c["data"] == "wine" else 3
        Y = X[:, col].clone()
        X = torch.cat([X[:, :col], X[:, col + 1:]], 1)
    ids = torch.unique(grp)
    grp = torch.searchsorted(ids, grp)  # groups numbered 0 .. G - 1, empty age bands dropped
    G = len(ids)
    unseen = set(torch.randperm(G, generator=g)[:c.get("unseen") or 0].tolist())
    tr, te, tu = [], [], []
    for j in range(G):
        rows = (grp == j).nonzero()[:, 0]
        rows = rows[torch.randperm(len(rows), generator=g)]
        if j in unseen:
            tu.append(rows)
            continue
        k = min(len(rows) - 1, max(1 if len(rows) > 1 else 0, int(round(c["hold"] * len(rows)))))
        te.append(rows[:k])
        tr.append(rows[k:])
    tr, te = torch.cat(tr), torch.cat(te)
    tu = torch.cat(tu) if tu else torch.zeros(0, dtype=torch.long)
    mu, sd = X[tr].mean(0), X[tr].std(0)
    X = (X - mu) / sd
    Y = (Y - Y[tr].mean()) / Y[tr].std()
    y = target_noise(g, c, Y[tr].clone())

    def part(idx, t):
        return X[idx].to(F32), grp[idx], t.to(F32)

    return part(tr, y), part(te, Y[te]), part(tu, Y[tu]), G, unseen


def groupembed_sklearn_mlp(w, run_id, c):
    """A ReLU MLP on [x, e_group] (grouped_real's columns and a learned 'emb'-dimensional embedding of the row's
    group), 'depth' hidden layers of 'hid' units, one output, float32. Weights U(+-1 / sqrt(fan-in)), embeddings
    N(0, 0.1^2), all from the run's generator; emb 0: no embedding (complete pooling). Objective: the mean squared
    error of the standardised target over the minibatch plus the embeddings' Gaussian prior, sum_g |e_g|^2 / (s^2 n)
    ('s' the prior scale; none: no pooling). Optimizer: Adam, AdamW (weight decay 'wd' on everything) or SGD with
    momentum 0.9, step lr, minibatches of 'batch'. Evaluation: the mean squared error on the training rows at their
    (noisy) targets; on the held-out rows of the training groups at their true targets, together with (where
    'unseen' groups were held out whole) every row of those groups, whose embedding is the prior mean 0."""
    g = torch.Generator().manual_seed(1_142_000 + c["seed"])
    (x, gid, y), (xt, gt, yt), (xu, gu, yu), G, unseen = grouped_real(g, c)
    n, dx, k = len(x), x.shape[1], c["emb"]
    params = mlp_params(g, [dx + k] + [c["hid"]] * c["depth"] + [1], F32)
    E = (0.1 * torch.randn(G, k, generator=g)).requires_grad_()
    allp = params + ([E] if k else [])
    if c["opt"] in ("adam", "adamw"):
        opt = (torch.optim.Adam if c["opt"] == "adam" else torch.optim.AdamW)(allp, lr=c["lr"],
                                                                              weight_decay=c.get("wd") or 0.0)
    else:
        opt = torch.optim.SGD(allp, lr=c["lr"], momentum=0.9)
    mask = torch.tensor([0.0 if j in unseen else 1.0 for j in range(G)])[:, None]
    pen = 0.0 if c.get("s") is None else 1.0 / (c["s"] ** 2 * n)

    def predict(z, gr):
        inp = torch.cat([z, (E * mask)[gr]], 1) if k else z
        return mlp(params, inp, torch.relu)[:, 0]

    def step(idx):
        opt.zero_grad()
        obj = ((predict(take(x, idx), take(gid, idx)) - take(y, idx)) ** 2).mean()
        if k and pen:
            obj = obj + pen * (E ** 2).sum()
        obj.backward()
        opt.step()

    xt_all, gt_all, yt_all = torch.cat([xt, xu]), torch.cat([gt, gu]), torch.cat([yt, yu])
    run = w.run(run_id, count(allp) - (len(unseen) * k), n,
                {"family": "mlp", "width": c["hid"], "depth": c["depth"], "activation": "relu", "inputs": dx,
                 "group_embedding": k, "groups": G},
                settings(c, ("seed", "data", "band", "hold", "unseen", "sd", "emb", "s", "hid", "depth", "opt", "lr",
                             "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "pooling": "complete-pooling" if not k else
                   "no-pooling" if c.get("s") is None else "fixed-prior-scale",
                   "test_loss": "heldout-mse-true-targets" + ("-seen-and-unseen-groups" if unseen else ""),
                   "test_size": str(len(yt_all)), "full_batch": "false"})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((predict(x, gid) - y) ** 2).mean(), ((predict(xt_all, gt_all) - yt_all) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_groupembed_sklearn_mlp():
    # The logic: the diabetes's 442 patients in 14 groups (2 sexes times 7 ten-year age bands, from 3 to 60 patients),
    # 40% of every group's rows held out (about 265 for training); the progression from the 8 other columns and a
    # 4-dimensional embedding of the group, a ReLU MLP 12 -> 128 -> 1 (1,793 weights and 56 embedding entries, about
    # seven a patient, so it can fit the progression's noise), Adam at 1e-3 on minibatches of 16 for 400 epochs, the
    # embeddings' prior scale 1 (a group's shift of about the target's sd). The prior on both sides: none (no pooling),
    # 3, 0.3, 0.1, and no embedding at all (complete pooling). The width on both sides: 16 and 1,024, and two layers of
    # 128; 16-dimensional embeddings without a prior; five-year age bands (26 groups); target noise sd 0.5 and 1 (the
    # latter unpooled); 70% of the rows held out; 3 whole groups held out as unseen groups (with and without the
    # prior); momentum SGD at 0.01; AdamW (weight decay 0.01) for 1,000 epochs; width 16 for 80 epochs; and the wine
    # (alcohol, 3 cultivars, 40% held out; also with target noise sd 0.5 and no pooling) and the iris (petal width, 3
    # species, half held out). Evaluation spacing mixed.
    base = dict(data="diabetes", band=10, hold=0.4, unseen=None, sd=None, emb=4, s=1.0, hid=128, depth=1, opt="adam",
                lr=1e-3, wd=None, batch=16, epochs=400, eval="every:2")
    return groupembed_sklearn_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(s=None, eval="every:3"),
        dict(s=3.0, eval="log:40"),
        dict(s=0.3, eval="jitter:40"),
        dict(s=0.1, eval="every:2"),
        dict(emb=0, s=None, eval="every:2"),
        dict(hid=16, eval="every"),
        dict(hid=1024, eval="every:3"),
        dict(depth=2, eval="mixed:50:4"),
        dict(emb=16, s=None, eval="every:2"),
        dict(band=5, eval="every:2"),
        dict(sd=0.5, eval="every:2"),
        dict(sd=1.0, s=None, eval="burst:40:8"),
        dict(hold=0.7, eval="every:2"),
        dict(unseen=3, eval="rand:120"),
        dict(unseen=3, s=None, eval="geom:3"),
        dict(opt="sgd", lr=0.01, eval="every:2"),
        dict(opt="adamw", wd=0.01, epochs=1000, eval="mixlog:30:40"),
        dict(hid=16, epochs=80, eval="every"),
        dict(data="wine", eval="every"),
        dict(data="wine", sd=0.5, s=None, eval="every:3"),
        dict(data="iris", hold=0.5, eval="every:2"),
    ], lambda r: "%s%s-hold%g%s%s-emb%d-%s-relu%dx%d-%s-lr%g%s" % (
        r["data"], "-band%d" % r["band"] if r["data"] == "diabetes" else "", r["hold"],
        "-unseen%d" % r["unseen"] if r.get("unseen") else "", "-sd%g" % r["sd"] if r.get("sd") else "", r["emb"],
        ("s%g" % r["s"] if r.get("s") is not None else "nopool") if r["emb"] else "pooled", r["hid"], r["depth"],
        r["opt"], r["lr"], "-wd%g" % r["wd"] if r.get("wd") else ""))


# -------------------------------------------------------------------------------------------------- taskhead-pool-bce


def task_data(g, c):
    """Synthetic tasks, float32: inputs N(0, I_D); a shared teacher phi*(x) = tanh(x W*) (W* N(0, 1 / D), 16 units);
    task t's logit kappa a_t . phi*(x) / scale, a_t = a_0 + rho xi_t (a_0, xi_t N(0, I)), scale the logit's sd over
    the tasks' held-out rows; 'tasks' tasks of group_sizes ('n' rows, exponent 'imb', at least 'nmin'), 40 held-out
    rows a task, 10 unseen tasks of 40 rows. Labels drawn from the teacher's probabilities, then a share 'flip' of the
    training labels flipped. Returns the training (x, task, label), the seen and the unseen test (x, task, teacher
    probability)."""
    D, T, Tu, m = c["D"], c["tasks"], 10, 16
    Ws = torch.randn(D, m, generator=g) / math.sqrt(D)
    a = torch.randn(1, m, generator=g) + c["rho"] * torch.randn(T + Tu, m, generator=g)
    sizes = group_sizes(g, T, c["n"], c["imb"], c["nmin"])
    tid = torch.repeat_interleave(torch.arange(T), sizes)
    t_seen, t_unseen = torch.arange(T).repeat_interleave(40), torch.arange(T, T + Tu).repeat_interleave(40)
    x, xs, xu = (torch.randn(len(t), D, generator=g) for t in (tid, t_seen, t_unseen))

    def raw(z, t):
        return (torch.tanh(z @ Ws) * a[t]).sum(1)

    scale = float(torch.cat([raw(xs, t_seen), raw(xu, t_unseen)]).std())

    def prob(z, t):
        return torch.sigmoid(c["kappa"] * raw(z, t) / scale)

    y = (torch.rand(len(tid), generator=g) < prob(x, tid)).float()
    if c.get("flip"):
        hit = torch.rand(len(y), generator=g) < c["flip"]
        y = torch.where(hit, 1 - y, y)
    return (x, tid, y), (xs, t_seen, prob(xs, t_seen)), (xu, t_unseen, prob(xu, t_unseen)), sizes


def taskhead_pool_bce(w, run_id, c):
    """A shared ReLU trunk D -> hid (x 'depth') and one logistic head a task, float32. Weights U(+-1 / sqrt(fan-in))
    from the run's generator (mlp_params); 'trunk' 'random' leaves them at their draw (random features), 'trained'
    trains them. Heads: logit = h(x) . (w_0 + delta_t) + (c_0 + gamma_t), all from zero. Pooling ('pool'): 'fixed'
    adds the deltas' Gaussian prior sum_t |(delta_t, gamma_t)|^2 / (2 tau^2 n) to the mean binary cross-entropy;
    'learned' the same with tau^2 set after every step to its conditional mode under a scaled inverse chi-square
    hyperprior of 10 degrees of freedom and scale 1, (10 + sum_t |(delta_t, gamma_t)|^2) / (10 + T (hid + 1) + 2),
    from 1; 'none' no penalty (no pooling); 'complete' no deltas (one head for every task). Optimizer: Adam or SGD
    with momentum 0.9, step lr, minibatches of 'batch'. Evaluation: the binary cross-entropy on the training rows at
    their given (flipped) labels; the cross-entropy to the teacher's probabilities on 40 held-out rows of every
    training task ('test' 'seen') or of 10 unseen tasks ('unseen', through w_0 and c_0); error rates: the training
    rows' given labels missed, the held-out rows' likelier labels missed."""
    g = torch.Generator().manual_seed(1_143_000 + c["seed"])
    (x, tid, y), seen, unseen, sizes = task_data(g, c)
    xt, tt, pt = seen if c["test"] == "seen" else unseen
    n, T, h = len(x), c["tasks"], c["hid"]
    trunk = mlp_params(g, [c["D"]] + [h] * c["depth"], F32)
    w0, c0 = torch.zeros(h, requires_grad=True), torch.zeros(1, requires_grad=True)
    delta, gamma = torch.zeros(T, h, requires_grad=True), torch.zeros(T, requires_grad=True)
    train_trunk = c["trunk"] == "trained"
    heads = [w0, c0] + ([] if c["pool"] == "complete" else [delta, gamma])
    allp = (trunk if train_trunk else []) + heads
    opt = torch.optim.Adam(allp, lr=c["lr"]) if c["opt"] == "adam" else torch.optim.SGD(allp, lr=c["lr"],
                                                                                         momentum=0.9)
    st = {"tau2": c["tau"] ** 2 if c["pool"] == "fixed" else 1.0}

    def features(z):
        return torch.relu(mlp(trunk, z, torch.relu))

    fx = None if train_trunk else features(x).detach()

    def logits(f, t):
        if c["pool"] == "complete":
            return f @ w0 + c0
        tt_ = t.clamp(max=T - 1)
        known = (t < T).to(f.dtype)
        return (f * (w0 + known[:, None] * delta[tt_])).sum(1) + c0 + known * gamma[tt_]

    def step(idx):
        opt.zero_grad()
        f = features(take(x, idx)) if train_trunk else take(fx, idx)
        obj = fn.binary_cross_entropy_with_logits(logits(f, take(tid, idx)), take(y, idx))
        if c["pool"] in ("fixed", "learned"):
            obj = obj + ((delta ** 2).sum() + (gamma ** 2).sum()) / (2 * st["tau2"] * n)
        obj.backward()
        opt.step()
        if c["pool"] == "learned":
            with torch.no_grad():
                st["tau2"] = (10.0 + float((delta ** 2).sum() + (gamma ** 2).sum())) / (10.0 + T * (h + 1) + 2)

    n_params = count(trunk) + count(heads)
    run = w.run(run_id, n_params, n, {"family": "mlp-multitask-heads", "width": h, "depth": c["depth"],
                                      "activation": "relu", "tasks": T, "trunk": c["trunk"]},
                settings(c, ("seed", "D", "tasks", "n", "imb", "nmin", "rho", "kappa", "flip", "hid", "depth", "trunk",
                             "pool", "tau", "opt", "lr", "batch", "test", "eval"))
                | {"optimizer": c["opt"], "loss": "binary-cross-entropy", "pooling": pool_tag(c),
                   "test_loss": "heldout-ce-to-teacher-probabilities-%s-tasks" % c["test"], "error": "misclassified",
                   "test_size": str(len(xt)), "smallest_task": str(int(sizes.min())),
                   "largest_task": str(int(sizes.max())), "full_batch": "false"})
    log_ = logger(run)

    def log(e, final):
        f = features(x) if train_trunk else fx
        o, ot = logits(f, tid), logits(features(xt), tt)
        log_(e, fn.binary_cross_entropy_with_logits(o, y), fn.binary_cross_entropy_with_logits(ot, pt),
             ((o > 0).float() != y).float().mean(), ((ot > 0) != (pt > 0.5)).float().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_taskhead_pool_bce():
    # The logic: 30 tasks of Zipf sizes (900 training rows, at least 5 a task; the largest about 220), 10 inputs, a
    # shared 16-unit tanh teacher with task readouts scattered around a common one (spread 0.5 of its scale), logits
    # of sd 4, 10% of the training labels flipped; a ReLU trunk 10 -> 64 trained with the heads (704 trunk weights, 65
    # a head: 2,719 weights, three a row, so that the small tasks' heads can fit their flipped labels), the deltas'
    # prior scale 0.5, Adam at 3e-3 on minibatches of 32 for 150 epochs. The pooling on both sides: none, the prior
    # scale 2 and 0.15, learned, and complete (one head). The width on both sides: 8 and 512, two layers of 64; a frozen
    # random trunk of 256 features (heads only, 400 epochs; without pooling and at the scale 0.5); clean labels and 30%
    # flipped (unpooled); the tasks' spread 1.5 (unpooled) and 0 (identical tasks); very unequal sizes (exponent 2); 80
    # tasks; momentum SGD at 0.05; the test on 10 unseen tasks (pooled at 0.5 and unpooled); and Adam at 0.03 for 40
    # epochs. Evaluation spacing mixed.
    base = dict(D=10, tasks=30, n=900, imb=1.0, nmin=5, rho=0.5, kappa=4.0, flip=0.1, hid=64, depth=1,
                trunk="trained", pool="fixed", tau=0.5, opt="adam", lr=3e-3, batch=32, test="seen", epochs=150,
                eval="every")
    none = dict(pool="none", tau=None)
    rand = dict(trunk="random", hid=256, epochs=400)
    return taskhead_pool_bce, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(none, eval="every:2"),
        dict(pool="complete", tau=None, eval="every"),
        dict(tau=2.0, eval="log:40"),
        dict(tau=0.15, eval="jitter:40"),
        dict(pool="learned", tau=None, eval="every"),
        dict(hid=8, eval="every"),
        dict(hid=512, eval="every:2"),
        dict(depth=2, eval="every:3"),
        dict(rand, **none, eval="every:2"),
        dict(rand, eval="mixed:50:4"),
        dict(flip=None, eval="every"),
        dict(none, flip=0.3, eval="burst:25:5"),
        dict(none, rho=1.5, eval="geom:3"),
        dict(rho=0.0, eval="every:2"),
        dict(imb=2.0, eval="every:2"),
        dict(tasks=80, nmin=3, eval="every:2"),
        dict(opt="sgd", lr=0.05, eval="every"),
        dict(test="unseen", eval="rand:80"),
        dict(none, test="unseen", eval="every:2"),
        dict(lr=0.03, epochs=40, eval="every"),
    ], lambda r: "T%d-n%d-imb%g-rho%g%s-%s%dx%d-%s-%s-lr%g%s" % (
        r["tasks"], r["n"], r["imb"], r["rho"], "-flip%g" % r["flip"] if r.get("flip") else "",
        "rf" if r["trunk"] == "random" else "relu", r["hid"], r["depth"],
        r["pool"] + ("%g" % r["tau"] if r["pool"] == "fixed" else ""), r["opt"], r["lr"],
        "-unseen" if r["test"] == "unseen" else ""))


FAMILIES = {"ranslope-lmm-gd": runs_ranslope_lmm_gd, "groupembed-sklearn-mlp": runs_groupembed_sklearn_mlp,
            "taskhead-pool-bce": runs_taskhead_pool_bce}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
