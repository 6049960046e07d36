#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventy-second held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/ or /work/shared, and no git log, git show or git diff of main or other
branches; no stopping benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was
set from its own logic and committed before any of its runs was trained, revised at most once (README.md says where
and why), and the runs were sorted by census.py alone), and made to differ from the families of train.py ...
train_seventieth.py in model, loss, noise and data. The theme of the round is graph-level and link-level learning: a
graph isomorphism network classifying whole small graphs by their motif counts or connectivity, a graph autoencoder
predicting held-out links of one graph, and GraphSAGE with sampled neighbourhoods trained on some graphs and tested
on unseen ones; on synthetic random graphs, with flipped labels, spurious or missing edges and noisy features in
part of the grid:

- gin-graphs: a graph isomorphism network (GIN, Xu et al. 2019): node features (a one-hot of the degree, capped at
  8; a constant in 1 run), layers h <- ReLU(MLP((1 + eps) h + sum of the neighbours' h)) with a two-layer ReLU MLP
  and eps learnt (GIN-eps; eps = 0, GIN-0, in 1 run), and a readout of every layer's node states, their sum (the
  mean in 1 run) over the graph's nodes, each mapped linearly to the output and the maps summed (GIN's readout over
  all depths). Data: Erdos-Renyi graphs of 10-20 nodes (20-40 in 1 run) with a mean degree of 4 (2.5 for the
  connectivity task), the label whether the graph has more triangles than the mean degree's cube over 6 (the
  expected count), balanced by drawing graphs until each class has half of the set; in 1 run whether the graph is
  connected; in 1 run a regression of the standardised log(1 + triangle count) with Gaussian noise on the training
  targets. Noise: a share of the training labels flipped, or (1 run) the training graphs' edges rewired after the
  labels were set. Loss: the cross-entropy (the mean squared error in the regression). Adam (momentum SGD in 1 run)
  on minibatches of graphs, float32. Train loss: the loss on the training graphs at their given labels; test loss:
  the same on 500 held-out graphs with true labels; error rates: the misclassified shares (none in the regression).
- gae-links: a graph autoencoder (GAE, Kipf & Welling 2016): a GCN encoder Z = A' ReLU(A' X W1) W2 with A' = D^-1/2
  (A + I) D^-1/2 of the observed graph (one linear layer Z = A' X W in 1 run), X the identity (featureless nodes, so
  W1 is a free embedding a node) or noisy community features, and the inner-product decoder sigmoid(z_i . z_j).
  Data: a stochastic block model of 4 blocks (a random geometric graph in 1 run); 15% of its edges held out for the
  test with as many non-edges; the rest observed, the encoder's graph and the training positives, with k non-edges
  a positive drawn as uniform random pairs anew every epoch (unchecked, so a few are edges; drawn once for the run in
  1 run). Noise: spurious edges (random non-edges added to the observed graph) or missing edges (a share of the
  observed edges dropped) in part of the grid; noisy features. Loss: the binary cross-entropy of the decoder's
  logits. Full-batch Adam (momentum SGD in 1 run; weight decay in 1), one step an epoch, float32. Train loss: the
  binary cross-entropy on the observed edges and as many fixed non-edges of the observed graph; test loss: the same
  on the held-out edges and held-out non-edges; error rates: the misclassified shares of those pairs.
- sage-inductive: GraphSAGE (Hamilton, Ying & Leskovec 2017): layers h_v <- ReLU(W [h_v || agg(h_u : u in a sample
  of S neighbours of v)]) with the embeddings L2-normalised (not in 1 run), agg the mean or (in 1 run) the max-pool
  (a ReLU layer on every sampled neighbour, then the elementwise max), 2 layers (1 in 1 run), the last one's output
  the 4 class logits; trained on minibatches of nodes with their neighbourhoods sampled (S1 at the first hop, S2 at
  the second, with replacement) anew at every step from the run's generator, and evaluated with full
  neighbourhoods. Data: stochastic block models of 4 classes; T training graphs and 3 unseen test graphs of the same
  generator (in 1 run test graphs three times as large); node features mu times the class's unit mean (shared by all
  graphs of a run) plus N(0, I). Noise: a share of the training nodes' labels flipped, weak features (a small mu),
  or spurious random edges added to the training graphs, in part of the grid. Loss: the cross-entropy. Adam
  (momentum SGD in 1 run; weight decay in 1), float32. Train loss: the cross-entropy on the training graphs' nodes
  at their given labels (full neighbourhoods); test loss: the cross-entropy on the test graphs' nodes with true
  labels; error rates: the misclassified shares.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, count from
