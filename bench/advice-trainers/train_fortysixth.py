#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, forty-sixth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 137 families of train.py ... train_fortythird.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is online, stochastic and variance-reduced learning of
convex models at numbers of features around the number of training examples (where the model can just fit, or for
classes just separate, its training set), each optimizer hand-written with its gradients written out:

- svrg-logistic: SVRG (Johnson & Zhang 2013): a snapshot and its full gradient every m passes, minibatch steps along
  the minibatch gradient corrected by the snapshot's, at a step set by the largest per-point smoothness (option II and
  loopless SVRG in a run each; plain SGD and full-batch gradient descent for contrast); on logistic regression over
  two banks of random ReLU features of separate inputs, a fast bank and a slow one at a small scale, with labels drawn
  from a teacher and flipped, judged by the cross-entropy against the teacher's probabilities of fresh points; least
  squares in a few runs; breast cancer and diabetes on random features;
- adagrad-bow: per-coordinate Adagrad (Duchi, Hazan & Singer 2011) from an initial accumulator, on bag-of-words
  counts of synthetic documents whose score is carried weakly by common words (about as many as three quarters of
  the documents) and strongly by rare keywords, which SGD learns slowly and Adagrad quickly once their accumulated
  squared gradients pass the initial accumulator; a linear model on the squared error (the documents' classes under
  the cross-entropy, a shallow embedding-bag model and the digits' 64 block counts in a run each);
- ftrl-proximal: FTRL-Proximal (McMahan et al. 2013), per-coordinate rates alpha / (beta + sqrt(n_i)) with L1 and L2
  terms, one example at a time (per coordinate, in plain Python floats), several passes in a fixed order over a stream
  of click-like impressions (hashed categorical fields and numeric context features at a small scale; Bernoulli
  clicks), or one pass over a long stream, judged by the expected log loss of fresh impressions; the digits' binary
  pixels in a run.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, batches from train_twentyfirst.py, eval_epochs (the irregular
spacings) from train_thirtyseventh.py and epoch_loop from train_thirtyninth.py; one thread, every random draw from a
seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fortysixth.py --family svrg-logistic [--list] [--runs 0,3] [--out FILE]

Families (see README.md): svrg-logistic, adagrad-bow, ftrl-proximal. Evaluation spacings: train.py's 'every',
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
from train_twentyfirst import batches  # noqa: E402
from train_thirtyseventh import eval_epochs  # noqa: E402
from train_thirtyninth import epoch_loop  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64


# ---------------------------------------------------------------------------------------------------- shared


def xent(q, p):
    """The mean cross-entropy of predicted probabilities q against targets p (0/1 labels, or the teacher's
    probabilities: the expected log loss of a fresh label), clamped away from 0 and 1 by 1e-15."""
    q = q.clamp(1e-15, 1 - 1e-15)
    return -(p * torch.log(q) + (1 - p) * torch.log1p(-q)).mean()


def binary_errors(q, y):
    return ((q > 0.5).double() != (y > 0.5).double()).double().mean()


def flips(g, y, share):
    """0/1 labels, a share of them flipped (hit by a draw from g)."""
    if not share:
        return y
    hit = torch.rand(len(y), generator=g, dtype=F64) < share
    return torch.where(hit, 1 - y, y)


# ---------------------------------------------------------------------------------------------------- svrg-logistic


def relu_bank(g, D, N):
    """N random ReLU features of D inputs: weights N(0, 1 / D) from g; features centred and standardised (the ReLU of
    a standard normal)."""
    W = torch.randn(N, D, generator=g, dtype=F64) / math.sqrt(D)

    def feat(x):
        return (torch.relu(x @ W.T) - 1 / math.sqrt(2 * math.pi)) / math.sqrt(0.5 - 1 / (2 * math.pi))
    return feat


def svrg_data(g, c):
    """(phi, y, phit, yt, clean, K): random-feature designs for training (n rows) and test. 'synth': D Gaussian inputs,
    Nf random ReLU features at scale 1 and Ns at scale s (relu_bank, two banks); the teacher's score a random readout
    of power F of the fast bank and of power S of the slow bank at unit scale (so the slow bank's weights are 1 / s
    times larger). Logistic (loss 'logistic'): labels drawn from sigmoid(score) by g, a share 'flip' flipped; the test
    target the teacher's probabilities sigmoid(score) of 2,000 fresh points. Least squares (loss 'ls'): targets the
    score plus Gaussian noise; the test targets the clean scores. 'cancer': scikit-learn's breast cancer standardised
    on n training patients, Nf + Ns random ReLU features of its 30 columns (the last Ns times s), a share 'flip' of the
    training labels flipped, the others' labels the test targets. 'diabetes': scikit-learn's diabetes progression
    (standardised), random ReLU features of its 10 standardised columns, noise on the n training targets, the others'
    progression the test targets."""
    Nf, Ns, s = c["Nf"], c["Ns"], c["s"]
    scale = torch.cat([torch.ones(Nf, dtype=F64), torch.full((Ns,), s, dtype=F64)])
    if c["data"] == "synth":
        Df, Ds = c["Df"], c["Ds"]
        fast, slow = relu_bank(g, Df, Nf), relu_bank(g, Ds, Ns)
        af = torch.randn(Nf, generator=g, dtype=F64) * math.sqrt(c["F"] / Nf)
        aslow = torch.randn(Ns, generator=g, dtype=F64) * math.sqrt(c["S"] / max(Ns, 1))

        def draw(m):
            x = torch.randn(m, Df + Ds, generator=g, dtype=F64)
            pf, ps = fast(x[:, :Df]), slow(x[:, Df:])
            return torch.cat([pf, ps], 1) * scale, pf @ af + ps @ aslow

        phi, score = draw(c["n"])
        phit, scoret = draw(2000)
        if c["loss"] == "logistic":
            y = (torch.rand(c["n"], generator=g, dtype=F64) < torch.sigmoid(score)).double()
            return phi, flips(g, y, c.get("flip")), phit, torch.sigmoid(scoret)
        return phi, score + c["noise"] * torch.randn(c["n"], generator=g, dtype=F64), phit, scoret
    from sklearn.datasets import load_breast_cancer, load_diabetes
    X, Y = (load_breast_cancer if c["data"] == "cancer" else load_diabetes)(return_X_y=True)
    X, Y = torch.tensor(X, dtype=F64), torch.tensor(Y, dtype=F64)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    fast, slow = relu_bank(g, X.shape[1], Nf), relu_bank(g, X.shape[1], Ns)
    phi_all = torch.cat([fast(X), slow(X)], 1) * scale
    if c["data"] == "cancer":
        return phi_all[tr], flips(g, Y[tr], c.get("flip")), phi_all[te], Y[te]
    Y = (Y - Y[tr].mean()) / Y[tr].std()
    return phi_all[tr], Y[tr] + c["noise"] * torch.randn(len(tr), generator=g, dtype=F64), phi_all[te], Y[te]


def svrg_logistic(w, run_id, c):
    """A linear model on random features (svrg_data), from zero, float64, with a bias: logistic regression (the mean
    cross-entropy) or least squares (half the mean squared error), plus lam |w|^2 / 2 (no penalty on the bias), the
    gradients written out. Optimizer (opt): 'svrg' (Johnson & Zhang 2013): at the start of every `m`-th epoch a
    snapshot w~ and its full gradient mu; each minibatch step w -= eta (grad_B(w) - grad_B(w~) + mu); option 'II'
    (J & Z's option II) makes the snapshot, and the next outer loop's start, an iterate drawn at random from the outer
    loop (else the last one). 'lsvrg': loopless SVRG (Kovalev, Horvath & Richtarik 2020), the snapshot refreshed after
    a step with probability b / (m n). 'sgd': plain minibatch SGD at the same step; 'gd': full-batch gradient descent,
    one step an epoch. The step eta = lr / L, L the largest per-point smoothness (max |phi_i|^2 + 1, times 1/4 for the
    logistic loss). An epoch: one pass of minibatches of b over the reshuffled training set (plus, for svrg, the
    snapshot's full gradient when one is taken). Train loss: the loss on the noisy training labels or targets; test
    loss: the cross-entropy against the teacher's probabilities of fresh points (breast cancer: the held-out labels),
    or the squared error against the clean targets (diabetes: the held-out progression); error rates for
    classes."""
    g = torch.Generator().manual_seed(461_000 + c["seed"])
    phi, y, phit, yt = svrg_data(g, c)
    n, N = phi.shape
    one = torch.ones(n, 1, dtype=F64)
    X, Xt = torch.cat([phi, one], 1), torch.cat([phit, torch.ones(len(phit), 1, dtype=F64)], 1)
    logistic = c["loss"] == "logistic"
    link = torch.sigmoid if logistic else (lambda r: r)
    L = (X.pow(2).sum(1).max().item()) * (0.25 if logistic else 1.0)
    eta, lam = c["lr"] / L, c.get("lam") or 0.0
    mask = torch.cat([torch.ones(N, dtype=F64), torch.zeros(1, dtype=F64)])  # no penalty on the bias
    wt = torch.zeros(N + 1, dtype=F64)
    st = {"snap": wt.clone(), "psnap": link(X @ wt), "mu": None, "t": 0, "pick": None, "kept": None}
    opt, b, m = c["opt"], c.get("batch"), c.get("m") or 1

    def full_grad(v, p):
        return X.T @ (p - y) / n + lam * mask * v

    def take_snapshot(v):
        st["snap"] = v.clone()
        st["psnap"] = link(X @ v)
        st["mu"] = full_grad(v, st["psnap"])

    steps = len(batches(torch.Generator().manual_seed(0), n, b))  # minibatch steps per epoch

    def begin(e):
        if opt == "svrg" and e % m == 0:
            if c.get("option") == "II" and st["kept"] is not None:
                wt.copy_(st["kept"])
            take_snapshot(wt)
            st["pick"] = int(torch.randint(steps * m, (1,), generator=g).item()) if c.get("option") == "II" else None
            st["t"] = 0
        if opt == "lsvrg" and st["mu"] is None:
            take_snapshot(wt)

    def step(idx):
        xb, yb = (X, y) if idx is None else (X[idx], y[idx])
        p = link(xb @ wt)
        if opt in ("svrg", "lsvrg"):
            ps = st["psnap"] if idx is None else st["psnap"][idx]
            grad = xb.T @ (p - ps) / len(yb) + lam * mask * (wt - st["snap"]) + st["mu"]
        else:
            grad = xb.T @ (p - yb) / len(yb) + lam * mask * wt
        wt.sub_(eta * grad)
        if opt == "svrg" and st["pick"] is not None:
            if st["t"] == st["pick"]:
                st["kept"] = wt.clone()
            st["t"] += 1
        if opt == "lsvrg" and torch.rand(1, generator=g, dtype=F64).item() < len(yb) / (m * n):
            take_snapshot(wt)

    K = 2 if logistic else 1
    run = w.run(run_id, N + 1, n,
                {"family": "random-features-" + ("logistic" if logistic else "least-squares"), "features": N,
                 "fast_features": c["Nf"], "slow_features": c["Ns"]},
                settings(c, ("seed", "data", "n", "Df", "Ds", "Nf", "Ns", "s", "F", "S", "noise", "flip", "loss", "opt",
                             "option", "m", "lr", "lam", "batch", "eval"))
                | {"optimizer": opt, "test_loss": ("expected-ce" if c["data"] == "synth" else "heldout-ce")
                   if logistic else ("clean-mse" if c["data"] == "synth" else "heldout-mse"),
                   "features_per_point": "%.3g" % (N / n)},
                output_dim=K)

    def log(e, final):
        if logistic:
            q, qt = torch.sigmoid(X @ wt), torch.sigmoid(Xt @ wt)
            run.log(e, xent(q, y), xent(qt, yt), binary_errors(q, y), binary_errors(qt, yt), final=final)
        else:
            run.log(e, ((X @ wt - y) ** 2).mean(), ((Xt @ wt - yt) ** 2).mean(), final=final)

    epoch_loop(g, n, c, step, log, begin)


def runs_svrg_logistic():
    # The logic: a linear model on random ReLU features can just separate (logistic) or interpolate (least squares) its
    # training set where its features are as many as the points allow: about half the points for noisy binary labels
    # (Cover), fewer under a strong teacher, all of them for regression. SVRG's step is set by the largest per-point
    # smoothness, so a bank of features at a small scale s is learned 1 / s^2 times slower than the others. The base:
    # 400 points, 80 fast features (0.2 per point, near where a fast bank of a strong teacher can fit the labels)
    # and 20 slow ones at scale 0.1, the teacher's fast part of power 6 and slow part of power 16 (the slow part,
    # unlearned, is noise to the fast bank), 10% flipped labels, step 1 / L on minibatches of 10, a snapshot every
    # pass, over 1,500 passes. The grid moves one thing at a time: the optimizer (plain SGD at the same step and at
    # 3 / L, full-batch gradient descent, loopless SVRG, option II with a snapshot every 2 passes, a snapshot every 5),
    # the step (0.3 and 3 over L), batches of 40, no slow part, a ridge, the fast bank (60, 100), the scale (0.05
    # over 3,000 passes), the flips (none, 20%), least squares below the interpolation threshold (150 fast and 20 slow
    # features on 200 targets, SVRG and SGD), breast cancer (logistic, 20% flips) and diabetes (least squares) on
    # random features.
    base = dict(data="synth", n=400, Df=40, Ds=10, Nf=80, Ns=20, s=0.1, F=6.0, S=16.0, noise=None, flip=0.1,
                loss="logistic", opt="svrg", option=None, m=1, lr=1.0, lam=None, batch=10, epochs=1500, eval="log:35")
    ls = dict(loss="ls", n=200, Df=75, Ds=10, Nf=150, Ns=20, F=1.0, S=3.0, noise=0.5, flip=None, lr=3.0)
    real = dict(Df=None, Ds=None, F=None, S=None, Nf=150, Ns=50, epochs=600)
    return svrg_logistic, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(opt="sgd", eval="every:5"),
        dict(opt="sgd", lr=3.0, eval="jitter:35"),
        dict(opt="gd", batch=None, eval="every:5"),
        dict(opt="lsvrg", eval="mixed:30:6"),
        dict(option="II", m=2, eval="geom:6"),
        dict(m=5, eval="every:6"),
        dict(lr=0.3, eval="log:35"),
        dict(lr=3.0, eval="mixlog:20:30"),
        dict(batch=40, eval="every:5"),
        dict(S=0.0, eval="rand:150"),
        dict(lam=1e-3, eval="every:4"),
        dict(Nf=60, Df=30, eval="burst:50:5"),
        dict(Nf=100, Df=50, eval="every:5"),
        dict(s=0.05, epochs=3000, eval="log:35"),
        dict(flip=None, eval="geom:5"),
        dict(flip=0.2, eval="every:6"),
        dict(ls, eval="every:5"),
        dict(ls, opt="sgd", eval="jitter:35"),
        dict(real, data="cancer", n=300, flip=0.2, eval="every:3"),
        dict(real, data="diabetes", loss="ls", n=250, noise=0.3, flip=None, eval="mixed:20:3"),
    ], lambda d: "%s-n%d-Nf%d-Ns%d-s%g%s%s-%s-%s%s-lr%g%s-b%s" % (
        d["data"], d["n"], d["Nf"], d["Ns"], d["s"], "-S%g" % d["S"] if d.get("S") is not None else "",
        "-flip%g" % d["flip"] if d.get("flip") else "-noise%g" % d["noise"] if d.get("noise") else "",
        d["loss"], d["opt"], ("-II" if d.get("option") else "") + ("-m%d" % d["m"] if d["m"] != 1 else ""),
        d["lr"], "-lam%g" % d["lam"] if d.get("lam") else "", d["batch"] or "full"))


