#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, forty-seventh held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 146 families of train.py ... train_fortysixth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is architectures that route or condition their
computation, at sizes around where the model can just fit its partly mislabelled or noisy training set:

- capsule-routing: a small capsule network (Sabour, Frosst & Hinton 2017): primary capsules from a ReLU layer, squashed,
  each predicting every class capsule through its own matrix, the predictions combined by dynamic routing-by-agreement
  (r iterations of coupling coefficients softmax(b), b raised by the agreement of a prediction with the squashed
  output), the class scores the class capsules' lengths, trained on the margin loss; against one iteration (uniform
  coupling: no routing); the digits with the right half dimmed, wine and breast cancer, with flipped labels;
- perceiver-latent: a Perceiver (Jaegle et al. 2021): every input feature a token (its value along a learned direction
  plus a learned position embedding), a small learned latent array that reads the tokens by one cross-attention, then
  self-attention blocks on the latents only, the latents' mean read by a linear head; the cross-entropy on the digits
  (every pixel a token, the right half dimmed) with flipped labels, and half the squared error on a two-scale teacher
  with target noise and on diabetes with its products (every column a token);
- film-conditioned: an MLP whose hidden layers are modulated by FiLM (Perez et al. 2018), a per-unit scale 1 + G z and
  shift B z computed from a conditioning input z, the task's descriptor at a small scale; several related regression
  tasks trained jointly (a shared part of the target and a task-modulated part), against the descriptor concatenated
  to the inputs and no conditioning; and the digits' five binary attributes as five tasks under the logistic loss,
  with flipped labels.

The file format, determinism and helpers are the earlier files': Writer, two_scale_inputs and the command line from
train.py, settings from train_more.py, dict_runs from train_seventh.py, DIGIT_ATTRIBUTES from train_twentyfirst.py,
uniform from train_thirtysecond.py, plain_opt from train_thirtyfourth.py, leaves from train_thirtysixth.py, epoch_loop,
take and muon_data (the two-scale teacher, diabetes with its products, the digits with columns 4-7 dimmed, breast
cancer and wine) from train_thirtyninth.py, and class_data, task_loss, log_task, mlp_params, data_name and test_name
from train_fortythird.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6
significant digits.

    /usr/bin/python3 train_fortyseventh.py --family capsule-routing [--list] [--runs 0,3] [--out FILE]

Families (see README.md): capsule-routing, perceiver-latent, film-conditioned. Evaluation spacings: train.py's
'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K',
'mixlog:A:K', 'geom:G', 'burst:P:B'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as fn  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train import two_scale_inputs  # noqa: E402
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import DIGIT_ATTRIBUTES  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtyfourth import plain_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, muon_data, take  # noqa: E402
from train_fortythird import class_data, data_name, log_task, mlp_params, task_loss, test_name  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64


def n_params(params):
    return sum(q.numel() for q in params)


# ---------------------------------------------------------------------------------------------------- capsule-routing


def squash(s, dim=-1):
    """The capsule non-linearity: s |s|^2 / (1 + |s|^2) / |s| (length in [0, 1), direction kept), eps 1e-9."""
    n2 = (s ** 2).sum(dim, keepdim=True)
    return s * (n2 / (1 + n2)) / torch.sqrt(n2 + 1e-9)


def capsule_params(g, d, h, P, dp, K, dc):
    """A ReLU layer d -> h, a linear map h -> P primary capsules of dp dimensions, and the transformation matrices
    W_ij (P x K x dc x dp), one per (primary, class) pair; all U(+-1 / sqrt(fan-in)) from g, float64."""
    return leaves([uniform(g, d, h, d).double(), uniform(g, d, h).double(),
                   uniform(g, h, P * dp, h).double(), uniform(g, h, P * dp).double(),
                   uniform(g, dp, P, K, dc, dp).double()])


