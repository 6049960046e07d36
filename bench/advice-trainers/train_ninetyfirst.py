#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, ninety-first held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_eightyeighth.py (among
them train_sixtysixth.py's bpr-mf, ncf-mlp and gru-session) in loss, sampler, model and evaluation. The theme of the
round is recommendation from implicit feedback: matrix factorisation trained by a sampled softmax with negative
sampling (or BPR), two-tower models trained with in-batch negatives, and weighted matrix factorisation, on synthetic
user-item interactions drawn from latent factors (Zipf popularity skew, noise interactions, cold users); the test
loss is taken on held-out interactions:

- sampled-softmax-mf: user and item embeddings of dimension d (an item bias in most runs) trained on minibatches of
  observed (user, item) pairs by a sampled softmax: each minibatch shares k negatives drawn from a proposal q
  (uniform, or the training popularity to the power 0.75 or 1), accidental hits removed, with or without the logQ
  correction (Bengio & Senecal 2008; Yi et al. 2019); by BPR against k negatives a pair from the same proposals in 3
  runs, and by the full softmax over the catalogue in 1 run; an L2 penalty on the minibatch's embeddings in part of
  the grid; Adam (Adagrad and plain SGD in 1 run each), float32. Data: the synthetic interactions (scikit-learn's 8 x
  8 digits in 1 run: images as users, their inked pixels as items).
- twotower-inbatch: a two-tower retrieval model (Covington et al. 2016; Yi et al. 2019): a user tower and an item
  tower, each a one-hidden-layer ReLU MLP of the entity's side features (noisy linear views of its true latent
  factors; the item's log-popularity rank too) concatenated with an ID embedding (none in 2 runs), the outputs
  L2-normalised (raw in 1 run) and their dot products divided by a temperature; trained by the softmax of each pair
  over the minibatch's other items (in-batch negatives; duplicates of the positive masked), with the logQ correction
  of the items' in-batch sampling probability in most runs, mixed with k uniform negatives in 2 runs (Yang et al.
  2020); Adam (Adagrad in 1 run), float32. Data: the synthetic interactions with cold users (1 training interaction)
  in part of the grid.
- wmf-confidence: weighted matrix factorisation for implicit feedback (Hu, Koren & Volinsky 2008): x_ui = p_u . q_i
  fitted to the binary preference of every (user, item) cell under confidences 1 + alpha r_ui (linear) or
  1 + alpha log(1 + r_ui / eps) (log), r the interaction count (0 for unobserved cells, held-out interactions
  included), plus lambda (|P|^2 + |Q|^2); trained by alternating least squares (one sweep, users then items, an
  epoch, exact solves), by full-batch Adam or by heavy-ball gradient descent on the same objective, float64. Data:
  the synthetic interactions with repeat counts (the digits in 1 run: inked pixels as interactions, the ink as the
  count).

Data (interactions): U users and I items with true latent factors of rank 'rank' (N(0, 1) entries), the affinity
sharp * p_u . q_i / sqrt(rank) plus a Zipf popularity -zipf * log(1 + popularity rank); each user's interactions drawn
without replacement from the softmax of that over the items (Gumbel top-k), a log-normal number of them (median
per_user, spread 0.5, at least 3) for training and 'hold' more held out; a share 'cold' of the users (cold users)
keeps only cold_n of its training interactions; a share 'noise' of the training interactions replaced by items drawn
by popularity alone among those the user has none with (noise interactions); repeat counts 1 + Poisson(repeat *
sigmoid(affinity)) (noise interactions 1). Every draw from the run's generator.

Train loss: the family's evaluation loss on the training interactions; test loss: the same on the held-out ones.
sampled-softmax-mf and twotower-inbatch: the cross-entropy of the interaction's item in the softmax of the model's
scores over that item and every item the user has no known interaction with (a filtered full-catalogue softmax; for
BPR runs the mean BPR loss, softplus of the score gap, against all those items); wmf-confidence: the confidence-
weighted squared error, on the whole training matrix (train) and on the held-out interactions (target 1, their
confidence) with 4 fixed unobserved cells a held-out interaction (target 0, confidence 1) (test), each normalised by
its total weight. Error rates: the share of interactions whose item is not among the user's top 10 of the same
filtered candidates (1 - hit rate at 10). A run whose loss turns NaN or infinite sends that evaluation as its last
and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, leaves from train_thirtysixth.py, take from
train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py, logger from
train_seventyfourth.py and fit (epoch_loop stopped early by a divergence) from train_eightyeighth.py; one thread,
every random draw from a seeded torch.Generator (factors, interactions, splits, noise interactions, counts,
features, initialisations, minibatches, negatives), synthetic event times, 6 significant digits. No planned last
epoch is told: the last event's final marks it.

    /usr/bin/python3 train_ninetyfirst.py --family sampled-softmax-mf [--list] [--runs 0,3] [--out FILE]

