#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventy-seventh held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_seventysixth.py in model
and loss. The theme of the round is structured outputs and sequence losses: the model scores parts (arcs of a tree,
cells of an alignment lattice, items of a list) and the loss is the negative log-likelihood of a whole structure
(a dependency tree, a transcript over all its alignments, a ranking), its partition function summed by a determinant,
a dynamic programme or a chain of softmaxes:

- matrix-tree-parse: non-projective dependency parsing as a tree CRF: a biaffine arc scorer (Dozat & Manning 2017;
  two ReLU role MLPs, tanh in 1 run, a raw bilinear form of the features in 1 run: convex) plus a learnt signed-
  distance bias scores every arc head -> dependent and every root attachment of a synthetic sentence, and the
  negative log-likelihood of the gold tree is the log-partition over all single-root spanning trees (the matrix-tree
  theorem, Koo, Globerson, Carreras & Collins 2007: the log-determinant of the arc-weighted Laplacian with its first
  row replaced by the root weights, by torch.linalg.slogdet) minus the gold tree's score; in 2 runs the local
  head-selection cross-entropy (each dependent's softmax over its candidate heads; Zhang, Cheng & Lapata 2017) in its
  place. Data: sentences of L tokens, each a noisy continuous feature vector of a latent category, whose gold trees
  are drawn from a teacher tree CRF (category-pair arc scores, a distance penalty, a cost for heads to the right; the
  root by its marginal, then Wilson's loop-erased random walks). Noise: a share of the training tokens re-attached to
  a random non-descendant (the tree kept a tree); larger feature noise in 1 run. Optimizer: Adam (momentum SGD, AdamW
  in 1 run each; whole-set Adam in 1) on minibatches of sentences, float64. Train loss: the run's objective per token
  on the training trees at their given heads; test loss: the tree NLL per token of 300 fresh sentences' true trees;
  error rates: the shares of tokens whose most probable head under the tree CRF's arc marginals (the gradient of the
  log-partition) is not the given (train) or the true (test) head.
- rnnt-transducer: the RNN-Transducer loss (Graves 2012): a convolutional encoder of the frames (a GRU in 1 run), a
  prediction network over the labels emitted so far, stateless (the embedding of the last label; Ghodsi, Liu, Zhang,
  Zhao & Variani 2020) or a GRU run on the transcript under teacher forcing, and a joint tanh network giving each cell
  (t, u) of the T x (U + 1) lattice a distribution over the V symbols and blank; the loss -log of the summed
  probability of every alignment, by the forward recursion over the lattice's anti-diagonals. Data: synthetic
  utterances, U symbols (no symbol twice in a row) each held for 1-2 frames (up to 3 in 1 run) of its prototype
  vector after a silent gap of 0-1 frames, Gaussian frame noise, silence to T frames. Noise: a share of the training
  transcripts' symbols replaced by another; larger frame noise in 1 run. Optimizer: Adam (RMSprop in 1 run) on
  minibatches, float32. Train loss: the transducer NLL per symbol on the training utterances at their given
  transcripts; test loss: the same on 200 fresh utterances with true transcripts; error rates: the shares of utterances
  whose greedy decoding (at most 3 symbols a frame) is not the given (train) or true (test) transcript.
- listmle-plackett: learning to rank whole lists by the Plackett-Luce likelihood of the target permutation (ListMLE,
  Xia, Liu, Wang, Zhang & Li 2008), its top-k form (Xia, Liu & Li 2009; k 3), its position-aware form (Lan, Zhu,
  Guo, Niu & Cheng 2014; the term of place i weighted by 2^(m - i) - 1, scaled to 1 at the top) or ListNet's top-one
  cross-entropy (Cao et al. 2007; in 1 run), on lists of m items scored one at a time by a ReLU MLP (tanh in 1 run, a
  linear scorer in 2: convex). Data: scikit-learn's diabetes (patients ranked by their progression, lists drawn from
  the n training patients, test lists from the held-out ones), or synthetic items whose utility is a random sum of
  sine waves of Gaussian inputs (lists drawn from n training items, test lists from 1,000 fresh ones). Noise:
  Gaussian target noise on the training items' utilities before ranking; a share of the training lists shuffled
  whole in 1 run. Optimizer: Adam (momentum SGD and RMSprop in 1 run each) on minibatches of lists, float64. Train
  loss: the run's objective per item on the training lists at their given (noisy) orders; test loss: the full ListMLE
  per item of 300 test lists at their true orders; error rates: the shares of discordant pairs (of the given order on
  the training lists, of the true one on the test lists).

A run whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and mlp from
train_sixtyfifth.py and logger and train_until (train_thirtyninth.py's epoch_loop, with eval_epochs, ended by a NaN or
infinite loss) from train_seventyfourth.py; one thread, every random draw from a seeded torch.Generator (grammars,
sentences, trees, head noise, prototypes, utterances, durations, transcripts, substitutions, splits, lists, target
noise, initialisations, minibatches), synthetic event times, 6 significant digits. No planned last epoch is told: the
last event's final marks it.

    /usr/bin/python3 train_seventyseventh.py --family matrix-tree-parse [--list] [--runs 0,3] [--out FILE]

Families (see README.md): matrix-tree-parse, rnnt-transducer, listmle-plackett. Evaluation spacings: train.py's
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
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