def capsule_forward(p, x, P, dp, iters):
    """The class capsules' lengths (B x K). Primary capsules u_i = squash(W2 relu(W1 x + b1) + b2), predictions
    u_hat_j|i = W_ij u_i; routing-by-agreement (Sabour et al. 2017, Procedure 1): logits b_ij from 0; `iters` times
    c_i = softmax_j(b_ij), s_j = sum_i c_ij u_hat_j|i, v_j = squash(s_j), and (but the last time) b_ij += u_hat_j|i .
    v_j; gradients through every iteration. iters 1: uniform coupling 1 / K, no routing."""
    u = squash((torch.relu(x @ p[0].T + p[1]) @ p[2].T + p[3]).view(-1, P, dp))
    uh = torch.einsum("pkcd,bpd->bpkc", p[4], u)
    b = torch.zeros(uh.shape[:3], dtype=uh.dtype)
    for r in range(iters):
        cc = torch.softmax(b, 2)
        v = squash((cc.unsqueeze(-1) * uh).sum(1))
        if r < iters - 1:
            b = b + (uh * v.unsqueeze(1)).sum(-1)
    return v.norm(dim=-1)


def margin_loss(lengths, y, K, mp, mm, lam):
    """The capsules' margin loss: sum_k T_k max(0, m+ - |v_k|)^2 + lam (1 - T_k) max(0, |v_k| - m-)^2, T the one-hot
    label; the mean over the rows."""
    T = fn.one_hot(y, K).to(lengths.dtype)
    return (T * torch.relu(mp - lengths) ** 2 + lam * (1 - T) * torch.relu(lengths - mm) ** 2).sum(1).mean()