Families (see README.md): sampled-softmax-mf, twotower-inbatch, wmf-confidence. Evaluation spacings: train.py's
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger  # noqa: E402  (a NaN or infinite loss ends the run)
from train_eightyeighth import fit  # noqa: E402  (epoch_loop, stopped early by a divergence)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- data


def gumbel_top(g, logits, m):
    """m indexes drawn without replacement from softmax(logits) (the Gumbel top-k trick), from g."""
    u = torch.rand(logits.shape, generator=g, dtype=F64).clamp(1e-12, 1 - 1e-12)
    return (logits.double() - torch.log(-torch.log(u))).argsort(descending=True)[:m]


def interactions(g, c):
    """The implicit-feedback data (see the module's docstring): a dict with U, I, the training pairs (tr_u, tr_i) and
    their counts tr_r, the held-out pairs (te_u, te_i, te_r), 'pos' (U x I, the training interactions), 'known' (U x I,
    training and held-out), 'R' (U x I counts, 0 where no training interaction), 'P' and 'Q' (the true factors; None on
    the digits), 'pop' (the item's log-popularity rank feature) and 'cold' (the cold users' mask)."""
    if c.get("data") == "digits":
        return digit_pixels(g, c)
    U, I, k = c["users"], c["items"], c["rank"]
    P = torch.randn(U, k, generator=g)
    Q = torch.randn(I, k, generator=g)
    aff = c["sharp"] * (P @ Q.T) / math.sqrt(k)
    prank = torch.randperm(I, generator=g).float()
    bias = -c["zipf"] * torch.log1p(prank)
    logits = aff + bias
    m = torch.exp(math.log(c["per_user"]) + 0.5 * torch.randn(U, generator=g)).round().clamp(3, I // 4).long()
    cold = torch.rand(U, generator=g) < (c.get("cold") or 0.0)
    hold = c["hold"]
    tr_u, tr_i, tr_r, te_u, te_i, te_r = [], [], [], [], [], []
    drawn = torch.zeros(U, I, dtype=torch.bool)
    rep = c.get("repeat") or 0.0
    for u in range(U):
        mu = int(m[u])
        items = gumbel_top(g, logits[u], mu + hold)
        items = items[torch.randperm(mu + hold, generator=g)]
        te, tr = items[:hold], items[hold:]
        if cold[u]:
            tr = tr[:c["cold_n"]]
        drawn[u, items] = True
        noisy = torch.rand(len(tr), generator=g) < (c.get("noise") or 0.0)
        cnt = 1 + torch.poisson(rep * torch.sigmoid(aff[u, items]), generator=g).long()
        tr_c, te_c = cnt[hold:hold + len(tr)].clone(), cnt[:hold]
        if int(noisy.sum()):
            free = bias.masked_fill(drawn[u], -math.inf)
            repl = gumbel_top(g, free, int(noisy.sum()))
            tr = tr.clone()
            tr[noisy] = repl
            tr_c[noisy] = 1
        tr_u.append(torch.full((len(tr),), u))
        tr_i.append(tr)
        tr_r.append(tr_c)
        te_u.append(torch.full((hold,), u))
        te_i.append(te)
        te_r.append(te_c)
    d = dict(U=U, I=I, tr_u=torch.cat(tr_u), tr_i=torch.cat(tr_i), tr_r=torch.cat(tr_r), te_u=torch.cat(te_u),
             te_i=torch.cat(te_i), te_r=torch.cat(te_r), P=P, Q=Q, cold=cold,
             pop=(torch.log1p(prank) - torch.log1p(prank).mean()) / torch.log1p(prank).std())
    return finish(d)


def finish(d):
    U, I = d["U"], d["I"]
    pos = torch.zeros(U, I, dtype=torch.bool)
    pos[d["tr_u"], d["tr_i"]] = True
    known = pos.clone()
    known[d["te_u"], d["te_i"]] = True
    R = torch.zeros(U, I)
    R[d["tr_u"], d["tr_i"]] = d["tr_r"].float()
    d["pos"], d["R"], d["known"] = pos, R, known
    return d


def digit_pixels(g, c):
    """scikit-learn's 8 x 8 digits as implicit feedback: 'users' images drawn at random (from g) are the users, the 64
    pixels the items, a pixel of ink >= 8 (of 16) an interaction with count ink - 7; 'hold' of each image's
    interactions held out at random; a share 'noise' of the training ones replaced by blank pixels drawn uniformly."""
    from sklearn.datasets import load_digits
    xs, _ = load_digits(return_X_y=True)
    X = torch.tensor(xs, dtype=F32)
    X = X[torch.randperm(len(X), generator=g)[:c["users"]]]
    U, I, hold = len(X), 64, c["hold"]
    inked = X >= 8
    tr_u, tr_i, tr_r, te_u, te_i, te_r = [], [], [], [], [], []
    for u in range(U):
        items = torch.nonzero(inked[u])[:, 0]
        items = items[torch.randperm(len(items), generator=g)]
        te, tr = items[:hold], items[hold:].clone()
        cnt = (X[u] - 7).clamp_min(1).long()
        tr_c = cnt[tr].clone()
        noisy = torch.rand(len(tr), generator=g) < (c.get("noise") or 0.0)
        if int(noisy.sum()):
            free = torch.zeros(I).masked_fill(inked[u], -math.inf)
            repl = gumbel_top(g, free, int(noisy.sum()))
            tr[noisy] = repl
            tr_c[noisy] = 1
        tr_u.append(torch.full((len(tr),), u))
        tr_i.append(tr)
        tr_r.append(tr_c)
        te_u.append(torch.full((len(te),), u))
        te_i.append(te)
        te_r.append(cnt[te])
    d = dict(U=U, I=I, tr_u=torch.cat(tr_u), tr_i=torch.cat(tr_i), tr_r=torch.cat(tr_r), te_u=torch.cat(te_u),
             te_i=torch.cat(te_i), te_r=torch.cat(te_r), P=None, Q=None, cold=torch.zeros(U, dtype=torch.bool),
             pop=None)
    return finish(d)


def candidates(known, u, i):
    """The mask of each pair's candidate items: the item itself and every item the user has no known interaction
    with."""
    m = ~known[u]
    m[torch.arange(len(u)), i] = True
    return m


def filtered_ce(S, known, u, i):
    """The mean cross-entropy of each pair's item in the softmax of the user's scores S[u] over its candidates."""
    s = S[u].masked_fill(~candidates(known, u, i), -math.inf)
    return fn.cross_entropy(s, i)


def filtered_bpr(S, known, u, i):
    """The mean over pairs of the mean BPR loss softplus(-(S_ui - S_uj)) against every candidate j other than i."""
    m = candidates(known, u, i)
    m[torch.arange(len(u)), i] = False
    gap = S[u, i][:, None] - S[u]
    return ((fn.softplus(-gap) * m).sum(1) / m.sum(1)).mean()


def miss_at(S, known, u, i, k=10):
    """The share of pairs whose item is not among the user's top k candidates (ties counted against it)."""
    m = candidates(known, u, i)
    above = ((S[u] >= S[u, i][:, None]) & m).sum(1) - 1
    return (above >= k).double().mean()


def data_tags(c):
    if c.get("data") == "digits":
        return {"data": "digits-pixels"}
    return {"data": "synthetic-latent-factors"}


# ---------------------------------------------------------------------------------------------------- sampled-softmax-mf


def sampled_softmax_mf(w, run_id, c):
    """Matrix factorisation, scores s_ui = p_u . q_i + b_i (b where 'bias'), float32, embeddings N(0, init^2) from the
    run's generator, the bias at zero. Data: interactions. Loss on a minibatch of 'batch' training pairs: 'ssm' the
    sampled softmax of each pair's item against k negatives shared by the minibatch, drawn with replacement from the
    proposal q ('uniform'; 'pop' the training counts + 1 to the power qpow), a negative equal to the pair's item
    removed (accidental hit), the logits minus log q where 'logq'; 'bpr' the mean of softplus(-(s_ui - s_uj)) over k
    negatives drawn for each pair from q; 'full' the cross-entropy over the whole catalogue; plus l2 times the squared
    norms of the minibatch's user and item rows (the negatives' too) over the batch size. Optimizer: Adam, Adagrad or
    SGD at lr. Train and test loss: filtered_ce (filtered_bpr for 'bpr') on the training and held-out pairs; errors:
    miss_at 10. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(911_000 + c["seed"])
    D = interactions(g, c)
    U, I, d, k = D["U"], D["I"], c["d"], c.get("k")
    tu, ti = D["tr_u"], D["tr_i"]
    n = len(tu)
    params = leaves([torch.randn(U, d, generator=g) * c["init"], torch.randn(I, d, generator=g) * c["init"]]
                    + ([torch.zeros(I)] if c["bias"] else []))
    cnt = torch.bincount(ti, minlength=I).float() + 1
    q = torch.ones(I) / I if c.get("q", "uniform") == "uniform" else cnt ** c["qpow"] / (cnt ** c["qpow"]).sum()
    logq = torch.log(q)
    opt = {"adam": torch.optim.Adam, "adagrad": torch.optim.Adagrad, "sgd": torch.optim.SGD}[c["opt"]](params,
                                                                                                    lr=c["lr"])

    def scores():
        S = params[0] @ params[1].T
        return S + params[2] if c["bias"] else S

    def step(idx):
        u, i = take(tu, idx), take(ti, idx)
        B = len(u)
        pu, qi = params[0][u], params[1][i]
        bi = params[2][i] if c["bias"] else 0
        pos = (pu * qi).sum(1) + bi
        reg = (pu * pu).sum() + (qi * qi).sum()
        if c["loss"] == "full":
            loss = fn.cross_entropy(pu @ params[1].T + (params[2] if c["bias"] else 0), i)
        elif c["loss"] == "ssm":
            j = torch.multinomial(q, k, replacement=True, generator=g)
            qj = params[1][j]
            neg = pu @ qj.T + (params[2][j] if c["bias"] else 0)
            if c.get("logq"):
                pos, neg = pos - logq[i], neg - logq[j]
            neg = neg.masked_fill(j[None, :] == i[:, None], -math.inf)
            loss = fn.cross_entropy(torch.cat([pos[:, None], neg], 1), torch.zeros(B, dtype=torch.long))
            reg = reg + (qj * qj).sum()
        else:
            j = torch.multinomial(q, B * k, replacement=True, generator=g).view(B, k)
            qj = params[1][j]
            neg = (pu[:, None, :] * qj).sum(2) + (params[2][j] if c["bias"] else 0)
            loss = fn.softplus(neg - pos[:, None]).mean()
            reg = reg + (qj * qj).sum() / k
        if c.get("l2"):
            loss = loss + c["l2"] * reg / B
        opt.zero_grad()
        loss.backward()
        opt.step()

    ev = filtered_bpr if c["loss"] == "bpr" else filtered_ce
    run = w.run(run_id, count(params), n, {"family": "matrix-factorisation", "d": d, "users": U, "items": I,
                                           "item_bias": str(bool(c["bias"])).lower()},
                settings(c, ("seed", "users", "items", "rank", "sharp", "zipf", "per_user", "hold", "noise", "cold",
                             "d", "bias", "init", "loss", "k", "q", "qpow", "logq", "l2", "opt", "lr", "batch",
                             "eval"))
                | data_tags(c)
                | {"optimizer": c["opt"], "negatives": {"ssm": "shared-per-batch", "bpr": "per-pair",
                                                        "full": "full-catalogue"}[c["loss"]],
                   "test_loss": "heldout-filtered-%s" % ("bpr" if c["loss"] == "bpr" else "softmax-ce"),
                   "error": "miss-at-10", "test_size": str(len(D["te_u"]))}, output_dim=I)
    log_ = logger(run)

    def log(e, final):
        S = scores()
        log_(e, ev(S, D["known"], tu, ti), ev(S, D["known"], D["te_u"], D["te_i"]),
             miss_at(S, D["known"], tu, ti), miss_at(S, D["known"], D["te_u"], D["te_i"]), final=final)

    fit(g, n, c, step, log)


SYNTH = dict(data="synth", users=400, items=300, rank=4, sharp=3.0, zipf=0.8, per_user=15, hold=3, noise=0.2,
             cold=None, cold_n=None)


def runs_sampled_softmax_mf():
    # The logic: 400 users, 300 items, true rank 4, a median of 15 training interactions a user (about 6,000 in all;
    # 3 held out a user), 20% of them noise interactions drawn by popularity; embeddings of dimension 32 (17,100
    # weights, about three a training interaction, so the users' rows can memorise their noise) and an item bias,
    # from N(0, 0.1^2), trained by a sampled softmax against 50 negatives a minibatch drawn from the training
    # popularity to the power 0.75 with the logQ correction, under Adam at 5e-3 on minibatches of 256 (about 24 steps
    # an epoch), 50 epochs (affinity sharpness 3): the scores learn the shared low-rank structure and the popularity first, then fit each
    # user's own (noise) interactions, the held-out loss rising as they do. One thing at a time besides: no logQ
    # correction, a uniform proposal, 5 and 500 negatives, the full softmax, BPR (5 negatives a pair,
    # popularity and uniform proposals, 1 negative), an L2 penalty 1e-3 and 1e-2, dimension 8 and 128, no item bias,
    # clean and 40% noisy interactions, a sharper Zipf skew (1.2), Adagrad at 0.1 and SGD at 2, minibatches of 1,024, and
    # the digits (300 images, 64 pixel items). Evaluation spacing mixed.
    base = dict(SYNTH, d=32, bias=True, init=0.1, loss="ssm", k=50, q="pop", qpow=0.75, logq=True, l2=None,
                opt="adam", lr=5e-3, batch=256, epochs=50, eval="every")
    return sampled_softmax_mf, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(logq=None, eval="every:2"),
        dict(q="uniform", qpow=None, logq=None, eval="jitter:30"),
        dict(k=5, eval="mixed:20:2"),
        dict(k=500, eval="geom:2"),
        dict(loss="full", k=None, q=None, qpow=None, logq=None, eval="every"),
        dict(loss="bpr", k=5, logq=None, eval="every:3"),
        dict(loss="bpr", k=5, q="uniform", qpow=None, logq=None, eval="geom:3"),
        dict(loss="bpr", k=1, q="uniform", qpow=None, logq=None, eval="every:4"),
        dict(l2=1e-3, eval="every"),
        dict(l2=1e-2, eval="log:30"),
        dict(d=8, eval="every:2"),
        dict(d=128, eval="burst:10:4"),
        dict(bias=False, eval="every"),
        dict(noise=None, eval="every:2"),
        dict(noise=0.4, eval="mixlog:20:30"),
        dict(zipf=1.2, eval="every"),
        dict(opt="adagrad", lr=0.1, eval="rand:30"),
        dict(opt="sgd", lr=2.0, eval="every"),
        dict(batch=1024, eval="every:3"),
        dict(data="digits", users=300, items=None, rank=None, sharp=None, zipf=None, per_user=None, noise=0.1,
             eval="every"),
    ], lambda d: "%s%s-d%d%s-%s%s%s%s%s-%s-lr%g-b%d" % (
        "digits-u%d" % d["users"] if d.get("data") == "digits" else "synth-u%d-i%d-zipf%g" % (d["users"], d["items"],
                                                                                            d["zipf"]),
        "-noise%g" % d["noise"] if d.get("noise") else "-clean", d["d"], "" if d["bias"] else "-nobias", d["loss"],
        "-k%d" % d["k"] if d.get("k") else "", "-%s%s" % (d["q"], "%g" % d["qpow"] if d.get("qpow") else "")
        if d.get("q") else "", "-logq" if d.get("logq") else "", "-l2%g" % d["l2"] if d.get("l2") else "",
        d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- twotower-inbatch


def side_features(g, F, f, sd):
    """f side features of each entity: a random linear view (N(0, 1 / rank)) of its true factors F plus N(0, sd^2)
    noise, standardised; from g."""
    A = torch.randn(F.shape[1], f, generator=g) / math.sqrt(F.shape[1])
    x = F @ A + sd * torch.randn(len(F), f, generator=g)
    return (x - x.mean(0)) / x.std(0)


def twotower_inbatch(w, run_id, c):
    """A two-tower model, float32: the user tower an MLP [side features (f), ID embedding (e; none where e is 0)] ->
    h (ReLU) -> d, the item tower the same over the item's side features and its standardised log-popularity rank;
    the outputs L2-normalised where 'norm' and the score their dot product over tau. ID embeddings N(0, 0.1^2), the
    MLPs U(+-1 / sqrt(fan-in)), all from the run's generator. Data: interactions; side features side_features (noise
    sd 'fnoise'). Loss on a minibatch of 'batch' training pairs: the cross-entropy of each pair's item among the
    minibatch's items (in-batch negatives; other copies of the pair's item masked) and, where 'mixed' k, k items drawn
    uniformly from the run's generator; the logits minus log(batch p_j + k / I) where 'logq' (p_j the item's share of
    the training pairs: its expected count among the negatives); plus l2 times the squared ID embeddings of the
    minibatch over its size. Optimizer: Adam or Adagrad at lr. Train and test loss: filtered_ce of the scores on the
    training and held-out pairs; errors: miss_at 10. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(912_000 + c["seed"])
    D = interactions(g, c)
    U, I, f, e, h, d = D["U"], D["I"], c["f"], c["e"], c["h"], c["d"]
    xu = side_features(g, D["P"], f, c["fnoise"])
    xi = torch.cat([side_features(g, D["Q"], f, c["fnoise"]), D["pop"][:, None]], 1)
    tu, ti = D["tr_u"], D["tr_i"]
    n = len(tu)
    Eu = torch.randn(U, e, generator=g) * 0.1 if e else None
    Ei = torch.randn(I, e, generator=g) * 0.1 if e else None
    tower_u = mlp_params(g, [f + e, h, d], F32)
    tower_i = mlp_params(g, [f + 1 + e, h, d], F32)
    params = tower_u + tower_i + (leaves([Eu, Ei]) if e else [])
    opt = {"adam": torch.optim.Adam, "adagrad": torch.optim.Adagrad}[c["opt"]](params, lr=c["lr"])
    p_item = torch.bincount(ti, minlength=I).float() / n
    kmix = c.get("mixed") or 0

    def embed(tower, x, E, idx):
        z = x if idx is None else x[idx]
        if E is not None:
            z = torch.cat([z, E if idx is None else E[idx]], 1)
        z = mlp(tower, z, torch.relu)
        return fn.normalize(z, dim=1) if c["norm"] else z

    def step(idx):
        u, i = take(tu, idx), take(ti, idx)
        B = len(u)
        cols = i
        if kmix:
            cols = torch.cat([i, torch.randint(0, I, (kmix,), generator=g)])
        zu, zi = embed(tower_u, xu, Eu, u), embed(tower_i, xi, Ei, cols)
        logits = zu @ zi.T / c["tau"]
        if c.get("logq"):
            logits = logits - torch.log(B * p_item[cols] + kmix / I)[None, :]
        dup = (cols[None, :] == i[:, None])
        dup[torch.arange(B), torch.arange(B)] = False
        loss = fn.cross_entropy(logits.masked_fill(dup, -math.inf), torch.arange(B))
        if c.get("l2") and e:
            loss = loss + c["l2"] * ((Eu[u] ** 2).sum() + (Ei[i] ** 2).sum()) / B
        opt.zero_grad()
        loss.backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "two-tower", "side_features": f, "id_embedding": e, "hidden": h,
                                           "d": d, "users": U, "items": I, "normalised": str(bool(c["norm"])).lower()},
                settings(c, ("seed", "users", "items", "rank", "sharp", "zipf", "per_user", "hold", "noise", "cold",
                             "cold_n", "f", "fnoise", "e", "h", "d", "norm", "tau", "logq", "mixed", "l2", "opt",
                             "lr", "batch", "eval"))
                | data_tags(c)
                | {"optimizer": c["opt"], "negatives": "in-batch" + ("-plus-uniform" if kmix else ""),
                   "loss": "in-batch-softmax" + ("-logq" if c.get("logq") else ""),
                   "test_loss": "heldout-filtered-softmax-ce", "error": "miss-at-10",
                   "test_size": str(len(D["te_u"]))}, output_dim=I)
    log_ = logger(run)

    def log(ep, final):
        S = embed(tower_u, xu, Eu, None) @ embed(tower_i, xi, Ei, None).T / c["tau"]
        log_(ep, filtered_ce(S, D["known"], tu, ti), filtered_ce(S, D["known"], D["te_u"], D["te_i"]),
             miss_at(S, D["known"], tu, ti), miss_at(S, D["known"], D["te_u"], D["te_i"]), final=final)

    fit(g, n, c, step, log)


