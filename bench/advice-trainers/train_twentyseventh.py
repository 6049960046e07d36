#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, twenty-seventh held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping* or
*Advice* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no Maven and not
the descentwatch launcher was run; each family's grid was set from its own logic and committed before any of its runs
was trained or looked at, revised at most once (README.md says where and why), and the runs were sorted by census.py
alone), and made to differ from the eighty-six families of train.py ... train_twentyfifth.py and the twenty-sixth
round's three in model, loss, optimizer, noise and data: a sparse variational Gaussian process (Titsias 2009, Hensman
et al. 2013) whose M inducing inputs, whitened variational Gaussian over the inducing values (mean and Cholesky
factor), RBF or Matern-5/2 kernel hyperparameters and noise variance are trained together on the evidence lower bound
(full batch or minibatches), on a smooth teacher of a broad and a small, fast component under noise and on
scikit-learn's diabetes, judged by the expected excess negative log predictive density (the KL divergence from the
true noisy conditional to the predictive), the predictive mean's squared error or the test NLPD; denoising score
matching (Vincent 2011): a small MLP trained to predict the noise of Gaussian-perturbed data (one noise level or a
few, the level an input), on few points of a mixture of a broad Gaussian and narrow clusters, or standardised columns
of scikit-learn's wine and breast cancer, judged by the Fisher divergence to the true score of the noised mixture or by
the denoising loss on held-out points under a fixed noise seed; and a tabular model of learned embeddings of
categorical columns (Zipf-distributed levels, cardinality 5-500, many rare levels) and numeric columns at two scales
under an MLP or linear head, on a teacher that depends strongly on a few frequent levels and weakly on rare levels and
an interaction, regression or binary classification with label noise, trained by Adam, momentum SGD or Adagrad with
weight decay on the embeddings, judged on clean targets. The file format, determinism and helpers are the earlier
files': Writer, the command line and two-scale inputs from train.py, epochs_of and settings from train_more.py,
dict_runs from train_seventh.py, batches and make_optimizer from train_twentyfirst.py and diabetes_split from
train_twentythird.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6
significant digits.

    /usr/bin/python3 train_twentyseventh.py --family svgp-inducing [--list] [--runs 0,3] [--out FILE]

Families (see README.md): svgp-inducing, dsm-score, tabular-embed. Evaluation spacings: train.py's 'every',
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
from train_more import epochs_of, settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches, make_optimizer  # noqa: E402
from train_twentythird import diabetes_split  # noqa: E402

torch.set_num_threads(1)


def optimizer_of(c, params, lr):
    """make_optimizer ('adam', or momentum SGD for 'gd', 'hb' and 'sgd'), plus 'adagrad' (torch.optim.Adagrad)."""
    if c["opt"] == "adagrad":
        return torch.optim.Adagrad(params, lr=lr)
    return make_optimizer(c, params, lr)


# ---------------------------------------------------------------------------------------------------- svgp-inducing


def svgp_data(g, c):
    """(x, y, xt, yt): 'synth', n training and 1,000 test inputs uniform on [-3, 3]^d; the teacher f(x) = sin(1.2 u.x +
    p0) + A_s sin(w_s v.x + p1), a broad component and a small (amplitude A_s), fast (frequency w_s) one along random
    unit directions u and v with random phases; training targets f + noise times standard normals, test targets the
    clean f. 'diabetes': diabetes_split (n patients, noise added to their standardised progression; the test targets
    the real progression of the others)."""
    if c["data"] == "diabetes":
        return diabetes_split(g, c["n"], c["noise"])
    d = c["d"]
    u = torch.randn(d, generator=g)
    v = torch.randn(d, generator=g)
    u, v = u / u.norm(), v / v.norm()
    ph = 2 * math.pi * torch.rand(2, generator=g)

    def f(z):
        return torch.sin(1.2 * z @ u + ph[0]) + c["As"] * torch.sin(c["ws"] * z @ v + ph[1])

    x = 6 * torch.rand(c["n"], d, generator=g) - 3
    xt = 6 * torch.rand(1000, d, generator=g) - 3
    return x, f(x) + c["noise"] * torch.randn(c["n"], generator=g), xt, f(xt)


def kernel_of(a, b, log_ls, log_v, kind):
    """The RBF kernel v exp(-r^2 / 2) or the Matern-5/2 kernel v (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r), r the
    distance scaled by one length scale per input."""
    ls = log_ls.exp()
    za, zb = a / ls, b / ls
    d2 = ((za * za).sum(1).unsqueeze(1) + (zb * zb).sum(1) - 2 * za @ zb.T).clamp_min(0.0)
    if kind == "rbf":
        return log_v.exp() * torch.exp(-0.5 * d2)
    r = torch.sqrt(5 * d2 + 1e-12)
    return log_v.exp() * (1 + r + r * r / 3) * torch.exp(-r)


