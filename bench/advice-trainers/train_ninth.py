#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, ninth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, bench/src/main/java or bench/src/test, neither
docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping benchmark,
no Java and not the descentwatch launcher was run; the runs were sorted by census.py alone), and made to differ from
the thirty-two families of train.py ... train_eighth.py in model, loss, optimizer, noise and evaluation: a sparse
linear regression with an L1 penalty trained by proximal gradient (ISTA, FISTA, FISTA with adaptive restart) on a
two-scale design with a sparse teacher, some fast features correlated, heavy-tailed noise in some runs and very
sparse evaluation (every 25-100 epochs) in others; knowledge distillation, a linear or tanh student trained on the
temperature-softened soft labels of a teacher whose logits carry per-point noise (the KL divergence times T^2),
judged by its KL divergence from the clean teacher at temperature 1; and a classifier on random ReLU features of a
weak view of the inputs next to the slowly learned raw inputs, trained on the squared error against +-1 labels (the
logistic loss in one run), optionally under Langevin dynamics, whose test "loss" is the test ERROR RATE (a step-valued
fraction) on test inputs drawn under covariate shift (synthetic test inputs rescaled and shifted; scikit-learn's
breast cancer, wine and digits split by a biased selection). The file format, determinism and helpers are the
earlier files': Writer, the command line and two-scale inputs from train.py, epochs_of, settings and lr_factor from
train_more.py, label_noise from train_fourth.py, rotation from train_sixth.py and dict_runs from train_seventh.py; one
thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_ninth.py --family lasso-ista [--list] [--runs 0,3] [--out FILE]

Families (see README.md): lasso-ista, distill-kl, shift-error. Evaluation spacings: train.py's 'every', 'every:K',
'log:K' and train_more.py's 'jitter:K', 'rand:M'.
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
from train_fourth import label_noise  # noqa: E402
from train_sixth import rotation  # noqa: E402
from train_seventh import dict_runs  # noqa: E402

torch.set_num_threads(1)


# ---------------------------------------------------------------------------------------------------- lasso-ista


def soft(v, t):
    """The proximal map of t |.|_1: soft thresholding."""
    return torch.sign(v) * torch.clamp(v.abs() - t, min=0.0)


