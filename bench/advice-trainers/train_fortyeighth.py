#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, forty-eighth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 146 families of train.py ... train_fortysixth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is losses on structured outputs that no earlier round
used, each with a model sized around where it can just fit its training set:

- ctc-align: connectionist temporal classification (Graves et al. 2006): a small 1-d convolutional network (a GRU in
  a run) reads a sequence of noisy frames and gives, at every frame, a distribution over the symbols and a blank; the
  loss is the CTC loss of the frames' label sequence, summed over every alignment (torch's ctc_loss), without the
  frames' alignment being given. Synthetic sequences of 2-4 symbols, each held for 2-4 frames between silences; each
  frame carries its symbol weakly in fast features among strong nuisance noise and clearly in slow features at a
  small scale; a share of the training transcripts' symbols substituted (or, in a run, a symbol deleted or inserted).
  Test loss: the CTC loss of fresh sequences' clean transcripts.
- hier-softmax: a two-level hierarchical softmax (Morin & Bengio 2005; Goodman 2001): p(y | x) = p(group(y) | x)
  p(y | group(y), x), a softmax over the groups and one within each group, the loss the sum of the two
  cross-entropies; a ReLU MLP (or a linear model) below it; a synthetic tree of classes whose groups are told by fast
  features and whose leaves mainly by slow ones at a small scale, or the digits grouped into three super-classes;
  labels flipped to a sibling, to any class or to another group's class. Test loss: the hierarchical NLL of clean
  test labels.
- set-hungarian: set prediction (DETR, Carion et al. 2020): an MLP predicts a fixed number of slots (2-d points, and
  in a few runs an existence logit each) from a permutation-invariant rendering of a point set (the sum of random
  Fourier features of its points: coarse ones at scale 1 among input noise, fine ones at a small scale), and the loss
  matches the slots to the targets by the Hungarian assignment (scipy.optimize.linear_sum_assignment) of the squared
  distances (plus the existence costs), the matched squared error; the training targets jittered or a share of them
  replaced by outliers. Test loss: the matched loss of fresh sets' clean points.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, eval_epochs (the irregular spacings, through epoch_loop) from train_thirtyseventh.py, epoch_loop,
take and flip_labels from train_thirtyninth.py, and plain_opt from train_thirtyfourth.py (Adam, or SGD with momentum
0.9); one thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fortyeighth.py --family ctc-align [--list] [--runs 0,3] [--out FILE]

Families (see README.md): ctc-align, hier-softmax, set-hungarian. Evaluation spacings: train.py's 'every', 'every:K',
'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K', 'mixlog:A:K', 'geom:G',
'burst:P:B'.
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
from train_thirtysecond import uniform  # noqa: E402
from train_thirtyfourth import plain_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64


def unit_rows(g, k, d):
    """k random unit vectors in d dimensions, from g."""
    v = torch.randn(k, d, generator=g, dtype=F64)
    return v / v.norm(dim=1, keepdim=True)


def mlp_params(g, sizes):
    """Weights (out x in) and biases of an MLP of the given layer sizes, U(+-1 / sqrt(fan-in)) from g, float64."""
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out += [uniform(g, a, b, a).double(), uniform(g, a, b).double()]
    return leaves(out)


def mlp_forward(p, z):
    for i in range(0, len(p) - 2, 2):
        z = torch.relu(z @ p[i].T + p[i + 1])
    return z @ p[-2].T + p[-1]


def count(params):
    return sum(q.numel() for q in params)


# ---------------------------------------------------------------------------------------------------- ctc-align


