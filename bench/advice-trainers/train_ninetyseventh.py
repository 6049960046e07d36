#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, ninety-seventh held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is small sequence models on synthetic algorithmic tasks with
noisy targets, trained long under AdamW with weight decay, held-out sequences as the test set:

- modsum-attn-wd: a one-layer transformer written out (token and position embeddings, multi-head self-attention read
  at the '=' position, a ReLU feed-forward layer, residual connections, optional pre-LayerNorm, an unembedding) on
  modular arithmetic: the sequence (a, b, '=') labelled (a + b) mod p (a - b mod p in 1 run), a share of the p^2 pairs
  for training, the other pairs held out; float32, full-batch AdamW with decoupled weight decay (Adam without decay and
  momentum SGD with coupled decay as references). Noise: a share of the training pairs' answers replaced by another
  residue. Loss: the cross-entropy (the squared error on one-hot targets in 1 run).
- parity-gru-flip: a GRU (torch.nn.GRU, its weights drawn from the run's generator) reading a bit string one bit a
  step (the bit as +-1 next to a one-hot of its position) and classifying the parity of a fixed random subset of k of
  its L positions from its last hidden state; the 2^L strings split at random into n training and 'test' held-out
  strings; float32, minibatch AdamW. Noise: a share of the training labels flipped. Loss: the cross-entropy (with label
  smoothing in 1 run).
- seqsort-conv1d: a 1-D convolutional network (same-padded convolutions with ReLU over the one-hot tokens and a one-hot
  of each position, a 1 x 1 convolution to the vocabulary's logits at every position) mapping a short token sequence to
  its sorted sequence (its reverse in 2 runs); n random training sequences and 'test' fresh held-out sequences (none of
  them in the training set); float32, minibatch AdamW. Noise: a share of the training target tokens replaced by another
  token ('token'), or a share of the training sequences given a random permutation of their tokens as target
  ('shuffle'). Loss: the cross-entropy per position.

Train loss: the loss on the training sequences at their given (noisy) targets; test loss: the same loss on the held-out
sequences at their true targets; error rates: the misclassified shares (per position for seqsort-conv1d). A run whose
loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, logger and
train_until from train_seventyfourth.py and classifier_log from train_eightythird.py; one thread, every random draw from
a seeded torch.Generator (splits, label flips and corruptions, subsets, sequences, initialisations, minibatches),
synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_ninetyseventh.py --family modsum-attn-wd [--list] [--runs 0,3] [--out FILE]

Families (see README.md): modsum-attn-wd, parity-gru-flip, seqsort-conv1d. Evaluation spacings: train.py's 'every',
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
import torch.nn.functional as fn  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402  (U(+-1 / sqrt(fan-in)) from a generator)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_eightythird import classifier_log  # noqa: E402

torch.set_num_threads(1)

F32 = torch.float32


def make_opt(c, params):
    """'adamw' torch.optim.AdamW (decoupled decay wd, betas (0.9, b2)), 'adam' torch.optim.Adam (no decay), 'sgd'
    torch.optim.SGD with momentum 0.9 and coupled decay wd."""
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=c["lr"], betas=(0.9, c.get("b2") or 0.999), weight_decay=c.get("wd") or 0.0)
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], betas=(0.9, c.get("b2") or 0.999))
    return torch.optim.SGD(params, lr=c["lr"], momentum=0.9, weight_decay=c.get("wd") or 0.0)


def onehot_mse(K):
    def loss(out, t):
        return ((out - fn.one_hot(t, K).to(out.dtype)) ** 2).sum(1).mean()
    return loss


# ---------------------------------------------------------------------------------------------------- modsum-attn-wd