def runs_twotower_inbatch():
    # The logic: 400 users, 300 items, true rank 4, a median of 12 training interactions a user (3 held out), 20% of
    # them noise interactions; 16 side features an entity (its factors seen through noise of sd 1) and an ID
    # embedding of 16 into towers of 64 ReLU units and outputs of 32, L2-normalised, at temperature 0.1 (about 20,000
    # weights, the ID embeddings 11,200 of them), trained on the in-batch softmax with the logQ correction under Adam
    # at 2e-3 on minibatches of 256, 35 epochs: the towers learn the features' map first, then the ID embeddings
    # memorise the users' own (noise) interactions, the held-out loss rising as they do. One thing at a time besides:
    # the temperature 0.05 and 0.5, raw (unnormalised) outputs, no logQ correction, mixed negatives (100 uniform items
    # a minibatch, with and without the correction), minibatches of 128 and 1,024, no ID embeddings (with clean and
    # noisy features), ID embeddings of 64, 30% cold users (1 training interaction; and 60%), clean and 40% noisy
    # interactions, an L2 penalty 1e-2 on the ID embeddings, Adagrad at 0.05 and a sharper Zipf skew (1.2).
    # Evaluation spacing mixed.
    base = dict(SYNTH, users=400, per_user=12, f=16, fnoise=1.0, e=16, h=64, d=32, norm=True, tau=0.1, logq=True,
                mixed=None, l2=None, opt="adam", lr=2e-3, batch=256, epochs=35, eval="every")
    return twotower_inbatch, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(tau=0.05, eval="every:2"),
        dict(tau=0.5, eval="jitter:30"),
        dict(norm=False, tau=1.0, eval="every"),
        dict(logq=None, eval="every:2"),
        dict(mixed=100, eval="geom:2"),
        dict(mixed=100, logq=None, eval="every"),
        dict(batch=128, eval="every:3"),
        dict(batch=1024, eval="every"),
        dict(e=0, eval="mixed:20:2"),
        dict(e=0, fnoise=0.3, eval="every"),
        dict(e=64, eval="every:2"),
        dict(cold=0.3, cold_n=1, eval="every"),
        dict(cold=0.6, cold_n=1, eval="burst:10:4"),
        dict(noise=None, eval="every"),
        dict(noise=0.4, eval="log:30"),
        dict(l2=1e-2, eval="every:2"),
        dict(opt="adagrad", lr=0.05, eval="mixlog:15:30"),
        dict(zipf=1.2, eval="rand:25"),
    ], lambda d: "synth-u%d-i%d-zipf%g%s%s-f%d-fn%g-id%d-h%d-d%d-%s-tau%g%s%s%s-%s-lr%g-b%d" % (
        d["users"], d["items"], d["zipf"], "-noise%g" % d["noise"] if d.get("noise") else "-clean",
        "-cold%g" % d["cold"] if d.get("cold") else "", d["f"], d["fnoise"], d["e"], d["h"], d["d"],
        "cos" if d["norm"] else "dot", d["tau"], "-logq" if d.get("logq") else "",
        "-mix%d" % d["mixed"] if d.get("mixed") else "", "-l2%g" % d["l2"] if d.get("l2") else "", d["opt"], d["lr"],
        d["batch"]))


