#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighty-sixth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is meta-learning and generated weights: MAML (second-order or
first-order) and Reptile over few-shot tasks, and hypernetworks that output the weights of a small target network from
a task or layer embedding; the evaluated loss is that of the adapted or generated model on held-out tasks:

- maml2-teacher-tasks: MAML (Finn, Abbeel & Levine 2017) on a finite pool of few-shot regression tasks, each a random
  tanh teacher 2 -> 4 -> 1 drawn around a shared mean (its spread the task diversity), K noisy support and Q noisy
  query points a task; a ReLU or tanh MLP 2 -> h -> h -> 1 whose initialisation is meta-learnt: k inner gradient steps
  of size alpha on the support's squared error, the query's squared error after them back-propagated through the inner
  steps (second order, create_graph) or not (first order, FOMAML), or only the head adapted (ANIL), or per-weight inner
  steps learnt too (Meta-SGD); Adam (or momentum SGD) on meta-batches of tasks. Train loss: the query mean squared
  error after adaptation on the meta-training tasks (noisy query targets); test loss: the same on 64 held-out tasks,
  adapted on their noisy support, against the clean targets of their query points.
- reptile-nway-digits: Reptile (Nichol, Achiam & Schulman 2018) on 3-way 5-shot classification tasks drawn from a small
  pool of scikit-learn's digits 0-6 (a share of the pool's labels replaced by another of those classes), the task's
  classes and their order drawn afresh for every task (or from a finite set of tasks in part of the grid); a ReLU MLP 64
  -> h -> 3 adapted by k steps of SGD (Adam in 1 run) on the task's support, the meta-weights moved by epsilon times the
  mean of the adapted weights minus them (or that difference fed to Adam as a gradient). Train loss: the query
  cross-entropy after adaptation on 30 fixed tasks from the pool (at the pool's labels); test loss: the same on 30 fixed
  tasks of the held-out digits 7, 8 and 9 (true labels); error rates: the query misclassified shares.
- hypernet-bump-tasks: a hypernetwork that outputs all the weights of a small tanh target network 1 -> h -> 1 (or 1 -> h
  -> h -> h -> 1, its layers generated chunk by chunk from the task embedding joined to a learnt layer embedding, Ha,
  Dai & Le 2017) from a task embedding: the task's descriptor (the bump's height, centre, width and slope, standardised,
  with descriptor noise) or a DeepSets encoding of K of its noisy points; the generated weights a learnt base plus the
  hypernetwork's output; trained by Adam (or momentum SGD) on minibatches of a finite set of training tasks, each with M
  noisy points of a Gaussian bump plus a slope. Train loss: the mean squared error of the generated networks on the
  training tasks' noisy points; test loss: the same on 100 held-out tasks at 40 grid points against the clean function.

