#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventeenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, bench/src/main/java or bench/src/test,
neither docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
before any of its runs was looked at, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the fifty-three families of train.py ... train_fifteenth.py in model, loss,
optimizer, noise and evaluation: a Nadaraya-Watson soft-attention regressor, a softmax over a learned query projection's
distances (or dot products) to learned keys averaging learned values, on a two-scale synthetic teacher and on
scikit-learn's diabetes data; a multiclass linear or one-hidden-layer classifier trained on the Crammer-Singer
multiclass hinge loss by minibatch SGD, Adagrad or a decaying step, on scikit-learn's digits, wine and iris with flipped
labels, evaluated every so many optimizer STEPS (the events' epoch is the step count); and a tanh network with a log
link fitted to compound Poisson-gamma (Tweedie) targets on the Tweedie deviance, by a Kronecker-factored natural
gradient (K-FAC with Gauss-Newton factors, factor damping and KL clipping) or by heavy ball, gradient descent and Adam.
The file format, determinism and helpers are the earlier files': Writer, the command line and two-scale inputs from
train.py, epochs_of, settings and lr_factor from train_more.py, label_noise from train_fourth.py, rotation from
train_sixth.py and dict_runs from train_seventh.py; one thread, every random draw from a seeded torch.Generator,
synthetic event times, 6 significant digits.

    /usr/bin/python3 train_seventeenth.py --family nw-attention [--list] [--runs 0,3] [--out FILE]

Families (see README.md): nw-attention, crammer-singer, tweedie-kfac. Evaluation spacings: train.py's 'every',
'every:K', 'log:K' and train_more.py's 'jitter:K', 'rand:M' (in crammer-singer over optimizer steps).
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


def standardise_on(x, tr):
    """x standardised column by column on the rows tr (columns constant there set to zero)."""
    mu, sd = x[tr].mean(0), x[tr].std(0)
    keep = sd > 1e-12
    return torch.where(keep, (x - mu) / torch.where(keep, sd, torch.ones_like(sd)), torch.zeros_like(x)), keep


# ---------------------------------------------------------------------------------------------------- nw-attention


def nw_data(g, c):
    """The regression data of nw-attention as (x, y, xt, yt). 'synth': train.py's two-scale Gaussian inputs (df of scale
    1, ds of scale s) turned by one random rotation; the target sqrt(F) times a standardised 4-unit tanh network of the
    fast features plus sqrt(S) times a standardised tanh(2 z) (or z, c['slow'] 'linear'), z the slow features' part
    along one random unit direction at unit scale, plus label noise of std c['noise'] (Student-t with c['dof'] degrees
    of freedom where given); n training points, 2,000 test points, noise included. 'diabetes': scikit-learn's 442
    patients split at random into n for training and the rest, inputs and progression standardised on the training
    patients; the inputs c['N'] products of two different inputs (a random choice of the 45 pairs, standardised, at
    scale 1) next to the ten raw inputs times c['s'] (the raw inputs alone where N is None)."""
    if c["data"] == "diabetes":
        from sklearn.datasets import load_diabetes
        X, Y = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(X), torch.tensor(Y)
        perm = torch.randperm(len(Y), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X, _ = standardise_on(X, tr)
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        parts = []
        if c.get("N"):
            pairs = torch.tensor([(i, j) for i in range(10) for j in range(i + 1, 10)])
            pairs = pairs[torch.randperm(len(pairs), generator=g)[:c["N"]]]
            prod, _ = standardise_on(X[:, pairs[:, 0]] * X[:, pairs[:, 1]], tr)
            parts.append(prod)
        parts.append(X * c["s"])
        Z = torch.cat(parts, 1)
        return Z[tr], Y[tr], Z[te], Y[te]
    df, ds, s = c["df"], c["ds"], c["s"]
    d = df + ds
    Wt = torch.randn(4, df, generator=g) * 1.5 / math.sqrt(df)
    ct = torch.randn(4, generator=g)
    u = torch.randn(ds, generator=g)
    u = u / u.norm()
    Q = rotation(g, d)

    def parts(x):
        z = x[:, df:] @ u / s
        return torch.tanh(x[:, :df] @ Wt.T) @ ct, (z if c["slow"] == "linear" else torch.tanh(2 * z))

    rf, rs = parts(train.two_scale_inputs(g, 20_000, df, ds, s))
    mf, sf, ms, ss = rf.mean(), rf.std(), rs.mean(), rs.std()

    def draw(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        f, sl = parts(x)
        y = math.sqrt(c["F"]) * (f - mf) / sf + math.sqrt(c["S"]) * (sl - ms) / ss
        return x @ Q, y + c["noise"] * label_noise(g, m, c.get("dof") or 0)

    x, y = draw(c["n"])
    xt, yt = draw(2000)
    return x, y, xt, yt


def nw_attention(w, run_id, c):
    """A Nadaraya-Watson soft-attention regressor with learned keys: f(x) = sum_j a_j(x) v_j + b, the attention a(x) =
    softmax_j(-|P x - k_j|^2 / 2) ('rbf': a Gaussian kernel smoother in a learned r-dimensional projection, whose scale
    is its inverse bandwidth) or softmax_j(<P x, k_j> / sqrt(r)) ('dot'), with M keys k_j and values v_j. P from
    c['init'] times the 1/sqrt(d) scale, the keys at the projections of M training points drawn at random (a memory),
    the values from zero, b at the training targets' mean; all trained on the mean squared error, full batch: Adam,
    heavy ball (momentum 0.9) or gradient descent, the last two with the gradient's norm clipped to c['clip']; the step
    times train_more's lr_factor (c['sched'] 'const' or 'cosine'). Autograd, float64. Data nw_data; test loss the squared
    error on the test points. param_count r d + M r + M + 1. Grid (runs_nw_attention; 19 settings, 1-2 seeds, 21 runs):
    the synthetic base n 200, df 4, ds 2, s 0.1, F 2, S 3 (tanh), noise 0.7, r 6, M 50, init 0.5, rbf,
    Adam at step 0.01, 4,000 epochs; one setting at a time M 5, 20 or 200 (= n), S 0 or 0.5, s 0.3 or 0.05 (6,000
    epochs), noise 1.5, Student-t noise (3 degrees of freedom), n 500 or 100, r 3, dot-product attention, heavy ball at
    step 0.02 and gradient descent at step 0.2 (both clipped to norm 1), a cosine decay of Adam's step; diabetes (n 300,
    r 8) with 10 products and the raw inputs at s 0.1 (2 seeds), and with the raw inputs alone. Revised once (README):
    the first grid had df 20, ds 10, r 8 (r 2 in its row) and 40 diabetes products, the rows otherwise the same."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(52_000 + c["seed"])
    x, y, xt, yt = nw_data(g, c)
    n, d = x.shape
    r, M = c["r"], c["M"]
    P = (torch.randn(r, d, generator=g) * c["init"] / math.sqrt(d)).requires_grad_()
    with torch.no_grad():
        K = (x[torch.randperm(n, generator=g)[:M]] @ P.T).clone().requires_grad_()
    v = torch.zeros(M, requires_grad=True)
    b = torch.full((1,), y.mean().item(), requires_grad=True)
    params = [P, K, v, b]

    def predict(z):
        q = z @ P.T
        if c["attn"] == "dot":
            logits = q @ K.T / math.sqrt(r)
        else:
            logits = q @ K.T - 0.5 * (q * q).sum(1, keepdim=True) - 0.5 * (K * K).sum(1)
        return torch.softmax(logits, 1) @ v + b

    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "nw-attention", "attention": c["attn"], "keys": M, "proj_dim": r, "input_dim": d},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "slow", "noise", "dof", "N", "r", "M",
                             "init", "attn", "opt", "lr", "mom", "clip", "sched", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "keys_per_point": "%.3g" % (M / n)})
    epochs = c["epochs"]
    pts = epochs_of(c["eval"], epochs, c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for grp in opt.param_groups:
                grp["lr"] = c["lr"] * lr_factor(c, e, epochs)
            opt.zero_grad()
            ((predict(x) - y) ** 2).mean().backward()
            if c.get("clip"):
                torch.nn.utils.clip_grad_norm_(params, c["clip"])
            opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((predict(x) - y) ** 2).mean(), ((predict(xt) - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_nw_attention():
    base = dict(data="synth", n=200, df=4, ds=2, s=0.1, F=2.0, S=3.0, slow="tanh", noise=0.7, dof=None, N=None,
                r=6, M=50, init=0.5, attn="rbf", opt="adam", lr=0.01, mom=None, clip=None, sched="const", epochs=4000,
                eval="log:30")
    diabetes = dict(data="diabetes", n=300, df=None, ds=None, F=None, S=None, slow=None, noise=None, r=8)
    return nw_attention, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(M=5, eval="every:3"),
        dict(M=20, eval="jitter:30"),
        dict(M=200, eval="every:2"),
        dict(S=0.0, eval="log:35"),
        dict(S=0.5, eval="every:4"),
        dict(s=0.3, eval="rand:300"),
        dict(s=0.05, epochs=6000, eval="log:40"),
        dict(noise=1.5, eval="every:5"),
        dict(dof=3, eval="jitter:35"),
        dict(n=500, eval="log:30"),
        dict(n=100, eval="every"),
        dict(r=3, eval="every:3"),
        dict(attn="dot", eval="log:35"),
        dict(opt="hb", lr=0.02, mom=0.9, clip=1.0, eval="every:2"),
        dict(opt="gd", lr=0.2, clip=1.0, eval="jitter:30"),
        dict(sched="cosine", eval="every:10"),
        dict(diabetes, N=10, s=0.1, seeds=(1, 2), eval="log:30"),
        dict(diabetes, s=1.0, eval="every:2"),
    ], lambda d: "%s-%s-%s-M%d-r%d-n%d%s%s" % (
        d["data"], d["attn"], d["opt"], d["M"], d["r"], d["n"],
        "-s%g-S%g-noise%g%s" % (d["s"], d["S"], d["noise"], "-t%d" % d["dof"] if d.get("dof") else "")
        if d["data"] == "synth" else "-N%d-s%g" % (d.get("N") or 0, d["s"]),
        "-" + d["sched"] if d["sched"] != "const" else ""))


# ---------------------------------------------------------------------------------------------------- crammer-singer


def cs_hinge(f, t):
    """The Crammer-Singer multiclass hinge loss, mean over points: max(0, 1 + max_{k != t} f_k - f_t)."""
    ft = f.gather(1, t.unsqueeze(1)).squeeze(1)
    other = f.scatter(1, t.unsqueeze(1), -math.inf).max(1).values
    return torch.clamp(1 + other - ft, min=0).mean()


def crammer_singer(w, run_id, c):
    """A multiclass classifier trained on the Crammer-Singer hinge loss by minibatch steps; one event 'epoch' is one
    optimizer STEP (a minibatch of c['batch'] points, drawn from a permutation of the training set renewed once it is
    used up), and the evaluation spacing counts steps. Data: scikit-learn's digits (10 classes, 64 pixels), wine (3, 13
    inputs) or iris (3, 4 inputs), split at random into n training points and the rest, inputs standardised on the
    training points; a share c['flip'] of the training labels replaced by another class at random; the test labels
    clean. Model 'linear': scores W^T phi + w0 from zero on phi = [N random ReLU features of a weak view, c['view']
    random input columns (relu(V x_view + beta), V Gaussian over sqrt(view), beta standard normal, each feature
    standardised on the training points; at scale 1, they fit the flipped labels fast), all the standardised inputs
    times c['s'] (learned slowly; left out where s is None)]. Model 'mlp': one hidden ReLU layer of width h on all the
    standardised inputs (He-scaled weights, the readout 0.1 / sqrt(h), from the seeded generator). Training loss: the
    hinge plus lam / 2 times the squared weights (biases excluded). Optimizers: 'sgd' (momentum c['mom']; the linear
    model's step c['lr'] over the mean squared norm of phi on the training points, the network's c['lr'] itself; times
    c['decay'] from step c['decay_at'] on), 'isqrt' (plain SGD, step times 1 / sqrt(1 + t / 100)) and 'adagrad' (step
    c['lr']). Autograd, float64. Train loss: the hinge on the flipped training labels (without the penalty); test loss:
    the hinge on the clean test labels; error rates in the events. param_count: the weights and biases. Grid
    (runs_crammer_singer; 19 settings, 1-2 seeds, 21 runs): the digits base n 600, 20% flipped, linear, view 8, N 300, s
    0.1, SGD with momentum 0.9 at 0.2, batches of 32, 6,000 steps; one setting at a time N 100, 536 (N plus the 64 pixels
    = n) or 1,500, s 0.3, 0.03 or none, 40% or no flips, lam 0.001, Adagrad at 0.01, the decaying plain step at 0.5, a
    step decay x0.1 at step 3,000; the network of width 64 under SGD (0.01) and of width 256 under Adagrad (0.01); wine
    (n 120, view 3, N 60, batches of 16, 4,000 steps; 2 seeds) and its network of width 32; iris (n 100, view 2, N 40
    or 100, batches of 16, 4,000 steps)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(53_000 + c["seed"])
    from sklearn.datasets import load_digits, load_iris, load_wine
    X, Y = {"digits": load_digits, "wine": load_wine, "iris": load_iris}[c["data"]](return_X_y=True)
    X, Y = torch.tensor(X, dtype=torch.float64), torch.tensor(Y)
    Kc = int(Y.max()) + 1
    n = c["n"]
    perm = torch.randperm(len(Y), generator=g)
    tr, te = perm[:n], perm[n:]
    X, keep = standardise_on(X, tr)
    y, yt = Y[tr].clone(), Y[te]
    flip = torch.rand(n, generator=g) < c["flip"]
    y = torch.where(flip, (y + torch.randint(1, Kc, (n,), generator=g)) % Kc, y)
    if c["model"] == "linear":
        cols = torch.nonzero(keep).flatten()
        view = cols[torch.randperm(len(cols), generator=g)[:c["view"]]]
        V = torch.randn(len(view), c["N"], generator=g) / math.sqrt(len(view))
        beta = torch.randn(c["N"], generator=g)
        H, _ = standardise_on(torch.relu(X[:, view] @ V + beta), tr)
        Phi = torch.cat([H, X * c["s"]], 1) if c.get("s") else H
        x, xt = Phi[tr], Phi[te]
        D = x.shape[1]
        params = [torch.zeros(D, Kc, requires_grad=True), torch.zeros(Kc, requires_grad=True)]
        weights = params[:1]

        def scores(z):
            return z @ params[0] + params[1]
        lr = c["lr"] / (x * x).sum(1).mean().item() if c["opt"] != "adagrad" else c["lr"]
    else:
        x, xt = X[tr], X[te]
        d, h = x.shape[1], c["h"]
        params = [(torch.randn(d, h, generator=g) * math.sqrt(2 / d)).requires_grad_(), torch.zeros(h, requires_grad=True),
                  (torch.randn(h, Kc, generator=g) * 0.1 / math.sqrt(h)).requires_grad_(),
                  torch.zeros(Kc, requires_grad=True)]
        weights = [params[0], params[2]]

        def scores(z):
            return torch.relu(z @ params[0] + params[1]) @ params[2] + params[3]
        lr = c["lr"]
    if c["opt"] == "adagrad":
        opt = torch.optim.Adagrad(params, lr=lr)
    else:
        opt = torch.optim.SGD(params, lr=lr, momentum=c.get("mom") or 0.0)
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "multiclass-svm-" + c["model"], "classes": Kc, "input_dim": x.shape[1]},
                settings(c, ("seed", "data", "n", "flip", "model", "view", "N", "s", "h", "lam", "opt", "lr", "mom",
                             "decay", "decay_at", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "crammer-singer-hinge", "epoch_unit": "step"}, output_dim=Kc)
    steps, bsz = c["epochs"], c["batch"]
    pts = epochs_of(c["eval"], steps, c["seed"])
    order, pos = torch.randperm(n, generator=g), 0
    e = 0
    for p in pts:
        while e < p:
            if pos + bsz > n:
                order, pos = torch.randperm(n, generator=g), 0
            i = order[pos:pos + bsz]
            pos += bsz
            f = lr
            if c["opt"] == "isqrt":
                f = lr / math.sqrt(1 + e / 100)
            elif c.get("decay_at") is not None and e >= c["decay_at"]:
                f = lr * c["decay"]
            for grp in opt.param_groups:
                grp["lr"] = f
            opt.zero_grad()
            loss = cs_hinge(scores(x[i]), y[i])
            if c.get("lam"):
                loss = loss + c["lam"] / 2 * sum((q * q).sum() for q in weights)
            loss.backward()
            opt.step()
            e += 1
        with torch.no_grad():
            s_tr, s_te = scores(x), scores(xt)
            run.log(e, cs_hinge(s_tr, y), cs_hinge(s_te, yt), (s_tr.argmax(1) != y).double().mean(),
                    (s_te.argmax(1) != yt).double().mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_crammer_singer():
    base = dict(data="digits", n=600, flip=0.2, model="linear", view=8, N=300, s=0.1, h=None, lam=None, opt="sgd",
                lr=0.2, mom=0.9, decay=None, decay_at=None, batch=32, epochs=6000, eval="log:30")
    net = dict(model="mlp", view=None, N=None, s=None)
    small = dict(batch=16, epochs=4000)
    return crammer_singer, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(N=100, eval="every:10"),
        dict(N=536, eval="jitter:30"),
        dict(N=1500, eval="every:20"),
        dict(s=0.3, eval="rand:300"),
        dict(s=0.03, eval="log:35"),
        dict(s=None, eval="every:25"),
        dict(flip=0.4, eval="jitter:35"),
        dict(flip=0.0, eval="every:15"),
        dict(lam=0.001, eval="log:40"),
        dict(opt="adagrad", lr=0.01, mom=None, eval="every:10"),
        dict(opt="isqrt", lr=0.5, mom=None, eval="every:5"),
        dict(decay=0.1, decay_at=3000, eval="jitter:30"),
        dict(net, h=64, lr=0.01, eval="log:30"),
        dict(net, h=256, opt="adagrad", lr=0.01, mom=None, eval="every:10"),
        dict(small, data="wine", n=120, view=3, N=60, seeds=(1, 2), eval="log:30"),
        dict(small, **net, data="wine", n=120, h=32, lr=0.01, eval="every:5"),
        dict(small, data="iris", n=100, view=2, N=40, eval="every:10"),
        dict(small, data="iris", n=100, view=2, N=100, eval="jitter:30"),
    ], lambda d: "%s-%s-%s-n%d-flip%g%s%s" % (
        d["data"], d["model"], d["opt"], d["n"], d["flip"],
        "-N%d-view%d-s%s" % (d["N"], d["view"], "%g" % d["s"] if d.get("s") else "none") if d["model"] == "linear"
        else "-h%d" % d["h"], ("-lam%g" % d["lam"] if d.get("lam") else "")
        + ("-decay%g@%d" % (d["decay"], d["decay_at"]) if d.get("decay_at") else "")))