train_fortyeighth.py, make_opt from train_fiftysixth.py, mlp_params and mlp from train_sixtyfifth.py and node_graph
(the stochastic block model or geometric graph with community features of gat-nodes) from train_sixtyeighth.py; one
thread, every random draw from a seeded torch.Generator (graphs, splits, flips, negatives, neighbour samples,
minibatches), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final
marks it.

    /usr/bin/python3 train_seventysecond.py --family gin-graphs [--list] [--runs 0,3] [--out FILE]

Families (see README.md): gin-graphs, gae-links, sage-inductive. Evaluation spacings: train.py's 'every', 'every:K',
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_sixtyeighth import node_graph  # noqa: E402  (gat-nodes' SBM or geometric graph with features)

torch.set_num_threads(1)

F32 = torch.float32


# ---------------------------------------------------------------------------------------------------- gin-graphs


def random_graphs(g, m, c):
    """m Erdos-Renyi graphs, padded to nmax nodes: (adjacency m x nmax x nmax float, node mask m x nmax, triangle
    counts, connected flags), from g; each graph's size uniform on [nmin, nmax], its edge probability deg / (N - 1)."""
    nmax = c["nmax"]
    N = torch.randint(c["nmin"], nmax + 1, (m,), generator=g)
    mask = torch.arange(nmax)[None, :] < N[:, None]
    p = c["deg"] / (N - 1).to(F32)
    u = torch.rand(m, nmax, nmax, generator=g)
    a = torch.triu(u < p[:, None, None], 1) & mask[:, :, None] & mask[:, None, :]
    A = (a | a.transpose(1, 2)).to(F32)
    tri = (A @ A @ A).diagonal(dim1=1, dim2=2).sum(1) / 6
    R = ((A + torch.eye(nmax)) > 0).to(F32)
    for _ in range(int(math.ceil(math.log2(nmax)))):
        R = ((R @ R) > 0).to(F32)
    connected = ((R[:, 0, :] > 0) | ~mask).all(1)
    return A, mask, tri, connected


