#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixty-sixth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 200 families of train.py ... train_sixtyfourth.py in model, loss, noise
and data. The theme of the round is recommendation from implicit feedback: matrix factorisation under the BPR
pairwise loss, neural collaborative filtering with sampled negatives, and next-item prediction over sessions; on
synthetic user-item interactions, at sizes around where the model can just fit its training interactions, with
random clicks in part of the grid:

- bpr-mf: matrix factorisation (user and item embeddings of dimension k and an item bias) trained with the BPR
  pairwise loss (Rendle et al. 2009), softplus(-(x_ui - x_uj)), of each observed (user, item) pair against an item j
  the user did not click, drawn afresh at every step. Data: a low-rank preference model with popularity bias (user
  and item factors of rank 3 plus an item popularity), each user's clicks drawn without replacement from the softmax
  of the preferences; a share of the training clicks replaced by random items (random clicks). Adam (momentum SGD in
  1 run) on minibatches, float32. Train loss: the BPR loss of the training pairs against fixed negatives; test loss:
  the BPR loss of held-out clicks against fixed held-out negatives (both fixed with the run's seed); error rates: the
  shares of (positive, negative) pairs ordered wrongly (1 - AUC over the pairs).
- ncf-mlp: neural collaborative filtering (He et al. 2017, its MLP tower): user and item embeddings of dimension d
  concatenated, a ReLU layer of width h, one logit; the binary cross-entropy of observed pairs (label 1) and r
  sampled negatives each (label 0, drawn afresh every epoch). Data: a distance preference model (users and items at
  places in a plane, preference falling with the squared distance, plus popularity), not of low rank; random clicks
  in part of the grid. Adam on minibatches, float32. Train loss: the cross-entropy on the training pairs and fixed
  negatives; test loss: the cross-entropy on held-out pairs and fixed held-out negatives; error rates: the shares
  misclassified at logit 0.
- gru-session: next-item prediction over synthetic sessions: an item embedding of dimension d read by a GRU of width
  h, a linear layer to the item logits at every position (GRU4Rec, Hidasi et al. 2016); a bag of the last two items'
  embeddings through a ReLU layer of width h in 2 runs. Data: sessions drawn from a Markov chain over items (each
  item's two favoured successors, else an item of its topic by popularity); a share of the training clicks replaced
  by random items. Loss: the cross-entropy of the next item over the catalogue (a sampled softmax against 5 random
  items in 1 run). Adam (RMSprop in 1 run) on minibatches, float32. Train loss: the run's loss on the training
  sessions (the sampled softmax against fixed negatives); test loss: the full cross-entropy of the next item on
  held-out clean sessions; error rates: the top-1 miss shares.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs) and take from train_thirtyninth.py, count from
train_fortyeighth.py and make_opt from train_fiftysixth.py; one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final
marks it.

    /usr/bin/python3 train_sixtysixth.py --family bpr-mf [--list] [--runs 0,3] [--out FILE]

Families (see README.md): bpr-mf, ncf-mlp, gru-session. Evaluation spacings: train.py's 'every', 'every:K', 'log:K',
train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K', 'mixlog:A:K', 'geom:G', 'burst:P:B'.
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
from train_thirtyninth import epoch_loop, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)

torch.set_num_threads(1)

F32 = torch.float32


# ---------------------------------------------------------------------------------------------------- shared