# ---------------------------------------------------------------------------------------------------- tweedie-kfac


def tweedie_draw(g, mu, shape, phi):
    """Tweedie (compound Poisson-gamma) draws of mean mu, power p = (2 + shape) / (1 + shape) and dispersion phi
    (variance phi mu^p): a Poisson number of claims, rate mu^(2-p) / (phi (2-p)), each Gamma(shape, phi (p-1) mu^(p-1));
    shape a whole number (a sum of exponentials) or 0.5 (half a chi-square with one degree of freedom), so that every
    draw comes from the seeded generator. About exp(-rate) of the draws are exactly zero."""
    p = (2 + shape) / (1 + shape)
    rate = mu ** (2 - p) / (phi * (2 - p))
    claims = torch.poisson(rate, generator=g)
    theta = phi * (p - 1) * mu ** (p - 1)
    if shape == 0.5:
        k = claims
        cols = int(k.max().item())
        draws = torch.randn(len(mu), max(cols, 1), generator=g) ** 2 / 2
    else:
        k = claims * int(shape)
        cols = int(k.max().item())
        draws = -torch.log(torch.rand(len(mu), max(cols, 1), generator=g).clamp_min(1e-300))
    mask = torch.arange(draws.shape[1]).unsqueeze(0) < k.unsqueeze(1)
    return theta * (draws * mask).sum(1)


