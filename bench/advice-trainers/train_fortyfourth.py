#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, forty-fourth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 134 families of train.py ... train_fortysecond.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is scientific machine learning and learning to learn:
problems whose test loss is not a plain held-out prediction error of the same kind as the train loss:

- pinn-poisson: a physics-informed network (Raissi, Perdikaris & Karniadakis 2019), a tanh MLP u(x) fitted to the
  residual of Poisson's equation -laplace(u) = f at fixed collocation points (its Laplacian computed by a hand-written
  forward pass of the input derivatives through the tanh layers, back-propagated through for the weights) plus noisy
  boundary values and noisy interior observations of the solution; the test loss the squared error against the exact
  solution on a fine grid, in one and two dimensions;
- neural-process: a conditional neural process (Garnelo et al. 2018), an encoder of context points (x, y), their
  mean as the task's representation, and a decoder of a target input and the representation to a Gaussian's mean and
  scale, trained by the Gaussian NLL of target points over a fixed, finite set of noisy one-dimensional regression
  tasks (random context sizes drawn each step); the test loss the held-out tasks' target points' Gaussian NLL given
  their context, in excess of the true noise density's NLL;
- transe-kg: translational knowledge-graph embeddings (TransE, Bordes et al. 2013): entities and relations as vectors,
  a triple (h, r, t) scored by the distance |e_h + w_r - e_t| (L1 or L2), trained by the margin ranking loss (or the
  logistic loss in a run) against negatives made by corrupting the head or the tail, entity vectors free (renormalised
  to unit length before each step, TransE's constraint, in a run), on a synthetic graph whose facts come from a latent
  translational geometry and whose training triples include a share of corrupted (false) ones; the test loss the
  held-out true triples' filtered margin ranking loss against every corruption of their head and tail.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, batches from train_twentyfirst.py, uniform from
train_thirtysecond.py, plain_opt (Adam, or SGD with momentum 0.9) from train_thirtyfourth.py, leaves from
train_thirtysixth.py, eval_epochs (the irregular spacings) from train_thirtyseventh.py, and epoch_loop from
train_thirtyninth.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6
significant digits.

    /usr/bin/python3 train_fortyfourth.py --family pinn-poisson [--list] [--runs 0,3] [--out FILE]

Families (see README.md): pinn-poisson, neural-process, transe-kg. Evaluation spacings: train.py's 'every',
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
from train_twentyfirst import batches  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtyfourth import plain_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def layers_of(g, sizes):
    """Weights (in x out, used as z @ W) and biases of a chain of linear layers, U(+-1 / sqrt(fan-in)) from g,
    float64, requiring gradients."""
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out += [uniform(g, a, a, b).double(), uniform(g, a, b).double()]
    return leaves(out)


# ---------------------------------------------------------------------------------------------------- pinn-poisson


def pinn_problem(g, c):
    """Poisson's equation -laplace(u) = f on the unit interval (dim 1) or square (dim 2) with u = 0 on the boundary;
    the exact solution u*(x) = sin(pi x) + A sin(K pi x) (dim 1) or sin(pi x) sin(pi y) + A sin(K pi x) sin(K pi y)
    (dim 2), a smooth part and a part of frequency K at amplitude A, and f = -laplace(u*) in closed form. Drawn from g:
    nc collocation points uniform in the domain (fixed for the run), f there (times 1 plus fnoise times a standard
    normal where fnoise is set: a noisy measured source); nb boundary points (dim 1: alternately 0 and 1; dim 2: uniform
    on the four edges) with values 0 plus Gaussian noise c['bnoise']; no interior observation points uniform in the
    domain with values u* plus Gaussian noise c['noise']. The test grid: 1,001 evenly spaced points (dim 1) or 65 x 65
    (dim 2), u* there. Returns (collocation points, f, data points, data values, test points, u* on them, the mean
    square of f on the test grid)."""
    dim, K, A, pi = c["dim"], c["K"], c["A"], math.pi

    def exact(X):
        if dim == 1:
            x = X[:, 0]
            return torch.sin(pi * x) + A * torch.sin(K * pi * x)
        x, y = X[:, 0], X[:, 1]
        return torch.sin(pi * x) * torch.sin(pi * y) + A * torch.sin(K * pi * x) * torch.sin(K * pi * y)

    def source(X):
        if dim == 1:
            x = X[:, 0]
            return pi ** 2 * torch.sin(pi * x) + A * (K * pi) ** 2 * torch.sin(K * pi * x)
        x, y = X[:, 0], X[:, 1]
        return (2 * pi ** 2 * torch.sin(pi * x) * torch.sin(pi * y)
                + 2 * A * (K * pi) ** 2 * torch.sin(K * pi * x) * torch.sin(K * pi * y))

    Xc = torch.rand(c["nc"], dim, generator=g, dtype=F64)
    fc = source(Xc)
    if c.get("fnoise"):
        fc = fc * (1 + c["fnoise"] * torch.randn(c["nc"], generator=g, dtype=F64))
    nb = c["nb"]
    if dim == 1:
        Xb = (torch.arange(nb) % 2).to(F64).unsqueeze(1)
    else:
        t = torch.rand(nb, generator=g, dtype=F64)
        side = torch.arange(nb) % 4
        Xb = torch.stack([torch.where(side == 0, torch.zeros_like(t), torch.where(side == 1, torch.ones_like(t), t)),
                          torch.where(side == 2, torch.zeros_like(t), torch.where(side == 3, torch.ones_like(t), t))],
                         1)
    yb = c["bnoise"] * torch.randn(nb, generator=g, dtype=F64)
    Xo = torch.rand(c["no"], dim, generator=g, dtype=F64)
    yo = exact(Xo) + c["noise"] * torch.randn(c["no"], generator=g, dtype=F64)
    if dim == 1:
        Xt = torch.linspace(0, 1, 1001, dtype=F64).unsqueeze(1)
    else:
        ax = torch.linspace(0, 1, 65, dtype=F64)
        Xt = torch.cartesian_prod(ax, ax)
    return Xc, fc, torch.cat([Xb, Xo]), torch.cat([yb, yo]), Xt, exact(Xt), (source(Xt) ** 2).mean()


def tanh_net_laplacian(p, X):
    """A tanh MLP's output u(X) (its inputs mapped from [0, 1] to [-1, 1]) and its Laplacian in the inputs X, by a
    forward pass of the input derivatives: for a
    layer z = a W + b the derivatives dz/dx_k = (da/dx_k) W and laplace(z) = laplace(a) W; for a = tanh(z), s = 1 - a^2,
    da/dx_k = s dz/dx_k and laplace(a) = s laplace(z) - 2 a s sum_k (dz/dx_k)^2. Differentiable in the weights."""
    m, dim = X.shape
    W, b = p[0], p[1]
    z = (2 * X - 1) @ W + b
    J = 2 * W.unsqueeze(0).expand(m, dim, W.shape[1])  # dz/dx_k, (m, dim, h)
    L = torch.zeros_like(z)
    for i in range(2, len(p), 2):
        a = torch.tanh(z)
        s = 1 - a * a
        L = s * L - 2 * a * s * (J * J).sum(1)
        J = s.unsqueeze(1) * J
        W, b = p[i], p[i + 1]
        z, J, L = a @ W + b, J @ W, L @ W
    return z.squeeze(1), L.squeeze(1)


def tanh_net(p, X):
    """The tanh MLP's output alone, its inputs mapped from [0, 1] to [-1, 1]."""
    z = 2 * X - 1
    for i in range(0, len(p) - 2, 2):
        z = torch.tanh(z @ p[i] + p[i + 1])
    return (z @ p[-2] + p[-1]).squeeze(1)


def pinn_poisson(w, run_id, c):
    """A physics-informed network: a tanh MLP dim -> h (-> h ...) -> 1 of `depth` hidden layers, float64, weights
    U(+-1 / sqrt(fan-in)) from the run's generator. Data: pinn_problem. Loss: the residual term, the mean of
    (laplace(u) + f)^2 over the collocation points divided by the mean square of f on the test grid (so that it is 1
    for u = 0), plus lam times the mean squared error of u at the boundary and observation points against their noisy
    values (one mean over both). Optimizer: Adam (opt 'adam') or SGD with momentum 0.9 ('momentum') at step lr, full
    batch (every epoch one step), the residual and the data term together. Train loss: that objective; test loss: the
    mean squared error of u against the exact solution u* on the test grid."""
    g = torch.Generator().manual_seed(441_000 + c["seed"])
    Xc, fc, Xd, yd, Xt, ut, f2 = pinn_problem(g, c)
    dim, h, depth = c["dim"], c["h"], c["depth"]
    params = layers_of(g, [dim] + [h] * depth + [1])
    opt = plain_opt(c, params)

    def objective():
        _, lap = tanh_net_laplacian(params, Xc)
        res = ((lap + fc) ** 2).mean() / f2
        return res + c["lam"] * ((tanh_net(params, Xd) - yd) ** 2).mean()

    def step(idx):
        opt.zero_grad()
        objective().backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(Xc) + len(Xd),
                {"family": "pinn-tanh-mlp", "hidden_layers": depth, "width": h, "inputs": dim, "outputs": 1},
                settings(c, ("seed", "dim", "K", "A", "nc", "nb", "no", "noise", "bnoise", "fnoise", "lam", "h",
                             "depth", "opt", "lr", "eval"))
                | {"optimizer": c["opt"], "loss": "pde-residual+data-mse", "test_loss": "exact-solution-mse",
                   "collocation_points": str(len(Xc)), "data_points": str(len(Xd))})

    def log(e, final):
        run.log(e, objective(), ((tanh_net(params, Xt) - ut) ** 2).mean(), final=final)

    epoch_loop(g, 1, dict(c, batch=None), step, log)