def optimizer(c, params):
    """Adam (AdamW at weight decay wd), SGD at momentum mom, or RMSprop, at step lr."""
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=c["lr"], weight_decay=c["wd"])
    if c["opt"] == "sgd":
        return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)
    if c["opt"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["lr"])
    return torch.optim.Adam(params, lr=c["lr"])


# ---------------------------------------------------------------------------------------------------- matrix-tree-parse


def teacher_scores(cat, G, R, beta, gamma):
    """The teacher's arc scores (N x L x L, head i -> dependent j) G[cat_i, cat_j] - beta |i - j| - gamma sign(i - j)
    (a head to the right of its dependent costs gamma more) and root scores R[cat_j]."""
    L = cat.shape[1]
    dist = torch.arange(L)[:, None] - torch.arange(L)[None, :]  # head - dependent
    S = G[cat[:, :, None], cat[:, None, :]] - beta * dist.abs() - gamma * torch.sign(dist).to(F64)
    return S, R[cat]


def grow_trees(g, S, r):
    """Gold trees drawn from the teacher's tree CRF, P(tree) proportional to exp(sum of its arcs' and its root's
    scores), from g: the root rho with probability proportional to exp(r_rho) Z_rho (Z_rho the partition of the
    spanning trees rooted at rho, the determinant of the Laplacian without rho's row and column), then Wilson's
    algorithm rooted at rho (loop-erased random walks, each step from a token to a head drawn in proportion to
    exp(S[head, token])), the tokens walked from in index order. Heads as N x L indexes, -1 the root."""
    N, L, _ = S.shape
    eye = torch.eye(L, dtype=torch.bool)
    A = torch.exp(S - S.amax((1, 2), keepdim=True)).masked_fill(eye, 0.0)
    Lap = torch.diag_embed(A.sum(1)) - A
    logz = torch.stack([torch.linalg.slogdet(Lap[:, [k for k in range(L) if k != rho]][:, :, [k for k in range(L)
                                                                                              if k != rho]])[1]
                        for rho in range(L)], 1)
    root = torch.multinomial(torch.softmax(r + logz, 1), 1, generator=g)[:, 0].tolist()
    cum = (A / A.sum(1, keepdim=True)).cumsum(1).transpose(1, 2).tolist()  # cum[s][dep][head]
    u = torch.rand(N, 64 * L, generator=g, dtype=F64).tolist()
    head = []
    for s in range(N):
        h = [-2] * L
        h[root[s]] = -1
        done = [False] * L
        done[root[s]] = True
        draws = iter(u[s])
        for j in range(L):
            k, nxt = j, {}
            while not done[k]:
                v = next(draws, None)
                if v is None:  # a long walk: more uniforms (rare)
                    draws = iter(torch.rand(64 * L, generator=g, dtype=F64).tolist())
                    v = next(draws)
                row = cum[s][k]
                i = 0
                while i < L - 1 and row[i] <= v:
                    i += 1
                nxt[k] = i
                k = i
            k = j
            while not done[k]:
                h[k] = nxt[k]
                done[k] = True
                k = nxt[k]
        head.append(h)
    return torch.tensor(head)


def reattach(g, head, share):
    """A share of the tokens (not the root) re-attached to a random token that is not among their descendants (so
    the trees stay single-root trees), from g."""
    if not share:
        return head
    head = head.clone()
    N, L = head.shape
    hit = (torch.rand(N, L, generator=g) < share) & (head >= 0)
    u = torch.rand(N, L, L, generator=g)
    for i, j in torch.nonzero(hit).tolist():
        desc = {j}
        changed = True
        while changed:
            changed = False
            for k in range(L):
                if k not in desc and int(head[i, k]) in desc:
                    desc.add(k)
                    changed = True
        cand = [k for k in range(L) if k not in desc]
        head[i, j] = cand[int(u[i, j, 0] * len(cand))]
    return head


def parse_data(g, c):
    """(x, heads, xt, heads_t): n training and 300 test sentences of L tokens, float64. C latent categories with
    prototypes P (N(0, I_D)); a token of category k has the features P[k] + s N(0, I_D); categories uniform; the
    teacher grammar G (C x C, N(0, tau^2)), root scores R (N(0, 1) a category) and distance weights beta, gamma give
    teacher_scores, from which grow_trees draws the trees; the training heads with reattach's noise. All from g."""
    C, D, L = c["C"], c["D"], c["L"]
    P = torch.randn(C, D, generator=g, dtype=F64)
    G = c["tau"] * torch.randn(C, C, generator=g, dtype=F64)
    R = torch.randn(C, generator=g, dtype=F64)

    def draw(m):
        cat = torch.randint(0, C, (m, L), generator=g)
        x = P[cat] + c["s"] * torch.randn(m, L, D, generator=g, dtype=F64)
        return x, grow_trees(g, *teacher_scores(cat, G, R, c["beta"], c["gamma"]))

    x, h = draw(c["n"])
    xt, ht = draw(300)
    return x, reattach(g, h, c.get("hnoise")), xt, ht