def tweedie_deviance(y, f, p):
    """The mean unit Tweedie deviance of targets y under the log-link prediction f (mu = exp f), power 1 < p < 2:
    2 [y^(2-p) / ((1-p)(2-p)) - y mu^(1-p) / (1-p) + mu^(2-p) / (2-p)]; zero at mu = y."""
    return (2 * (y.clamp_min(0) ** (2 - p) / ((1 - p) * (2 - p)) - y * torch.exp((1 - p) * f) / (1 - p)
                 + torch.exp((2 - p) * f) / (2 - p))).mean()


def tweedie_kfac(w, run_id, c):
    """A one-hidden-layer tanh network with a log link, mu(x) = exp(a . tanh(W x + b) / sqrt(h) + a0), fitted to Tweedie
    targets on the mean Tweedie deviance. Data: train.py's two-scale Gaussian inputs (df of scale 1, ds of scale s)
    turned by one random rotation; the log of the true mean sqrt(F) times a standardised 3-unit tanh network of the fast
    features plus sqrt(S) times the slow features' part along one random unit direction at unit scale; targets drawn by
    tweedie_draw (claim shape 3, 2, 1 or 0.5: p 1.25, 1.33, 1.5 or 1.67; dispersion phi); n training points, 2,000 test
    points. W from the 1/sqrt(d) scale, a from 0.1, b from zero, a0 at the log of the training targets' mean.
    Optimizers: 'hb' (heavy ball, momentum c['mom']) and 'gd', the gradient's norm clipped to c['clip']; 'adam'; 'kfac':
    a Kronecker-factored natural gradient written out, each layer's Gauss-Newton block approximated by A (x) G, A the
    mean outer product of the layer's inputs (with a 1 for the bias), G that of the output's Jacobian with respect to
    the layer's pre-activations weighted by the deviance's expected curvature 2 mu^(2-p) (the final layer: the mean of
    that curvature), both exponential moving averages (decay 0.95) over the steps; the update (G + lam g I)^-1 grad
    (A + lam a I)^-1 with lam the damping relative to each factor's mean eigenvalue (a, g), its step eta times the KL
    clip min(1, sqrt(0.01 / (eta^2 sum <grad, update>))); full batch, or minibatches of c['batch'] drawn from a
    permutation each epoch. Autograd for the gradients, float64. Train and test loss: the mean deviance of the training
    targets and of the 2,000 test targets. param_count h (d + 1) + h + 1. Grid (runs_tweedie_kfac; 19 settings, 1-2
    seeds, 20 runs): the base n 1,000, df 30, ds 10, s 0.1, F 0.5, S 0.8, claim shape 1 (p 1.5), phi 0.5, width 8 (337
    parameters), heavy ball (momentum 0.9) at step 0.05 clipped to norm 1, 4,000 epochs; one setting at a time K-FAC at
    eta 0.2 with damping 0.001, 0.01, 0.1 or 1, with damping 0.01 on minibatches of 100 (1,000 epochs) and at width 24
    (1,033 parameters), Adam at 0.003, gradient descent at 0.2 (clipped), width 2 or 24, S 0 or 0.2, claim shape 3 or
    0.5, phi 2 or 0.2, s 0.3, n 300. Revised once (README): the first grid had n 300 (1,000 in its row), phi 1 (3 or
    0.3 in its rows), width 32 where this one has 24, and minibatches of 50 over 2,000 epochs, the rows otherwise the
    same."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(54_000 + c["seed"])
    n, df, ds, s, h = c["n"], c["df"], c["ds"], c["s"], c["h"]
    d = df + ds
    shape, phi = c["shape"], c["phi"]
    p = (2 + shape) / (1 + shape)
    Wt = torch.randn(3, df, generator=g) * 1.5 / math.sqrt(df)
    ct = torch.randn(3, generator=g)
    u = torch.randn(ds, generator=g)
    u = u / u.norm()
    Q = rotation(g, d)
    ref = torch.tanh(torch.randn(20_000, df, generator=g) @ Wt.T) @ ct
    mf, sf = ref.mean(), ref.std()

    def draw(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        logmu = (math.sqrt(c["F"]) * (torch.tanh(x[:, :df] @ Wt.T) @ ct - mf) / sf
                 + math.sqrt(c["S"]) * (x[:, df:] @ u / s))
        return x @ Q, tweedie_draw(g, torch.exp(logmu), shape, phi)

    x, y = draw(n)
    xt, yt = draw(2000)
    W = (torch.randn(h, d, generator=g) / math.sqrt(d)).requires_grad_()
    b = torch.zeros(h, requires_grad=True)
    a = (torch.randn(h, generator=g) * 0.1).requires_grad_()
    a0 = torch.full((1,), math.log(y.mean().item()), requires_grad=True)
    params = [W, b, a, a0]

    def forward(z):
        hid = torch.tanh(z @ W.T + b)
        return hid @ a / math.sqrt(h) + a0, hid

    kfac = c["opt"] == "kfac"
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    elif not kfac:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)
    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "tanh-mlp-log-link", "width": h, "input_dim": d},
                settings(c, ("seed", "n", "df", "ds", "s", "F", "S", "shape", "phi", "h", "opt", "lr", "mom", "clip",
                             "eta", "lam", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "tweedie-deviance", "power": "%.4g" % p})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    fac = {}

    def damped(m, lam):
        return m + lam * torch.diagonal(m).mean() * torch.eye(len(m))

    def kfac_step(xb, yb):
        f, hid = forward(xb)
        loss = tweedie_deviance(yb, f, p)
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            m = len(xb)
            curv = 2 * torch.exp((2 - p) * f)  # the deviance's expected second derivative in f
            a_in = torch.cat([xb, torch.ones(m, 1)], 1)
            a_hid = torch.cat([hid / math.sqrt(h), torch.ones(m, 1)], 1)
            jac = a.unsqueeze(0) * (1 - hid ** 2) / math.sqrt(h)  # df / d pre-activation
            new = {"A1": a_in.T @ a_in / m, "G1": (jac * curv.unsqueeze(1)).T @ jac / m,
                   "A2": a_hid.T @ a_hid / m, "G2": curv.mean().reshape(1, 1)}
            for k_, v_ in new.items():
                fac[k_] = v_ if k_ not in fac else 0.95 * fac[k_] + 0.05 * v_
            lam = c["lam"]
            g1 = torch.cat([grads[0], grads[1].unsqueeze(1)], 1)  # h x (d + 1)
            g2 = torch.cat([grads[2], grads[3]])  # h + 1
            u1 = torch.linalg.solve(damped(fac["A1"], lam), torch.linalg.solve(damped(fac["G1"], lam), g1).T).T
            u2 = torch.linalg.solve(damped(fac["A2"], lam), g2) / damped(fac["G2"], lam)[0, 0]
            dot = (g1 * u1).sum() + (g2 * u2).sum()
            eta = c["eta"]
            nu = min(1.0, math.sqrt(0.01 / max(eta ** 2 * dot.item(), 1e-300)))
            W.sub_(eta * nu * u1[:, :d])
            b.sub_(eta * nu * u1[:, d])
            a.sub_(eta * nu * u2[:h])
            a0.sub_(eta * nu * u2[h:])

    e = 0
    for pt in pts:
        while e < pt:
            idx = torch.randperm(n, generator=g) if bsz < n else None
            for j in range(0, n, bsz):
                xb, yb = (x, y) if idx is None else (x[idx[j:j + bsz]], y[idx[j:j + bsz]])
                if kfac:
                    kfac_step(xb, yb)
                    continue
                opt.zero_grad()
                tweedie_deviance(yb, forward(xb)[0], p).backward()
                if c.get("clip"):
                    torch.nn.utils.clip_grad_norm_(params, c["clip"])
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, tweedie_deviance(y, forward(x)[0], p), tweedie_deviance(yt, forward(xt)[0], p),
                    final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_tweedie_kfac():
    base = dict(n=1000, df=30, ds=10, s=0.1, F=0.5, S=0.8, shape=1.0, phi=0.5, h=8, opt="hb", lr=0.05, mom=0.9,
                clip=1.0, eta=None, lam=None, batch=None, epochs=4000, eval="log:30")
    kf = dict(opt="kfac", lr=None, mom=None, clip=None, eta=0.2)
    return tweedie_kfac, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(kf, lam=0.001, eval="every:3"),
        dict(kf, lam=0.01, eval="jitter:30"),
        dict(kf, lam=0.1, eval="every:2"),
        dict(kf, lam=1.0, eval="log:35"),
        dict(kf, lam=0.01, batch=100, epochs=1000, eval="every:4"),
        dict(opt="adam", lr=0.003, mom=None, clip=None, eval="rand:300"),
        dict(opt="gd", mom=None, lr=0.2, eval="every:5"),
        dict(h=2, eval="jitter:35"),
        dict(h=24, eval="every:3"),
        dict(S=0.0, eval="log:40"),
        dict(S=0.2, eval="every:2"),
        dict(shape=3.0, eval="jitter:30"),
        dict(shape=0.5, eval="every:4"),
        dict(phi=2.0, eval="log:30"),
        dict(phi=0.2, eval="every"),
        dict(s=0.3, eval="every:5"),
        dict(n=300, eval="log:35"),
        dict(kf, lam=0.01, h=24, eval="every:10"),
    ], lambda d: "%s%s-h%d-n%d-s%g-S%g-p%.3g-phi%g%s" % (
        d["opt"], "-lam%g" % d["lam"] if d.get("lam") is not None else "", d["h"], d["n"], d["s"], d["S"],
        (2 + d["shape"]) / (1 + d["shape"]), d["phi"], "-batch%d" % d["batch"] if d.get("batch") else ""))


FAMILIES = {"nw-attention": runs_nw_attention, "crammer-singer": runs_crammer_singer, "tweedie-kfac": runs_tweedie_kfac}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