def runs_pinn_poisson():
    # The logic: a tanh network of two layers of 32 units (1,153 weights) on the unit interval, its inputs mapped to
    # [-1, 1], fitted to Poisson's equation at 32 collocation points and to 18 noisy values (the two boundary points
    # and 16 interior observations, noise 0.1) of a solution with a smooth part and a part of frequency 4 at amplitude
    # 0.1. The data term is met first, by a nearly linear function (the network's curvature comes slowly, through the
    # residual's second derivatives), whose error against the solution falls to its first minimum and can rise as
    # Adam overshoots it; the residual then brings the curvature, the physics, and the error falls far below; and
    # late, once the residual is met at the collocation points, the network bends between them to fit the noise of
    # the observations. The grid moves one thing at a time: the collocation points (12: sparse, the noise fitted
    # between them; 128), the width (8: 97 weights, near the 50 constraints; 128), clean data, noise 0.3, a noisy
    # source (30% relative noise on f at the collocation points), no interior observations (the forward problem from
    # noisy boundary values alone), 64 observations, the data weight (0.1, 10), a higher frequency (8 at amplitude
    # 0.05), the step (0.003, 0.0003), heavy ball at 0.001, three layers, and the square (-laplace(u) = f on [0, 1]^2,
    # frequency 2 at amplitude 0.2, 64 and 256 collocation points, 32 noisy boundary and 32 interior observations,
    # 1,500 epochs).
    base = dict(dim=1, K=4, A=0.1, nc=32, nb=2, no=16, noise=0.1, bnoise=0.1, fnoise=None, lam=1.0, h=32, depth=2,
                opt="adam", lr=0.001, epochs=3000, eval="log:35")
    square = dict(dim=2, K=2, A=0.2, nc=64, nb=32, no=32, epochs=1500)
    return pinn_poisson, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(nc=12, eval="jitter:35"),
        dict(nc=128, eval="every:20"),
        dict(h=8, eval="mixed:50:25"),
        dict(h=128, eval="log:35"),
        dict(noise=0.0, bnoise=0.0, eval="geom:20"),
        dict(noise=0.3, bnoise=0.3, eval="every:25"),
        dict(fnoise=0.3, eval="rand:150"),
        dict(no=0, eval="log:35"),
        dict(no=64, eval="mixlog:30:30"),
        dict(lam=0.1, eval="jitter:30"),
        dict(lam=10.0, eval="every:20"),
        dict(K=8, A=0.05, eval="log:35"),
        dict(lr=0.003, eval="mixed:40:20"),
        dict(lr=0.0003, eval="log:35"),
        dict(opt="momentum", eval="every:30"),
        dict(depth=3, eval="geom:25"),
        dict(square, eval="log:35"),
        dict(square, nc=256, eval="every:15"),
    ], lambda d: "d%d-K%d-A%g-nc%d-nb%d-no%d-noise%g%s-lam%g-h%dx%d-%s-lr%g" % (
        d["dim"], d["K"], d["A"], d["nc"], d["nb"], d["no"], d["noise"],
        "-fnoise%g" % d["fnoise"] if d.get("fnoise") else "", d["lam"], d["h"], d["depth"], d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- neural-process


def np_tasks(g, c, m, n):
    """m regression tasks of n points each, float64: x uniform on [-2, 2]; the task's function a sine of amplitude
    U[0.5, 2], frequency U[1 - fw, 1 + fw] and phase U[0, 2 pi], plus a slow part S b x / 2, a linear trend, b a
    standard normal per task; y = f(x) plus Gaussian noise c['noise']. Returns (x, y, f(x)), each (m, n)."""
    x = 4 * torch.rand(m, n, generator=g, dtype=F64) - 2
    amp = 0.5 + 1.5 * torch.rand(m, 1, generator=g, dtype=F64)
    freq = 1 + c["fw"] * (2 * torch.rand(m, 1, generator=g, dtype=F64) - 1)
    phase = 2 * math.pi * torch.rand(m, 1, generator=g, dtype=F64)
    b = torch.randn(m, 1, generator=g, dtype=F64)
    f = amp * torch.sin(freq * x + phase) + c["S"] * b * x / 2
    return x, f + c["noise"] * torch.randn(m, n, generator=g, dtype=F64), f


def neural_process(w, run_id, c):
    """A conditional neural process (Garnelo et al. 2018), float64: an encoder MLP (x, y) -> h -> h -> r (ReLU) of each
    context point, the mean over the context as the task's representation, and a decoder MLP (representation, x) -> h ->
    h -> 2 (ReLU) of each target input, its outputs a Gaussian's mean and scale 0.01 + 0.99 softplus(.). Weights U(+-1 /
    sqrt(fan-in)) from the run's generator. Data: M training tasks of n noisy points each (np_tasks), fixed for the run;
    200 held-out tasks of n points, the first c['ctx'] of each the context and the rest the targets. Training: each step
    a minibatch of `batch` training tasks (all of them where batch is None), for each task a context size drawn
    uniformly from 3 ... n - 1 and that many of its points drawn at random as its context, all n points the targets; the
    loss the mean Gaussian NLL of the targets. Optimizer: Adam (opt 'adam') or SGD with momentum 0.9 ('momentum') at
    step lr. Train loss: the training tasks' mean NLL of all their points given the first c['ctx'] as context; test
    loss: the held-out tasks' mean NLL of their target points given their context; both minus the NLL of the true noise
    density N(f(x), noise^2) at the same points (an estimate of the excess, a KL divergence that stays above zero on the
    held-out tasks, so that census.py's relative thresholds keep their meaning)."""
    g = torch.Generator().manual_seed(442_000 + c["seed"])
    M, n, h, r, ctx = c["M"], c["n"], c["h"], c["r"], c["ctx"]
    x, y, f = np_tasks(g, c, M, n)
    xt, yt, ftt = np_tasks(g, c, 200, n)
    enc = layers_of(g, [2, h, h, r])
    dec = layers_of(g, [r + 1, h, h, 2])
    params = enc + dec
    opt = plain_opt(c, params)

    def mlp(p, z):
        for i in range(0, len(p) - 2, 2):
            z = torch.relu(z @ p[i] + p[i + 1])
        return z @ p[-2] + p[-1]

    def predict(xc, yc, xq, mask=None):
        """Gaussian means and scales at the query inputs xq (B, q) given the contexts (B, k) (where mask is set, the
        points of each context that it marks, (B, k))."""
        code = mlp(enc, torch.stack([xc, yc], 2))
        if mask is None:
            rep = code.mean(1)  # (B, r)
        else:
            rep = (code * mask.unsqueeze(2)).sum(1) / mask.sum(1, keepdim=True)
        z = torch.cat([rep.unsqueeze(1).expand(-1, xq.shape[1], -1), xq.unsqueeze(2)], 2)
        out = mlp(dec, z)
        return out[..., 0], 0.01 + 0.99 * fn.softplus(out[..., 1])

    def nll(mu, sd, t):
        return HALF_LOG_2PI + torch.log(sd) + 0.5 * ((t - mu) / sd) ** 2

    def true_nll(t, ff):
        return (HALF_LOG_2PI + math.log(c["noise"]) + 0.5 * ((t - ff) / c["noise"]) ** 2).mean()

    def step(idx):
        B = len(idx)
        k = 3 + torch.randint(n - 3, (B, 1), generator=g)
        mask = (torch.argsort(torch.rand(B, n, generator=g), 1).argsort(1) < k).to(F64)
        xb, yb = x[idx], y[idx]
        mu, sd = predict(xb, yb, xb, mask)
        opt.zero_grad()
        nll(mu, sd, yb).mean().backward()
        opt.step()

    P = sum(q.numel() for q in params)
    run = w.run(run_id, P, M * n,
                {"family": "conditional-neural-process", "width": h, "representation": r, "hidden_layers": 2},
                settings(c, ("seed", "M", "n", "ctx", "fw", "S", "noise", "h", "r", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "gaussian-nll", "test_loss": "heldout-task-excess-nll",
                   "tasks": str(M)})

    def log(e, final):
        mu, sd = predict(x[:, :ctx], y[:, :ctx], x)
        mut, sdt = predict(xt[:, :ctx], yt[:, :ctx], xt[:, ctx:])
        run.log(e, nll(mu, sd, y).mean() - true_nll(y, f),
                nll(mut, sdt, yt[:, ctx:]).mean() - true_nll(yt[:, ctx:], ftt[:, ctx:]), final=final)

    def loop_step(idx):
        step(torch.arange(M) if idx is None else idx)

    epoch_loop(g, M, c, loop_step, log)


def runs_neural_process():
    # The logic: a conditional neural process whose encoder and decoder are two ReLU layers of 32 units (a
    # representation of 16; 3,378 weights) trained on 32 fixed tasks of 20 noisy points each (noise 0.3): sines of
    # amplitude 0.5-2, any phase and a frequency within 30% of 1. It first learns the tasks' average (a wide Gaussian
    # about zero), then to read amplitude and phase from the context, the held-out tasks' NLL falling; with so few tasks
    # it can then memorise them, each training task told apart by its context and its noisy points fitted with a
    # shrinking scale, and the held-out NLL rises; the frequency, a weaker effect on 20 points over [-2, 2], is read
    # late if at all. The number of tasks sets where it can just fit its training set. The grid moves one thing at a
    # time: the tasks (16, 24, 48, 64), 10 points per task (5 of them the context), the noise (0.1, 0.5), a fixed
    # frequency and one within 60% of 1, a slow part (a linear trend S b x / 2 at S 0.5, b a standard normal per task),
    # the width (64 with a representation of 32; 16 with 8), the step (0.0005, 0.005), minibatches of 8 tasks (300
    # epochs), heavy ball at 0.05, and 5 context points at evaluation.
    base = dict(M=32, n=20, ctx=10, fw=0.3, S=0.0, noise=0.3, h=32, r=16, opt="adam", lr=0.002, batch=None,
                epochs=1000, eval="log:35")
    return neural_process, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(M=16, eval="every:10"),
        dict(M=24, eval="jitter:35"),
        dict(M=48, eval="mixed:30:10"),
        dict(M=64, eval="geom:12"),
        dict(n=10, ctx=5, eval="rand:100"),
        dict(noise=0.1, eval="log:35"),
        dict(noise=0.5, eval="every:8"),
        dict(fw=0.0, eval="mixlog:30:30"),
        dict(fw=0.6, eval="jitter:30"),
        dict(S=0.5, eval="every:10"),
        dict(h=64, r=32, eval="log:35"),
        dict(h=16, r=8, eval="mixed:40:10"),
        dict(lr=0.0005, eval="every:10"),
        dict(lr=0.005, eval="geom:10"),
        dict(batch=8, epochs=300, eval="log:35"),
        dict(opt="momentum", lr=0.05, eval="every:10"),
        dict(ctx=5, eval="rand:120"),
    ], lambda d: "M%d-n%d-ctx%d-fw%g-S%g-noise%g-h%d-r%d-%s-lr%g-b%s" % (
        d["M"], d["n"], d["ctx"], d["fw"], d["S"], d["noise"], d["h"], d["r"], d["opt"], d["lr"],
        d.get("batch") or "all"))


