#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, third held-out round).

Written blind to the advice rule (nothing of detection/, of the stopping benchmark's code or figures, or of the main
README's section on the stopping advice was read), and made to differ from the fourteen families of train.py and
train_more.py in model, loss, noise and optimizer: deep matrix factorisation on matrix sensing and completion,
random-features ridge regression with heavy-tailed label noise, and Poisson regression (log link) by minibatch SGD
and Adam. The file format, determinism and helpers (Writer, schedule via epochs_of) are train.py's and
train_more.py's: one thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant
digits.

    /usr/bin/python3 train_third.py --family matrix-sensing [--list] [--runs 0,3] [--out FILE]

Families (see README.md): matrix-sensing, ridge-rf, glm-poisson. Evaluation spacings: train.py's 'every',
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

torch.set_num_threads(1)


def grid_runs(grid, keys, fmt):
    """Runs from a grid of settings tuples (the last entry the seeds): (run name, settings dict), seed + 10 x row."""
    out = []
    for i, row in enumerate(grid):
        c = dict(zip(keys, row[:-1]))
        for seed in row[-1]:
            d = dict(c, seed=seed + 10 * i)
            out.append(("c%02d-" % i + fmt(d) + "/seed%d" % seed, d))
    return out


# ---------------------------------------------------------------------------------------------------- matrix-sensing


def matrix_sensing(w, run_id, c):
    """Low-rank matrix recovery with a deep matrix factorisation W = W_depth ... W_2 W_1 (hidden width c['width'],
    every factor initialised at c['init'] times the 1/sqrt(fan-in) scale: small, so the singular values are learned
    one after another), trained from that small initialisation by full-batch gradient descent on the squared error
    of noisy observations of a d1 x d2 ground truth M = U diag(sv) V^T (random orthonormal U, V).
    'sensing': m Gaussian measurements y_i = <A_i, M> + noise; the columns from c['cols'][0] on of every A_i are
    scaled by c['cols'][1] (columns the sensing sees weakly; 1 = isotropic); loss (1/m) sum_i (<A_i, W> - y_i)^2;
    test loss ||W - M||_F^2 (what a fresh isotropic measurement's squared error is, less its noise).
    'completion': each entry observed with probability p (rows below c['sparse'][0] with c['sparse'][1]), entry
    noise std noise / sqrt(d1 d2); train loss d1 d2 times the mean squared error on the observed entries, test loss
    the same on the unobserved ones against M. The gradient is written out (no autograd)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(12_000 + c["seed"])
    d1, d2, h, depth = c["d1"], c["d2"], c["width"], c["depth"]
    sv = torch.tensor(c["sv"], dtype=torch.float64)
    U, _ = torch.linalg.qr(torch.randn(d1, len(sv), generator=g))
    V, _ = torch.linalg.qr(torch.randn(d2, len(sv), generator=g))
    M = U @ torch.diag(sv) @ V.T
    if c["kind"] == "completion":
        prob = torch.full((d1, 1), c["p"])
        k, ps = c.get("sparse", (0, c["p"]))
        prob[:k] = ps
        mask = (torch.rand(d1, d2, generator=g) < prob).double()
        Y = M + c["noise"] * torch.randn(d1, d2, generator=g) / math.sqrt(d1 * d2)
        frac, n_obs = mask.mean().item(), int(mask.sum().item())

        def grad_loss(W):
            R = mask * (W - Y)
            return R / frac, (R ** 2).sum() / n_obs * d1 * d2

        def test(W):
            return (((1 - mask) * (W - M)) ** 2).sum() / (1 - mask).sum() * d1 * d2
    else:
        m, n_obs = c["m"], c["m"]
        A = torch.randn(m, d1, d2, generator=g)
        k, sc = c.get("cols", (d2, 1.0))
        A[:, :, k:] *= sc
        A = A.reshape(m, -1)
        y = A @ M.reshape(-1) + c["noise"] * torch.randn(m, generator=g)

        def grad_loss(W):
            r = A @ W.reshape(-1) - y
            return (A.T @ r / m).reshape(d1, d2), (r ** 2).mean()

        def test(W):
            return ((W - M) ** 2).sum()
    dims = [d2] + [h] * (depth - 1) + [d1]
    Ws = [torch.randn(dims[i + 1], dims[i], generator=g) * c["init"] / math.sqrt(dims[i]) for i in range(depth)]

    def prod(ws, size):
        P = torch.eye(size)
        for Wi in ws:
            P = Wi @ P
        return P

    W = prod(Ws, d2)
    run = w.run(run_id, sum(x.numel() for x in Ws), n_obs,
                {"family": "deep-matrix-factorisation", "depth": depth, "width": h, "shape": "%dx%d" % (d1, d2)},
                settings(c, ("seed", "kind", "noise", "m", "p", "init", "lr", "eval"))
                | {"sv": "/".join("%g" % v for v in c["sv"]), "optimizer": "gd", "loss": "mse", "rank": len(sv)}
                | ({"weak_cols": "%d-%d" % (c["cols"][0], d2 - 1), "weak_scale": c["cols"][1]} if "cols" in c else {})
                | ({"sparse_rows": c["sparse"][0], "sparse_p": c["sparse"][1]} if "sparse" in c else {}))
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            G, _ = grad_loss(W)
            Ws = [Ws[j] - c["lr"] * prod(Ws[j + 1:], d1 if j + 1 == depth else Ws[j].shape[0]).T @ G
                  @ prod(Ws[:j], d2).T for j in range(depth)]
            W = prod(Ws, d2)
            e += 1
        run.log(e, grad_loss(W)[1], test(W), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_matrix_sensing():
    keys = ("kind", "d1", "d2", "width", "depth", "sv", "noise", "m", "cols", "p", "sparse", "init", "lr", "epochs",
            "eval")
    S = ("sensing", 20, 20, 20)
    grid = [
        S + (3, (3.0, 1.0), 0.5, 300, (12, 0.2), None, None, 0.03, 0.05, 10000, "log:30", (1, 2, 3)),
        S + (3, (3.0, 1.0), 0.7, 300, (12, 0.2), None, None, 0.03, 0.05, 10000, "jitter:30", (1, 2)),
        S + (3, (3.0, 1.0), 0.5, 300, (10, 0.15), None, None, 0.03, 0.05, 8000, "every:5", (1,)),
        S + (3, (3.0, 1.0), 0.3, 300, (12, 0.2), None, None, 0.03, 0.05, 10000, "rand:300", (1,)),
        S + (4, (3.0, 1.0), 0.5, 300, (12, 0.2), None, None, 0.1, 0.03, 10000, "log:35", (1,)),
        S + (2, (3.0, 1.0), 0.5, 300, (12, 0.2), None, None, 0.01, 0.05, 10000, "jitter:35", (1, 2)),
        S + (3, (3.0, 1.5), 0.7, 300, (12, 0.2), None, None, 0.03, 0.05, 10000, "log:30", (1,)),
        S + (3, (3.0, 0.5), 1.0, 300, None, None, None, 0.03, 0.05, 6000, "log:30", (1, 2)),
        ("completion", 30, 30, 30, 3, (3.0, 0.5), 1.2, None, None, 0.5, None, 0.03, 0.05, 8000, "jitter:30", (1, 2)),
        ("completion", 30, 30, 30, 3, (3.0, 1.0), 1.0, None, None, 0.5, (10, 0.1), 0.03, 0.05, 3000, "every", (1,)),
        ("completion", 30, 30, 30, 2, (3.0, 1.0), 0.5, None, None, 0.3, None, 0.001, 0.05, 5000, "log:30", (1,)),
    ]
    runs = grid_runs(grid, keys, lambda d: "%s-depth%d-sv%s-noise%g" % (d["kind"], d["depth"],
                                                                       "-".join("%g" % v for v in d["sv"]), d["noise"]))
    for _, d in runs:
        for k in [k for k, v in d.items() if v is None]:
            del d[k]
    return matrix_sensing, runs


# ---------------------------------------------------------------------------------------------------- ridge-rf


def student_t(g, m, dof):
    """m draws of Student's t with dof degrees of freedom (a normal over the root of a chi-square / dof; the
    chi-square as a sum of squared normals, so dof is a whole number), scaled to unit variance where dof > 2."""
    z = torch.randn(m, generator=g)
    chi = (torch.randn(m, dof, generator=g) ** 2).sum(1)
    t = z / torch.sqrt(chi / dof)
    return t * math.sqrt((dof - 2) / dof) if dof > 2 else t


def ridge_rf(w, run_id, c):
    """Random-features ridge regression with two banks of features: N random features of df Gaussian inputs,
    relu(W x / sqrt(df) + b) (or tanh), and N2 tanh features of ds other Gaussian inputs, every feature centred and
    standardised on the training points, the second bank then multiplied by a small scale s (features the readout
    learns slowly). The readout a (and a fixed bias, the mean training label) is trained from zero by full-batch
    gradient descent on the mean squared error plus an explicit ridge, (1/n) |Phi a - y|^2 / 2 + lam |a|^2 / 2 (step
    lr over the largest eigenvalue of Phi^T Phi / n, plus lam; iterated in that matrix's eigenbasis, the same
    iterates for O(N) work a step). The teacher: power F along a random linear function of the first inputs, power
    S along a random readout of the second bank's features at unit scale, plus label noise, Gaussian (dof 0) or
    Student-t with c['dof'] degrees of freedom (heavy tails), unit variance times c['noise']. Train loss: the mean
    squared error (without the ridge); test loss on 2,000 fresh points, their noise included."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(13_000 + c["seed"])
    n, N, N2, df, ds, s = c["n"], c["N"], c["N2"], c["df"], c["ds"], c["s"]
    W1 = torch.randn(N, df, generator=g)
    b1 = 0.5 * torch.randn(N, generator=g) if c["bias"] else torch.zeros(N)
    W2 = torch.randn(N2, ds, generator=g)
    b2 = 0.5 * torch.randn(N2, generator=g)
    tf = torch.randn(df, generator=g)
    tf = tf / tf.norm()
    v = torch.randn(N2, generator=g)
    v = v / v.norm()
    act = torch.tanh if c["act"] == "tanh" else torch.relu

    def data(m):
        xf, xs = torch.randn(m, df, generator=g), torch.randn(m, ds, generator=g)
        f1, f2 = act(xf @ W1.T / math.sqrt(df) + b1), torch.tanh(xs @ W2.T / math.sqrt(ds) + b2)
        eps = torch.randn(m, generator=g) if c["dof"] == 0 else student_t(g, m, c["dof"])
        return f1, f2, math.sqrt(c["F"]) * (xf @ tf) + c["noise"] * eps

    f1, f2, y0 = data(n)
    f1t, f2t, y0t = data(2000)
    m1, s1, m2, s2 = f1.mean(0), f1.std(0).clamp_min(1e-8), f2.mean(0), f2.std(0).clamp_min(1e-8)
    z2, z2t = (f2 - m2) / s2, (f2t - m2) / s2
    slow, slowt = z2 @ v, z2t @ v
    k = math.sqrt(c["S"]) / slowt.std().item()  # the slow part of the target at power S
    y, yt = y0 + k * slow, y0t + k * slowt
    phi = torch.cat([(f1 - m1) / s1, s * z2], 1)
    phit = torch.cat([(f1t - m1) / s1, s * z2t], 1)
    N = N + N2
    b0 = y.mean()
    ev, Q = torch.linalg.eigh(phi.T @ phi / n)
    ev = ev.clamp_min(0.0)
    lam = c["lam"]
    lr = c["lr"] / (ev[-1].item() + lam)
    rhs = Q.T @ (phi.T @ (y - b0) / n)
    aq = torch.zeros(N)  # the readout in the eigenbasis of Phi^T Phi / n: a = Q aq, the same iterates, O(N) a step
    run = w.run(run_id, N + 1, n, {"family": "random-features-ridge", "width": N, "activation": c["act"],
                                   "input_dim": df + ds},
                settings(c, ("seed", "act", "bias", "N2", "s", "F", "S", "noise", "dof", "lam", "lr", "eval"))
                | {"optimizer": "gd", "loss": "mse", "weight_decay": lam, "width_ratio": "%.3g" % (N / n),
                   "noise_law": "gaussian" if c["dof"] == 0 else "student-t"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            aq -= lr * ((ev + lam) * aq - rhs)
            e += 1
        a = Q @ aq
        run.log(e, ((phi @ a + b0 - y) ** 2).mean(), ((phit @ a + b0 - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_ridge_rf():
    keys = ("act", "bias", "n", "N", "N2", "df", "ds", "s", "F", "S", "noise", "dof", "lam", "lr", "epochs", "eval")
    grid = [
        ("relu", 1, 200, 120, 30, 20, 5, 0.03, 1.0, 3.0, 0.7, 3, 0.0, 0.9, 100000, "log:30", (1, 2)),
        ("relu", 1, 200, 150, 30, 20, 5, 0.03, 1.0, 3.0, 0.7, 3, 0.0, 0.9, 100000, "jitter:30", (1, 2)),
        ("relu", 1, 200, 120, 30, 20, 5, 0.03, 1.0, 3.0, 0.7, 3, 3e-4, 0.9, 100000, "log:35", (1,)),
        ("relu", 1, 200, 120, 30, 20, 5, 0.03, 1.0, 3.0, 0.7, 3, 3e-3, 0.9, 100000, "jitter:35", (1,)),
        ("relu", 1, 200, 120, 30, 20, 5, 0.03, 1.0, 3.0, 0.7, 3, 3e-2, 0.9, 50000, "log:30", (1,)),
        ("tanh", 1, 200, 120, 60, 20, 10, 0.03, 1.0, 3.0, 0.7, 3, 0.0, 0.9, 100000, "log:30", (1, 2)),
        ("relu", 1, 200, 120, 60, 20, 10, 0.03, 1.0, 3.0, 0.7, 0, 0.0, 0.9, 40000, "every:20", (1,)),
        ("relu", 1, 200, 170, 30, 20, 5, 0.02, 1.0, 3.0, 0.5, 2, 0.0, 0.9, 100000, "rand:400", (1,)),
        ("relu", 1, 200, 100, 30, 20, 5, 0.05, 1.0, 3.0, 0.7, 5, 0.0, 0.9, 4000, "every", (1,)),
        ("relu", 1, 200, 120, 60, 20, 10, 0.03, 1.0, 3.0, 0.7, 3, 1e-3, 0.9, 100000, "log:30", (1, 2)),
        ("relu", 0, 200, 150, 30, 20, 5, 0.03, 1.0, 3.0, 0.7, 3, 1e-2, 0.9, 50000, "jitter:30", (1,)),
        ("tanh", 1, 200, 90, 30, 20, 5, 0.03, 1.0, 3.0, 1.0, 3, 0.0, 0.9, 20000, "every:10", (1,)),
        ("relu", 1, 200, 150, 30, 20, 5, 0.03, 1.0, 1.0, 0.7, 3, 0.0, 0.9, 50000, "log:30", (1,)),
        ("relu", 1, 200, 120, 30, 20, 5, 0.03, 1.0, 3.0, 0.7, 3, 0.1, 0.9, 20000, "jitter:30", (1,)),
        ("tanh", 1, 200, 150, 60, 20, 10, 0.03, 1.0, 3.0, 0.7, 3, 3e-3, 0.9, 100000, "log:35", (1,)),
    ]
    return ridge_rf, grid_runs(grid, keys, lambda d: "%s-N%d-n%d-s%g-S%g-lam%g-%s" % (
        d["act"], d["N"], d["n"], d["s"], d["S"], d["lam"], "gauss" if d["dof"] == 0 else "t%d" % d["dof"]))


# ---------------------------------------------------------------------------------------------------- glm-poisson


def glm_poisson(w, run_id, c):
    """Poisson regression with the log link, rate exp(b + <x, theta>), on Gaussian inputs with df features of scale
    1 and ds of a small scale s. Counts from a teacher: log rate = log(base) + a fast part of power F + a slow part of
    power S at unit scale, drawn Poisson, overdispersed by a Gamma factor of shape c['shape'] on the rate (a negative
    binomial; 0 = none), and a share c['flip'] of the training counts replaced by a count drawn from another point's
    rate (label noise). Trained from zero weights (the bias at the log of the mean training count) by minibatch SGD
    (heavy-ball momentum) or Adam on the mean Poisson negative log-likelihood exp(eta) - y eta + lgamma(y + 1), each
    minibatch's gradient clipped to norm c['clip'] (without it the exponential blows some overfitting runs up to NaN);
    test loss the same on 2,000 fresh points drawn the same way without the replaced counts."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(14_000 + c["seed"])
    n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
    d = df + ds
    theta = torch.cat([torch.randn(df, generator=g) * math.sqrt(c["F"] / df),
                       torch.randn(ds, generator=g) * math.sqrt(c["S"] / ds) / s])

    def data(m, flip):
        x = train.two_scale_inputs(g, m, df, ds, s)
        rate = c["base"] * torch.exp(x @ theta - 0.5 * (c["F"] + c["S"]))
        if c["shape"] > 0:
            rate = rate * gamma(g, m, c["shape"]) / c["shape"]
        y = torch.poisson(rate, generator=g)
        if flip > 0:
            j = torch.rand(m, generator=g) < flip
            other = torch.randint(0, m, (m,), generator=g)
            y = torch.where(j, torch.poisson(rate[other], generator=g), y)
        return x, y

    x, y = data(n, c["flip"])
    xt, yt = data(2000, 0.0)
    lg, lgt = torch.lgamma(y + 1), torch.lgamma(yt + 1)
    theta_hat = torch.zeros(d, requires_grad=True)
    bias = torch.full((1,), math.log(max(y.mean().item(), 1e-3)), requires_grad=True)
    if c["opt"] == "adam":
        opt = torch.optim.Adam([theta_hat, bias], lr=c["lr"])
    else:
        opt = torch.optim.SGD([theta_hat, bias], lr=c["lr"], momentum=c["momentum"])

    def nll(xb, yb, lgb):
        eta = xb @ theta_hat + bias
        return (torch.exp(eta) - yb * eta + lgb).mean()

    run = w.run(run_id, d + 1, n, {"family": "poisson-glm", "link": "log", "fast_features": df,
                                   "slow_features": ds},
                settings(c, ("seed", "s", "F", "S", "base", "shape", "flip", "opt", "lr", "momentum", "batch", "clip",
                             "eval")) | {"optimizer": c["opt"], "loss": "poisson-nll"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    b = c["batch"]
    e = 0
    for p in pts:
        while e < p:
            idx = torch.randperm(n, generator=g)
            for i in range(0, n, b):
                j = idx[i:i + b]
                opt.zero_grad()
                nll(x[j], y[j], lg[j]).backward()
                torch.nn.utils.clip_grad_norm_([theta_hat, bias], c["clip"])
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, nll(x, y, lg), nll(xt, yt, lgt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def gamma(g, m, shape):
    """m Gamma(shape, 1) draws from the seeded generator (shape a whole number: a sum of exponentials)."""
    return -torch.log(torch.rand(m, int(shape), generator=g)).sum(1)


def runs_glm_poisson():
    keys = ("n", "df", "ds", "s", "F", "S", "base", "shape", "flip", "opt", "lr", "momentum", "batch", "epochs",
            "eval")
    grid = [
        (200, 80, 10, 0.1, 0.5, 1.0, 3.0, 0, 0.0, "sgd", 0.005, 0.9, 50, 3000, "log:30", (1, 2)),
        (200, 80, 10, 0.2, 0.5, 1.0, 3.0, 0, 0.0, "sgd", 0.005, 0.9, 50, 2000, "jitter:30", (1, 2)),
        (200, 120, 10, 0.2, 0.5, 1.0, 3.0, 0, 0.1, "sgd", 0.005, 0.9, 50, 2000, "log:30", (1,)),
        (200, 80, 10, 0.2, 0.5, 1.0, 3.0, 0, 0.0, "adam", 0.003, 0.0, 50, 2000, "jitter:35", (1,)),
        (200, 80, 10, 0.1, 0.5, 1.0, 3.0, 2, 0.0, "sgd", 0.005, 0.9, 50, 2000, "every:2", (1,)),
        (200, 80, 10, 0.1, 0.5, 1.0, 3.0, 0, 0.15, "sgd", 0.02, 0.0, 50, 3000, "log:30", (1, 2)),
        (200, 60, 10, 0.1, 0.5, 1.0, 5.0, 0, 0.0, "sgd", 0.005, 0.9, 20, 1000, "every", (1,)),
        (200, 80, 10, 0.1, 0.5, 0.3, 3.0, 0, 0.0, "sgd", 0.005, 0.9, 50, 2000, "rand:300", (1,)),
        (200, 80, 10, 0.1, 0.5, 1.0, 3.0, 4, 0.1, "adam", 0.002, 0.0, 50, 2000, "log:35", (1, 2)),
        (250, 100, 10, 0.1, 0.5, 1.0, 2.0, 0, 0.0, "sgd", 0.003, 0.9, 50, 3000, "jitter:30", (1,)),
        (200, 150, 10, 0.2, 0.5, 1.0, 3.0, 0, 0.0, "sgd", 0.005, 0.9, 50, 1500, "log:30", (1,)),
    ]
    runs = grid_runs(grid, keys, lambda d: "%s-n%d-df%d-s%g-S%g-shape%g-flip%g-b%d" % (
        d["opt"], d["n"], d["df"], d["s"], d["S"], d["shape"], d["flip"], d["batch"]))
    for _, d in runs:
        d["clip"] = 1.0
    return glm_poisson, runs


FAMILIES = {"matrix-sensing": runs_matrix_sensing, "ridge-rf": runs_ridge_rf, "glm-poisson": runs_glm_poisson}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
