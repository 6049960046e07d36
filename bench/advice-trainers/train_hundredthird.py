#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-third held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is delayed generalisation: small networks on algorithmic
tables (small-group composition, sparse parity, modular arithmetic) trained long under AdamW with decoupled weight
decay, or from a large initialisation scale, on a fraction of all inputs, part of the training answers corrupted in
part of the grid, so that the held-out loss may fall long after the training set is fitted (or may not):

- groupmul-onehot-mlp: the composition table g * h of a small finite group (the symmetric group S4, the alternating
  group A4, the dihedral group of order 24 and the cyclic group Z24), its elements as permutations composed exactly; an
  MLP on the concatenated one-hot codes of g and h (one or two hidden ReLU layers; the square activation in 1 run) to
  |G| logits; a share of the |G|^2 pairs for training, the others held out; float32, full-batch AdamW (minibatch in 1
  run; Adam with coupled L2 as a reference). Noise: a share of the training pairs' products replaced by another
  element. Objective: the cross-entropy (the squared error on one-hot targets in 1 run).
- parity-initscale-mlp: the parity of a fixed random subset of k of L bits (the +-1 bits as inputs), all 2^L strings
  split at random into a training fraction and the held-out rest; a one-hidden-layer MLP (ReLU; tanh in 1 run) to one
  logit, every weight drawn at alpha times PyTorch's default scale (alpha 1 ... 8, the large initialisation of
  Omnigrok); float32, full-batch AdamW. Noise: a share of the training labels flipped. Objective: the binary
  cross-entropy (the squared error of the logit against the +-1 label in 2 runs).