def capsule_routing(w, run_id, c):
    """A capsule network (capsule_params, capsule_forward) with P primary capsules of dp dimensions from a ReLU layer
    of h units, K class capsules of dc dimensions, `iters` routing iterations. Data: class_data (the digits with the
    right half times s; wine and breast cancer with half their columns times s), a share of the training labels
    flipped (uniformly, or to the next class). Loss: the margin loss (m+ 0.9, m- 0.1, lam 0.5 by default). Optimizer:
    Adam (opt 'adam') or SGD with momentum 0.9 ('momentum') at step lr on minibatches. Train loss: the margin loss of
    the noisy training labels; test loss: that of the clean test labels; error rates (the longest class capsule)
    too."""
    g = torch.Generator().manual_seed(471_000 + c["seed"])
    x, y, xt, yt, K = class_data(g, c)
    P, dp, dc, iters = c["P"], c["dp"], c["dc"], c["iters"]
    params = capsule_params(g, x.shape[1], c["h"], P, dp, K, dc)
    opt = plain_opt(c, params)
    mp, mm, lam = c.get("mplus") or 0.9, c.get("mminus") or 0.1, c.get("lam") or 0.5

    def lengths(z):
        return capsule_forward(params, z, P, dp, iters)

    def step(idx):
        opt.zero_grad()
        margin_loss(lengths(take(x, idx)), take(y, idx), K, mp, mm, lam).backward()
        opt.step()

    run = w.run(run_id, n_params(params), len(x),
                {"family": "capsule-net", "primary_capsules": P, "primary_dim": dp, "class_dim": dc, "hidden": c["h"],
                 "outputs": K},
                settings(c, ("seed", "data", "n", "s", "flip", "noise_kind", "h", "P", "dp", "dc", "iters", "mplus",
                             "mminus", "lam", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "margin", "test_loss": "clean-margin",
                   "routing": "agreement" if iters > 1 else "uniform"},
                output_dim=K)

    def log(e, final):
        f, ft = lengths(x), lengths(xt)
        run.log(e, margin_loss(f, y, K, mp, mm, lam), margin_loss(ft, yt, K, mp, mm, lam),
                (f.argmax(1) != y).double().mean(), (ft.argmax(1) != yt).double().mean(), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_capsule_routing():
    # The logic: a capsule network of 8 primary capsules of 4 dimensions (from a ReLU layer of 32 units) and 10 class
    # capsules of 8 (5,696 weights) on 200 digits with the right half dimmed to 0.1 and 20% flipped labels fits its
    # training set, flips included, within about a hundred epochs of Adam at 0.02 on the margin loss, which is bounded
    # (0.81 at the start) and flat once a class capsule is longer than 0.9 and the others shorter than 0.1, so the
    # clean test margin loss has a first minimum within tens of epochs and rises as the flips are memorised; routing by
    # agreement couples each primary capsule to the class capsules its prediction agrees with, which sharpens the
    # outputs and speeds that memorisation, and one iteration (uniform coupling) is the network without routing. The
    # grid moves one thing at a time: the routing iterations (1, 2, 5), the primary capsules (4, 16), class capsules of
    # 4 dimensions, 16 hidden units, the flips (none, 40%, 30% pair flips), the step (0.005), momentum SGD, the
    # undimmed digits, 300 images, the margins (0.95 and 0.05), the weight of the absent classes (1), and wine (with
    # and without routing) and breast cancer.
    base = dict(data="digits", n=200, s=0.1, flip=0.2, noise_kind=None, h=32, P=8, dp=4, dc=8, iters=3, mplus=None,
                mminus=None, lam=None, opt="adam", lr=0.02, batch=40, epochs=100, eval="every:2")
    return capsule_routing, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(iters=1, eval="every:2"),
        dict(iters=2, eval="jitter:30"),
        dict(iters=5, eval="every:3"),
        dict(P=4, eval="mixed:30:3"),
        dict(P=16, eval="every:2"),
        dict(dc=4, eval="geom:3"),
        dict(h=16, eval="every:2"),
        dict(flip=None, eval="log:30"),
        dict(flip=0.4, eval="every:2"),
        dict(flip=0.3, noise_kind="pair", eval="mixlog:20:25"),
        dict(lr=0.005, eval="every:3"),
        dict(opt="momentum", lr=0.1, eval="every:2"),
        dict(s=1.0, eval="rand:50"),
        dict(n=300, eval="every:3"),
        dict(mplus=0.95, mminus=0.05, eval="every:2"),
        dict(lam=1.0, eval="burst:20:4"),
        dict(data="wine", n=120, batch=20, eval="every:2"),
        dict(data="wine", n=120, batch=20, iters=1, eval="geom:2"),
        dict(data="cancer", n=300, batch=30, eval="every:2"),
    ], lambda d: "%s-h%d-P%dx%d-C%d-r%d%s-%s-lr%g-b%d" % (
        data_name(d), d["h"], d["P"], d["dp"], d["dc"], d["iters"],
        ("-m%g_%g" % (d["mplus"], d["mminus"]) if d.get("mplus") else "") + ("-lam%g" % d["lam"] if d.get("lam") else ""),
        d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- perceiver-latent


def perceiver_params(g, T, p, D, L, blocks, K):
    """The Perceiver's weights, float64, from g: the token map (D x p, U(+-1 / sqrt(p))), the position embeddings
    (T x D) and the latent array (L x D), U(+-1), the cross-attention's query, key, value and output maps
    (D x D each, U(+-1 / sqrt(D))), a latent MLP (D -> 2D -> D), `blocks` self-attention blocks (the same four maps and
    an MLP each), the head (D -> K)."""
    def lin(a, b):
        return [uniform(g, a, b, a).double(), uniform(g, a, b).double()]
    q = [uniform(g, p, D, p).double(), uniform(g, 1, T, D).double(), uniform(g, 1, L, D).double()]
    for _ in range(blocks + 1):
        q += [uniform(g, D, 4, D, D).double()] + lin(D, 2 * D) + lin(2 * D, D)
    return leaves(q + lin(D, K))


def attend(q_in, kv_in, W):
    """One attention head: softmax(q k^T / sqrt(D)) v, then the output map; q, k, v, o = the four maps W[0..3]."""
    D = q_in.shape[-1]
    q, k, v = q_in @ W[0].T, kv_in @ W[1].T, kv_in @ W[2].T
    a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D), -1)
    return (a @ v) @ W[3].T


def ln(z):
    return fn.layer_norm(z, z.shape[-1:])