# ---------------------------------------------------------------------------------------------------- adagrad-bow


def zipf(V, a, k0):
    """Word probabilities p_j proportional to 1 / (j + k0)^a over ranks j = 1 ... V."""
    p = 1.0 / (torch.arange(1, V + 1, dtype=F64) + k0) ** a
    return p / p.sum()


def documents(g, m, L, probs, labels):
    """m bags of words: document i has 1 + Poisson(L - 1) words (drawn from g) drawn from the word distribution of its
    class probs[labels[i]]; returns the count matrix (m x V, float64) and the lengths."""
    lengths = 1 + torch.poisson(torch.full((m,), float(L - 1), dtype=F64), generator=g)
    X = torch.zeros(m, probs.shape[1], dtype=F64)
    for i in range(m):
        words = torch.multinomial(probs[int(labels[i])], int(lengths[i]), replacement=True, generator=g)
        X[i].index_add_(0, words, torch.ones(len(words), dtype=F64))
    return X, lengths


def bow_data(g, c):
    """(x, y, xt, yt): bag-of-words counts of synthetic documents over a vocabulary of V words: Vc common words (Zipf
    frequencies of exponent a, k0 2; a 0: all equally frequent) sharing a share 1 - mr of the tokens, and V - Vc rare
    keywords, equally frequent, sharing mr; every word has a weight delta_j ~ N(0, tau_c^2) (common) or N(0, tau_r^2)
    (keyword). Documents of 1 + Poisson(L - 1) words. loss 'ls': the documents' score x . delta / sqrt(L) (a review's
    rating), Gaussian noise on the n training scores, 2,000 test documents with clean scores. loss 'logistic': two
    balanced classes whose word probabilities are p_j exp(-+delta_j / 2), normalised; a share 'flip' of the n training
    labels flipped; the 2,000 test documents' targets their Bayes posterior probabilities of class 1 (the counts times
    the log ratios of the classes' word probabilities: exact, the model being linear in the counts). 'digits':
    scikit-learn's digits as counts (each of its 64 features the number of ink pixels, 0-16, of a 4x4 block of a 32x32
    bitmap), odd against even, n training images with a share 'flip' of the labels flipped, the others' clean labels
    the test targets."""
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        X, Y = load_digits(return_X_y=True)
        X, Y = torch.tensor(X, dtype=F64), (torch.tensor(Y) % 2).double()
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        return X[tr], flips(g, Y[tr], c.get("flip")), X[te], Y[te]
    V, Vc = c["V"], c["Vc"]
    p = torch.cat([zipf(Vc, c.get("a", 1.0), 2.0) * (1 - c["mr"]), zipf(V - Vc, 0.0, 0.0) * c["mr"]])
    tau = torch.cat([torch.full((Vc,), c["tau_c"], dtype=F64), torch.full((V - Vc,), c["tau_r"], dtype=F64)])
    delta = torch.randn(V, generator=g, dtype=F64) * tau
    if c.get("loss") == "ls":
        x, _ = documents(g, c["n"], c["L"], p.unsqueeze(0), torch.zeros(c["n"]))
        xt, _ = documents(g, 2000, c["L"], p.unsqueeze(0), torch.zeros(2000))
        y = x @ delta / math.sqrt(c["L"])
        return x, y + c["noise"] * torch.randn(c["n"], generator=g, dtype=F64), xt, xt @ delta / math.sqrt(c["L"])
    probs = torch.stack([p * torch.exp(-delta / 2), p * torch.exp(delta / 2)])
    Z = probs.sum(1)
    probs = probs / Z.unsqueeze(1)
    y = (torch.rand(c["n"], generator=g, dtype=F64) < 0.5).double()
    x, _ = documents(g, c["n"], c["L"], probs, y)
    yt = (torch.rand(2000, generator=g, dtype=F64) < 0.5).double()
    xt, _ = documents(g, 2000, c["L"], probs, yt)
    logit = xt @ torch.log(probs[1] / probs[0])
    return x, flips(g, y, c.get("flip")), xt, torch.sigmoid(logit)