# ---------------------------------------------------------------------------------------------------- wmf-confidence


def wmf_confidence(w, run_id, c):
    """Weighted matrix factorisation, float64. Data: interactions (repeat counts). The preference matrix Pm (1 where
    the user has a training interaction, else 0) and the confidences C = 1 + alpha r ('linear') or
    1 + alpha log(1 + r / eps) ('log'), r the training counts (0 elsewhere); the objective sum C (Pm - X)^2 + lam
    (|P|^2 + |Q|^2), X = P Q^T, P and Q N(0, init^2) from the run's generator. 'als': one epoch a sweep, each user's
    row the exact solution of (Q^T C_u Q + lam I) p_u = Q^T C_u Pm_u given Q, then each item's given P. 'adam' and
    'gd' (heavy-ball momentum mom): one full-batch step an epoch on the objective over the total confidence. Train
    loss: sum C (Pm - X)^2 / sum C on the whole training matrix; test loss: the confidence-weighted squared error of
    the held-out interactions (target 1, confidence from their counts) and of 4 fixed unobserved cells a held-out
    interaction (no known interaction; target 0, confidence 1), over its total weight; errors: miss_at 10. A NaN or
    infinite loss ends the run."""
    g = torch.Generator().manual_seed(913_000 + c["seed"])
    D = interactions(g, c)
    U, I, d, lam = D["U"], D["I"], c["d"], c["lam"]
    Pm = D["pos"].double()
    R = D["R"].double()
    conf = (lambda r: 1 + c["alpha"] * r) if c["conf"] == "linear" else \
        (lambda r: 1 + c["alpha"] * torch.log1p(r / c["eps"]))
    C = conf(R)
    te_u, te_i = D["te_u"], D["te_i"]
    nt = len(te_u)
    neg_u = te_u.repeat_interleave(4)
    free = (~D["known"]).double()
    neg_i = torch.multinomial(free[neg_u], 1, generator=g)[:, 0]
    ev_u, ev_i = torch.cat([te_u, neg_u]), torch.cat([te_i, neg_i])
    ev_t = torch.cat([torch.ones(nt, dtype=F64), torch.zeros(4 * nt, dtype=F64)])
    ev_c = torch.cat([conf(D["te_r"].double()), torch.ones(4 * nt, dtype=F64)])
    P = torch.randn(U, d, generator=g, dtype=F64) * c["init"]
    Q = torch.randn(I, d, generator=g, dtype=F64) * c["init"]
    params = leaves([P, Q])
    total = float(C.sum())
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    elif c["opt"] == "gd":
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)

    def solve(Y, Cm, Tm):
        # rows of X solving (Y^T diag(c) Y + lam I) x = Y^T diag(c) t for each row c of Cm, t of Tm
        A = torch.einsum("ui,ik,il->ukl", Cm, Y, Y) + lam * torch.eye(d, dtype=F64)
        b = (Cm * Tm) @ Y
        return torch.linalg.solve(A, b[:, :, None])[:, :, 0]

    def step(idx):
        if c["opt"] == "als":
            with torch.no_grad():
                P.copy_(solve(Q, C, Pm))
                Q.copy_(solve(P, C.T, Pm.T))
            return
        opt.zero_grad()
        X = P @ Q.T
        ((C * (Pm - X) ** 2).sum() / total + lam * ((P * P).sum() + (Q * Q).sum()) / total).backward()
        opt.step()

    known = D["known"]
    tu, ti = D["tr_u"], D["tr_i"]
    run = w.run(run_id, count(params), len(tu), {"family": "weighted-matrix-factorisation", "d": d, "users": U,
                                                 "items": I},
                settings(c, ("seed", "users", "items", "rank", "sharp", "zipf", "per_user", "hold", "noise", "repeat",
                             "d", "init", "conf", "alpha", "eps", "lam", "opt", "lr", "mom", "eval"))
                | data_tags(c)
                | {"optimizer": {"als": "alternating-least-squares", "adam": "adam",
                                 "gd": "heavy-ball" if c.get("mom") else "gd"}[c["opt"]], "full_batch": "true",
                   "loss": "confidence-weighted-mse-l2", "train_loss": "weighted-mse-all-cells",
                   "test_loss": "heldout-weighted-mse-plus-4-unobserved", "error": "miss-at-10",
                   "test_size": str(len(ev_u))}, output_dim=I)
    log_ = logger(run)

    def log(e, final):
        X = P @ Q.T
        tr = (C * (Pm - X) ** 2).sum() / total
        te = (ev_c * (ev_t - X[ev_u, ev_i]) ** 2).sum() / ev_c.sum()
        log_(e, tr, te, miss_at(X, known, tu, ti), miss_at(X, known, te_u, te_i), final=final)

    fit(g, len(tu), dict(c, batch=None), step, log)


