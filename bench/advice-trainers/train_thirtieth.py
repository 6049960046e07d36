#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, thirtieth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained or looked at, revised at most once (README.md says where and why), and the runs were
sorted by census.py alone), and made to differ from the ninety-five families of train.py ... train_twentyninth.py in
model, loss, optimizer, noise and data: word embeddings trained by skip-gram with negative sampling (word2vec's SGNS)
on a synthetic corpus of clustered words with a weak partner-word bigram, some training tokens replaced by random
words, judged by the SGNS loss of held-out (centre, context) pairs against fixed negatives; a softmax classifier
(linear or a ReLU network) trained on the multiclass Brier score with flipped labels, on two-scale Gaussian inputs and
scikit-learn's digits and wine, judged by the Brier score on clean test labels; and a hypernetwork, a ReLU network
mapping a task's descriptor to the weights of that task's linear regression, trained on many small noisy tasks whose
inputs have fast and slow features, judged by the squared error against the clean targets of fresh inputs of the
training tasks (or of new tasks). The file format, determinism and helpers are the earlier files': Writer and the
command line from train.py, epochs_of, settings and lr_factor from train_more.py, dict_runs from train_seventh.py and
batches from train_twentyfirst.py; one thread, every random draw from a seeded torch.Generator, synthetic event
times, 6 significant digits.

    /usr/bin/python3 train_thirtieth.py --family sgns-embed [--list] [--runs 0,3] [--out FILE]

Families (see README.md): sgns-embed, brier-flip, hyper-task. Evaluation spacings: train.py's 'every', 'every:K',
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
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches  # noqa: E402
from train_twentyeighth import set_lr  # noqa: E402

torch.set_num_threads(1)


def make_opt(params, c):
    """SGD (momentum c['mom'], coupled L2 c['wd']; also full-batch gradient descent), Adam or Adagrad."""
    wd = c.get("wd") or 0.0
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=wd)
    if c["opt"] == "adagrad":
        return torch.optim.Adagrad(params, lr=c["lr"], weight_decay=wd)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=wd)


# ---------------------------------------------------------------------------------------------------- sgns-embed


def corpus(g, c, m, noise):
    """m tokens of a synthetic language over V words in C clusters of V / C words (word i in cluster i mod C), drawn
    from g: a sticky chain over the clusters (the next token's cluster the same with probability 0.6, else uniform),
    the word within a cluster Zipfian (weight 1 / rank); with probability c['q'] the next token is instead the
    previous word's partner (a fixed random permutation of the words, the weak, fine structure). A share 'noise' of
    the tokens is then replaced by uniform random words."""
    V, C = c["V"], c["C"]
    per = V // C
    zipf = torch.tensor([1.0 / (r + 1) for r in range(per)])
    zipf = (zipf / zipf.sum()).cumsum(0)
    partner = c["partner"]
    u = torch.rand(m, 4, generator=g).tolist()
    jump = torch.randint(0, C, (m,), generator=g).tolist()
    zl = zipf.tolist()
    toks, k, prev = [], 0, None
    for i in range(m):
        if prev is not None and u[i][0] < c["q"]:
            w = partner[prev]
        else:
            if prev is None or u[i][1] >= 0.6:
                k = jump[i]
            r = 0
            while r < per - 1 and u[i][2] > zl[r]:
                r += 1
            w = k + C * r
        k = w % C
        toks.append(w)
        prev = w
    t = torch.tensor(toks)
    if noise:
        bad = torch.rand(m, generator=g) < noise
        t[bad] = torch.randint(0, V, (int(bad.sum()),), generator=g)
    return t


def pairs_of(t, win):
    """(centre, context) pairs within win tokens either side."""
    cs, os_ = [], []
    for j in range(1, win + 1):
        cs += [t[:-j], t[j:]]
        os_ += [t[j:], t[:-j]]
    return torch.cat(cs), torch.cat(os_)