def bow_features(x, kind):
    """The counts as features: 'count' (raw), 'log' (log(1 + count)), 'binary' (presence)."""
    if kind == "log":
        return torch.log1p(x)
    if kind == "binary":
        return (x > 0).double()
    return x


class Adagrad:
    """Adagrad (Duchi, Hazan & Singer 2011), per coordinate, hand-written: G += g^2, w -= lr g / (sqrt(G) + 1e-10),
    G from init (torch's default 0; TensorFlow's initial accumulator 0.1). For contrast ('sgd') plain SGD at lr."""

    def __init__(self, params, lr, init=0.0, plain=False):
        self.params, self.lr, self.plain = params, lr, plain
        self.G = [torch.full_like(q, init) for q in params]

    def step(self, grads):
        with torch.no_grad():
            for q, G, gr in zip(self.params, self.G, grads):
                if self.plain:
                    q.sub_(self.lr * gr)
                else:
                    G.addcmul_(gr, gr)
                    q.sub_(self.lr * gr / (G.sqrt() + 1e-10))


def adagrad_bow(w, run_id, c):
    """Logistic regression on bag-of-words features (bow_data, bow_features), from zero, float64, with a bias, the
    gradient written out; or (arch 'embag') a shallow fastText-like model: the document's mean word embedding (h
    dimensions, embeddings N(0, 0.1^2) from the run's generator) read by a linear head, gradients by autograd.
    Optimizer: per-coordinate Adagrad (opt 'adagrad') at step lr with initial accumulator init, or plain SGD (opt
    'sgd'), on minibatches of b, plus an L2 penalty lam |w|^2 / 2 where set. Train loss: the cross-entropy of the
    noisy training labels; test loss: the cross-entropy against the Bayes posterior of 2,000 fresh documents (the
    expected log loss of a fresh label; the digits: the held-out clean labels); error rates too."""
    g = torch.Generator().manual_seed(462_000 + c["seed"])
    x, y, xt, pt = bow_data(g, c)
    feats = c.get("feat") or "count"
    X, Xt = bow_features(x, feats), bow_features(xt, feats)
    n, V = X.shape
    lam = c.get("lam") or 0.0
    ls = c.get("loss") == "ls"
    if c.get("arch") == "embag":
        h = c["h"]
        E = (torch.randn(V, h, generator=g, dtype=F64) * c["init_scale"]).requires_grad_()
        u = (torch.randn(h, generator=g, dtype=F64) / math.sqrt(h)).requires_grad_()
        b0 = torch.zeros(1, dtype=F64).requires_grad_()
        params = [E, u, b0]
        L, Lt = x.sum(1).clamp(min=1).sqrt(), xt.sum(1).clamp(min=1).sqrt()

        def logits(Z, lens):
            return (Z @ E) / lens.unsqueeze(1) @ u + b0

        def grads(idx):
            for q in params:
                q.grad = None
            zb = logits(X[idx], L[idx]) if idx is not None else logits(X, L)
            yb = y if idx is None else y[idx]
            loss = 0.5 * ((zb - yb) ** 2).mean() if ls else \
                torch.nn.functional.binary_cross_entropy_with_logits(zb, yb)
            loss = loss + lam * 0.5 * (E.pow(2).sum() + u.pow(2).sum())
            loss.backward()
            return [q.grad for q in params]

        def predict():
            link = (lambda r: r) if ls else torch.sigmoid
            return link(logits(X, L)), link(logits(Xt, Lt))
        P = V * h + h + 1
    else:
        wt = torch.zeros(V, dtype=F64)
        bt = torch.zeros(1, dtype=F64)
        params = [wt, bt]

        link = (lambda r: r) if ls else torch.sigmoid

        def grads(idx):
            xb, yb = (X, y) if idx is None else (X[idx], y[idx])
            r = link(xb @ wt + bt) - yb
            return [xb.T @ r / len(yb) + lam * wt, r.mean().reshape(1)]

        def predict():
            return link(X @ wt + bt), link(Xt @ wt + bt)
        P = V + 1
    opt = Adagrad(params, c["lr"], c.get("init") or 0.0, plain=c["opt"] == "sgd")

    def step(idx):
        opt.step(grads(idx))

    run = w.run(run_id, P, n,
                {"family": "embedding-bag" if c.get("arch") == "embag" else "bow-logistic", "vocabulary": V,
                 "features": feats} | ({"dims": c["h"]} if c.get("arch") == "embag" else {}),
                settings(c, ("seed", "data", "n", "V", "Vc", "mr", "tau_c", "tau_r", "L", "flip", "feat", "arch", "h",
                             "opt", "lr", "init", "lam", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "ce",
                   "test_loss": "expected-ce" if c["data"] == "docs" else "heldout-ce",
                   "features_per_doc": "%.3g" % (V / n)},
                output_dim=2)

    def log(e, final):
        q, qt = predict()
        if ls:
            run.log(e, ((q - y) ** 2).mean(), ((qt - pt) ** 2).mean(), final=final)
        else:
            run.log(e, xent(q, y), xent(qt, pt), binary_errors(q, y), binary_errors(qt, pt), final=final)

    epoch_loop(g, n, c, step, log)


def runs_adagrad_bow():
    # The logic: bag-of-words counts have their own two scales: a word's count varies as much as it is frequent, so
    # under SGD the rare words are the slow directions, and per-coordinate Adagrad undoes that, each coordinate's step
    # divided by the root of its own accumulated squared gradients, as soon as those exceed the initial accumulator.
    # The documents' score (a review's rating) is carried weakly by 300 common words (as many as three quarters of the
    # 400 training documents, so that fitting them alone nears the interpolation threshold, the unlearned keywords
    # acting as noise) and strongly by 40 rare keywords (1% of the tokens, each in about 1.5% of the documents). The
    # base: Adagrad at step 0.1 from an initial accumulator of 1, which the common words pass within an epoch and the
    # keywords only after hundreds, on minibatches of 10 over 600 epochs. The grid moves one thing at a time: the
    # initial accumulator (0, torch's default, where the keywords are as fast as the common words; 0.1; 10, SGD-like
    # for long), the step (0.03, 0.3), plain SGD, batches of 40, log and binary features, the common words (250, 350),
    # no keywords, keywords twice as frequent, noise 0.6, Zipf-distributed common words, a ridge, a shallow
    # embedding-bag model (8 dimensions), the documents' classes under the cross-entropy, and the digits' 64 block
    # counts (odd against even, 100 images, 10% flips).
    base = dict(data="docs", loss="ls", n=400, V=340, Vc=300, a=0.0, mr=0.01, tau_c=0.5, tau_r=7.0, L=60, noise=0.3,
                flip=None, feat="count", arch=None, h=None, init_scale=None, opt="adagrad", lr=0.1, init=1.0, lam=None,
                batch=10, epochs=600, eval="every:3")
    docs_off = dict(V=None, Vc=None, a=None, mr=None, tau_c=None, tau_r=None, L=None, noise=None)
    return adagrad_bow, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(init=0.0, eval="every:2"),
        dict(init=0.1, eval="jitter:35"),
        dict(init=10.0, lr=0.3, eval="mixed:30:4"),
        dict(lr=0.03, eval="log:35"),
        dict(lr=0.3, eval="geom:3"),
        dict(opt="sgd", lr=0.05, init=None, eval="every:3"),
        dict(batch=40, eval="every:4"),
        dict(feat="log", eval="mixlog:20:30"),
        dict(feat="binary", eval="every:3"),
        dict(Vc=250, V=290, eval="rand:120"),
        dict(Vc=350, V=390, eval="every:4"),
        dict(mr=0.0, V=300, eval="geom:4"),
        dict(mr=0.02, eval="every:3"),
        dict(noise=0.6, eval="burst:30:5"),
        dict(a=1.0, eval="jitter:30"),
        dict(lam=0.01, eval="every:3"),
        dict(arch="embag", h=8, init_scale=0.1, epochs=300, eval="every:3"),
        dict(loss="logistic", noise=None, flip=0.1, tau_c=0.3, tau_r=3.0, eval="every:3"),
        dict(docs_off, data="digits", loss="logistic", n=100, flip=0.1, eval="every:2"),
    ], lambda d: "%s-n%d%s-%s%s%s-%s-lr%g%s%s-b%d" % (
        d["data"], d["n"], "-V%d-Vc%d-mr%g%s" % (d["V"], d["Vc"], d["mr"], "-zipf" if d["a"] else "")
        if d["data"] == "docs" else "", d["loss"],
        "-noise%g" % d["noise"] if d.get("noise") else "-flip%g" % d["flip"] if d.get("flip") else "",
        "-%s" % d["feat"] + ("-embag%d" % d["h"] if d.get("arch") else ""), d["opt"], d["lr"],
        "-init%g" % d["init"] if d.get("init") is not None else "", "-lam%g" % d["lam"] if d.get("lam") else "",
        d["batch"]))