def lasso_ista(w, run_id, c):
    """Sparse linear regression y = <x, theta> + noise on a two-scale design: df fast features of scale 1 (in 'rho'
    runs correlated, an AR(1) chain with correlation c['rho'] between neighbours) and ds slow ones of scale c['s']. The
    teacher is sparse: c['kf'] nonzero fast coefficients of total power F and c['ks'] nonzero slow ones of power S (at
    unit scale), label noise of std c['noise'] (Gaussian, or Student-t with c['dof'] degrees of freedom). Objective
    0.5 mean (x.w - y)^2 + lam |w|_1, minimised from zero by proximal gradient: 'ista' (w <- soft(w - eta grad, eta
    lam)), 'fista' (Nesterov's extrapolation with t_k = (1 + sqrt(1 + 4 t_{k-1}^2)) / 2) or 'fista-restart' (FISTA
    whose momentum is reset when the step goes against the last move, O'Donoghue and Candes' gradient restart);
    step eta = c['step'] / L, L the largest eigenvalue of X^T X / n. One proximal step per epoch, float64. Train loss
    the mean squared error on the training points (without the penalty), test loss on 2,000 fresh points, noise
    included."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(30_000 + c["seed"])
    n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
    theta = torch.zeros(df + ds)
    pf = torch.randperm(df, generator=g)[:c["kf"]]
    ps = df + torch.randperm(ds, generator=g)[:c["ks"]]
    vf = torch.randn(c["kf"], generator=g)
    vs = torch.randn(c["ks"], generator=g)
    theta[pf] = vf * math.sqrt(c["F"]) / vf.norm()
    theta[ps] = vs * math.sqrt(c["S"]) / vs.norm() / s
    rho = c.get("rho") or 0.0

    def data(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        if rho:
            f = x[:, :df].clone()
            for j in range(1, df):
                f[:, j] = rho * f[:, j - 1] + math.sqrt(1 - rho * rho) * x[:, j]
            x = torch.cat([f, x[:, df:]], 1)
        return x, x @ theta + c["noise"] * label_noise(g, m, c.get("dof") or 0)

    x, y = data(n)
    xt, yt = data(2000)
    L = torch.linalg.eigvalsh(x.T @ x / n)[-1].item()
    eta, lam = c["step"] / L, c["lam"]
    wt = torch.zeros(df + ds)
    prev, z, tk = wt.clone(), wt.clone(), 1.0
    method = c["method"]

    def grad(v):
        return x.T @ (x @ v - y) / n

    run = w.run(run_id, df + ds, n, {"family": "sparse-linear", "input_dim": df + ds, "penalty": "l1"},
                settings(c, ("seed", "df", "ds", "s", "rho", "kf", "ks", "F", "S", "noise", "dof", "lam", "method",
                             "step", "eval"))
                | {"optimizer": method, "loss": "mse+l1"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            if method == "ista":
                wt = soft(wt - eta * grad(wt), eta * lam)
            else:
                new = soft(z - eta * grad(z), eta * lam)
                if method == "fista-restart" and torch.dot(z - new, new - wt).item() > 0:
                    tk = 1.0
                t1 = (1 + math.sqrt(1 + 4 * tk * tk)) / 2
                z = new + (tk - 1) / t1 * (new - wt)
                wt, tk = new, t1
            e += 1
        run.log(e, ((x @ wt - y) ** 2).mean(), ((xt @ wt - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_lasso_ista():
    base = dict(n=200, df=160, ds=40, s=0.1, rho=None, kf=40, ks=8, F=2.0, S=3.0, noise=1.0, dof=None, lam=0.002,
                method="ista", step=1.0, epochs=6000, eval="log:30")
    rows = [
        dict(seeds=(1, 2)),
        dict(method="fista", eval="jitter:30"),
        dict(method="fista-restart", eval="log:35"),
        dict(lam=0.0, eval="every:4"),
        dict(lam=0.02, eval="log:30"),
        dict(lam=0.006, s=0.05, epochs=20000, eval="log:40"),
        dict(rho=0.7, eval="jitter:35"),
        dict(dof=3, eval="every:25"),
        dict(kf=160, eval="log:30"),
        dict(ks=40, S=2.0, eval="jitter:30"),
        dict(S=0.5, eval="every:3"),
        dict(n=400, df=240, method="fista", epochs=3000, eval="rand:300"),
        dict(noise=0.5, F=3.0, eval="log:35"),
        dict(df=120, n=200, lam=0.01, eval="every:50"),
        dict(method="fista", s=0.03, epochs=8000, eval="every:100"),
        dict(step=0.5, epochs=12000, eval="log:30"),
        dict(df=190, n=200, ds=20, ks=4, noise=1.5, eval="jitter:35"),
    ]
    return lasso_ista, dict_runs(base, rows, lambda d: "%s-n%d-df%d-ds%d-s%g-lam%g-S%g%s" % (
        d["method"], d["n"], d["df"], d["ds"], d["s"], d["lam"], d["S"], "-rho%g" % d["rho"] if d.get("rho") else ""))


# ---------------------------------------------------------------------------------------------------- distill-kl


def distill_kl(w, run_id, c):
    """Knowledge distillation on synthetic data. Inputs: train.py's two-scale Gaussians (df features of scale 1, ds of
    scale c['s']), turned by one random rotation in 'rot' runs. A teacher's logits over c['K'] classes: a fast part
    of power F in the fast features plus a slow part of power S in the slow ones at unit scale. The student is trained
    on the teacher's soft labels at temperature T, softmax((z + sigma eps) / T), whose logits carry per-point Gaussian
    noise of std c['sigma'] (a noisy teacher), by the distillation loss T^2 KL(p_T || softmax(f(x) / T)), mean over
    points. Student: linear, f(x) = W x + b, from zero, or one tanh layer of width c['h'], f(x) = A tanh(V x + a) /
    sqrt(h) + b (V from the seeded generator at c['init'] times 1/sqrt(d), A at c['init'] times 1). Full-batch
    gradient descent (heavy ball with c['mom']) or Adam, under train_more.py's schedules, autograd, float64. Train
    loss: the distillation loss on the training points; test loss: KL(softmax(z) || softmax(f(x))) from the clean
    teacher at temperature 1 on 2,000 fresh points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(31_000 + c["seed"])
    n, df, ds, s, K, T = c["n"], c["df"], c["ds"], c["s"], c["K"], c["T"]
    d = df + ds
    Af = torch.randn(df, K, generator=g)
    Af *= math.sqrt(c["F"] * K) / Af.norm()
    As = torch.randn(ds, K, generator=g)
    As *= math.sqrt(c["S"] * K) / As.norm() / s
    Q = rotation(g, d) if c.get("rot") else None

    def data(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        z = x[:, :df] @ Af + x[:, df:] @ As
        return (x @ Q if Q is not None else x), z

    x, z = data(n)
    xt, zt = data(2000)
    p_tr = torch.softmax((z + c["sigma"] * torch.randn(n, K, generator=g)) / T, 1)
    p_te = torch.softmax(zt, 1)
    h = c.get("h")
    if h:
        V = (torch.randn(d, h, generator=g) * c["init"] / math.sqrt(d)).requires_grad_()
        a = torch.zeros(h, requires_grad=True)
        A = (torch.randn(h, K, generator=g) * c["init"]).requires_grad_()
        b = torch.zeros(K, requires_grad=True)
        params = [V, a, A, b]

        def f(u):
            return torch.tanh(u @ V + a) @ A / math.sqrt(h) + b
    else:
        W = torch.zeros(d, K, requires_grad=True)
        b = torch.zeros(K, requires_grad=True)
        params = [W, b]

        def f(u):
            return u @ W + b

    def kl(p, logits):
        return (p * (p.clamp_min(1e-300).log() - torch.log_softmax(logits, 1))).sum(1).mean()

    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)
    model = {"family": "distillation-student", "student": "tanh-mlp" if h else "linear", "classes": K,
             "input_dim": d}
    if h:
        model["hidden"] = h
    run = w.run(run_id, sum(p.numel() for p in params), n, model,
                settings(c, ("seed", "df", "ds", "s", "rot", "K", "F", "S", "T", "sigma", "h", "init", "opt", "lr",
                             "mom", "sched", "eval"))
                | {"optimizer": c["opt"], "loss": "kl-distillation", "test_target": "clean-teacher"}, output_dim=K)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * lr_factor(c, e, c["epochs"])
            opt.zero_grad()
            (T * T * kl(p_tr, f(x) / T)).backward()
            opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, T * T * kl(p_tr, f(x) / T), kl(p_te, f(xt)), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_distill_kl():
    base = dict(n=300, df=200, ds=20, s=0.1, rot=None, K=3, F=4.0, S=6.0, T=4.0, sigma=1.0, h=None, init=0.5,
                opt="sgd", lr=0.3, mom=0.9, sched="const", epochs=4000, eval="log:30")
    rows = [
        dict(seeds=(1, 2)),
        dict(T=1.0, eval="jitter:30"),
        dict(T=10.0, eval="log:35"),
        dict(sigma=2.0, eval="every:4"),
        dict(K=5, eval="jitter:35"),
        dict(S=2.0, eval="log:30"),
        dict(s=0.05, epochs=10000, eval="log:40"),
        dict(rot=1, eval="every:5"),
        dict(opt="adam", lr=0.01, mom=None, epochs=3000, eval="jitter:30"),
        dict(sched="cosine", eval="log:30"),
        dict(h=16, lr=0.1, eval="log:35"),
        dict(h=64, lr=0.1, df=100, eval="rand:300"),
        dict(df=260, eval="every:3"),
        dict(n=600, df=300, eval="jitter:35"),
        dict(mom=None, lr=1.0, epochs=8000, eval="log:30"),
        dict(sigma=0.5, F=2.0, eval="every:10"),
    ]
    return distill_kl, dict_runs(base, rows, lambda d: "%s-%s-K%d-T%g-sig%g-n%d-df%d-s%g-S%g" % (
        d["opt"], "h%d" % d["h"] if d.get("h") else "linear", d["K"], d["T"], d["sigma"], d["n"], d["df"], d["s"],
        d["S"]))