def perceiver_forward(p, x, blocks, patch):
    """Tokens z_t = A x_t + pos_t (B x T x D), x_t the t-th group of `patch` consecutive input columns (for the digits
    of 8, an image row); latents (B x L x D) = the latent array + cross-attention from the
    layer-normed latents to the layer-normed tokens, + an MLP (pre-norm, residual); then `blocks` pre-norm residual
    self-attention blocks on the latents (attention + MLP); the head on the layer-normed mean of the latents."""
    tok = ln(x.view(x.shape[0], -1, patch) @ p[0].T + p[1])
    lat = p[2].expand(x.shape[0], -1, -1)
    for i in range(blocks + 1):
        W, m1, c1, m2, c2 = p[3 + 5 * i:8 + 5 * i]
        z = ln(lat)
        lat = lat + attend(z, tok if i == 0 else z, W)
        lat = lat + torch.relu(ln(lat) @ m1.T + c1) @ m2.T + c2
    return ln(lat.mean(1)) @ p[-2].T + p[-1]


def perceiver_latent(w, run_id, c):
    """A Perceiver (perceiver_params, perceiver_forward): every input column a token, L latents of width D, one
    cross-attention, `blocks` latent self-attention blocks. Data: muon_data (the digits with columns 4-7 times s and a
    share of the labels replaced; the two-scale teacher; diabetes with its products; breast cancer and wine). Loss: the
    cross-entropy, or half the squared error (regression). Optimizer: Adam or SGD with momentum 0.9 at step lr on
    minibatches. Train loss: the loss on the noisy training labels or targets; test loss: that of the clean test labels
    or targets (the held-out progression); error rates too for classes."""
    g = torch.Generator().manual_seed(472_000 + c["seed"])
    x, y, xt, yt, K = muon_data(g, c)
    blocks, patch = c["blocks"], c.get("patch") or 1
    params = perceiver_params(g, x.shape[1] // patch, patch, c["D"], c["L"], blocks, K)
    opt = plain_opt(c, params)

    def forward(z):
        f = perceiver_forward(params, z, blocks, patch)
        return f.squeeze(-1) if K == 1 else f

    def step(idx):
        opt.zero_grad()
        task_loss(forward(take(x, idx)), take(y, idx), K).backward()
        opt.step()

    run = w.run(run_id, n_params(params), len(x),
                {"family": "perceiver", "tokens": x.shape[1] // patch, "token_dim": patch, "latents": c["L"], "width": c["D"],
                 "latent_blocks": blocks, "outputs": K},
                settings(c, ("seed", "data", "n", "s", "df", "ds", "F", "S", "noise", "flip", "patch", "D", "L", "blocks",
                             "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "ce", "test_loss": test_name(c)},
                output_dim=K)

    def log(e, final):
        log_task(run, e, K, forward(x), y, forward(xt), yt, final)

    epoch_loop(g, len(x), c, step, log)


def runs_perceiver_latent():
    # The logic: a Perceiver whose tokens are the digits' 8 image rows (the right half dimmed to 0.1), 4 latents of
    # width 16 and one latent self-attention block (4,682 weights) fits 200 digits with 20% flipped labels within about
    # a hundred epochs of Adam at 0.01: the clean test cross-entropy falls to a first minimum within tens of epochs and
    # rises as the flips are memorised, the latents a bottleneck that every token has to pass through by attention. The
    # grid moves one thing at a time: the latents (1: a single attention pooling; 8), the latent blocks (none:
    # cross-attention only; 2), the width (8, 24), tokens of half rows (16 tokens, the dimmed halves apart), the flips
    # (none, 40%), the step (0.003), momentum SGD, the undimmed digits, 300 images; and regression under half the
    # squared error: diabetes with its products (13 tokens of 5 columns; with and without the latent block), the
    # two-scale teacher with noise 0.5 (24 features as 6 tokens of 4, or 24 tokens of 1), and the classes of wine (13
    # tokens of 1) and breast cancer (10 tokens of 3).
    base = dict(data="digits", n=200, s=0.1, flip=0.2, df=None, ds=None, F=None, S=None, noise=None, patch=8, D=16,
                L=4, blocks=1, opt="adam", lr=0.01, batch=40, epochs=80, eval="every:2")
    diab = dict(data="diabetes", n=250, flip=None, noise=0.3, patch=5, lr=0.003, batch=25)
    synth = dict(data="synth", df=16, ds=8, F=2.0, S=1.0, noise=0.5, flip=None, patch=4, lr=0.005, batch=20)
    return perceiver_latent, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(L=1, eval="every:2"),
        dict(L=8, eval="jitter:30"),
        dict(blocks=0, eval="every:3"),
        dict(blocks=2, eval="mixed:30:3"),
        dict(D=8, eval="every:2"),
        dict(D=24, eval="geom:3"),
        dict(patch=4, eval="every:2"),
        dict(flip=None, eval="log:30"),
        dict(flip=0.4, eval="every:2"),
        dict(lr=0.003, eval="every:3"),
        dict(opt="momentum", lr=0.05, eval="mixlog:20:25"),
        dict(s=1.0, eval="every:2"),
        dict(n=300, eval="rand:40"),
        dict(diab, eval="every:2"),
        dict(diab, blocks=0, eval="burst:20:4"),
        dict(synth, eval="every:2"),
        dict(synth, patch=1, eval="geom:2"),
        dict(data="wine", n=120, patch=1, batch=20, eval="every:2"),
        dict(data="cancer", n=300, patch=3, batch=30, eval="every:2"),
    ], lambda d: "%s-tok%d-D%d-L%d-blk%d-%s-lr%g-b%d" % (
        data_name(d), d["patch"], d["D"], d["L"], d["blocks"], d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- film-conditioned


def film_data(g, c):
    """(x, task, y, xt, taskt, yt, Z, K): inputs, task indices, targets for training and test, the tasks' descriptors
    (T x m) and K (1: regression, 2: binary). 'synth': T tasks, descriptor z_t ~ N(0, I_m); inputs d standard normals;
    target y_t(x) = a . tanh(U x) (the shared part, power F) + (C z_t) . tanh(V x) (the task-modulated part, power S
    over the tasks), U and V of hd rows N(0, 1 / d), each part scaled to its power on 4,000 reference points; `per`
    training points per task with Gaussian noise `noise`; 250 fresh test points per task with clean targets.
    'digits': scikit-learn's digits (pixels / 16, centred on the training images), the T = 5 tasks its five binary
    attributes (DIGIT_ATTRIBUTES: even, 5 or more, prime, a closed loop, a multiple of 3) with one-hot descriptors; n
    training images, each with every task's label, a share 'flip' of the (image, task) labels flipped; the other
    images' clean labels the test targets."""
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        xs, cls = load_digits(return_X_y=True)
        xs, cls = torch.tensor(xs / 16.0), torch.tensor(cls)
        Y = torch.stack([sum((cls == k).double() for k in ks) for _, ks in DIGIT_ATTRIBUTES], 1)
        perm = torch.randperm(len(xs), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        xs = xs - xs[tr].mean(0)
        T = Y.shape[1]

        def pairs(idx):
            return xs[idx].repeat_interleave(T, 0), torch.arange(T).repeat(len(idx)), Y[idx].reshape(-1)
        x, task, y = pairs(tr)
        if c.get("flip"):
            hit = torch.rand(len(y), generator=g, dtype=F64) < c["flip"]
            y = torch.where(hit, 1 - y, y)
        xt, taskt, yt = pairs(te)
        return x, task, y, xt, taskt, yt, torch.eye(T, dtype=F64), 2
    T, m, d, hd = c["T"], c["m"], c["d"], c["hd"]
    Z = torch.randn(T, m, generator=g, dtype=F64)
    U = torch.randn(hd, d, generator=g, dtype=F64) / math.sqrt(d)
    V = torch.randn(hd, d, generator=g, dtype=F64) / math.sqrt(d)
    a = torch.randn(hd, generator=g, dtype=F64)
    C = torch.randn(hd, m, generator=g, dtype=F64)

    def parts(z, t):
        return torch.tanh(z @ U.T) @ a, (torch.tanh(z @ V.T) * (Z[t] @ C.T)).sum(1)
    zr, tr_ = torch.randn(4000, d, generator=g, dtype=F64), torch.randint(T, (4000,), generator=g)
    f0, f1 = parts(zr, tr_)
    k0, k1 = math.sqrt(c["F"] / f0.var().item()), math.sqrt(c["S"] / f1.var().item()) if c["S"] else 0.0

    def draw(per):
        z = torch.randn(T * per, d, generator=g, dtype=F64)
        t = torch.arange(T).repeat_interleave(per)
        p0, p1 = parts(z, t)
        return z, t, k0 * p0 + k1 * p1
    x, task, y = draw(c["per"])
    y = y + c["noise"] * torch.randn(len(y), generator=g, dtype=F64)
    xt, taskt, yt = draw(250)
    return x, task, y, xt, taskt, yt, Z, 1


def film_conditioned(w, run_id, c):
    """A two-hidden-layer ReLU MLP d -> h -> h -> 1, float64, U(+-1 / sqrt(fan-in)) from the run's generator, its task
    given by the descriptor z = s z_t (a conditioning input at a small scale s). cond 'film' (Perez et al. 2018): each
    hidden layer's pre-activation a becomes (1 + G_l z) * a + B_l z (per-unit scale and shift, G_l and B_l h x m from
    zero), on both hidden layers (layers 1: the first only; mode 'scale' or 'shift': one of the two only); 'concat': z
    concatenated to the inputs; 'none': no conditioning (one function for every task). Data: film_data (related
    regression tasks, or the digits' five attributes). Loss: half the squared error, or the logistic loss of the
    binary labels. Optimizer: Adam or SGD with momentum 0.9 at step lr on minibatches of (point, task) pairs. Train
    loss: the loss on the noisy training targets or labels; test loss: the squared error against the clean test
    targets, or the cross-entropy of the held-out images' clean attributes; error rates too for the attributes."""
    g = torch.Generator().manual_seed(473_000 + c["seed"])
    x, task, y, xt, taskt, yt, Z, K = film_data(g, c)
    Zs = Z * c["s"]
    cond, h, layers, mode = c["cond"], c["h"], c.get("layers") or 2, c.get("mode") or "both"
    m = Z.shape[1]
    d_in = x.shape[1] + (m if cond == "concat" else 0)
    params = mlp_params(g, [d_in, h, h, 1])
    film = leaves([torch.zeros(2 * layers, h, m, dtype=F64)]) if cond == "film" else []
    opt = plain_opt(c, params + film)

    def forward(z, t):
        zc = Zs[t]
        if cond == "concat":
            z = torch.cat([z, zc], 1)
        for i in range(2):
            a = z @ params[2 * i].T + params[2 * i + 1]
            if cond == "film" and i < layers:
                if mode in ("both", "scale"):
                    a = a * (1 + zc @ film[0][2 * i].T)
                if mode in ("both", "shift"):
                    a = a + zc @ film[0][2 * i + 1].T
            z = torch.relu(a)
        return (z @ params[4].T + params[5]).squeeze(-1)

    def loss(f, t):
        return 0.5 * ((f - t) ** 2).mean() if K == 1 else fn.binary_cross_entropy_with_logits(f, t)

    def step(idx):
        opt.zero_grad()
        loss(forward(take(x, idx), take(task, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, n_params(params + film), len(x),
                {"family": "film-mlp" if cond == "film" else "mlp-" + cond, "width": h, "tasks": Z.shape[0],
                 "film_layers": layers if cond == "film" else 0},
                settings(c, ("seed", "data", "n", "T", "m", "d", "hd", "per", "F", "S", "noise", "flip", "s", "cond",
                             "layers", "mode", "h", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "bce",
                   "test_loss": "clean-mse" if K == 1 else "clean-bce"},
                output_dim=K)

    def log(e, final):
        f, ft = forward(x, task), forward(xt, taskt)
        if K == 1:
            run.log(e, ((f - y) ** 2).mean(), ((ft - yt) ** 2).mean(), final=final)
        else:
            run.log(e, loss(f, y), loss(ft, yt), ((f > 0).double() != y).double().mean(),
                    ((ft > 0).double() != yt).double().mean(), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_film_conditioned():
    # The logic: 8 related regression tasks, 40 noisy points each (320 (point, task) pairs), whose targets share a
    # part of power 1 (a tanh readout of 10 inputs) and differ by a task-modulated part of power 2 (the task's
    # descriptor, 4 standard normals, sets the readout of another tanh layer); the MLP of two hidden layers of 48 units
    # (3,697 weights, FiLM's included) sees the descriptor at scale 0.1 only through FiLM's per-unit scales and shifts,
    # which are learned 1 / s^2 = 100 times slower than the shared weights; so the network first fits the shared part
    # and, through the noise and the unlearned task part, its training pairs, and only later lets the tasks apart. At
    # 48 units under Adam at 0.003 it just fits the pairs over 400 epochs; 96 units memorise them first (a bump) and
    # learn the tasks after. The grid moves one thing at a time: the width (16, 24, 96), the descriptor's scale (0.03,
    # 1), the descriptor concatenated to the inputs and no conditioning, FiLM on the first layer only, scales only and
    # shifts only, the noise (0.1, 1), 20 points per task, 16 tasks of 20, momentum SGD, the step 0.01, no task part;
    # and the digits' five binary attributes as five tasks (one-hot descriptors, 100 images, 10% or 20% of the labels
    # flipped) under the logistic loss, FiLM and concatenation.
    base = dict(data="synth", n=None, T=8, m=4, d=10, hd=8, per=40, F=1.0, S=2.0, noise=0.5, flip=None, s=0.1,
                cond="film", layers=None, mode=None, h=48, opt="adam", lr=0.003, batch=40, epochs=400, eval="every:4")
    digits = dict(data="digits", n=100, T=None, m=None, d=None, hd=None, per=None, F=None, S=None, noise=None,
                  flip=0.1, s=1.0, h=16, lr=0.01, batch=50, epochs=100)
    return film_conditioned, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=96, eval="every:4"),
        dict(h=24, eval="jitter:35"),
        dict(h=16, eval="every:5"),
        dict(s=0.03, eval="mixed:40:5"),
        dict(s=1.0, eval="every:4"),
        dict(cond="concat", eval="geom:4"),
        dict(cond="none", eval="every:4"),
        dict(layers=1, eval="log:35"),
        dict(mode="scale", eval="every:4"),
        dict(mode="shift", eval="mixlog:30:30"),
        dict(noise=0.1, eval="every:5"),
        dict(noise=1.0, eval="every:4"),
        dict(per=20, eval="rand:100"),
        dict(T=16, per=20, eval="every:4"),
        dict(opt="momentum", lr=0.02, eval="burst:40:5"),
        dict(lr=0.01, eval="every:4"),
        dict(S=0.0, eval="every:4"),
        dict(digits, eval="every:2"),
        dict(digits, cond="concat", eval="jitter:30"),
        dict(digits, flip=0.2, eval="every:2"),
    ], lambda d: "%s-%s%s-s%g-h%d-%s-lr%g-b%d" % (
        "digits-n%d-flip%g" % (d["n"], d["flip"]) if d["data"] == "digits" else "synth-T%d-per%d-F%g-S%g-noise%g" % (
            d["T"], d["per"], d["F"], d["S"], d["noise"]), d["cond"],
        ("-L%d" % d["layers"] if d.get("layers") else "") + ("-%s" % d["mode"] if d.get("mode") else ""), d["s"],
        d["h"], d["opt"], d["lr"], d["batch"]))


FAMILIES = {"capsule-routing": runs_capsule_routing, "perceiver-latent": runs_perceiver_latent,
            "film-conditioned": runs_film_conditioned}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