def jitter_cholesky(K):
    """The Cholesky factor of K plus 1e-6 times its mean diagonal, the jitter ten times larger until it succeeds."""
    eye = torch.eye(len(K))
    jit = 1e-6 * K.diagonal().mean().detach()
    for _ in range(8):
        L, info = torch.linalg.cholesky_ex(K + jit * eye)
        if int(info) == 0:
            return L
        jit = jit * 10
    return torch.linalg.cholesky(K + jit * eye)


def svgp_inducing(w, run_id, c):
    """A sparse variational Gaussian process (Titsias 2009; Hensman et al. 2013, the uncollapsed bound), float64: M
    inducing inputs Z (from M distinct training inputs at random, or, where M > n, training inputs at random plus 0.1
    times standard normals; learned, or held where c['learn_z'] is false), whitened inducing values u = L_zz v with
    q(v) = N(m, S S^T), m from zero and S lower triangular from the identity (its diagonal in log space), a zero mean
    function, an RBF or Matern-5/2 kernel (c['kernel']) with one length scale per input from c['ell0'] and variance
    from 1, and a Gaussian likelihood whose noise variance starts at c['sn0'] (learned, or held where c['fixnoise']).
    The predictive at x: mean a^T m and variance k(x, x) - |a|^2 + |S^T a|^2, a = L_zz^-1 k(Z, x). Objective: minus
    the evidence lower bound per training point, -(1/n) [sum_i E_q log N(y_i | f_i, sn2) - KL(q(v) || N(0, I))], the
    sum over a minibatch scaled by n / batch where c['batch']; one epoch a pass over the data by Adam, heavy ball
    ('hb', full batch) or momentum minibatches ('sgd'). Train loss: that objective on all training points; test loss
    (c['test']): 'kl', the mean over the test inputs of KL(N(f, noise^2) || N(mean, variance + sn2)), the expected
    excess negative log predictive density over the true noisy conditional's (never negative, zero only at the true
    function and noise); 'mse', the predictive mean's squared error against the clean f; 'nlpd', the test points'
    negative log predictive density (diabetes, the real progression). Data: svgp_data. Grid (runs_svgp_inducing; 20
    settings, 1-2 seeds, 21 runs): the base synthetic, d 1, n 200, A_s 0.3 at w_s 5 (about four periods over the
    input range), noise 0.3, M 16 learned inducing inputs, RBF, length scale from 1, noise variance from 1 (learned),
    full-batch Adam at 0.01, 3,000 epochs, test 'kl' (2 seeds); one setting at a time M 4 (far below what the fast
    component needs) or 64 (above it), M 64 with the inducing inputs held, n 40, n 40 with M 64 (more inducing
    inputs than points), n 1,000 by minibatches of 100 (600 epochs), noise 0.1 or 0.8, no fast component (A_s 0),
    w_s 10 with M 32, length scales from 0.1, the noise variance held at 0.01 with M 64 (below the true 0.09), the
    Matern-5/2 kernel, Adam at 0.05, heavy ball at 0.01 (momentum 0.9), test 'mse', d 2 with n 400 and M 32; and
    diabetes, 200 patients with noise 0.3 added, M 16, and M 64 with the noise variance held at 0.01 (test 'nlpd')."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(101_000 + c["seed"])
    x, y, xt, yt = svgp_data(g, c)
    n, d = x.shape
    M = c["M"]
    if M <= n:
        Z = x[torch.randperm(n, generator=g)[:M]].clone()
    else:
        Z = x[torch.randint(n, (M,), generator=g)] + 0.1 * torch.randn(M, d, generator=g)
    learn_z = bool(c.get("learn_z"))
    fixnoise = bool(c.get("fixnoise"))
    Z.requires_grad_(learn_z)
    log_ls = torch.full((d,), math.log(c["ell0"]), requires_grad=True)
    log_v = torch.tensor(0.0, requires_grad=True)
    log_sn = torch.tensor(math.log(c["sn0"]), requires_grad=not fixnoise)
    m = torch.zeros(M, requires_grad=True)
    s_off = torch.zeros(M, M, requires_grad=True)
    s_logd = torch.zeros(M, requires_grad=True)
    params = [m, s_off, s_logd, log_ls, log_v] + ([Z] if learn_z else []) + ([] if fixnoise else [log_sn])
    opt = optimizer_of(c, params, c["lr"])
    kind = c["kernel"]

    def chol_s():
        return torch.tril(s_off, -1) + torch.diag(s_logd.exp())

    def predict(z):
        Lz = jitter_cholesky(kernel_of(Z, Z, log_ls, log_v, kind))
        A = torch.linalg.solve_triangular(Lz, kernel_of(Z, z, log_ls, log_v, kind), upper=False)
        var = log_v.exp() - (A * A).sum(0) + ((chol_s().T @ A) ** 2).sum(0)
        return A.T @ m, var.clamp_min(1e-12)

    def objective(xb, yb):
        mu, var = predict(xb)
        sn2 = log_sn.exp()
        ell = -0.5 * math.log(2 * math.pi) - 0.5 * log_sn - ((yb - mu) ** 2 + var) / (2 * sn2)
        kl = 0.5 * ((chol_s() ** 2).sum() + (m * m).sum() - M - 2 * s_logd.sum())
        return -(ell.mean() - kl / n)

    def test_loss():
        mu, var = predict(xt)
        pv = var + log_sn.exp()
        if c["test"] == "mse":
            return ((mu - yt) ** 2).mean()
        if c["test"] == "nlpd":
            return (0.5 * torch.log(2 * math.pi * pv) + (yt - mu) ** 2 / (2 * pv)).mean()
        s2 = c["noise"] ** 2
        return (0.5 * torch.log(pv / s2) + ((yt - mu) ** 2 + s2) / (2 * pv) - 0.5).mean()

    count = M + M * (M + 1) // 2 + d + 1 + (M * d if learn_z else 0) + (0 if fixnoise else 1)
    run = w.run(run_id, count, n,
                {"family": "svgp-" + kind, "inducing": M, "input_dim": d, "learned_inducing_inputs": learn_z},
                settings(c, ("seed", "data", "d", "n", "As", "ws", "noise", "M", "learn_z", "kernel", "ell0", "sn0",
                             "fixnoise", "opt", "lr", "mom", "batch", "test", "eval"))
                | {"optimizer": c["opt"], "loss": "negative-elbo-per-point",
                   "test_loss": {"kl": "expected-excess-nlpd", "mse": "predictive-mean-mse-clean",
                                 "nlpd": "test-nlpd"}[c["test"]]})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for idx in batches(g, n, c.get("batch")):
                xb, yb = (x, y) if idx is None else (x[idx], y[idx])
                opt.zero_grad()
                objective(xb, yb).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, objective(x, y), test_loss(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_svgp_inducing():
    base = dict(data="synth", d=1, n=200, As=0.3, ws=5.0, noise=0.3, M=16, learn_z=True, kernel="rbf", ell0=1.0,
                sn0=1.0, fixnoise=None, opt="adam", lr=0.01, mom=None, batch=None, test="kl", epochs=3000,
                eval="log:35")
    dia = dict(data="diabetes", d=None, n=200, As=None, ws=None, noise=0.3, test="nlpd")
    return svgp_inducing, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(M=4, eval="every:10"),
        dict(M=64, eval="jitter:35"),
        dict(M=64, learn_z=False, eval="every:6"),
        dict(n=40, eval="log:40"),
        dict(n=40, M=64, eval="every:5"),
        dict(n=1000, batch=100, epochs=600, eval="every"),
        dict(noise=0.1, eval="jitter:30"),
        dict(noise=0.8, eval="every:8"),
        dict(As=0.0, eval="log:30"),
        dict(ws=10.0, M=32, eval="rand:300"),
        dict(ell0=0.1, eval="every:4"),
        dict(M=64, sn0=0.01, fixnoise=True, eval="log:35"),
        dict(kernel="matern52", eval="every:10"),
        dict(lr=0.05, eval="jitter:35"),
        dict(opt="hb", lr=0.01, mom=0.9, eval="every:6"),
        dict(test="mse", eval="log:35"),
        dict(d=2, n=400, M=32, eval="every:8"),
        dict(dia, eval="log:30"),
        dict(dia, M=64, sn0=0.01, fixnoise=True, eval="every:5"),
    ], lambda d: "%s-n%d%s-noise%g-M%d%s-%s-ell%g-sn%g%s-%s%g%s-%s" % (
        d["data"], d["n"], "-d%d-As%g-ws%g" % (d["d"], d["As"], d["ws"]) if d["data"] == "synth" else "",
        d["noise"], d["M"], "" if d["learn_z"] else "-heldZ", d["kernel"], d["ell0"], d["sn0"],
        "-heldnoise" if d.get("fixnoise") else "", d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else "",
        d["test"]))


# ---------------------------------------------------------------------------------------------------- dsm-score


WINE_COLUMNS = (0, 6, 9, 12, 5, 10)  # alcohol, flavanoids, colour intensity, proline, total phenols, hue
CANCER_COLUMNS = (0, 1, 4, 7, 8, 9)  # mean radius, texture, smoothness, concave points, symmetry, fractal dimension


def dsm_data(g, c):
    """(x, xt, mixture): 'synth', n training and 2,000 test points in D dimensions from a mixture of a broad standard
    normal (weight 1 - w) and kn narrow clusters (weight w / kn each, std s, centres 1.2 times standard normals);
    mixture = (weights, centres, stds). 'wine' or 'cancer': the first D of WINE_COLUMNS or CANCER_COLUMNS of
    scikit-learn's wine (178 rows) or breast cancer (569 rows), n rows at random for training and the others for
    testing, standardised on the training rows; mixture None."""
    D = c["D"]
    if c["data"] in ("wine", "cancer"):
        from sklearn.datasets import load_breast_cancer, load_wine
        raw = (load_wine() if c["data"] == "wine" else load_breast_cancer()).data
        cols = list((WINE_COLUMNS if c["data"] == "wine" else CANCER_COLUMNS)[:D])
        X = torch.tensor(raw[:, cols])
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        return X[tr], X[te], None
    kn = c["kn"] if c["w"] > 0 else 0
    centres = torch.cat([torch.zeros(1, D), 1.2 * torch.randn(kn, D, generator=g)])
    stds = torch.tensor([1.0] + [c["s"]] * kn)
    weights = torch.tensor([1.0 - c["w"]] + [c["w"] / max(kn, 1)] * kn)

    def draw(m):
        k = torch.multinomial(weights, m, replacement=True, generator=g)
        return centres[k] + stds[k].unsqueeze(1) * torch.randn(m, D, generator=g)

    return draw(c["n"]), draw(2000), (weights, centres, stds)


def mixture_score(z, sig, mixture):
    """The score (gradient of the log density) at z of the mixture convolved with N(0, sig^2 I), sig one per row."""
    weights, centres, stds = mixture
    var = stds.unsqueeze(0) ** 2 + sig ** 2  # rows x components
    diff = centres.unsqueeze(0) - z.unsqueeze(1)  # rows x components x D
    logr = torch.log(weights).unsqueeze(0) - 0.5 * z.shape[1] * torch.log(var) - (diff ** 2).sum(2) / (2 * var)
    r = torch.softmax(logr, 1)
    return ((r / var).unsqueeze(2) * diff).sum(1)


def dsm_score(w, run_id, c):
    """Denoising score matching (Vincent 2011; with several noise levels, Song & Ermon 2019), float64: an MLP
    D (+1) -> h -> h -> D (SiLU or tanh; weights from 1/sqrt(fan-in) times standard normals, the last times 0.1,
    biases zero) whose output net(x~, sigma) is sigma times the score estimate at the noisy point x~ (the noise level's
    log an extra input where there are several). Noise levels: c['sigma'] alone, or c['levels'] levels geometric from
    c['sigma_max'] down to c['sigma']. Objective: the sigma^2-weighted denoising loss mean((net(x + sigma eps, sigma) +
    eps)^2) over points and coordinates, each training point an epoch given fresh standard normal eps and a level drawn
    at random (or, where c['fixed_noise'], one eps and level drawn once and kept, so the noise can be memorised too),
    plus c['wd'] times the squared weights / 2 where set; full-batch Adam or momentum minibatches ('sgd'). Train loss:
    the denoising loss on the training points under 4 draws per point and level from a fixed evaluation seed; test loss
    (c['test']): 'fisher', the mean over the first 2,000 / levels test points and the levels (one draw each from a
    fixed seed) of (net(x~, sigma) - sigma grad log p_sigma(x~))^2, p_sigma the true mixture convolved with the noise
    (the sigma^2-weighted Fisher divergence, zero only at the true score); 'dsm', the denoising loss on the held-out
    points under ceil(2,000 / (levels x test points)) draws per point and level from a fixed seed (which has the
    denoising problem's own floor). Data: dsm_data. Grid (runs_dsm_score; 21 settings, 1-2 seeds, 22 runs): the base
    synthetic, D 2, kn 2 narrow clusters of std s 0.1 and weight w 0.4, n 100, sigma 0.2, width h 64 (SiLU; 4,482
    weights), full-batch Adam at 0.001, 4,000 epochs, test 'fisher' (2 seeds); one setting at a time sigma 0.05 or
    0.5, 4 levels from 1 down to 0.05, width 16 or 256, n 30 or 1,000 (2,000 epochs), D 4 or 8, s 0.02, no clusters
    (w 0), weight decay 1e-3, minibatches of 20 under momentum 0.9 at 0.01 (1,000 epochs), Adam at 0.01, tanh, test
    'dsm', the noise drawn once (fixed_noise); and wine (D 4, n 100, sigma 0.3), breast cancer (D 4, n 150, sigma 0.3)
    and wine with 4 levels from 1 down to 0.1 (D 6, n 100), test 'dsm'."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(102_000 + c["seed"])
    x, xt, mixture = dsm_data(g, c)
    n, D = x.shape
    L = c.get("levels") or 1
    if L > 1:
        sigmas = torch.exp(torch.linspace(math.log(c["sigma_max"]), math.log(c["sigma"]), L))
    else:
        sigmas = torch.tensor([c["sigma"]])
    h = c["h"]
    act = torch.nn.functional.silu if c["act"] == "silu" else torch.tanh
    dims = [D + (1 if L > 1 else 0), h, h, D]
    Ws = [torch.randn(a, b, generator=g) / math.sqrt(a) for a, b in zip(dims, dims[1:])]
    Ws[-1] *= 0.1
    bs = [torch.zeros(b) for b in dims[1:]]
    params = Ws + bs
    for p in params:
        p.requires_grad_()
    opt = optimizer_of(c, params, c["lr"])
    wd = c.get("wd") or 0.0

    def net(z, sig):
        if L > 1:
            z = torch.cat([z, torch.log(sig)], 1)
        for i, (Wm, bv) in enumerate(zip(Ws, bs)):
            z = z @ Wm + bv
            if i < len(Ws) - 1:
                z = act(z)
        return z

    ge = torch.Generator().manual_seed(105_000 + c["seed"])  # the fixed evaluation noise

    def eval_set(z, reps):
        zz = z.repeat(reps * L, 1)
        sig = sigmas.repeat_interleave(len(z) * reps).unsqueeze(1)
        eps = torch.randn(zz.shape, generator=ge)
        return zz + sig * eps, sig, eps

    tr_set = eval_set(x, 4)
    if c["test"] == "fisher":
        te_set = eval_set(xt[:math.ceil(2000 / L)], 1)
        te_target = te_set[1] * mixture_score(te_set[0], te_set[1], mixture)
    else:
        te_set = eval_set(xt, math.ceil(2000 / (L * len(xt))))
    if c.get("fixed_noise"):
        fix_eps = torch.randn(n, D, generator=g)
        fix_lev = torch.randint(L, (n,), generator=g)

    def test_loss():
        z, sig, eps = te_set
        if c["test"] == "fisher":
            return ((net(z, sig) - te_target) ** 2).mean()
        return ((net(z, sig) + eps) ** 2).mean()

    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "score-mlp-" + c["act"], "width": h, "depth": 3, "input_dim": D, "noise_levels": L},
                settings(c, ("seed", "data", "D", "kn", "s", "w", "n", "sigma", "sigma_max", "levels", "h", "act",
                             "fixed_noise", "wd", "opt", "lr", "mom", "batch", "test", "eval"))
                | {"optimizer": c["opt"], "loss": "denoising-score-matching",
                   "test_loss": {"fisher": "fisher-divergence-true-score",
                                 "dsm": "heldout-denoising-loss-fixed-noise"}[c["test"]]})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for idx in batches(g, n, c.get("batch")):
                xb = x if idx is None else x[idx]
                if c.get("fixed_noise"):
                    eps = fix_eps if idx is None else fix_eps[idx]
                    lev = fix_lev if idx is None else fix_lev[idx]
                else:
                    eps = torch.randn(xb.shape, generator=g)
                    lev = torch.randint(L, (len(xb),), generator=g)
                sig = sigmas[lev].unsqueeze(1)
                opt.zero_grad()
                loss = ((net(xb + sig * eps, sig) + eps) ** 2).mean()
                if wd:
                    loss = loss + wd * 0.5 * sum((Wm ** 2).sum() for Wm in Ws)
                loss.backward()
                opt.step()
            e += 1
        with torch.no_grad():
            z, sig, eps = tr_set
            run.log(e, ((net(z, sig) + eps) ** 2).mean(), test_loss(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_dsm_score():
    base = dict(data="synth", D=2, kn=2, s=0.1, w=0.4, n=100, sigma=0.2, sigma_max=None, levels=None, h=64,
                act="silu", fixed_noise=None, wd=None, opt="adam", lr=0.001, mom=None, batch=None, test="fisher",
                epochs=4000, eval="log:35")
    wine = dict(data="wine", D=4, kn=None, s=None, w=None, n=100, sigma=0.3, test="dsm")
    return dsm_score, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sigma=0.05, eval="every:10"),
        dict(sigma=0.5, eval="jitter:35"),
        dict(levels=4, sigma_max=1.0, sigma=0.05, eval="every:20"),
        dict(h=16, eval="log:40"),
        dict(h=256, eval="every:40"),
        dict(n=30, eval="jitter:30"),
        dict(n=1000, epochs=2000, eval="log:35"),
        dict(D=4, eval="every:10"),
        dict(D=8, eval="rand:300"),
        dict(s=0.02, eval="log:30"),
        dict(w=0.0, eval="every:12"),
        dict(wd=1e-3, eval="jitter:35"),
        dict(opt="sgd", lr=0.01, mom=0.9, batch=20, epochs=1000, eval="every"),
        dict(lr=0.01, eval="every:8"),
        dict(act="tanh", eval="log:35"),
        dict(test="dsm", eval="every:10"),
        dict(fixed_noise=True, eval="log:35"),
        dict(wine, eval="every:20"),
        dict(wine, data="cancer", n=150, eval="log:35"),
        dict(wine, D=6, levels=4, sigma_max=1.0, sigma=0.1, eval="jitter:30"),
    ], lambda d: "%s-D%d%s-n%d-sigma%g%s-h%d-%s%s%s-%s%s-%s" % (
        d["data"], d["D"], "-kn%d-s%g-w%g" % (d["kn"], d["s"], d["w"]) if d["data"] == "synth" else "", d["n"],
        d["sigma"], "-levels%d-max%g" % (d["levels"], d["sigma_max"]) if d.get("levels") else "", d["h"], d["act"],
        "-fixednoise" if d.get("fixed_noise") else "", "-wd%g" % d["wd"] if d.get("wd") else "",
        d["opt"] + ("%g" % d["lr"]), "-b%d" % d["batch"] if d.get("batch") else "", d["test"]))