A run whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, logger and
train_until (train_thirtyninth.py's epoch_loop, with eval_epochs) from train_seventyfourth.py; one thread, every
random draw from a seeded torch.Generator (teachers, tasks, points, noise, splits, label flips, initialisations,
task and minibatch draws), synthetic event times, 6 significant digits. No planned last epoch is told: the last
event's final marks it.

    /usr/bin/python3 train_eightysixth.py --family maml2-teacher-tasks [--list] [--runs 0,3] [--out FILE]

Families (see README.md): maml2-teacher-tasks, reptile-nway-digits, hypernet-bump-tasks. Evaluation spacings:
train.py's 'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's
'mixed:A:K', 'mixlog:A:K', 'geom:G', 'burst:P:B'.
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
from train_thirtyninth import flip_labels  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_sixtyseventh import mlp_init  # noqa: E402  (U(+-1 / sqrt(fan-in)) weights and biases, as leaves)

torch.set_num_threads(1)

F32 = torch.float32


# ---------------------------------------------------------------------------------------------------- shared


def batched_mlp(params, z, act):
    """An MLP with one set of weights per task: params [W (B x a x b), bias (B x b), ...], z (B x m x a)."""
    for i in range(0, len(params), 2):
        z = torch.baddbmm(params[i + 1].unsqueeze(1), z, params[i])
        if i + 2 < len(params):
            z = act(z)
    return z


def expand(params, B):
    return [q.unsqueeze(0).expand(B, *q.shape) for q in params]


def make_outer(c, params):
    if c["outer"] == "adam":
        return torch.optim.Adam(params, lr=c["meta_lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=c["meta_lr"], momentum=0.9, weight_decay=c.get("wd") or 0.0)


ACT = {"relu": torch.relu, "tanh": torch.tanh}


# ---------------------------------------------------------------------------------------------------- maml2-teacher-tasks


def teacher_tasks(g, m, per, spread, d=2, u=4, mean=None):
    """m tasks of `per` points each: x U(-2, 2)^d, the clean target a tanh teacher tanh(x W + b) . a whose W, b, a are
    the shared mean plus spread times N(0, 1) (from g); returns x (m x per x d), clean y (m x per) and the mean."""
    if mean is None:
        mean = (torch.randn(d, u, generator=g), torch.randn(u, generator=g) * 0.5, torch.randn(u, generator=g))
    W = mean[0] + spread * torch.randn(m, d, u, generator=g)
    b = mean[1] + spread * torch.randn(m, u, generator=g) * 0.5
    a = mean[2] + spread * torch.randn(m, u, generator=g)
    x = torch.rand(m, per, d, generator=g) * 4 - 2
    y = (torch.tanh(torch.bmm(x, W) + b.unsqueeze(1)) * a.unsqueeze(1)).sum(2)
    return x, y, mean


def maml2_teacher_tasks(w, run_id, c):
    """MAML on few-shot regression tasks, float32. Tasks (from the run's generator): teacher_tasks, T meta-training tasks
    of K support and Q query points, Gaussian noise of sd 'noise' on all their targets; 64 held-out tasks of K noisy
    support points and Q = 25 query points with clean targets. Model: ReLU or tanh MLP 2 -> h -> h -> 1 (mlp_init).
    Adaptation of each task: k steps phi <- phi - alpha grad of the support's mean squared error ('inner' 'second':
    through the graph of the steps, create_graph; 'first': the gradients detached, FOMAML; 'anil': only the head adapted,
    second order; 'metasgd': second order with a learnt per-weight step, initialised at alpha). Meta-loss: the mean over
    the meta-batch's tasks of their query mean squared error after adaptation; 'outer' Adam or momentum SGD (0.9) at
    meta_lr on meta-batches of 'mb' tasks (a permutation of the pool each epoch). Train loss: the query mean squared
    error after adaptation on the T meta-training tasks (noisy targets); test loss: the same on the held-out tasks
    against their clean targets. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(861_000 + c["seed"])
    T, K, Q = c["tasks"], c["K"], c["Q"]
    x, y, mean = teacher_tasks(g, T, K + Q, c["spread"])
    y = y + c["noise"] * torch.randn(y.shape, generator=g)
    xh, yh, _ = teacher_tasks(g, 64, K + 25, c["spread"], mean=mean)
    yh_sup = yh[:, :K] + c["noise"] * torch.randn(64, K, generator=g)
    h, act = c["hid"], ACT[c["act"]]
    params = mlp_init(g, [2, h, h, 1])
    steps = leaves([torch.full_like(q, c["alpha"]) for q in params]) if c["inner"] == "metasgd" else None
    opt = make_outer(c, params + (steps or []))
    second = c["inner"] != "first"

    def adapt(xs, ys, create):
        phi = expand(params, len(xs))
        for _ in range(c["k"]):
            loss = ((batched_mlp(phi, xs, act)[..., 0] - ys) ** 2).mean(1).sum()
            if c["inner"] == "anil":
                gr = torch.autograd.grad(loss, phi[-2:], create_graph=create)
                phi = phi[:-2] + [q - c["alpha"] * d for q, d in zip(phi[-2:], gr)]
                continue
            gr = torch.autograd.grad(loss, phi, create_graph=create)
            if steps is not None:
                phi = [q - s * d for q, s, d in zip(phi, steps, gr)]
            else:
                phi = [q - c["alpha"] * d for q, d in zip(phi, gr)]
        return phi

    def query_mse(xt, yt, xs, ys):
        with torch.enable_grad():
            phi = adapt(xs, ys, False)
        return float(((batched_mlp([q.detach() for q in phi], xt, act)[..., 0] - yt) ** 2).mean())

    def step(idx):
        idx = torch.arange(T) if idx is None else idx
        xb, yb = x[idx], y[idx]
        phi = adapt(xb[:, :K], yb[:, :K], second)
        meta = ((batched_mlp(phi, xb[:, K:], act)[..., 0] - yb[:, K:]) ** 2).mean()
        opt.zero_grad()
        meta.backward()
        opt.step()

    run = w.run(run_id, count(params), T * (K + Q), {"family": "mlp", "hidden": h, "depth": 2, "activation": c["act"],
                                                     "meta": "maml"},
                settings(c, ("seed", "tasks", "K", "Q", "spread", "noise", "hid", "act", "inner", "k", "alpha", "outer",
                             "meta_lr", "wd", "mb", "eval"))
                | {"optimizer": "maml-" + c["outer"], "inner_optimizer": "sgd",
                   "order": "first" if c["inner"] == "first" else "second",
                   "loss": "mse", "test_loss": "heldout-tasks-query-mse-clean-after-adaptation",
                   "test_tasks": "64", "test_size": str(64 * 25)})
    log_ = logger(run)

    def log(e, final):
        log_(e, query_mse(x[:, K:], y[:, K:], x[:, :K], y[:, :K]), query_mse(xh[:, K:], yh[:, K:], xh[:, :K], yh_sup),
             final=final)

    train_until(g, T, dict(c, batch=c["mb"]), step, log)


def runs_maml2_teacher_tasks():
    # The logic: a finite pool of 12 meta-training tasks, each a tanh teacher drawn around a shared mean (spread 0.5),
    # 5 support and 10 query points, target noise sd 0.3 on both; a ReLU MLP 2 -> 40 -> 40 -> 1 (1,801 weights) whose
    # initialisation is meta-learnt by second-order MAML (3 inner steps of 0.1) under Adam at 3e-3 on meta-batches of 4
    # tasks, 200 epochs (3 meta-steps an epoch): the meta-learner first learns the shared mean, which transfers to new
    # tasks, then memorises the 12 tasks and their noisy query points (an init from which 3 steps reach each of them),
    # the held-out query error rising as it does; with a slow part in what transfers (the tasks' spread) a later fall
    # can come. One thing at a time besides: first order, ANIL, Meta-SGD, 1 and 5 inner steps, the inner step 0.03 and
    # 0.3, 6 and 36 tasks (meta-batches of 2 and 12), clean and noisier (0.6) targets, spread 0.2 and 1, 10 support points, tanh, width 80, momentum
    # SGD outer at 0.01, weight decay 1e-3, full meta-batches. Evaluation spacing mixed.
    base = dict(tasks=12, K=5, Q=10, spread=0.5, noise=0.3, hid=40, act="relu", inner="second", k=3, alpha=0.1,
                outer="adam", meta_lr=3e-3, wd=None, mb=4, epochs=200, eval="every:2")
    return maml2_teacher_tasks, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(inner="first", eval="every"),
        dict(inner="anil", eval="mixed:40:3"),
        dict(inner="metasgd", eval="every:2"),
        dict(k=1, eval="jitter:40"),
        dict(k=5, eval="every:3"),
        dict(alpha=0.03, eval="log:40"),
        dict(alpha=0.3, eval="every:2"),
        dict(tasks=6, mb=2, eval="every"),
        dict(tasks=36, mb=12, eval="geom:3"),
        dict(noise=0.0, eval="every:2"),
        dict(noise=0.6, eval="burst:20:5"),
        dict(spread=0.2, eval="every:3"),
        dict(spread=1.0, eval="every:2"),
        dict(K=10, eval="mixlog:30:40"),
        dict(act="tanh", eval="every:2"),
        dict(hid=80, eval="every"),
        dict(outer="sgd", meta_lr=0.01, eval="rand:100"),
        dict(wd=1e-3, eval="every:2"),
        dict(mb=12, eval="every"),
    ], lambda d: "T%d-K%d-spread%g%s-%s%d-%s-k%d-a%g-%s%g%s-mb%d" % (
        d["tasks"], d["K"], d["spread"], "-noise%g" % d["noise"] if d["noise"] else "-clean", d["act"], d["hid"],
        d["inner"], d["k"], d["alpha"], d["outer"], d["meta_lr"], "-wd%g" % d["wd"] if d.get("wd") else "", d["mb"]))


# ---------------------------------------------------------------------------------------------------- reptile-nway-digits


def digit_pool(g, per_class, flip):
    """scikit-learn's digits (pixels / 16, flattened): per_class images of each digit 0-6 at random as the meta-training
    pool, a share flip of their labels replaced by another of the classes 0-6 (flip_labels); every image of the digits
    7-9 held out. Returns (pool x, pool labels (noisy), held-out x, held-out labels)."""
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F32) / 16, torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    X, Y = X[perm], Y[perm]
    pool = torch.cat([torch.nonzero(Y == k)[:per_class, 0] for k in range(7)])
    held = torch.nonzero(Y >= 7)[:, 0]
    yp = flip_labels(g, Y[pool], 7, flip)
    return X[pool], yp, X[held], Y[held] - 7


def draw_tasks(g, x, y, classes, m, shot, query, ways=3):
    """m N-way tasks from (x, y): each the task's classes (ways of `classes`, in a random order: the order is the task's
    labels) and shot + query images of each at random (without repeats while the class has enough); returns support x, y (m x ways*shot) and query x, y."""
    idx_of = {k: torch.nonzero(y == k)[:, 0] for k in classes}
    sx, sy, qx, qy = [], [], [], []
    for _ in range(m):
        pick = torch.randperm(len(classes), generator=g)[:ways]
        s_i, q_i, s_l, q_l = [], [], [], []
        for lab, ci in enumerate(pick.tolist()):
            pool = idx_of[classes[ci]]
            take_ = pool[torch.randperm(len(pool), generator=g)[:shot + query]]
            if len(take_) < shot + query:  # a class the flips left short: the rest drawn again, with repeats
                take_ = torch.cat([take_, pool[torch.randint(len(pool), (shot + query - len(take_),), generator=g)]])
            s_i.append(take_[:shot])
            q_i.append(take_[shot:])
            s_l += [lab] * shot
            q_l += [lab] * len(take_[shot:])
        sx.append(x[torch.cat(s_i)])
        qx.append(x[torch.cat(q_i)])
        sy.append(torch.tensor(s_l))
        qy.append(torch.tensor(q_l))
    return torch.stack(sx), torch.stack(sy), torch.stack(qx), torch.stack(qy)


def relu_ce_grads(phi, x, onehot):
    """The gradients, written out, of each task's mean cross-entropy of a batched ReLU MLP (batched_mlp's weights phi)
    on x (B x m x a) with one-hot targets (B x m x K), one set a task."""
    acts, z = [x], x
    for i in range(0, len(phi), 2):
        z = torch.baddbmm(phi[i + 1].unsqueeze(1), z, phi[i])
        if i + 2 < len(phi):
            z = torch.relu(z)
            acts.append(z)
    d = (torch.softmax(z, 2) - onehot) / x.shape[1]
    grads = [None] * len(phi)
    for i in reversed(range(0, len(phi), 2)):
        a = acts[i // 2]
        grads[i], grads[i + 1] = torch.bmm(a.transpose(1, 2), d), d.sum(1)
        if i > 0:
            d = torch.bmm(d, phi[i].transpose(1, 2)) * (a > 0)
    return grads


def reptile_nway_digits(w, run_id, c):
    """Reptile on 3-way 5-shot digit tasks, float32. Data (from the run's generator): digit_pool ('per' images of each
    digit 0-6, a share flip of their labels flipped among 0-6; the digits 7-9 held out). A task: 3 of the classes in a
    random order (its labels 0, 1, 2 by that order) as the pool's (noisy) labels name them, 5 support and 'query' query
    images of each (query 0 in training: Reptile adapts on the support only); drawn afresh for every meta-step, or
    ('fixed' set) from a set of that many tasks drawn once. Model:
    ReLU MLP 64 -> h (-> h where depth 2) -> 3 (mlp_init). Adaptation: k full-batch steps on the support's cross-entropy
    (its gradients written out, relu_ce_grads), SGD at inner_lr ('inner' 'sgd') or Adam ('adam', betas 0.9 and 0.999, fresh moments each task), batched over the
    meta-batch's tasks. Meta-update ('outer' 'interp'): theta <- theta + eps (mean of the adapted phi - theta); 'adam':
    theta - mean phi fed to Adam at meta_lr as the gradient. 'mb' tasks a meta-step, 'steps' meta-steps an epoch.
    Evaluation: 30 fixed tasks of the pool and 30 of the held-out digits 7-9 (5 support, 10 query images a class),
    adapted from theta by the same k steps; train loss: the query cross-entropy of the pool's tasks at the pool's labels;
    test loss: the same of the held-out tasks (true labels); error rates: the query misclassified shares. A NaN or
    infinite loss ends the run."""
    g = torch.Generator().manual_seed(862_000 + c["seed"])
    xp, yp, xh, yh = digit_pool(g, c["per"], c.get("flip"))
    shot = 5
    ev_pool = draw_tasks(g, xp, yp, list(range(7)), 30, shot, 10)
    ev_held = draw_tasks(g, xh, yh, [0, 1, 2], 30, shot, 10)
    fixed = draw_tasks(g, xp, yp, list(range(7)), c["fixed"], shot, 0) if c.get("fixed") else None
    h, act = c["hid"], torch.relu
    params = mlp_init(g, [64] + [h] * c["depth"] + [3])
    opt = torch.optim.Adam(params, lr=c["meta_lr"]) if c["outer"] == "adam" else None

    def adapt(sx, sy):
        phi = [q.detach().unsqueeze(0).repeat(len(sx), *([1] * q.dim())) for q in params]
        onehot = fn.one_hot(sy, 3).to(F32)
        m = [torch.zeros_like(q) for q in phi]
        v = [torch.zeros_like(q) for q in phi]
        for t in range(1, c["k"] + 1):
            gr = relu_ce_grads(phi, sx, onehot)
            for i, (q, d) in enumerate(zip(phi, gr)):
                if c["inner"] == "adam":
                    m[i] = 0.9 * m[i] + 0.1 * d
                    v[i] = 0.999 * v[i] + 0.001 * d * d
                    d = (m[i] / (1 - 0.9 ** t)) / ((v[i] / (1 - 0.999 ** t)).sqrt() + 1e-8)
                q.sub_(c["inner_lr"] * d)
        return phi

    def evaluate(tasks):
        sx, sy, qx, qy = tasks
        phi = adapt(sx, sy)
        out = batched_mlp(phi, qx, act).reshape(-1, 3)
        return fn.cross_entropy(out, qy.reshape(-1)), (out.argmax(1) != qy.reshape(-1)).float().mean()

    def step(idx):
        mb = c["mb"]
        if fixed is not None:
            pick = torch.randperm(c["fixed"], generator=g)[:mb]
            sx, sy = fixed[0][pick], fixed[1][pick]
        else:
            sx, sy, _, _ = draw_tasks(g, xp, yp, list(range(7)), mb, shot, 0)
        phi = adapt(sx, sy)
        with torch.no_grad():
            diff = [q - p.mean(0) for q, p in zip(params, phi)]  # theta - mean phi
            if opt is None:
                for q, d in zip(params, diff):
                    q.sub_(c["eps"] * d)
        if opt is not None:
            for q, d in zip(params, diff):
                q.grad = d.clone()
            opt.step()

    run = w.run(run_id, count(params), 7 * c["per"], {"family": "mlp", "hidden": h, "depth": c["depth"],
                                                      "activation": "relu", "meta": "reptile"},
                settings(c, ("seed", "per", "flip", "fixed", "hid", "depth", "inner", "k", "inner_lr", "outer", "eps",
                             "meta_lr", "mb", "steps", "eval"))
                | {"optimizer": "reptile-" + c["outer"], "ways": "3", "shots": str(shot),
                   "loss": "cross-entropy", "test_loss": "heldout-classes-query-ce-after-adaptation",
                   "error": "misclassified", "test_tasks": "30", "test_size": str(30 * 30)}, output_dim=3)
    log_ = logger(run)

    def log(e, final):
        lt, et = evaluate(ev_pool)
        lh, eh = evaluate(ev_held)
        log_(e, lt, lh, et, eh, final=final)

    train_until(g, c["steps"], dict(c, batch=1), step, log)


def runs_reptile_nway_digits():
    # The logic: a pool of 30 images of each digit 0-6 (210 images), 30% of their labels flipped among 0-6; 3-way 5-shot
    # tasks drawn from it afresh; a ReLU MLP 64 -> 64 -> 3 (4,355 weights) meta-learnt by Reptile, 8 SGD steps of 0.1 on
    # a task's support, eps 0.5 on meta-batches of 4 tasks, 10 meta-steps an epoch, 120 epochs; evaluated on 30 fixed
    # tasks of the unseen digits 7-9. The init learns stroke features that 8 steps turn into a 3-way classifier, then
    # (the pool small and partly mislabelled) features of the pool's own images and their wrong labels, which transfer
    # less. One thing at a time besides: a finite set of 20 and 60 tasks drawn once (their supports), clean and
    # 50% flipped labels, 15 and 80 images a class, 3 and 15 inner steps, the inner step 0.03 and 0.3, inner Adam at
    # 3e-3, eps 0.2 and 1, the meta-difference under Adam at 1e-3, width 256, depth 2, meta-batches of 1 (20 meta-steps
    # an epoch) and 16 (3 meta-steps an epoch).
    # Evaluation spacing mixed.
    base = dict(per=30, flip=0.3, fixed=None, hid=64, depth=1, inner="sgd", k=8, inner_lr=0.1,
                outer="interp", eps=0.5, meta_lr=None, mb=4, steps=10, epochs=120, eval="every")
    return reptile_nway_digits, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(fixed=20, eval="every:2"),
        dict(fixed=60, eval="jitter:40"),
        dict(flip=None, eval="every"),
        dict(flip=0.5, eval="every:2"),
        dict(per=15, eval="mixed:30:3"),
        dict(per=80, eval="every"),
        dict(k=3, eval="every:3"),
        dict(k=15, eval="geom:2"),
        dict(inner_lr=0.03, eval="every"),
        dict(inner_lr=0.3, eval="every:2"),
        dict(inner="adam", inner_lr=3e-3, eval="log:40"),
        dict(eps=0.2, eval="every"),
        dict(eps=1.0, eval="burst:15:5"),
        dict(outer="adam", eps=None, meta_lr=1e-3, eval="every:2"),
        dict(hid=256, eval="mixlog:20:30"),
        dict(depth=2, eval="every"),
        dict(mb=1, steps=20, eval="rand:60"),
        dict(mb=16, steps=3, eval="every:2"),
    ], lambda d: "digits07-per%d%s%s-mlp%dx%d-%s%d-lr%g-%s%s-mb%d" % (
        d["per"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", "-fixed%d" % d["fixed"] if d.get("fixed") else "",
        d["depth"], d["hid"], d["inner"], d["k"], d["inner_lr"], d["outer"],
        "%g" % (d["eps"] if d["outer"] == "interp" else d["meta_lr"]), d["mb"]))


# ---------------------------------------------------------------------------------------------------- hypernet-bump-tasks


def bump_tasks(g, m):
    """m task descriptors (height a U(0.5, 2), centre U(-2, 2), width U(0.3, 1), slope U(-0.5, 0.5)) from g."""
    lo = torch.tensor([0.5, -2.0, 0.3, -0.5])
    hi = torch.tensor([2.0, 2.0, 1.0, 0.5])
    return lo + (hi - lo) * torch.rand(m, 4, generator=g)


def bump(z, x):
    """f(x) = a exp(-(x - c)^2 / (2 w^2)) + s x for descriptors z (m x 4) at x (m x p)."""
    a, cc, wd, s = (z[:, i:i + 1] for i in range(4))
    return a * torch.exp(-(x - cc) ** 2 / (2 * wd ** 2)) + s * x


def hypernet_bump_tasks(w, run_id, c):
    """A hypernetwork generating a tanh regression network's weights, float32. Tasks (from the run's generator): T
    training tasks (bump_tasks), each with M points x U(-3, 3) and targets bump + Gaussian noise of sd 'noise'; 100
    held-out tasks with K noisy context points and the clean function at 40 grid points on [-3, 3]. Task embedding
    ('embed'): 'desc' the descriptor standardised (to mean 0, sd 1 under the uniform prior) plus N(0, dnoise^2) noise
    drawn once per task; 'set' a DeepSets encoder, the mean over the task's first K (noisy) points of a ReLU MLP
    (x, y) -> 32 -> 16. Target network: 1 -> h -> 1 tanh ('full': the hypernetwork, 16-or-4 -> 'hh' ReLU -> all the
    target's weights, its last layer's initialisation times 0.1) or 1 -> h -> h -> h -> 1 tanh ('chunk': each layer's
    weights the first fan-in x fan-out + fan-out entries of a chunk of h x h + h generated from the task embedding
    joined to the layer's learnt 8-dimensional embedding); the generated weights a learnt base (U(+-1 / sqrt(fan-in)))
    plus the hypernetwork's output. Loss: the mean squared error on all M points of each task; Adam (or momentum SGD
    0.9) at lr with weight decay wd on minibatches of 'mb' tasks. Train loss: the mean squared error on the training
    tasks' noisy points; test loss: the same on the held-out tasks' grid points against the clean function (their
    embeddings from their noisy context or descriptor). A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(863_000 + c["seed"])
    T, M, K, h = c["tasks"], c["M"], c["K"], c["h"]
    z = bump_tasks(g, T)
    x = torch.rand(T, M, generator=g) * 6 - 3
    y = bump(z, x) + c["noise"] * torch.randn(T, M, generator=g)
    zh = bump_tasks(g, 100)
    xc = torch.rand(100, K, generator=g) * 6 - 3
    yc = bump(zh, xc) + c["noise"] * torch.randn(100, K, generator=g)
    grid = torch.linspace(-3, 3, 40).expand(100, 40)
    yg = bump(zh, grid)
    mid, half = torch.tensor([1.25, 0.0, 0.65, 0.0]), torch.tensor([0.75, 2.0, 0.35, 0.5]) / math.sqrt(3)
    dn = c.get("dnoise") or 0.0
    desc = (z - mid) / half + dn * torch.randn(T, 4, generator=g)
    desch = (zh - mid) / half + dn * torch.randn(100, 4, generator=g)
    sizes = [1, h, 1] if c["gen"] == "full" else [1, h, h, h, 1]
    shapes = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    base = []
    for a, b in shapes:
        base += [uniform(g, a, a * b), uniform(g, a, b)]
    base = leaves(base)
    edim = 4 if c["embed"] == "desc" else 16
    enc = mlp_init(g, [2, 32, 16]) if c["embed"] == "set" else []
    if c["gen"] == "full":
        P = sum(a * b + b for a, b in shapes)
        hyper = mlp_init(g, [edim, c["hh"], P])
        lay = []
    else:
        P = h * h + h
        lay = leaves([torch.randn(len(shapes), 8, generator=g)])
        hyper = mlp_init(g, [edim + 8, c["hh"], P])
    with torch.no_grad():
        hyper[-2].mul_(0.1)
        hyper[-1].mul_(0.1)
    params = base + enc + hyper + lay
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9, weight_decay=c.get("wd") or 0.0)

    def embed(d, xs, ys):
        if c["embed"] == "desc":
            return d
        u = torch.stack([xs, ys], 2)  # B x K x 2
        return batched_mlp(expand(enc, len(xs)), u, torch.relu).mean(1)

    def generate(e):
        """The target networks' weights for embeddings e (B x edim): [W (B x a x b), bias (B x b), ...]."""
        B = len(e)
        out = []
        if c["gen"] == "full":
            flat = batched_mlp(expand(hyper, 1), e.unsqueeze(0), torch.relu)[0]
            o = 0
            for (a, b), i in zip(shapes, range(0, len(base), 2)):
                out.append(base[i].reshape(a, b) + flat[:, o:o + a * b].reshape(B, a, b))
                o += a * b
                out.append(base[i + 1] + flat[:, o:o + b])
                o += b
            return out
        for li, ((a, b), i) in enumerate(zip(shapes, range(0, len(base), 2))):
            inp = torch.cat([e, lay[0][li].expand(B, 8)], 1)
            ch = batched_mlp(expand(hyper, 1), inp.unsqueeze(0), torch.relu)[0]
            out.append(base[i].reshape(a, b) + ch[:, :a * b].reshape(B, a, b))
            out.append(base[i + 1] + ch[:, a * b:a * b + b])
        return out

    def predict(e, xs):
        return batched_mlp(generate(e), xs.unsqueeze(2), torch.tanh)[..., 0]

    def step(idx):
        idx = torch.arange(T) if idx is None else idx
        xb, yb = x[idx], y[idx]
        e = embed(desc[idx], xb[:, :K], yb[:, :K])
        loss = ((predict(e, xb) - yb) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()

    run = w.run(run_id, count(params), T * M, {"family": "hypernetwork", "target": "tanh-mlp-%s" % "-".join(
                    str(s) for s in sizes), "generator": c["gen"], "embedding": c["embed"], "hyper_hidden": c["hh"]},
                settings(c, ("seed", "tasks", "M") + (("K",) if c["embed"] == "set" else ("dnoise",))
                         + ("noise", "h", "gen", "embed", "hh", "opt", "lr", "wd", "mb", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "test_loss": "heldout-tasks-grid-mse-clean",
                   "test_tasks": "100", "test_size": str(100 * 40)})
    log_ = logger(run)

    def log(e, final):
        tr = ((predict(embed(desc, x[:, :K], y[:, :K]), x) - y) ** 2).mean()
        te = ((predict(embed(desch, xc, yc), grid) - yg) ** 2).mean()
        log_(e, tr, te, final=final)

    train_until(g, T, dict(c, batch=c.get("mb")), step, log)


def runs_hypernet_bump_tasks():
    # The logic: 24 training tasks, each 12 points of a Gaussian bump plus a slope with target noise sd 0.3; the task's
    # descriptor (height, centre, width, slope; standardised, descriptor noise sd 0.1) into a hypernetwork 4 -> 128 ->
    # 49 that writes all the weights of a tanh network 1 -> 16 -> 1 (base plus generated), Adam at 3e-3 on minibatches
    # of 4 tasks, 300 epochs (6 steps an epoch): the hypernetwork learns the family's shape from the descriptor, which
    # holds for new tasks, then fits each training task's 12 noisy points (7,010 weights for 288 points), the held-out
    # error rising as it does. One thing at a time besides: 12 and 60 tasks, 6 and 30 points a task, clean and noisier
    # (0.6) targets, no and heavy (0.5) descriptor noise, the DeepSets embedding of 6 of the task's points (and with 12),
    # layer-chunked generation of a 1 -> 16 -> 16 -> 16 -> 1 network (twice: descriptor and set embeddings), hypernetwork
    # width 32 and 512, momentum SGD at 0.01, weight decay 1e-3, full batches, the step 1e-3. Evaluation spacing mixed.
    base = dict(tasks=24, M=12, K=6, noise=0.3, dnoise=0.1, h=16, gen="full", embed="desc", hh=128, opt="adam",
                lr=3e-3, wd=None, mb=4, epochs=300, eval="every:2")
    return hypernet_bump_tasks, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(tasks=12, eval="every"),
        dict(tasks=60, eval="jitter:40"),
        dict(M=6, eval="every:3"),
        dict(M=30, eval="every:2"),
        dict(noise=0.0, eval="every:2"),
        dict(noise=0.6, eval="mixed:40:4"),
        dict(dnoise=None, eval="every"),
        dict(dnoise=0.5, eval="every:2"),
        dict(embed="set", eval="geom:3"),
        dict(embed="set", K=12, eval="every:3"),
        dict(gen="chunk", eval="every:2"),
        dict(gen="chunk", embed="set", eval="burst:25:5"),
        dict(hh=32, eval="log:40"),
        dict(hh=512, eval="every:2"),
        dict(opt="sgd", lr=0.01, eval="mixlog:30:40"),
        dict(wd=1e-3, eval="every"),
        dict(mb=None, eval="every:2"),
        dict(lr=1e-3, eval="rand:120"),
    ], lambda d: "T%d-M%d%s%s-%s-%s%s-h%d-hh%d-%s%g%s-mb%s" % (
        d["tasks"], d["M"], "-noise%g" % d["noise"] if d["noise"] else "-clean",
        "-dnoise%g" % d["dnoise"] if d.get("dnoise") and d["embed"] == "desc" else "", d["gen"], d["embed"],
        "%d" % d["K"] if d["embed"] == "set" else "", d["h"], d["hh"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else "", d["mb"] if d.get("mb") else "all"))


FAMILIES = {"maml2-teacher-tasks": runs_maml2_teacher_tasks, "reptile-nway-digits": runs_reptile_nway_digits,
            "hypernet-bump-tasks": runs_hypernet_bump_tasks}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