# ---------------------------------------------------------------------------------------------------- transe-kg


def kg_data(g, c):
    """A synthetic knowledge graph, drawn from g: N entities at latent positions, k standard normals each, and R
    relations, each a latent translation of k normals times c['tscale']; the fact (h, r, t) holds for the entity t
    nearest to position(h) + translation(r) (t other than h), one fact per head and relation, N R in all. A share
    c['train'] of them, drawn at random, are the training triples, the rest the held-out ones; then a share c['corrupt']
    of the training triples get their tail (or, with probability one half, their head) replaced by another entity drawn
    uniformly: false facts. Clustered (C set): each entity's position has k more coordinates in front, the centre of
    its cluster (entity i in cluster i mod C; C centres of k normals times cs), and each relation's translation k more,
    normals times cs tscale, so that a fact's tail lies in the cluster that the centres' translation picks and, within
    it, at the member that the other k coordinates pick. Returns (training triples, held-out triples, every true
    triple), each (m, 3) as (h, r, t)."""
    N, R, k, C = c["N"], c["R"], c["k"], c.get("C")
    pos = torch.randn(N, k, generator=g, dtype=F64)
    trans = c["tscale"] * torch.randn(R, k, generator=g, dtype=F64)
    if C:  # clustered: the first k coordinates a cluster's centre (scale cs), then k more at scale 1 within it
        centre = c["cs"] * torch.randn(C, k, generator=g, dtype=F64)
        pos = torch.cat([centre[torch.arange(N) % C], pos], 1)
        trans = torch.cat([c["cs"] * c["tscale"] * torch.randn(R, k, generator=g, dtype=F64), trans], 1)
    h = torch.arange(N).repeat(R)
    r = torch.arange(R).repeat_interleave(N)
    d = torch.cdist(pos[h] + trans[r], pos)
    d[torch.arange(N * R), h] = math.inf
    t = d.argmin(1)
    true = torch.stack([h, r, t], 1)
    perm = torch.randperm(N * R, generator=g)
    m = int(round(c["train"] * N * R))
    tr, te = true[perm[:m]].clone(), true[perm[m:]]
    bad = torch.rand(m, generator=g) < (c.get("corrupt") or 0.0)
    col = torch.where(torch.rand(m, generator=g) < 0.5, 0, 2)
    other = torch.randint(N - 1, (m,), generator=g)
    rows = bad.nonzero().squeeze(1)
    for i in rows.tolist():
        j = int(col[i])
        tr[i, j] = (tr[i, j] + 1 + other[i]) % N
    return tr, te, true


