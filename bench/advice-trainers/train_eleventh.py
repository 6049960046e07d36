#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eleventh held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, bench/src/main/java or bench/src/test,
neither docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping
benchmark, no Java and not the descentwatch launcher was run; the runs were sorted by census.py alone), and made to
differ from the thirty-eight families of train.py ... train_tenth.py in model, loss, optimizer, noise and evaluation:
a heteroscedastic regression whose model predicts a mean and a log-variance, trained on the Gaussian negative
log-likelihood (or the beta-NLL, or after a squared-error warm-up of the mean) on targets whose noise level depends on
the input, judged by the test NLL; a generalised linear model (logistic or probit link) fitted by damped second-order
steps, Levenberg-Marquardt damped Fisher scoring with a fixed, decaying or adaptive damping, a lagged Fisher matrix, a
damped diagonal Fisher, or truncated Newton-CG, judged by the expected cross-entropy against the clean teacher's
probabilities or by the cross-entropy on noisy labels; and a linear-plus-SiLU network trained by minibatch SGD under
data augmentation (Gaussian multiplicative input noise, mixup, random input masking), evaluated at the raw weights, an
exponential moving average of them or a Polyak tail average. The file format, determinism and helpers are the earlier
files': Writer, the command line, two-scale inputs and the two-scale linear teacher from train.py, epochs_of, settings
and lr_factor from train_more.py, label_noise from train_fourth.py, rotation from train_sixth.py and dict_runs from
train_seventh.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant
digits.

    /usr/bin/python3 train_eleventh.py --family hetero-nll [--list] [--runs 0,3] [--out FILE]

Families (see README.md): hetero-nll, damped-newton, augment-ema. Evaluation spacings: train.py's 'every',
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
from train_fourth import label_noise  # noqa: E402
from train_sixth import rotation  # noqa: E402
from train_seventh import dict_runs  # noqa: E402

torch.set_num_threads(1)

LOG_2PI = math.log(2 * math.pi)


# ---------------------------------------------------------------------------------------------------- hetero-nll