- modop-tinyformer: a tiny transformer written out (token and position embeddings, one or two layers of multi-head
  causal self-attention and a ReLU feed-forward block, residual connections, no LayerNorm, an unembedding read at the
  '=' position) on the sequence (a, b, '=') labelled a o b mod p for o division (a times b's inverse, b not 0),
  multiplication, addition, subtraction or a^2 + b^2; a share of the pairs for training, the others held out; every
  weight at alpha times its base scale; float32, full-batch AdamW (betas 0.9, 0.98). Noise: a share of the training
  answers replaced by another residue.

Train loss: the cross-entropy (binary for the parity) of the training inputs at their given (noisy) answers, whatever
the objective; test loss: the same on the held-out inputs at their true answers; error rates: the misclassified
shares. One epoch is 'spe' full-batch steps (one pass of minibatches where batch is set). A run whose loss turns NaN
or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py and logger and
train_until (train_thirtyninth.py's epoch_loop with eval_epochs) from train_seventyfourth.py; one thread, every random
draw from a seeded torch.Generator (splits, label flips, subsets, initialisations, minibatches), synthetic event times,
6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredthird.py --family groupmul-onehot-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): groupmul-onehot-mlp, parity-initscale-mlp, modop-tinyformer. Evaluation spacings: train.py's
'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K',
'mixlog:A:K', 'geom:G', 'burst:P:B'.
"""
import itertools
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as fn  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402  (U(+-1 / sqrt(fan-in)) from a generator)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32 = torch.float32


# ---------------------------------------------------------------------------------------------------- shared parts


def split(g, total, frac):
    """A seeded permutation of range(total): the first round(frac * total) for training, the rest held out."""
    perm = torch.randperm(total, generator=g)
    n = int(round(frac * total))
    return perm[:n], perm[n:]


def make_opt(params, c):
    """'adamw': torch.optim.AdamW (decoupled decay wd, betas (0.9, b2)); 'adam': Adam with coupled L2 wd."""
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=c["lr"], betas=(0.9, c.get("b2") or 0.999), weight_decay=c.get("wd") or 0.0)
    return torch.optim.Adam(params, lr=c["lr"], betas=(0.9, c.get("b2") or 0.999), weight_decay=c.get("wd") or 0.0)


def fit_table(w, run_id, c, g, params, forward, x, y, xt, yt, K, model_info, tags, objective=None):
    """Trains forward(inputs) -> logits (K classes, or one logit where K is 2 and 'binary') on (x, y) and logs the
    cross-entropy (binary for one logit) on the training inputs at y and on the held-out inputs at their true yt, with
    the misclassified shares. objective(out, y) is the training objective (the same cross-entropy by default). One
    epoch: 'spe' full-batch steps, or one pass of minibatches of 'batch'."""
    n = len(y)
    binary = K == 2 and c.get("binary")
    opt = make_opt(params, c)

    def ce(o, t):
        return fn.binary_cross_entropy_with_logits(o[:, 0], t.to(o.dtype)) if binary else fn.cross_entropy(o, t)

    def pred(o):
        return (o[:, 0] > 0).long() if binary else o.argmax(1)

    obj = objective or ce

    def step(idx):
        for _ in range(1 if idx is not None else (c.get("spe") or 1)):
            opt.zero_grad()
            obj(forward(take(x, idx)), take(y, idx)).backward()
            opt.step()

    run = w.run(run_id, count(params), n, model_info,
                tags | {"test_loss": "heldout-%s-true-labels" % ("bce" if binary else "ce"), "error": "misclassified",
                        "test_size": str(len(yt)), "full_batch": "false" if c.get("batch") else "true"},
                output_dim=1 if binary else K)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        log_(e, ce(o, y), ce(ot, yt), (pred(o) != y).float().mean(), (pred(ot) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log)


# ------------------------------------------------------------------------------------------------ groupmul-onehot-mlp


def compose(p, q):
    """(p * q)(i) = p(q(i)): q first."""
    return tuple(p[i] for i in q)


def parity_of(p):
    return sum(1 for i in range(len(p)) for j in range(i + 1, len(p)) if p[i] > p[j]) % 2


def group_elements(name):
    """The group's elements as permutation tuples, sorted: 's4' all of S4, 'a4' / 'a5' the even permutations of 4 / 5
    points (A5 in no run), 'd12' the dihedral group of the 12-gon (order 24: i -> +-i + r mod 12), 'z24' the rotations
    of 24 points."""
    if name in ("s4", "a4", "a5"):
        m = 5 if name == "a5" else 4
        ps = list(itertools.permutations(range(m)))
        return ps if name == "s4" else [p for p in ps if parity_of(p) == 0]
    if name == "d12":
        return sorted({tuple((s * i + r) % 12 for i in range(12)) for r in range(12) for s in (1, -1)})
    if name == "z24":
        return sorted(tuple((i + r) % 24 for i in range(24)) for r in range(24))
    raise ValueError(name)


def group_table(name):
    """(a, b, a * b) over all ordered pairs, as element indexes."""
    els = group_elements(name)
    index = {p: i for i, p in enumerate(els)}
    G = len(els)
    a = torch.arange(G).repeat_interleave(G)
    b = torch.arange(G).repeat(G)
    ab = torch.tensor([index[compose(els[i], els[j])] for i, j in zip(a.tolist(), b.tolist())])
    return a, b, ab, G


def groupmul_onehot_mlp(w, run_id, c):
    """An MLP on the one-hot codes of a group's composition table, float32. Data (from the run's generator): group_table,
    a share frac of the |G|^2 pairs for training (the rest held out), a share flip of the training products replaced by
    another element (flip_labels). Model: [onehot(a), onehot(b)] (2|G|) -> hid ReLU (x depth) -> |G| logits, every
    layer U(+-alpha / sqrt(fan-in)) from the run's generator. Objective: the cross-entropy ('ce') or the squared error on
    one-hot targets summed over the classes ('mse'); optimizer make_opt."""
    g = torch.Generator().manual_seed(1_031_000 + c["seed"])
    a, b, ab, G = group_table(c["group"])
    tr, te = split(g, G * G, c["frac"])
    X = torch.cat([fn.one_hot(a, G), fn.one_hot(b, G)], 1).to(F32)
    y = flip_labels(g, ab[tr], G, c.get("flip"))
    dims = [2 * G] + [c["hid"]] * c["depth"] + [G]
    params = leaves([t for i, o in zip(dims, dims[1:]) for t in (c["alpha"] * uniform(g, i, i, o),
                                                                    c["alpha"] * uniform(g, i, o))])

    act = torch.relu if c["act"] == "relu" else torch.square

    def forward(z):
        for j in range(0, len(params) - 2, 2):
            z = act(z @ params[j] + params[j + 1])
        return z @ params[-2] + params[-1]

    def mse(o, t):
        return ((o - fn.one_hot(t, G).to(o.dtype)) ** 2).sum(1).mean()

    fit_table(w, run_id, c, g, params, forward, X[tr], y, X[te], ab[te], G,
              {"family": "mlp", "width": c["hid"], "depth": c["depth"], "activation": c["act"],
               "input": "one-hot-pair"},
              settings(c, ("seed", "group", "frac", "flip", "hid", "depth", "act", "obj", "alpha", "opt", "lr", "wd", "b2",
                           "spe", "batch", "eval"))
              | {"optimizer": c["opt"], "loss": "cross-entropy" if c["obj"] == "ce" else "mse-onehot",
                 "group_order": str(G), "decay": "decoupled" if c["opt"] == "adamw" else "coupled-l2"},
              objective=mse if c["obj"] == "mse" else None)


def runs_groupmul_onehot_mlp():
    # The logic: S4's composition table (24 elements, 576 ordered pairs), 80% of the pairs for training, 10% of their
    # products replaced by another element; an MLP 48 -> 128 ReLU -> 24 (9,368 weights, twenty a training pair, so it
    # can memorise every pair and the corrupted products) at PyTorch's default initialisation scale, full-batch AdamW
    # at 1e-2 (betas 0.9, 0.98) with decoupled weight decay 1, 10 steps an epoch, 300 epochs (3,000 steps): the table
    # is memorised within some hundreds of steps, the held-out cross-entropy rising as it is, and the decay then
    # shrinks the memorising weights so that the group's structure may take over late, the held-out loss falling long
    # after the fit (or, where the decay is too weak or the pairs too few, never). One thing at a time besides: the
    # groups A4 (144 pairs), the dihedral group of order 24 and Z24; 60%, 70% and 90% of the pairs; clean and 25%
    # corrupted products; weight decay 0.3 and 3 (and 0: no decay); alpha 2 and 4 (a large initialisation); width 64
    # and 256; two hidden layers; the square activation (at the step 3e-3); the squared error on one-hot targets as the
    # objective; minibatches of 64; Adam with coupled L2 1e-2 as a reference. Evaluation spacing mixed.
    base = dict(group="s4", frac=0.8, flip=0.1, hid=128, depth=1, act="relu", obj="ce", alpha=1.0, opt="adamw",
                lr=1e-2, wd=1.0, b2=0.98, spe=10, batch=None, epochs=300, eval="every")
    return groupmul_onehot_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(group="a4", eval="every:2"),
        dict(group="d12", eval="log:40"),
        dict(group="z24", eval="jitter:40"),
        dict(frac=0.6, eval="every:3"),
        dict(frac=0.7, eval="geom:3"),
        dict(frac=0.9, eval="every"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.25, eval="burst:30:6"),
        dict(wd=0.3, eval="mixlog:30:40"),
        dict(wd=3.0, eval="every"),
        dict(wd=None, eval="every:4"),
        dict(alpha=2.0, eval="every:2"),
        dict(alpha=4.0, eval="rand:120"),
        dict(hid=64, eval="every"),
        dict(hid=256, eval="every:3"),
        dict(depth=2, eval="mixed:60:5"),
        dict(act="sq", lr=3e-3, eval="every:2"),
        dict(obj="mse", eval="mixed:40:3"),
        dict(batch=64, spe=None, epochs=150, eval="every:2"),
        dict(opt="adam", wd=1e-2, eval="jitter:35"),
    ], lambda d: "%s-frac%g%s-%s%dx%d-%s-alpha%g-%s-lr%g%s-%s" % (
        d["group"], d["frac"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["act"], d["depth"], d["hid"],
        d["obj"], d["alpha"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "-nowd",
        "b%d" % d["batch"] if d.get("batch") else "full%d" % d["spe"]))


# ----------------------------------------------------------------------------------------------- parity-initscale-mlp


def parity_initscale_mlp(w, run_id, c):
    """A one-hidden-layer MLP on a sparse parity, float32. Data (from the run's generator): all 2^L strings of L +-1
    bits, the label the parity of a fixed random subset of k positions (1 where their product is -1), a share frac of
    the strings for training, the rest held out; a share flip of the training labels flipped. Model: L -> hid (ReLU or
    tanh) -> one logit, every weight and bias U(+-alpha / sqrt(fan-in)) from the run's generator. Objective: the binary
    cross-entropy ('bce') or the squared error of the logit against the +-1 label ('mse'); optimizer make_opt."""
    g = torch.Generator().manual_seed(1_032_000 + c["seed"])
    L, k = c["bits"], c["k"]
    codes = torch.arange(2 ** L)
    X = (1 - 2 * ((codes[:, None] >> torch.arange(L)) & 1)).to(F32)
    S = torch.randperm(L, generator=g)[:k]
    Y = (X[:, S].prod(1) < 0).long()
    tr, te = split(g, 2 ** L, c["frac"])
    y = flip_labels(g, Y[tr], 2, c.get("flip"))
    h, alpha = c["hid"], c["alpha"]
    params = leaves([alpha * uniform(g, L, L, h), alpha * uniform(g, L, h), alpha * uniform(g, h, h, 1),
                     alpha * uniform(g, h, 1)])
    act = torch.tanh if c["act"] == "tanh" else torch.relu

    def forward(z):
        return act(z @ params[0] + params[1]) @ params[2] + params[3]

    def mse(o, t):
        return ((o[:, 0] - (2 * t - 1).to(o.dtype)) ** 2).mean()

    fit_table(w, run_id, dict(c, binary=True), g, params, forward, X[tr], y, X[te], Y[te], 2,
              {"family": "mlp", "width": h, "depth": 1, "activation": c["act"], "input": "pm1-bits"},
              settings(c, ("seed", "bits", "k", "frac", "flip", "hid", "act", "alpha", "obj", "opt", "lr", "wd", "b2",
                           "spe", "batch", "eval"))
              | {"optimizer": c["opt"], "loss": "binary-cross-entropy" if c["obj"] == "bce" else "mse-pm1",
                 "decay": "decoupled" if c["opt"] == "adamw" else "coupled-l2"},
              objective=mse if c["obj"] == "mse" else None)


def runs_parity_initscale_mlp():
    # The logic: the parity of 4 of 12 bits, all 4,096 strings, 15% of them (614) for training, 5% of their labels
    # flipped; an MLP 12 -> 128 ReLU -> 1 (1,793 weights, three a training string) drawn at 4 times PyTorch's default
    # scale (Omnigrok's large initialisation: the big random features memorise the training strings early, the
    # held-out cross-entropy large), full-batch AdamW at 3e-3 (betas 0.9, 0.98) with decoupled weight decay 1, 10 steps
    # an epoch, 200 epochs: the decay shrinks the weights towards the norm at which the parity's few features win, the
    # held-out loss falling late (or not within the run; a smaller parity is found at once). One thing at a time
    # besides: alpha 1 (the default scale), 2 and 8; weight decay 0.3, 3 and 0; 8% and 30% of the strings; clean and 15%
    # flipped labels; k 3 and 5; 10 bits (half of the 1,024 strings, k 3) and 14 bits (5% of the 16,384, k 5); width 32
    # and 512; tanh; the squared error of the logit (at alpha 4 and 1); Adam with coupled L2 1e-2. Evaluation spacing
    # mixed.
    base = dict(bits=12, k=4, frac=0.15, flip=0.05, hid=128, act="relu", alpha=4.0, obj="bce", opt="adamw", lr=3e-3,
                wd=1.0, b2=0.98, spe=10, batch=None, epochs=200, eval="every:2")
    return parity_initscale_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(alpha=1.0, eval="every"),
        dict(alpha=2.0, eval="log:40"),
        dict(alpha=8.0, eval="mixed:50:5"),
        dict(wd=0.3, eval="every:3"),
        dict(wd=3.0, eval="jitter:40"),
        dict(wd=None, eval="every:2"),
        dict(frac=0.08, eval="geom:3"),
        dict(frac=0.3, eval="every"),
        dict(flip=None, eval="every:4"),
        dict(flip=0.15, eval="burst:40:8"),
        dict(k=3, eval="every"),
        dict(k=5, eval="mixlog:40:40"),
        dict(bits=10, k=3, frac=0.5, eval="every:3"),
        dict(bits=14, k=5, frac=0.05, epochs=120, eval="every:4"),
        dict(hid=32, eval="every:2"),
        dict(hid=512, eval="rand:110"),
        dict(act="tanh", eval="every"),
        dict(obj="mse", eval="every:2"),
        dict(obj="mse", alpha=1.0, eval="log:35"),
        dict(opt="adam", wd=1e-2, eval="every:5"),
    ], lambda d: "L%d-k%d-frac%g%s-%s%d-alpha%g-%s-%s-lr%g%s" % (
        d["bits"], d["k"], d["frac"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["act"], d["hid"],
        d["alpha"], d["obj"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "-nowd"))


# --------------------------------------------------------------------------------------------------- modop-tinyformer


def modop(op, a, b, p):
    """a o b mod p: 'div' a times the inverse of b (b not 0), 'mul', 'add', 'sub', 'sq' a^2 + b^2, 'cube' a^3 + a b."""
    if op == "div":
        inv = torch.tensor([pow(v, p - 2, p) if v else 0 for v in range(p)])
        return (a * inv[b]) % p
    return {"mul": a * b, "add": a + b, "sub": a - b, "sq": a * a + b * b, "cube": a ** 3 + a * b}[op] % p


def modop_tinyformer(w, run_id, c):
    """A tiny transformer on modular arithmetic, float32. Data (from the run's generator): the pairs (a, b) of residues
    mod p (b not 0 for 'div'), the sequence (a, b, '='), the label modop; a share frac of the pairs for training, the
    rest held out; a share flip of the training answers replaced by another residue. Model: token (p + 1) and position
    (3) embeddings of width d, 'layers' blocks of causal multi-head self-attention ('heads' heads, residual) and a ReLU
    feed-forward block of 4 d (residual), no LayerNorm, an unembedding of the '=' position to p logits; the embeddings
    N(0, 1) / sqrt(d), the projections U(+-1 / sqrt(fan-in)), biases zero, all times alpha, from the run's generator.
    Objective: the cross-entropy; optimizer make_opt."""
    g = torch.Generator().manual_seed(1_033_000 + c["seed"])
    p, d, H, nl, alpha = c["p"], c["d"], c["heads"], c["layers"], c["alpha"]
    a = torch.arange(p).repeat_interleave(p)
    b = torch.arange(p).repeat(p)
    if c["op"] == "div":
        a, b = a[b > 0], b[b > 0]
    lab = modop(c["op"], a, b, p)
    seq = torch.stack([a, b, torch.full_like(a, p)], 1)
    tr, te = split(g, len(lab), c["frac"])
    y = flip_labels(g, lab[tr], p, c.get("flip"))
    E = alpha * torch.randn(p + 1, d, generator=g) / math.sqrt(d)
    P = alpha * torch.randn(3, d, generator=g) / math.sqrt(d)
    blocks = []
    for _ in range(nl):
        blocks += [alpha * uniform(g, d, d, 3 * d), alpha * uniform(g, d, d, d),
                   alpha * uniform(g, d, d, 4 * d), torch.zeros(4 * d), alpha * uniform(g, 4 * d, 4 * d, d),
                   torch.zeros(d)]
    U = alpha * uniform(g, d, d, p)
    params = leaves([E, P] + blocks + [U])
    mask = torch.ones(3, 3).tril().bool()
    dh = d // H

    def forward(s):
        z = params[0][s] + params[1]
        n = len(s)
        for j in range(nl):
            Wqkv, Wo, W1, b1, W2, b2 = params[2 + 6 * j:8 + 6 * j]
            q, kk, v = (z @ Wqkv).view(n, 3, 3, H, dh).permute(2, 0, 3, 1, 4)
            att = (q @ kk.transpose(-1, -2)) / math.sqrt(dh)
            att = torch.softmax(att.masked_fill(~mask, float("-inf")), -1)
            z = z + (att @ v).transpose(1, 2).reshape(n, 3, d) @ Wo
            z = z + torch.relu(z @ W1 + b1) @ W2 + b2
        return z[:, -1] @ params[-1]

    fit_table(w, run_id, c, g, params, forward, seq[tr], y, seq[te], lab[te], p,
              {"family": "transformer", "layers": nl, "d_model": d, "heads": H, "layernorm": "none"},
              settings(c, ("seed", "p", "op", "frac", "flip", "d", "heads", "layers", "alpha", "opt", "lr", "wd", "b2",
                           "spe", "batch", "eval"))
              | {"optimizer": c["opt"], "loss": "cross-entropy", "pairs": str(len(lab)),
                 "decay": "decoupled" if c["opt"] == "adamw" else "coupled-l2"})


def runs_modop_tinyformer():
    # The logic: division mod 17 (a times the inverse of b; 272 pairs, b not 0), 80% of the pairs for training, 10% of
    # their answers replaced; a one-layer transformer of width 32 with 4 heads (about 13,000 weights, sixty a training
    # pair) at the base scale, full-batch AdamW at 3e-3 (betas 0.9, 0.98) with decoupled weight decay 1, 5 steps an
    # epoch, 120 epochs (600 steps): the pairs are memorised within a few hundred steps, the held-out loss rising, and
    # the decay may carry the network to the modular structure later, the held-out loss falling long after the fit (the
    # setting of Power et al. 2022, small and short; it may not). One thing at a time besides: multiplication,
    # addition, subtraction and a^2 + b^2; mod 13 and 23; 60% and 90% of the pairs; clean and 25% corrupted answers;
    # weight decay 0.3, 3 and 0; alpha 0.5 and 2 (a large scale); two layers; the step 1e-2; Adam with coupled L2 1e-2
    # as a reference. Evaluation spacing mixed.
    base = dict(p=17, op="div", frac=0.8, flip=0.1, d=32, heads=4, layers=1, alpha=1.0, opt="adamw", lr=3e-3, wd=1.0,
                b2=0.98, spe=5, batch=None, epochs=120, eval="every")
    return modop_tinyformer, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(op="mul", eval="every:2"),
        dict(op="add", eval="log:40"),
        dict(op="sub", eval="every"),
        dict(op="sq", eval="jitter:40"),
        dict(p=13, eval="every"),
        dict(p=23, eval="mixed:40:4"),
        dict(frac=0.6, eval="every:2"),
        dict(frac=0.9, eval="geom:3"),
        dict(flip=None, eval="every"),
        dict(flip=0.25, eval="burst:30:6"),
        dict(wd=0.3, eval="every:2"),
        dict(wd=3.0, eval="mixlog:30:40"),
        dict(wd=None, eval="every:3"),
        dict(alpha=0.5, eval="every"),
        dict(alpha=2.0, eval="rand:80"),
        dict(layers=2, eval="every:2"),
        dict(lr=1e-2, eval="every"),
        dict(opt="adam", wd=1e-2, eval="every:2"),
    ], lambda d: "p%d-%s-frac%g%s-L%dd%dh%d-alpha%g-%s-lr%g%s" % (
        d["p"], d["op"], d["frac"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["layers"], d["d"],
        d["heads"], d["alpha"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "-nowd"))


FAMILIES = {"groupmul-onehot-mlp": runs_groupmul_onehot_mlp, "parity-initscale-mlp": runs_parity_initscale_mlp,
            "modop-tinyformer": runs_modop_tinyformer}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