def motif_set(g, m, c):
    """m graphs with their targets: 'triangles' (more triangles than deg^3 / 6) and 'connected' balanced by drawing
    batches of 256 graphs and keeping each class's first m / 2, shuffled; 'count' the log(1 + triangles)."""
    if c["task"] == "count":
        A, mask, tri, _ = random_graphs(g, m, c)
        return A, mask, torch.log1p(tri)
    keep, quota = [[], []], [m // 2, m - m // 2]
    while quota[0] or quota[1]:
        A, mask, tri, conn = random_graphs(g, 256, c)
        y = (tri > c["deg"] ** 3 / 6) if c["task"] == "triangles" else conn
        for k in (0, 1):
            idx = torch.nonzero(y == bool(k))[:, 0][:quota[k]]
            keep[k].append((A[idx], mask[idx]))
            quota[k] -= len(idx)
    A = torch.cat([a for k in (0, 1) for a, _ in keep[k]])
    mask = torch.cat([s for k in (0, 1) for _, s in keep[k]])
    y = torch.cat([torch.full((sum(len(a) for a, _ in keep[k]),), k) for k in (0, 1)])
    perm = torch.randperm(m, generator=g)
    return A[perm], mask[perm], y[perm]


def rewire(g, A, mask, share, deg):
    """Each edge of the graphs dropped with probability share and each non-edge added with probability
    share p / (1 - p), p = deg / (N - 1) the graph's edge probability (so the mean degree stays), from g."""
    if not share:
        return A
    N = mask.sum(1).to(F32)
    p = (deg / (N - 1))[:, None, None]
    u = torch.triu(torch.rand(A.shape, generator=g), 1)
    pair = torch.triu(mask[:, :, None] & mask[:, None, :], 1)
    drop = (A > 0) & (u < share) & pair
    add = (A == 0) & (u < share * p / (1 - p)) & pair
    flip = (drop | add).to(F32)
    flip = flip + flip.transpose(1, 2)
    return (A + flip) % 2


def node_features(A, mask, kind):
    """'degree': a one-hot of the node degree capped at 8 (9 features); 'const': 1 for every node."""
    if kind == "const":
        return mask.to(F32)[..., None]
    return fn.one_hot(A.sum(2).clamp(max=8).long(), 9).to(F32) * mask.to(F32)[..., None]


def gin_graphs(w, run_id, c):
    """A GIN on small random graphs, float32. Data (from the run's generator): n training and 500 held-out graphs
    (motif_set); for 'count' the targets standardised by the held-out set's mean and sd and Gaussian noise of sd
    noise added to the training targets; a share flip of the training labels flipped; the training graphs rewired
    (rewire) after the labels were set. Model: node features node_features; layers GIN layers h <- ReLU(MLP((1 + eps)
    h + A h)), the MLP in -> hid -> hid (ReLU), eps learnt from 0 (or fixed at 0); the readout of h_0 ... h_layers,
    each the sum (or mean) over the graph's nodes mapped linearly to the output, summed. The maps U(+-1 /
    sqrt(fan-in)) from the run's generator. Loss: the cross-entropy (the MSE for 'count'). Optimizer: make_opt on
    minibatches of graphs. Train loss: the loss on the training graphs at their given labels; test loss: the same on
    the held-out graphs, true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(721_000 + c["seed"])
    n, hid, reg = c["n"], c["hid"], c["task"] == "count"
    A, mask, y = motif_set(g, n, c)
    At, maskt, yt = motif_set(g, 500, c)
    if reg:
        mu, sd = yt.mean(), yt.std()
        y, yt = (y - mu) / sd, (yt - mu) / sd
        if c.get("noise"):
            y = y + c["noise"] * torch.randn(n, generator=g)
    else:
        y = flip_labels(g, y, 2, c.get("flip"))
    A = rewire(g, A, mask, c.get("rewire"), c["deg"])
    X, Xt = node_features(A, mask, c["feat"]), node_features(At, maskt, c["feat"])
    fin, out = X.shape[-1], 1 if reg else 2
    layers = [mlp_params(g, [fin if i == 0 else hid, hid, hid], F32) for i in range(c["layers"])]
    eps = leaves([torch.zeros(c["layers"])]) if c["eps"] == "learnt" else []
    reads = [mlp_params(g, [fin if i == 0 else hid, out], F32) for i in range(c["layers"] + 1)]
    params = [q for lay in layers for q in lay] + eps + [q for r in reads for q in r]
    Mf, Mft = mask.to(F32), maskt.to(F32)

    def forward(a, x, m):
        size = m.sum(1, keepdim=True) if c["readout"] == "mean" else 1.0
        h, score = x, 0.0
        for i in range(c["layers"] + 1):
            score = score + mlp(reads[i], h.sum(1) / size, None)
            if i < c["layers"]:
                z = (1 + eps[0][i] if eps else 1.0) * h + a @ h
                h = torch.relu(mlp(layers[i], z, torch.relu)) * m[..., None]
        return score[:, 0] if reg else score

    def loss(o, t):
        return ((o - t) ** 2).mean() if reg else fn.cross_entropy(o, t)

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        loss(forward(take(A, idx), take(X, idx), take(Mf, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "gin", "layers": c["layers"], "hidden": hid,
                                           "readout": c["readout"], "eps": c["eps"]},
                settings(c, ("seed", "task", "nmin", "nmax", "deg", "n", "flip", "noise", "rewire", "feat", "layers",
                             "hid", "readout", "eps", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if reg else "cross-entropy",
                   "test_loss": "heldout-graphs-%s" % ("mse-clean-targets" if reg else "ce-true-labels"),
                   "graphs_per_weight": "%.3g" % (n / count(params))}
                | ({} if reg else {"error": "misclassified"}), output_dim=out)

    def log(e, final):
        o, ot = forward(A, X, Mf), forward(At, Xt, Mft)
        if reg:
            run.log(e, loss(o, y), loss(ot, yt), final=final)
        else:
            run.log(e, loss(o, y), loss(ot, yt), (o.argmax(1) != y).float().mean(),
                    (ot.argmax(1) != yt).float().mean(), final=final)

    epoch_loop(g, n, c, step, log)


def runs_gin_graphs():
    # The logic: 200 training graphs of 10-20 nodes (mean degree 4), the label whether a graph has more triangles than
    # expected (a count that 1-WL message passing sees only in part, through degrees and the degrees of neighbours),
    # 10% of the labels flipped; a GIN of 3 layers of width 32 has about 5,800 weights, some thirty a training graph,
    # so it can fit the flipped labels. Adam at 0.003 on minibatches of 32 graphs, 120 epochs. One thing at a time
    # besides: 1 and 5 layers, width 16 and 64, the mean readout, GIN-0, constant node features, 100 and 500 graphs,
    # clean and 25% flipped labels, rewired edges (15%), graphs of 20-40 nodes, connectivity as the label, the
    # regression of log(1 + triangles) with noise sd 0.5, momentum SGD at 0.02, Adam at 0.01, weight decay 0.001.
    # Evaluation spacing mixed.
    base = dict(task="triangles", nmin=10, nmax=20, deg=4.0, n=200, flip=0.1, noise=None, rewire=None, feat="degree",
                layers=3, hid=32, readout="sum", eps="learnt", opt="adam", lr=0.003, wd=None, batch=32, epochs=120,
                eval="every:2")
    return gin_graphs, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(layers=1, eval="every"),
        dict(layers=5, eval="jitter:40"),
        dict(hid=16, eval="every:3"),
        dict(hid=64, eval="log:40"),
        dict(readout="mean", eval="every:2"),
        dict(eps="zero", eval="geom:3"),
        dict(feat="const", eval="every:4"),
        dict(n=100, eval="every"),
        dict(n=500, eval="every:3"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.25, eval="burst:20:5"),
        dict(rewire=0.15, eval="every:2"),
        dict(nmin=20, nmax=40, eval="log:30"),
        dict(task="connected", deg=2.5, eval="every:2"),
        dict(task="count", flip=None, noise=0.5, eval="mixed:40:4"),
        dict(opt="momentum", lr=0.02, eval="rand:60"),
        dict(lr=0.01, eval="mixlog:30:40"),
        dict(wd=0.001, eval="every"),
    ], lambda d: "%s-N%d-%d-deg%g-n%d%s%s-%s-L%d-h%d-%s-eps%s-%s-lr%g%s" % (
        d["task"], d["nmin"], d["nmax"], d["deg"], d["n"],
        "-flip%g" % d["flip"] if d.get("flip") else ("-noise%g" % d["noise"] if d.get("noise") else "-clean"),
        "-rewire%g" % d["rewire"] if d.get("rewire") else "", d["feat"], d["layers"], d["hid"], d["readout"],
        d["eps"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- gae-links


def non_edges(g, adj, m):
    """m distinct pairs i < j that are not edges of adj (N x N boolean, self-loops set), drawn uniformly from g."""
    N = adj.shape[0]
    out = torch.zeros(0, 2, dtype=torch.long)
    while len(out) < m:
        i = torch.randint(N, (2 * m,), generator=g)
        j = torch.randint(N, (2 * m,), generator=g)
        pair = torch.stack([torch.minimum(i, j), torch.maximum(i, j)], 1)
        pair = pair[~adj[pair[:, 0], pair[:, 1]]]
        out = torch.unique(torch.cat([out, pair]), dim=0, sorted=False) if len(out) else torch.unique(pair, dim=0)
        out = out[torch.randperm(len(out), generator=g)]
    return out[:m]


def gae_links(w, run_id, c):
    """A graph autoencoder for link prediction, float32. Data (from the run's generator): node_graph (an SBM of 4
    blocks or a geometric graph, with community features); a share test of its edges held out with as many non-edges
    (non_edges); of the rest a share missing dropped (unobserved), and spurious times their number of random non-edges
    added: the observed edges. Model: A' = D^-1/2 (A_obs + I) D^-1/2; X the identity ('identity') or the community
    features ('community'); Z = A' ReLU(A' X W1) W2 (layers 2) or A' X W (layers 1); logits z_i . z_j. The maps
    U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the binary cross-entropy on the observed edges (label 1) and
    k uniform random pairs i != j a positive (label 0), drawn anew every epoch (or once, fixed). Optimizer: make_opt,
    full batch (one step an epoch). Train loss: the binary cross-entropy on the observed edges and as many fixed
    non-edges of the observed graph; test loss: the same on the held-out edges and non-edges; error rates: the
    misclassified shares at logit 0."""
    g = torch.Generator().manual_seed(722_000 + c["seed"])
    adj, _, feats = node_graph(g, c)
    N = c["N"]
    iu = torch.nonzero(torch.triu(adj, 1))
    iu = iu[torch.randperm(len(iu), generator=g)]
    nt = int(round(c["test"] * len(iu)))
    test_pos, pos = iu[:nt], iu[nt:]
    test_neg = non_edges(g, adj, nt)
    if c.get("missing"):
        pos = pos[torch.rand(len(pos), generator=g) >= c["missing"]]
    if c.get("spurious"):
        held = adj.clone()
        held[test_neg[:, 0], test_neg[:, 1]] = True
        held[test_neg[:, 1], test_neg[:, 0]] = True
        pos = torch.cat([pos, non_edges(g, held, int(round(c["spurious"] * len(pos))))])
    obs = torch.eye(N, dtype=torch.bool)
    obs[pos[:, 0], pos[:, 1]] = True
    obs[pos[:, 1], pos[:, 0]] = True
    train_neg = non_edges(g, obs, len(pos))
    dinv = obs.to(F32).sum(1) ** -0.5
    An = dinv[:, None] * obs.to(F32) * dinv[None, :]
    X = torch.eye(N) if c["feat"] == "identity" else feats
    fin, hid, lat = X.shape[1], c.get("hid"), c["lat"]
    sizes = [fin, hid, lat] if c["layers"] == 2 else [fin, lat]
    Ws = leaves([uniform(g, a, a, b) for a, b in zip(sizes[:-1], sizes[1:])])
    AX = An @ X
    k = c["neg"]
    P = len(pos)

    def embed():
        z = AX @ Ws[0]
        for W in Ws[1:]:
            z = An @ (torch.relu(z) @ W)
        return z

    def logits(z, pairs):
        return (z[pairs[:, 0]] * z[pairs[:, 1]]).sum(1)

    def pairs_loss(z, p, q):
        lo = torch.cat([logits(z, p), logits(z, q)])
        t = torch.cat([torch.ones(len(p)), torch.zeros(len(q))])
        return fn.binary_cross_entropy_with_logits(lo, t), ((lo > 0).to(F32) != t).to(F32).mean()

    def random_pairs():
        i = torch.randint(N, (k * P,), generator=g)
        return torch.stack([i, (i + torch.randint(1, N, (k * P,), generator=g)) % N], 1)

    fixed = [random_pairs()] if c.get("fixed") else None
    opt = make_opt(c, Ws)

    def step(idx):
        opt.zero_grad()
        pairs_loss(embed(), pos, fixed[0] if fixed else random_pairs())[0].backward()
        opt.step()

    run = w.run(run_id, count(Ws), P, {"family": "gae", "encoder": "gcn%d" % c["layers"], "hidden": hid,
                                       "latent": lat, "features": c["feat"], "decoder": "inner-product"},
                settings(c, ("seed", "graph", "N", "din", "dout", "F", "mu", "feat", "test", "missing", "spurious",
                             "layers", "hid", "lat", "neg", "fixed", "opt", "lr", "wd", "eval"))
                | {"optimizer": c["opt"], "loss": "bce-edges-vs-sampled-non-edges",
                   "test_loss": "heldout-edges-and-non-edges-bce", "error": "pairs-misclassified",
                   "test_pairs": str(2 * nt), "edges_per_weight": "%.3g" % (P / count(Ws))}, output_dim=1)

    def log(e, final):
        z = embed()
        lt, et = pairs_loss(z, pos, train_neg)
        lh, eh = pairs_loss(z, test_pos, test_neg)
        run.log(e, lt, lh, et, eh, final=final)

    epoch_loop(g, P, c, step, log)


def runs_gae_links():
    # The logic: an SBM of 300 nodes in 4 blocks, about 6 neighbours within the block and 2 across (some 1,200
    # edges, 1,020 observed); featureless nodes (X = I), so the first layer is a free 32-vector a node and the GAE
    # has N h + h l = 10,112 weights, ten an observed edge: it can memorise the observed graph against its sampled
    # non-edges while the held-out edges are told only by the block structure. Full-batch Adam at 0.01 (GAE's), one
    # non-edge a positive drawn anew every epoch, 200 epochs. One thing at a time besides: width 64 with a latent 32,
    # a latent 4, the linear encoder, noisy community features (F 16, mu 1.5), a geometric graph, 150 and 600 nodes,
    # sparser (3 and 1) and denser (12 and 4) blocks, spurious edges (25% more), missing edges (40% dropped), 5
    # non-edges a positive, fixed non-edges, weight decay 0.0005, momentum SGD at 0.2, Adam at 0.003 and 0.03.
    # Evaluation spacing mixed.
    base = dict(graph="sbm", N=300, din=6.0, dout=2.0, F=16, mu=1.5, feat="identity", test=0.15, missing=None,
                spurious=None, layers=2, hid=32, lat=16, neg=1, fixed=None, opt="adam", lr=0.01, wd=None, epochs=200,
                eval="every:2")
    return gae_links, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=64, lat=32, eval="every"),
        dict(lat=4, eval="jitter:40"),
        dict(layers=1, hid=None, eval="every:3"),
        dict(feat="community", eval="log:40"),
        dict(graph="geo", eval="every:2"),
        dict(N=150, eval="every"),
        dict(N=600, eval="every:3"),
        dict(din=3.0, dout=1.0, eval="geom:3"),
        dict(din=12.0, dout=4.0, eval="every:2"),
        dict(spurious=0.25, eval="burst:20:5"),
        dict(missing=0.4, eval="every:2"),
        dict(neg=5, eval="every:4"),
        dict(fixed=True, eval="mixed:40:4"),
        dict(wd=0.0005, eval="every:2"),
        dict(opt="momentum", lr=0.2, eval="rand:60"),
        dict(lr=0.003, eval="mixlog:30:40"),
        dict(lr=0.03, eval="log:30"),
    ], lambda d: "%s-N%d-din%g-dout%g-%s%s%s%s-gcn%d%s-lat%d-neg%d%s-%s-lr%g%s" % (
        d["graph"], d["N"], d["din"], d["dout"], d["feat"], "-mu%g" % d["mu"] if d["feat"] == "community" else "",
        "-missing%g" % d["missing"] if d.get("missing") else "",
        "-spurious%g" % d["spurious"] if d.get("spurious") else "", d["layers"],
        "-h%d" % d["hid"] if d.get("hid") else "", d["lat"], d["neg"], "-fixed" if d.get("fixed") else "",
        d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- sage-inductive


def sbm_graph(g, N, din, dout, means, mu, spurious=None):
    """One stochastic block model of N nodes in 4 equal classes (about din neighbours within the class and dout
    across), from g: (adjacency N x N boolean without self-loops, classes, features mu means[class] + N(0, I));
    with spurious, that share of its edge count added as uniform random edges."""
    K = means.shape[0]
    y = (torch.arange(N) % K)[torch.randperm(N, generator=g)]
    same = y[:, None] == y[None, :]
    p = torch.where(same, torch.tensor(din / (N / K - 1)), torch.tensor(dout / (N - N / K)))
    a = torch.triu(torch.rand(N, N, generator=g) < p, 1)
    if spurious:
        q = spurious * a.sum().item() / (N * (N - 1) / 2)
        a = a | torch.triu(torch.rand(N, N, generator=g) < q, 1)
    x = mu * means[y] + torch.randn(N, means.shape[1], generator=g)
    return a | a.T, y, x


def union(graphs):
    """The disjoint union of graphs [(adj, y, x)]: features, classes, a neighbour table (nodes x the largest degree,
    padded with 0) and the degrees."""
    D = max(int(a.sum(1).max()) for a, _, _ in graphs)
    tabs, degs, off = [], [], 0
    for a, _, _ in graphs:
        order = torch.argsort((~a).to(torch.int8), dim=1, stable=True)[:, :D]  # the neighbours first, in index order
        deg = a.sum(1)
        tabs.append(torch.where(torch.arange(D)[None, :] < deg[:, None], order + off, torch.zeros_like(order)))
        degs.append(deg)
        off += a.shape[0]
    return torch.cat([x for _, _, x in graphs]), torch.cat([y for _, y, _ in graphs]), torch.cat(tabs), torch.cat(degs)


def sage_inductive(w, run_id, c):
    """GraphSAGE, inductive node classification, float32. Data (from the run's generator): 4 class mean vectors
    (unit, random directions) shared by all graphs; T training graphs and 3 test graphs (sbm_graph; the training
    ones with spurious random edges), the test graphs of N_test nodes; a share flip of the training labels flipped.
    Model: layers SAGE layers h_v <- W [h_v || agg_v] + b, ReLU and (norm) L2 normalisation on the hidden ones, the
    last one's output the 4 logits; agg 'mean' the mean of the neighbours' h, 'max' the elementwise max over them of
    ReLU(W_pool h_u + b_pool). Training: minibatches of the training nodes, each with S1 neighbours sampled (with
    replacement) at the first hop and S2 at the second, anew at every step from the run's generator. Evaluation: the
    full neighbourhoods. The maps U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the cross-entropy. Optimizer:
    make_opt. Train loss: the cross-entropy on all training nodes at their given labels; test loss: the same on the
    test graphs' nodes, true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(723_000 + c["seed"])
    K, F, hid, L = 4, c["F"], c["hid"], c["layers"]
    means = torch.randn(K, F, generator=g)
    means = means / means.norm(dim=1, keepdim=True)
    tr = [sbm_graph(g, c["N"], c["din"], c["dout"], means, c["mu"], c.get("spurious")) for _ in range(c["T"])]
    te = [sbm_graph(g, c.get("Ntest") or c["N"], c["din"], c["dout"], means, c["mu"]) for _ in range(3)]
    X, y, nbr, deg = union(tr)
    Xt, yt, nbrt, degt = union(te)
    n = len(y)
    yn = flip_labels(g, y, K, c.get("flip"))
    sizes = [F] + [hid] * (L - 1) + [K]
    lays = []
    for i in range(L):
        pool = mlp_params(g, [sizes[i], sizes[i]], F32) if c["agg"] == "max" else []
        lays.append((mlp_params(g, [2 * sizes[i], sizes[i + 1]], F32), pool))
    params = [q for lin, pool in lays for q in lin + pool]
    hops = (c["S1"], c.get("S2"))

    def layer(i, hv, hn, m):
        lin, pool = lays[i]
        m = m.to(F32)[..., None]
        if c["agg"] == "max":
            agg = (torch.relu(mlp(pool, hn, None)) * m).amax(-2)
        else:
            agg = (hn * m).sum(-2) / m.sum(-2).clamp(min=1)
        out = mlp(lin, torch.cat([hv, agg], -1), None)
        if i < L - 1:
            out = torch.relu(out)
            if c.get("norm"):
                out = out / out.norm(dim=-1, keepdim=True).clamp(min=1e-6)
        return out

    def sampled(v, depth):
        # the output of layer depth (1 ... L) at the nodes v, their neighbours sampled at hop L - depth + 1
        if depth == 0:
            return X[v]
        S = hops[L - depth]
        r = (torch.rand(len(v), S, generator=g) * deg[v].clamp(min=1)[:, None]).long()
        nb = nbr[v[:, None], r]
        m = (deg[v] > 0)[:, None].expand(len(v), S)
        return layer(depth - 1, sampled(v, depth - 1), sampled(nb.reshape(-1), depth - 1).reshape(len(v), S, -1), m)

    def full(x, tab, dg):
        m = torch.arange(tab.shape[1])[None, :] < dg[:, None]
        h = x
        for i in range(L):
            h = layer(i, h, h[tab], m)
        return h

    opt = make_opt(c, params)
    every = torch.arange(n)

    def step(idx):
        opt.zero_grad()
        v = take(every, idx)
        fn.cross_entropy(sampled(v, L), yn[v]).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "graphsage", "layers": L, "hidden": hid, "aggregator": c["agg"],
                                           "samples": ",".join(str(h) for h in hops[:L])},
                settings(c, ("seed", "N", "Ntest", "T", "din", "dout", "F", "mu", "flip", "spurious", "layers", "hid",
                             "agg", "S1", "S2", "norm", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy", "test_loss": "unseen-graphs-nodes-ce-true-labels",
                   "error": "misclassified", "test_nodes": str(len(yt)),
                   "labels_per_weight": "%.3g" % (n / count(params))}, output_dim=K)

    def log(e, final):
        o, ot = full(X, nbr, deg), full(Xt, nbrt, degt)
        run.log(e, fn.cross_entropy(o, yn), fn.cross_entropy(ot, yt), (o.argmax(1) != yn).float().mean(),
                (ot.argmax(1) != yt).float().mean(), final=final)

    epoch_loop(g, n, c, step, log)


