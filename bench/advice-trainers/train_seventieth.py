#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventieth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping benchmark,
no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and
committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs were
sorted by census.py alone), and made to differ from the families of train.py ... train_sixtyeighth.py in model, loss,
noise and data. The theme of the round is efficient attention and long-range sequence models: a Performer whose
softmax attention is approximated by positive random features (FAVOR+), a Linformer whose keys and values are
projected along the sequence to a short length k, and a Hyena-like long-convolution layer whose kernel is
parametrised implicitly and applied by FFT convolution under a data-controlled gate; on synthetic token sequences,
at sizes around where the model can just fit its training targets, with target noise, flipped labels or corrupted
tokens in part of the grid:

- performer-favor: a one-block pre-layer-norm transformer regressor on token sequences (token and position
  embeddings, FAVOR+ attention, an MLP, a mean over the positions and a linear readout), its attention
  softmax(q k^T / sqrt(dh)) v approximated by positive random features phi(z) = exp(w . z - |z|^2 / 2) / sqrt(m) of
  the queries and keys (scaled by dh^-1/4), m orthogonal Gaussian features (iid in 1 run) drawn once per run from its
  generator (redrawn every epoch or every 10th in 1 run each); exact softmax attention and Performer's ReLU features
  in 1 run each. Data: sequences of L tokens of a vocabulary of V, the target a random teacher's output: one exact
  softmax-attention layer with sharp attention, a tanh and a mean over the positions read out by a random vector,
  standardised; Gaussian noise on the training targets, or corrupted training tokens, in part of the grid. Loss: the
  mean squared error. Adam (momentum SGD in 1 run) on minibatches, float32. Train loss: the mean squared error on the
  training sequences at their noisy targets; test loss: the mean squared error on 500 held-out sequences at their
  clean targets. No error rates (regression).
- linformer-proj: a Linformer (Wang et al. 2020) classifier: token and position embeddings, pre-layer-norm blocks
  whose multi-head attention reads keys E K and values F V projected along the sequence by learnt k x L matrices E and
  F (E = F in 1 run; no projection, full softmax attention, in 1 run), an MLP, and a readout of the first position.
  Data: sequences of L tokens, the label whether the first and the last token are the same (balanced by
  construction): a matching of tokens L - 1 positions apart. A share of the training labels flipped, or of the
  training tokens corrupted, in part of the grid. Loss: the cross-entropy. Adam (momentum SGD in 1 run) on
  minibatches, float32. Train loss: the cross-entropy on the training sequences at their given labels; test loss:
  the cross-entropy on 500 held-out sequences with true labels; error rates: the misclassified shares.
- longconv-implicit: a Hyena-like (Poli et al. 2023; H3, Fu et al. 2023) long-convolution layer: token embeddings,
  an input projection to a value and a gate stream, a short causal depthwise convolution, a causal long convolution
  of the values by a per-channel kernel as long as the sequence, applied by FFT (zero-padded to 2 L), a skip term,
  the gate multiplying the result, an output projection with a residual, and a per-position MLP head. The kernel is
  implicit: a small MLP with sine activations over positional features (t / L and sines and cosines of P
  frequencies), times a decaying window exp(-alpha_c t / L) per channel (none in 1 run); a sum of R damped cosines per
  channel, or an explicit free kernel, in 1 run each; no gate in 1 run. Data: sequences of L tokens of V, the target
  at every position t of the second half the token L / 2 steps back when the token at t is of the lower half of the
  vocabulary and the token L / 4 steps back otherwise (a selective recall at long lags that the gate must choose); a
  share of the training targets flipped, or of the training tokens corrupted, in part of the grid. Loss: the
  per-position cross-entropy. Adam (momentum SGD in 1 run) on minibatches, float32. Train loss: the per-position
  cross-entropy on the training sequences at their given targets; test loss: the same on 200 held-out sequences with
  true targets; error rates: the misclassified shares of the positions.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, count from