# ---------------------------------------------------------------------------------------------------- shift-error


def shift_data(g, c):
    """(x, y, xt, yt, view): raw inputs and labels in {0, 1}, the test inputs under covariate shift, and the columns
    the random features see. 'synthetic': d Gaussian inputs, the view the first c['view'], the label the sign of a
    linear teacher's logit (power F on the view, S on the other inputs) plus logistic noise of scale c['temp']; the test
    inputs times c['scale'] and moved by c['shift'] along a random unit direction (the same teacher labels them).
    'breast_cancer', 'wine' (class 0 against the rest), 'digits' (digits 0-4 against 5-9): standardised, the split a
    biased selection, n training points drawn with weights exp(c['bias'] u.x) along a random unit direction u, the rest
    the test set; the view c['view'] columns drawn at random."""
    data = c["data"]
    if data == "synthetic":
        d, da = c["d"], c["view"]
        beta = torch.randn(d, generator=g)
        beta[:da] *= math.sqrt(c["F"]) / beta[:da].norm()
        beta[da:] *= math.sqrt(c["S"]) / beta[da:].norm()
        u = torch.randn(d, generator=g)
        u /= u.norm()

        def draw(m, test):
            xx = torch.randn(m, d, generator=g)
            if test:
                xx = xx * c["scale"] + c["shift"] * u
            logit = xx @ beta + c["temp"] * torch.logit(torch.rand(m, generator=g).clamp(1e-9, 1 - 1e-9))
            return xx, (logit > 0).double()

        x, y = draw(c["n"], False)
        xt, yt = draw(2000, True)
        return x, y, xt, yt, torch.arange(da)
    import sklearn.datasets as skd
    xs, ys = getattr(skd, "load_" + data)(return_X_y=True)
    xa = torch.tensor(xs, dtype=torch.float64)
    ya = torch.tensor(ys)
    ya = (ya == 0).double() if data == "wine" else (ya < 5).double() if data == "digits" else ya.double()
    xa = (xa - xa.mean(0)) / xa.std(0).clamp_min(1e-9)
    u = torch.randn(xa.shape[1], generator=g)
    u /= u.norm()
    wts = torch.exp(c["bias"] * (xa @ u))
    tr = torch.multinomial(wts, c["n"], replacement=False, generator=g)
    mask = torch.ones(len(xa), dtype=torch.bool)
    mask[tr] = False
    view = torch.randperm(xa.shape[1], generator=g)[:c["view"]]
    return xa[tr], ya[tr], xa[mask], ya[mask], view