def runs_sage_inductive():
    # The logic: 3 training graphs of 100 nodes (300 labelled nodes), 4 classes, about 6 neighbours within the class
    # and 2 across, 32 features whose class mean is weak (mu 1 against unit noise a feature), 20% of the training
    # labels flipped; a 2-layer GraphSAGE of width 32 with the mean aggregator has 2 F h + h + 2 h 4 + 4 = 2,340
    # weights, eight a label, so it can fit the flipped labels, while its sampled neighbourhoods (10 at the first hop,
    # 5 at the second) are a noise of the training itself; the test graphs are unseen. Adam at 0.005 on minibatches of
    # 50 nodes, 120 epochs. One thing at a time besides: the max-pool aggregator, 3 and 2 samples, 25 and 10, one
    # layer, width 16 and 128, no normalisation, 1 and 8 training graphs, clean and 40% flipped labels, weaker features
    # (mu 0.5), spurious edges in the training graphs (50% more, at random), test graphs of 300 nodes, momentum SGD at
    # 0.05, Adam at 0.02, weight decay 0.001. Evaluation spacing mixed.
    base = dict(N=100, Ntest=None, T=3, din=6.0, dout=2.0, F=32, mu=1.0, flip=0.2, spurious=None, layers=2, hid=32,
                agg="mean", S1=10, S2=5, norm=True, opt="adam", lr=0.005, wd=None, batch=50, epochs=120,
                eval="every:2")
    return sage_inductive, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(agg="max", eval="every"),
        dict(S1=3, S2=2, eval="jitter:40"),
        dict(S1=25, S2=10, eval="every:3"),
        dict(layers=1, S2=None, eval="log:40"),
        dict(hid=16, eval="every:2"),
        dict(hid=128, eval="geom:3"),
        dict(norm=False, eval="every:2"),
        dict(T=1, eval="every"),
        dict(T=8, eval="every:3"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="burst:20:5"),
        dict(mu=0.5, eval="every:2"),
        dict(spurious=0.5, eval="mixed:40:4"),
        dict(Ntest=300, eval="every:4"),
        dict(opt="momentum", lr=0.05, eval="rand:60"),
        dict(lr=0.02, eval="mixlog:30:40"),
        dict(wd=0.001, eval="log:30"),
    ], lambda d: "N%d%s-T%d-din%g-dout%g-F%d-mu%g%s%s-L%d-h%d-%s-S%s%s%s-%s-lr%g%s" % (
        d["N"], "-Ntest%d" % d["Ntest"] if d.get("Ntest") else "", d["T"], d["din"], d["dout"], d["F"], d["mu"],
        "-flip%g" % d["flip"] if d.get("flip") else "-clean", "-spurious%g" % d["spurious"] if d.get("spurious") else "",
        d["layers"], d["hid"], d["agg"], d["S1"], "-%d" % d["S2"] if d.get("S2") else "",
        "" if d.get("norm") else "-nonorm", d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


FAMILIES = {"gin-graphs": runs_gin_graphs, "gae-links": runs_gae_links, "sage-inductive": runs_sage_inductive}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