def tree_scores(params, x, c):
    """Arc scores S (N x L x L, S[:, i, j] the arc head i -> dependent j) and root scores r (N x L): 'biaffine' role
    vectors a_dep = act(x W1 + b1), a_head = act(x W2 + b2) and S_ij = a_head_i U a_dep_j + a_head_i . u; 'bilinear'
    the same on the raw features (no role MLPs); both plus a learnt bias of the signed distance j - i; r_j = a_dep_j .
    w + b0."""
    L = x.shape[1]
    if c["model"] == "bilinear":
        U, u, dist, w_r, b_r = params
        a_dep = a_head = x
    else:
        W1, b1, W2, b2, U, u, dist, w_r, b_r = params
        act = torch.tanh if c["act"] == "tanh" else torch.relu
        a_dep, a_head = act(x @ W1 + b1), act(x @ W2 + b2)
    S = a_head @ U @ a_dep.transpose(1, 2) + (a_head @ u)[:, :, None]
    off = torch.arange(L)[None, :] - torch.arange(L)[:, None] + L - 1  # j - i + L - 1
    S = S + dist[off]
    return S, a_dep @ w_r + b_r


def tree_logz(S, r):
    """The log-partition over single-root spanning trees (Koo et al. 2007): with A_ij = exp(S_ij) (i != j), the
    Laplacian L_jj = sum_i A_ij, L_ij = -A_ij, its first row replaced by exp(r); log det by slogdet, each column j
    scaled by exp(-m_j), m_j the largest of r_j and the S_ij (added back)."""
    N, L, _ = S.shape
    eye = torch.eye(L, dtype=torch.bool)
    Sm = S.masked_fill(eye, float("-inf"))
    m = torch.maximum(Sm.max(1).values, r)  # N x L
    A = torch.exp(Sm - m[:, None, :])
    Lap = torch.diag_embed(A.sum(1)) - A
    Lap = torch.cat([torch.exp(r - m)[:, None, :], Lap[:, 1:, :]], 1)
    return torch.linalg.slogdet(Lap)[1] + m.sum(1)


def gold_score(S, r, head):
    """The summed score of the trees (heads, -1 the root)."""
    N, L = head.shape
    rows = torch.arange(N)[:, None].expand(N, L)
    deps = torch.arange(L)[None, :].expand(N, L)
    arc = S[rows, head.clamp(min=0), deps]
    return torch.where(head < 0, r, arc).sum(1)


def head_logits(S, r):
    """Each dependent's logits over its candidate heads: N x L (dependents) x (L + 1) (the tokens, the root last),
    itself masked out."""
    L = S.shape[1]
    Sm = S.masked_fill(torch.eye(L, dtype=torch.bool), float("-inf")).transpose(1, 2)
    return torch.cat([Sm, r[:, :, None]], 2)


def tree_marginals(S, r):
    """The arc and root marginals of the tree CRF, the gradient of tree_logz in (S, r), as head_logits' layout (N x L
    dependents x (L + 1) heads, the root last)."""
    with torch.enable_grad():
        S, r = S.detach().requires_grad_(), r.detach().requires_grad_()
        gS, gr = torch.autograd.grad(tree_logz(S, r).sum(), [S, r])
    return torch.cat([gS.transpose(1, 2), gr[:, :, None]], 2)


def matrix_tree_parse(w, run_id, c):
    """Dependency parsing by a tree CRF, float64. Data (from the run's generator): parse_data. Model: tree_scores
    ('biaffine' D -> hid role MLPs, ReLU or tanh, U(+-1 / sqrt(fan-in)), U and u
    N(0, 1 / hid), the distance bias and root weights from zero; 'bilinear' U N(0, 1 / D)), all from the run's
    generator. Loss: 'tree' (tree_logz - gold_score) per token; 'local' the cross-entropy of each dependent's given
    head under head_logits. Optimizer: optimizer() on minibatches of batch sentences. Train loss: the objective on the
    training sentences at their given heads; test loss: the tree NLL per token of the test sentences' true trees;
    error rates: the shares of tokens whose most probable head under the tree CRF's marginals (tree_marginals) is not
    the given / true one."""
    g = torch.Generator().manual_seed(771_000 + c["seed"])
    x, h, xt, ht = parse_data(g, c)
    n, L, D = x.shape
    if c["model"] == "bilinear":
        params = leaves([torch.randn(D, D, generator=g, dtype=F64) / math.sqrt(D), torch.zeros(D, dtype=F64),
                         torch.zeros(2 * L - 1, dtype=F64), torch.zeros(D, dtype=F64), torch.zeros(1, dtype=F64)])
    else:
        k = c["hid"]
        W1, b1 = mlp_params(g, [D, k], F64)
        W2, b2 = mlp_params(g, [D, k], F64)
        params = [W1, b1, W2, b2] + leaves([torch.randn(k, k, generator=g, dtype=F64) / math.sqrt(k),
                                            torch.randn(k, generator=g, dtype=F64) / math.sqrt(k),
                                            torch.zeros(2 * L - 1, dtype=F64), torch.zeros(k, dtype=F64),
                                            torch.zeros(1, dtype=F64)])
    opt = optimizer(c, params)

    def tree_nll(S, r, head):
        return (tree_logz(S, r) - gold_score(S, r, head)).mean() / L

    def local_nll(S, r, head):
        lg = head_logits(S, r)
        tgt = torch.where(head < 0, torch.full_like(head, L), head)
        return fn.cross_entropy(lg.reshape(-1, L + 1), tgt.reshape(-1))

    def objective(S, r, head):
        return local_nll(S, r, head) if c["loss"] == "local" else tree_nll(S, r, head)

    def step(idx):
        opt.zero_grad()
        S, r = tree_scores(params, take(x, idx), c)
        objective(S, r, take(h, idx)).backward()
        opt.step()

    def err(S, r, head):
        tgt = torch.where(head < 0, torch.full_like(head, L), head)
        return (tree_marginals(S, r).argmax(2) != tgt).double().mean()

    run = w.run(run_id, count(params), n * L,
                {"family": "tree-crf", "scorer": c["model"], "hidden": c.get("hid") or 0, "tokens": L},
                settings(c, ("seed", "n", "L", "C", "D", "s", "tau", "beta", "gamma", "hnoise", "model", "act", "hid",
                             "loss", "opt", "lr", "mom", "wd", "batch", "eval"))
                | {"structure": "single-root-spanning-tree",
                   "objective": "matrix-tree-nll" if c["loss"] == "tree" else "local-head-selection-ce",
                   "train_sentences": str(n), "test_loss": "heldout-tree-nll-per-token-true-heads",
                   "error": "marginal-argmax-head-attachment", "test_size": str(len(xt) * L)}, output_dim=L + 1)
    log_ = logger(run)

    def log(e, final):
        S, r = tree_scores(params, x, c)
        St, rt = tree_scores(params, xt, c)
        log_(e, objective(S, r, h), tree_nll(St, rt, ht), err(S, r, h), err(St, rt, ht), final=final)

    train_until(g, n, c, step, log)