def sgns_grads(U, W, x, y, neg):
    """Sets U.grad and W.grad to the gradients of the mean SGNS loss of the pairs (x, y) with negatives neg (by hand,
    scattered with index_add_, which is several times faster than autograd on these small steps)."""
    with torch.no_grad():
        u, wp, wn = U[x], W[y], W[neg]
        m = len(x)
        gp = -torch.sigmoid(-(u * wp).sum(1)) / m
        gn = torch.sigmoid(torch.einsum("nd,nkd->nk", u, wn)) / m
        gu = gp.unsqueeze(1) * wp + torch.einsum("nk,nkd->nd", gn, wn)
        U.grad = torch.zeros_like(U).index_add_(0, x, gu)
        W.grad = torch.zeros_like(W).index_add_(0, y, gp.unsqueeze(1) * u).index_add_(
            0, neg.reshape(-1), (gn.unsqueeze(2) * u.unsqueeze(1)).reshape(-1, u.shape[1]))


def sgns_embed(w, run_id, c):
    """Skip-gram with negative sampling (Mikolov et al. 2013), float32: input embeddings U and output embeddings W
    (V x d), both from c['init'] / sqrt(d) times standard normals (or W zero, word2vec's start, where c['w0']). Loss
    per (centre a, context b) pair with k negatives n_1..n_k drawn from the training unigram distribution to the power
    0.75: softplus(-U_a . W_b) + sum_j softplus(U_a . W_nj), averaged over the pairs. Training: every epoch a seeded
    permutation of the training pairs in minibatches of c['batch'] (the whole set where None), fresh negatives per
    minibatch (drawn for the whole epoch at once), under SGD (momentum, coupled L2), Adam or Adagrad (gradients by
    hand, sgns_grads), the step constant or cosine-decayed. Train loss: the
    same loss on the training pairs against negatives drawn once; test loss: on the pairs of a fresh 20,000-token
    corpus (clean, window the same) against negatives drawn once. Error: the share of pairs whose context scores no
    higher than the best of its negatives. Data: corpus (n training tokens, c['noise'] of them replaced). Grid
    (runs_sgns_embed; 20 settings, 1-2 seeds, 21 runs): the base, 120 words in 8 clusters, q 0.3, 3,000 tokens, 15%
    noise, window 2, 5 negatives, d 32, init 0.1, SGD at 2 in minibatches of 256, 300 epochs (2 seeds); one setting at
    a time 1,500 or 12,000 tokens (600 and 100 epochs), no noise or 40%, d 8 or 128, init 1, W zero, q 0 (no partner
    structure), window 5, 1 negative, Adam at 0.003, Adagrad at 0.1, momentum 0.9 at 0.2, full-batch gradient descent
    at 20 (3,000 epochs), minibatches of 32 at 0.5 (60 epochs), L2 1e-4, a cosine decay, 400 words in 20 clusters."""
    g = torch.Generator().manual_seed(110_000 + c["seed"])
    V, d, k = c["V"], c["d"], c["neg"]
    c = dict(c, partner=torch.randperm(V, generator=g).tolist())
    tr = corpus(g, c, c["n"], c.get("noise"))
    te = corpus(g, c, 20000, None)
    a, b = pairs_of(tr, c["win"])
    at, bt = pairs_of(te, c["win"])
    counts = torch.bincount(tr, minlength=V).float() + 1.0
    pn = counts ** 0.75
    pn = pn / pn.sum()
    na = torch.multinomial(pn, len(a) * k, replacement=True, generator=g).view(-1, k)
    nt = torch.multinomial(pn, len(at) * k, replacement=True, generator=g).view(-1, k)
    U = (c["init"] / math.sqrt(d) * torch.randn(V, d, generator=g)).requires_grad_()
    W = (torch.zeros(V, d) if c.get("w0") else c["init"] / math.sqrt(d) * torch.randn(V, d, generator=g))
    W.requires_grad_()
    opt = make_opt([U, W], c)

    def losses(x, y, neg):
        u = U[x]
        pos = (u * W[y]).sum(1)
        ng = torch.einsum("nd,nkd->nk", u, W[neg])
        return (torch.nn.functional.softplus(-pos) + torch.nn.functional.softplus(ng).sum(1)).mean(), \
            (pos <= ng.max(1).values).float().mean()

    run = w.run(run_id, 2 * V * d, len(a), {"family": "skipgram-negsampling", "vocab": V, "dim": d},
                settings(c, ("seed", "V", "C", "q", "n", "noise", "win", "neg", "d", "init", "w0", "opt", "lr", "mom",
                             "wd", "batch", "sched", "eval"))
                | {"optimizer": c["opt"], "test_loss": "heldout-sgns"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            set_lr(opt, c["lr"] * lr_factor(c, e, c["epochs"]))
            nep = torch.multinomial(pn, len(a) * k, replacement=True, generator=g).view(-1, k)
            for idx in batches(g, len(a), c.get("batch")):
                xb, yb, neg = (a, b, nep) if idx is None else (a[idx], b[idx], nep[idx])
                sgns_grads(U, W, xb, yb, neg)
                opt.step()
            e += 1
        with torch.no_grad():
            lt, et = losses(a, b, na)
            ls, es = losses(at, bt, nt)
            run.log(e, lt, ls, et, es, final=e == pts[-1])


def runs_sgns_embed():
    base = dict(V=120, C=8, q=0.3, n=3000, noise=0.15, win=2, neg=5, d=32, init=0.1, w0=None, opt="sgd", lr=2.0,
                mom=None, wd=None, batch=256, sched="const", epochs=300, eval="log:35")
    return sgns_embed, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=1500, epochs=600, eval="every:4"),
        dict(n=12000, epochs=100, eval="every"),
        dict(noise=None, eval="jitter:35"),
        dict(noise=0.4, eval="every:2"),
        dict(d=8, eval="log:40"),
        dict(d=128, eval="every:3"),
        dict(init=1.0, eval="rand:150"),
        dict(w0=True, eval="log:35"),
        dict(q=0.0, eval="every:2"),
        dict(win=5, eval="jitter:30"),
        dict(neg=1, eval="log:35"),
        dict(opt="adam", lr=0.003, eval="every:3"),
        dict(opt="adagrad", lr=0.1, eval="log:30"),
        dict(mom=0.9, lr=0.2, eval="jitter:35"),
        dict(batch=None, lr=20.0, epochs=3000, eval="every:15"),
        dict(batch=32, lr=0.5, epochs=60, eval="every"),
        dict(wd=1e-4, eval="every:2"),
        dict(sched="cosine", eval="log:35"),
        dict(V=400, C=20, eval="every:3"),
    ], lambda d: "V%d-C%d-q%g-n%d%s-win%d-neg%d-d%d-init%g%s-%s%g%s%s-%s-%s" % (
        d["V"], d["C"], d["q"], d["n"], "-noise%g" % d["noise"] if d.get("noise") else "", d["win"], d["neg"],
        d["d"], d["init"], "-w0" if d.get("w0") else "", d["opt"], d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "",
        "-wd%g" % d["wd"] if d.get("wd") else "", "b%d" % d["batch"] if d.get("batch") else "fullbatch", d["sched"]))