# ---------------------------------------------------------------------------------------------------- tabular-embed


def tab_data(g, c):
    """(cats, num, y, cats_t, num_t, yt): n training and 4,000 test rows of len(c['cards']) categorical columns and
    df + ds numeric ones. Column j has cards[j] levels drawn with probabilities proportional to (level + 1)^-a (Zipf:
    a few frequent levels, many rare ones); the numeric columns are train.py's two-scale inputs, df of scale 1 and ds of
    scale s. The teacher f: per column, an effect of each level, A_freq times a standard normal for its `top` most
    frequent levels and A_rare times one for the others; plus A_int times the dot product of random 2-vectors of the
    levels of the first two columns (an interaction); plus a readout of the fast numeric inputs of power F and of the
    slow ones at unit scale of power S. 'mse': training targets f + noise times standard normals, test targets the
    clean f; 'logloss': training labels Bernoulli(sigmoid(f)) with a share c['flip'] flipped, test targets the clean
    probabilities sigmoid(f)."""
    cards = c["cards"]
    probs = [(torch.arange(K, dtype=torch.float64) + 1) ** -c["a"] for K in cards]
    effects = [torch.where(torch.arange(K) < c["top"], c["A_freq"], c["A_rare"]) * torch.randn(K, generator=g)
               for K in cards]
    u0 = torch.randn(cards[0], 2, generator=g)
    u1 = torch.randn(cards[1], 2, generator=g)
    df, ds, s = c["df"], c["ds"], c["s"]
    theta = torch.cat([torch.randn(df, generator=g) * math.sqrt(c["F"] / df),
                       torch.randn(ds, generator=g) * math.sqrt(c["S"] / max(ds, 1)) / s])

    def draw(m):
        cats = torch.stack([torch.multinomial(p, m, replacement=True, generator=g) for p in probs], 1)
        num = two_scale_inputs(g, m, df, ds, s)
        f = sum(effects[j][cats[:, j]] for j in range(len(cards)))
        f = f + c["A_int"] * (u0[cats[:, 0]] * u1[cats[:, 1]]).sum(1) + num @ theta
        return cats, num, f

    cats, num, f = draw(c["n"])
    cats_t, num_t, ft = draw(4000)
    if c["task"] == "mse":
        return cats, num, f + c["noise"] * torch.randn(c["n"], generator=g), cats_t, num_t, ft
    y = torch.bernoulli(torch.sigmoid(f), generator=g)
    flip = torch.rand(c["n"], generator=g) < c["flip"]
    return cats, num, torch.where(flip, 1 - y, y), cats_t, num_t, torch.sigmoid(ft)