def shift_error(w, run_id, c):
    """A binary classifier whose test "loss" is the test error rate under covariate shift (shift_data). Features: N
    random ReLU features relu(v.x_view / sqrt(|view|) + b) of a weak view of the raw inputs (shift_data's columns; v
    Gaussian, b uniform in [-1, 1]), centred and standardised on the training points (scale 1, fast), next to all raw
    inputs times c['s'] (slow). c['flip'] of the training labels flipped. A linear readout from zero on the squared
    error against labels of +-1 ('square') or on the logistic loss ('logistic'), full-batch gradient descent (step
    c['step'] over the largest eigenvalue of the features' Gram matrix F^T F / n, times 1/4 for the logistic loss),
    or Langevin dynamics (c['temp_l'] > 0: Gaussian noise of std sqrt(2 eta temp_l) added to the weights every step),
    float64. Train loss: the training loss (squared or logistic) on the flipped labels; test loss: the share of test
    points misclassified (step-valued); the events carry the train and test error rates too."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(32_000 + c["seed"])
    x, y, xt, yt, view = shift_data(g, c)
    n, d = x.shape
    N = c["N"]
    V = torch.randn(len(view), N, generator=g)
    bb = torch.rand(N, generator=g) * 2 - 1

    def rf(u):
        return torch.relu(u[:, view] @ V / math.sqrt(len(view)) + bb)

    f_tr = rf(x)
    mu, sd = f_tr.mean(0), f_tr.std(0).clamp_min(1e-9)
    s = c["s"]

    def feats(u):
        return torch.cat([(rf(u) - mu) / sd, s * u], 1)

    X, Xt = feats(x), feats(xt)
    flip = torch.rand(n, generator=g) < c["flip"]
    y = torch.where(flip, 1 - y, y)
    sq = c["loss"] == "square"
    L = torch.linalg.eigvalsh(X.T @ X / n)[-1].item() / (1 if sq else 4)
    eta = c["step"] / L
    ypm = 2 * y - 1
    wt = torch.zeros(X.shape[1])
    b0 = torch.zeros(())
    temp = c.get("temp_l") or 0.0
    run = w.run(run_id, X.shape[1] + 1, n, {"family": "random-relu-features-classifier", "features": N,
                                            "input_dim": d, "data": c["data"]},
                settings(c, ("seed", "data", "d", "view", "F", "S", "temp", "scale", "shift", "bias", "N", "s", "flip",
                             "loss", "step", "temp_l", "eval"))
                | {"optimizer": "langevin" if temp else "gd", "test_loss": "error-rate",
                   "test_shift": "covariate"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            r = X @ wt + b0 - ypm if sq else torch.sigmoid(X @ wt + b0) - y
            wt = wt - eta * (X.T @ r) / n
            b0 = b0 - eta * r.mean() * (1 if sq else 0.25)
            if temp:
                wt = wt + math.sqrt(2 * eta * temp) * torch.randn(wt.shape, generator=g)
            e += 1
        o, ot = X @ wt + b0, Xt @ wt + b0
        tl = ((o - ypm) ** 2).mean() if sq else torch.nn.functional.binary_cross_entropy_with_logits(o, y)
        er, ert = ((o > 0).double() != y).double().mean(), ((ot > 0).double() != yt).double().mean()
        run.log(e, tl, ert, train_error=er, test_error=ert, final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_shift_error():
    base = dict(data="synthetic", n=300, d=30, view=20, F=4.0, S=9.0, temp=0.3, scale=1.5, shift=1.0, bias=None, N=140,
                s=0.1, flip=0.15, loss="square", step=1.0, temp_l=None, epochs=5000, eval="log:30")
    rows = [
        dict(seeds=(1, 2)),
        dict(scale=1.0, shift=0.0, eval="jitter:30"),
        dict(scale=2.0, shift=2.0, eval="log:35"),
        dict(N=180, eval="every:5"),
        dict(N=100, eval="jitter:35"),
        dict(flip=0.3, eval="log:30"),
        dict(s=0.05, epochs=20000, eval="log:40"),
        dict(temp_l=1e-4, eval="every:25"),
        dict(temp_l=1e-3, eval="jitter:30"),
        dict(d=50, view=40, N=160, eval="rand:300"),
        dict(data="breast_cancer", bias=1.0, N=100, view=5, s=0.2, eval="log:30"),
        dict(data="breast_cancer", bias=0.0, N=100, view=5, s=0.2, eval="every:4"),
        dict(data="wine", n=110, bias=1.0, N=40, view=3, eval="jitter:30"),
        dict(data="digits", n=600, bias=0.5, N=200, view=16, s=0.2, epochs=3000, eval="every:50"),
        dict(step=0.3, epochs=15000, eval="log:30"),
        dict(loss="logistic", N=60, s=0.5, eval="log:35"),
        dict(flip=0.05, temp=0.1, N=200, eval="every:2"),
        dict(S=3.0, eval="every:10"),
    ]
    return shift_error, dict_runs(base, rows, lambda d: "%s-n%d-N%d-s%g-flip%g%s%s" % (
        d["data"], d["n"], d["N"], d["s"], d["flip"],
        "-x%g+%g" % (d["scale"], d["shift"]) if d["data"] == "synthetic" else "-bias%g" % d["bias"],
        "-langevin%g" % d["temp_l"] if d.get("temp_l") else ""))


FAMILIES = {"lasso-ista": runs_lasso_ista, "distill-kl": runs_distill_kl, "shift-error": runs_shift_error}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