def transe_kg(w, run_id, c):
    """TransE (Bordes et al. 2013), float64: entity vectors e (N x d) uniform in +-6 / sqrt(d) and relation vectors w
    (R x d) the same, then normalised to unit length (the paper's initialisation), from the run's generator; a triple
    (h, r, t) scored by the distance dist = |e_h + w_r - e_t| (the L1 or L2 norm, c['norm']). Where c['unit'], the
    entity vectors are renormalised to unit L2 length before each minibatch (TransE's constraint; evaluated so too);
    otherwise they are free (a close variant). Data: kg_data. Loss: for each training triple
    in the minibatch c['neg'] negatives, each the triple with its head or tail (with probability one half each)
    replaced by an entity drawn uniformly; the margin ranking loss max(0, gamma + dist(pos) - dist(neg)) averaged over
    them (loss 'margin'), or the logistic loss softplus(dist(pos) - gamma) + softplus(gamma - dist(neg)) ('logistic').
    Optimizer: plain SGD at step lr (opt 'sgd'), Adam ('adam') or SGD with momentum 0.9 ('momentum'), minibatches.
    Train loss: the training triples' (the false ones among them) filtered margin ranking loss; test loss: the held-out
    triples' filtered margin ranking loss: for a triple, the mean of max(0, gamma + dist(h, r, t) - dist(corrupted))
    over every corruption of its tail and of its head by another entity that does not make a true triple (nor, for the
    training triples, another training triple), averaged over the triples; error rates: the share of triples whose
    true tail is not the nearest entity to e_h + w_r among the filtered candidates."""
    g = torch.Generator().manual_seed(443_000 + c["seed"])
    tr, te, true = kg_data(g, c)
    N, R, d, gamma = c["N"], c["R"], c["d"], c["gamma"]
    bound = 6 / math.sqrt(d)
    E = (torch.rand(N, d, generator=g, dtype=F64) * 2 - 1) * bound
    Wr = (torch.rand(R, d, generator=g, dtype=F64) * 2 - 1) * bound
    Wr = Wr / Wr.norm(dim=1, keepdim=True)
    params = leaves([E, Wr])
    if c["opt"] == "sgd":
        opt = torch.optim.SGD(params, lr=c["lr"])
    else:
        opt = plain_opt(c, params)
    p = 1 if c["norm"] == "l1" else 2

    def dist(a):
        return a.norm(p=p, dim=-1)

    def renorm():
        if c.get("unit"):
            with torch.no_grad():
                E.div_(E.norm(dim=1, keepdim=True))

    def known(triples):
        """Masks (m x N) of the candidate tails and heads that make a known triple other than the triple itself."""
        key = set(map(tuple, true.tolist())) | set(map(tuple, tr.tolist())) | set(map(tuple, triples.tolist()))
        tails = torch.zeros(len(triples), N, dtype=torch.bool)
        heads = torch.zeros(len(triples), N, dtype=torch.bool)
        by_hr, by_rt = {}, {}
        for a, b, q in key:
            by_hr.setdefault((a, b), []).append(q)
            by_rt.setdefault((b, q), []).append(a)
        for i, (a, b, q) in enumerate(triples.tolist()):
            tails[i, by_hr[(a, b)]] = True
            heads[i, by_rt[(b, q)]] = True
        return tails, heads

    masks_tr, masks_te = known(tr), known(te)

    def ranking(triples, masks, E):
        h, r, t = triples[:, 0], triples[:, 1], triples[:, 2]
        pos = dist(E[h] + Wr[r] - E[t])
        dt = torch.cdist(E[h] + Wr[r], E, p=p)  # every tail, (m, N)
        dh = torch.cdist(E[t] - Wr[r], E, p=p)  # every head: |e_i + w_r - e_t|
        lt = torch.relu(gamma + pos.unsqueeze(1) - dt).masked_fill(masks[0], 0)
        lh = torch.relu(gamma + pos.unsqueeze(1) - dh).masked_fill(masks[1], 0)
        count = (~masks[0]).sum(1) + (~masks[1]).sum(1)
        loss = ((lt.sum(1) + lh.sum(1)) / count).mean()
        err = (dt.masked_fill(masks[0], math.inf).min(1).values < pos).double().mean()
        return loss, err

    def step(idx):
        renorm()
        b = tr[idx]
        k = c["neg"]
        pos = b.repeat(k, 1)
        neg = pos.clone()
        col = torch.where(torch.rand(len(neg), generator=g) < 0.5, 0, 2)
        ent = torch.randint(N, (len(neg),), generator=g)
        neg[torch.arange(len(neg)), col] = ent
        dp = dist(E[pos[:, 0]] + Wr[pos[:, 1]] - E[pos[:, 2]])
        dn = dist(E[neg[:, 0]] + Wr[neg[:, 1]] - E[neg[:, 2]])
        if c["loss"] == "margin":
            loss = torch.relu(gamma + dp - dn).mean()
        else:
            loss = (fn.softplus(dp - gamma) + fn.softplus(gamma - dn)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    run = w.run(run_id, N * d + R * d, len(tr),
                {"family": "transe", "entities": N, "relations": R, "dim": d},
                settings(c, ("seed", "N", "R", "k", "tscale", "train", "corrupt", "d", "norm", "unit", "gamma",
                             "loss", "neg", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "test_loss": "heldout-filtered-margin-rank", "heldout_triples": str(len(te))})

    def log(e, final):
        Ev = E / E.norm(dim=1, keepdim=True) if c.get("unit") else E  # as the next step would use them
        ltr, etr = ranking(tr, masks_tr, Ev)
        lte, ete = ranking(te, masks_te, Ev)
        run.log(e, ltr, lte, etr, ete, final=final)

    epoch_loop(g, len(tr), c, step, log)


def runs_transe_kg():
    # The logic: 60 entities at latent positions in 3 dimensions and 12 relations, latent translations at half their
    # scale, give 720 facts; 432 of them (60%) are the training triples, 20% of those corrupted into false facts, and
    # TransE in 8 dimensions (576 weights) can fit the true structure (3 dimensions are enough for it) and, with the
    # room left over, the false facts. Adam at 0.03 on minibatches of 200 triples with 5 negatives each: the held-out
    # ranking loss falls as the geometry is learned, the easy corruptions first (most uniformly drawn negatives are far
    # from the truth), then rises as the false facts are fitted, each pulling an entity towards a wrong place. The grid
    # moves one thing at a time: the dimension (3: no room for the false facts; 5, 16, 64), the false facts (none,
    # 40%), the training share (30%, 80%), the negatives (1, 20), the margin (0.5, 2), the L1 distance, entity vectors
    # held at unit length (TransE's constraint), the logistic loss, plain SGD at step 1 (TransE's optimizer), the
    # entities in 3 clusters (the facts within a cluster told apart only by negatives from the same cluster, a third of
    # them, learned later) and 24 relations (1,440 facts).
    base = dict(N=60, R=12, k=3, C=None, cs=None, tscale=0.5, train=0.6, corrupt=0.2, d=8, norm="l2", unit=None,
                gamma=1.0, loss="margin", neg=5, opt="adam", lr=0.03, batch=200, epochs=1000, eval="log:35")
    return transe_kg, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(d=3, eval="every:10"),
        dict(d=5, eval="jitter:35"),
        dict(d=16, eval="mixed:30:10"),
        dict(d=64, eval="geom:12"),
        dict(corrupt=0.0, eval="log:35"),
        dict(corrupt=0.4, eval="every:8"),
        dict(train=0.3, eval="rand:120"),
        dict(train=0.8, eval="mixlog:30:30"),
        dict(neg=1, eval="jitter:30"),
        dict(neg=20, eval="every:10"),
        dict(gamma=0.5, eval="log:35"),
        dict(gamma=2.0, eval="mixed:40:10"),
        dict(norm="l1", eval="every:10"),
        dict(unit=True, eval="geom:10"),
        dict(loss="logistic", eval="log:35"),
        dict(opt="sgd", lr=1.0, eval="every:10"),
        dict(C=3, cs=10.0, eval="rand:120"),
        dict(R=24, eval="log:35"),
    ], lambda d: "N%d-R%d-k%d%s-train%g-corrupt%g-d%d-%s%s-g%g-%s-neg%d-%s-lr%g-b%d" % (
        d["N"], d["R"], d["k"], "-C%d" % d["C"] if d.get("C") else "", d["train"], d.get("corrupt") or 0, d["d"],
        d["norm"], "-unit" if d.get("unit") else "", d["gamma"], d["loss"], d["neg"], d["opt"], d["lr"], d["batch"]))


FAMILIES = {"pinn-poisson": runs_pinn_poisson, "neural-process": runs_neural_process, "transe-kg": runs_transe_kg}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