# ---------------------------------------------------------------------------------------------------- ftrl-proximal


def ctr_data(g, c, m):
    """m impressions of a click-through-like stream, drawn from g: len(card) categorical fields, field f's category
    Zipf-distributed (a 1.0, k0 1) over card[f] values, and k numeric context features N(0, 1). The true logit: b0
    plus an effect N(0, tau^2) per category of each field plus a dense part of power S along a random direction of
    the numeric features; the click drawn from its sigmoid. Features for the model: every (field, category) hashed
    into one of D buckets by a fixed random table (the hashing trick: collisions share a weight), the numeric
    features times s (a small scale), a bias. Returns (rows, dense, y, p): the active bucket indices of each impression
    (m x fields), the scaled numeric features (m x k), the clicks (0/1) and the true probabilities."""
    tab, eff, u = c["_tables"]
    cats = [torch.multinomial(zipf(K, 1.0, 1.0), m, replacement=True, generator=g) for K in c["card"]]
    num = torch.randn(m, c["k"], generator=g, dtype=F64)
    logit = c["b0"] + sum(e[ci] for e, ci in zip(eff, cats)) + math.sqrt(c["S"]) * num @ u
    p = torch.sigmoid(logit)
    y = (torch.rand(m, generator=g, dtype=F64) < p).double()
    rows = torch.stack([t[ci] for t, ci in zip(tab, cats)], 1)
    return rows, num * c["s"], y, p