train_fortyeighth.py, make_opt from train_fiftysixth.py and mlp_params and mlp from train_sixtyfifth.py; one thread,
every random draw from a seeded torch.Generator (the random features and their redraws too), synthetic event times,
6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_seventieth.py --family performer-favor [--list] [--runs 0,3] [--out FILE]

Families (see README.md): performer-favor, linformer-proj, longconv-implicit. Evaluation spacings: train.py's
'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K',
'mixlog:A:K', 'geom:G', 'burst:P:B'.
"""
import ctypes
import math
import os
import sys

# Speed only, not results (train_sixtyeighth.py's setting): glibc hands tensors of over about 128 kB to mmap and back
# at every free, so each evaluation's activations of a few MB cost fresh page faults (about three times the CPU time
# of a run here); keep them on the heap instead (32 MB is mallopt's largest threshold) and do not trim it back
try:
    _libc = ctypes.CDLL("libc.so.6")
    _libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
    _libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD
    _libc.mallopt(-2, 64 << 20)  # M_TOP_PAD
except (OSError, AttributeError):
    pass

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as fn  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)

torch.set_num_threads(1)

F32 = torch.float32


def ln(z):
    """Layer norm over the last axis, without a learnt gain or bias."""
    return fn.layer_norm(z, z.shape[-1:])


def corrupt_tokens(g, x, V, share):
    """A share of the tokens of x replaced by tokens uniform over the vocabulary (after the targets were set)."""
    if not share:
        return x
    hit = torch.rand(x.shape, generator=g) < share
    return torch.where(hit, torch.randint(V, x.shape, generator=g), x)


def heads(z, H):
    """(B, L, H dh) -> (B, H, L, dh)."""
    B, L, D = z.shape
    return z.reshape(B, L, H, D // H).transpose(1, 2)


def merge(z):
    """(B, H, L, dh) -> (B, L, H dh)."""
    B, H, L, dh = z.shape
    return z.transpose(1, 2).reshape(B, L, H * dh)


def softmax_attention(q, k, v):
    return torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), -1) @ v


# ---------------------------------------------------------------------------------------------------- performer-favor


def random_features(g, m, dh, ortho):
    """m Gaussian projection vectors (m x dh) from g: orthogonal blocks (the rows of QR factors of Gaussian dh x dh
    matrices, each row rescaled by the norm of a Gaussian vector, Performer's ORF) or iid N(0, I)."""
    if not ortho:
        return torch.randn(m, dh, generator=g)
    blocks = []
    for _ in range(-(-m // dh)):
        q, _ = torch.linalg.qr(torch.randn(dh, dh, generator=g))
        blocks.append(q.T)
    return torch.cat(blocks)[:m] * torch.randn(m, dh, generator=g).norm(dim=1, keepdim=True)


def favor_attention(q, k, v, W, kernel):
    """FAVOR+ (Choromanski et al. 2021): softmax(q k^T / sqrt(dh)) v approximated by phi(q') (phi(k')^T v), normalised
    by phi(q') (phi(k')^T 1), q' = q dh^-1/4, k' = k dh^-1/4, with the positive random features of the softmax kernel
    phi(z) = exp(W z - |z|^2 / 2) / sqrt(m) (kernel 'softmax'; a stabilising maximum subtracted, per query over the
    features and per sequence and head over the keys, cancels in the ratio) or Performer's generalised ReLU features
    relu(W z) / sqrt(m) (kernel 'relu'); linear in the sequence length."""
    dh, m = q.shape[-1], W.shape[0]
    q, k = q * dh ** -0.25, k * dh ** -0.25
    if kernel == "relu":
        pq = torch.relu(q @ W.T) / math.sqrt(m) + 1e-3
        pk = torch.relu(k @ W.T) / math.sqrt(m) + 1e-3
    else:
        wq, wk = q @ W.T, k @ W.T
        pq = (torch.exp(wq - (q * q).sum(-1, keepdim=True) / 2 - wq.amax(-1, keepdim=True).detach()) + 1e-6) \
            / math.sqrt(m)
        pk = (torch.exp(wk - (k * k).sum(-1, keepdim=True) / 2 - wk.amax((-1, -2), keepdim=True).detach()) + 1e-6) \
            / math.sqrt(m)
    kv = pk.transpose(-1, -2) @ v  # (B, H, m, dh)
    den = pq @ pk.sum(-2, keepdim=True).transpose(-1, -2)  # (B, H, L, 1)
    return (pq @ kv) / den


def teacher_targets(g, x, xs, V, L, c):
    """A random teacher on the token sequences x (and xs, the set it is standardised on): embeddings N(0, I) of
    dimension 8 plus position embeddings N(0, 0.25 I), maps N(0, 1/8), one exact softmax attention layer of sharpness
    beta (scores beta q k^T / sqrt(8)), the output tanh(attention output) averaged over the positions and read by a
    random N(0, I) vector; standardised by the mean and sd of its outputs on xs."""
    dt = 8
    E, P = torch.randn(V, dt, generator=g), 0.5 * torch.randn(L, dt, generator=g)
    Wq, Wk, Wv = (torch.randn(dt, dt, generator=g) / math.sqrt(dt) for _ in range(3))
    r = torch.randn(dt, generator=g)

    def f(z):
        h = E[z] + P
        s = c["beta"] * (h @ Wq) @ (h @ Wk).transpose(1, 2) / math.sqrt(dt)
        return torch.tanh(torch.softmax(s, -1) @ (h @ Wv)).mean(1) @ r

    ys = f(xs)
    return (f(x) - ys.mean()) / ys.std(), (ys - ys.mean()) / ys.std()


def performer_favor(w, run_id, c):
    """A Performer regressor, float32. Data (from the run's generator): n training and 500 held-out sequences of L
    tokens uniform over V; targets teacher_targets (standardised on the held-out set), Gaussian noise of sd noise on
    the training targets, a share corrupt of the training tokens replaced at random afterwards. Model: token
    embeddings N(0, I) and position embeddings N(0, 0.25 I) of width d; one pre-layer-norm block: h = x + Wo
    attn(LN x), h = h + MLP(LN h) (d -> 2 d -> d, ReLU), H heads of d / H; the readout LN(h) averaged over the
    positions, a linear map to 1; the maps U(+-1 / sqrt(fan-in)) from the run's generator. Attention: favor_attention
    with m features (random_features, orthogonal with ortho) drawn once per run (redrawn before every redraw-th epoch
    with redraw), or exact softmax attention (kernel 'exact'). Loss: the mean squared error. Optimizer: make_opt on
    minibatches. Train loss: the MSE on the training sequences at their noisy targets (the current features); test
    loss: the MSE on the held-out sequences at their clean targets."""
    g = torch.Generator().manual_seed(701_000 + c["seed"])
    n, L, V, d, H, m = c["n"], c["L"], c["V"], c["d"], c["heads"], c.get("m")
    x = torch.randint(V, (n, L), generator=g)
    xt = torch.randint(V, (500, L), generator=g)
    y, yt = teacher_targets(g, x, xt, V, L, c)
    if c.get("noise"):
        y = y + c["noise"] * torch.randn(n, generator=g)
    x = corrupt_tokens(g, x, V, c.get("corrupt"))
    emb = leaves([torch.randn(V, d, generator=g), 0.5 * torch.randn(L, d, generator=g)])
    maps = leaves([uniform(g, d, d, d) for _ in range(4)])
    ff = mlp_params(g, [d, 2 * d, d], F32)
    read = mlp_params(g, [d, 1], F32)
    params = emb + maps + ff + read
    feats = [random_features(g, m, d // H, c["ortho"])] if c["kernel"] != "exact" else [None]

    def predict(z):
        h = emb[0][z] + emb[1]
        a = ln(h)
        q, k, v = (heads(a @ W, H) for W in maps[:3])
        if c["kernel"] == "exact":
            o = softmax_attention(q, k, v)
        else:
            o = favor_attention(q, k, v, feats[0], c["kernel"])
        h = h + merge(o) @ maps[3]
        h = h + mlp(ff, ln(h), torch.relu)
        return mlp(read, ln(h).mean(1), None)[:, 0]

    opt = make_opt(c, params)

    def begin(e):
        if c.get("redraw") and e > 0 and e % c["redraw"] == 0:
            feats[0] = random_features(g, m, d // H, c["ortho"])

    def step(idx):
        opt.zero_grad()
        ((predict(take(x, idx)) - take(y, idx)) ** 2).mean().backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "performer", "width": d, "heads": H, "kernel": c["kernel"],
                                           "features": m or 0},
                settings(c, ("seed", "L", "V", "beta", "n", "noise", "corrupt", "d", "heads", "kernel", "m", "ortho",
                             "redraw", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "teacher": "softmax-attention",
                   "test_loss": "heldout-mse-clean-targets",
                   "targets_per_weight": "%.3g" % (n / count(params))})

    def log(e, final):
        lt = ((predict(x) - y) ** 2).mean()
        lh = ((predict(xt) - yt) ** 2).mean()
        run.log(e, lt, lh, final=final)

    epoch_loop(g, n, c, step, log, begin=begin)


def runs_performer_favor():
    # The logic: 300 training sequences of 32 tokens (vocabulary 16) with a teacher whose sharp softmax attention
    # makes the target depend on which tokens meet which; the Performer has V d + L d + 8 d^2 + 4 d + 1 weights
    # (2,881 at d 16), about ten per training target, so it can fit the targets' noise (sd 0.5 against the
    # standardised target), while its 16 orthogonal random features give a rough kernel. Adam at 0.003 on minibatches
    # of 60, 80 epochs. One thing at a time besides: 4 and 64 features, iid features, features redrawn every epoch
    # and every 10th, exact softmax attention, ReLU features, width 8 and 32, two heads, 150 and 800 sequences, clean
    # targets and noise sd 1, 15% corrupted tokens, 16 and 64 tokens a sequence, momentum SGD at 0.03, Adam at 0.01.
    # Evaluation spacing mixed.
    base = dict(L=32, V=16, beta=2.0, n=300, noise=0.5, corrupt=None, d=16, heads=1, kernel="softmax", m=16,
                ortho=True, redraw=None, opt="adam", lr=0.003, batch=60, epochs=80, eval="every:2")
    return performer_favor, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(m=4, eval="every"),
        dict(m=64, eval="jitter:40"),
        dict(ortho=False, eval="every:2"),
        dict(redraw=1, eval="every"),
        dict(redraw=10, eval="every:2"),
        dict(kernel="exact", m=None, ortho=None, eval="every:3"),
        dict(kernel="relu", eval="geom:3"),
        dict(d=8, eval="log:40"),
        dict(d=32, eval="every:4"),
        dict(heads=2, eval="every:3"),
        dict(n=150, eval="every"),
        dict(n=800, eval="log:30"),
        dict(noise=None, eval="every:2"),
        dict(noise=1.0, eval="burst:20:5"),
        dict(corrupt=0.15, eval="every:2"),
        dict(L=16, eval="every:2"),
        dict(L=64, eval="mixed:40:4"),
        dict(opt="momentum", lr=0.03, eval="rand:60"),
        dict(lr=0.01, eval="mixlog:30:40"),
    ], lambda d: "L%d-V%d-n%d%s%s-d%d-H%d-%s%s-%s-lr%g" % (
        d["L"], d["V"], d["n"], "-noise%g" % d["noise"] if d.get("noise") else "-clean",
        "-corrupt%g" % d["corrupt"] if d.get("corrupt") else "", d["d"], d["heads"], d["kernel"],
        "" if d["kernel"] == "exact" else "-m%d-%s%s" % (d["m"], "orf" if d["ortho"] else "iid",
                                                          "-redraw%d" % d["redraw"] if d.get("redraw") else ""),
        d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- linformer-proj


def match_sequences(g, m, L, V):
    """m sequences of L tokens (m x L) and their labels, from g: tokens uniform over V; for a fair coin's positive
    half the last token set to the first, for the other half to one of the V - 1 other tokens at random. Label:
    whether the first and the last token, L - 1 positions apart, are the same."""
    x = torch.randint(V, (m, L), generator=g)
    y = (torch.rand(m, generator=g) < 0.5).long()
    other = (x[:, 0] + torch.randint(1, V, (m,), generator=g)) % V
    x[:, -1] = torch.where(y == 1, x[:, 0], other)
    return x, y


def linformer_proj(w, run_id, c):
    """A Linformer classifier, float32. Data (from the run's generator): n training and 500 held-out sequences
    (match_sequences); a share flip of the training labels flipped, a share corrupt of the training tokens replaced
    at random afterwards. Model: token embeddings N(0, I) and position embeddings N(0, 0.25 I) of width d; layers
    pre-layer-norm blocks: h = h + Wo attn(LN h), h = h + MLP(LN h) (d -> 2 d -> d, ReLU), H heads of d / H, the
    attention softmax(Q (E K)^T / sqrt(dh)) (F V) with E and F k x L, N(0, 1 / L) from the run's generator and learnt
    (shared by the heads; E = F with share; K and V themselves with k None: full attention); the last block computed
    at the first position only (all that the readout reads); the readout LN(h_0) -> 2 logits. The maps U(+-1 /
    sqrt(fan-in)) from the run's generator. Loss: the cross-entropy. Optimizer: make_opt on minibatches. Train loss:
    the cross-entropy on the training sequences at their given labels; test loss: the cross-entropy on the held-out
    sequences, true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(702_000 + c["seed"])
    n, L, V, d, H, k = c["n"], c["L"], c["V"], c["d"], c["heads"], c.get("k")
    x, y = match_sequences(g, n, L, V)
    xt, yt = match_sequences(g, 500, L, V)
    yn = flip_labels(g, y, 2, c.get("flip"))
    x = corrupt_tokens(g, x, V, c.get("corrupt"))
    emb = leaves([torch.randn(V, d, generator=g), 0.5 * torch.randn(L, d, generator=g)])
    blocks = []
    for _ in range(c["layers"]):
        maps = leaves([uniform(g, d, d, d) for _ in range(4)])
        proj = []
        if k:
            proj = leaves([torch.randn(k, L, generator=g) / math.sqrt(L) for _ in range(1 if c.get("share") else 2)])
        blocks.append((maps, proj, mlp_params(g, [d, 2 * d, d], F32)))
    read = mlp_params(g, [d, 2], F32)
    params = emb + [q for b in blocks for part in b for q in part] + read

    def logits(z):
        h = emb[0][z] + emb[1]
        for i, (maps, proj, ff) in enumerate(blocks):
            a = ln(h)
            last = i == len(blocks) - 1
            q = heads((a[:, :1] if last else a) @ maps[0], H)
            kk, vv = heads(a @ maps[1], H), heads(a @ maps[2], H)
            if proj:
                kk, vv = proj[0] @ kk, proj[-1] @ vv  # (k x L) @ (B, H, L, dh): projected along the sequence
            o = merge(softmax_attention(q, kk, vv)) @ maps[3]
            h = (h[:, :1] if last else h) + o
            h = h + mlp(ff, ln(h), torch.relu)
        return mlp(read, ln(h[:, 0]), None)

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(logits(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "linformer", "width": d, "heads": H, "layers": c["layers"],
                                           "proj_len": k or L},
                settings(c, ("seed", "L", "V", "n", "flip", "corrupt", "d", "heads", "layers", "k", "share", "opt",
                             "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy", "task": "first-equals-last-token",
                   "test_loss": "heldout-ce-true-labels", "error": "misclassified",
                   "labels_per_weight": "%.3g" % (n / count(params))}, output_dim=2)

    def losses(z, t):
        out = logits(z)
        return fn.cross_entropy(out, t), (out.argmax(1) != t).float().mean()

    def log(e, final):
        lt, et = losses(x, yn)
        lh, eh = losses(xt, yt)
        run.log(e, lt, lh, et, eh, final=final)

    epoch_loop(g, n, c, step, log)


def runs_linformer_proj():
    # The logic: 600 training sequences of 32 tokens (vocabulary 8), the label whether the first and the last token
    # are the same, 10% of the labels flipped; the Linformer has V d + L d + 8 d^2 + 5 d + 2 k L + 2 weights with one
    # block (3,026 at d 16, k 4), five per training label, so it can fit them, the flipped ones too, by telling the
    # sequences apart, where the rule asks it to compare two tokens 31 positions apart through k 4 projected keys and
    # values. Adam at 0.003 on minibatches of 60, 80 epochs. One thing at a time besides: k 1, 2, 8 and 16, no
    # projection (full attention), E = F, width 8 and 32, 16, 64 and 128 tokens a sequence, a vocabulary of 16, 300
    # and 1,500 sequences, clean labels and 25% flipped, 10% corrupted tokens, momentum SGD at 0.05, Adam at 0.01.
    # Evaluation spacing mixed.
    base = dict(L=32, V=8, n=600, flip=0.1, corrupt=None, d=16, heads=2, layers=1, k=4, share=None, opt="adam",
                lr=0.003, batch=60, epochs=80, eval="every:2")
    return linformer_proj, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(k=1, eval="every"),
        dict(k=2, eval="jitter:40"),
        dict(k=8, eval="every:3"),
        dict(k=16, eval="log:40"),
        dict(k=None, eval="every:2"),
        dict(share=True, eval="geom:3"),
        dict(d=8, eval="mixed:40:4"),
        dict(d=32, eval="every:2"),
        dict(L=16, eval="every:2"),
        dict(L=64, eval="every:4"),
        dict(L=128, eval="log:30"),
        dict(V=16, eval="every:3"),
        dict(n=300, eval="every"),
        dict(n=1500, eval="every:3"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.25, eval="burst:20:5"),
        dict(corrupt=0.1, eval="every:2"),
        dict(opt="momentum", lr=0.05, eval="rand:60"),
        dict(lr=0.01, eval="mixlog:30:40"),
    ], lambda d: "L%d-V%d-n%d%s%s-d%d-H%d-layers%d-%s-%s-lr%g" % (
        d["L"], d["V"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean",
        "-corrupt%g" % d["corrupt"] if d.get("corrupt") else "", d["d"], d["heads"], d["layers"],
        ("k%d%s" % (d["k"], "-shared" if d.get("share") else "")) if d.get("k") else "full", d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- longconv-implicit


def lag_sequences(g, m, L, V):
    """m sequences of L tokens uniform over V (m x L) and their targets at the positions t = L / 2 ... L - 1
    (m x L / 2): the token L / 2 steps back when the token at t is below V / 2, the token L / 4 steps back
    otherwise."""
    x = torch.randint(V, (m, L), generator=g)
    t = torch.arange(L // 2, L)
    return x, torch.where(x[:, t] < V // 2, x[:, t - L // 2], x[:, t - L // 4])


def fft_conv(v, h):
    """The causal convolution of v (B, D, L) by the per-channel kernels h (D, L): sum_s h[:, s] v[:, t - s], by FFT
    zero-padded to 2 L."""
    L = v.shape[-1]
    return torch.fft.irfft(torch.fft.rfft(v, n=2 * L) * torch.fft.rfft(h, n=2 * L), n=2 * L)[..., :L]


def longconv_implicit(w, run_id, c):
    """A Hyena-like long-convolution sequence model, float32. Data (from the run's generator): n training and 200
    held-out sequences (lag_sequences); a share flip of the training targets flipped to another token, a share
    corrupt of the training tokens replaced at random afterwards. Model: token embeddings N(0, I) of width D; u ->
    [v, gate] = u W_in + b (D -> 2 D); a causal depthwise convolution of kernel 3 on both streams; y = v * h + s v
    (fft_conv, s a learnt per-channel skip); z = gate y (z = y without the gate); r = u + z W_out + b; the head an
    MLP LN(r) -> 2 D -> V (ReLU). The kernel h (D x L): 'mlp' an MLP (2 P + 1) -> hf -> hf -> D with sine
    activations over the features t / L, sin(2 pi f t / L), cos(2 pi f t / L), f = 1 ... P; 'modes' sum_r a_cr
    exp(-lambda_cr t / L) cos(2 pi omega_cr t / L + phi_cr), R modes a channel (a N(0, 1 / R), lambda log-uniform on
    [0.5, 5], omega U(0, P), phi U(0, 2 pi), all learnt); 'explicit' a free D x L array (N(0, 1 / L)); times the
    window exp(-alpha_c t / L), alpha_c evenly from 3 to 15 over the channels (Hyena's), unless decay is off. The
    maps U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the cross-entropy over the target positions.
    Optimizer: make_opt on minibatches. Train loss: that cross-entropy on the training sequences at their given
    targets; test loss: the same on the held-out sequences, true targets; error rates: the misclassified shares of
    the target positions."""
    g = torch.Generator().manual_seed(703_000 + c["seed"])
    n, L, V, D, P = c["n"], c["L"], c["V"], c["D"], c.get("P")
    x, y = lag_sequences(g, n, L, V)
    xt, yt = lag_sequences(g, 200, L, V)
    yn = flip_labels(g, y.reshape(-1), V, c.get("flip")).reshape(y.shape)
    x = corrupt_tokens(g, x, V, c.get("corrupt"))
    emb = leaves([torch.randn(V, D, generator=g)])
    w_in = mlp_params(g, [D, 2 * D], F32)
    short = leaves([uniform(g, 3, 2 * D, 3)])
    skip = leaves([uniform(g, 1, D)])
    w_out = mlp_params(g, [D, D], F32)
    head = mlp_params(g, [D, 2 * D, V], F32)
    tpos = torch.arange(L, dtype=F32) / L
    if c["filter"] == "mlp":
        f = torch.arange(1, P + 1, dtype=F32)
        feats = torch.cat([tpos[:, None], torch.sin(2 * math.pi * f * tpos[:, None]),
                           torch.cos(2 * math.pi * f * tpos[:, None])], 1)
        kern = mlp_params(g, [2 * P + 1, c["hf"], c["hf"], D], F32)
    elif c["filter"] == "modes":
        R = c["R"]
        kern = leaves([torch.randn(D, R, generator=g) / math.sqrt(R),
                       math.log(0.5) + math.log(10.0) * torch.rand(D, R, generator=g),
                       P * torch.rand(D, R, generator=g), 2 * math.pi * torch.rand(D, R, generator=g)])
    else:
        kern = leaves([torch.randn(D, L, generator=g) / math.sqrt(L)])
    window = torch.exp(-torch.linspace(3.0, 15.0, D)[:, None] * tpos[None, :]) if c.get("decay") else None
    params = emb + w_in + short + skip + w_out + head + kern

    def kernel():
        if c["filter"] == "mlp":
            h = mlp(kern, feats, torch.sin).T  # (D, L)
        elif c["filter"] == "modes":
            a, loglam, om, ph = kern
            t = tpos[None, None, :]
            h = (a[..., None] * torch.exp(-torch.exp(loglam)[..., None] * t)
                 * torch.cos(2 * math.pi * om[..., None] * t + ph[..., None])).sum(1)
        else:
            h = kern[0]
        return h if window is None else h * window

    def logits(z):
        u = emb[0][z]  # (B, L, D)
        s = (u @ w_in[0] + w_in[1]).transpose(1, 2)  # (B, 2 D, L)
        sp = fn.pad(s, (2, 0))
        s = short[0][:, 0:1] * sp[..., 2:] + short[0][:, 1:2] * sp[..., 1:-1] + short[0][:, 2:3] * sp[..., :-2]
        v, gate = s[:, :D], s[:, D:]
        yv = fft_conv(v, kernel()) + skip[0][:, None] * v
        zz = (gate * yv if c.get("gate") else yv).transpose(1, 2)[:, L // 2:]  # the target positions only
        r = u[:, L // 2:] + zz @ w_out[0] + w_out[1]
        return mlp(head, ln(r), torch.relu)  # (B, L / 2, V)

    def ce(out, t):
        return fn.cross_entropy(out.reshape(-1, V), t.reshape(-1))

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        ce(logits(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n * (L // 2), {"family": "hyena-longconv", "width": D, "filter": c["filter"],
                                                      "gate": bool(c.get("gate")), "decay": bool(c.get("decay"))},
                settings(c, ("seed", "L", "V", "n", "flip", "corrupt", "D", "filter", "P", "hf", "R", "decay", "gate",
                             "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "per-position-cross-entropy", "task": "selective-lag-recall",
                   "test_loss": "heldout-ce-true-targets", "error": "positions-misclassified",
                   "targets_per_weight": "%.3g" % (n * (L // 2) / count(params))}, output_dim=V)

    def losses(z, t):
        out = logits(z)
        return ce(out, t), (out.argmax(2) != t).float().mean()

    def log(e, final):
        lt, et = losses(x, yn)
        lh, eh = losses(xt, yt)
        run.log(e, lt, lh, et, eh, final=final)

    epoch_loop(g, n, c, step, log)


def runs_longconv_implicit():
    # The logic: 48 training sequences of 128 tokens (vocabulary 8), 64 targets each (3,072), 10% of them flipped; the
    # layer has 3 V D + 5 D^2 + 13 D + V + (2 P + 1) hf + hf^2 + 2 hf + hf D weights with the MLP kernel (4,536 at
    # D 16, P 16, hf 32), one and a half for every training target, and one kernel shared by all positions, so it may
    # fit the rule before it can fit the flipped targets, unless the training set is small; the kernel's implicit MLP
    # must place sharp taps at lags 64 and 32. Adam at 0.003 on minibatches of 8, 120 epochs. One thing at a time
    # besides: width 8 and 32, 4 and 32 frequencies, the kernel as 8 damped cosines a channel or an explicit free
    # kernel, no decaying window, no gate, 64 and 256 tokens a sequence, a vocabulary of 16, 16 and 128 sequences,
    # clean and 30% flipped targets, 10% corrupted tokens, momentum SGD at 0.05, Adam at 0.01. Evaluation spacing
    # mixed.
    base = dict(L=128, V=8, n=48, flip=0.1, corrupt=None, D=16, filter="mlp", P=16, hf=32, R=None, decay=True,
                gate=True, opt="adam", lr=0.003, batch=8, epochs=120, eval="every:2")
    return longconv_implicit, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(D=8, eval="every"),
        dict(D=32, eval="jitter:40"),
        dict(P=4, eval="every:3"),
        dict(P=32, eval="log:40"),
        dict(filter="modes", R=8, hf=None, eval="every:2"),
        dict(filter="explicit", P=None, hf=None, eval="geom:3"),
        dict(decay=False, eval="every:2"),
        dict(gate=False, eval="every:4"),
        dict(L=64, eval="every"),
        dict(L=256, eval="log:30"),
        dict(V=16, eval="every:2"),
        dict(n=16, eval="every:2"),
        dict(n=128, eval="every:3"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.3, eval="burst:20:5"),
        dict(corrupt=0.1, eval="mixed:40:4"),
        dict(opt="momentum", lr=0.05, eval="rand:60"),
        dict(lr=0.01, eval="mixlog:30:40"),
    ], lambda d: "L%d-V%d-n%d%s%s-D%d-%s%s%s-%s-lr%g" % (
        d["L"], d["V"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean",
        "-corrupt%g" % d["corrupt"] if d.get("corrupt") else "", d["D"],
        {"mlp": "mlp-P%s-hf%s" % (d.get("P"), d.get("hf")), "modes": "modes-R%s" % d.get("R"),
         "explicit": "explicit"}[d["filter"]], "" if d.get("decay") else "-nodecay",
        "" if d.get("gate") else "-nogate", d["opt"], d["lr"]))


FAMILIES = {"performer-favor": runs_performer_favor, "linformer-proj": runs_linformer_proj,
            "longconv-implicit": runs_longconv_implicit}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