def runs_matrix_tree_parse():
    # The logic: 150 sentences of 10 tokens (1,500 heads to learn), 6 latent categories seen through 12 features at
    # noise 0.5, gold trees drawn from a teacher tree CRF (a category grammar of spread 3, a distance penalty 1.5 an arc
    # and 1 more for a head to the right), 15% of the training tokens re-attached to a random non-descendant. A
    # biaffine scorer with ReLU role MLPs 12 -> 32 (1,940 weights, about 1.3 a token) under Adam at 0.005 on
    # minibatches of 15 sentences, 100 epochs, on the matrix-tree NLL: the tree CRF learns the grammar and then, slowly,
    # the re-attached heads. One thing at a time besides: clean heads, 30% re-attached, the local head-selection loss
    # (at 15% and 30%), width 8 and 128, tanh roles, a bilinear form of the raw features (convex in its weights), 60
    # and 300 sentences, sentences of 6 and 14 tokens, feature noise 1.2, a flat grammar (spread 1), the step 0.002
    # and 0.015, momentum SGD (0.9 at 0.05), AdamW at weight decay 0.01, whole-set steps (Adam at 0.02, 300 epochs).
    # Evaluation spacing mixed.
    base = dict(n=150, L=10, C=6, D=12, s=0.5, tau=3.0, beta=1.5, gamma=1.0, hnoise=0.15, model="biaffine",
                act="relu", hid=32, loss="tree", opt="adam", lr=0.005, mom=None, wd=None, batch=15, epochs=100,
                eval="every:2")
    return matrix_tree_parse, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hnoise=None, eval="every"),
        dict(hnoise=0.3, eval="every:2"),
        dict(loss="local", eval="log:30"),
        dict(loss="local", hnoise=0.3, eval="every:3"),
        dict(hid=8, eval="every"),
        dict(hid=128, eval="jitter:30"),
        dict(act="tanh", eval="every:2"),
        dict(model="bilinear", act=None, hid=None, eval="mixed:30:3"),
        dict(n=60, eval="every"),
        dict(n=300, eval="geom:3"),
        dict(L=6, eval="every:2"),
        dict(L=14, eval="burst:20:5"),
        dict(s=1.2, eval="every"),
        dict(tau=1.0, eval="every:2"),
        dict(lr=0.002, eval="mixlog:30:30"),
        dict(lr=0.015, eval="every"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="every:2"),
        dict(opt="adamw", wd=0.01, eval="rand:50"),
        dict(batch=None, lr=0.02, epochs=300, eval="every:3"),
    ], lambda d: "n%d-L%d-s%g-tau%g%s-%s%s-%s-%s-lr%g%s-b%s" % (
        d["n"], d["L"], d["s"], d["tau"], "-reattach%g" % d["hnoise"] if d.get("hnoise") else "-clean",
        d["model"], "-%s%d" % (d["act"], d["hid"]) if d.get("hid") else "", d["loss"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else "-mom%g" % d["mom"] if d.get("mom") else "", d.get("batch") or "full"))


# ---------------------------------------------------------------------------------------------------- rnnt-transducer


NEG = -1e4  # "minus infinity" in the lattice (float32; keeps logaddexp's gradients finite)


def utterances(g, m, c, P):
    """m utterances, from g: U symbols in 1..V (the first uniform, each next uniform among the V - 1 others), each
    after a silent gap of 0..gap frames and held for 1..dur frames of its prototype P[symbol], silence (P[0] = 0) to
    T = U (dur + gap) frames; every frame plus sd N(0, I). (frames m x T x D float32, transcripts m x U)."""
    V, U, D = c["V"], c["U"], c["D"]
    T = U * (c["dur"] + c["gap"])
    y = torch.empty(m, U, dtype=torch.long)
    y[:, 0] = torch.randint(1, V + 1, (m,), generator=g)
    for k in range(1, U):
        y[:, k] = (y[:, k - 1] - 1 + torch.randint(1, V, (m,), generator=g)) % V + 1
    lengths = torch.randint(1, c["dur"] + 1, (m, U), generator=g)
    gaps = torch.randint(0, c["gap"] + 1, (m, U), generator=g)
    frames = torch.zeros(m, T, dtype=torch.long)
    for i in range(m):
        t = 0
        for k in range(U):
            t += int(gaps[i, k])
            frames[i, t:t + int(lengths[i, k])] = y[i, k]
            t += int(lengths[i, k])
    x = P[frames] + c["sd"] * torch.randn(m, T, D, generator=g)
    return x, y