def ctr_tables(g, c):
    """The hashing tables (field f's category -> bucket, uniform over D from g), the categories' effects and the
    direction of the dense part."""
    tab = [torch.randint(c["D"], (K,), generator=g) for K in c["card"]]
    eff = [torch.randn(K, generator=g, dtype=F64) * c["tau"] for K in c["card"]]
    u = torch.randn(c["k"], generator=g, dtype=F64)
    return tab, eff, u / u.norm()


def design(rows, dense, D):
    """The dense design matrix of impressions: one-hot buckets (counts where two fields collide), the numeric
    features, a bias column."""
    X = torch.zeros(len(rows), D, dtype=F64)
    X.scatter_add_(1, rows, torch.ones(rows.shape, dtype=F64))
    return torch.cat([X, dense, torch.ones(len(rows), 1, dtype=F64)], 1)


class FTRLProximal:
    """FTRL-Proximal (McMahan et al. 2013, Algorithm 1), per coordinate, one example at a time, in plain Python floats
    over the example's active coordinates: w_i = 0 where |z_i| <= l1, else -(z_i - sign(z_i) l1) / ((beta +
    sqrt(n_i)) / alpha + l2); p = sigmoid(w . x); g_i = (p - y) x_i; sigma_i = (sqrt(n_i + g_i^2) - sqrt(n_i)) /
    alpha; z_i += g_i - sigma_i w_i; n_i += g_i^2. The bias (the last coordinate) has no L1 or L2 term. 'ogd': for
    contrast, online gradient descent with the same per-coordinate rates alpha / (beta + sqrt(n_i)) and no penalty
    (Adagrad-like, the weights stored, not z)."""

    def __init__(self, P, alpha, beta, l1, l2, plain=False):
        self.z, self.nn, self.w = [0.0] * P, [0.0] * P, [0.0] * P
        self.alpha, self.beta, self.l1, self.l2, self.plain, self.bias = alpha, beta, l1, l2, plain, P - 1

    def weight(self, i):
        if self.plain:
            return self.w[i]
        z = self.z[i]
        l1, l2 = (0.0, 0.0) if i == self.bias else (self.l1, self.l2)
        if abs(z) <= l1:
            return 0.0
        return -(z - math.copysign(l1, z)) / ((self.beta + math.sqrt(self.nn[i])) / self.alpha + l2)

    def learn(self, idx, val, y):
        """One example (active coordinates idx with values val, label y); returns its log loss before the update."""
        ws = [self.weight(i) for i in idx]
        s = sum(wi * v for wi, v in zip(ws, val))
        p = 1.0 / (1.0 + math.exp(-s)) if s > -700 else 0.0
        loss = -math.log(max(p, 1e-15)) if y > 0.5 else -math.log(max(1.0 - p, 1e-15))
        for i, wi, v in zip(idx, ws, val):
            gi = (p - y) * v
            ni = self.nn[i]
            if self.plain:
                self.nn[i] = ni + gi * gi
                self.w[i] = wi - self.alpha * gi / (self.beta + math.sqrt(self.nn[i]))
                continue
            sig = (math.sqrt(ni + gi * gi) - math.sqrt(ni)) / self.alpha
            self.z[i] += gi - sig * wi
            self.nn[i] = ni + gi * gi
        return loss

    def weights(self):
        return torch.tensor([self.weight(i) for i in range(len(self.z))], dtype=F64)