def modsum_attn_wd(w, run_id, c):
    """A one-layer transformer on modular arithmetic, float32. Data (from the run's generator): all p^2 pairs (a, b) as
    the sequence (a, b, '=') (token '=' = p), labelled (a + b) mod p ('add') or (a - b) mod p ('sub'); a share frac of
    them at random for training, the rest held out; a share flip of the training answers replaced by another residue
    (flip_labels). Model: token embedding E (p + 1 x d) and position embedding P (3 x d), N(0, 1 / d); one attention
    layer of 'heads' heads (W_q, W_k, W_v, W_o d x d, U(+-1 / sqrt(d))), its query the '=' position's only (the output
    reads that position, so the other positions' queries do not matter), x = x + attention; x = x + W_2 relu(W_1 x +
    b_1) + b_2 (hidden ff); logits = x U (d x p); pre-LayerNorm (no gain) before the attention, the feed-forward layer
    and the unembedding where 'ln' is set. Loss: the cross-entropy, or the squared error on one-hot targets ('mse').
    Optimizer: make_opt on the whole training set, one step an epoch. Train loss: the loss on the training pairs at
    their given answers; test loss: the same on the held-out pairs at their true answers; error rates: the
    misclassified shares."""
    g = torch.Generator().manual_seed(971_000 + c["seed"])
    p, d, H, ff = c["p"], c["d"], c["heads"], c["ff"]
    a = torch.arange(p).repeat_interleave(p)
    b = torch.arange(p).repeat(p)
    y_all = (a + b) % p if c["op"] == "add" else (a - b) % p
    seqs = torch.stack([a, b, torch.full_like(a, p)], 1)
    perm = torch.randperm(p * p, generator=g)
    n = int(round(c["frac"] * p * p))
    tr, te = perm[:n], perm[n:]
    x, xt, y, yt = seqs[tr], seqs[te], y_all[tr], y_all[te]
    yn = flip_labels(g, y, p, c.get("flip"))
    params = leaves([torch.randn(p + 1, d, generator=g) / math.sqrt(d), torch.randn(3, d, generator=g) / math.sqrt(d),
                     uniform(g, d, d, d), uniform(g, d, d, d), uniform(g, d, d, d), uniform(g, d, d, d),
                     uniform(g, d, d, ff), uniform(g, d, ff), uniform(g, ff, ff, d), uniform(g, ff, d),
                     uniform(g, d, d, p)])
    E, P, Wq, Wk, Wv, Wo, W1, b1, W2, b2, U = params
    dh = d // H

    def norm(z):
        return fn.layer_norm(z, (d,)) if c.get("ln") else z

    def forward(s):
        m = len(s)
        h0 = E[s] + P  # m x 3 x d
        h = norm(h0)
        q = (h[:, -1] @ Wq).view(m, H, 1, dh)
        k = (h @ Wk).view(m, 3, H, dh).transpose(1, 2)
        v = (h @ Wv).view(m, 3, H, dh).transpose(1, 2)
        att = torch.softmax(q @ k.transpose(2, 3) / math.sqrt(dh), -1)
        z = h0[:, -1] + (att @ v).reshape(m, d) @ Wo
        z = z + torch.relu(norm(z) @ W1 + b1) @ W2 + b2
        return norm(z) @ U

    loss = fn.cross_entropy if c["loss"] == "ce" else onehot_mse(p)
    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        loss(forward(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "transformer", "layers": 1, "d_model": d, "heads": H, "ff": ff,
                                           "norm": "pre-ln" if c.get("ln") else "none"},
                settings(c, ("seed", "p", "op", "frac", "flip", "d", "heads", "ff", "ln", "opt", "lr", "wd", "b2",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy" if c["loss"] == "ce" else "mse-onehot",
                   "task": "modular-" + c["op"], "noise": "uniform-other-residue" if c.get("flip") else "none",
                   "test_loss": "heldout-pairs-true-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=p)
    train_until(g, n, c, step, classifier_log(run, forward, x, yn, xt, yt, loss))


def runs_modsum_attn_wd():
    # The logic: p = 23 (529 pairs), 70% of them (370) for training and the other 159 held out, 15% of the training
    # answers replaced by another residue; a one-layer transformer of width 32 with 4 heads, a feed-forward layer of 64
    # and pre-LayerNorm (about 9,900 weights, twenty-seven a training pair, so it can memorise the wrong answers),
    # full-batch AdamW at 5e-3 with betas (0.9, 0.98) and weight decay 2, 800 epochs (one step each). The held-out loss
    # rises while the pairs are memorised, the wrong answers with them, and the decay, trading the memorised table for
    # the structured solution, can bring it down much later (grokking with noisy labels). One thing at a time besides:
    # clean answers, 5%, 30% flipped, 50% and 85% of the pairs for training, weight decay 0.5 and 5, Adam without decay,
    # momentum SGD with coupled decay, no LayerNorm, width 64, one head, the step 2e-3 (1,200 epochs), the squared error
    # on one-hot targets, subtraction, p = 19, minibatches of 64 (200 epochs) and 30% flipped at weight decay 1.
    # Evaluation spacing mixed.
    base = dict(p=23, op="add", frac=0.7, flip=0.15, d=32, heads=4, ff=64, ln=True, opt="adamw", lr=5e-3, wd=2.0,
                b2=0.98, batch=None, loss="ce", epochs=800, eval="mixed:50:10")
    return modsum_attn_wd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=None, eval="every:5"),
        dict(flip=0.05, eval="jitter:40"),
        dict(flip=0.3, eval="mixed:40:8"),
        dict(frac=0.5, eval="log:40"),
        dict(frac=0.85, eval="every:10"),
        dict(wd=0.5, eval="geom:8"),
        dict(wd=5.0, eval="every:6"),
        dict(opt="adam", wd=None, eval="burst:100:10"),
        dict(opt="sgd", lr=0.1, wd=1e-3, b2=None, eval="mixlog:30:40"),
        dict(ln=None, eval="every:8"),
        dict(d=64, ff=128, eval="rand:150"),
        dict(heads=1, eval="every:5"),
        dict(lr=2e-3, epochs=1200, eval="log:45"),
        dict(loss="mse", eval="mixed:60:12"),
        dict(op="sub", eval="jitter:35"),
        dict(p=19, eval="every:10"),
        dict(batch=64, epochs=200, eval="mixed:40:4"),
        dict(wd=1.0, flip=0.3, eval="geom:10"),
    ], lambda r: "p%d-%s-frac%g%s-tfm%dh%d%s-%s-lr%g%s%s%s" % (
        r["p"], r["op"], r["frac"], "-flip%g" % r["flip"] if r.get("flip") else "-clean", r["d"], r["heads"],
        "-ln" if r.get("ln") else "", r["opt"], r["lr"], "-wd%g" % r["wd"] if r.get("wd") else "",
        "-mse" if r["loss"] == "mse" else "", "-b%d" % r["batch"] if r.get("batch") else "-full"))