def clicks(g, pref, m, hold, q):
    """Implicit feedback from a preference matrix pref (U x I): each user's m clicks drawn without replacement from
    softmax(pref[u]); hold of them (at random) held out. A share q of the training clicks replaced by an item drawn
    uniformly from those the user did not click (random clicks). Returns the training pairs (users, items), the
    held-out pairs, the training positives' mask (U x I) and the mask of every item the user truly clicked or was
    given (for negatives that are true non-clicks)."""
    U, I = pref.shape
    items = torch.multinomial(pref.softmax(1), m, replacement=False, generator=g)  # U x m
    order = torch.rand(U, m, generator=g).argsort(1)
    items = torch.gather(items, 1, order)
    tr, te = items[:, hold:].clone(), items[:, :hold]
    seen = torch.zeros(U, I, dtype=torch.bool)
    seen.scatter_(1, items, True)
    if q:
        hit = torch.rand(tr.shape, generator=g) < q
        rnd = torch.multinomial((~seen).float(), m - hold, replacement=False, generator=g)
        tr = torch.where(hit, rnd, tr)
        seen.scatter_(1, tr, True)
    pos = torch.zeros(U, I, dtype=torch.bool)
    pos.scatter_(1, tr, True)
    users = torch.arange(U)[:, None]
    return ((users.expand_as(tr).reshape(-1), tr.reshape(-1)), (users.expand_as(te).reshape(-1), te.reshape(-1)),
            pos, seen)


def negatives(g, avoid, u, r):
    """r items per pair of users u drawn uniformly (with replacement) from the items avoid[u] does not mark."""
    return torch.multinomial((~avoid[u]).float(), r, replacement=True, generator=g)


def popularity(g, I, pop):
    """Item popularity: pop times standard normals."""
    return pop * torch.randn(I, generator=g)


# ---------------------------------------------------------------------------------------------------- bpr-mf


def bpr_mf(w, run_id, c):
    """Matrix factorisation under the BPR loss, float32. Data (from the run's generator): U users and I items; the
    truth's preference (a_u . b_i) * s / sqrt(3) + pop_i with a, b standard normal of rank 3 and pop_i N(0, pop^2);
    each user's m clicks (clicks), 3 held out; a share q of the training clicks random. Model: x_ui = P_u . Q_i + b_i,
    P and Q N(0, 0.1^2), b zero. Loss: softplus(x_uj - x_ui), the BPR loss, of each training pair against one item j
    the user did not click in training, drawn afresh at every step (c['neg'] of them in 1 run, averaged). Optimizer:
    make_opt on minibatches of pairs. Train loss: the BPR loss of the training pairs against 10 fixed negatives each
    (items not among the user's training clicks); test loss: the BPR loss of the held-out clicks against 10 fixed
    negatives each (items the user never clicked); error rates: the shares of those (positive, negative) pairs with
    x_ui <= x_uj."""
    g = torch.Generator().manual_seed(661_000 + c["seed"])
    U, I, k = c["users"], c["items"], c["k"]
    a, b = torch.randn(U, 3, generator=g), torch.randn(I, 3, generator=g)
    pref = c["s"] * a @ b.T / math.sqrt(3) + popularity(g, I, c["pop"])
    (u, i), (ut, it), pos, seen = clicks(g, pref, c["m"], 3, c.get("q"))
    n = len(u)
    jtr, jte = negatives(g, pos, u, 10), negatives(g, seen, ut, 10)
    params = leaves([0.1 * torch.randn(U, k, generator=g), 0.1 * torch.randn(I, k, generator=g), torch.zeros(I)])
    P, Q, bias = params

    def score(uu, ii):
        return (P[uu][..., None, :] * Q[ii]).sum(-1) + bias[ii] if ii.dim() == 2 else (P[uu] * Q[ii]).sum(-1) + bias[ii]

    opt = make_opt(c, params)
    nneg = c.get("neg") or 1

    def step(idx):
        uu, ii = take(u, idx), take(i, idx)
        jj = negatives(g, pos, uu, nneg)
        opt.zero_grad()
        fn.softplus(score(uu, jj) - score(uu, ii)[:, None]).mean().backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "bpr-matrix-factorisation", "k": k, "users": U, "items": I},
                settings(c, ("seed", "k", "users", "items", "m", "s", "pop", "q", "neg", "opt", "lr", "wd", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "bpr-sampled-negatives", "test_loss": "heldout-bpr-fixed-negatives",
                   "error": "pairs-misordered", "pairs_per_weight": "%.3g" % (n / count(params))})

    def evaluate(uu, ii, jj):
        d = score(uu, ii)[:, None] - score(uu, jj)
        return fn.softplus(-d).mean(), (d <= 0).float().mean()

    def log(e, final):
        lt, et = evaluate(u, i, jtr)
        lh, eh = evaluate(ut, it, jte)
        run.log(e, lt, lh, et, eh, final=final)

    epoch_loop(g, n, c, step, log)