def substitute(g, y, V, share):
    """A share of the transcripts' symbols replaced by another symbol drawn at random (from g)."""
    if not share:
        return y
    hit = torch.rand(y.shape, generator=g) < share
    return torch.where(hit, (y - 1 + torch.randint(1, V, y.shape, generator=g)) % V + 1, y)


class Transducer:
    """Encoder, prediction network and joint network, float32, from g: 'conv' two 1-D convolutions of width 3 (D -> h
    -> h, ReLU, padding 1) or 'gru' a GRU D -> h (torch.nn.GRU, weights redrawn U(+-1 / sqrt(h))); the prediction
    network an embedding (V + 1 x h, N(0, 1)) of the last emitted label (0 at the start), run through a GRU h -> h
    where pred is 'gru'; the joint tanh(enc W_e + pred W_p + b) W_o + b_o over V + 1 outputs (0 blank)."""

    def __init__(self, g, c):
        h, D, V, j = c["hid"], c["D"], c["V"], c["joint"]
        self.c = c
        self.emb = leaves([torch.randn(V + 1, h, generator=g)])
        if c["enc"] == "gru":
            self.enc_rnn = torch.nn.GRU(D, h, batch_first=True)
            with torch.no_grad():
                for q in self.enc_rnn.parameters():
                    q.copy_(uniform(g, h, *q.shape))
            self.enc = list(self.enc_rnn.parameters())
        else:
            self.enc = leaves([uniform(g, 3 * D, h, D, 3), uniform(g, 3 * D, h), uniform(g, 3 * h, h, h, 3),
                               uniform(g, 3 * h, h)])
        self.pred = []
        if c["pred"] == "gru":
            self.pred_rnn = torch.nn.GRU(h, h, batch_first=True)
            with torch.no_grad():
                for q in self.pred_rnn.parameters():
                    q.copy_(uniform(g, h, *q.shape))
            self.pred = list(self.pred_rnn.parameters())
        self.joint = mlp_params(g, [2 * h, j, V + 1], F32)
        self.params = self.emb + self.enc + self.pred + self.joint

    def encode(self, x):
        if self.c["enc"] == "gru":
            return self.enc_rnn(x)[0]
        z = torch.relu(fn.conv1d(x.transpose(1, 2), self.enc[0], self.enc[1], padding=1))
        return torch.relu(fn.conv1d(z, self.enc[2], self.enc[3], padding=1)).transpose(1, 2)

    def predict(self, y):
        """The prediction network's outputs before each label and after the last: m x (U + 1) x h."""
        z = self.emb[0][torch.cat([torch.zeros(len(y), 1, dtype=torch.long), y], 1)]
        return self.pred_rnn(z)[0] if self.c["pred"] == "gru" else z

    def joint_logp(self, e, p):
        """log-softmax of the joint network on encoder outputs e (... x h) and prediction outputs p (... x h)."""
        W, b, Wo, bo = self.joint
        h = e.shape[-1]
        return fn.log_softmax(torch.tanh(e @ W[:h] + p @ W[h:] + b) @ Wo + bo, -1)

    def lattice(self, x, y):
        """Log-probabilities over the lattice: m x T x (U + 1) x (V + 1)."""
        e, p = self.encode(x), self.predict(y)
        W, b, Wo, bo = self.joint
        h = e.shape[-1]
        return fn.log_softmax(torch.tanh((e @ W[:h])[:, :, None, :] + (p @ W[h:])[:, None, :, :] + b) @ Wo + bo, -1)

    def greedy(self, x, max_sym=3):
        """Greedy decoding (at most max_sym symbols a frame): emitted symbols m x (T max_sym), 0 padded, and counts."""
        e = self.encode(x)
        m, T, h = e.shape
        out = torch.zeros(m, T * max_sym, dtype=torch.long)
        cnt = torch.zeros(m, dtype=torch.long)
        last = torch.zeros(m, dtype=torch.long)
        state = torch.zeros(1, m, h) if self.c["pred"] == "gru" else None
        pv = self.emb[0][last]
        if state is not None:
            o, state = self.pred_rnn(pv[:, None, :], state)
            pv = o[:, 0]
        rows = torch.arange(m)
        for t in range(T):
            for _ in range(max_sym):
                k = self.joint_logp(e[:, t], pv).argmax(1)
                emit = k > 0
                if not bool(emit.any()):
                    break
                out[rows[emit], cnt[emit]] = k[emit]
                cnt = cnt + emit.long()
                last = torch.where(emit, k, last)
                nv = self.emb[0][last]
                if state is not None:
                    o, ns = self.pred_rnn(nv[:, None, :], state)
                    state = torch.where(emit[None, :, None], ns, state)
                    nv = o[:, 0]
                pv = torch.where(emit[:, None], nv, pv)
        return out, cnt