# ---------------------------------------------------------------------------------------------------- parity-gru-flip


def parity_gru_flip(w, run_id, c):
    """A GRU classifying the parity of a subset of bits, float32. Data (from the run's generator): the k positions of
    the subset drawn at random among the L; all 2^L bit strings in random order, the first n for training and the next
    'test' held out; the label the parity of the subset's bits; a share flip of the training labels flipped. Input at
    step t: the bit as +-1 next to the one-hot of t (L + 1 features). Model: torch.nn.GRU (one layer, hidden hid; its
    weights and biases U(+-1 / sqrt(hid)) from the run's generator, PyTorch's default law), a linear readout of the last
    hidden state (U(+-1 / sqrt(hid))) to 2 logits. Loss: the cross-entropy (label smoothing 'smooth' where set).
    Optimizer: make_opt on minibatches of batch. Train loss: the cross-entropy (unsmoothed) on the training strings at
    their given labels; test loss: the same on the held-out strings at their true labels; error rates: the misclassified
    shares."""
    g = torch.Generator().manual_seed(972_000 + c["seed"])
    L, k, h = c["L"], c["k"], c["hid"]
    subset = torch.randperm(L, generator=g)[:k]
    codes = torch.randperm(2 ** L, generator=g)[:c["n"] + c["test"]]
    bits = (codes[:, None] >> torch.arange(L)) & 1
    labels = bits[:, subset].sum(1) % 2
    feats = torch.cat([(2 * bits - 1).to(F32)[:, :, None], torch.eye(L).expand(len(bits), L, L)], 2)
    n = c["n"]
    x, xt, y, yt = feats[:n], feats[n:], labels[:n], labels[n:]
    yn = flip_labels(g, y, 2, c.get("flip"))
    gru = torch.nn.GRU(L + 1, h, batch_first=True)
    with torch.no_grad():
        for q in gru.parameters():
            q.copy_(uniform(g, h, *q.shape))
    head = leaves([uniform(g, h, h, 2), uniform(g, h, 2)])
    params = list(gru.parameters()) + head

    def forward(z):
        return gru(z)[1][0] @ head[0] + head[1]

    smooth = c.get("smooth") or 0.0
    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(yn, idx), label_smoothing=smooth).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "gru", "hidden": h, "layers": 1, "readout": "last-state"},
                settings(c, ("seed", "L", "k", "n", "flip", "hid", "opt", "lr", "wd", "smooth", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy" + ("-label-smoothing" if smooth else ""),
                   "task": "subset-parity", "input": "bit-pm1-plus-position-onehot",
                   "noise": "flipped-labels" if c.get("flip") else "none",
                   "test_loss": "heldout-strings-ce-true-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=2)
    train_until(g, n, c, step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy))


def runs_parity_gru_flip():
    # The logic: strings of 10 bits (1,024 of them), the parity of 3 fixed random positions, 400 strings for training
    # and 400 others held out, 15% of the training labels flipped; a GRU of 32 hidden units (about 4,400 weights, ten a
    # string, so it can memorise the flips) under AdamW at 3e-3, weight decay 0.1, minibatches of 50 (8 steps an
    # epoch), 120 epochs. The parity is found only after a plateau at chance, the flipped labels are fitted after it
    # (the held-out loss rising), and the decay can pull the fit back to the parity later. One thing at a time besides:
    # clean and 30% flipped labels, 2 and 4 bits in the subset, 12-bit strings, 200 and 700 training strings, 16 and 64
    # units, weight decay 0 and 1, Adam, momentum SGD, the step 1e-3 (200 epochs) and 1e-2, minibatches of 20 (60 epochs)
    # and 200 (240 epochs),
    # and label smoothing 0.1. Evaluation spacing mixed.
    base = dict(L=10, k=3, n=400, test=400, flip=0.15, hid=32, opt="adamw", lr=3e-3, wd=0.1, smooth=None, batch=50,
                epochs=120, eval="every")
    return parity_gru_flip, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=None, eval="every:2"),
        dict(flip=0.3, eval="jitter:30"),
        dict(k=2, eval="every"),
        dict(k=4, eval="geom:3"),
        dict(L=12, eval="mixed:40:3"),
        dict(n=200, eval="every"),
        dict(n=700, eval="every:3"),
        dict(hid=16, eval="burst:20:6"),
        dict(hid=64, eval="every:2"),
        dict(wd=0.0, eval="log:30"),
        dict(wd=1.0, eval="every"),
        dict(opt="adam", wd=None, eval="mixlog:30:30"),
        dict(opt="sgd", lr=0.05, wd=1e-4, eval="every:2"),
        dict(lr=1e-3, epochs=200, eval="rand:90"),
        dict(lr=1e-2, eval="every"),
        dict(batch=20, epochs=60, eval="mixed:30:2"),
        dict(batch=200, epochs=240, eval="every:4"),
        dict(smooth=0.1, eval="jitter:35"),
    ], lambda r: "bits%d-k%d-n%d%s-gru%d-%s-lr%g%s%s-b%d" % (
        r["L"], r["k"], r["n"], "-flip%g" % r["flip"] if r.get("flip") else "-clean", r["hid"], r["opt"], r["lr"],
        "-wd%g" % r["wd"] if r.get("wd") is not None else "", "-ls%g" % r["smooth"] if r.get("smooth") else "",
        r["batch"]))


