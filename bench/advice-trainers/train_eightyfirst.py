#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighty-first held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_seventyeighth.py in
optimizer and constraint. The theme of the round is constrained and non-Euclidean optimisation: the weights kept in a
convex set (an l1 ball, a box, the probability simplex, a nuclear-norm ball) by Frank-Wolfe's linear minimisation over
the set (conditional gradient), by a Euclidean projection onto it, or by a mirror map (exponentiated gradient):

- fw-l1-ball: sparse linear regression (and logistic regression) with the weights in an l1 ball of radius tau (a box,
  the l-infinity ball, in 2 runs) by Frank-Wolfe from zero: each iteration moves towards the ball's vertex that
  minimises the gradient's inner product (one signed coordinate times tau; the box's corner), the step by an exact
  line search on the squared error (the short step min(1, -g.d / (L |d|^2)) on the logistic loss; the open-loop 2 / (t
  + 2) in 2 runs); projected gradient (the l1 projection by a sort, Duchi et al. 2008; the box's by clamping) in 4
  runs; stochastic Frank-Wolfe on minibatches in 1. Data: a synthetic sparse teacher on correlated Gaussian inputs
  (AR(1) correlation), scikit-learn's diabetes with its squares and pairwise products (65 features), scikit-learn's
  breast cancer (logistic). Noise: Gaussian (Student-t in 1 run) target noise; flipped labels on the breast cancer.
- eg-exemplar-mix: each target (a digit image, or a spectrum) predicted from a share of its values as a convex
  combination of fixed library exemplars (other digits; smooth library spectra: spectral unmixing), the weights of
  every target on the probability simplex, by least squares: exponentiated gradient (entropic mirror descent) from
  the uniform weights at a fixed step or a step falling as 1 / sqrt(t), projected gradient onto the simplex (by a
  sort) and Frank-Wolfe on the simplex (exact line search, or the open-loop step). Data: scikit-learn's digits and
  synthetic spectra. Noise: Gaussian noise on the observed values; a share of them replaced by uniform draws in 1 run.
- fw-nuclear-complete: low-rank matrix completion with the matrix in a nuclear-norm ball by Frank-Wolfe from zero (each
  iteration a rank-one vertex -tau u v^T from the gradient's top singular pair, by an SVD; an exact line search on the
  squared error of the observed entries, the open-loop 2 / (t + 2) in 1 run) and projected gradient onto the ball (an
  SVD and the singular values projected onto the l1 ball) in 3 runs. Data: a synthetic low-rank matrix of unit
  root-mean-square entries and scikit-learn's breast cancer as a patients x measurements matrix (standardised), a
  share of the entries observed. Noise: Gaussian noise on the observed entries; large spikes on a share of them in 1
  run.

A run whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, diabetes_products from train_thirtythird.py, real_classes from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, and logger and train_until (train_thirtyninth.py's
epoch_loop, with eval_epochs, ended by a NaN or infinite loss) from train_seventyfourth.py, and target_noise from
train_seventysixth.py (moved there after the curves were made, the same draws); one thread, every random
draw from a seeded torch.Generator (teachers, inputs, noise, splits, flips, spikes, exemplars, spectra, masks,
minibatches), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks
it.

    /usr/bin/python3 train_eightyfirst.py --family fw-l1-ball [--list] [--runs 0,3] [--out FILE]

Families (see README.md): fw-l1-ball, eg-exemplar-mix, fw-nuclear-complete. Evaluation spacings: train.py's 'every',
'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K', 'mixlog:A:K',
'geom:G', 'burst:P:B'.
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
from train_thirtythird import diabetes_products  # noqa: E402
from train_thirtysixth import real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import target_noise  # noqa: E402  (Gaussian or Student-t target noise)

torch.set_num_threads(1)

F64 = torch.float64


# ---------------------------------------------------------------------------------------------------- projections


def project_l1(v, tau):
    """The Euclidean projection of v onto the l1 ball of radius tau (Duchi, Shalev-Shwartz, Singer & Chandra 2008):
    soft-thresholding at the theta found by sorting |v|."""
    a = v.abs()
    if float(a.sum()) <= tau:
        return v.clone()
    u = torch.sort(a, descending=True).values
    cs = torch.cumsum(u, 0)
    j = torch.arange(1, len(u) + 1, dtype=v.dtype)
    rho = int(torch.nonzero(u > (cs - tau) / j).max())
    theta = (cs[rho] - tau) / (rho + 1)
    return torch.sign(v) * torch.clamp(a - theta, min=0.0)


# ---------------------------------------------------------------------------------------------------- fw-l1-ball


def sparse_data(g, c):
    """(x, y, xt, yt, ref), float64, from g. 'synth': d inputs N(0, Sigma), Sigma_ij = rho^|i - j| (AR(1)), a teacher
    theta with k nonzero coordinates (random places, magnitudes U(0.5, 1.5), random signs) scaled to unit signal
    variance theta' Sigma theta = 1; n training and 2,000 test points, the test targets clean; ref = |theta|_1.
    'diabetes': diabetes_products (the 10 standardised columns and their 55 standardised squares and products, the
    standardised progression), n patients for training and the others held out; ref = 1. 'cancer': real_classes'
    breast cancer (standardised on the n training patients) with a constant column appended, labels as +-1, a share
    flip of the training labels flipped; ref = 1. The training targets of the regressions plus sd times N(0, 1) (a
    Student-t of 'df' degrees of freedom scaled to sd where set)."""
    if c["data"] == "cancer":
        x, y, xt, yt, K = real_classes(g, "cancer", c["n"], 1.0, F64)
        y = flip_labels(g, y, K, c.get("flip"))
        one = torch.ones(len(x), 1, dtype=F64)
        x, xt = torch.cat([x, one], 1), torch.cat([xt, torch.ones(len(xt), 1, dtype=F64)], 1)
        return x, 2.0 * y.to(F64) - 1, xt, 2.0 * yt.to(F64) - 1, 1.0
    if c["data"] == "diabetes":
        X, Y, tr, te = diabetes_products(g, c["n"], 1.0, F64)
        x, y, xt, yt, ref = X[tr], Y[tr], X[te], Y[te], 1.0
    else:
        d, k = c["d"], c["k"]
        i = torch.arange(d, dtype=F64)
        Sig = torch.pow(torch.tensor(c["rho"], dtype=F64), (i[:, None] - i[None, :]).abs())
        R = torch.linalg.cholesky(Sig)
        theta = torch.zeros(d, dtype=F64)
        pos = torch.randperm(d, generator=g)[:k]
        mag = torch.rand(k, generator=g, dtype=F64) + 0.5
        sgn = torch.where(torch.rand(k, generator=g) < 0.5, -1.0, 1.0).to(F64)
        theta[pos] = mag * sgn
        theta = theta / torch.sqrt(theta @ Sig @ theta)
        x = torch.randn(c["n"], d, generator=g, dtype=F64) @ R.T
        xt = torch.randn(2000, d, generator=g, dtype=F64) @ R.T
        y, yt, ref = x @ theta, xt @ theta, float(theta.abs().sum())
    y = target_noise(g, c, y)
    return x, y, xt, yt, ref


def fw_l1_ball(w, run_id, c):
    """Linear regression on the mean squared error ('mse') or logistic regression on the mean logistic loss ('logistic',
    the breast cancer) with the weights in a ball: 'l1' {|w|_1 <= tau ref} or 'box' {|w|_inf <= tau ref}, float64,
    from w = 0. Data: sparse_data. 'fw': Frank-Wolfe, the vertex s minimising <g, s> (-tau ref sign(g_j) e_j at the
    largest |g_j| for the l1 ball; -tau ref sign(g) for the box), w <- w + gamma (s - w), gamma by 'step': 'exact' the
    squared error's line search clip(-(r . X d) / |X d|^2, 0, 1) (r the residuals, d = s - w), 'short' min(1, -g . d /
    (L |d|^2)) with L the loss's smoothness bound (2 lambda_max(X'X / n), or lambda_max / 4 for the logistic loss),
    'open' 2 / (t + 2), t the iterations done. 'pgd': projected gradient, w <- P(w - lr g / L) (project_l1 or a
    clamp). 'iters' iterations an epoch on the whole set, or one a minibatch of 'batch' (stochastic, the gradient and
    the line search on the minibatch). Train loss: the objective on the training targets (noisy where noise is set);
    test loss: the mean squared error against the clean targets of the test points (the held-out patients' progression
    on the diabetes), or the logistic loss of the held-out patients' true labels; error rates (logistic): the shares of
    wrong signs. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(811_000 + c["seed"])
    x, y, xt, yt, ref = sparse_data(g, c)
    n, d = x.shape
    logistic = c["data"] == "cancer"
    R = c["tau"] * ref
    top = float(torch.linalg.eigvalsh(x.T @ x / n)[-1])
    L = top / 4 if logistic else 2 * top
    st = {"w": torch.zeros(d, dtype=F64), "t": 0}

    def loss(xx, yy, wv):
        z = xx @ wv
        if logistic:
            return torch.nn.functional.softplus(-yy * z).mean()
        return ((z - yy) ** 2).mean()

    def grad(xx, yy, wv):
        z = xx @ wv
        if logistic:
            return -(xx.T @ (yy * torch.sigmoid(-yy * z))) / len(yy)
        return 2 * (xx.T @ (z - yy)) / len(yy)

    def one(idx):
        xx, yy, wv = take(x, idx), take(y, idx), st["w"]
        gr = grad(xx, yy, wv)
        if c["alg"] == "pgd":
            v = wv - c["lr"] * gr / L
            st["w"] = project_l1(v, R) if c["ball"] == "l1" else torch.clamp(v, -R, R)
        else:
            if c["ball"] == "l1":
                j = int(torch.argmax(gr.abs()))
                s = torch.zeros(d, dtype=F64)
                s[j] = -R * float(torch.sign(gr[j]))
            else:
                s = -R * torch.sign(gr)
            dv = s - wv
            if c["step"] == "open":
                gam = 2.0 / (st["t"] + 2)
            elif c["step"] == "exact":
                xd = xx @ dv
                den = float(xd @ xd)
                gam = min(1.0, max(0.0, -float((xx @ wv - yy) @ xd) / den)) if den > 0 else 0.0
            else:
                den = L * float(dv @ dv)
                gam = min(1.0, max(0.0, -float(gr @ dv) / den)) if den > 0 else 0.0
            st["w"] = wv + gam * dv
        st["t"] += 1

    def step(idx):
        for _ in range(1 if idx is not None else c.get("iters") or 1):
            one(idx)

    run = w.run(run_id, d, n, {"family": "logistic" if logistic else "linear", "features": d,
                               "constraint": "l1-ball" if c["ball"] == "l1" else "box"},
                settings(c, ("seed", "data", "n", "d", "k", "rho", "sd", "df", "flip", "ball", "tau", "alg", "step",
                             "lr", "iters", "batch", "eval"))
                | {"optimizer": "frank-wolfe" if c["alg"] == "fw" else "projected-gradient",
                   "radius": "%.6g" % R, "loss": "logistic" if logistic else "mse",
                   "full_batch": "false" if c.get("batch") else "true",
                   "test_loss": "heldout-logistic-true-labels" if logistic else
                   "heldout-mse" if c["data"] == "diabetes" else "mse-clean-target",
                   "test_size": str(len(yt))}, output_dim=1)
    log_ = logger(run)

    def log(e, final):
        wv = st["w"]
        if logistic:
            log_(e, loss(x, y, wv), loss(xt, yt, wv), ((x @ wv) * y <= 0).double().mean(),
                 ((xt @ wv) * yt <= 0).double().mean(), final=final)
        else:
            log_(e, loss(x, y, wv), loss(xt, yt, wv), final=final)

    train_until(g, n, c, step, log)


def runs_fw_l1_ball():
    # The logic: 100 points of 200 AR(1)-correlated Gaussian inputs (rho 0.5), a teacher with 10 nonzero weights (unit
    # signal variance), Gaussian target noise of sd 0.5; the weights in an l1 ball of twice the teacher's l1 norm, room
    # enough to fit much of the noise (more weights than points), by Frank-Wolfe from zero with the exact line search, one
    # iteration an epoch (each adds or moves one coordinate, as forward stagewise does), 300 epochs: the first vertices
    # pick up the teacher's large weights and the later ones the noise, the clean test error rising as they do. One
    # thing at a time besides: the radius 1 and 4 times the teacher's, the open-loop step 2 / (t + 2), projected
    # gradient (the step 1 / L) at 2 and 4 times, stochastic Frank-Wolfe on minibatches of 25 (the open-loop step), the
    # box at a tenth of the teacher's l1 norm (Frank-Wolfe and projected gradient), clean targets and noise sd 1,
    # Student-t noise (3 degrees of freedom), 50 and 200 points, strongly correlated inputs (rho 0.8), 3 and 30 nonzero
    # teacher weights, 4 iterations an epoch, scikit-learn's diabetes with products (150 patients, radius 8; Frank-Wolfe
    # and projected gradient), and the breast cancer's logistic regression (100 patients, 20% flipped, radius 30, the
    # short step, 10 iterations an epoch). Evaluation spacing mixed.
    base = dict(data="synth", n=100, d=200, k=10, rho=0.5, sd=0.5, df=None, flip=None, ball="l1", tau=2.0, alg="fw",
                step="exact", lr=None, iters=1, batch=None, epochs=300, eval="every")
    return fw_l1_ball, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(tau=1.0, eval="every:2"),
        dict(tau=4.0, eval="log:40"),
        dict(step="open", eval="every"),
        dict(alg="pgd", step=None, lr=1.0, eval="every:2"),
        dict(alg="pgd", step=None, lr=1.0, tau=4.0, eval="jitter:40"),
        dict(batch=25, iters=None, step="open", eval="every"),
        dict(ball="box", tau=0.1, eval="every:3"),
        dict(ball="box", tau=0.1, alg="pgd", step=None, lr=1.0, eval="geom:2"),
        dict(sd=None, eval="every:2"),
        dict(sd=1.0, eval="mixed:40:3"),
        dict(df=3.0, eval="every"),
        dict(n=50, eval="every:2"),
        dict(n=200, eval="burst:20:5"),
        dict(rho=0.8, eval="every:2"),
        dict(k=3, eval="mixlog:30:40"),
        dict(k=30, eval="every"),
        dict(iters=4, epochs=150, eval="every"),
        dict(data="diabetes", n=150, d=None, k=None, rho=None, sd=None, tau=8.0, eval="every:2"),
        dict(data="diabetes", n=150, d=None, k=None, rho=None, sd=None, tau=8.0, alg="pgd", step=None, lr=1.0,
             eval="rand:80"),
        dict(data="cancer", n=100, d=None, k=None, rho=None, sd=None, flip=0.2, tau=30.0, step="short", iters=10,
             eval="every:2"),
    ], lambda d: "%s-n%d%s%s%s-%s%g-%s%s%s%s" % (
        d["data"], d["n"], "-d%d-k%d-rho%g" % (d["d"], d["k"], d["rho"]) if d.get("d") else "",
        "-sd%g" % d["sd"] if d.get("sd") else "-flip%g" % d["flip"] if d.get("flip") else "-clean",
        "-t%g" % d["df"] if d.get("df") else "", d["ball"], d["tau"], d["alg"],
        "-%s" % d["step"] if d.get("step") else "-lr%g" % d["lr"],
        "-it%d" % d["iters"] if (d.get("iters") or 1) > 1 else "",
        "-b%d" % d["batch"] if d.get("batch") else ""))


# ---------------------------------------------------------------------------------------------------- eg-exemplar-mix


def exemplar_data(g, c):
    """(A, M, Y, T), float64, from g: K library exemplars as rows of A (K x P), D targets' clean values T (D x P), the
    mask M (D x P, 1 where a target's value is observed, each with probability q) and the observations Y (T plus sd
    times N(0, 1) where observed, a share 'spikes' of the observed values replaced by U(0, 1) draws; 0 elsewhere).
    'digits': scikit-learn's 8 x 8 digits (pixels over 16, P 64) in a random order, the first D the targets and the
    next K the library. 'synth': spectra over P bands, each a sum of 3 Gaussian bumps (centres U(0, P), widths U(3,
    12) bands, heights U(0.2, 1)) scaled to a largest value 1; K of them the library, each target a mixture of 'ends'
    of them (a random choice) with Dirichlet(1) abundances."""
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        X = torch.tensor(load_digits(return_X_y=True)[0], dtype=F64) / 16
        perm = torch.randperm(len(X), generator=g)
        T, A = X[perm[:c["D"]]], X[perm[c["D"]:c["D"] + c["K"]]]
    else:
        P, K, D = c["P"], c["K"], c["D"]
        b = torch.arange(P, dtype=F64)
        mu = P * torch.rand(K, 3, 1, generator=g, dtype=F64)
        wd = 3 + 9 * torch.rand(K, 3, 1, generator=g, dtype=F64)
        ht = 0.2 + 0.8 * torch.rand(K, 3, 1, generator=g, dtype=F64)
        A = (ht * torch.exp(-(b - mu) ** 2 / (2 * wd * wd))).sum(1)
        A = A / A.max(1, keepdim=True).values
        ends = torch.argsort(torch.rand(D, K, generator=g), 1)[:, :c["ends"]]
        ab = torch._standard_gamma(torch.ones(D, c["ends"], dtype=F64), generator=g)
        W = torch.zeros(D, K, dtype=F64).scatter_(1, ends, ab / ab.sum(1, keepdim=True))
        T = W @ A
    M = (torch.rand(T.shape, generator=g) < c["q"]).to(F64)
    Y = T + (c.get("sd") or 0.0) * torch.randn(T.shape, generator=g, dtype=F64)
    if c.get("spikes"):
        hit = torch.rand(T.shape, generator=g) < c["spikes"]
        Y = torch.where(hit, torch.rand(T.shape, generator=g, dtype=F64), Y)
    return A, M, Y * M, T


def project_simplex_rows(v):
    """Each row of v projected onto the probability simplex (a sort; Held, Wolfe & Crowder 1974)."""
    u = torch.sort(v, 1, descending=True).values
    cs = torch.cumsum(u, 1) - 1
    j = torch.arange(1, v.shape[1] + 1, dtype=v.dtype)
    rho = ((u - cs / j) > 0).to(v.dtype).cumsum(1).argmax(1, keepdim=True)  # the last index where it holds
    theta = cs.gather(1, rho) / (rho + 1).to(v.dtype)
    return torch.clamp(v - theta, min=0.0)


def eg_exemplar_mix(w, run_id, c):
    """Each target's values predicted as a mixture pi_d A of the library exemplars, its weights pi_d on the probability
    simplex (a convex combination of exemplars), fitted to its observed values by least squares, float64. Data:
    exemplar_data. Loss: the squared error per observed value; each target's gradient g_d = 2 A (M_d (pi_d A - Y_d)) /
    n_d (that of its own mean; n_d its observed values). From the uniform weights (the library's mean), every target
    at once: 'eg' exponentiated gradient pi_d <- pi_d exp(-eta g_d) / Z at eta = lr / G0 (G0 the largest |g_dk| at the
    start; 'decay' 'sqrt' divides it by sqrt(1 + t)); 'pgd' pi_d <- project_simplex_rows(pi_d - lr g_d / L_d), L_d = 2
    lambda_max of the observed part's Gram matrix / n_d; 'fw' Frank-Wolfe, pi_d <- pi_d + gamma_d (e_j - pi_d), j the
    smallest g_dk, gamma_d by 'step': 'exact' the line search clip(-<r_d, M_d (A_j - pi_d A)> / |M_d (A_j - pi_d
    A)|^2, 0, 1), 'open' 2 / (t + 2); one step an epoch. Train loss: the squared error per observed value (noisy);
    test loss: the squared error per unobserved value against the clean targets; no error rates. A NaN or infinite
    loss ends the run."""
    g = torch.Generator().manual_seed(812_000 + c["seed"])
    A, M, Y, T = exemplar_data(g, c)
    D, P = T.shape
    K = len(A)
    nd = M.sum(1, keepdim=True).clamp(min=1.0)
    U = 1.0 - M
    st = {"pi": torch.full((D, K), 1.0 / K, dtype=F64), "t": 0}

    def resid(pv):
        return M * (pv @ A - Y)

    def grad(pv):
        return 2 * (resid(pv) @ A.T) / nd

    G0 = float(grad(st["pi"]).abs().max())
    if c["alg"] == "pgd":  # the largest eigenvalue of each target's observed Gram matrix, from its n_d x n_d twin
        Ld = torch.stack([torch.linalg.eigvalsh((A[:, M[d] > 0].T @ A[:, M[d] > 0]))[-1] if M[d].sum() > 0
                          else torch.tensor(1.0, dtype=F64) for d in range(D)])[:, None] * 2 / nd

    def step(idx):
        pv = st["pi"]
        gr = grad(pv)
        if c["alg"] == "eg":
            eta = c["lr"] / G0 / (math.sqrt(1 + st["t"]) if c.get("decay") == "sqrt" else 1.0)
            st["pi"] = torch.softmax(torch.log(pv) - eta * gr, 1)
        elif c["alg"] == "pgd":
            st["pi"] = project_simplex_rows(pv - c["lr"] * gr / Ld)
        else:
            j = torch.argmin(gr, 1)
            if c["step"] == "open":
                gm = torch.full((D,), 2.0 / (st["t"] + 2), dtype=F64)
            else:
                dm = M * (A[j] - pv @ A)
                den = (dm * dm).sum(1)
                gm = torch.where(den > 0, -(resid(pv) * dm).sum(1) / den.clamp(min=1e-300),
                                 torch.zeros(D, dtype=F64)).clamp(0.0, 1.0)
            e = torch.zeros(D, K, dtype=F64).scatter_(1, j[:, None], 1.0)
            st["pi"] = pv + gm[:, None] * (e - pv)
        st["t"] += 1

    run = w.run(run_id, D * K, int(M.sum()), {"family": "exemplar-mixture", "targets": D, "exemplars": K,
                                              "values": P},
                settings(c, ("seed", "data", "D", "K", "P", "ends", "q", "sd", "spikes", "alg", "step", "lr", "decay",
                             "eval"))
                | {"optimizer": {"eg": "exponentiated-gradient", "pgd": "projected-gradient",
                                 "fw": "frank-wolfe"}[c["alg"]],
                   "constraint": "probability-simplex", "loss": "mse-observed", "full_batch": "true",
                   "test_loss": "mse-unobserved-clean", "test_size": str(int(U.sum()))}, output_dim=1)
    log_ = logger(run)

    def log(e, final):
        X = st["pi"] @ A
        log_(e, (M * (X - Y) ** 2).sum() / M.sum(), (U * (X - T) ** 2).sum() / U.sum(), final=final)

    train_until(g, 1, c, step, log)


def runs_eg_exemplar_mix():
    # The logic: 100 digits as targets, a quarter of their 64 pixels observed (about 16 each) with Gaussian noise of sd
    # 0.15 (pixels in [0, 1]); each predicted as a convex combination of 300 other digits (the exemplars), its 300
    # weights on the simplex (30,000 in all, about 19 an observed pixel) fitted to its observed pixels by exponentiated
    # gradient from the uniform weights (the mean digit) at the step 1 / G0, 400 epochs: the weights flow first to the
    # exemplars that look like the target and then, towards the least-squares weights (a sparse combination that
    # matches the 16 noisy pixels), onto odd exemplars that fit the noise, the unobserved pixels' error rising as they
    # do. One thing at a time besides: the step 0.3 and 3, a step falling as 1 / sqrt(t), projected gradient onto the
    # simplex (the step 1 / L_d), Frank-Wolfe with the exact line search and with the open-loop step 2 / (t + 2), clean
    # pixels, noise sd 0.3, spikes on 10% of the observed pixels, a tenth and half of the pixels observed, 100 and
    # 1,000 exemplars, and synthetic spectral unmixing (100 mixtures of 3 of 200 smooth library spectra over 100 bands,
    # a tenth of the bands observed, noise sd 0.2, a fifth of the spectra's peak; by exponentiated gradient, projected
    # gradient and Frank-Wolfe, and with a fifth of the bands observed and at noise sd 0.05). Evaluation spacing mixed.
    base = dict(data="digits", D=100, K=300, P=None, ends=None, q=0.25, sd=0.15, spikes=None, alg="eg", step=None,
                lr=1.0, decay=None, epochs=400, eval="log:40")
    synth = dict(data="synth", K=200, P=100, ends=3, q=0.1, sd=0.2)
    return eg_exemplar_mix, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lr=0.3, eval="every:2"),
        dict(lr=3.0, eval="every"),
        dict(decay="sqrt", lr=3.0, eval="jitter:40"),
        dict(alg="pgd", eval="every:2"),
        dict(alg="fw", step="exact", lr=None, eval="every"),
        dict(alg="fw", step="open", lr=None, eval="every:2"),
        dict(sd=None, eval="log:30"),
        dict(sd=0.3, eval="every:2"),
        dict(spikes=0.1, eval="every"),
        dict(q=0.1, eval="geom:2"),
        dict(q=0.5, eval="every:4"),
        dict(K=100, eval="mixed:40:3"),
        dict(K=1000, eval="every:2"),
        dict(synth, eval="every"),
        dict(synth, alg="pgd", eval="burst:20:5"),
        dict(synth, alg="fw", step="exact", lr=None, eval="mixlog:40:40"),
        dict(synth, q=0.2, eval="every:3"),
        dict(synth, sd=0.05, eval="rand:100"),
    ], lambda d: "%s-targets%d-K%d%s-q%g%s%s-%s%s%s%s" % (
        d["data"], d["D"], d["K"], "-P%d-ends%d" % (d["P"], d["ends"]) if d.get("P") else "", d["q"],
        "-sd%g" % d["sd"] if d.get("sd") else "-clean", "-spikes%g" % d["spikes"] if d.get("spikes") else "",
        d["alg"], "-%s" % d["step"] if d.get("step") else "", "-lr%g" % d["lr"] if d.get("lr") else "",
        "-sqrt" if d.get("decay") else ""))


# ---------------------------------------------------------------------------------------------------- fw-nuclear-complete


def completion_data(g, c):
    """(M, mask, Y), float64, from g: 'synth' M = U diag(s) V' of rank r (U, V orthonormal from QR of Gaussians, s
    U(1, 2)) of size m1 x m2 scaled to unit root-mean-square entries; 'cancer' the first m1 patients of scikit-learn's
    breast cancer in a random order, its 30 measurements standardised over them (an m1 x 30 matrix of correlated
    columns). Each entry observed with probability p (the mask); Y = M plus sd times N(0, 1) on the observed entries,
    and a share 'spikes' of them moved by U(-3, 3) more."""
    if c["data"] == "cancer":
        from sklearn.datasets import load_breast_cancer
        X = torch.tensor(load_breast_cancer(return_X_y=True)[0], dtype=F64)
        M = X[torch.randperm(len(X), generator=g)[:c["m1"]]]
        M = (M - M.mean(0)) / M.std(0)
    else:
        m1, m2, r = c["m1"], c["m2"], c["r"]
        U = torch.linalg.qr(torch.randn(m1, r, generator=g, dtype=F64))[0]
        V = torch.linalg.qr(torch.randn(m2, r, generator=g, dtype=F64))[0]
        s = 1 + torch.rand(r, generator=g, dtype=F64)
        M = (U * s) @ V.T
        M = M * math.sqrt(m1 * m2) / torch.linalg.norm(M)
    mask = torch.rand(M.shape, generator=g) < c["p"]
    Y = M + (c.get("sd") or 0.0) * torch.randn(M.shape, generator=g, dtype=F64)
    if c.get("spikes"):
        hit = torch.rand(M.shape, generator=g) < c["spikes"]
        Y = Y + torch.where(hit, 6 * torch.rand(M.shape, generator=g, dtype=F64) - 3, torch.zeros_like(Y))
    return M, mask, torch.where(mask, Y, torch.zeros_like(Y))


def fw_nuclear_complete(w, run_id, c):
    """Matrix completion in a nuclear-norm ball {|X|_* <= tau |M|_*} (tau relative to the true matrix's nuclear norm),
    float64, from X = 0. Data: completion_data. Loss: f(X) = the mean squared error over the observed entries, its
    gradient G = 2 P(X - Y) / |observed| (P keeps the observed entries). 'fw': Frank-Wolfe, the vertex S = -tau' u v'
    (u, v the top singular pair of G, by torch.linalg.svd), X <- X + gamma (S - X), gamma by 'step': 'exact' the line
    search clip(-<P(X - Y), P(S - X)> / |P(S - X)|^2, 0, 1) or 'open' 2 / (t + 2); 'iters' iterations an epoch.
    'pgd': projected gradient, X <- the projection of X - lr P(X - Y) (the step lr / L, L = 2 / |observed|) onto the
    ball (an SVD, the singular values projected onto the l1 ball by project_l1). Train loss: the mean squared error on
    the observed (noisy) entries; test loss: the mean squared error on the unobserved entries against the true matrix;
    no error rates. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(813_000 + c["seed"])
    M, mask, Y = completion_data(g, c)
    m1, m2 = M.shape
    nobs = int(mask.sum())
    miss = ~mask
    R = c["tau"] * float(torch.linalg.svdvals(M).sum())
    st = {"X": torch.zeros_like(M), "t": 0}

    def one():
        X = st["X"]
        res = torch.where(mask, X - Y, torch.zeros_like(X))
        if c["alg"] == "pgd":
            U, s, Vh = torch.linalg.svd(X - c["lr"] * res, full_matrices=False)
            st["X"] = (U * project_l1(s, R)) @ Vh
        else:
            U, s, Vh = torch.linalg.svd(res, full_matrices=False)
            S = -R * torch.outer(U[:, 0], Vh[0])
            D = S - X
            if c["step"] == "open":
                gam = 2.0 / (st["t"] + 2)
            else:
                PD = torch.where(mask, D, torch.zeros_like(D))
                den = float((PD * PD).sum())
                gam = min(1.0, max(0.0, -float((res * PD).sum()) / den)) if den > 0 else 0.0
            st["X"] = X + gam * D
        st["t"] += 1

    def step(idx):
        for _ in range(c.get("iters") or 1):
            one()

    run = w.run(run_id, m1 * m2, nobs, {"family": "matrix", "rows": m1, "cols": m2,
                                         "constraint": "nuclear-norm-ball"},
                settings(c, ("seed", "data", "m1", "m2", "r", "p", "sd", "spikes", "tau", "alg", "step", "lr",
                             "iters", "eval"))
                | {"optimizer": "frank-wolfe" if c["alg"] == "fw" else "projected-gradient", "radius": "%.6g" % R,
                   "loss": "mse-observed", "full_batch": "true", "test_loss": "mse-unobserved-true-entries",
                   "test_size": str(int(miss.sum()))}, output_dim=1)
    log_ = logger(run)

    def log(e, final):
        X = st["X"]
        log_(e, ((X - Y)[mask] ** 2).mean(), ((X - M)[miss] ** 2).mean(), final=final)

    train_until(g, 1, c, step, log)


def runs_fw_nuclear_complete():
    # The logic: a 60 x 50 matrix of rank 3 (unit root-mean-square entries), a quarter of its entries observed with
    # Gaussian noise of sd 0.5; the matrix in a nuclear-norm ball of 3 times the true matrix's norm, room enough to fit
    # all of the noise on the observed entries, by Frank-Wolfe from zero with the exact line search, one rank-one vertex
    # an iteration and an epoch, 300 epochs: the first vertices find the true singular directions and the later ones
    # the noise, the error on the unobserved entries rising as they do. One thing at a time besides: the radius 1.5 and
    # 6 times, the open-loop step 2 / (t + 2), projected gradient in a tighter ball (0.7 times, where the projection
    # binds: a loose ball leaves the unobserved entries at zero) at the step 1 / L and 0.3 / L, clean entries and noise
    # sd 1, spikes on 10% of the observed entries, 15% and 50% observed, rank 1 and 8, a 100 x 80 matrix, 3 iterations
    # an epoch, and 300 breast-cancer patients' 30 standardised measurements as a 300 x 30 matrix (30% of the entries
    # observed, noise sd 0.3; Frank-Wolfe at the radius 1.5 and 3, projected gradient at 0.7). Evaluation spacing
    # mixed.
    base = dict(data="synth", m1=60, m2=50, r=3, p=0.25, sd=0.5, spikes=None, tau=3.0, alg="fw", step="exact",
                lr=None, iters=1, epochs=300, eval="every")
    return fw_nuclear_complete, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(tau=1.5, eval="every:2"),
        dict(tau=6.0, eval="log:40"),
        dict(step="open", eval="every"),
        dict(alg="pgd", step=None, lr=1.0, tau=0.7, eval="every:2"),
        dict(alg="pgd", step=None, lr=0.3, tau=0.7, eval="jitter:40"),
        dict(sd=None, eval="every:3"),
        dict(sd=1.0, eval="mixed:40:3"),
        dict(spikes=0.1, eval="every"),
        dict(p=0.15, eval="every:2"),
        dict(p=0.5, eval="geom:2"),
        dict(r=1, eval="every"),
        dict(r=8, eval="burst:20:5"),
        dict(m1=100, m2=80, eval="every:2"),
        dict(iters=3, epochs=150, eval="every"),
        dict(data="cancer", m1=300, m2=30, r=None, p=0.3, sd=0.3, tau=1.5, eval="mixlog:30:40"),
        dict(data="cancer", m1=300, m2=30, r=None, p=0.3, sd=0.3, tau=3.0, eval="every:2"),
        dict(data="cancer", m1=300, m2=30, r=None, p=0.3, sd=0.3, tau=0.7, alg="pgd", step=None, lr=1.0,
             eval="rand:80"),
    ], lambda d: "%s-%dx%d%s-p%g%s%s-tau%g-%s%s%s" % (
        d["data"], d["m1"], d["m2"], "-r%d" % d["r"] if d.get("r") else "", d["p"],
        "-sd%g" % d["sd"] if d.get("sd") else "-clean", "-spikes%g" % d["spikes"] if d.get("spikes") else "",
        d["tau"], d["alg"], "-%s" % d["step"] if d.get("step") else "-lr%g" % d["lr"],
        "-it%d" % d["iters"] if (d.get("iters") or 1) > 1 else ""))


FAMILIES = {"fw-l1-ball": runs_fw_l1_ball, "eg-exemplar-mix": runs_eg_exemplar_mix,
            "fw-nuclear-complete": runs_fw_nuclear_complete}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