def runs_wmf_confidence():
    # The logic: 300 users, 200 items, true rank 4, a median of 12 training interactions a user (3 held out), 20% of
    # them noise interactions (count 1), repeat counts 1 + Poisson(3 sigmoid(affinity)); factors of dimension 32
    # (16,000 weights for 60,000 cells), confidences 1 + 10 r, lambda 1, from N(0, 0.1^2), by full-batch Adam at
    # 1e-2, 300 epochs: the factors fit the confident structure first, then the low-confidence cells, the held-out
    # interactions among them (as zeros) and the noise, the held-out loss rising as they are fitted. One thing at a
    # time besides: ALS at lambda 1 (2 seeds), 10 and 100 and at dimension 8, 15 sweeps (ALS reaches its fit within a
    # few sweeps, every sweep evaluated); alpha 40 and 0 (unweighted), log confidences (alpha 10, eps 1); lambda 0.1 and
    # 10 under Adam, dimension 8 and 64, Adam at 3e-3, heavy-ball gradient descent (0.9) at 2, clean and 40% noisy
    # interactions, no repeats (every count 1), and the digits (300 images, 64 pixel items, 3 held out an image; under
    # Adam and ALS). Evaluation spacing mixed.
    base = dict(SYNTH, users=300, items=200, per_user=12, repeat=3.0, d=32, init=0.1, conf="linear", alpha=10.0,
                eps=None, lam=1.0, opt="adam", lr=1e-2, mom=None, epochs=300, eval="log:30")
    als = dict(opt="als", lr=None, epochs=15, eval="every")
    digits = dict(data="digits", users=300, items=None, rank=None, sharp=None, zipf=None, per_user=None, noise=0.1,
                  repeat=None, alpha=1.0)
    return wmf_confidence, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(als, seeds=(1, 2)),
        dict(als, lam=10.0),
        dict(als, lam=100.0, eval="every:2"),
        dict(als, d=8, eval="mixed:10:2"),
        dict(alpha=40.0, eval="every:3"),
        dict(alpha=0.0, eval="jitter:30"),
        dict(conf="log", eps=1.0, eval="every:2"),
        dict(lam=0.1, eval="geom:4"),
        dict(lam=10.0, eval="log:30"),
        dict(d=8, eval="every:3"),
        dict(d=64, eval="burst:30:6"),
        dict(lr=3e-3, eval="mixlog:40:30"),
        dict(opt="gd", lr=2.0, mom=0.9, eval="every:2"),
        dict(noise=None, eval="rand:60"),
        dict(noise=0.4, eval="every:3"),
        dict(repeat=0.0, eval="log:35"),
        dict(digits, eval="every:2"),
        dict(digits, **als, lam=0.1),
    ], lambda d: "%s%s-r%g-d%d-%s-alpha%g%s-lam%g-%s%s" % (
        "digits-u%d" % d["users"] if d.get("data") == "digits" else "synth-u%d-i%d" % (d["users"], d["items"]),
        "-noise%g" % d["noise"] if d.get("noise") else "-clean", d.get("repeat") or 0, d["d"], d["conf"], d["alpha"],
        "-eps%g" % d["eps"] if d.get("eps") else "", d["lam"], d["opt"],
        "-lr%g%s" % (d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "") if d.get("lr") else ""))


FAMILIES = {"sampled-softmax-mf": runs_sampled_softmax_mf, "twotower-inbatch": runs_twotower_inbatch,
            "wmf-confidence": runs_wmf_confidence}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