# ---------------------------------------------------------------------------------------------------- seqsort-conv1d


def sequence_data(g, c):
    """n training and 'test' held-out token sequences of length L over V tokens (uniform, from g; the held-out ones
    drawn until 'test' of them are not in the training set), their targets sorted ('sort') or reversed ('reverse'),
    and the training targets corrupted: 'token' a share of their tokens replaced by another token (flip_labels),
    'shuffle' a share of the sequences given a random permutation of their own tokens."""
    L, V, n = c["L"], c["V"], c["n"]
    x = torch.randint(0, V, (n, L), generator=g)
    key = (x * V ** torch.arange(L)).sum(1)
    xt = torch.randint(0, V, (4 * c["test"], L), generator=g)
    xt = xt[~torch.isin((xt * V ** torch.arange(L)).sum(1), key)][:c["test"]]

    def target(s):
        return s.sort(1).values if c["task"] == "sort" else s.flip(1)

    y, yt = target(x), target(xt)
    yn = y
    if c.get("corrupt"):
        if c["noise"] == "token":
            yn = flip_labels(g, y.reshape(-1), V, c["corrupt"]).view(n, L)
        else:
            hit = torch.rand(n, generator=g) < c["corrupt"]
            order = torch.rand(n, L, generator=g).argsort(1)
            yn = torch.where(hit[:, None], x.gather(1, order), y)
    return x, yn, xt, yt