def hetero_nll(w, run_id, c):
    """Heteroscedastic regression. Inputs: train.py's two-scale Gaussians (df features of scale 1, ds of scale
    c['s']), turned by a random rotation in 'rot' runs. Target: a fast part of power F plus a slow part of power S (at
    unit scale) plus noise of std sigma(x) = c['sig0'] exp(c['gam'] u), u = x_fast . v for a random unit vector v of
    the first c['kv'] fast features (the noise level depends on the input), the noise Gaussian or Student-t (c['dof']). Model: a
    mean mu(x) = x.a + a0 and a log-variance lv(x) = x.b + b0 ('linear' head), lv(x) = b0 ('scalar' head, one learned
    noise level), or lv linear in the c['kv'] fast features that v lives on ('few' head); all from zero, lv clamped to [-6, 6]. Loss: the
    Gaussian negative log-likelihood 0.5 (log 2 pi + lv + (y - mu)^2 exp(-lv)) averaged over the points; 'beta' runs
    weight each point's NLL by exp(lv)^beta (detached; beta-NLL, c['beta']); c['warm'] epochs of squared error on
    the mean first (the variance held at 1); the variance head's step c['vlr'] times the mean's. Full-batch gradient descent, heavy ball (c['mom']) or Adam under
    train_more.py's schedules, autograd, float64. Train loss: the NLL on the training points; test loss: the NLL on
    2,000 fresh points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(36_000 + c["seed"])
    n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
    d = df + ds
    bf = torch.randn(df, generator=g)
    bf *= math.sqrt(c["F"]) / bf.norm()
    bs = torch.randn(ds, generator=g)
    bs *= math.sqrt(c["S"]) / bs.norm() / s
    kv = c["kv"]
    v = torch.zeros(df)
    v[:kv] = torch.randn(kv, generator=g)
    v /= v.norm()
    Q = rotation(g, d) if c.get("rot") else None

    def data(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        sig = c["sig0"] * torch.exp(c["gam"] * (x[:, :df] @ v))
        y = x[:, :df] @ bf + x[:, df:] @ bs + sig * label_noise(g, m, c.get("dof") or 0)
        return (x @ Q if Q is not None else x), y

    x, y = data(n)
    xt, yt = data(2000)
    head = c["head"]
    a = torch.zeros(d, requires_grad=True)
    a0 = torch.zeros(1, requires_grad=True)
    b = torch.zeros(kv if head == "few" else d, requires_grad=True)
    b0 = torch.zeros(1, requires_grad=True)
    params = [a, a0, b0] + ([] if head == "scalar" else [b])

    def predict(u):
        mu = u @ a + a0
        if head == "scalar":
            lv = b0.expand(len(u))
        elif head == "few":
            lv = (u @ Q.T if Q is not None else u)[:, :kv] @ b + b0
        else:
            lv = u @ b + b0
        return mu, lv.clamp(-6.0, 6.0)

    def nll(u, yy):
        mu, lv = predict(u)
        return 0.5 * (LOG_2PI + lv + (yy - mu) ** 2 * torch.exp(-lv))

    def train_loss(e):
        if e < (c.get("warm") or 0):
            return ((x @ a + a0 - y) ** 2).mean()
        per = nll(x, y)
        if c.get("beta"):
            _, lv = predict(x)
            per = per * torch.exp(c["beta"] * lv).detach()
        return per.mean()

    vlr = c.get("vlr") or 1.0
    groups = [{"params": [a, a0], "scale": 1.0}, {"params": params[2:], "scale": vlr}]
    if c["opt"] == "adam":
        opt = torch.optim.Adam(groups, lr=c["lr"])
    else:
        opt = torch.optim.SGD(groups, lr=c["lr"], momentum=c.get("mom") or 0.0)
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "heteroscedastic-gaussian", "variance_head": head, "input_dim": d},
                settings(c, ("seed", "df", "ds", "s", "F", "S", "sig0", "gam", "kv", "dof", "rot", "head", "beta", "warm",
                             "vlr", "opt", "lr", "mom", "sched", "eval"))
                | {"optimizer": c["opt"], "loss": "beta-nll" if c.get("beta") else "gaussian-nll"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * group["scale"] * lr_factor(c, e, c["epochs"])
            opt.zero_grad()
            train_loss(e).backward()
            opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, nll(x, y).mean(), nll(xt, yt).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_hetero_nll():
    base = dict(n=400, df=120, ds=20, s=0.1, F=3.0, S=1.5, sig0=1.0, gam=0.5, kv=4, dof=None, rot=None, head="few",
                beta=None, warm=None, vlr=None, opt="sgd", lr=0.02, mom=0.9, sched="const", epochs=5000, eval="log:30")
    return hetero_nll, dict_runs(base, [
        dict(vlr=0.01, seeds=(1, 2)),
        dict(vlr=0.001, eval="every:5"),
        dict(vlr=0.01, df=200, eval="jitter:30"),
        dict(vlr=0.01, S=4.0, eval="every:10"),
        dict(vlr=0.003, head="scalar", eval="rand:300"),
        dict(warm=300, S=3.0, epochs=3000, eval="every:2"),
        dict(opt="adam", lr=0.003, mom=None, rot=1, vlr=0.03, eval="log:35"),
        dict(vlr=0.01, gam=1.0, sig0=0.7, eval="jitter:35"),
        dict(vlr=0.1, eval="every:4"),
        dict(eval="log:40"),
        dict(head="scalar", df=240, s=0.2, lr=0.01, epochs=3000, eval="every:3"),
        dict(head="linear", df=100, lr=0.005, eval="log:30"),
        dict(beta=0.5, eval="jitter:30"),
        dict(vlr=0.01, dof=3, epochs=2000, eval="every"),
        dict(vlr=0.01, sched="cosine", S=2.5, eval="every:2"),
        dict(vlr=0.01, S=0.5, eval="log:30"),
        dict(vlr=0.01, n=200, df=70, epochs=4000, eval="every:8"),
        dict(opt="adam", lr=0.01, mom=None, eval="jitter:30"),
    ], lambda d: "%s-%s%s-n%d-df%d-s%g-S%g-sig%g-gam%g" % (
        d["head"], d["opt"], "-beta%g" % d["beta"] if d.get("beta") else "", d["n"], d["df"], d["s"], d["S"],
        d["sig0"], d["gam"]))


# ---------------------------------------------------------------------------------------------------- damped-newton


def damped_newton(w, run_id, c):
    """A generalised linear model for binary labels fitted by damped second-order steps. Inputs: train.py's two-scale
    Gaussians (df features of scale 1, ds of scale c['s']); the teacher's score z = fast part (power F) + slow part
    (power S at unit scale); labels drawn with P(y = 1) = link(z) (logistic or probit, c['link']), then a share
    c['flip'] of the training labels flipped. Model: P(y = 1 | x) = link(x.w), w from zero, the same link; loss the
    mean negative log-likelihood. One step an epoch, float64, gradient and Fisher matrix F = X^T diag(f) X / n written
    out (f = p(1 - p) for the logistic link, phi(x.w)^2 / (Phi (1 - Phi)) for the probit): 'lm' w -= (F + lam I)^-1
    grad with a fixed damping lam (c['lam']); 'decay' the damping lam * c['gamma']^t floored at c['lam_min'];
    'adaptive' Levenberg-Marquardt, the step rejected and lam times 3 when the training loss grows, lam times 0.7 when
    it falls; 'diag' the damped diagonal of F; 'tncg' truncated Newton, c['cg'] conjugate-gradient iterations on
    (F + lam I) s = grad from zero. The Fisher matrix (and its Cholesky factor) is refreshed every c['refresh']
    steps. Train loss: the NLL on the (flipped) training labels; test loss on 2,000 fresh points: 'teacher' the
    expected cross-entropy against the clean teacher's probabilities, 'labels' the cross-entropy on labels drawn from
    them with the same share flipped."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(37_000 + c["seed"])
    n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
    d = df + ds
    bf = torch.randn(df, generator=g)
    bf *= math.sqrt(c["F"]) / bf.norm()
    bs = torch.randn(ds, generator=g)
    bs *= math.sqrt(c["S"]) / bs.norm() / s
    beta = torch.cat([bf, bs])
    probit = c["link"] == "probit"
    normal = torch.distributions.Normal(0.0, 1.0)

    def prob(z):
        return normal.cdf(z) if probit else torch.sigmoid(z)

    def data(m, flip):
        x = train.two_scale_inputs(g, m, df, ds, s)
        q = prob(x @ beta)
        y = (torch.rand(m, generator=g) < q).double()
        f = torch.rand(m, generator=g) < flip
        return x, torch.where(f, 1 - y, y), q

    x, y, _ = data(n, c["flip"])
    xt, yt, qt = data(2000, c["flip"])
    eps = 1e-12

    def nll(z, t):
        if probit:
            return -(t * torch.log(normal.cdf(z).clamp_min(eps)) + (1 - t) * torch.log(normal.cdf(-z).clamp_min(eps)))
        return torch.nn.functional.softplus(z) - t * z

    def loss(wv):
        return nll(x @ wv, y).mean()

    def grad_fisher(wv):
        z = x @ wv
        if probit:
            cdf, pdf = normal.cdf(z).clamp(eps, 1 - eps), torch.exp(normal.log_prob(z))
            r = pdf * (cdf - y) / (cdf * (1 - cdf))
            f = pdf ** 2 / (cdf * (1 - cdf))
        else:
            p = torch.sigmoid(z)
            r, f = p - y, p * (1 - p)
        return x.T @ r / n, f

    method = c["method"]
    lam = c["lam"]
    wv = torch.zeros(d)
    run = w.run(run_id, d, n, {"family": "glm-second-order", "link": c["link"], "input_dim": d, "solver": method},
                settings(c, ("seed", "df", "ds", "s", "F", "S", "link", "flip", "method", "lam", "gamma", "lam_min",
                             "refresh", "cg", "test", "eval"))
                | {"optimizer": method, "loss": "%s-nll" % c["link"]})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    refresh = c.get("refresh") or 1
    fac = fdiag = fis = None
    cur = loss(wv)
    e = 0

    def test_loss(wv):
        zt = xt @ wv
        if c["test"] == "teacher":
            return (qt * nll(zt, torch.ones_like(qt)) + (1 - qt) * nll(zt, torch.zeros_like(qt))).mean()
        return nll(zt, yt).mean()

    for pt in pts:
        while e < pt:
            gr, f = grad_fisher(wv)
            if method == "decay":
                lam = max(c["lam"] * c["gamma"] ** e, c["lam_min"])
            if e % refresh == 0 or fis is None:
                fis = (x * f.unsqueeze(1)).T @ x / n
                fdiag = torch.diagonal(fis).clone()
                fac = None
            if method == "diag":
                step = gr / (fdiag + lam)
            elif method == "tncg":
                A = fis + lam * torch.eye(d)
                step = torch.zeros(d)
                r = gr.clone()
                dirn = r.clone()
                rr = torch.dot(r, r)
                for _ in range(c["cg"]):
                    ad = A @ dirn
                    al = rr / torch.dot(dirn, ad)
                    step = step + al * dirn
                    r = r - al * ad
                    rr1 = torch.dot(r, r)
                    dirn = r + (rr1 / rr) * dirn
                    rr = rr1
            else:
                if fac is None or method in ("decay", "adaptive"):
                    fac = torch.linalg.cholesky(fis + lam * torch.eye(d))
                step = torch.cholesky_solve(gr.unsqueeze(1), fac).squeeze(1)
            if method == "adaptive":
                new = wv - step
                nl = loss(new)
                if nl <= cur:
                    wv, cur = new, nl
                    lam = max(lam * 0.7, c["lam_min"])
                else:
                    lam = lam * 3.0
            else:
                wv = wv - step
                cur = loss(wv)
            e += 1
        run.log(e, cur, test_loss(wv), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_damped_newton():
    base = dict(n=600, df=140, ds=20, s=0.1, F=6.0, S=16.0, link="logit", flip=0.1, method="lm", lam=1.0,
                gamma=None, lam_min=None, refresh=1, cg=None, test="teacher", epochs=2000, eval="log:30")
    return damped_newton, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lam=0.3, eval="every:2"),
        dict(lam=3.0, epochs=3000, eval="jitter:30"),
        dict(refresh=10, eval="every"),
        dict(refresh=50, lam=0.5, eval="log:35"),
        dict(method="decay", lam=10.0, gamma=0.995, lam_min=0.05, eval="every:3"),
        dict(method="adaptive", lam=1.0, lam_min=0.2, eval="jitter:35"),
        dict(method="diag", lam=0.5, eval="rand:300"),
        dict(method="tncg", cg=3, lam=0.1, eval="log:30"),
        dict(method="tncg", cg=10, lam=0.3, eval="every:4"),
        dict(link="probit", S=6.0, F=2.5, eval="log:30"),
        dict(link="probit", S=6.0, F=2.5, test="labels", flip=0.05, eval="every:5"),
        dict(test="labels", eval="jitter:30"),
        dict(S=6.0, eval="every:2"),
        dict(df=200, eval="log:40"),
        dict(flip=0.25, eval="every:10"),
        dict(s=0.05, lam=0.3, epochs=4000, eval="every:25"),
        dict(n=1000, df=230, eval="log:30"),
    ], lambda d: "%s-%s-lam%g-n%d-df%d-s%g-S%g-flip%g-%s" % (
        d["method"], d["link"], d["lam"], d["n"], d["df"], d["s"], d["S"], d["flip"], d["test"]))


