#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fifteenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, bench/src/main/java or bench/src/test,
neither docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
before any of its runs was looked at, revised at most once (README.md says why), and the runs were sorted by census.py
alone), and made to differ from the forty-seven families of train.py ... train_thirteenth.py in model, loss, optimizer,
noise, training procedure and evaluation: gradient boosting of shallow regression trees written by hand (each boosting
round one epoch: a tree of depth 1-3 grown greedily on histogram bins of the inputs, fitted to the negative gradient of
the squared, Huber or logistic loss, with shrinkage, row and column subsampling and a leaf ridge), on a synthetic
regression whose interaction part has no marginal effect (so greedy trees find it late) and on scikit-learn's diabetes
and breast cancer data with noisy targets, judged against the noiseless regression function; fine-tuning of a ReLU
network pretrained on a source task (a synthetic regression, or scikit-learn's digits 0-4), its body frozen while a new
head is trained (a linear probe) and unfrozen later at a smaller step (discriminative steps, gradual unfreezing from the
top, an L2-SP pull towards the pretrained weights), on a target task with a direction the source never needed (or the
digits 5-9) and noisy labels; and noise-robust classification losses (generalised cross-entropy, symmetric
cross-entropy, the mean absolute error on the predicted probabilities) for a softmax classifier under symmetric and
pair-flip label noise, judged by the same loss (or the cross-entropy) on clean test labels. The file format, determinism
and helpers are the earlier files': Writer, the command line and two-scale inputs from train.py, epochs_of and settings
from train_more.py, label_noise from train_fourth.py, rotation from train_sixth.py, dict_runs from train_seventh.py and
real_binary from train_thirteenth.py; one thread, every random draw from a seeded torch.Generator, synthetic event
times, 6 significant digits.

    /usr/bin/python3 train_fifteenth.py --family boost-trees [--list] [--runs 0,3] [--out FILE]

Families (see README.md): boost-trees, finetune-unfreeze, robust-gce. Evaluation spacings: train.py's 'every',
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
from train_fourth import label_noise  # noqa: E402
from train_sixth import rotation  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirteenth import real_binary  # noqa: E402

torch.set_num_threads(1)


# ---------------------------------------------------------------------------------------------------- boost-trees


def bin_edges(x, bins):
    """Per input column, bins - 1 split points at the training points' quantiles (a histogram booster's bins)."""
    qs = torch.linspace(0, 1, bins + 1, dtype=torch.float64)[1:-1]
    return torch.quantile(x, qs, dim=0).T.contiguous()  # d x (bins - 1), sorted along each row


def bin_index(x, edges):
    """The bin of every entry: the number of the column's split points strictly below it (0 .. bins - 1), so that
    'bin <= k' is 'x <= edges[k]' for training and test points alike."""
    return (x.unsqueeze(2) > edges.unsqueeze(0)).sum(2)


def grow_tree(bins_mat, grad, hess, idx, cols, c):
    """One regression tree grown greedily, level by level, on the points idx: every node with room for two leaves of
    c['leaf'] points takes the split (column in cols, bin k) that most raises G_L^2 / (H_L + lam) + G_R^2 / (H_R + lam)
    - G^2 / (H + lam) (G, H the sums of the negative gradient and of the Hessian weights; the first maximum, so ties go
    the same way every time), up to depth c['depth']; leaves hold G / (H + lam). Returns nested tuples: ('leaf',
    value) or ('split', column, k, left, right)."""
    d, B, lam = bins_mat.shape[1], c["bins"], c["lam"]
    offsets = torch.arange(d) * B
    colmask = torch.full((d, 1), -math.inf, dtype=torch.float64)
    colmask[cols] = 0.0

    def node(ix, depth):
        gs, hs = grad[ix], hess[ix]
        G, H = gs.sum(), hs.sum()
        leaf = ("leaf", (G / (H + lam)).item())
        m = len(ix)
        if depth == 0 or m < 2 * c["leaf"]:
            return leaf
        flat = (bins_mat[ix] + offsets).flatten()
        Gh = torch.bincount(flat, gs.unsqueeze(1).expand(m, d).flatten(), d * B).view(d, B)
        Hh = torch.bincount(flat, hs.unsqueeze(1).expand(m, d).flatten(), d * B).view(d, B)
        Ch = torch.bincount(flat, None, d * B).view(d, B)
        GL, HL, CL = Gh.cumsum(1)[:, :-1], Hh.cumsum(1)[:, :-1], Ch.cumsum(1)[:, :-1]
        GR, HR, CR = G - GL, H - HL, m - CL
        ok = (CL >= c["leaf"]) & (CR >= c["leaf"])
        gain = torch.where(ok, GL ** 2 / (HL + lam).clamp_min(1e-300) + GR ** 2 / (HR + lam).clamp_min(1e-300)
                           - G ** 2 / (H + lam), torch.tensor(-math.inf, dtype=torch.float64)) + colmask
        best = int(torch.argmax(gain.flatten()))
        if not gain.flatten()[best] > 1e-12:
            return leaf
        j, k = divmod(best, B - 1)
        go_left = bins_mat[ix, j] <= k
        return ("split", j, k, node(ix[go_left], depth - 1), node(ix[~go_left], depth - 1))

    return node(idx, c["depth"])


def tree_predict(tree, bins_mat):
    out = torch.zeros(bins_mat.shape[0], dtype=torch.float64)

    def walk(t, ix):
        if t[0] == "leaf":
            out[ix] = t[1]
            return
        left = bins_mat[ix, t[1]] <= t[2]
        walk(t[3], ix[left])
        walk(t[4], ix[~left])

    walk(tree, torch.arange(bins_mat.shape[0]))
    return out


def boost_trees(w, run_id, c):
    """Gradient boosting of shallow regression trees, written by hand; one boosting round is one epoch. Synthetic data
    ('synth'): d Gaussian inputs; the regression function f(x) = sqrt(F) A(x) + sqrt(S) x_0 x_1, A an additive part,
    sum_j c_j tanh(2 x_j) over inputs 2-5 (c_j standard normal), standardised on a reference sample, and x_0 x_1 a pure
    interaction (unit variance, no marginal effect in either input, so a greedy tree finds it only after a split on x_0
    or x_1 taken for another reason); targets f(x) plus label noise of std c['noise'] (Gaussian, or Student-t with
    c['dof'] degrees of freedom); n training points, 2,000 test points. Diabetes ('diabetes'): scikit-learn's 442
    patients split at random into n for training and the rest, the progression standardised on the training patients,
    with Gaussian noise of std c['noise'] added to the training targets only. Breast cancer ('cancer'):
    train_thirteenth's real_binary split, labels 0/1, a share c['flip'] of the training labels flipped, the logistic
    loss. Every input column is cut into c['bins'] bins at its training quantiles. Each round draws a share c['sub'] of
    the training points without replacement (Friedman's stochastic gradient boosting) and a share c['col'] of the
    columns, grows grow_tree on the negative gradient (squared error: the residual, Hessian weight 1; 'huber': the
    residual clipped at its 90% quantile in the subsample; logistic: y - p with Hessian weight p (1 - p), Newton leaves)
    and adds c['nu'] (the shrinkage) times the tree to the ensemble, which starts at the training targets' mean (median
    for 'huber', log odds for logistic). Float64. Train loss: the mean squared error on the (noisy) training targets
    (the logistic loss on the flipped labels); test loss: the mean squared error against the noiseless f on the
    synthetic test points, on the held-out patients' real (standardised) progression for diabetes, the logistic loss on
    clean labels for breast cancer (error rates in its events). param_count: the most leaf values the final ensemble can
    hold, rounds x 2^depth plus the constant. Grid (runs_boost_trees; 19 settings, 1-2 seeds, 21 runs): the synthetic
    base n 1,000, d 30, F 2, S 2, noise 2, depth 2, leaf 5, lam 1, nu 0.1, sub 0.8, 32 bins, 3,000 rounds; one setting
    at a time d 10 or 60, S 0.5 or 0, depth 1 or 3, nu 0.3 (1,500 rounds) or 0.03 (6,000), sub 1 or 0.5, leaf 1 with lam
    0, leaf 20, noise 1, Student-t noise (3 degrees of freedom) under the Huber loss, n 2,000, col 0.5; diabetes (n 300,
    noise 0.5, 2 seeds, 2,000 rounds) and breast cancer (n 400, 15% flipped, 1,000 rounds). Revised once (README)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(46_000 + c["seed"])
    kind = c["data"]
    logistic = kind == "cancer"
    if kind == "synth":
        d = c["d"]
        ca = torch.randn(4, generator=g)

        def additive(z):
            return torch.tanh(2 * z[:, 2:6]) @ ca

        ref = additive(torch.randn(20_000, d, generator=g))
        mu_a, sd_a = ref.mean(), ref.std()

        def draw(m):
            z = torch.randn(m, d, generator=g)
            f = math.sqrt(c["F"]) * (additive(z) - mu_a) / sd_a + math.sqrt(c["S"]) * z[:, 0] * z[:, 1]
            return z, f, f + c["noise"] * label_noise(g, m, c.get("dof") or 0)

        x, _, y = draw(c["n"])
        xt, yt, _ = draw(2000)
    elif kind == "diabetes":
        from sklearn.datasets import load_diabetes
        X, Y = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(X), torch.tensor(Y)
        perm = torch.randperm(len(Y), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        x, xt, yt = X[tr], X[te], Y[te]
        y = Y[tr] + c["noise"] * torch.randn(len(tr), generator=g)
    else:
        x, y, xt, yt = real_binary(g, kind, c["n"])
        y, yt = (y + 1) / 2, (yt + 1) / 2
        y = torch.where(torch.rand(len(y), generator=g) < c["flip"], 1 - y, y)
    n, d = x.shape
    edges = bin_edges(x, c["bins"])
    bx, bt = bin_index(x, edges), bin_index(xt, edges)
    if logistic:
        f0 = math.log(y.mean().item() / (1 - y.mean().item()))
    else:
        f0 = (y.median() if c["loss"] == "huber" else y.mean()).item()
    F, Ft = torch.full((n,), f0), torch.full((len(xt),), f0)
    rounds, depth = c["epochs"], c["depth"]
    run = w.run(run_id, rounds * 2 ** depth + 1, n,
                {"family": "gradient-boosting", "base_learner": "regression-tree", "depth": depth, "input_dim": d},
                settings(c, ("seed", "data", "n", "d", "F", "S", "noise", "dof", "flip", "loss", "depth", "leaf", "lam",
                             "nu", "sub", "col", "bins", "eval"))
                | {"optimizer": "gradient-boosting", "rounds": rounds})
    pts = epochs_of(c["eval"], rounds, c["seed"])
    m_sub, m_col = max(1, int(round(c["sub"] * n))), max(1, int(round(c["col"] * d)))

    def losses():
        if logistic:
            tr_ = (torch.nn.functional.softplus(F) - y * F).mean()
            te_ = (torch.nn.functional.softplus(Ft) - yt * Ft).mean()
            return tr_, te_, ((F > 0).double() != y).double().mean(), ((Ft > 0).double() != yt).double().mean()
        return ((F - y) ** 2).mean(), ((Ft - yt) ** 2).mean(), None, None

    e = 0
    for p in pts:
        while e < p:
            idx = torch.randperm(n, generator=g)[:m_sub] if m_sub < n else torch.arange(n)
            cols = torch.randperm(d, generator=g)[:m_col] if m_col < d else torch.arange(d)
            if logistic:
                prob = torch.sigmoid(F)
                grad, hess = y - prob, prob * (1 - prob)
            else:
                grad = y - F
                if c["loss"] == "huber":
                    delta = torch.quantile(grad[idx].abs(), 0.9)
                    grad = grad.clamp(-delta, delta)
                hess = torch.ones(n)
            tree = grow_tree(bx, grad, hess, idx, cols, c)
            F += c["nu"] * tree_predict(tree, bx)
            Ft += c["nu"] * tree_predict(tree, bt)
            e += 1
        tr_, te_, er, ert = losses()
        run.log(e, tr_, te_, er, ert, final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_boost_trees():
    base = dict(data="synth", n=1000, d=30, F=2.0, S=2.0, noise=2.0, dof=None, flip=None, loss="squared", depth=2,
                leaf=5, lam=1.0, nu=0.1, sub=0.8, col=1.0, bins=32, epochs=3000, eval="log:30")
    real = dict(d=None, F=None, S=None, epochs=2000)
    return boost_trees, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(d=10, eval="every:3"),
        dict(d=60, eval="jitter:30"),
        dict(S=0.5, eval="every:2"),
        dict(S=0.0, eval="log:35"),
        dict(depth=1, eval="every:5"),
        dict(depth=3, eval="every:4"),
        dict(nu=0.3, epochs=1500, eval="every"),
        dict(nu=0.03, epochs=6000, eval="log:40"),
        dict(sub=1.0, eval="jitter:35"),
        dict(sub=0.5, eval="rand:300"),
        dict(leaf=1, lam=0.0, eval="every:10"),
        dict(leaf=20, eval="log:30"),
        dict(noise=1.0, eval="every:3"),
        dict(dof=3, loss="huber", eval="jitter:30"),
        dict(n=2000, eval="log:35"),
        dict(col=0.5, eval="every:2"),
        dict(real, data="diabetes", n=300, noise=0.5, seeds=(1, 2), eval="log:30"),
        dict(real, data="cancer", n=400, noise=None, flip=0.15, loss="logistic", epochs=1000, eval="every:4"),
    ], lambda d: "%s-%s-depth%d-leaf%d-nu%g-sub%g-col%g-n%d%s%s" % (
        d["data"], d["loss"], d["depth"], d["leaf"], d["nu"], d["sub"], d["col"], d["n"],
        "-d%d-S%g" % (d["d"], d["S"]) if d.get("d") else "", "-noise%g" % d["noise"] if d.get("noise") else ""))


# ---------------------------------------------------------------------------------------------------- finetune-unfreeze


def finetune_unfreeze(w, run_id, c):
    """Fine-tuning of a pretrained ReLU network. Synthetic ('synth'): d Gaussian inputs and a random rotation Q; the
    source task a regression on k ReLU units along the first k columns U of Q, relu(x U) . c_src standardised, plus
    noise of std 0.1, on 2,000 source points; the target task a fast part of power F on the same units with another
    readout, relu(x U) . c_tgt standardised, plus a new part of power S along the next column u of Q (which the source
    never needed), linear or a standardised tanh(2 x . u) ('tanh'), plus label noise of std c['noise']; n training
    points, 2,000 test points, noise included. Body: depth 1 or 2 ReLU layers of width h from c['init'] times the
    1/sqrt(fan-in) scale (small, so that pretraining turns the weights towards U and leaves little elsewhere), biases
    zero; pretrained with a source head (standard normals over sqrt(h)) by full-batch heavy ball (momentum 0.9, step
    0.05, L2 weight decay 0.001, c['pre'] epochs) on the squared error. Digits ('digits'): scikit-learn's 8x8 digits
    (pixels in [0, 1]); the body of width h and a 5-way head pretrained on every image of the digits 0-4 (full-batch
    heavy ball, step 0.1, the cross-entropy, c['pre'] epochs, from the 1/sqrt(fan-in) scale); the target task the
    digits 5-9: n training images, a share c['flip'] of their labels replaced by another of the five classes, the other
    images of 5-9 (clean) the test set, the cross-entropy, error rates in the events. Fine-tuning: a new head from zero;
    the body frozen (a linear probe on its features) until epoch c['unfreeze'] (None: never; 10: full fine-tuning after
    a short warm-up of the head), then trainable at a smaller step (discriminative steps); with depth 2 and
    c['unfreeze2'], the top layer is unfrozen at c['unfreeze'] and the bottom one at c['unfreeze2'] (gradual
    unfreezing). Once unfrozen, c['sp'] / 2 times the squared distance of the body from its pretrained weights is added
    to the loss (L2-SP). Heavy ball (momentum 0.9; full batch, or minibatches of c['batch'] reshuffled every epoch) or
    Adam. Under heavy ball the head's step is c['lr'] over the largest eigenvalue of the pretrained features' Gram
    matrix (with the constant), and a body layer's step, set when it is unfrozen, c['ratio'] times c['lr'] over the
    largest eigenvalue of its own Gauss-Newton matrix J J^T / n there (J the Jacobian of the outputs on the training
    points with respect to the layer; body_curvature); under Adam the head's step is c['lr'] and the body's c['ratio']
    times it. Autograd, float64. Train loss: the loss on the noisy training targets (without the penalty); test loss:
    on the test points. param_count: every weight of the fine-tuned network, body and new head. Grid
    (runs_finetune_unfreeze; 19 settings, 1-2 seeds, 21 runs): the synthetic base n 100, d 30, k 6, F 2, S 2 (linear),
    noise 1, h 64, depth 1, init 0.1, 1,000 pretraining epochs, unfrozen at epoch 500 with ratio 0.3, heavy ball at
    lr 0.1, 3,000 epochs; one setting at a time a probe never unfrozen, unfreezing at epoch 10, 100 or 1,500, ratio 1
    or 0.03, L2-SP 0.1, S 0, the tanh new part, n 200 or 50, h 128, depth 2 unfrozen at epochs 300 and 1,000, Adam
    (lr 0.003), minibatches of 20 (lr 0.02), init 1; the digits (n 150, 20% flipped, h 64, 300 pretraining epochs,
    lr 0.5, 500 epochs) unfrozen at epoch 100 (2 seeds) or never. Revised once, for a bug (README)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(47_000 + c["seed"])
    h, depth = c["h"], c.get("depth") or 1
    classify = c["data"] == "digits"
    if classify:
        from sklearn.datasets import load_digits
        X, Y = load_digits(return_X_y=True)
        X, Y = torch.tensor(X / 16.0), torch.tensor(Y)
        src = Y < 5
        xs_, ys_ = X[src], Y[src]
        pool = torch.nonzero(~src).squeeze(1)
        pool = pool[torch.randperm(len(pool), generator=g)]
        tr, te = pool[:c["n"]], pool[c["n"]:]
        x, y, xt, yt = X[tr], Y[tr] - 5, X[te], Y[te] - 5
        flip = torch.rand(len(y), generator=g) < c["flip"]
        y = torch.where(flip, (y + torch.randint(1, 5, (len(y),), generator=g)) % 5, y)
        d, out = 64, 5
    else:
        d, k = c["d"], c["k"]
        Q = rotation(g, d)
        U, u = Q[:, :k], Q[:, k]
        c_src, c_tgt = torch.randn(k, generator=g), torch.randn(k, generator=g)
        ref = torch.relu(torch.randn(20_000, d, generator=g) @ U)
        ms, ss = (ref @ c_src).mean(), (ref @ c_src).std()
        mt, st = (ref @ c_tgt).mean(), (ref @ c_tgt).std()
        tanh_ref = torch.tanh(2 * torch.randn(20_000, generator=g))
        th_sd = tanh_ref.std()

        def new_part(z):
            return z if c["slow"] == "linear" else torch.tanh(2 * z) / th_sd

        def draw_src(m):
            z = torch.randn(m, d, generator=g)
            return z, (torch.relu(z @ U) @ c_src - ms) / ss + 0.1 * torch.randn(m, generator=g)

        def draw(m):
            z = torch.randn(m, d, generator=g)
            f = math.sqrt(c["F"]) * (torch.relu(z @ U) @ c_tgt - mt) / st + math.sqrt(c["S"]) * new_part(z @ u)
            return z, f + c["noise"] * label_noise(g, m, c.get("dof") or 0)

        xs_, ys_ = draw_src(2000)
        x, y = draw(c["n"])
        xt, yt = draw(2000)
        out = 1
    n = len(x)
    init = c["init"]
    body = []
    fan = d
    for _ in range(depth):
        body += [(torch.randn(fan, h, generator=g) * init / math.sqrt(fan)).requires_grad_(),
                 torch.zeros(h, requires_grad=True)]
        fan = h

    def features(z):
        for i in range(0, len(body), 2):
            z = torch.relu(z @ body[i] + body[i + 1])
        return z

    def loss_of(f, t):
        if classify:
            return torch.nn.functional.cross_entropy(f, t)
        return ((f.squeeze(1) - t) ** 2).mean()

    # pretraining on the source task
    hs_ = (torch.randn(h, out if classify else 1, generator=g) / math.sqrt(h)).requires_grad_()
    hs0 = torch.zeros(out if classify else 1, requires_grad=True)
    pre_opt = torch.optim.SGD(body + [hs_, hs0], lr=0.1 if classify else 0.05, momentum=0.9,
                              weight_decay=0.0 if classify else 0.001)
    for _ in range(c["pre"]):
        pre_opt.zero_grad()
        loss_of(features(xs_) @ hs_ + hs0, ys_).backward()
        pre_opt.step()
    with torch.no_grad():
        pre_loss = loss_of(features(xs_) @ hs_ + hs0, ys_).item()
    print("  pretrained: source loss %.4g" % pre_loss, file=sys.stderr)
    pre = [p.detach().clone() for p in body]

    head = torch.zeros(h, out, requires_grad=True)
    head0 = torch.zeros(out, requires_grad=True)
    with torch.no_grad():
        phi = torch.cat([features(x), torch.ones(n, 1)], 1)
        top = torch.linalg.eigvalsh(phi.T @ phi / n)[-1].item()
    lr = c["lr"] if c["opt"] == "adam" else c["lr"] / top
    groups = [{"params": [head, head0], "lr": lr}]
    layers = [[body[i], body[i + 1]] for i in range(0, len(body), 2)]
    for layer in layers:
        groups.append({"params": layer, "lr": lr * (c.get("ratio") or 0.0)})
    opt = torch.optim.Adam(groups) if c["opt"] == "adam" else torch.optim.SGD(groups, lr=lr, momentum=0.9)

    def unfrozen(e):
        """Which body layers (bottom first) train at epoch e."""
        u1, u2 = c.get("unfreeze"), c.get("unfreeze2")
        top_on = u1 is not None and e >= u1
        if depth == 1:
            return [top_on]
        bottom_on = top_on if u2 is None else e >= u2
        return [bottom_on, top_on]

    run = w.run(run_id, sum(p.numel() for p in body) + head.numel() + head0.numel(), n,
                {"family": "mlp-finetune", "width": h, "depth": depth, "input_dim": d,
                 "pretrained_on": "digits-0-4" if classify else "synthetic-source"},
                settings(c, ("seed", "data", "n", "d", "k", "F", "S", "slow", "noise", "flip", "h", "depth", "init",
                             "pre", "unfreeze", "unfreeze2", "ratio", "sp", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy" if classify else "mse"},
                output_dim=out)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    e = 0

    def predict(z):
        return features(z) @ head + head0

    def body_curvature(layer):
        """The largest eigenvalue of J J^T / n, J the Jacobian of every output on every training point with respect
        to the layer's weights and biases (its Gauss-Newton curvature for the squared error) at the current weights."""
        f = predict(x)
        rows = [torch.cat([q.flatten() for q in torch.autograd.grad(f[i, o], layer, retain_graph=True)])
                for i in range(n) for o in range(out)]
        J = torch.stack(rows)
        return torch.linalg.eigvalsh(J @ J.T / n)[-1].item()

    was_on = [False] * len(layers)
    body_top = []
    for p in pts:
        while e < p:
            on = unfrozen(e)
            for li, layer in enumerate(layers):
                if on[li] and not was_on[li]:
                    was_on[li] = True
                    if c["opt"] != "adam":
                        top_body = body_curvature(layer)
                        body_top.append(top_body)
                        opt.param_groups[1 + li]["lr"] = c["lr"] * c["ratio"] / top_body
            idx = torch.randperm(n, generator=g) if bsz < n else None
            for j in range(0, n, bsz):
                xb, yb = (x, y) if idx is None else (x[idx[j:j + bsz]], y[idx[j:j + bsz]])
                opt.zero_grad()
                loss = loss_of(predict(xb), yb)
                if c.get("sp"):
                    for li, layer in enumerate(layers):
                        if on[li]:
                            loss = loss + c["sp"] / 2 * sum(((q - q0) ** 2).sum()
                                                            for q, q0 in zip(layer, pre[2 * li:2 * li + 2]))
                loss.backward()
                for li, layer in enumerate(layers):
                    if not on[li]:
                        for q in layer:
                            q.grad = None
                opt.step()
            e += 1
        with torch.no_grad():
            f, ft = predict(x), predict(xt)
            if classify:
                run.log(e, loss_of(f, y), loss_of(ft, yt), (f.argmax(1) != y).double().mean(),
                        (ft.argmax(1) != yt).double().mean(), final=e == pts[-1])
            else:
                run.log(e, loss_of(f, y), loss_of(ft, yt), final=e == pts[-1])
    print("  body curvature at unfreezing: %s" % " ".join("%.4g" % v for v in body_top), file=sys.stderr)
    torch.set_default_dtype(torch.float32)


def runs_finetune_unfreeze():
    base = dict(data="synth", n=100, d=30, k=6, F=2.0, S=2.0, slow="linear", noise=1.0, flip=None, h=64, depth=None,
                init=0.1, pre=1000, unfreeze=500, unfreeze2=None, ratio=0.3, sp=None, opt="hb", lr=0.1, batch=None,
                epochs=3000, eval="log:30")
    digits = dict(data="digits", n=150, d=None, k=None, F=None, S=None, slow=None, noise=None, flip=0.2, init=1.0,
                  pre=300, unfreeze=100, lr=0.5, epochs=500)
    return finetune_unfreeze, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(unfreeze=None, ratio=None, eval="every:3"),
        dict(unfreeze=10, eval="jitter:30"),
        dict(unfreeze=100, eval="every:2"),
        dict(unfreeze=1500, eval="log:35"),
        dict(ratio=1.0, eval="every:4"),
        dict(ratio=0.03, eval="rand:300"),
        dict(sp=0.1, eval="jitter:35"),
        dict(S=0.0, eval="every:5"),
        dict(slow="tanh", eval="log:30"),
        dict(n=200, eval="every"),
        dict(n=50, eval="every:10"),
        dict(h=128, eval="log:40"),
        dict(depth=2, unfreeze=300, unfreeze2=1000, eval="every:3"),
        dict(opt="adam", lr=0.003, eval="jitter:30"),
        dict(batch=20, lr=0.02, eval="log:35"),
        dict(init=1.0, eval="every:2"),
        dict(digits, seeds=(1, 2), eval="log:30"),
        dict(digits, unfreeze=None, ratio=None, eval="every:2"),
    ], lambda d: "%s-%s-h%d-n%d-%s%s" % (
        d["data"], d["opt"], d["h"], d["n"],
        "probe" if d.get("unfreeze") is None else "unfreeze%d-r%g" % (d["unfreeze"], d["ratio"]),
        "-S%g-%s" % (d["S"], d["slow"]) if d.get("slow") else "-flip%g" % d["flip"]))


# ---------------------------------------------------------------------------------------------------- robust-gce


def robust_loss(f, t, c, kind=None):
    """The per-batch mean of a classification loss of logits f for labels t: 'ce' the cross-entropy, 'gce' the
    generalised cross-entropy (1 - p_t^q) / q (Zhang and Sabuncu), 'mae' the L1 distance of the predicted
    probabilities from the one-hot label, 2 (1 - p_t), 'sce' the symmetric cross-entropy alpha CE + beta RCE, RCE the
    cross-entropy of the label under the prediction with log 0 clipped to A = -4, that is -A (1 - p_t) (Wang et al.)."""
    kind = kind or c["loss"]
    logp = torch.log_softmax(f, 1).gather(1, t.unsqueeze(1)).squeeze(1)
    if kind == "ce":
        return -logp.mean()
    if kind == "gce":
        return ((1 - torch.exp(c["q"] * logp)) / c["q"]).mean()
    if kind == "mae":
        return (2 * (1 - torch.exp(logp))).mean()
    return (-c["alpha"] * logp + c["beta"] * 4.0 * (1 - torch.exp(logp))).mean()


def robust_gce(w, run_id, c):
    """A softmax classifier trained on noisy labels with a noise-robust loss (robust_loss). Data: train.py's two-scale
    Gaussian inputs, df features of scale 1 and ds of scale c['s'], turned by one random rotation (so Adam's
    per-coordinate step cannot undo the small scale); K classes, the clean label the argmax of a teacher's logits plus
    Gumbel noise (a draw from the teacher's softmax), the logits a fast part of power F over the fast features and a
    slow part of power S over the slow ones at unit scale; a share c['flip'] of the n training labels replaced, 'sym' by
    another class drawn at random, 'pair' by the next class (k -> k + 1 mod K, an asymmetric noise that the symmetric
    losses are not robust to); 2,000 test points with clean labels. Model: linear logits from zero, or a
    one-hidden-layer ReLU network of width h ('mlp'; the first layer from the 1/sqrt(d) scale, the readout from zero).
    Loss: 'gce' with q, 'mae', 'sce' with alpha and beta, or 'ce'. Full-batch heavy ball (momentum 0.9), minibatches of
    c['batch'] under heavy ball, or Adam; autograd, float64. Train loss: the training loss on the noisy labels; test
    loss: the same loss on the clean test labels (c['test'] 'ce': the cross-entropy there, whatever the training loss);
    error rates in the events. Grid (runs_robust_gce; 19 settings, 1-2 seeds, 20 runs): the base n 600, df 100, ds 20, s
    0.1, K 3, F 4, S 16, 30% symmetric flips, linear, GCE with q 0.7, heavy ball at step 0.5, 8,000 epochs; one setting
    at a time q 0.5 or 0.3, MAE, SCE (alpha 0.1 or 1, beta 1), CE, 30% pair flips, 40% pair flips under SCE, 10% flips,
    S 4, df 200, s 0.2, K 5 (n 1,000, df 150), the ReLU network of width 32 (step 0.15) under GCE or CE, Adam (step
    0.01), minibatches of 50 (step 0.1, 3,000 epochs), and the cross-entropy as the test loss. Revised once (README)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(48_000 + c["seed"])
    n, df, ds, s, K = c["n"], c["df"], c["ds"], c["s"], c["K"]
    d = df + ds
    Wf = torch.randn(df, K, generator=g) * math.sqrt(c["F"] / df)
    Ws = torch.randn(ds, K, generator=g) * math.sqrt(c["S"] / ds)
    Q = rotation(g, d)

    def draw(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        z = x[:, :df] @ Wf + x[:, df:] / s @ Ws
        u = torch.rand(m, K, generator=g).clamp(1e-300, 1.0)
        return x @ Q, (z - torch.log(-torch.log(u))).argmax(1)

    x, y = draw(n)
    xt, yt = draw(2000)
    flip = torch.rand(n, generator=g) < c["flip"]
    if c["flip_kind"] == "pair":
        y = torch.where(flip, (y + 1) % K, y)
    else:
        y = torch.where(flip, (y + torch.randint(1, K, (n,), generator=g)) % K, y)
    if c["model"] == "mlp":
        h = c["h"]
        params = [(torch.randn(d, h, generator=g) / math.sqrt(d)).requires_grad_(), torch.zeros(h, requires_grad=True),
                  torch.zeros(h, K, requires_grad=True), torch.zeros(K, requires_grad=True)]

        def logits(z):
            return torch.relu(z @ params[0] + params[1]) @ params[2] + params[3]
    else:
        params = [torch.zeros(d, K, requires_grad=True), torch.zeros(K, requires_grad=True)]

        def logits(z):
            return z @ params[0] + params[1]
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9)
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "softmax-" + c["model"], "classes": K, "input_dim": d, "robust_loss": c["loss"]},
                settings(c, ("seed", "n", "df", "ds", "s", "K", "F", "S", "flip", "flip_kind", "model", "h", "loss",
                             "q", "alpha", "beta", "test", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"]}, output_dim=K)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    e = 0
    for p in pts:
        while e < p:
            idx = torch.randperm(n, generator=g) if bsz < n else None
            for j in range(0, n, bsz):
                xb, yb = (x, y) if idx is None else (x[idx[j:j + bsz]], y[idx[j:j + bsz]])
                opt.zero_grad()
                robust_loss(logits(xb), yb, c).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            f, ft = logits(x), logits(xt)
            run.log(e, robust_loss(f, y, c), robust_loss(ft, yt, c, c.get("test")), (f.argmax(1) != y).double().mean(),
                    (ft.argmax(1) != yt).double().mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_robust_gce():
    base = dict(n=600, df=100, ds=20, s=0.1, K=3, F=4.0, S=16.0, flip=0.3, flip_kind="sym", model="linear", h=None,
                loss="gce", q=0.7, alpha=None, beta=None, test=None, opt="hb", lr=0.5, batch=None, epochs=8000,
                eval="log:30")
    return robust_gce, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(q=0.5, eval="every:3"),
        dict(q=0.3, eval="jitter:30"),
        dict(loss="mae", q=None, eval="every:5"),
        dict(loss="sce", q=None, alpha=0.1, beta=1.0, eval="log:35"),
        dict(loss="sce", q=None, alpha=1.0, beta=1.0, eval="every:2"),
        dict(loss="ce", q=None, eval="every:4"),
        dict(flip_kind="pair", eval="jitter:35"),
        dict(flip_kind="pair", flip=0.4, loss="sce", q=None, alpha=0.1, beta=1.0, eval="every:10"),
        dict(flip=0.1, eval="rand:300"),
        dict(S=4.0, eval="every:2"),
        dict(df=200, eval="log:40"),
        dict(s=0.2, eval="every"),
        dict(K=5, n=1000, df=150, eval="log:30"),
        dict(model="mlp", h=32, lr=0.15, eval="every:3"),
        dict(model="mlp", h=32, lr=0.15, loss="ce", q=None, eval="jitter:30"),
        dict(opt="adam", lr=0.01, eval="log:35"),
        dict(batch=50, lr=0.1, epochs=3000, eval="every:4"),
        dict(test="ce", eval="every:5"),
    ], lambda d: "%s-%s%s-K%d-n%d-df%d-s%g-S%g-%s%g" % (
        d["model"], d["loss"], "%g" % d["q"] if d.get("q") else "", d["K"], d["n"], d["df"], d["s"], d["S"],
        d["flip_kind"], d["flip"]))


FAMILIES = {"boost-trees": runs_boost_trees, "finetune-unfreeze": runs_finetune_unfreeze, "robust-gce": runs_robust_gce}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