def rnnt_nll(lp, y):
    """The transducer's negative log-likelihood of each transcript (m), summed over all alignments: alpha(t, u) =
    logaddexp(alpha(t - 1, u) + blank(t - 1, u), alpha(t, u - 1) + emit(t, u - 1)), alpha(0, 0) = 0, -log P =
    -(alpha(T - 1, U) + blank(T - 1, U)); computed one anti-diagonal t + u = d at a time."""
    m, T, U1, _ = lp.shape
    U = U1 - 1
    blank = lp[..., 0]  # m x T x (U + 1)
    emit = lp[:, :, :U, :].gather(3, y[:, None, :, None].expand(m, T, U, 1))[..., 0]  # m x T x U
    t = torch.arange(T)
    d = torch.arange(T + U)[:, None]
    u = d - t[None, :]  # (T + U) x T
    vb = (u >= 0) & (u <= U)
    ve = (u >= 0) & (u < U)
    Bd = torch.where(vb, blank[:, t[None, :], u.clamp(0, U)], torch.tensor(NEG))  # m x (T + U) x T
    Ed = torch.where(ve, emit[:, t[None, :], u.clamp(0, max(U - 1, 0))], torch.tensor(NEG))
    a = torch.full((m, T), NEG)
    a[:, 0] = 0.0
    negcol = torch.full((m, 1), NEG)
    for k in range(1, T + U):
        fb = torch.cat([negcol, (a + Bd[:, k - 1])[:, :-1]], 1)
        fe = a + Ed[:, k - 1]
        a = torch.where(vb[k], torch.logaddexp(fb, fe), torch.tensor(NEG))
    return -(a[:, T - 1] + blank[:, T - 1, U])


def rnnt_transducer(w, run_id, c):
    """The RNN-Transducer on synthetic utterances, float32. Data (from the run's generator): symbol prototypes P (V x
    D, N(0, I), silence 0), utterances (n training, 400 test); substitute on the training transcripts. Model:
    Transducer. Loss: rnnt_nll per symbol (the mean over utterances divided by U). Optimizer: optimizer() on minibatches
    of batch utterances. Train loss: the loss on the training utterances at their given transcripts; test loss: the
    same on the test ones, true transcripts; error rates: the shares of utterances whose greedy decoding differs from
    the given / true transcript."""
    g = torch.Generator().manual_seed(772_000 + c["seed"])
    V, U, D = c["V"], c["U"], c["D"]
    P = torch.cat([torch.zeros(1, D), torch.randn(V, D, generator=g)])
    x, y = utterances(g, c["n"], c, P)
    xt, yt = utterances(g, 200, c, P)
    yn = substitute(g, y, V, c.get("snoise"))
    n, T = len(y), x.shape[1]
    net = Transducer(g, c)
    opt = optimizer(c, net.params)

    def loss(xx, yy):
        return rnnt_nll(net.lattice(xx, yy), yy).mean() / U

    def step(idx):
        opt.zero_grad()
        loss(take(x, idx), take(yn, idx)).backward()
        opt.step()

    def seq_err(xx, yy):
        out, cnt = net.greedy(xx)
        return ((cnt != U) | (out[:, :U] != yy).any(1)).float().mean()

    run = w.run(run_id, count(net.params), n,
                {"family": "transducer", "encoder": c["enc"], "prediction": c["pred"], "hidden": c["hid"],
                 "joint": c["joint"], "frames": T, "symbols": U},
                settings(c, ("seed", "n", "V", "U", "D", "dur", "gap", "sd", "snoise", "enc", "pred", "hid", "joint",
                             "opt", "lr", "batch", "eval"))
                | {"structure": "monotonic-alignment-lattice", "objective": "rnn-transducer-nll-per-symbol",
                   "test_loss": "heldout-rnnt-nll-per-symbol-true-transcripts",
                   "error": "greedy-decoding-utterance-error", "test_size": str(len(yt))}, output_dim=V + 1)
    log_ = logger(run)

    def log(e, final):
        log_(e, loss(x, yn), loss(xt, yt), seq_err(x, yn), seq_err(xt, yt), final=final)

    train_until(g, n, c, step, log)