# ---------------------------------------------------------------------------------------------------- augment-ema


def augment_ema(w, run_id, c):
    """A linear-plus-SiLU network trained under data augmentation, evaluated at averaged weights. Data: train.py's
    two-scale linear teacher (df features of scale 1, ds of scale c['s'], fast power F, slow power S at unit scale,
    label noise c['noise']; two_scale_regression). Model: f(x) = x.a + q . silu(x W + b) / sqrt(h) + a0, a, q and a0
    from zero, W at c['init'] / sqrt(d) from the seeded generator. Minibatch SGD (batches c['batch'], reshuffled every
    epoch, momentum c['mom']) on the squared error of augmented minibatches, drawn afresh every step: 'none';
    'noise' each input times (1 + c['aug'] eps), eps standard normal (multiplicative input noise); 'mixup' each point
    mixed with another of the batch, x = l x_i + (1 - l) x_j and the same for y, l uniform in [1 - c['aug'], 1];
    'mask' each input coordinate zeroed with probability c['aug'] and the rest divided by 1 - c['aug']. Evaluated
    ('avg') at the raw weights ('raw'), an exponential moving average of them updated every step (c['ema'] its
    decay), or the Polyak average of every step's weights since epoch c['tail'] ('polyak'; raw before). Train loss:
    the squared error of the evaluated weights on the un-augmented training points; test loss: on 2,000 fresh points,
    noise included."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(38_000 + c["seed"])
    torch.manual_seed(38_000 + c["seed"])
    x, y, xt, yt = train.two_scale_regression(g, c)
    n, d, h = c["n"], x.shape[1], c["h"]
    a = torch.zeros(d, requires_grad=True)
    q = torch.zeros(h, requires_grad=True)
    a0 = torch.zeros(1, requires_grad=True)
    W = (torch.randn(d, h, generator=g) * c["init"] / math.sqrt(d)).requires_grad_()
    bb = (torch.randn(h, generator=g) * 0.5).requires_grad_()
    params = [a, q, a0, W, bb]

    def model(ps, u):
        a_, q_, a0_, W_, b_ = ps
        return u @ a_ + torch.nn.functional.silu(u @ W_ + b_) @ q_ / math.sqrt(h) + a0_

    opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)
    avg = c["avg"]
    shadow = [p.detach().clone() for p in params]
    count = 0
    aug, kind = c.get("aug") or 0.0, c["augment"]
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "linear-plus-silu", "width": h, "input_dim": d, "augment": kind, "average": avg},
                settings(c, ("seed", "n", "df", "ds", "s", "F", "S", "noise", "h", "init", "augment", "aug", "avg",
                             "ema", "tail", "lr", "mom", "batch", "sched", "eval"))
                | {"optimizer": "sgd", "loss": "mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c["batch"]
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * lr_factor(c, e, c["epochs"])
            idx = torch.randperm(n, generator=g)
            for j in range(0, n, bsz):
                bi = idx[j:j + bsz]
                xb, yb = x[bi], y[bi]
                m = len(bi)
                if kind == "noise":
                    xb = xb * (1 + aug * torch.randn(m, d, generator=g))
                elif kind == "mixup":
                    lam = 1 - aug * torch.rand(m, generator=g)
                    other = torch.randperm(m, generator=g)
                    xb = lam.unsqueeze(1) * xb + (1 - lam.unsqueeze(1)) * xb[other]
                    yb = lam * yb + (1 - lam) * yb[other]
                elif kind == "mask":
                    keep = (torch.rand(m, d, generator=g) >= aug).double()
                    xb = xb * keep / (1 - aug)
                opt.zero_grad()
                ((model(params, xb) - yb) ** 2).mean().backward()
                opt.step()
                with torch.no_grad():
                    if avg == "ema":
                        for sh, pp in zip(shadow, params):
                            sh.mul_(c["ema"]).add_(pp, alpha=1 - c["ema"])
                    elif avg == "polyak" and e >= c["tail"]:
                        count += 1
                        for sh, pp in zip(shadow, params):
                            sh.add_(pp - sh, alpha=1.0 / count)
            e += 1
        with torch.no_grad():
            ps = params if avg == "raw" or (avg == "polyak" and count == 0) else shadow
            run.log(e, ((model(ps, x) - y) ** 2).mean(), ((model(ps, xt) - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_augment_ema():
    base = dict(n=300, df=200, ds=20, s=0.1, F=3.0, S=2.0, noise=1.0, h=32, init=1.0, augment="none", aug=None,
                avg="raw", ema=None, tail=None, lr=0.01, mom=0.9, batch=50, sched="const", epochs=1500, eval="log:30")
    return augment_ema, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(avg="ema", ema=0.99, eval="every:2"),
        dict(avg="ema", ema=0.999, eval="jitter:30"),
        dict(avg="polyak", tail=500, eval="every:3"),
        dict(augment="noise", aug=0.3, eval="log:30"),
        dict(augment="noise", aug=1.0, eval="every:4"),
        dict(augment="mixup", aug=0.5, eval="rand:300"),
        dict(augment="mixup", aug=1.0, avg="ema", ema=0.99, eval="log:35"),
        dict(augment="mask", aug=0.1, eval="jitter:30"),
        dict(augment="mask", aug=0.3, eval="every:5"),
        dict(h=128, eval="log:30"),
        dict(S=0.5, eval="every:2"),
        dict(df=240, eval="jitter:35"),
        dict(s=0.05, lr=0.02, epochs=3000, eval="every:10"),
        dict(batch=20, lr=0.003, eval="log:30"),
        dict(mom=None, lr=0.05, sched="cosine", eval="every:3"),
        dict(init=0.1, noise=1.5, eval="log:40"),
        dict(augment="mask", aug=0.2, avg="polyak", tail=100, eval="every"),
    ], lambda d: "%s%s-%s-h%d-n%d-df%d-s%g-S%g" % (
        d["augment"], "%g" % d["aug"] if d.get("aug") else "", d["avg"], d["h"], d["n"], d["df"], d["s"], d["S"]))


FAMILIES = {"hetero-nll": runs_hetero_nll, "damped-newton": runs_damped_newton, "augment-ema": runs_augment_ema}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
