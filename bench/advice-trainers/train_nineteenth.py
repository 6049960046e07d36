#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, nineteenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, bench/src/main/java or bench/src/test,
neither docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
before any of its runs was looked at, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the fifty-nine families of train.py ... train_seventeenth.py (written beside
the eighteenth round, without reading it) in model, loss, optimizer, noise and data: a factorisation machine (a linear
part plus pairwise interactions through low-rank factors from a small start) whose fast inputs fit the noise and whose
slowly learned interactions of small-scale inputs carry signal, under gradient descent, heavy ball, Nesterov momentum,
AMSGrad and Adamax; linear regression, logistic and softmax regression on scikit-learn's diabetes (its unscaled
version), breast cancer and wine at the inputs' natural units, where the learning order follows the units rather than
the signal, under gradient descent, Nesterov momentum, AMSGrad and Adamax; and a softmax classifier trained on the focal
loss under symmetric and pair-flipped labels. The file format, determinism and helpers are the earlier files': Writer,
the command line and two-scale inputs from train.py, epochs_of and settings from train_more.py, label_noise from
train_fourth.py, rotation from train_sixth.py and dict_runs from train_seventh.py; one thread, every random draw from
a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_nineteenth.py --family fm-interact [--list] [--runs 0,3] [--out FILE]

Families (see README.md): fm-interact, raw-units, focal-flip. Evaluation spacings: train.py's 'every', 'every:K',
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
from train_fourth import label_noise  # noqa: E402
from train_sixth import rotation  # noqa: E402
from train_seventh import dict_runs  # noqa: E402

torch.set_num_threads(1)


def make_optimizer(c, params, lr):
    """'gd' (plain steps), 'hb' (heavy ball), 'sgd' (minibatches, momentum c['mom']), 'nesterov' (Nesterov momentum
    c['mom']), 'amsgrad' (Adam with the AMSGrad maximum of the second moments) or 'adamax' (Adam's infinity-norm
    variant), all torch.optim."""
    if c["opt"] == "amsgrad":
        return torch.optim.Adam(params, lr=lr, amsgrad=True)
    if c["opt"] == "adamax":
        return torch.optim.Adamax(params, lr=lr)
    return torch.optim.SGD(params, lr=lr, momentum=c.get("mom") or 0.0, nesterov=c["opt"] == "nesterov")


# ---------------------------------------------------------------------------------------------------- fm-interact