def runs_bpr_mf():
    # The logic: 120 users and 100 items, 12 clicks a user, 3 held out: 1,080 training pairs, 20% of them random
    # clicks; the factorisation has (U + I) k + I weights (1,860 at k 8), so the sweep of k (1, 2, 4, 8 at the base at
    # 2 seeds, 16, 32: 320 to 7,140 weights) crosses where it can just order every training click above the items the
    # user did not click, the random ones too. Preference scale 2.5, Adam at 0.003 on minibatches of 54 pairs, 150
    # epochs. One thing at a time besides: clean clicks and 40% random, 6 and 24 clicks a user, a stronger popularity,
    # 5 sampled negatives a pair, k 32 clean, k 16 at 6 clicks, weight decay, momentum SGD at 0.5, Adam at 0.01. Evaluation spacing mixed.
    base = dict(k=8, users=120, items=100, m=12, s=2.5, pop=1.0, q=0.2, neg=None, opt="adam", lr=0.003, wd=None,
                batch=54, epochs=150, eval="every:2")
    return bpr_mf, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(k=1, eval="every"),
        dict(k=2, eval="jitter:40"),
        dict(k=4, eval="every:2"),
        dict(k=16, eval="geom:3"),
        dict(k=32, eval="every:3"),
        dict(q=None, eval="every"),
        dict(q=0.4, eval="burst:20:5"),
        dict(m=6, eval="every:2"),
        dict(m=24, eval="log:40"),
        dict(pop=2.0, eval="every:3"),
        dict(neg=5, eval="mixed:40:4"),
        dict(k=32, q=None, eval="every:2"),
        dict(k=16, m=6, eval="mixlog:30:40"),
        dict(wd=0.0001, eval="every:2"),
        dict(opt="momentum", lr=0.5, eval="rand:100"),
        dict(lr=0.01, eval="every:4"),
    ], lambda d: "k%d-u%d-i%d-m%d-pop%g%s%s-%s-lr%g%s" % (
        d["k"], d["users"], d["items"], d["m"], d["pop"], "-rand%g" % d["q"] if d.get("q") else "-clean",
        "-neg%d" % d["neg"] if d.get("neg") else "", d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- ncf-mlp


def ncf_mlp(w, run_id, c):
    """Neural collaborative filtering's MLP tower, float32. Data (from the run's generator): U users and I items at
    places N(0, I_2) in a plane; the truth's preference -sharp |x_u - y_i|^2 + pop_i (pop_i N(0, pop^2)), not of low
    rank; each user's m clicks (clicks), 3 held out; a share q of the training clicks random. Model: user and item
    embeddings of dimension d (N(0, 0.1^2)), concatenated, Linear 2d -> h, ReLU, Linear h -> 1 (U(+-1 / sqrt(fan-in))).
    Loss: the binary cross-entropy of the training pairs (label 1) and r negatives each (label 0; items not among the
    user's training clicks), the negatives drawn afresh every epoch. Optimizer: make_opt on minibatches. Train loss:
    the cross-entropy on the training pairs and r fixed negatives each; test loss: the cross-entropy on the held-out
    pairs and r fixed negatives each (items the user never clicked); error rates: the shares misclassified at logit
    0."""
    g = torch.Generator().manual_seed(662_000 + c["seed"])
    U, I, d, h, r = c["users"], c["items"], c["d"], c["h"], c["r"]
    xu, yi = torch.randn(U, 2, generator=g), torch.randn(I, 2, generator=g)
    pref = -c["sharp"] * torch.cdist(xu, yi) ** 2 + popularity(g, I, c["pop"])
    (u, i), (ut, it), pos, seen = clicks(g, pref, c["m"], 3, c.get("q"))
    npos = len(u)

    def labelled(uu, ii, jj):
        us = torch.cat([uu, uu.repeat_interleave(r)])
        its = torch.cat([ii, jj.reshape(-1)])
        return us, its, torch.cat([torch.ones(len(uu)), torch.zeros(jj.numel())])

    tr_fixed = labelled(u, i, negatives(g, pos, u, r))
    te_fixed = labelled(ut, it, negatives(g, seen, ut, r))
    params = leaves([0.1 * torch.randn(U, d, generator=g), 0.1 * torch.randn(I, d, generator=g),
                     uniform(g, 2 * d, 2 * d, h), uniform(g, 2 * d, h), uniform(g, h, h), uniform(g, h, 1)])
    E, G, W1, b1, w2, b2 = params

    def logit(uu, ii):
        return torch.relu(torch.cat([E[uu], G[ii]], 1) @ W1 + b1) @ w2 + b2

    def bce(data):
        uu, ii, yy = data
        return fn.binary_cross_entropy_with_logits(logit(uu, ii), yy)

    opt = make_opt(c, params)
    epoch_data = [None]

    def begin(e):
        epoch_data[0] = labelled(u, i, negatives(g, pos, u, r))

    def step(idx):
        uu, ii, yy = epoch_data[0]
        opt.zero_grad()
        bce((take(uu, idx), take(ii, idx), take(yy, idx))).backward()
        opt.step()

    n = npos * (1 + r)
    run = w.run(run_id, count(params), npos, {"family": "ncf-mlp-tower", "d": d, "h": h, "users": U, "items": I},
                settings(c, ("seed", "d", "h", "users", "items", "m", "sharp", "pop", "q", "r", "opt", "lr", "wd",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "bce-sampled-negatives", "test_loss": "heldout-bce-fixed-negatives",
                   "error": "misclassified-at-0", "pairs_per_weight": "%.3g" % (npos / count(params))})

    def err(data):
        uu, ii, yy = data
        return ((logit(uu, ii) > 0).float() != yy).float().mean()

    def log(e, final):
        run.log(e, bce(tr_fixed), bce(te_fixed), err(tr_fixed), err(te_fixed), final=final)

    epoch_loop(g, n, c, step, log, begin=begin)


def runs_ncf_mlp():
    # The logic: 100 users and 80 items, 12 clicks a user, 3 held out: 900 training pairs (20% random clicks) and 4
    # negatives each; the tower has (U + I) d + 2 d h + 2 h + 1 weights (1,729 at d 8, h 16), so the sweep of h (2, 4,
    # 8, 16 at the base at 2 seeds, 32, 64, 128) and of d (2, 4, 16, 32) crosses where it can just tell every training
    # click, the random ones too, from the negatives. Sharpness 2.5, Adam at 0.01 on minibatches of 150, 100 epochs.
    # One thing at a time besides: clean clicks and 40% random, 1 negative a pair, 6 clicks a user, a blunter
    # preference (sharpness 1), weight decay, d 32 and h 64 on clean clicks. Evaluation spacing mixed.
    base = dict(d=8, h=16, users=100, items=80, m=12, sharp=2.5, pop=0.5, q=0.2, r=4, opt="adam", lr=0.01, wd=None,
                batch=150, epochs=100, eval="every:2")
    return ncf_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=2, eval="every"),
        dict(h=4, eval="jitter:40"),
        dict(h=8, eval="every:2"),
        dict(h=32, eval="geom:3"),
        dict(h=64, eval="every:3"),
        dict(h=128, eval="mixed:40:4"),
        dict(d=2, eval="every"),
        dict(d=4, eval="every:2"),
        dict(d=16, eval="log:40"),
        dict(d=32, eval="every:3"),
        dict(q=None, eval="every:2"),
        dict(q=0.4, eval="burst:20:5"),
        dict(r=1, eval="every"),
        dict(m=6, eval="every:2"),
        dict(sharp=1.0, eval="mixlog:30:40"),
        dict(wd=0.0001, eval="rand:60"),
        dict(d=32, h=64, q=None, eval="every:2"),
    ], lambda x: "d%d-h%d-u%d-i%d-m%d-sharp%g%s-r%d-%s-lr%g%s" % (
        x["d"], x["h"], x["users"], x["items"], x["m"], x["sharp"], "-rand%g" % x["q"] if x.get("q") else "-clean",
        x["r"], x["opt"], x["lr"], "-wd%g" % x["wd"] if x.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- gru-session


def sessions(g, m, L, chain, q=None):
    """m sessions of L items from the chain (a row-stochastic I x I matrix), the first item by the chain's popularity
    row; with q a share of the items replaced by uniformly random ones (random clicks)."""
    trans, start = chain
    I = len(start)
    s = [torch.multinomial(start.expand(m, I), 1, replacement=True, generator=g)[:, 0]]
    for _ in range(L - 1):
        s.append(torch.multinomial(trans[s[-1]], 1, replacement=True, generator=g)[:, 0])
    s = torch.stack(s, 1)
    if q:
        hit = torch.rand(m, L, generator=g) < q
        s = torch.where(hit, torch.randint(I, (m, L), generator=g), s)
    return s


def session_chain(g, I, topics, fav):
    """Each item's next item: with probability fav one of two favoured successors drawn once (0.6 / 0.4), else an item
    of the same topic (items split into equal topics) by popularity (Zipf-like weights 1 / rank, ranks at random)."""
    topic = torch.arange(I) % topics
    popw = 1.0 / (1 + torch.randperm(I, generator=g).float())
    same = (topic[:, None] == topic[None, :]).float() * popw[None, :]
    same = same / same.sum(1, keepdim=True)
    succ = torch.multinomial(torch.ones(I, I), 2, replacement=False, generator=g)
    favm = torch.zeros(I, I)
    favm.scatter_(1, succ, torch.tensor([0.6, 0.4]).expand(I, 2))
    return fav * favm + (1 - fav) * same, popw / popw.sum()


def gru_session(w, run_id, c):
    """Next-item prediction, float32. Data (from the run's generator): a chain over I items (session_chain), n
    training sessions of L items with a share q of random clicks, 300 clean held-out sessions. Model 'gru': an item
    embedding of dimension d (N(0, 0.3^2)), a GRU of width h (torch.nn.GRU, its weights U(+-1 / sqrt(h)) from the
    run's generator), Linear h -> I; model 'bag': the last two items' embeddings concatenated, Linear 2d -> h, ReLU,
    Linear h -> I. The prediction at positions 1..L-1 of the item at the next position. Loss: 'full' the
    cross-entropy over the catalogue; 'sampled' the cross-entropy of the true item against 5 uniformly random items
    (drawn afresh at every step). Optimizer: make_opt on minibatches of sessions. Train loss: the run's loss on the
    training sessions (the sampled one against 5 fixed negatives); test loss: the full cross-entropy on the held-out
    sessions; error rates: the top-1 miss shares."""
    g = torch.Generator().manual_seed(663_000 + c["seed"])
    I, L, n, d, h = c["items"], c["len"], c["n"], c["d"], c["h"]
    chain = session_chain(g, I, c["topics"], c["fav"])
    x = sessions(g, n, L, chain, c.get("q"))
    xt = sessions(g, 300, L, chain)
    emb = leaves([0.3 * torch.randn(I, d, generator=g)])
    if c["model"] == "gru":
        gru = torch.nn.GRU(d, h, batch_first=True)
        with torch.no_grad():
            for p in gru.parameters():
                p.copy_(uniform(g, h, *p.shape))
        body = list(gru.parameters())
    else:
        body = leaves([uniform(g, 2 * d, 2 * d, h), uniform(g, 2 * d, h)])
    head = leaves([uniform(g, h, h, I), uniform(g, h, I)])
    params = emb + body + head

    def logits(s):
        z = emb[0][s[:, :-1]]
        if c["model"] == "gru":
            f, _ = gru(z)
        else:
            prev = torch.cat([z[:, :1], z[:, :-1]], 1)
            f = torch.relu(torch.cat([prev, z], 2) @ body[0] + body[1])
        return f @ head[0] + head[1]

    def full(s):
        out = logits(s)
        return fn.cross_entropy(out.reshape(-1, I), s[:, 1:].reshape(-1))

    def sampled(s, neg):
        out = logits(s)
        tgt = s[:, 1:]
        cand = torch.cat([tgt[..., None], neg], 2)
        return -torch.gather(out, 2, cand).log_softmax(2)[..., 0].mean()

    def objective(s, neg=None):
        if c["loss"] == "full":
            return full(s)
        if neg is None:
            neg = torch.randint(I, (len(s), L - 1, 5), generator=g)
        return sampled(s, neg)

    neg_fixed = torch.randint(I, (n, L - 1, 5), generator=g)
    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        objective(take(x, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n * (L - 1), {"family": "session-next-item", "model": c["model"], "d": d,
                                                    "h": h, "items": I},
                settings(c, ("seed", "model", "d", "h", "items", "topics", "fav", "len", "n", "q", "loss", "opt",
                             "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "test_loss": "heldout-full-softmax-ce-clean", "error": "top1-miss",
                   "targets_per_weight": "%.3g" % (n * (L - 1) / count(params))}, output_dim=I)

    def miss(s):
        return (logits(s).argmax(2) != s[:, 1:]).float().mean()

    def log(e, final):
        run.log(e, objective(x, neg_fixed), full(xt), miss(x), miss(xt), final=final)

    epoch_loop(g, n, c, step, log)


def runs_gru_session():
    # The logic: 40 items in 5 topics, each item's two favoured successors taken with probability 0.7; 120 training
    # sessions of 7 items (720 next-item targets), 20% random clicks; the GRU's model has I d + 3 (d h + h^2 + 2 h) +
    # (h + 1) I weights (2,248 at d 8, h 16), so the sweep of h (4, 8, 16 at the base at 2 seeds, 32, 64) crosses where
    # it can just predict every training target, the random ones too. Adam at 0.005 on minibatches of 20 sessions, 100
    # epochs. One thing at a time besides: clean clicks and 40% random, 60 and 240 sessions, the bag of the last two
    # items (h 16 and 64), the sampled softmax, d 4 and 16, RMSprop at 0.003, weight decay. Evaluation spacing mixed.
    base = dict(model="gru", d=8, h=16, items=40, topics=5, fav=0.7, len=7, n=120, q=0.2, loss="full", opt="adam",
                lr=0.005, wd=None, batch=20, epochs=100, eval="every:2")
    return gru_session, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every"),
        dict(h=8, eval="jitter:40"),
        dict(h=32, eval="geom:3"),
        dict(h=64, eval="every:3"),
        dict(d=4, eval="every:2"),
        dict(d=16, eval="log:40"),
        dict(q=None, eval="every"),
        dict(q=0.4, eval="burst:20:5"),
        dict(n=60, eval="every:2"),
        dict(n=240, eval="every:4"),
        dict(model="bag", eval="every:2"),
        dict(model="bag", h=64, eval="mixed:40:4"),
        dict(loss="sampled", eval="every:3"),
        dict(h=64, n=60, eval="mixlog:30:40"),
        dict(opt="rmsprop", lr=0.003, eval="rand:80"),
        dict(wd=0.0001, eval="every:2"),
    ], lambda x: "%s-d%d-h%d-i%d-n%d%s-%s-%s-lr%g%s" % (
        x["model"], x["d"], x["h"], x["items"], x["n"], "-rand%g" % x["q"] if x.get("q") else "-clean", x["loss"],
        x["opt"], x["lr"], "-wd%g" % x["wd"] if x.get("wd") else ""))


FAMILIES = {"bpr-mf": runs_bpr_mf, "ncf-mlp": runs_ncf_mlp, "gru-session": runs_gru_session}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