def ctc_sequences(g, c, m, P_f, P_s):
    """m synthetic sequences of T frames, drawn from g: L symbols (uniform in [Lmin, Lmax]) of the alphabet 1..C, no
    symbol twice in a row; a leading silence of 0-2 frames, then each symbol held for 2-4 frames and followed by a
    silence of 0-2 frames (the sequence cut at T frames, trailing frames silent; the transcript keeps the symbols that
    begin within T). Every frame: fast features a P_f[sym] + N(0, 1) noise (df of them; a silence's prototype zero),
    slow features s (P_s[sym] + sigma_s N(0, 1)) (ds of them). Returns (x: m x T x d, the transcripts as a list of
    lists)."""
    T, C, df, ds = c["T"], c["C"], c["df"], c["ds"]
    sym = torch.zeros(m, T, dtype=torch.long)
    labels = []
    for i in range(m):
        L = int(torch.randint(c["Lmin"], c["Lmax"] + 1, (1,), generator=g))
        t = int(torch.randint(0, 3, (1,), generator=g))
        prev, seq = 0, []
        for _ in range(L):
            if prev == 0:
                k = int(torch.randint(1, C + 1, (1,), generator=g))
            else:  # uniform over the symbols other than the previous one
                k = int(torch.randint(1, C, (1,), generator=g))
                k = k if k < prev else k + 1
            dur = int(torch.randint(2, 5, (1,), generator=g))
            gap = int(torch.randint(0, 3, (1,), generator=g))
            if t < T:
                seq.append(k)
                sym[i, t:t + dur] = k
            t += dur + gap
            prev = k
        labels.append(seq)
    Pf = torch.cat([torch.zeros(1, df, dtype=F64), P_f])
    Ps = torch.cat([torch.zeros(1, ds, dtype=F64), P_s])
    xf = c["a"] * Pf[sym] + torch.randn(m, T, df, generator=g, dtype=F64)
    xs = c["s"] * (Ps[sym] + c["sigma_s"] * torch.randn(m, T, ds, generator=g, dtype=F64))
    return torch.cat([xf, xs], 2), labels


def corrupt_transcripts(g, labels, C, share, kind):
    """A share of the training transcripts' symbols substituted by another symbol drawn at random ('sub'), or, for
    kind 'edit', each transcript hit with probability `share` has one symbol deleted (when it has more than one) or a
    random symbol inserted at a random place, each half the time."""
    out = []
    for seq in labels:
        seq = list(seq)
        if kind == "edit":
            if torch.rand(1, generator=g, dtype=F64).item() < share:
                if len(seq) > 1 and torch.rand(1, generator=g, dtype=F64).item() < 0.5:
                    del seq[int(torch.randint(len(seq), (1,), generator=g))]
                else:
                    seq.insert(int(torch.randint(len(seq) + 1, (1,), generator=g)),
                               int(torch.randint(1, C + 1, (1,), generator=g)))
        else:
            for j in range(len(seq)):
                if torch.rand(1, generator=g, dtype=F64).item() < share:
                    seq[j] = (seq[j] - 1 + int(torch.randint(1, C, (1,), generator=g))) % C + 1
        out.append(seq)
    return out


def pack(labels):
    return torch.tensor([k for s in labels for k in s], dtype=torch.long), torch.tensor([len(s) for s in labels])


def greedy_errors(logp, labels):
    """The share of sequences whose greedy (best-path) decoding, repeats merged and blanks dropped, is not their
    transcript."""
    best = logp.argmax(2).T.tolist()  # N x T
    wrong = 0
    for path, seq in zip(best, labels):
        dec, prev = [], 0
        for k in path:
            if k != prev and k != 0:
                dec.append(k)
            prev = k
        wrong += dec != list(seq)
    return wrong / len(labels)