def fm_interact(w, run_id, c):
    """A factorisation machine (Rendle 2010), f(x) = w0 + <w, x> + sum_{i<j} <v_i, v_j> x_i x_j with v_i the rows of a
    d x k factor V, computed as w0 + <w, x> + (|V^T x|^2 - sum_i |v_i|^2 x_i^2) / 2. Data: train.py's two-scale Gaussian
    inputs, df fast ones of scale 1 and ds slow ones of scale s; the target a linear part of power F in the fast inputs
    plus an interaction part of power S among the slow inputs at unit scale, sum_{i<j} A_ij z_i z_j with z the slow
    inputs over s and A the strict upper triangle of a random positive semi-definite matrix of rank r (eigenvalues 1,
    1/2, ...; so the machine can represent it exactly with k >= r), scaled so that sum_{i<j} A_ij^2 = S, plus label
    noise of std c['noise'] (Gaussian, or Student-t with c['dof'] degrees of freedom); n training points and 2,000 test
    points, noise included. w from zero, w0 at the training targets' mean, V from c['init'] times standard normals: the
    interactions start at a saddle and grow at a rate set by the residual's correlation with x_i x_j, fast for the noise
    among the fast inputs, s^2 times slower for the slow inputs' signal. Loss: mean squared error, autograd, float64,
    the gradient's norm clipped to c['clip']; full-batch gradient descent (step c['lr']), heavy ball or Nesterov
    momentum (0.9), minibatches under momentum, AMSGrad or Adamax. param_count d + 1 + d k. Grid (runs_fm_interact; 20
    settings, 1-2 seeds, 21 runs): the base n 400, df 40, ds 10, s 0.15, F 2, S 4, r 1, Gaussian noise 1, k 2, init
    0.001, gradient descent at step 0.1 (clipped to norm 10), 3,000 epochs; one setting at a time S 1 or 9, s 0.3 or
    0.08 (6,000 epochs), k 1 or 8, init 0.1 or 1e-5, df 100 or 20, n 200, noise 2, Student-t noise (3 degrees of
    freedom), a teacher of rank 2, heavy ball and Nesterov momentum at step 0.01, AMSGrad at 0.003, Adamax at 0.01, and
    minibatches of 50 under momentum 0.9 at step 0.01 (1,500 epochs). Revised once (README): the first grid's base had
    df 100 (331 parameters for 400 points), its df rows 300 and 40, the rows otherwise the same; there the fast
    interactions fitted the whole training residual, the slow part's signal with it, within 50 epochs, and the slow
    interactions had nothing left to learn from (2 winning runs, 19 nothing better)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(61_000 + c["seed"])
    n, df, ds, s, k, r = c["n"], c["df"], c["ds"], c["s"], c["k"], c["r"]
    d = df + ds
    beta = torch.randn(df, generator=g) * math.sqrt(c["F"] / df)
    U, _ = torch.linalg.qr(torch.randn(ds, r, generator=g))
    B = U @ torch.diag(torch.tensor([0.5 ** j for j in range(r)])) @ U.T
    A = torch.triu(B, 1)
    A = A * math.sqrt(c["S"] / (A ** 2).sum().item())

    def draw(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        z = x[:, df:] / s
        y = x[:, :df] @ beta + ((z @ A) * z).sum(1)
        return x, y + c["noise"] * label_noise(g, m, c.get("dof") or 0)

    x, y = draw(n)
    xt, yt = draw(2000)
    lin = torch.zeros(d, requires_grad=True)
    w0 = torch.full((1,), y.mean().item(), requires_grad=True)
    V = (torch.randn(d, k, generator=g) * c["init"]).requires_grad_()
    params = [w0, lin, V]

    def predict(z):
        return w0 + z @ lin + 0.5 * (((z @ V) ** 2).sum(1) - (z * z) @ (V * V).sum(1))

    opt = make_optimizer(c, params, c["lr"])
    run = w.run(run_id, d + 1 + d * k, n,
                {"family": "factorisation-machine", "rank": k, "input_dim": d, "fast_inputs": df, "slow_inputs": ds},
                settings(c, ("seed", "n", "df", "ds", "s", "F", "S", "r", "noise", "dof", "k", "init", "opt", "lr",
                             "mom", "batch", "clip", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "params_per_point": "%.3g" % ((d + 1 + d * k) / n)})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    e = 0
    for p in pts:
        while e < p:
            idx = torch.randperm(n, generator=g) if bsz < n else None
            for j in range(0, n, bsz):
                xb, yb = (x, y) if idx is None else (x[idx[j:j + bsz]], y[idx[j:j + bsz]])
                opt.zero_grad()
                ((predict(xb) - yb) ** 2).mean().backward()
                if c.get("clip"):
                    torch.nn.utils.clip_grad_norm_(params, c["clip"])
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((predict(x) - y) ** 2).mean(), ((predict(xt) - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_fm_interact():
    base = dict(n=400, df=40, ds=10, s=0.15, F=2.0, S=4.0, r=1, noise=1.0, dof=None, k=2, init=1e-3, opt="gd",
                lr=0.1, mom=None, batch=None, clip=10.0, epochs=3000, eval="log:30")
    return fm_interact, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(S=1.0, eval="every:3"),
        dict(S=9.0, eval="jitter:30"),
        dict(s=0.3, eval="every:2"),
        dict(s=0.08, epochs=6000, eval="log:35"),
        dict(k=1, eval="every:4"),
        dict(k=8, eval="rand:300"),
        dict(init=0.1, eval="every:5"),
        dict(init=1e-5, eval="jitter:35"),
        dict(df=100, eval="every:3"),
        dict(df=20, eval="log:40"),
        dict(n=200, eval="every:2"),
        dict(noise=2.0, eval="jitter:30"),
        dict(dof=3, eval="every:4"),
        dict(r=2, eval="log:30"),
        dict(opt="hb", lr=0.01, mom=0.9, eval="every:2"),
        dict(opt="nesterov", lr=0.01, mom=0.9, eval="every"),
        dict(opt="amsgrad", lr=0.003, eval="every:5"),
        dict(opt="adamax", lr=0.01, eval="log:35"),
        dict(opt="sgd", lr=0.01, mom=0.9, batch=50, epochs=1500, eval="every:3"),
    ], lambda d: "%s-k%d-n%d-df%d-s%g-S%g-r%d-noise%g%s-init%g" % (
        d["opt"], d["k"], d["n"], d["df"], d["s"], d["S"], d["r"], d["noise"],
        "-t%d" % d["dof"] if d.get("dof") else "", d["init"]))


# ---------------------------------------------------------------------------------------------------- raw-units


def raw_units(w, run_id, c):
    """A linear model on scikit-learn's data at the inputs' natural units. Data: the diabetes data in its unscaled
    version (load_diabetes(scaled=False): age in years, sex coded 1/2, body mass index, blood pressure, six serum
    measurements in their own units; input standard deviations 0.5 to 34.6), the progression as target, standardised
    on the training patients (in 1 run, Student-t noise with c['dof'] degrees of freedom and std c['extra'] added to the
    training targets); breast cancer (30 inputs, standard deviations from 0.0026 to 569; malignant against benign) or
    wine (13 inputs, 0.12 to 314; 3 classes), a share c['flip'] of the training labels replaced by another class at
    random. n training points drawn at random, the rest the test set (clean labels). Features (c['feat']): the inputs
    centred on the training points ('linear'), or those and the 45 products of two different centred inputs, centred
    again ('quad', a quadratic regression; diabetes only; a product's natural unit the product of its inputs' units,
    standard deviations from 0.26 to about 1,600). Column j then scaled by (sd_j / sd_max)^gamma / sd_j (sd on the
    training points): gamma 1 keeps the natural units (all columns over the one largest standard deviation), 0
    standardises, 0.5 and 0.25 compress the spread on a log scale, the order of the columns' scales kept. Model: weights
    from zero and a bias (at the training targets' mean, or the log of the training class shares), trained on half the
    mean squared error (diabetes) or the softmax cross-entropy (breast cancer as 2 classes, wine), its gradient written
    out, float64. Optimizers: 'gd', full-batch steps of c['lr'] over the loss's curvature bound (largest eigenvalue L
    of the features' Gram matrix with the constant, over n; L / 2 for the cross-entropy); 'nesterov', the same step
    times c['lr'] / L (momentum 0.9); 'amsgrad' and 'adamax' at step c['lr']. Train loss: the mean squared error or
    cross-entropy on the (noisy) training targets; test loss the same on the test points; error rates for the
    classification sets. param_count the weights and biases. Grid (runs_raw_units; 17 settings, 1-3 seeds, 21 runs): the
    diabetes base quadratic, n 80, gamma 0.25, gradient descent at 0.9 over L, 20,000 epochs (3 seeds); one setting at a
    time n 60 (2 seeds), 120 or 200, gamma 0.5 (50,000 epochs) or 0 (3,000), Nesterov at 0.1 over L, AMSGrad and Adamax
    at step 0.01, Student-t noise (3 degrees of freedom, std 0.5) added to the training targets; the linear diabetes
    model at n 30, gamma 1 (50,000 epochs); breast cancer n 80 with 15% flipped labels at gamma 0.5 (30,000 epochs), 1
    (50,000) and 0 (3,000); wine n 60 with 20% flipped at gamma 0.5 (20,000 epochs; 2 seeds), 1 (50,000) and 0 (3,000).
    Revised once (README): the first grid's diabetes rows were the linear model alone (base n 30, gamma 1, 50,000
    epochs, 3 seeds; n 20 with 2 seeds, 50 and 100; gamma 0.5 over 10,000 epochs and 0 over 2,000; Nesterov, AMSGrad,
    Adamax and the added noise at n 30, gamma 1) and it had a fourth breast-cancer row (n 150, 10% flipped, gamma 0.5);
    there the ten inputs gave too few directions to fit the noise before the small-unit inputs (the log triglycerides,
    sex, body mass index) were learned, and at gamma 1 those were still being learned at epoch 50,000 (0 winning runs,
    10 nothing better, 11 no bump)."""
    import sklearn.datasets
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(62_000 + c["seed"])
    if c["data"] == "diabetes":
        xs, ys = sklearn.datasets.load_diabetes(return_X_y=True, scaled=False)
    else:
        xs, ys = getattr(sklearn.datasets, "load_" + c["data"])(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=torch.float64), torch.tensor(ys)
    n = c["n"]
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:n], perm[n:]
    X = X - X[tr].mean(0)
    if c["feat"] == "quad":
        i, j = torch.triu_indices(X.shape[1], X.shape[1], 1)
        P = X[:, i] * X[:, j]
        X = torch.cat([X, P - P[tr].mean(0)], 1)
    sd = X[tr].std(0)
    Z = X * ((sd / sd.max()) ** c["gamma"] / sd)
    z, zt = Z[tr], Z[te]
    D = Z.shape[1]
    if c["data"] == "diabetes":
        Y = Y.double()
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        y, yt = Y[tr].clone(), Y[te]
        if c.get("extra"):
            y = y + c["extra"] * label_noise(g, n, c.get("dof") or 0)
        K = 1
        T, Tt = y.unsqueeze(1), yt.unsqueeze(1)
        bias0 = torch.full((1,), y.mean().item())
    else:
        K = int(Y.max()) + 1
        y, yt = Y[tr].clone(), Y[te]
        flip = torch.rand(n, generator=g) < c["flip"]
        y = torch.where(flip, (y + torch.randint(1, K, (n,), generator=g)) % K, y)
        T = torch.nn.functional.one_hot(y, K).double()
        Tt = torch.nn.functional.one_hot(yt, K).double()
        bias0 = torch.log(T.mean(0).clamp_min(1.0 / n))
    W = torch.zeros(D, K)
    b = bias0.clone()
    z1 = torch.cat([z, torch.ones(n, 1)], 1)
    L = torch.linalg.eigvalsh(z1.T @ z1 / n)[-1].item() / (1 if K == 1 else 2)
    mse = K == 1

    def out(m):
        return m @ W + b

    def loss(o, t):
        if mse:
            return ((o - t) ** 2).mean()
        return -(torch.log_softmax(o, 1) * t).sum(1).mean()

    def grads():
        o = out(z)
        resid = (o - T) if mse else (torch.softmax(o, 1) - T)
        return z.T @ resid / n, resid.mean(0)

    opt = None
    if c["opt"] != "gd":
        W.requires_grad_()
        b.requires_grad_()
        lr = c["lr"] / L if c["opt"] == "nesterov" else c["lr"]
        opt = make_optimizer(dict(c, mom=0.9) if c["opt"] == "nesterov" else c, [W, b], lr)
    step = c["lr"] / L
    run = w.run(run_id, (D + 1) * K, n,
                {"family": "linear-natural-units", "data": c["data"], "inputs": D, "classes": K if K > 1 else 0},
                settings(c, ("seed", "data", "feat", "n", "gamma", "flip", "extra", "dof", "opt", "lr", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if mse else "cross-entropy",
                   "scale_span": "%.3g" % ((sd.max() / sd.min()).item() ** c["gamma"])}, output_dim=K)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            with torch.no_grad():
                gW, gb = grads()
                if opt is None:
                    W -= step * gW
                    b -= step * gb
                else:
                    W.grad, b.grad = gW, gb
            if opt is not None:
                opt.step()
            e += 1
        with torch.no_grad():
            o, ot = out(z), out(zt)
            if mse:
                run.log(e, loss(o, T), loss(ot, Tt), final=e == pts[-1])
            else:
                run.log(e, loss(o, T), loss(ot, Tt), (o.argmax(1) != y).double().mean(),
                        (ot.argmax(1) != yt).double().mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_raw_units():
    base = dict(data="diabetes", feat="quad", n=80, gamma=0.25, flip=None, extra=None, dof=None, opt="gd", lr=0.9,
                epochs=20000, eval="log:30")
    lin = dict(feat="linear", n=30, gamma=1.0, epochs=50000)
    bc = dict(lin, data="breast_cancer", n=80, flip=0.15, gamma=0.5, epochs=30000)
    wine = dict(lin, data="wine", n=60, flip=0.2, gamma=0.5, epochs=20000)
    return raw_units, dict_runs(base, [
        dict(seeds=(1, 2, 3)),
        dict(n=60, seeds=(1, 2), eval="log:35"),
        dict(n=120, eval="jitter:30"),
        dict(n=200, eval="log:35"),
        dict(gamma=0.5, epochs=50000, eval="every:25"),
        dict(gamma=0.0, epochs=3000, eval="every"),
        dict(opt="nesterov", lr=0.1, eval="log:35"),
        dict(opt="amsgrad", lr=0.01, eval="jitter:30"),
        dict(opt="adamax", lr=0.01, eval="every:10"),
        dict(extra=0.5, dof=3, eval="rand:300"),
        dict(lin, eval="log:30"),
        dict(bc, eval="log:30"),
        dict(bc, gamma=1.0, epochs=50000, eval="every:25"),
        dict(bc, gamma=0.0, epochs=3000, eval="every:2"),
        dict(wine, seeds=(1, 2), eval="log:30"),
        dict(wine, gamma=1.0, epochs=50000, eval="every:25"),
        dict(wine, gamma=0.0, epochs=3000, eval="every:3"),
    ], lambda d: "%s-%s-n%d-gamma%g%s-%s%s" % (
        d["data"].replace("_", "-"), d["feat"], d["n"], d["gamma"], "-flip%g" % d["flip"] if d.get("flip") else "",
        d["opt"], "-extra%g-t%d" % (d["extra"], d["dof"]) if d.get("extra") else ""))


# ---------------------------------------------------------------------------------------------------- focal-flip


def focal_loss(logits, t, gam):
    """The focal loss (Lin et al. 2017), mean over points of -(1 - p_t)^gam log p_t (gam 0: the cross-entropy); 1 - p_t
    as -expm1(log p_t), clamped at 1e-30 so that its power's gradient stays finite."""
    logp = torch.log_softmax(logits, 1).gather(1, t.unsqueeze(1)).squeeze(1)
    if gam == 0:
        return -logp.mean()
    return (-(-torch.expm1(logp)).clamp_min(1e-30) ** gam * logp).mean()