def tabular_embed(w, run_id, c):
    """A tabular model with learned entity embeddings (Guo & Berkhahn 2016), float64: each categorical column j an
    embedding table of cards[j] x k (from c['emb0'] times standard normals), the row's embeddings concatenated with
    its numeric columns, under an MLP (one ReLU layer of width h, W from 1/sqrt(fan-in) times standard normals, the
    head from 0.5/sqrt(h) times them, biases zero) or a linear head (from zero). Objective: the squared error ('mse')
    or the logistic loss ('logloss') of the noisy training targets, plus c['wd_emb'] times the embedding tables'
    squared norms / 2 where set; Adam, heavy ball ('hb') or momentum SGD ('sgd', both momentum c['mom']) or
    Adagrad, on minibatches of c['batch'] (or the full batch). Train loss: that loss on the training rows (errors too
    for 'logloss'); test loss: the squared error against the clean teacher, or the cross-entropy against the clean
    probabilities (errors against their argmax). Data:
    tab_data. Grid (runs_tabular_embed; 21 settings, 1-2 seeds, 22 runs; revised once): the base regression, columns
    of 5, 20, 100 and 500 levels, Zipf a 1.1, the top 3 levels at A_freq 1 and the rest at A_rare 0.3, no interaction
    (A_int 0), 2 fast and 2 slow numeric columns (s 0.015, F 1, S 1), noise 1.5, n 1,000, k 4 (2,500 embedding
    weights) under a linear head (an additive model of the levels' effects), full-batch heavy ball at 0.1 (momentum
    0.9), 8,000 epochs (2 seeds); one setting at a time k 1, 16 or 64, an MLP head of width 32 (heavy ball at 0.02),
    the first grid's base (below), columns of 5, 10, 20 and 50 levels, or of 50, 200, 500 and 1,000, noise 0.5 or 3,
    n 300 or 4,000, s 0.1, no slow numeric signal (S 0), full-batch Adam at 0.01, full-batch Adagrad at 0.1,
    minibatches of 100 under momentum 0.9 at 0.02 (800 epochs), embedding weight decay 1e-3, embeddings from scale 1;
    and binary classification (10% flipped labels), k 4 and k 16. The first grid (the base an MLP head of width 32,
    A_int 0.5, s 0.1, noise 1, n 2,000, Adam at 0.003 on minibatches of 100, 400 epochs; k 1, 16 and 64, a linear head,
    columns of 5-50 and of 50-500 levels, Zipf a 0.5, noise 0.3 and 2, n 500 and 8,000, momentum SGD, Adagrad,
    embedding weight decay 1e-3 and 0.01, embeddings from scale 1, S 0, full-batch Adam, binary at k 4 and at k 16
    under Adagrad) had 0 winning runs, 21 nothing better and 1 no bump: the MLP head reached its test minimum within
    4-100 epochs (the frequent levels and the numeric inputs, slow ones included, presumably learned by then: without
    the slow signal it was the same) and then memorised the noisy rows, we take it through combinations of
    embeddings (train squared error 0.01-1.06, a fraction of the noise variance),
    the test error rising to 1.1-7.2 times the minimum by the end whatever the setting; only the linear head (an
    additive model) was still falling at epoch 400. The revision makes the additive model the base, trained by
    full-batch heavy ball, under which a rare level's effect, seen on r of n rows, is fitted on a time scale of about
    n / r epochs and the slow inputs at scale s on one of about 1 / s^2 (so the noise of the rare levels is fitted
    before the slow signal is learned, a guess from the step's curvatures), with more noise and fewer rows, and keeps
    the first grid's base (and the MLP head under heavy ball) in one run each."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(103_000 + c["seed"])
    cats, num, y, cats_t, num_t, yt = tab_data(g, c)
    n = len(y)
    k = c["k"]
    tables = [(c["emb0"] * torch.randn(K, k, generator=g)).requires_grad_() for K in c["cards"]]
    din = k * len(tables) + num.shape[1]
    if c["head"] == "mlp":
        h = c["h"]
        head = [torch.randn(din, h, generator=g) / math.sqrt(din), torch.zeros(h),
                0.5 * torch.randn(h, generator=g) / math.sqrt(h), torch.zeros(1)]
    else:
        head = [torch.zeros(din), torch.zeros(1)]
    for p in head:
        p.requires_grad_()
    params = tables + head
    opt = optimizer_of(c, params, c["lr"])
    wd = c.get("wd_emb") or 0.0
    bce = torch.nn.functional.binary_cross_entropy_with_logits

    def forward(ct, nm):
        z = torch.cat([T[ct[:, j]] for j, T in enumerate(tables)] + [nm], 1)
        if c["head"] == "mlp":
            return torch.relu(z @ head[0] + head[1]) @ head[2] + head[3]
        return z @ head[0] + head[1]

    def loss_of(out, t):
        return ((out - t) ** 2).mean() if c["task"] == "mse" else bce(out, t)

    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "entity-embedding-" + c["head"], "embedding_dim": k, "categorical_columns": len(tables),
                 "numeric_columns": num.shape[1], "embedding_weights": sum(T.numel() for T in tables)}
                | ({"width": c["h"]} if c["head"] == "mlp" else {}),
                settings(c, ("seed", "task", "cards", "a", "top", "A_freq", "A_rare", "A_int", "df", "ds", "s", "F",
                             "S", "noise", "flip", "n", "k", "emb0", "head", "h", "wd_emb", "opt", "lr", "mom",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": c["task"],
                   "test_loss": "clean-mse" if c["task"] == "mse" else "clean-probability-cross-entropy"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for idx in batches(g, n, c.get("batch")):
                cb, nb, yb = (cats, num, y) if idx is None else (cats[idx], num[idx], y[idx])
                opt.zero_grad()
                loss = loss_of(forward(cb, nb), yb)
                if wd:
                    loss = loss + wd * 0.5 * sum((T ** 2).sum() for T in tables)
                loss.backward()
                opt.step()
            e += 1
        with torch.no_grad():
            out, out_t = forward(cats, num), forward(cats_t, num_t)
            if c["task"] == "mse":
                run.log(e, loss_of(out, y), loss_of(out_t, yt), final=e == pts[-1])
            else:
                run.log(e, loss_of(out, y), loss_of(out_t, yt), ((out > 0).double() != y).double().mean(),
                        ((out_t > 0) != (yt > 0.5)).double().mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_tabular_embed():
    base = dict(task="mse", cards=(5, 20, 100, 500), a=1.1, top=3, A_freq=1.0, A_rare=0.3, A_int=0.0, df=2, ds=2,
                s=0.015, F=1.0, S=1.0, noise=1.5, flip=None, n=1000, k=4, emb0=0.1, head="linear", h=None,
                wd_emb=None, opt="hb", lr=0.1, mom=0.9, batch=None, epochs=8000, eval="log:35")
    first = dict(A_int=0.5, s=0.1, noise=1.0, n=2000, head="mlp", h=32, opt="adam", lr=0.003, mom=None, batch=100,
                 epochs=400)
    binary = dict(task="logloss", noise=None, flip=0.1)
    return tabular_embed, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(k=1, eval="every:10"),
        dict(k=16, eval="jitter:35"),
        dict(k=64, eval="every:20"),
        dict(head="mlp", h=32, lr=0.02, eval="log:30"),
        dict(first, eval="every:2"),
        dict(cards=(5, 10, 20, 50), eval="every:16"),
        dict(cards=(50, 200, 500, 1000), eval="rand:400"),
        dict(noise=0.5, eval="every:10"),
        dict(noise=3.0, eval="jitter:30"),
        dict(n=300, eval="log:40"),
        dict(n=4000, eval="every:25"),
        dict(s=0.1, eval="log:35"),
        dict(S=0.0, eval="every:12"),
        dict(opt="adam", lr=0.01, mom=None, eval="jitter:35"),
        dict(opt="adagrad", lr=0.1, mom=None, eval="log:30"),
        dict(opt="sgd", lr=0.02, batch=100, epochs=800, eval="every"),
        dict(wd_emb=1e-3, eval="every:15"),
        dict(emb0=1.0, eval="log:35"),
        dict(binary, eval="every:10"),
        dict(binary, k=16, eval="jitter:30"),
    ], lambda d: "%s-cards%s-a%g-int%g-s%g-S%g-%s-n%d-k%d-emb%g-%s%s%s-%s%g%s" % (
        d["task"], "x".join(str(K) for K in d["cards"]), d["a"], d["A_int"], d["s"], d["S"],
        "noise%g" % d["noise"] if d["task"] == "mse" else "flip%g" % d["flip"],
        d["n"], d["k"], d["emb0"], d["head"], "%d" % d["h"] if d.get("h") else "",
        "-wd%g" % d["wd_emb"] if d.get("wd_emb") else "", d["opt"], d["lr"],
        "-b%d" % d["batch"] if d.get("batch") else "-fullbatch"))


FAMILIES = {"svgp-inducing": runs_svgp_inducing, "dsm-score": runs_dsm_score, "tabular-embed": runs_tabular_embed}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