def ctc_align(w, run_id, c):
    """Sequence transcription under the CTC loss, float64. Data: ctc_sequences (n training sequences, their
    transcripts corrupted by corrupt_transcripts; 500 fresh test sequences with their clean transcripts), the symbol
    prototypes P_f, P_s unit vectors from the run's generator. Model (arch 'conv'): a 1-d convolution d -> h channels of
    width k (zero padding, the same length), ReLU, a 1x1 convolution h -> C + 1 (blank first); ('gru'): a GRU of h
    units (its default U(+-1 / sqrt(h)) initialisation under torch.manual_seed of the run's seed) and a linear read-out
    of every step; log-softmax over the symbols and the blank at every frame. Loss: torch's ctc_loss (the negative log
    of the summed probability of every alignment of the transcript, blank 0, each sequence's divided by its length,
    then averaged). Optimizer: Adam (opt 'adam') or SGD with momentum 0.9 ('momentum') at step lr on minibatches of
    sequences. Train loss: the CTC loss of the (corrupted) training transcripts; test loss: that of the clean test
    transcripts; error rates: the share of sequences whose greedy decoding is not the (training or test)
    transcript."""
    g = torch.Generator().manual_seed(481_000 + c["seed"])
    C, df, ds = c["C"], c["df"], c["ds"]
    P_f, P_s = unit_rows(g, C, df), unit_rows(g, C, ds) * math.sqrt(ds)
    if c.get("pairs"):  # the fast prototypes shared by the pairs of symbols (1, 2), (3, 4), ...: only the slow tell
        P_f = P_f[(torch.arange(C) // 2) * 2]
    x, lab = ctc_sequences(g, c, c["n"], P_f, P_s)
    xt, labt = ctc_sequences(g, c, 500, P_f, P_s)
    lab = corrupt_transcripts(g, lab, C, c.get("flip") or 0.0, c.get("noise_kind") or "sub")
    d, h, T = df + ds, c["h"], c["T"]
    if c["arch"] == "gru":
        torch.manual_seed(481_500 + c["seed"])
        gru = torch.nn.GRU(d, h, batch_first=True).double()
        params = list(gru.parameters()) + mlp_params(g, [h, C + 1])

        def forward(z):
            out, _ = gru(z)
            return (out @ params[-2].T + params[-1]).log_softmax(2).transpose(0, 1)  # T x N x (C + 1)
    elif c["arch"] == "linear":
        kw = c["k"]
        params = leaves([uniform(g, d * kw, C + 1, d, kw).double(), uniform(g, d * kw, C + 1).double()])

        def forward(z):
            return fn.conv1d(z.transpose(1, 2), params[0], params[1], padding=kw // 2).log_softmax(1).permute(2, 0, 1)
    else:
        kw = c["k"]
        params = leaves([uniform(g, d * kw, h, d, kw).double(), uniform(g, d * kw, h).double(),
                         uniform(g, h, C + 1, h, 1).double(), uniform(g, h, C + 1).double()])

        def forward(z):
            u = torch.relu(fn.conv1d(z.transpose(1, 2), params[0], params[1], padding=kw // 2))
            return fn.conv1d(u, params[2], params[3]).log_softmax(1).permute(2, 0, 1)  # T x N x (C + 1)
    opt = plain_opt(c, params)
    tgt, tlen = pack(lab)
    tgt_t, tlen_t = pack(labt)
    offs = torch.cat([torch.zeros(1, dtype=torch.long), tlen.cumsum(0)])

    def loss_of(logp, targets, lengths):
        return fn.ctc_loss(logp, targets, torch.full((logp.shape[1],), T, dtype=torch.long), lengths, blank=0,
                           reduction="mean", zero_infinity=True)

    def step(idx):
        if idx is None:
            xb, tb, lb = x, tgt, tlen
        else:
            xb, lb = x[idx], tlen[idx]
            tb = torch.cat([tgt[offs[i]:offs[i + 1]] for i in idx.tolist()])
        opt.zero_grad()
        loss_of(forward(xb), tb, lb).backward()
        opt.step()

    run = w.run(run_id, count(params), c["n"],
                {"family": "ctc-" + c["arch"], "width": h, "inputs": d, "symbols": C, "frames": T},
                settings(c, ("seed", "n", "T", "C", "Lmin", "Lmax", "df", "ds", "a", "s", "sigma_s", "pairs",
                             "flip", "noise_kind", "arch", "h", "k", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "ctc", "test_loss": "clean-ctc",
                   "labels_per_weight": "%.3g" % (len(tgt) / count(params))},
                output_dim=C + 1)

    def log(e, final):
        lp, lpt = forward(x), forward(xt)
        run.log(e, loss_of(lp, tgt, tlen), loss_of(lpt, tgt_t, tlen_t), greedy_errors(lp, lab),
                greedy_errors(lpt, labt), final=final)

    epoch_loop(g, c["n"], c, step, log)


def runs_ctc_align():
    # The logic: a 1-d convolutional network of 16 channels of width 3 over 22 inputs (1,191 weights) reads 400
    # sequences of 16 frames (about 1,200 symbols) and can just fit their transcripts, a tenth of whose symbols are
    # substituted; each frame carries its symbol weakly in 12 fast features (a unit prototype in N(0, 1) noise, which
    # the network can also use to memorise the substitutions) and clearly in 10 slow ones at scale 0.1 (learned later:
    # Adam moves their weights no faster than the others, and they must grow 10 times larger). Adam at 0.01 on
    # minibatches of 50 sequences, 200 epochs. The grid moves one thing at a time: the substitutions (none, 5%, 20%),
    # deletions and insertions in 30% of the transcripts, the slow scale (0.05, 0.3), the channels (8, 32), a
    # frame-wise network (width 1, 32 channels), more fast noise features (24), the step (0.003), momentum SGD,
    # minibatches of 10, 200 sequences, symbols told apart only by the slow features within pairs (the fast prototypes
    # shared by pairs), a GRU of 16 units, clean transcripts at the scale 0.3, longer sequences (2-6 symbols in 24
    # frames) and 10 symbols.
    base = dict(n=400, T=16, C=6, Lmin=2, Lmax=4, df=12, ds=10, a=1.0, s=0.1, sigma_s=0.3, pairs=None, flip=0.1,
                noise_kind=None, arch="conv", h=16, k=3, opt="adam", lr=0.01, batch=50, epochs=200, eval="every:3")
    return ctc_align, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=None, eval="every:2"),
        dict(flip=0.05, eval="jitter:35"),
        dict(flip=0.2, eval="mixed:30:3"),
        dict(flip=0.3, noise_kind="edit", eval="geom:3"),
        dict(s=0.3, eval="every:4"),
        dict(s=0.05, eval="log:35"),
        dict(h=8, eval="every:3"),
        dict(h=32, eval="rand:60"),
        dict(k=1, h=32, eval="mixlog:20:30"),
        dict(df=24, eval="every:3"),
        dict(lr=0.003, eval="every:4"),
        dict(opt="momentum", lr=0.1, eval="geom:4"),
        dict(batch=10, eval="every:3"),
        dict(n=200, eval="every:2"),
        dict(pairs=True, a=2.0, eval="jitter:30"),
        dict(arch="gru", k=None, eval="every:3"),
        dict(flip=None, s=0.3, eval="burst:30:5"),
        dict(Lmax=6, T=24, eval="every:3"),
        dict(C=10, eval="every:3"),
    ], lambda d: "n%d-T%d-C%d-L%d_%d-df%d-s%g%s%s-%s%d%s-%s-lr%g-b%d" % (
        d["n"], d["T"], d["C"], d["Lmin"], d["Lmax"], d["df"], d["s"], "-pairs" if d.get("pairs") else "",
        "-%s%g" % ("edit" if d.get("noise_kind") == "edit" else "sub", d["flip"]) if d.get("flip") else "-clean",
        d["arch"], d["h"], "-k%d" % d["k"] if d.get("k") else "", d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- hier-softmax


DIGIT_GROUPS = ((0, 6, 8, 9), (1, 4, 7), (2, 3, 5))  # round strokes, straight strokes, open curves


def tree_data(g, c):
    """(x, y, xt, yt, groups): 'tree': G groups of B leaves (K = G B classes, class k in group k // B); every point of
    class k has fast features a_g U_f[group] + a_l V_f[k] + N(0, 1) (df of them; a weak leaf offset within a clear
    group centre) and slow features s (V_s[k] + sigma_s N(0, 1)) (ds of them; the leaf told clearly at a small
    scale), U_f, V_f, V_s unit vectors (V_s times sqrt(ds) / 2) from g; classes uniform; n training points, 2,000
    fresh test points. 'digits': train.digits (image columns 4-7 times s) in DIGIT_GROUPS. Labels: a share 'flip' of
    the training labels replaced (noise_kind 'sibling': by another leaf of the same group; 'uniform': by any other
    class; 'cross': by a class of another group); the test labels clean. 'tree' c['shuffle_tree']: the model's groups
    a random partition of the classes into G groups of B (the hierarchy not the data's)."""
    if c["data"] == "digits":
        x, y, xt, yt = train.digits(c["seed"], c["n"], 0.0, (c["s"], [4, 5, 6, 7]))
        x, xt = x.double(), xt.double()
        groups = [list(gr) for gr in DIGIT_GROUPS]
        K = 10
    else:
        G, B, df, ds = c["G"], c["B"], c["df"], c["ds"]
        K = G * B
        U_f, V_f, V_s = unit_rows(g, G, df), unit_rows(g, K, df), unit_rows(g, K, ds) * math.sqrt(ds) / 2
        grp = torch.arange(K) // B

        def draw(m):
            yy = torch.randint(K, (m,), generator=g)
            xf = c["a_g"] * U_f[grp[yy]] + c["a_l"] * V_f[yy] + torch.randn(m, df, generator=g, dtype=F64)
            xs = c["s"] * (V_s[yy] + c["sigma_s"] * torch.randn(m, ds, generator=g, dtype=F64))
            return torch.cat([xf, xs], 1), yy

        x, y = draw(c["n"])
        xt, yt = draw(2000)
        groups = [list(range(i * B, (i + 1) * B)) for i in range(G)]
    group_of = torch.zeros(K, dtype=torch.long)
    for i, gr in enumerate(groups):
        group_of[gr] = i
    share, kind = c.get("flip") or 0.0, c.get("noise_kind") or "uniform"
    if share:
        if kind == "uniform":
            y = flip_labels(g, y, K, share)
        else:
            hit = (torch.rand(len(y), generator=g) < share).tolist()
            new = y.clone()
            for i, h_ in enumerate(hit):
                if not h_:
                    continue
                yi = int(y[i])
                pool = [k for k in groups[int(group_of[yi])] if k != yi] if kind == "sibling" else \
                    [k for k in range(K) if group_of[k] != group_of[yi]]
                new[i] = pool[int(torch.randint(len(pool), (1,), generator=g))]
            y = new
    if c.get("shuffle_tree"):
        perm = torch.randperm(K, generator=g).tolist()
        size = len(groups[0])
        groups = [perm[i:i + size] for i in range(0, K, size)]
    return x, y, xt, yt, groups


class HierHead:
    """The two-level hierarchical softmax over the groups' classes: from a representation z, group logits z A_g^T +
    b_g (one per group) and leaf logits z A_l^T + b_l (one per class); log p(y | x) = log softmax_groups[group(y)] +
    log softmax over group(y)'s leaves [y]. 'flat' (contrast): one softmax over all the classes."""

    def __init__(self, groups, K, flat):
        self.groups, self.K, self.flat = groups, K, flat
        self.G = len(groups)
        self.group_of = torch.zeros(K, dtype=torch.long)
        for i, gr in enumerate(groups):
            self.group_of[gr] = i

    def outputs(self):
        return self.K if self.flat else self.G + self.K

    def log_probs(self, f):
        """log p(k | x) for every class k (N x K) from the head's outputs f."""
        if self.flat:
            return f.log_softmax(1)
        lg = f[:, :self.G].log_softmax(1)
        leaf = f[:, self.G:]
        out = torch.empty_like(leaf)
        for i, gr in enumerate(self.groups):
            out[:, gr] = lg[:, i:i + 1] + leaf[:, gr].log_softmax(1)
        return out

    def nll(self, f, y):
        return -self.log_probs(f).gather(1, y[:, None]).mean()


def hier_softmax(w, run_id, c):
    """A classifier under a two-level hierarchical softmax (HierHead), float64: a ReLU MLP d -> h -> (G + K) outputs
    (depth 1; h None: a linear model d -> G + K), weights and biases U(+-1 / sqrt(fan-in)) from the run's generator.
    Data: tree_data (a synthetic tree of G x B classes, fast group and slow leaf features; or the digits in three
    groups), a share of the training labels flipped (to a sibling, to any class or across groups). Loss: the
    hierarchical NLL, the group's cross-entropy plus the leaf's within its group ('flat': the flat softmax's
    cross-entropy, for contrast). Optimizer: Adam ('adam') or SGD with momentum 0.9 ('momentum') at step lr on
    minibatches. Train loss: the NLL of the noisy training labels; test loss: that of the clean test labels; error
    rates of the most probable class too."""
    g = torch.Generator().manual_seed(482_000 + c["seed"])
    x, y, xt, yt, groups = tree_data(g, c)
    K = sum(len(gr) for gr in groups)
    head = HierHead(groups, K, c.get("head") == "flat")
    sizes = [x.shape[1]] + ([c["h"]] if c.get("h") else []) + [head.outputs()]
    params = mlp_params(g, sizes)
    opt = plain_opt(c, params)

    def step(idx):
        opt.zero_grad()
        head.nll(mlp_forward(params, take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(x),
                {"family": "hier-softmax-" + ("mlp" if c.get("h") else "linear"), "width": c.get("h") or 0,
                 "inputs": x.shape[1], "classes": K, "groups": len(groups)},
                settings(c, ("seed", "data", "n", "G", "B", "df", "ds", "a_g", "a_l", "s", "sigma_s", "flip",
                             "noise_kind", "shuffle_tree", "head", "h", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "flat-ce" if c.get("head") == "flat" else "hier-nll",
                   "test_loss": "clean-nll", "points_per_weight": "%.3g" % (len(x) / count(params))},
                output_dim=K)

    def log(e, final):
        lp, lpt = head.log_probs(mlp_forward(params, x)), head.log_probs(mlp_forward(params, xt))
        run.log(e, -lp.gather(1, y[:, None]).mean(), -lpt.gather(1, yt[:, None]).mean(),
                (lp.argmax(1) != y).double().mean(), (lpt.argmax(1) != yt).double().mean(), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_hier_softmax():
    # The logic: a linear model under the two-level hierarchical softmax (20 inputs to 3 group and 12 leaf outputs,
    # 315 weights) on 500 points of a tree of 3 groups of 4 classes, a fifth of the labels flipped, can nearly fit its
    # training set; the groups are told clearly and the leaves weakly by 12 fast features in N(0, 1) noise (which fit
    # the flips first), the leaves clearly by 8 slow features at scale 0.2, learned about 25 times slower by momentum
    # SGD (0.1, minibatches of 50, 300 epochs). The grid moves one thing at a time: the flips (none, 40%, to a sibling,
    # across groups), the slow scale (0.1, 0.4), the flat softmax, a tree that is not the data's (a random partition of
    # the classes), a ReLU hidden layer of 16 or 32 units (Adam, and 16 under momentum SGD), the step (0.03), full
    # batches (step 0.3), more fast features (24), 250 points, a larger tree (4 groups of 6), no leaf offset in the
    # fast features, and the digits in three super-classes (the right half dimmed to 0.1; linear, and an MLP of 32
    # under Adam).
    base = dict(data="tree", n=500, G=3, B=4, df=12, ds=8, a_g=2.5, a_l=0.7, s=0.2, sigma_s=0.3, flip=0.2,
                noise_kind="uniform", shuffle_tree=None, head=None, h=None, opt="momentum", lr=0.1, batch=50,
                epochs=300, eval="every:3")
    digits = dict(data="digits", n=300, s=0.1, G=None, B=None, df=None, ds=None, a_g=None, a_l=None, sigma_s=None)
    return hier_softmax, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=None, eval="every:2"),
        dict(noise_kind="sibling", eval="jitter:35"),
        dict(noise_kind="cross", eval="mixed:30:3"),
        dict(flip=0.4, eval="geom:3"),
        dict(s=0.1, eval="every:4"),
        dict(s=0.4, eval="log:35"),
        dict(head="flat", eval="every:3"),
        dict(shuffle_tree=True, eval="rand:90"),
        dict(h=16, opt="adam", lr=0.01, eval="every:3"),
        dict(h=32, opt="adam", lr=0.01, eval="mixlog:20:30"),
        dict(h=16, eval="every:4"),
        dict(lr=0.03, eval="geom:4"),
        dict(batch=None, lr=0.3, eval="every:3"),
        dict(df=24, eval="every:3"),
        dict(n=250, eval="every:2"),
        dict(G=4, B=6, eval="jitter:30"),
        dict(a_l=0.0, eval="every:3"),
        dict(digits, eval="every:3"),
        dict(digits, h=32, opt="adam", lr=0.003, eval="burst:30:5"),
    ], lambda d: "%s-n%d%s-s%g%s%s%s-%s-%s-lr%g-b%s" % (
        d["data"], d["n"], "-G%dx%d-df%d-al%g" % (d["G"], d["B"], d["df"], d["a_l"]) if d["data"] == "tree" else "",
        d["s"], "-%s%g" % (d["noise_kind"], d["flip"]) if d.get("flip") else "-clean",
        "-randtree" if d.get("shuffle_tree") else "", "-flat" if d.get("head") == "flat" else "",
        "mlp%d" % d["h"] if d.get("h") else "linear", d["opt"], d["lr"], d.get("batch") or "full"))


# ---------------------------------------------------------------------------------------------------- set-hungarian


def set_data(g, c):
    """(x, P, E, xt, Pt, Et): point sets in [-1, 1]^2, M slots. Every set has M points (mode 'fixed') or 1..M points
    uniformly ('var'; the rest of its M entries empty), points uniform in the square. Its rendering: the sum over its
    points of df coarse random Fourier features cos(W_f p + b_f) (frequencies N(0, wf^2)) plus N(0, sigma_f^2) input
    noise per feature, and s times the sum of ds fine ones cos(W_s p + b_s) (frequencies N(0, ws^2)), all drawn from
    g. n training sets (their points jittered by N(0, jitter^2), or a share 'outlier' of them replaced by a uniform
    point; empty entries left empty), 1,000 fresh test sets with their clean points. P: the points (N x M x 2, empty
    entries zero), E: 1 where an entry holds a point."""
    M, df, ds = c["M"], c["df"], c["ds"]
    W_f = torch.randn(df, 2, generator=g, dtype=F64) * c["wf"]
    b_f = torch.rand(df, generator=g, dtype=F64) * 2 * math.pi
    W_s = torch.randn(ds, 2, generator=g, dtype=F64) * c["ws"]
    b_s = torch.rand(ds, generator=g, dtype=F64) * 2 * math.pi

    def draw(m):
        P = torch.rand(m, M, 2, generator=g, dtype=F64) * 2 - 1
        if c["mode"] == "var":
            k = torch.randint(1, M + 1, (m,), generator=g)
            E = (torch.arange(M)[None, :] < k[:, None]).double()
        else:
            E = torch.ones(m, M, dtype=F64)
        P = P * E[:, :, None]
        xf = (torch.cos(P @ W_f.T + b_f) * E[:, :, None]).sum(1)
        xf = xf + c["sigma_f"] * torch.randn(m, df, generator=g, dtype=F64)
        xs = (torch.cos(P @ W_s.T + b_s) * E[:, :, None]).sum(1)
        return torch.cat([xf, c["s"] * xs], 1), P, E

    x, P, E = draw(c["n"])
    xt, Pt, Et = draw(1000)
    if c.get("jitter"):
        P = P + c["jitter"] * torch.randn(P.shape, generator=g, dtype=F64) * E[:, :, None]
    if c.get("outlier"):
        hit = (torch.rand(c["n"], M, generator=g, dtype=F64) < c["outlier"]).double() * E
        new = torch.rand(c["n"], M, 2, generator=g, dtype=F64) * 2 - 1
        P = P + hit[:, :, None] * (new - P)
    return x, P, E, xt, Pt, Et


def matched_loss(out, P, E, M, var, lam):
    """The set loss of slot predictions out (N x M x 2, plus an existence logit per slot where var) against targets P
    (N x M x 2) with occupancy E: cost[i, j] = |q_i - p_j|^2 (+ lam softplus(-l_i), -lam log sigma(l_i), where entry j
    holds a point; lam softplus(l_i), -lam log(1 - sigma(l_i)), where it is empty, and no distance), the Hungarian
    assignment of slots to entries per set (scipy.optimize.linear_sum_assignment on the detached costs), and the loss
    the mean over sets of the matched costs' sum divided by M."""
    from scipy.optimize import linear_sum_assignment
    q = out[:, :, :2]
    d2 = ((q[:, :, None, :] - P[:, None, :, :]) ** 2).sum(3)  # N x slots x entries
    cost = d2 * E[:, None, :]
    if var:
        lo = out[:, :, 2]
        cost = cost + lam * (fn.softplus(-lo)[:, :, None] * E[:, None, :] + fn.softplus(lo)[:, :, None] *
                             (1 - E[:, None, :]))
    cn = cost.detach().numpy()
    rows, cols = [], []
    for i in range(len(cn)):
        r, cc = linear_sum_assignment(cn[i])
        rows.append(torch.as_tensor(r))
        cols.append(torch.as_tensor(cc))
    ri, ci = torch.stack(rows), torch.stack(cols)
    picked = cost.gather(2, ci[:, :, None]).squeeze(2).gather(1, ri)  # rows are 0..M-1 in order
    return picked.sum(1).mean() / M


def set_hungarian(w, run_id, c):
    """DETR-style set prediction, float64: a ReLU MLP d -> h -> h -> M (2 + var) (depth 2; depth 1 in a run), weights
    and biases U(+-1 / sqrt(fan-in)) from the run's generator, the outputs read as M slots of a 2-d point (and, mode
    'var', an existence logit). Data: set_data (renderings of point sets, coarse features among input noise and fine
    ones at a small scale), the training targets jittered or replaced by outliers. Loss: matched_loss (the Hungarian
    matching of slots to the set's points by their squared distances, plus lam times the existence cross-entropy
    where var). Optimizer: Adam ('adam') or SGD with momentum 0.9 ('momentum') at step lr on minibatches. Train loss:
    the matched loss of the noisy training targets; test loss: that of the fresh sets' clean points."""
    g = torch.Generator().manual_seed(483_000 + c["seed"])
    x, P, E, xt, Pt, Et = set_data(g, c)
    M, var = c["M"], c["mode"] == "var"
    lam = c.get("lam") or 0.0
    out_dim = M * (3 if var else 2)
    params = mlp_params(g, [x.shape[1]] + [c["h"]] * c["depth"] + [out_dim])
    opt = plain_opt(c, params)

    def forward(z):
        return mlp_forward(params, z).view(len(z), M, 3 if var else 2)

    def step(idx):
        opt.zero_grad()
        matched_loss(forward(take(x, idx)), take(P, idx), take(E, idx), M, var, lam).backward()
        opt.step()

    run = w.run(run_id, count(params), len(x),
                {"family": "set-mlp", "width": c["h"], "hidden_layers": c["depth"], "inputs": x.shape[1],
                 "slots": M},
                settings(c, ("seed", "mode", "n", "M", "df", "ds", "wf", "ws", "sigma_f", "s", "jitter", "outlier",
                             "h", "depth", "lam", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "hungarian-mse" + ("+exist-ce" if var else ""),
                   "test_loss": "clean-hungarian", "targets_per_weight": "%.3g" % (float(E.sum()) * 2 / count(params))},
                output_dim=out_dim)

    def log(e, final):
        run.log(e, matched_loss(forward(x), P, E, M, var, lam), matched_loss(forward(xt), Pt, Et, M, var, lam),
                final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_set_hungarian():
    # The logic: an MLP of one hidden layer of 64 units (3,526 weights) predicts 3 slots from the rendering of a set of
    # 3 points (48 features), trained on 300 sets (1,800 target coordinates, about where it can just fit them) whose
    # points are jittered by N(0, 0.2^2); the coarse features (frequencies N(0, 1)) are in input noise 0.5 and fit
    # first, with the jitter, the fine ones (frequencies N(0, 9)) tell the points' places more precisely at scale 0.1
    # and are learned later under momentum SGD (0.02, minibatches of 30, 300 epochs); the Hungarian matching can
    # switch which slot serves which point as the fit moves. The grid moves one thing at a time: the jitter (none,
    # 0.4), outliers in place of jitter (20% of the points replaced), the fine features' scale (0.03, 0.3), the width
    # (32, 128), two hidden layers under Adam, Adam, the step (0.05), full batches, sets of 2 and 4 points, sets of 1-3
    # points with an existence logit per slot (DETR's no-object class; its weight 0.1 and 1), more input noise (1.0),
    # 600 sets, finer features (frequencies N(0, 36)) and more coarse features (48).
    base = dict(mode="fixed", n=300, M=3, df=24, ds=24, wf=1.0, ws=3.0, sigma_f=0.5, s=0.1, jitter=0.2, outlier=None,
                h=64, depth=1, lam=None, opt="momentum", lr=0.02, batch=30, epochs=300, eval="every:3")
    return set_hungarian, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(jitter=None, eval="every:2"),
        dict(jitter=0.4, eval="jitter:35"),
        dict(jitter=None, outlier=0.2, eval="mixed:30:3"),
        dict(s=0.3, eval="geom:3"),
        dict(s=0.03, eval="every:4"),
        dict(h=32, eval="log:35"),
        dict(h=128, eval="every:3"),
        dict(depth=2, opt="adam", lr=0.001, eval="rand:90"),
        dict(opt="adam", lr=0.003, eval="mixlog:20:30"),
        dict(lr=0.05, eval="every:3"),
        dict(batch=None, lr=0.05, eval="every:4"),
        dict(M=2, eval="geom:4"),
        dict(M=4, eval="every:3"),
        dict(mode="var", lam=0.1, eval="jitter:30"),
        dict(mode="var", lam=1.0, eval="every:3"),
        dict(sigma_f=1.0, eval="every:3"),
        dict(n=600, eval="every:4"),
        dict(ws=6.0, eval="burst:30:5"),
        dict(df=48, eval="every:3"),
    ], lambda d: "%s-n%d-M%d-df%d-ds%d-ws%g-sf%g-s%g%s-h%dx%d%s-%s-lr%g-b%s" % (
        d["mode"], d["n"], d["M"], d["df"], d["ds"], d["ws"], d["sigma_f"], d["s"],
        "-jitter%g" % d["jitter"] if d.get("jitter") else "-outlier%g" % d["outlier"] if d.get("outlier") else "-clean",
        d["h"], d["depth"], "-lam%g" % d["lam"] if d.get("lam") else "", d["opt"], d["lr"], d.get("batch") or "full"))


FAMILIES = {"ctc-align": runs_ctc_align, "hier-softmax": runs_hier_softmax, "set-hungarian": runs_set_hungarian}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
