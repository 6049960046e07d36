#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, twentieth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping* or
*Advice* file was read, and no git log of main; no stopping benchmark, no Java, no Maven and not the descentwatch
launcher was run; each family's grid was set from its own logic and committed before any of its runs was trained or
looked at, revised at most once (README.md says where and why), and the runs were sorted by census.py alone), and made
to differ from the sixty-five families of train.py ... train_nineteenth.py in model, loss, optimizer, noise and
training procedure: adversarial training (FGSM and PGD attacks inside an L-infinity or L2 ball, the model trained on the
attacked inputs, alone or mixed with the clean ones) of a small ReLU network or a linear model on flipped labels and
noisy regression targets, evaluated on clean inputs; a radial basis function network whose centres, widths and
per-input scales are learned next to its amplitudes, at several width scales (narrow bumps, wide ones and a mixture);
and large-batch training of a two-hidden-layer ReLU network under the layer-wise trust ratios of LARS and LAMB, with a
warm-up and a constant or polynomially decaying step, beside momentum SGD and Adam at the same batches. The file
format, determinism and helpers are the earlier files': Writer, the command line, two-scale inputs and the digits from
train.py, epochs_of and settings from train_more.py, rotation from train_sixth.py and dict_runs from train_seventh.py;
one thread, every random draw from a seeded torch.Generator (PyTorch's default layer initialisation under
torch.manual_seed in lars-lamb), synthetic event times, 6 significant digits.

    /usr/bin/python3 train_twentieth.py --family adversarial-pgd [--list] [--runs 0,3] [--out FILE]

Families (see README.md): adversarial-pgd, rbf-learned, lars-lamb. Evaluation spacings: train.py's 'every', 'every:K',
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
from train_more import epochs_of, settings  # noqa: E402
from train_sixth import rotation  # noqa: E402
from train_seventh import dict_runs  # noqa: E402

torch.set_num_threads(1)


def cross_entropy(logits, t):
    return -torch.log_softmax(logits, 1).gather(1, t.unsqueeze(1)).mean()


# ---------------------------------------------------------------------------------------------------- adversarial-pgd


def attack(f, loss_of, xb, yb, c, g, box):
    """The attacked inputs of a batch: an L-infinity ('linf') or L2 ('l2') perturbation of radius c['eps'] that
    increases loss_of(f(x + delta), y). c['steps'] 1: FGSM (Goodfellow et al. 2015; for L2 the fast gradient method),
    one step of size eps from delta = 0 along the gradient's sign (or its direction, normalised per point); more: PGD
    (Madry et al. 2018), that many steps of size 2.5 eps / steps, each projected back on the ball, from a uniform random
    start in the L-infinity ball (from zero in the L2 ball). box = (lo, hi) clamps the attacked inputs (the digits'
    pixel range) or None. eps 0: no attack."""
    eps, k = c["eps"], c["steps"]
    if not eps:
        return xb
    step = eps if k == 1 else 2.5 * eps / k
    if k > 1 and c["norm"] == "linf":
        delta = (2 * torch.rand(xb.shape, generator=g) - 1) * eps
    else:
        delta = torch.zeros_like(xb)
    for _ in range(k):
        delta.requires_grad_()
        grad, = torch.autograd.grad(loss_of(f(xb + delta), yb), delta)
        with torch.no_grad():
            if c["norm"] == "linf":
                delta = (delta + step * grad.sign()).clamp(-eps, eps)
            else:
                delta = delta + step * grad / grad.norm(dim=1, keepdim=True).clamp_min(1e-30)
                delta = delta * (eps / delta.norm(dim=1, keepdim=True).clamp_min(1e-30)).clamp(max=1.0)
            if box is not None:
                delta = (xb + delta).clamp(*box) - xb
    return (xb + delta).detach()