def runs_rnnt_transducer():
    # The logic: 160 utterances of 4 symbols out of 5, each held 1-2 frames after a gap of 0-1 frames (12 frames with
    # the silence), 8-dim frames at noise 0.6, 15% of the training transcripts' symbols substituted; a convolutional
    # encoder (8 -> 24 -> 24, width 3), a stateless prediction network (the last label's embedding) and a joint tanh
    # layer of 24 (3,822 weights, about 24 an utterance) under Adam at 0.01 on minibatches of 20, 60 epochs: the
    # transducer learns the blank-heavy alignments first (a plateau), then the symbols, then its training
    # transcripts' substituted symbols. One thing at a time besides: clean and 30% substituted transcripts, frame
    # noise 1.2, a GRU prediction network (teacher-forced on the given transcript; clean and at 15%), a GRU encoder,
    # width 12 and 64, 80 and 400 utterances, 6 symbols of 8, durations up to 3 frames, the step 0.003 and 0.03,
    # RMSprop at 0.003, minibatches of 60. Evaluation spacing mixed.
    base = dict(n=160, V=5, U=4, D=8, dur=2, gap=1, sd=0.6, snoise=0.15, enc="conv", pred="stateless", hid=24, joint=24,
                opt="adam", lr=0.01, batch=20, epochs=60, eval="every")
    return rnnt_transducer, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(snoise=None, eval="every:2"),
        dict(snoise=0.3, eval="every"),
        dict(sd=1.2, eval="log:30"),
        dict(pred="gru", eval="every:2"),
        dict(pred="gru", snoise=None, eval="jitter:30"),
        dict(enc="gru", eval="every"),
        dict(hid=12, joint=12, eval="every:2"),
        dict(hid=64, joint=64, eval="mixed:30:2"),
        dict(n=80, eval="every"),
        dict(n=400, eval="geom:2"),
        dict(V=8, U=6, eval="every:2"),
        dict(dur=3, eval="burst:10:4"),
        dict(lr=0.003, epochs=100, eval="every:3"),
        dict(lr=0.03, eval="every"),
        dict(opt="rmsprop", lr=0.003, eval="mixlog:20:30"),
        dict(batch=60, eval="rand:40"),
    ], lambda d: "n%d-V%d-U%d-dur%d-sd%g%s-%s-%s-h%d-%s-lr%g-b%d" % (
        d["n"], d["V"], d["U"], d["dur"], d["sd"], "-subst%g" % d["snoise"] if d.get("snoise") else "-clean",
        d["enc"], d["pred"], d["hid"], d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- listmle-plackett


def rank_items(g, c):
    """(x, utility, noisy utility, xt, utility_t), float64, from g: 'diabetes' scikit-learn's diabetes (inputs and
    progression standardised on the n training patients, the rest held out); 'synth' inputs N(0, I_d), the utility a
    sum of J sine waves sin(w . x + p) (w N(0, I), p uniform) standardised on 2,000 draws, n training and 1,000 test
    items. The training utilities plus sd N(0, 1) (target noise)."""
    if c["data"] == "diabetes":
        from sklearn.datasets import load_diabetes
        xs, ys = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(xs, dtype=F64), torch.tensor(ys, dtype=F64)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        x, y, xt, yt = X[tr], Y[tr], X[te], Y[te]
    else:
        d, J = c["d"], c["J"]
        Wv = torch.randn(J, d, generator=g, dtype=F64)
        ph = 2 * math.pi * torch.rand(J, generator=g, dtype=F64)

        def f(z):
            return torch.sin(z @ Wv.T + ph).sum(1)

        ref = f(torch.randn(2000, d, generator=g, dtype=F64))
        mu, sdv = ref.mean(), ref.std()
        x = torch.randn(c["n"], d, generator=g, dtype=F64)
        xt = torch.randn(1000, d, generator=g, dtype=F64)
        y, yt = (f(x) - mu) / sdv, (f(xt) - mu) / sdv
    yn = y + (c.get("sd") or 0.0) * torch.randn(len(y), generator=g, dtype=F64)
    return x, y, yn, xt, yt


def make_lists(g, pool, count_, m):
    """count_ lists of m distinct item indexes drawn from range(pool), from g."""
    return torch.argsort(torch.rand(count_, pool, generator=g), 1)[:, :m]


def pl_terms(s):
    """The Plackett-Luce negative log-likelihood's terms of scores s (lists x m) in their target order (first the
    top): term i = logsumexp(s_i, ..., s_m) - s_i."""
    return torch.logcumsumexp(s.flip(1), 1).flip(1) - s


def rank_objective(s, rel, loss, k):
    """The per-item loss of scores s (lists x m, in the target order) on lists whose target relevance is rel (the
    same order): 'listmle' the Plackett-Luce NLL; 'topk' its first k terms; 'pos' its terms weighted by
    (2^(m - i) - 1) / (2^(m - 1) - 1); 'listnet' the cross-entropy of softmax(s) against softmax(rel) (top-one)."""
    m = s.shape[1]
    if loss == "listnet":
        return -(torch.softmax(rel, 1) * fn.log_softmax(s, 1)).sum(1).mean() / m
    t = pl_terms(s)
    if loss == "topk":
        return t[:, :k].sum(1).mean() / m
    if loss == "pos":
        i = torch.arange(1, m + 1, dtype=s.dtype)
        return (t * (2.0 ** (m - i) - 1) / (2.0 ** (m - 1) - 1)).sum(1).mean() / m
    return t.sum(1).mean() / m


def discordant(s):
    """The share of discordant pairs of scores s (lists x m, in the target order)."""
    m = s.shape[1]
    upper = torch.triu(torch.ones(m, m, dtype=torch.bool), 1)
    return ((s[:, :, None] < s[:, None, :]) & upper).sum((1, 2)).double().mean() / (m * (m - 1) / 2)


def listmle_plackett(w, run_id, c):
    """Listwise learning to rank, float64. Data (from the run's generator): rank_items; 'lists' training lists of m
    items from the n training items (make_lists), each ordered by the noisy utility (a share 'shuffle' of them in a
    random order instead), and 300 test lists of m held-out items ordered by the true utility. Model: a scorer d ->
    hid (x depth, ReLU or tanh) -> 1, U(+-1 / sqrt(fan-in)) from the run's generator (linear where hid is unset).
    Loss: rank_objective. Optimizer: optimizer() on minibatches of batch lists. Train loss: the objective on the
    training lists in their given orders; test loss: the full ListMLE per item of the test lists in their true orders;
    error rates: discordant (of the given orders on the training lists, of the true ones on the test lists)."""
    g = torch.Generator().manual_seed(773_000 + c["seed"])
    x, y, yn, xt, yt = rank_items(g, c)
    n, d = x.shape
    m = c["m"]
    lists = make_lists(g, n, c["lists"], m)
    lists = torch.gather(lists, 1, torch.argsort(-yn[lists], 1))
    if c.get("shuffle"):
        hit = torch.rand(len(lists), generator=g) < c["shuffle"]
        mixed = torch.gather(lists, 1, torch.argsort(torch.rand(lists.shape, generator=g), 1))
        lists = torch.where(hit[:, None], mixed, lists)
    rel = yn[lists] / c["temp"] if c["loss"] == "listnet" else None
    tl = make_lists(g, len(xt), 300, m)
    tl = torch.gather(tl, 1, torch.argsort(-yt[tl], 1))
    sizes = [d] + ([c["hid"]] * c["depth"] if c.get("hid") else []) + [1]
    params = mlp_params(g, sizes, F64)
    act = torch.tanh if c.get("act") == "tanh" else torch.relu
    opt = optimizer(c, params)

    def scores(z, ls):
        return mlp(params, z, act)[:, 0][ls]

    def step(idx):
        opt.zero_grad()
        rank_objective(scores(x, take(lists, idx)), take(rel, idx) if rel is not None else None, c["loss"],
                       c.get("k")).backward()
        opt.step()

    run = w.run(run_id, count(params), n,
                {"family": "mlp" if c.get("hid") else "linear", "hidden": c.get("hid") or 0,
                 "depth": c["depth"] if c.get("hid") else 0, "list_size": m},
                settings(c, ("seed", "data", "n", "d", "J", "sd", "shuffle", "lists", "m", "hid", "depth", "act",
                             "loss", "k", "temp", "opt", "lr", "mom", "batch", "eval"))
                | {"structure": "permutation", "objective": {"listmle": "plackett-luce-listmle",
                                                             "topk": "top-k-plackett-luce",
                                                             "pos": "position-aware-listmle",
                                                             "listnet": "listnet-top-one-ce"}[c["loss"]],
                   "test_loss": "heldout-listmle-per-item-true-order", "error": "discordant-pairs",
                   "test_size": "300"})
    log_ = logger(run)

    def log(e, final):
        s, st = scores(x, lists), scores(xt, tl)
        log_(e, rank_objective(s, rel, c["loss"], c.get("k")), rank_objective(st, None, "listmle", None),
             discordant(s), discordant(st), final=final)

    train_until(g, c["lists"], c, step, log)


def runs_listmle_plackett():
    # The logic: 150 diabetes patients (10 standardised inputs), their progression plus Gaussian target noise of sd 0.5
    # (a fifth of its variance), 400 training lists of 8 of them, each ordered by the noisy progression; a ReLU scorer
    # 10 -> 64 -> 1 (769 weights, five a patient) under Adam at 0.001 on minibatches of 40 lists, 100 epochs, on the
    # full ListMLE: the lists tell the same patients' noisy order again and again, which the scorer can learn patient
    # by patient. One thing at a time besides: no and stronger target noise (sd 1), a fifth of the lists shuffled
    # whole, the top-3 and the position-aware ListMLE, ListNet's top-one cross-entropy (temperature 0.5), a linear
    # scorer (convex; at sd 0.5 and clean), width 16 and 256, tanh, 60 and 300 patients, lists of 4 and 16, the step
    # 0.0003 and 0.003, momentum SGD (0.9 at 0.01), RMSprop at 0.001, and synthetic items (150 of 4 inputs, a sum of 6
    # sine waves). Evaluation spacing mixed.
    base = dict(data="diabetes", n=150, d=None, J=None, sd=0.5, shuffle=None, lists=400, m=8, hid=64, depth=1,
                act="relu", loss="listmle", k=None, temp=None, opt="adam", lr=0.001, mom=None, batch=40, epochs=100,
                eval="every:2")
    return listmle_plackett, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sd=None, eval="every"),
        dict(sd=1.0, eval="every:2"),
        dict(shuffle=0.2, eval="log:30"),
        dict(loss="topk", k=3, eval="every"),
        dict(loss="pos", eval="every:3"),
        dict(loss="listnet", temp=0.5, eval="jitter:30"),
        dict(hid=None, depth=None, act=None, eval="every:2"),
        dict(hid=None, depth=None, act=None, sd=None, eval="every"),
        dict(hid=16, eval="mixed:30:3"),
        dict(hid=256, eval="geom:3"),
        dict(act="tanh", eval="every"),
        dict(n=60, eval="every:2"),
        dict(n=300, eval="burst:20:5"),
        dict(m=4, lists=800, eval="every"),
        dict(m=16, lists=200, eval="every:2"),
        dict(lr=0.0003, epochs=200, eval="mixlog:30:30"),
        dict(lr=0.003, eval="every"),
        dict(opt="sgd", lr=0.01, mom=0.9, eval="every:3"),
        dict(opt="rmsprop", lr=0.001, eval="rand:50"),
        dict(data="synth", d=4, J=6, eval="every:2"),
    ], lambda d: "%s-n%d%s%s%s-lists%dx%d-%s-%s%s-%s-lr%g%s-b%d" % (
        d["data"], d["n"], "-d%d-J%d" % (d["d"], d["J"]) if d.get("d") else "",
        "-sd%g" % d["sd"] if d.get("sd") else "-clean", "-shuffle%g" % d["shuffle"] if d.get("shuffle") else "",
        d["lists"], d["m"], "%s%dx%d" % (d["act"], d["depth"], d["hid"]) if d.get("hid") else "linear",
        d["loss"], "%d" % d["k"] if d.get("k") else "-t%g" % d["temp"] if d.get("temp") else "", d["opt"], d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else "", d["batch"]))


FAMILIES = {"matrix-tree-parse": runs_matrix_tree_parse, "rnnt-transducer": runs_rnnt_transducer,
            "listmle-plackett": runs_listmle_plackett}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