def seqsort_conv1d(w, run_id, c):
    """A 1-D convolutional network mapping token sequences to their sorted (or reversed) sequence, float32. Data (from
    the run's generator): sequence_data. Input: the one-hot tokens (V channels) and a one-hot of each position (L
    channels). Model: 'depth' same-padded convolutions of width 'kernel' and 'ch' channels with ReLU, a 1 x 1
    convolution to V logits at every position; U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the cross-entropy
    per position. Optimizer: make_opt on minibatches of batch. Train loss: the cross-entropy per position on the
    training sequences at their given (corrupted) targets; test loss: the same on the held-out sequences at their true
    targets; error rates: the misclassified shares of the positions."""
    g = torch.Generator().manual_seed(973_000 + c["seed"])
    x, yn, xt, yt = sequence_data(g, c)
    L, V, ch, kw = c["L"], c["V"], c["ch"], c["kernel"]
    pos = torch.eye(L)

    def encode(s):
        return torch.cat([fn.one_hot(s, V).to(F32).transpose(1, 2), pos.expand(len(s), L, L)], 1)

    z, zt = encode(x), encode(xt)
    params, cin = [], V + L
    for _ in range(c["depth"]):
        params += [uniform(g, cin * kw, ch, cin, kw), uniform(g, cin * kw, ch)]
        cin = ch
    params = leaves(params + [uniform(g, cin, V, cin, 1), uniform(g, cin, V)])

    def forward(s):
        for i in range(0, len(params) - 2, 2):
            s = torch.relu(fn.conv1d(s, params[i], params[i + 1], padding=kw // 2))
        return fn.conv1d(s, params[-2], params[-1])  # m x V x L

    def loss(out, t):
        return fn.cross_entropy(out, t)

    opt = make_opt(c, params)
    n = len(x)

    def step(idx):
        opt.zero_grad()
        loss(forward(take(z, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "conv1d", "depth": c["depth"], "channels": ch, "kernel": kw,
                                           "positions": "onehot-channels"},
                settings(c, ("seed", "task", "L", "V", "n", "noise", "corrupt", "depth", "ch", "kernel", "opt", "lr",
                             "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy-per-position", "task": c["task"],
                   "test_loss": "heldout-sequences-ce-true-targets", "error": "misclassified-positions",
                   "test_size": str(len(yt))}, output_dim=V)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(z), forward(zt)
        log_(e, loss(o, yn), loss(ot, yt), (o.argmax(1) != yn).float().mean(), (ot.argmax(1) != yt).float().mean(),
             final=final)

    train_until(g, n, c, step, log)


def runs_seqsort_conv1d():
    # The logic: sequences of 8 tokens over 10 symbols, 300 for training and 500 fresh ones held out, their targets the
    # sorted sequences, 20% of the training target tokens replaced by another token; a 1-D network of 3 convolutions of
    # width 5 and 32 channels (about 13,000 weights, more than five a target token, so it can fit the wrong ones), AdamW
    # at 2e-3, weight decay 0.05, minibatches of 50 (6 steps an epoch), 150 epochs. The sorting rule is
    # learnt first (the held-out loss falling), then the corrupted tokens are memorised (it rising). One thing at a time
    # besides: clean targets, 10% and 40% corrupted tokens, 20% of the sequences given shuffled targets, 150 and 600
    # training sequences, reversal in place of sorting (at 20% tokens and 20% shuffled), 2 and 4 layers, kernel 3, 16
    # channels, weight decay 0 and 0.5, Adam, momentum SGD, the step 5e-4 (300 epochs) and minibatches of 25 (100
    # epochs). Evaluation spacing mixed.
    base = dict(task="sort", L=8, V=10, n=300, test=500, noise="token", corrupt=0.2, depth=3, ch=32, kernel=5,
                opt="adamw", lr=2e-3, wd=0.05, batch=50, epochs=150, eval="every:2")
    return seqsort_conv1d, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(corrupt=None, noise=None, eval="every"),
        dict(corrupt=0.1, eval="jitter:30"),
        dict(corrupt=0.4, eval="every:2"),
        dict(noise="shuffle", corrupt=0.2, eval="geom:3"),
        dict(n=150, eval="every"),
        dict(n=600, eval="mixed:40:4"),
        dict(task="reverse", eval="every:3"),
        dict(task="reverse", noise="shuffle", eval="burst:25:6"),
        dict(depth=2, eval="every"),
        dict(depth=4, eval="log:35"),
        dict(kernel=3, eval="every:2"),
        dict(ch=16, eval="mixlog:30:35"),
        dict(wd=0.0, eval="every"),
        dict(wd=0.5, eval="rand:80"),
        dict(opt="adam", wd=None, eval="every:2"),
        dict(opt="sgd", lr=0.05, wd=1e-4, eval="mixed:30:3"),
        dict(lr=5e-4, epochs=300, eval="every:4"),
        dict(batch=25, epochs=100, eval="jitter:40"),
    ], lambda r: "%s-L%dV%d-n%d%s-conv%dx%dk%d-%s-lr%g%s-b%d" % (
        r["task"], r["L"], r["V"], r["n"], "-%s%g" % (r["noise"], r["corrupt"]) if r.get("corrupt") else "-clean",
        r["depth"], r["ch"], r["kernel"], r["opt"], r["lr"], "-wd%g" % r["wd"] if r.get("wd") is not None else "",
        r["batch"]))


FAMILIES = {"modsum-attn-wd": runs_modsum_attn_wd, "parity-gru-flip": runs_parity_gru_flip,
            "seqsort-conv1d": runs_seqsort_conv1d}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