def adversarial_pgd(w, run_id, c):
    """Adversarial training of a small network on noisy labels, evaluated on clean inputs. Data ('synth'): train.py's
    two-scale Gaussian inputs, df fast ones of scale 1 and ds slow ones of scale s (turned by one random rotation where
    c['rot'], so that Adam's per-coordinate steps cannot undo the scales); task 'class': K classes, the argmax of a
    teacher's logits (c['label'] 'argmax'; 'softmax': drawn from their softmax), a fast part (a Gaussian readout of the
    fast inputs, power F per class) plus a slow part (of the slow inputs at unit scale, power S per class), then a share
    c['flip'] of the n training labels changed to another class at random; 2,000 test points with the teacher's labels,
    unflipped; task 'reg': the target a linear
    fast part of power F plus a linear slow part of power S (slow inputs at unit scale) plus Gaussian label noise of std
    c['noise'], test points noisy too. 'digits': train.py's 8x8 digits (pixels in [0, 1]), n for training with a share
    c['flip'] of labels replaced by another class, the rest (clean) for testing. Model: one hidden ReLU layer of width h
    (first layer from standard normals over sqrt(d), readout from standard normals over sqrt(h), biases zero) or linear
    logits from zero. Training: every step, the batch's inputs are attacked by FGSM or PGD (attack(); radius eps in the
    L-infinity or L2 norm, against the current model and the batch's training labels) and the model takes a step on
    (1 - mix) times the loss of the attacked inputs plus mix times that of the clean ones (mix 0: Madry's objective;
    0.5: Goodfellow's); eps 0 is plain training. Loss: the cross-entropy (task 'class', digits) or the mean squared
    error ('reg'), autograd, float64; full-batch heavy ball (momentum 0.9), minibatches under momentum 0.9, or Adam; the
    gradient's norm clipped to 10. Train loss: the loss of the clean training inputs on their (noisy) labels; test loss:
    the same loss on the clean test inputs; error rates in the classification events. Grid (runs_adversarial_pgd; 21
    settings, 1-2 seeds, 22 runs): the base K 3, n 500, df 60, ds 10, s 0.15, F 4, S 9, argmax labels, 20% flipped,
    ReLU width 16, PGD of 3 steps in the L-infinity ball of radius 0.03 (a fifth of the slow inputs' scale), mix 0,
    heavy ball at step 0.05, 1,200 epochs (2 seeds); one setting at a time eps 0 (plain training), 0.01, 0.08 or 0.2
    (above the slow inputs' scale), FGSM, the L2 ball of radius 0.5 or 1.5, mix 0.5, no flips or 35%, S 2, s 0.3, width
    4, the linear model, minibatches of 50 at step 0.02 (600 epochs), Adam at 0.003 on rotated inputs, labels drawn from
    the teacher's softmax, the regression task (F 1, S 3, noise 0.7, step 0.02); and the digits (n 500, 20% flipped,
    width 32, FGSM at L-infinity radius 0.03, 600 epochs) with and without the attack. Revised once (README): the first
    grid drew every classification label from the teacher's softmax, on n 300 over 2,000 epochs (the minibatch row
    1,000), without the softmax row, the rows otherwise the same; there every synthetic classification run had its
    first minimum at 1.02-1.13, about ln 3, the uninformed prediction's loss (0 winning runs, 18 nothing better, 3 no
    bump)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(71_000 + c["seed"])
    task = c["task"]
    box = None
    if c["data"] == "digits":
        x, y, xt, yt = train.digits(c["seed"], c["n"], c["flip"])
        x, xt = x.double(), xt.double()
        K, d = 10, 64
        box = (0.0, 1.0)
    else:
        K, n, df, ds, s = c.get("K") or 1, c["n"], c["df"], c["ds"], c["s"]
        d = df + ds
        Q = rotation(g, d) if c.get("rot") else None
        if task == "class":
            Bf = torch.randn(df, K, generator=g) * math.sqrt(c["F"] / df)
            Bs = torch.randn(ds, K, generator=g) * math.sqrt(c["S"] / ds)
        else:
            Bf = torch.randn(df, 1, generator=g) * math.sqrt(c["F"] / df)
            Bs = torch.randn(ds, 1, generator=g) * math.sqrt(c["S"] / ds)

        def draw(m):
            z = train.two_scale_inputs(g, m, df, ds, s)
            f = z[:, :df] @ Bf + (z[:, df:] / s) @ Bs
            if task == "class" and c.get("label") == "softmax":
                lab = torch.multinomial(torch.softmax(f, 1), 1, generator=g).squeeze(1)
            elif task == "class":
                lab = f.argmax(1)
            else:
                lab = f.squeeze(1) + c["noise"] * torch.randn(m, generator=g)
            return (z @ Q if Q is not None else z), lab

        x, y = draw(n)
        xt, yt = draw(2000)
        if task == "class":
            flip = torch.rand(n, generator=g) < c["flip"]
            y = torch.where(flip, (y + torch.randint(1, K, (n,), generator=g)) % K, y)
    n = len(x)
    out = K if task == "class" else 1
    if c["model"] == "linear":
        params = [torch.zeros(d, out, requires_grad=True), torch.zeros(out, requires_grad=True)]

        def f(z):
            return z @ params[0] + params[1]
    else:
        h = c["h"]
        params = [(torch.randn(d, h, generator=g) / math.sqrt(d)).requires_grad_(), torch.zeros(h, requires_grad=True),
                  (torch.randn(h, out, generator=g) / math.sqrt(h)).requires_grad_(),
                  torch.zeros(out, requires_grad=True)]

        def f(z):
            return torch.relu(z @ params[0] + params[1]) @ params[2] + params[3]
    if task == "class":
        loss_of = cross_entropy
    else:
        def loss_of(o, t):
            return ((o.squeeze(1) - t) ** 2).mean()
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9)
    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "adversarial-" + c["model"], "classes": K if task == "class" else 0, "input_dim": d,
                 "width": c.get("h") or 0},
                settings(c, ("seed", "data", "task", "K", "n", "df", "ds", "s", "F", "S", "label", "noise", "flip",
                             "model", "h", "norm", "eps", "steps", "mix", "rot", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy" if task == "class" else "mse",
                   "attack": "none" if not c["eps"] else ("fgsm" if c["steps"] == 1 else "pgd%d" % c["steps"]),
                   "test_loss": "clean-inputs"}, output_dim=out)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    mix = c.get("mix") or 0.0
    e = 0
    for p in pts:
        while e < p:
            idx = torch.randperm(n, generator=g) if bsz < n else None
            for j in range(0, n, bsz):
                xb, yb = (x, y) if idx is None else (x[idx[j:j + bsz]], y[idx[j:j + bsz]])
                xa = attack(f, loss_of, xb, yb, c, g, box)
                opt.zero_grad()
                loss = loss_of(f(xa), yb)
                if mix:
                    loss = (1 - mix) * loss + mix * loss_of(f(xb), yb)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 10.0)
                opt.step()
            e += 1
        with torch.no_grad():
            o, ot = f(x), f(xt)
            if task == "class":
                run.log(e, loss_of(o, y), loss_of(ot, yt), (o.argmax(1) != y).double().mean(),
                        (ot.argmax(1) != yt).double().mean(), final=e == pts[-1])
            else:
                run.log(e, loss_of(o, y), loss_of(ot, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_adversarial_pgd():
    base = dict(data="synth", task="class", K=3, n=500, df=60, ds=10, s=0.15, F=4.0, S=9.0, label="argmax", noise=None,
                flip=0.2, model="relu", h=16, norm="linf", eps=0.03, steps=3, mix=None, rot=None, opt="hb", lr=0.05,
                batch=None, epochs=1200, eval="log:30")
    reg = dict(task="reg", K=None, F=1.0, S=3.0, label=None, noise=0.7, flip=None, lr=0.02)
    digits = dict(data="digits", K=None, n=500, df=None, ds=None, s=None, F=None, S=None, label=None, flip=0.2, h=32,
                  steps=1, epochs=600)
    return adversarial_pgd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(eps=0.0, eval="every:2"),
        dict(eps=0.01, eval="jitter:30"),
        dict(eps=0.08, eval="every:3"),
        dict(eps=0.2, eval="log:35"),
        dict(steps=1, eval="every:2"),
        dict(norm="l2", eps=0.5, eval="jitter:35"),
        dict(norm="l2", eps=1.5, eval="every:4"),
        dict(mix=0.5, eval="rand:300"),
        dict(flip=0.0, eval="log:30"),
        dict(flip=0.35, eval="every:3"),
        dict(S=2.0, eval="jitter:30"),
        dict(s=0.3, eval="every:5"),
        dict(h=4, eval="log:35"),
        dict(model="linear", h=None, eval="every:2"),
        dict(opt="sgd", lr=0.02, batch=50, epochs=600, eval="every"),
        dict(opt="adam", lr=0.003, rot=True, eval="every:4"),
        dict(reg, eval="log:30"),
        dict(digits, eval="every"),
        dict(digits, eps=0.0, eval="every:2"),
        dict(label="softmax", eval="jitter:35"),
    ], lambda d: "%s-%s%s-%s-eps%g%s%s" % (
        d["data"] if d["data"] == "digits" else "%s-n%d-df%d-s%g-S%g%s" % (
            d["task"], d["n"], d["df"], d["s"], d["S"], "-" + d["label"] if d.get("label") else ""),
        d["model"] + ("%d" % d["h"] if d.get("h") else ""), "-flip%g" % d["flip"] if d.get("flip") is not None else "",
        d["opt"] + ("-rot" if d.get("rot") else ""), d["eps"],
        "" if not d["eps"] else "-%s-%s" % (d["norm"], "fgsm" if d["steps"] == 1 else "pgd%d" % d["steps"]),
        "-mix%g" % d["mix"] if d.get("mix") else ""))


# ---------------------------------------------------------------------------------------------------- rbf-learned


def rbf_learned(w, run_id, c):
    """A radial basis function network with learned centres and widths (Moody & Darken 1989; Poggio & Girosi's hyper
    basis functions): f(x) = b + <v, x> + sum_j a_j exp(-|D (x - c_j)|^2 / (2 sigma_j^2)), M units, D = diag(exp(u))
    per-input scales (learned where c['ard'], else the identity), sigma_j = exp(l_j), the linear skip <v, x> only where
    c['skip']. Data ('synth'): train.py's two-scale Gaussian inputs, df fast ones of scale 1 and ds slow ones of scale
    s; the target sqrt(F) times a standardised fast part, a sum of 8 Gaussian bumps of the fast inputs (centres standard
    normal, width 1 times sqrt(df), heights standard normal), plus sqrt(S) times the slow inputs at unit scale along one
    random unit direction, plus Gaussian label noise of std c['noise']; n training points, 2,000 test points, noise
    included. 'diabetes': scikit-learn's 442 patients split at random into n for training and the rest, the ten inputs
    and the progression standardised on the training patients, the columns c['slow_cols'] (body mass index and s5, the
    two strongest predictors) then multiplied by s (s 1: none). Initialisation: the centres at M training inputs drawn
    at random ('data') or at M fresh draws from the input distribution ('random'; for diabetes, standard normals scaled
    like the columns); the widths at sigma0 times the width unit, the root of half the mean squared distance between
    training points (the first half of the units at sigma0 and the second at sigma1 where c['sigma1'] is given); u, the
    amplitudes a and v at zero, b at the training targets' mean. Loss: the mean squared error, autograd, float64, the
    gradient's norm clipped to 10. Optimizers: full-batch gradient descent ('gd') or heavy ball ('hb', momentum 0.9),
    the step c['lr'] over L, the largest eigenvalue of the initial features' Gram matrix [1, x, phi(x)] over n; the
    centres' step times c['rc'] and the widths' and scales' times c['rw'] (0: held fixed); or Adam at step c['lr'] with
    the same multipliers. Train loss: the mean squared error on the training targets; test loss the same on the test
    points. param_count the trained parameters. Grid (runs_rbf_learned; 21 settings, 1-2 seeds, 22 runs): the base n
    200, df 5, ds 5, s 0.1, F 2, S 2, noise 0.5, 60 units from the data at sigma0 0.5, centres and widths learned (rc 1,
    rw 1), the linear skip, no per-input scales, heavy ball at step 0.5 over L, 3,000 epochs (2 seeds); one setting at a
    time sigma0 0.25 (narrow bumps), 1 or 2 (wide ones), a mixture (half at 0.25, half at 2), widths fixed, centres
    fixed, both fixed (a linear model on fixed RBF features and the skip), 20 or 150 units, noise 1, S 0.5, s 0.05
    (6,000 epochs) or 0.3, no skip with learned per-input scales, no skip without them, Adam at step 0.01, gradient
    descent at 0.9 over L, centres from random draws; and diabetes (n 150, 50 units, noise none added) with body mass
    index and s5 scaled by 0.1 and unscaled."""
    import sklearn.datasets
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(72_000 + c["seed"])
    n = c["n"]
    s = c["s"]
    if c["data"] == "diabetes":
        xs, ys = sklearn.datasets.load_diabetes(return_X_y=True)
        X, Y = torch.tensor(xs, dtype=torch.float64), torch.tensor(ys, dtype=torch.float64)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:n], perm[n:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        col = torch.ones(X.shape[1])
        col[list(c["slow_cols"])] = s
        X = X * col
        x, y, xt, yt = X[tr], Y[tr], X[te], Y[te]
        d = X.shape[1]

        def fresh(m):
            return torch.randn(m, d, generator=g) * col
    else:
        df, ds = c["df"], c["ds"]
        d = df + ds
        R, wb = 8, 1.0 * math.sqrt(df)
        B = torch.randn(R, df, generator=g)
        hgt = torch.randn(R, generator=g)
        v = torch.randn(ds, generator=g)
        v = v / v.norm()

        def fast(z):
            return torch.exp(-torch.cdist(z, B) ** 2 / (2 * wb ** 2)) @ hgt
        ref = fast(torch.randn(20_000, df, generator=g))
        mu, sd = ref.mean().item(), ref.std().item()

        def fresh(m):
            return train.two_scale_inputs(g, m, df, ds, s)

        def draw(m):
            z = fresh(m)
            t = math.sqrt(c["F"]) * (fast(z[:, :df]) - mu) / sd + math.sqrt(c["S"]) * (z[:, df:] / s) @ v
            return z, t + c["noise"] * torch.randn(m, generator=g)

        x, y = draw(n)
        xt, yt = draw(2000)
    M = c["M"]
    C0 = x[torch.randperm(n, generator=g)[:M]].clone() if c["init"] == "data" else fresh(M)
    unit = math.sqrt((torch.cdist(x, x) ** 2).mean().item() / 2)
    sig = torch.full((M,), c["sigma0"] * unit)
    if c.get("sigma1"):
        sig[M // 2:] = c["sigma1"] * unit
    C = C0.requires_grad_()
    lw = torch.log(sig).requires_grad_()
    u = torch.zeros(d, requires_grad=True)
    a = torch.zeros(M, requires_grad=True)
    vv = torch.zeros(d, requires_grad=True)
    b = torch.full((1,), y.mean().item(), requires_grad=True)
    skip, ard = bool(c.get("skip")), bool(c.get("ard"))

    def phi(z):
        sc = torch.exp(u)
        zs, cs = z * sc, C * sc
        d2 = ((zs * zs).sum(1, keepdim=True) - 2 * zs @ cs.T + (cs * cs).sum(1)).clamp_min(0.0)
        return torch.exp(-d2 * torch.exp(-2 * lw) / 2)

    def predict(z):
        o = b + phi(z) @ a
        return o + z @ vv if skip else o

    with torch.no_grad():
        A = torch.cat([torch.ones(n, 1)] + ([x] if skip else []) + [phi(x)], 1)
        L = torch.linalg.eigvalsh(A.T @ A / n)[-1].item()
    lr = c["lr"] if c["opt"] == "adam" else c["lr"] / L
    groups = [{"params": [b, a] + ([vv] if skip else []), "lr": lr}]
    trained = [b, a] + ([vv] if skip else [])
    if c["rc"]:
        groups.append({"params": [C], "lr": lr * c["rc"]})
        trained.append(C)
    if c["rw"]:
        groups.append({"params": [lw] + ([u] if ard else []), "lr": lr * c["rw"]})
        trained += [lw] + ([u] if ard else [])
    elif ard:
        groups.append({"params": [u], "lr": lr})
        trained.append(u)
    if c["opt"] == "adam":
        opt = torch.optim.Adam(groups, lr=lr)
    else:
        opt = torch.optim.SGD(groups, lr=lr, momentum=0.9 if c["opt"] == "hb" else 0.0)
    run = w.run(run_id, sum(q.numel() for q in trained), n,
                {"family": "rbf-network", "units": M, "input_dim": d, "linear_skip": skip, "ard": ard},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "M", "init", "sigma0", "sigma1",
                             "rc", "rw", "skip", "ard", "opt", "lr", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "units_per_point": "%.3g" % (M / n),
                   "centres": "learned" if c["rc"] else "fixed", "widths": "learned" if c["rw"] else "fixed"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            opt.zero_grad()
            ((predict(x) - y) ** 2).mean().backward()
            torch.nn.utils.clip_grad_norm_(trained, 10.0)
            opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((predict(x) - y) ** 2).mean(), ((predict(xt) - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_rbf_learned():
    base = dict(data="synth", n=200, df=5, ds=5, s=0.1, F=2.0, S=2.0, noise=0.5, slow_cols=None, M=60, init="data",
                sigma0=0.5, sigma1=None, rc=1.0, rw=1.0, skip=True, ard=None, opt="hb", lr=0.5, epochs=3000,
                eval="log:30")
    dia = dict(data="diabetes", n=150, df=None, ds=None, F=None, S=None, noise=None, slow_cols=(2, 8), M=50)
    return rbf_learned, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sigma0=0.25, eval="every:2"),
        dict(sigma0=1.0, eval="jitter:30"),
        dict(sigma0=2.0, eval="every:3"),
        dict(sigma0=0.25, sigma1=2.0, eval="log:35"),
        dict(rw=0.0, eval="every:2"),
        dict(rc=0.0, eval="jitter:35"),
        dict(rc=0.0, rw=0.0, eval="every:4"),
        dict(M=20, eval="rand:300"),
        dict(M=150, eval="log:30"),
        dict(noise=1.0, eval="every:3"),
        dict(S=0.5, eval="jitter:30"),
        dict(s=0.05, epochs=6000, eval="log:35"),
        dict(s=0.3, eval="every:5"),
        dict(skip=None, ard=True, eval="log:30"),
        dict(skip=None, eval="every:4"),
        dict(opt="adam", lr=0.01, eval="every:2"),
        dict(opt="gd", lr=0.9, eval="jitter:30"),
        dict(init="random", eval="every:3"),
        dict(dia, eval="log:35"),
        dict(dia, s=1.0, eval="every:2"),
    ], lambda d: "%s-M%d-sigma%g%s-%s%s%s-%s" % (
        "diabetes-n%d-s%g" % (d["n"], d["s"]) if d["data"] == "diabetes"
        else "n%d-s%g-S%g-noise%g" % (d["n"], d["s"], d["S"], d["noise"]),
        d["M"], d["sigma0"], "-%g" % d["sigma1"] if d.get("sigma1") else "",
        ("c" if d["rc"] else "") + ("w" if d["rw"] else "") or "fixed",
        "-skip" if d.get("skip") else "", "-ard" if d.get("ard") else "",
        d["opt"] + ("-random" if d["init"] == "random" else "")))


# ---------------------------------------------------------------------------------------------------- lars-lamb


def lr_schedule(c, t, total):
    """The step's multiplier at optimizer step t of total: a linear warm-up over the first c['warm'] epochs' steps,
    then 'const' (1) or 'poly' (the polynomial decay (1 - t / total)^2 of You et al., from the end of the warm-up)."""
    warm = c.get("warm_steps") or 0
    if t < warm:
        return (t + 1) / warm
    if c["sched"] == "poly":
        return (1 - (t - warm) / max(total - warm, 1)) ** 2
    return 1.0


def lars_lamb(w, run_id, c):
    """Large-batch training of a ReLU network with two hidden layers of width h under layer-wise trust ratios. Data
    ('synth'): train.py's two-scale Gaussian inputs, df fast ones of scale 1 and ds slow ones of scale s, turned by one
    random rotation where c['rot'] (so that the per-coordinate steps of LAMB and Adam cannot undo the scales); the
    target a linear fast part of power F plus a linear slow part of power S (slow inputs at unit scale) plus Gaussian
    label noise of std c['noise']; n training points, 2,000 test points, noise included. 'digits': train.py's 8x8
    digits, n for training with a share c['flip'] of labels replaced by another class, the rest (clean) for testing.
    Model: Linear(d, h) - ReLU - Linear(h, h) - ReLU - Linear(h, out), PyTorch's default initialisation under
    torch.manual_seed, float64. Loss: the mean squared error (synth) or the cross-entropy (digits). Minibatches of
    c['batch'] drawn without replacement every epoch; optimizers written out, applied to each weight matrix as a layer
    (the biases take the plain step, no trust ratio and no decay): 'lars' (You et al. 2017): u = (g + wd w) times the
    trust ratio |w| / (|g| + wd |w|), a momentum buffer m = 0.9 m + u, w -= lr_t m; 'lamb' (You et al. 2019): Adam's
    bias-corrected moments (0.9, 0.999, eps 1e-6), r = m / (sqrt(v) + eps) + wd w, w -= lr_t |w| / |r| r; the controls
    'sgd' (momentum 0.9, decay wd added to the gradient) and 'adam' (decoupled decay, AdamW). lr_t = c['lr'] times a
    linear warm-up over c['warm'] epochs, then constant ('const') or the polynomial decay (1 - t / T)^2 to zero at the
    last step ('poly'). Train loss: the loss on the (noisy) training set; test loss the same on the test points; error
    rates in the digits events. Grid (runs_lars_lamb; 21 settings, 1-2 seeds, 22 runs): the base n 400, df 40, ds 10, s
    0.1, F 1, S 2, noise 0.7, rotated, h 16, LAMB at step 0.005 on batches of 200, a warm-up of 20 epochs then constant,
    no decay, 2,000 epochs (2 seeds); one setting at a time LARS at step 0.002 (constant, or the polynomial decay, or on
    full batches), LAMB under the polynomial decay, without warm-up, on full batches or batches of 50 (1,000 epochs),
    with decay 0.01 or at step 0.02; momentum SGD at step 0.01 and Adam at 0.002 on batches of 200; h 6 (355 parameters
    for 400 points) or 48 (4,849), noise 1.2, S 0.5, s 0.3, inputs not rotated; and the digits (n 600, 20% flipped, h
    32, batches of 300, 600 epochs) under LAMB, LARS and momentum SGD."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(73_000 + c["seed"])
    cls = c["data"] == "digits"
    if cls:
        x, y, xt, yt = train.digits(c["seed"], c["n"], c["flip"])
        x, xt = x.double(), xt.double()
        d, out = 64, 10
    else:
        n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
        d, out = df + ds, 1
        theta = torch.cat([torch.randn(df, generator=g) * math.sqrt(c["F"] / df),
                           torch.randn(ds, generator=g) * math.sqrt(c["S"] / ds) / s])
        Q = rotation(g, d) if c.get("rot") else None

        def draw(m):
            z = train.two_scale_inputs(g, m, df, ds, s)
            t = z @ theta + c["noise"] * torch.randn(m, generator=g)
            return (z @ Q if Q is not None else z), t

        x, y = draw(n)
        xt, yt = draw(2000)
    n = len(x)
    h = c["h"]
    torch.manual_seed(73_000 + c["seed"])
    net = torch.nn.Sequential(torch.nn.Linear(d, h), torch.nn.ReLU(), torch.nn.Linear(h, h), torch.nn.ReLU(),
                              torch.nn.Linear(h, out)).double()
    params = list(net.parameters())

    def loss_of(o, t):
        return cross_entropy(o, t) if cls else ((o.squeeze(1) - t) ** 2).mean()

    bsz = c["batch"]
    steps_per_epoch = (n + bsz - 1) // bsz
    total = steps_per_epoch * c["epochs"]
    c = dict(c, warm_steps=(c.get("warm") or 0) * steps_per_epoch)
    state = [{"m": torch.zeros_like(p), "v": torch.zeros_like(p)} for p in params]
    wd = c.get("wd") or 0.0
    kind = c["opt"]
    t = 0

    def step():
        lr_t = c["lr"] * lr_schedule(c, t, total)
        with torch.no_grad():
            for p, st in zip(params, state):
                gr = p.grad
                layer = p.dim() > 1
                if kind in ("lars", "sgd"):
                    upd = gr + wd * p if layer else gr
                    if kind == "lars" and layer:
                        pn, gn = p.norm().item(), gr.norm().item()
                        den = gn + wd * pn
                        upd = upd * (pn / den if pn > 0 and den > 0 else 1.0)
                    st["m"].mul_(0.9).add_(upd)
                    p -= lr_t * st["m"]
                else:
                    st["m"].mul_(0.9).add_(gr, alpha=0.1)
                    st["v"].mul_(0.999).addcmul_(gr, gr, value=0.001)
                    r = (st["m"] / (1 - 0.9 ** (t + 1))) / ((st["v"] / (1 - 0.999 ** (t + 1))).sqrt() + 1e-6)
                    if layer:
                        r = r + wd * p
                        if kind == "lamb":
                            pn, rn = p.norm().item(), r.norm().item()
                            r = r * (pn / rn if pn > 0 and rn > 0 else 1.0)
                    p -= lr_t * r

    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "mlp-2-hidden", "width": h, "input_dim": d, "depth": 2},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "flip", "rot", "h", "opt", "lr",
                             "batch", "warm", "sched", "wd", "eval"))
                | {"optimizer": kind, "loss": "cross-entropy" if cls else "mse",
                   "trust_ratio": "layer-wise" if kind in ("lars", "lamb") else "none",
                   "batch_share": "%.3g" % (bsz / n)}, output_dim=out)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p_ in pts:
        while e < p_:
            idx = torch.randperm(n, generator=g)
            for j in range(0, n, bsz):
                i = idx[j:j + bsz]
                net.zero_grad()
                loss_of(net(x[i]), y[i]).backward()
                step()
                t += 1
            e += 1
        with torch.no_grad():
            o, ot = net(x), net(xt)
            if cls:
                run.log(e, loss_of(o, y), loss_of(ot, yt), (o.argmax(1) != y).double().mean(),
                        (ot.argmax(1) != yt).double().mean(), final=e == pts[-1])
            else:
                run.log(e, loss_of(o, y), loss_of(ot, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_lars_lamb():
    base = dict(data="synth", n=400, df=40, ds=10, s=0.1, F=1.0, S=2.0, noise=0.7, flip=None, rot=True, h=16,
                opt="lamb", lr=0.005, batch=200, warm=20, sched="const", wd=None, epochs=2000, eval="log:30")
    lars = dict(opt="lars", lr=0.002)
    digits = dict(data="digits", n=600, df=None, ds=None, s=None, F=None, S=None, noise=None, flip=0.2, rot=None, h=32,
                  batch=300, epochs=600)
    return lars_lamb, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lars, eval="every:2"),
        dict(lars, sched="poly", eval="jitter:30"),
        dict(lars, batch=400, eval="every:3"),
        dict(sched="poly", eval="log:35"),
        dict(warm=None, eval="every:2"),
        dict(batch=400, eval="jitter:35"),
        dict(batch=50, epochs=1000, eval="every"),
        dict(wd=0.01, eval="every:4"),
        dict(lr=0.02, eval="rand:300"),
        dict(opt="sgd", lr=0.01, eval="log:30"),
        dict(opt="adam", lr=0.002, eval="every:3"),
        dict(h=6, eval="jitter:30"),
        dict(h=48, eval="every:5"),
        dict(noise=1.2, eval="log:35"),
        dict(S=0.5, eval="every:2"),
        dict(s=0.3, eval="jitter:30"),
        dict(rot=None, eval="every:4"),
        dict(digits, eval="every"),
        dict(digits, **lars, eval="every:2"),
        dict(digits, opt="sgd", lr=0.01, eval="log:30"),
    ], lambda d: "%s-h%d-%s-lr%g-b%d-%s%s%s" % (
        "digits-n%d-flip%g" % (d["n"], d["flip"]) if d["data"] == "digits"
        else "n%d-s%g-S%g-noise%g%s" % (d["n"], d["s"], d["S"], d["noise"], "-rot" if d.get("rot") else ""),
        d["h"], d["opt"], d["lr"], d["batch"], ("warm%d-" % d["warm"]) if d.get("warm") else "", d["sched"],
        "-wd%g" % d["wd"] if d.get("wd") else ""))


FAMILIES = {"adversarial-pgd": runs_adversarial_pgd, "rbf-learned": runs_rbf_learned, "lars-lamb": runs_lars_lamb}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