def ftrl_data(g, c):
    """(idx, val, X, y, Xt, pt, P): the training examples as lists of active coordinates and their values (for the
    per-coordinate learner), the training and test design matrices, the training labels, the test targets, the
    number of coordinates (the bias last). 'ctr': ctr_data (hashed buckets, where two fields of an impression share a
    bucket its value 2; numeric features times s; a bias), n training impressions (a share 'flip' of their clicks
    flipped; never in a 'stream'), 2,000 fresh test impressions whose targets are their true click probabilities.
    'digits': scikit-learn's digits as sparse binary features (a pixel active where its ink is 8 of 16 or more; about
    20 of 64 a digit), odd against even, n training images (a share 'flip' of the labels flipped), the other images'
    clean labels the test targets."""
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        Xr, Yr = load_digits(return_X_y=True)
        Xr, Yr = (torch.tensor(Xr) >= 8).double(), (torch.tensor(Yr) % 2).double()
        perm = torch.randperm(len(Xr), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = torch.cat([Xr[tr], torch.ones(len(tr), 1, dtype=F64)], 1)
        Xt = torch.cat([Xr[te], torch.ones(len(te), 1, dtype=F64)], 1)
        y = flips(g, Yr[tr], c.get("flip"))
        idx = [torch.nonzero(r).flatten().tolist() for r in X]
        return idx, [[1.0] * len(i) for i in idx], X, y, Xt, Yr[te], X.shape[1]
    c = dict(c, _tables=ctr_tables(g, c))
    D, k = c["D"], c["k"]
    P = D + k + 1
    rows, dense, y, _ = ctr_data(g, c, c["n"])
    if c.get("mode") != "stream":
        y = flips(g, y, c.get("flip"))
    rows_t, dense_t, _, pt = ctr_data(g, c, 2000)
    X, Xt = design(rows, dense, D), design(rows_t, dense_t, D)
    idx, val = [], []
    for r, d in zip(rows.tolist(), dense.tolist()):
        counts = {}
        for b in r:
            counts[b] = counts.get(b, 0.0) + 1.0
        idx.append(list(counts) + list(range(D, P)))
        val.append(list(counts.values()) + d + [1.0])
    return idx, val, X, y, Xt, pt, P


def ftrl_proximal(w, run_id, c):
    """Logistic regression on hashed categorical and small-scale numeric features of click-like impressions, or on the
    digits' binary pixels (ftrl_data), learned online by FTRL-Proximal (opt 'ftrl': alpha, beta, l1, l2) or
    per-coordinate online gradient descent (opt 'ogd'), from zero, one example at a time. mode 'passes': n training
    examples in a fixed stream order (reshuffled every pass where shuffle is set), one epoch a pass. 'stream': one pass
    over a stream of n fresh impressions, one epoch every `block` impressions. Train loss: the training examples' log
    loss under the current weights (for 'stream', the progressive validation loss: each impression's log loss before
    it is learned, averaged over the block); test loss: the expected log loss of 2,000 fresh impressions, the
    cross-entropy against their true click probabilities (the digits: the held-out images' clean labels); error rates
    too (the test impressions' against their more likely outcome)."""
    g = torch.Generator().manual_seed(463_000 + c["seed"])
    idx, val, X, y, Xt, pt, P = ftrl_data(g, c)
    stream = c.get("mode") == "stream"
    yl = y.tolist()
    n = len(yl)
    opt = FTRLProximal(P, c["alpha"], c["beta"], c.get("l1") or 0.0, c.get("l2") or 0.0, plain=c["opt"] == "ogd")
    ctr = c["data"] == "ctr"
    run = w.run(run_id, P, n,
                {"family": "hashed-logistic", "buckets": c["D"], "numeric": c["k"], "fields": len(c["card"])}
                if ctr else {"family": "binary-pixel-logistic", "features": P - 1},
                settings(c, ("seed", "data", "mode", "n", "card", "D", "k", "s", "tau", "S", "b0", "flip", "opt",
                             "alpha", "beta", "l1", "l2", "shuffle", "block", "eval"))
                | {"optimizer": c["opt"], "loss": "ce", "test_loss": "expected-ce" if ctr else "heldout-ce",
                   "features_per_example": "%.3g" % ((P - 1) / n)},
                output_dim=2)
    pts = eval_epochs(c["eval"], c["epochs"], c["seed"])
    e, pos, pv = 0, 0, []
    for p_ in pts:
        while e < p_:
            if stream:
                pv = [opt.learn(idx[i], val[i], yl[i]) for i in range(pos, pos + c["block"])]
                pos += c["block"]
            else:
                order = torch.randperm(n, generator=g).tolist() if c.get("shuffle") else range(n)
                for i in order:
                    opt.learn(idx[i], val[i], yl[i])
            e += 1
        wv = opt.weights()
        q, qt = torch.sigmoid(X @ wv), torch.sigmoid(Xt @ wv)
        tr = torch.tensor(sum(pv) / len(pv)) if stream and pv else xent(q, y)
        run.log(e, tr, xent(qt, pt), binary_errors(q, y), binary_errors(qt, pt), final=e == pts[-1])

def runs_ftrl_proximal():
    # The logic: FTRL-Proximal's per-coordinate rate alpha / (beta + sqrt(n_i)) is a fixed step alpha / beta while a
    # coordinate's accumulated squared gradient n_i is below beta^2, and adaptive (scale-free) after; so numeric
    # features at a small scale s, whose gradients are s times smaller, stay slow while beta dominates, and beta sets
    # how long; L1 holds a weight at zero until its accumulated gradient passes l1. The impressions: five categorical
    # fields of 4 to 1,024 Zipf-distributed categories (the large ones mostly seen once: what the hashed model can
    # memorise), hashed into 120 buckets (0.3 per training impression: with five active per impression, near where the
    # buckets can fit the clicks), and 10 numeric features at scale 0.03 that carry the strongest part of the logit
    # (power 16, against category effects of std 1), Bernoulli clicks (a logit intercept of -1). The base: 400
    # impressions in a fixed order, 600 passes at alpha 5, beta 30 (every coordinate in the fixed-step regime for the
    # first hundreds of passes). The grid moves one thing at a time: beta (1, adaptive from the start, where the scale
    # no longer slows the numeric features; 100 at alpha 15), alpha (2, 10), L1 (2, 10), L2 (10), reshuffled passes,
    # the buckets (80, 200), small fields only (4-64 categories, each seen often), no numeric part, the scale 0.1, 10%
    # flipped clicks, per-coordinate online gradient descent, one pass over a stream of 6,000 fresh impressions (with
    # and without L1), 800 impressions in 240 buckets, and the digits' binary pixels (odd against even, 150 images).
    base = dict(data="ctr", mode="passes", n=400, card=(4, 16, 64, 256, 1024), D=120, k=10, s=0.03, tau=1.0, S=16.0,
                b0=-1.0, flip=None, opt="ftrl", alpha=5.0, beta=30.0, l1=None, l2=None, shuffle=None, block=None,
                epochs=600, eval="log:35")
    stream = dict(mode="stream", n=6000, block=20, epochs=300)
    ctr_off = dict(card=None, D=None, k=None, s=None, tau=None, S=None, b0=None)
    return ftrl_proximal, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(beta=1.0, alpha=0.5, eval="every:4"),
        dict(beta=100.0, alpha=15.0, eval="jitter:35"),
        dict(alpha=2.0, eval="every:5"),
        dict(alpha=10.0, eval="mixed:30:6"),
        dict(l1=2.0, eval="geom:5"),
        dict(l1=10.0, eval="every:4"),
        dict(l2=10.0, eval="log:35"),
        dict(shuffle=True, eval="every:5"),
        dict(D=80, eval="mixlog:20:30"),
        dict(D=200, eval="every:6"),
        dict(card=(4, 8, 16, 32, 64), eval="rand:120"),
        dict(S=0.0, eval="every:4"),
        dict(s=0.1, eval="geom:4"),
        dict(flip=0.1, eval="every:5"),
        dict(opt="ogd", eval="burst:40:4"),
        dict(stream, eval="every"),
        dict(stream, l1=10.0, eval="every:2"),
        dict(n=800, D=240, eval="jitter:30"),
        dict(ctr_off, data="digits", n=150, flip=0.1, alpha=0.5, beta=1.0, epochs=300, eval="every:2"),
    ], lambda d: "%s-%s-n%d%s%s-%s-a%g-b%g%s%s%s" % (
        d["data"], d["mode"], d["n"], "-D%d-maxcard%d-s%g-S%g" % (d["D"], d["card"][-1], d["s"], d["S"])
        if d["data"] == "ctr" else "", "-flip%g" % d["flip"] if d.get("flip") else "", d["opt"], d["alpha"],
        d["beta"], "-l1_%g" % d["l1"] if d.get("l1") else "", "-l2_%g" % d["l2"] if d.get("l2") else "",
        "-shuffle" if d.get("shuffle") else ""))


FAMILIES = {"svrg-logistic": runs_svrg_logistic, "adagrad-bow": runs_adagrad_bow,
            "ftrl-proximal": runs_ftrl_proximal}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