# ---------------------------------------------------------------------------------------------------- brier-flip


def brier_data(g, c):
    """(x, y, xt, yt, K): training inputs and (partly flipped) labels, 2,000 clean test points, the class count.
    'synth': df features of scale 1 and ds of scale s (two_scale_inputs), the clean label the argmax over K classes of
    x_f A_f sqrt(F / df) + x_s A_s sqrt(S / ds) / s (A standard normals), so the slow features carry a share S / (F + S)
    of the signal at a small scale; 'digits' (pixels / 16, centred on the training images; n for training and the
    rest, 1,797 - n, for testing) and 'wine' (13 columns standardised on n training rows; the rest for testing). A share
    c['flip'] of the training labels moved to a uniformly drawn other class (the test labels clean)."""
    if c["data"] == "synth":
        df, ds, s, K = c["df"], c["ds"], c["s"], c["K"]
        A = torch.cat([torch.randn(df, K, generator=g) * math.sqrt(c["F"] / df),
                       torch.randn(ds, K, generator=g) * math.sqrt(c["S"] / max(ds, 1)) / s])
        x = train.two_scale_inputs(g, c["n"], df, ds, s)
        xt = train.two_scale_inputs(g, 2000, df, ds, s)
        y, yt = (x @ A).argmax(1), (xt @ A).argmax(1)
    else:
        from sklearn import datasets
        ds_ = datasets.load_digits() if c["data"] == "digits" else datasets.load_wine()
        X, Y = torch.tensor(ds_.data, dtype=torch.float64), torch.tensor(ds_.target)
        K = int(Y.max()) + 1
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        if c["data"] == "digits":
            X = X / 16.0
            X = X - X[tr].mean(0)
        else:
            X = (X - X[tr].mean(0)) / X[tr].std(0)
        x, y, xt, yt = X[tr], Y[tr], X[te], Y[te]
    if c.get("flip"):
        f = torch.rand(len(y), generator=g) < c["flip"]
        y = torch.where(f, (y + torch.randint(1, K, (len(y),), generator=g)) % K, y)
    return x, y, xt, yt, K