def focal_flip(w, run_id, c):
    """A softmax classifier on the focal loss under flipped labels. Data: train.py's two-scale Gaussian inputs, df fast
    ones of scale 1 and ds slow ones of scale s (turned by a random rotation where c['rot'], so that the per-coordinate
    steps of AMSGrad and Adamax cannot undo the scales); K classes drawn from the softmax of a teacher's logits, a fast
    part (a Gaussian readout of the fast inputs, power F per class) plus a slow part (of the slow inputs at unit scale,
    power S per class); then a share c['flip'] of the n training labels changed: to another class at random
    (symmetric), or to the next class, k to k + 1 mod K (pair flips, asymmetric, where c['pair']). 2,000 test points
    with labels drawn from the teacher, unflipped. Model: linear logits (weights from zero, biases zero) or one tanh
    hidden layer of width h (the first layer from 1/sqrt(d) times standard normals, the readout from 0.1 / sqrt(h)
    times them). Loss: the focal loss with focusing parameter gam (0: the cross-entropy), autograd, float64; full-batch
    gradient descent or heavy ball / Nesterov momentum (0.9) or minibatches under momentum 0.9, the linear model's step
    c['lr'] over the largest eigenvalue of the inputs' Gram matrix (with the constant) over n, the network's c['lr']
    itself; AMSGrad and Adamax at step c['lr']. Train loss: the focal loss on the flipped training labels; test loss:
    the same focal loss on the test labels; error rates in the events. Grid (runs_focal_flip; 20 settings, 1-2 seeds, 21
    runs): the base K 3, n 600, df 150, ds 15, s 0.1, F 4, S 16, 15% symmetric flips, gam 2, linear, gradient descent at
    1 over the eigenvalue, 5,000 epochs; one setting at a time gam 0 (the cross-entropy), 0.5 or 5, pair flips of 20%
    (with gam 2 and with gam 0) or 35%, no flips, S 4, df 250, s 0.05 (15,000 epochs) or 0.3, 5 classes on 1,000 points,
    2 classes, n 300, Nesterov at 0.1 over the eigenvalue, AMSGrad at 0.01 and Adamax at 0.02 on rotated inputs,
    minibatches of 50 at 0.05 over the eigenvalue (1,000 epochs), and the tanh network of width 16 under heavy ball at
    step 0.05 (3,000 epochs)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(63_000 + c["seed"])
    K, n, df, ds, s = c["K"], c["n"], c["df"], c["ds"], c["s"]
    d = df + ds
    Bf = torch.randn(df, K, generator=g) * math.sqrt(c["F"] / df)
    Bs = torch.randn(ds, K, generator=g) * math.sqrt(c["S"] / ds)
    Q = rotation(g, d) if c.get("rot") else None

    def draw(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        logits = x[:, :df] @ Bf + (x[:, df:] / s) @ Bs
        lab = torch.multinomial(torch.softmax(logits, 1), 1, generator=g).squeeze(1)
        return (x @ Q if Q is not None else x), lab

    x, y = draw(n)
    xt, yt = draw(2000)
    flip = torch.rand(n, generator=g) < c["flip"]
    other = (y + 1) % K if c.get("pair") else (y + torch.randint(1, K, (n,), generator=g)) % K
    y = torch.where(flip, other, y)
    if c["model"] == "linear":
        params = [torch.zeros(d, K, requires_grad=True), torch.zeros(K, requires_grad=True)]

        def logits_of(z):
            return z @ params[0] + params[1]
        x1 = torch.cat([x, torch.ones(n, 1)], 1)
        lr = c["lr"] / torch.linalg.eigvalsh(x1.T @ x1 / n)[-1].item() if c["opt"] not in ("amsgrad", "adamax") \
            else c["lr"]
    else:
        h = c["h"]
        params = [(torch.randn(d, h, generator=g) / math.sqrt(d)).requires_grad_(), torch.zeros(h, requires_grad=True),
                  (torch.randn(h, K, generator=g) * 0.1 / math.sqrt(h)).requires_grad_(),
                  torch.zeros(K, requires_grad=True)]

        def logits_of(z):
            return torch.tanh(z @ params[0] + params[1]) @ params[2] + params[3]
        lr = c["lr"]
    opt = make_optimizer(c, params, lr)
    gam = c["gam"]
    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "softmax-" + c["model"], "classes": K, "input_dim": d, "width": c.get("h") or 0},
                settings(c, ("seed", "K", "n", "df", "ds", "s", "F", "S", "flip", "pair", "gam", "model", "h", "rot",
                             "opt", "lr", "mom", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "focal" if gam else "cross-entropy",
                   "label_noise": "pair-flip" if c.get("pair") else "symmetric"}, output_dim=K)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    e = 0
    for p in pts:
        while e < p:
            idx = torch.randperm(n, generator=g) if bsz < n else None
            for j in range(0, n, bsz):
                xb, yb = (x, y) if idx is None else (x[idx[j:j + bsz]], y[idx[j:j + bsz]])
                opt.zero_grad()
                focal_loss(logits_of(xb), yb, gam).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            o, ot = logits_of(x), logits_of(xt)
            run.log(e, focal_loss(o, y, gam), focal_loss(ot, yt, gam), (o.argmax(1) != y).double().mean(),
                    (ot.argmax(1) != yt).double().mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_focal_flip():
    base = dict(K=3, n=600, df=150, ds=15, s=0.1, F=4.0, S=16.0, flip=0.15, pair=None, gam=2.0, model="linear",
                h=None, rot=None, opt="gd", lr=1.0, mom=None, batch=None, epochs=5000, eval="log:30")
    return focal_flip, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(gam=0.0, eval="every:4"),
        dict(gam=0.5, eval="jitter:30"),
        dict(gam=5.0, eval="every:3"),
        dict(pair=True, flip=0.2, eval="log:35"),
        dict(pair=True, flip=0.2, gam=0.0, eval="every:5"),
        dict(pair=True, flip=0.35, eval="jitter:35"),
        dict(flip=0.0, eval="rand:300"),
        dict(S=4.0, eval="every:2"),
        dict(df=250, eval="jitter:30"),
        dict(s=0.05, epochs=15000, eval="log:35"),
        dict(s=0.3, eval="every:4"),
        dict(K=5, n=1000, eval="log:30"),
        dict(K=2, eval="every:3"),
        dict(n=300, eval="jitter:30"),
        dict(opt="nesterov", lr=0.1, mom=0.9, eval="every:2"),
        dict(opt="amsgrad", lr=0.01, rot=True, eval="every:5"),
        dict(opt="adamax", lr=0.02, rot=True, eval="log:40"),
        dict(opt="sgd", lr=0.05, mom=0.9, batch=50, epochs=1000, eval="every"),
        dict(model="tanh", h=16, opt="hb", lr=0.05, mom=0.9, epochs=3000, eval="every:3"),
    ], lambda d: "%s-%s%s-K%d-n%d-df%d-s%g-S%g-%s%g-gam%g" % (
        d["model"] + ("%d" % d["h"] if d.get("h") else ""), d["opt"], "-rot" if d.get("rot") else "", d["K"], d["n"],
        d["df"], d["s"], d["S"], "pair" if d.get("pair") else "flip", d["flip"], d["gam"]))


FAMILIES = {"fm-interact": runs_fm_interact, "raw-units": runs_raw_units, "focal-flip": runs_focal_flip}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