def brier_flip(w, run_id, c):
    """A softmax classifier trained on the multiclass Brier score (Brier 1950), float64: the mean over points of
    sum_k (p_k - [k = y])^2, p the softmax of a linear map (h None; weights from 1 / sqrt(inputs) times standard
    normals times c['init'], bias zero) or of a two-layer ReLU network of width h (first layer from 1 / sqrt(inputs),
    second from c['init'] / sqrt(h) times standard normals). The Brier score's gradient vanishes where a softmax is
    confidently wrong, so flipped labels are fitted slowly (a bounded, noise-tolerant loss); one run trains on the
    cross-entropy instead (c['loss'] 'ce') for contrast, judged by the Brier score all the same. Full-batch gradient
    descent (batch None), minibatch SGD (momentum, coupled L2), or Adam; constant or cosine. Train loss: the Brier score
    on the (flipped) training labels; test loss: the Brier score on the clean test labels; error rates too. Data:
    brier_data. Grid (runs_brier_flip, revised once: the first grid, 100 features at n 200 with the slow ones 80 of
    scale 0.2 carrying half the signal, had no winning run, every run rising from its first minimum for good;
    21 settings, 1-2 seeds, 22 runs): the base, 3 classes, 60 fast features and 10 slow ones at s 0.1, F 1, S 3 (the
    slow part most of the signal, the fast features nearly as many as the points, which fit the flips first), 80
    points, 20% flipped, linear, init 1, gradient descent at 2 for 6,000 epochs (2 seeds); one setting at a time 50 or
    150 points, no flips or 40%, s 0.05 or 0.3, no slow part (S 0), 2 or 6 classes, a ReLU network of width 64 or 512
    (step 1), init 5 (sharp softmaxes from the start), Adam at 0.01, momentum 0.9 at 0.2, minibatches of 10 at 0.5 (800
    epochs), L2 0.001, a cosine decay, the cross-entropy, digits (300 images, linear) and wine (60 rows, width 64)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(111_000 + c["seed"])
    x, y, xt, yt, K = brier_data(g, c)
    dim, h = x.shape[1], c.get("h")
    if h:
        params = [torch.randn(dim, h, generator=g) / math.sqrt(dim), torch.zeros(h),
                  c["init"] * torch.randn(h, K, generator=g) / math.sqrt(h), torch.zeros(K)]
    else:
        params = [c["init"] * torch.randn(dim, K, generator=g) / math.sqrt(dim), torch.zeros(K)]
    for q in params:
        q.requires_grad_()
    opt = make_opt(params, c)
    Y, Yt = torch.nn.functional.one_hot(y, K).double(), torch.nn.functional.one_hot(yt, K).double()

    def forward(z):
        if h:
            z = torch.relu(z @ params[0] + params[1])
        return z @ params[-2] + params[-1]

    def brier(f, t):
        return ((torch.softmax(f, 1) - t) ** 2).sum(1).mean()

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "softmax-brier", "inputs": dim, "classes": K, "width": h or 0},
                settings(c, ("seed", "data", "K", "df", "ds", "s", "F", "S", "n", "flip", "h", "init", "loss", "opt",
                             "lr", "mom", "wd", "batch", "sched", "eval"))
                | {"optimizer": c["opt"], "test_loss": "clean-brier"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            set_lr(opt, c["lr"] * lr_factor(c, e, c["epochs"]))
            for idx in batches(g, len(x), c.get("batch")):
                xb, yb, Yb = (x, y, Y) if idx is None else (x[idx], y[idx], Y[idx])
                opt.zero_grad()
                f = forward(xb)
                (torch.nn.functional.cross_entropy(f, yb) if c["loss"] == "ce" else brier(f, Yb)).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            f, ft = forward(x), forward(xt)
            run.log(e, brier(f, Y), brier(ft, Yt), (f.argmax(1) != y).double().mean(),
                    (ft.argmax(1) != yt).double().mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_brier_flip():
    # Revised once (the first grid had no winning run): base K 5, df 20, ds 80, s 0.2, F 1, S 1, n 200, 3,000 epochs,
    # and one setting at a time n 100 or 600, s 0.1 (6,000 epochs) or 0.5, K 2 or 10, minibatches of 20 (600 epochs).
    base = dict(data="synth", K=3, df=60, ds=10, s=0.1, F=1.0, S=3.0, n=80, flip=0.2, h=None, init=1.0, loss="brier",
                opt="sgd", lr=2.0, mom=None, wd=None, batch=None, sched="const", epochs=6000, eval="log:35")
    real = dict(K=None, df=None, ds=None, s=None, F=None, S=None, epochs=3000)
    return brier_flip, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=50, eval="every:5"),
        dict(n=150, eval="jitter:35"),
        dict(flip=None, eval="log:40"),
        dict(flip=0.4, eval="every:6"),
        dict(s=0.05, eval="log:35"),
        dict(s=0.3, eval="rand:300"),
        dict(S=0.0, eval="every:5"),
        dict(K=2, eval="jitter:30"),
        dict(K=6, eval="every:6"),
        dict(h=64, lr=1.0, eval="log:35"),
        dict(h=512, lr=1.0, eval="every:8"),
        dict(init=5.0, eval="jitter:35"),
        dict(opt="adam", lr=0.01, eval="log:30"),
        dict(mom=0.9, lr=0.2, eval="every:5"),
        dict(batch=10, lr=0.5, epochs=800, eval="every"),
        dict(wd=0.001, eval="log:35"),
        dict(sched="cosine", eval="every:4"),
        dict(loss="ce", lr=0.5, eval="jitter:35"),
        dict(real, data="digits", n=300, eval="log:35"),
        dict(real, data="wine", n=60, h=64, lr=1.0, eval="every:5"),
    ], lambda d: "%s%s-n%d%s%s-init%g-%s-%s%g%s%s-%s-%s" % (
        d["data"], "-K%d-df%d-ds%d-s%g-F%g-S%g" % (d["K"], d["df"], d["ds"], d["s"], d["F"], d["S"])
        if d["data"] == "synth" else "", d["n"], "-flip%g" % d["flip"] if d.get("flip") else "",
        "-h%d" % d["h"] if d.get("h") else "-linear", d["init"], d["loss"], d["opt"], d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else "", "-wd%g" % d["wd"] if d.get("wd") else "",
        "b%d" % d["batch"] if d.get("batch") else "fullbatch", d["sched"]))


# ---------------------------------------------------------------------------------------------------- hyper-task


def hyper_task(w, run_id, c):
    """A hypernetwork (Ha et al. 2017) for many small regression tasks, float64. Task t has a descriptor z_t (dz
    standard normals) and true weights v_t = B2 tanh(B1 z_t) (B1 8 x dz from 1 / sqrt(dz) times standard normals, B2 p
    x 8 from 1 / sqrt(8); 'linear' target: v_t = B z_t) over p = df + ds inputs of which df have scale 1 and ds scale s
    (two_scale_inputs), each block of v_t rescaled so the fast part has power F and the slow part S (the slow weights
    times 1 / s), and y = x . v_t + noise standard normals; m training points per task for T tasks (each task alone
    underdetermined where m < p). The descriptors seen by the model are z_t plus c['znoise'] standard normals. The
    hypernetwork maps the seen descriptor to the weights: u(z) = W2^T relu(W1^T z + b1) + b2 (width H; W1 from 1 /
    sqrt(dz), W2 from c['init'] / sqrt(H) times standard normals, biases zero), the prediction x . u(z_t). Loss: the
    mean squared error / 2 over all training points; full-batch gradient descent (batch None), minibatch SGD over
    tasks (every minibatch all points of c['batch'] tasks; momentum, coupled L2) or Adam, constant or cosine. Train
    loss: the loss on the training points; test loss: the squared error / 2 against the clean targets x . v_t of 50
    fresh inputs of every training task, or (c['test'] 'new') of 50 fresh inputs of each of 40 new tasks. Grid
    (runs_hyper_task; 21 settings, 1-2 seeds, 22 runs): the base, T 40, m 6, dz 6, 10 fast and 30 slow inputs at s 0.15,
    F 1, S 1, noise 0.5, H 64, init 0.3, gradient descent at 0.2 for 4,000 epochs (2 seeds); one setting at a time T 15
    or 150, m 3 or 20, no noise or 1.5, s 0.05 (8,000 epochs) or 0.4, no slow part (S 0), H 16 or 512, init 1, a linear
    target, descriptor noise 0.5, new tasks, Adam at 0.001, momentum 0.9 at 0.02, minibatches of 4 tasks at 0.1 (800
    epochs), L2 0.001, a cosine decay."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(112_000 + c["seed"])
    T, m, dz, df, ds, s, H = c["T"], c["m"], c["dz"], c["df"], c["ds"], c["s"], c["H"]
    p = df + ds
    if c.get("linear"):
        B = torch.randn(p, dz, generator=g) / math.sqrt(dz)
        vmap = (lambda z: z @ B.T)
    else:
        B1 = torch.randn(8, dz, generator=g) / math.sqrt(dz)
        B2 = torch.randn(p, 8, generator=g) / math.sqrt(8)
        vmap = (lambda z: torch.tanh(z @ B1.T) @ B2.T)

    def weights(z):
        v = vmap(z)
        vf, vs = v[:, :df], v[:, df:]
        vf = vf / vf.norm(dim=1, keepdim=True).mean() * math.sqrt(c["F"])
        vs = vs / vs.norm(dim=1, keepdim=True).mean() * math.sqrt(c["S"]) / s
        return torch.cat([vf, vs], 1)

    def tasks(nt, mt, noisy):
        z = torch.randn(nt, dz, generator=g)
        v = weights(z)
        x = train.two_scale_inputs(g, nt * mt, df, ds, s).view(nt, mt, p)
        y = torch.einsum("tmp,tp->tm", x, v)
        if noisy:
            y = y + c["noise"] * torch.randn(nt, mt, generator=g)
        zs = z + c["znoise"] * torch.randn(nt, dz, generator=g) if c.get("znoise") else z
        return zs, x, y, v

    z, x, y, v = tasks(T, m, bool(c.get("noise")))
    if c["test"] == "new":
        zt, xt, yt, _ = tasks(40, 50, False)
    else:
        zt = z
        xt = train.two_scale_inputs(g, T * 50, df, ds, s).view(T, 50, p)
        yt = torch.einsum("tmp,tp->tm", xt, v)
    params = [torch.randn(dz, H, generator=g) / math.sqrt(dz), torch.zeros(H),
              c["init"] * torch.randn(H, p, generator=g) / math.sqrt(H), torch.zeros(p)]
    for q in params:
        q.requires_grad_()
    W1, b1, W2, b2 = params
    opt = make_opt(params, c)

    def predict(zz, xx):
        u = torch.relu(zz @ W1 + b1) @ W2 + b2
        return torch.einsum("tmp,tp->tm", xx, u)

    def mse(f, t):
        return 0.5 * ((f - t) ** 2).mean()

    run = w.run(run_id, sum(q.numel() for q in params), T * m,
                {"family": "hypernetwork-linear-tasks", "tasks": T, "inputs": p, "width": H},
                settings(c, ("seed", "T", "m", "dz", "df", "ds", "s", "F", "S", "noise", "linear", "znoise", "H",
                             "init", "test", "opt", "lr", "mom", "wd", "batch", "sched", "eval"))
                | {"optimizer": c["opt"], "test_loss": "clean-mse-" + c["test"] + "-tasks"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p_ in pts:
        while e < p_:
            set_lr(opt, c["lr"] * lr_factor(c, e, c["epochs"]))
            for idx in batches(g, T, c.get("batch")):
                zb, xb, yb = (z, x, y) if idx is None else (z[idx], x[idx], y[idx])
                opt.zero_grad()
                mse(predict(zb, xb), yb).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, mse(predict(z, x), y), mse(predict(zt, xt), yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_hyper_task():
    base = dict(T=40, m=6, dz=6, df=10, ds=30, s=0.15, F=1.0, S=1.0, noise=0.5, linear=None, znoise=None, H=64,
                init=0.3, test="seen", opt="sgd", lr=0.2, mom=None, wd=None, batch=None, sched="const", epochs=4000,
                eval="log:35")
    return hyper_task, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(T=15, eval="every:5"),
        dict(T=150, eval="jitter:35"),
        dict(m=3, eval="log:40"),
        dict(m=20, eval="every:6"),
        dict(noise=None, eval="log:35"),
        dict(noise=1.5, eval="every:5"),
        dict(s=0.05, epochs=8000, eval="jitter:30"),
        dict(s=0.4, eval="rand:300"),
        dict(S=0.0, eval="every:8"),
        dict(H=16, eval="log:35"),
        dict(H=512, eval="every:5"),
        dict(init=1.0, eval="jitter:35"),
        dict(linear=True, eval="log:30"),
        dict(znoise=0.5, eval="every:4"),
        dict(test="new", eval="log:35"),
        dict(opt="adam", lr=0.001, eval="every:5"),
        dict(mom=0.9, lr=0.02, eval="jitter:35"),
        dict(batch=4, lr=0.1, epochs=800, eval="every"),
        dict(wd=0.001, eval="log:35"),
        dict(sched="cosine", eval="every:6"),
    ], lambda d: "T%d-m%d-dz%d-df%d-ds%d-s%g-F%g-S%g%s%s%s-H%d-init%g-%s-%s%g%s%s-%s-%s" % (
        d["T"], d["m"], d["dz"], d["df"], d["ds"], d["s"], d["F"], d["S"],
        "-noise%g" % d["noise"] if d.get("noise") else "", "-linear" if d.get("linear") else "",
        "-znoise%g" % d["znoise"] if d.get("znoise") else "", d["H"], d["init"], d["test"], d["opt"], d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else "", "-wd%g" % d["wd"] if d.get("wd") else "",
        "b%d" % d["batch"] if d.get("batch") else "fullbatch", d["sched"]))


FAMILIES = {"sgns-embed": runs_sgns_embed, "brier-flip": runs_brier_flip, "hyper-task": runs_hyper_task}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
