#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixty-seventh held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 206 families of train.py ... train_sixtysixth.py in model, loss, noise
and data. The theme of the round is meta-learning and few-shot learning: a model is meta-trained on many small tasks
so that it adapts to a new task from a few examples, and is judged on fresh held-out tasks (or held-out classes)
after that adaptation. An "epoch" is a fixed number of meta-iterations (meta-batches of tasks or episodes); the
tasks come from a finite pool of training tasks or training images (fresh tasks in 1 run), so that the meta-learner
can fit the pool, with target or label noise, or corrupted support sets, in part of the grid:

- maml-sine: MAML (Finn et al. 2017), second order (first order in 1 run), on sinusoid regression tasks (amplitude
  U[0.1, 5], phase U[0, pi], x U[-5, 5]): an MLP 1 -> h -> h -> 1 (ReLU); the inner loop takes `steps` plain
  gradient steps of size alpha on a task's K noisy support points (the mean squared error), the outer loss is the
  mean squared error of the adapted network on the task's K noisy query points, averaged over a meta-batch of B
  tasks drawn from a fixed pool of M training tasks (fresh tasks every meta-iteration in 1 run), under Adam. Noise:
  Gaussian target noise on the training tasks' points (and on the held-out tasks' support points); in 1 run a share
  of the training tasks' support targets replaced by outliers. Train loss: the post-adaptation query loss over the
  pool; test loss: the post-adaptation mean squared error on 25 clean query points of each of 100 held-out tasks,
  adapted on their K noisy support points with the same inner loop. No error rates.
- reptile-fewshot: Reptile (Nichol et al. 2018) on N-way K-shot classification tasks built from scikit-learn's 8x8
  digits with the quarter turns as further classes (40 classes: digit x turn); meta-training on the digits 0-6 in
  their four turns (28 classes), `per` images a class drawn once (a share of each class's images swapped for images
  of another class: mislabelled); held-out tasks from the digits 7-9 in their four turns (12 classes). An MLP 64 ->
  h -> h -> N (ReLU); the inner loop `steps` plain SGD steps on the task's support set (labels 0..N-1 assigned to
  the task's classes at random) under the cross-entropy; the Reptile update moves the initialisation towards the
  mean of the adapted weights: theta - lr (theta - mean phi) (plain SGD on the Reptile direction; Adam in 1 run).
  Train loss: the support cross-entropy of 20 fixed training-class tasks after the inner loop on them (the inner
  loop's own objective; a pool of 5 images a class leaves no queries); test loss: the query cross-entropy of 20 fixed
  held-out-class tasks (5 query images a class) after `test_steps` inner steps on their support sets; error rates:
  the misclassified shares of those images.
- protonet-digits: prototypical networks (Snell et al. 2017): an MLP embedding 64 -> h -> h -> m (ReLU), class
  prototypes the mean embeddings of the support images, a query's logits minus its squared Euclidean distances to
  the prototypes (a scaled cosine similarity in 1 run), the cross-entropy over the episode's classes; episodic
  training (`way` classes a training episode, K shots, 5 queries a class) under Adam (momentum SGD in 1 run). Data:
  the digits x quarter turns (40 classes), split at random by the run's generator into 28 training and 12 held-out
  classes (by digit, 0-6 against 7-9, in 1 run), `per` images a training class drawn once; noise: mislabelled
  images in the training pool, corrupted support sets (support images replaced by images of classes outside the
  episode) or pixel noise in part of the grid. Train loss: the query cross-entropy of 100 fixed training episodes;
  test loss: the same on 100 fixed 5-way K-shot episodes of the held-out classes (60 images a class, 10 queries a
  class); error rates: the query images misclassified.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, eval_epochs (the evaluation spacings) from train_thirtyseventh.py, count from
train_fortyeighth.py and make_opt from train_fiftysixth.py; one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final
marks it.

    /usr/bin/python3 train_sixtyseventh.py --family maml-sine [--list] [--runs 0,3] [--out FILE]

Families (see README.md): maml-sine, reptile-fewshot, protonet-digits. Evaluation spacings: train.py's 'every',
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
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyseventh import eval_epochs  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)

torch.set_num_threads(1)


# ---------------------------------------------------------------------------------------------------- shared


def mlp_init(g, sizes):
    """Weights (fan-in x fan-out) and biases of an MLP, U(+-1 / sqrt(fan-in)) from g."""
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out += [uniform(g, a, a, b), uniform(g, a, b)]
    return leaves(out)


def fmlp(ps, x):
    """The MLP of the weights ps on x, ReLU between layers. Batched over tasks when the weights carry a leading task
    axis (weights T x a x b, biases T x b, x T x n x a)."""
    layers = len(ps) // 2
    for j in range(layers):
        w, b = ps[2 * j], ps[2 * j + 1]
        x = torch.baddbmm(b[:, None, :], x, w) if w.dim() == 3 else x @ w + b
        if j < layers - 1:
            x = torch.relu(x)
    return x


def per_task(params, T):
    """The weights repeated for T tasks (a view that keeps the graph to the shared weights)."""
    return [p.expand(T, *p.shape) for p in params]


def meta_loop(c, step, log):
    """c['iters'] meta-iterations an epoch (step()), to each evaluation epoch of c['eval'] (eval_epochs); log(epoch,
    final=...) at the evaluated epochs (with gradients: an evaluation may adapt)."""
    pts = eval_epochs(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for _ in range(c["iters"]):
                step()
            e += 1
        log(e, final=e == pts[-1])


_DIGITS = []


def digit_classes():
    """scikit-learn's 8x8 digits (pixels / 16) as 40 classes: digit d turned by k quarter turns is class 4 d + k.
    Returns a list of 40 tensors (images x 64)."""
    if not _DIGITS:
        from sklearn.datasets import load_digits
        x, y = load_digits(return_X_y=True)
        x = torch.tensor(x, dtype=torch.float32) / 16
        y = torch.tensor(y)
        for d in range(10):
            img = x[y == d].reshape(-1, 8, 8)
            for k in range(4):
                _DIGITS.append(torch.rot90(img, k, (1, 2)).reshape(-1, 64).contiguous())
    return _DIGITS


def class_pool(g, classes, per, swap):
    """A pool of per images for each of the classes (a C x per x 64 tensor; per None: the first 170 images of a
    random order, every class has at least 170), drawn once from g; a share swap of each class's images replaced by
    a random image of another class of the pool (mislabelled)."""
    src = digit_classes()
    n = per or 170
    pool = torch.stack([src[k][torch.randperm(len(src[k]), generator=g)[:n]] for k in classes])
    if swap:
        C = len(classes)
        hit = torch.rand(C, n, generator=g) < swap
        other = (torch.arange(C)[:, None] + torch.randint(1, C, (C, n), generator=g)) % C
        pick = torch.randint(n, (C, n), generator=g)
        pool = torch.where(hit[..., None], pool[other, pick], pool)
    return pool


def episodes(g, pool, T, N, K, Q):
    """T episodes of N classes of the pool (C x n x 64), K support and Q query images a class, disjoint; the
    episode's labels 0..N-1 in the order the classes were drawn. Returns the images as indexes into the pool: the
    support's classes and images (T x N K each, class-major: K images of label 0, then of label 1, ...), its labels,
    the query's classes, images and labels (T x N Q each), and the classes drawn (T x N)."""
    C, n = pool.shape[:2]
    cls = torch.rand(T, C, generator=g).argsort(1)[:, :N]
    img = torch.rand(T, N, n, generator=g).argsort(2)[..., :K + Q]
    cl = cls[..., None].expand(T, N, K + Q)
    lab = torch.arange(N)[None, :, None].expand(T, N, K + Q)

    def part(t, a, b):
        return t[:, :, a:b].reshape(T, -1)

    return (part(cl, 0, K), part(img, 0, K), part(lab, 0, K), part(cl, K, K + Q), part(img, K, K + Q),
            part(lab, K, K + Q), cls)


def corrupt_support(g, pool, ep, share):
    """A share of an episode's support images replaced by images of a class outside the episode (fresh draws)."""
    if not share:
        return ep
    sc, si, sy, qc, qi, qy, cls = ep
    T, NK = sc.shape
    C, n = pool.shape[:2]
    hit = torch.rand(T, NK, generator=g) < share
    outside = torch.ones(T, C, dtype=torch.bool)
    outside.scatter_(1, cls, False)
    oc = torch.multinomial(outside.float(), NK, replacement=True, generator=g)
    oi = torch.randint(n, (T, NK), generator=g)
    return torch.where(hit, oc, sc), torch.where(hit, oi, si), sy, qc, qi, qy, cls


# ---------------------------------------------------------------------------------------------------- maml-sine


def sine_tasks(g, T, npts, noise, outliers=None):
    """T sinusoid tasks (amplitude U[0.1, 5], phase U[0, pi]) with npts points x U[-5, 5] each; returns x, the noisy
    targets (Gaussian noise of sd noise; a share outliers of them replaced by U[-5, 5]) and the clean targets."""
    amp = 0.1 + 4.9 * torch.rand(T, 1, 1, generator=g)
    ph = math.pi * torch.rand(T, 1, 1, generator=g)
    x = 10 * torch.rand(T, npts, 1, generator=g) - 5
    y = amp * torch.sin(x - ph)
    yn = y + noise * torch.randn(y.shape, generator=g) if noise else y
    if outliers:
        hit = torch.rand(y.shape, generator=g) < outliers
        yn = torch.where(hit, 10 * torch.rand(y.shape, generator=g) - 5, yn)
    return x, yn, y


def maml_sine(w, run_id, c):
    """MAML on sinusoid regression. Data (from the run's generator): a pool of M training tasks, each K support and K
    query points with target noise (and support outliers where set); 100 held-out tasks, K noisy support points and
    25 clean query points each. Model: MLP 1 -> h -> h -> 1. Inner loop: steps gradient steps of size alpha on the
    support MSE (second order: through the inner gradients; first order: without). Outer: make_opt on the mean
    post-adaptation query MSE of B tasks drawn from the pool (fresh tasks with M None)."""
    g = torch.Generator().manual_seed(671_000 + c["seed"])
    h, K, M, B, noise = c["h"], c["k"], c.get("m"), c["meta_batch"], c.get("noise") or 0.0
    params = mlp_init(g, [1, h, h, 1])
    nfix = M or 50  # the train loss's tasks: the pool, or 50 fixed training-distribution tasks
    xs, ys, _ = sine_tasks(g, nfix, K, noise, c.get("outliers"))
    xq, yq, _ = sine_tasks(g, nfix, K, noise)
    ts_x, ts_y, _ = sine_tasks(g, 100, K, noise)
    tq_x, _, tq_y = sine_tasks(g, 100, 25, noise)
    second = c["order"] == 2

    def adapt(sx, sy, create_graph):
        ps = per_task(params, len(sx))
        for _ in range(c["steps"]):
            inner = ((fmlp(ps, sx) - sy) ** 2).mean((1, 2)).sum()
            gr = torch.autograd.grad(inner, ps, create_graph=create_graph)
            ps = [p - c["alpha"] * q for p, q in zip(ps, gr)]
        return ps

    def query_loss(sx, sy, qx, qy, create_graph):
        ps = adapt(sx, sy, create_graph)
        return ((fmlp(ps, qx) - qy) ** 2).mean()

    opt = make_opt(c, params)

    def step():
        if M:
            i = torch.randperm(M, generator=g)[:B]
            sx, sy, qx, qy = xs[i], ys[i], xq[i], yq[i]
        else:
            sx, sy, _ = sine_tasks(g, B, K, noise, c.get("outliers"))
            qx, qy, _ = sine_tasks(g, B, K, noise)
        opt.zero_grad()
        query_loss(sx, sy, qx, qy, second).backward()
        opt.step()

    run = w.run(run_id, count(params), (M or B * c["iters"]) * 2 * K,  # the pool's points (fresh: an epoch's)
                {"family": "maml-mlp", "h": h, "inner_steps": c["steps"], "order": c["order"]},
                settings(c, ("seed", "h", "k", "m", "meta_batch", "iters", "noise", "outliers", "steps", "alpha",
                             "order", "opt", "lr", "eval"))
                | {"optimizer": c["opt"], "loss": "post-adaptation-query-mse", "tasks": "sinusoids",
                   "test_loss": "heldout-tasks-clean-query-mse-after-adaptation"})

    def log(e, final):
        lt = query_loss(xs, ys, xq, yq, False).detach()
        lh = query_loss(ts_x, ts_y, tq_x, tq_y, False).detach()
        run.log(e, lt, lh, final=final)

    meta_loop(c, step, log)


def runs_maml_sine():
    # The logic: a pool of 25 sinusoid tasks of 10 support and 10 query points with target noise 0.5 is little data
    # for an MLP of two hidden layers of 40 units (1,761 weights) meta-trained to adapt in one step; the sweep of the
    # pool (10, 25 at the base at 2 seeds, 50, 100, fresh tasks) and of the width (16, 40, 80) crosses where the
    # initialisation can fit the pool's particular tasks and their noise. MAML as Finn et al.: one inner step of 0.01,
    # second order, Adam at 0.003, meta-batches of 5 tasks, 4 meta-iterations an epoch, 100 epochs. One thing at a
    # time besides: 5 and 20 shots, no noise and noise 1.0, outliers among the support targets, 3 inner steps, inner
    # step 0.03, first order, Adam at 0.001 and 0.01, meta-batches of 2, width 80 on 10 tasks. Evaluation spacing mixed.
    base = dict(h=40, k=10, m=25, meta_batch=5, iters=4, noise=0.5, outliers=None, steps=1, alpha=0.01, order=2,
                opt="adam", lr=0.003, epochs=100, eval="every:2")
    return maml_sine, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=16, eval="every"),
        dict(h=80, eval="jitter:40"),
        dict(m=10, eval="geom:3"),
        dict(m=50, eval="every:3"),
        dict(m=100, eval="log:40"),
        dict(m=None, eval="every:4"),
        dict(k=5, eval="every:2"),
        dict(k=20, eval="mixed:40:4"),
        dict(noise=None, eval="every"),
        dict(noise=1.0, eval="burst:20:5"),
        dict(outliers=0.2, eval="every:2"),
        dict(steps=3, eval="every:2"),
        dict(alpha=0.03, eval="every:3"),
        dict(order=1, eval="every:2"),
        dict(lr=0.001, eval="rand:50"),
        dict(lr=0.01, eval="every:4"),
        dict(meta_batch=2, eval="mixlog:30:40"),
        dict(h=80, m=10, eval="every:2"),
    ], lambda d: "h%d-k%d-%s-b%d%s%s-s%d-a%g-o%d-%s-lr%g" % (
        d["h"], d["k"], "m%d" % d["m"] if d.get("m") else "fresh", d["meta_batch"],
        "-noise%g" % d["noise"] if d.get("noise") else "-clean", "-out%g" % d["outliers"] if d.get("outliers") else "",
        d["steps"], d["alpha"], d["order"], d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- reptile-fewshot


def reptile_fewshot(w, run_id, c):
    """Reptile on N-way K-shot tasks of the digits' 40 classes (digit x quarter turn). Data (from the run's
    generator): a pool of per images for each of the 28 training classes (digits 0-6), a share swap of them
    mislabelled (class_pool); 20 fixed training tasks (K support images a class, corrupted as in training) and 20
    fixed held-out tasks of the 12 classes of the digits 7-9 (all their images, clean), K support and 5 query images
    a class. Model: MLP 64 -> h -> h -> N. Inner loop: steps plain SGD steps of size inner_lr on the support
    cross-entropy (a share corrupt of the support images replaced by images of classes outside the task, fresh at
    every task, where set). Outer: make_opt on the Reptile direction theta - mean phi over a meta-batch of B tasks
    ('sgd' at lr: theta + lr (mean phi - theta)). Train loss: the training tasks' support cross-entropy after the
    inner loop; test loss: the held-out tasks' query cross-entropy after test_steps inner steps on their support;
    error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(672_000 + c["seed"])
    N, K, h, B = c["way"], c["k"], c["h"], c["meta_batch"]
    pool = class_pool(g, range(28), c.get("per"), c.get("swap"))
    test_pool = class_pool(g, range(28, 40), None, None)
    params = mlp_init(g, [64, h, h, N])
    ep = corrupt_support(g, pool, episodes(g, pool, 20, N, K, 0), c.get("corrupt"))
    tr_fix = (pool[ep[0], ep[1]], ep[2], None, None)
    ep = episodes(g, test_pool, 20, N, K, 5)
    te_fix = (test_pool[ep[0], ep[1]], ep[2], test_pool[ep[3], ep[4]], ep[5])

    def adapt(s, sy, steps):
        ps = [p.detach().repeat(len(s), *([1] * p.dim())).requires_grad_() for p in params]
        for _ in range(steps):
            loss = fn.cross_entropy(fmlp(ps, s).reshape(-1, N), sy.reshape(-1), reduction="sum") / sy.shape[1]
            gr = torch.autograd.grad(loss, ps)
            ps = [(p - c["inner_lr"] * q).detach().requires_grad_() for p, q in zip(ps, gr)]
        return [p.detach() for p in ps]

    opt = make_opt(c, params)

    def step():
        sc, si, sy = corrupt_support(g, pool, episodes(g, pool, B, N, K, 0), c.get("corrupt"))[:3]
        phi = adapt(pool[sc, si], sy, c["steps"])
        opt.zero_grad()
        for p, q in zip(params, phi):
            p.grad = p.detach() - q.mean(0)
        opt.step()

    run = w.run(run_id, count(params), 28 * (c.get("per") or 170),
                {"family": "reptile-mlp", "h": h, "way": N, "shots": K},
                settings(c, ("seed", "way", "k", "h", "per", "swap", "corrupt", "steps", "inner_lr", "test_steps",
                             "meta_batch", "iters", "opt", "lr", "eval"))
                | {"optimizer": c["opt"], "inner_optimizer": "sgd", "loss": "reptile",
                   "data": "digits-x-quarter-turns", "test_classes": "digits-7-9-all-turns",
                   "test_loss": "heldout-class-tasks-query-ce-after-adaptation", "error": "query-misclassified"},
                output_dim=N)

    def evaluate(task, steps):
        s, sy, q, qy = task
        ps = adapt(s, sy, steps)
        if q is None:  # the training tasks: their own support sets, as the inner loop saw them
            q, qy = s, sy
        with torch.no_grad():
            out = fmlp(ps, q)
        return fn.cross_entropy(out.reshape(-1, N), qy.reshape(-1)), (out.argmax(2) != qy).float().mean()

    def log(e, final):
        lt, et = evaluate(tr_fix, c["steps"])
        lh, eh = evaluate(te_fix, c["test_steps"])
        run.log(e, lt, lh, et, eh, final=final)

    meta_loop(c, step, log)


def runs_reptile_fewshot():
    # The logic: 28 training classes of 20 images each (560 images), 20% of them mislabelled, is a small pool for an
    # MLP of two hidden layers of 32 units (3,301 weights at 5 ways) meta-trained by Reptile on 5-way 5-shot tasks;
    # the sweep of the pool (5, 20 at the base at 2 seeds, 60, all 170 images a class) and of the width (16, 32, 128)
    # crosses where the initialisation can fit the pool's particular images and their wrong labels. Inner loop 5
    # SGD steps of 0.2 (10 at test), the Reptile step 0.5 as plain SGD on the Reptile direction, meta-batches of 5
    # tasks, 3 meta-iterations an epoch, 80 epochs. One thing at a time besides: no and 40% mislabelled images,
    # corrupted support sets (30% of the support images from classes outside the task, clean labels), 1 and 10 shots,
    # 3 ways, 1 and 10 inner steps, inner step 0.05, Reptile step 1.0, Adam on the Reptile direction, meta-batches of
    # 1, width 128 on 5 images a class. Evaluation spacing mixed.
    base = dict(way=5, k=5, h=32, per=20, swap=0.2, corrupt=None, steps=5, inner_lr=0.2, test_steps=10, meta_batch=5,
                iters=3, opt="sgd", lr=0.5, epochs=80, eval="every:2")
    return reptile_fewshot, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=16, eval="every"),
        dict(h=128, eval="jitter:40"),
        dict(per=5, eval="geom:3"),
        dict(per=60, eval="every:3"),
        dict(per=None, eval="log:40"),
        dict(swap=None, eval="every"),
        dict(swap=0.4, eval="burst:20:5"),
        dict(swap=None, corrupt=0.3, eval="every:2"),
        dict(k=1, eval="every:2"),
        dict(k=10, eval="mixed:40:4"),
        dict(way=3, eval="every:2"),
        dict(steps=1, eval="every:3"),
        dict(steps=10, eval="every:2"),
        dict(inner_lr=0.05, eval="rand:40"),
        dict(lr=1.0, eval="every:4"),
        dict(opt="adam", lr=0.001, eval="mixlog:30:40"),
        dict(meta_batch=1, eval="every:2"),
        dict(h=128, per=5, eval="every:3"),
    ], lambda d: "w%d-k%d-h%d-%s%s%s-s%d-ilr%g-t%d-b%d-%s-lr%g" % (
        d["way"], d["k"], d["h"], "per%d" % d["per"] if d.get("per") else "all",
        "-swap%g" % d["swap"] if d.get("swap") else "-clean", "-corrupt%g" % d["corrupt"] if d.get("corrupt") else "",
        d["steps"], d["inner_lr"], d["test_steps"], d["meta_batch"], d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- protonet-digits


def protonet_digits(w, run_id, c):
    """Prototypical networks on the digits' 40 classes (digit x quarter turn). Data (from the run's generator): the
    classes split at random into 28 training and 12 held-out ones ('digits': the digits 0-6 against 7-9); a pool of
    per images for each training class, a share swap mislabelled (class_pool), Gaussian pixel noise pix on the pool
    where set; 100 fixed training episodes (way classes, K shots, 5 queries a class, corrupted as in training) and
    100 fixed 5-way K-shot held-out episodes (10 queries a class, from 60 images of each held-out class, clean).
    Model: MLP embedding 64 -> h -> h -> m; prototypes the mean support embeddings; logits minus the squared
    distances ('cosine': 10 times the cosine similarity). Loss: the query cross-entropy of an episode (a share corrupt of its
    support images replaced by images of classes outside the episode, where set); make_opt, one episode a step.
    Train and test loss: the query cross-entropy of the fixed episodes; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(673_000 + c["seed"])
    N, K, h, m = c["way"], c["k"], c["h"], c["m"]
    order = torch.arange(40) if c["split"] == "digits" else torch.randperm(40, generator=g)
    pool = class_pool(g, order[:28].tolist(), c.get("per"), c.get("swap"))
    if c.get("pix"):
        pool = pool + c["pix"] * torch.randn(pool.shape, generator=g)
    test_pool = class_pool(g, order[28:].tolist(), 60, None)
    params = mlp_init(g, [64, h, h, m])
    tr_fix = corrupt_support(g, pool, episodes(g, pool, 100, N, K, 5), c.get("corrupt"))
    te_fix = episodes(g, test_pool, 100, 5, K, 10)

    def embed(x):
        return fmlp(params, x.reshape(-1, 64)).reshape(*x.shape[:-1], m)

    def episode_loss(z, ep, n):
        """The query cross-entropy and error share of the episodes ep, z the embeddings of their pool (C x n x m)."""
        sc, si, sy, qc, qi, qy = ep[:6]
        zs, zq = z[sc, si], z[qc, qi]
        proto = zs.reshape(len(zs), n, -1, m).mean(2)  # the support is class-major
        if c["dist"] == "cosine":
            out = 10 * fn.normalize(zq, dim=2) @ fn.normalize(proto, dim=2).transpose(1, 2)
        else:
            out = 2 * zq @ proto.transpose(1, 2) - (zq ** 2).sum(2)[..., None] - (proto ** 2).sum(2)[:, None, :]
        return fn.cross_entropy(out.reshape(-1, n), qy.reshape(-1)), (out.argmax(2) != qy).float().mean()

    opt = make_opt(c, params)

    def step():
        sc, si, sy, qc, qi, qy, cls = corrupt_support(g, pool, episodes(g, pool, 1, N, K, 5), c.get("corrupt"))
        idx = torch.cat([sc, qc], 1), torch.cat([si, qi], 1)  # embed only the episode's images
        z = embed(pool[idx])  # 1 x N (K + Q) x m
        nk = sc.shape[1]
        local = torch.arange(idx[0].shape[1])[None]
        opt.zero_grad()
        episode_loss(z, (torch.zeros_like(sc), local[:, :nk], sy, torch.zeros_like(qc), local[:, nk:], qy),
                     N)[0].backward()
        opt.step()

    run = w.run(run_id, count(params), 28 * (c.get("per") or 170),
                {"family": "protonet-mlp", "h": h, "m": m, "dist": c["dist"]},
                settings(c, ("seed", "way", "k", "h", "m", "per", "swap", "corrupt", "pix", "split", "dist",
                             "iters", "opt", "lr", "eval"))
                | {"optimizer": c["opt"], "loss": "prototype-query-ce", "data": "digits-x-quarter-turns",
                   "test_way": "5", "test_loss": "heldout-class-episodes-query-ce", "error": "query-misclassified"},
                output_dim=5)

    def log(e, final):
        with torch.no_grad():
            lt, et = episode_loss(embed(pool), tr_fix, N)
            lh, eh = episode_loss(embed(test_pool), te_fix, 5)
        run.log(e, lt, lh, et, eh, final=final)

    meta_loop(c, step, log)


def runs_protonet_digits():
    # The logic: 28 training classes of 15 images each (420 images), 20% of them mislabelled, for an MLP embedding of
    # two hidden layers of 64 units into 32 dimensions (10,400 weights), trained on 10-way 5-shot episodes with 5
    # queries a class; the sweep of the pool (10, 15 at the base at 2 seeds, 40, all 170 images a class) and of the
    # width (16, 64, 256) crosses where the embedding can fit the pool's particular images and their wrong labels.
    # Adam at 0.001, one episode a step, 4 steps an epoch, 120 epochs. One thing at a time besides: no and 40%
    # mislabelled images, corrupted support sets (30% of the support images from classes outside the episode, clean
    # labels), pixel noise 0.3 (clean labels), 1 shot, 5 and 20 ways in training, embedding dimension 2, the scaled
    # cosine, Adam at 0.01, momentum SGD at 0.05, the split by digit, width 256 on 10 images a class. Evaluation
    # spacing mixed.
    base = dict(way=10, k=5, h=64, m=32, per=15, swap=0.2, corrupt=None, pix=None, split="random", dist="sqeuclid",
                iters=4, opt="adam", lr=0.001, epochs=120, eval="every:2")
    return protonet_digits, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=16, m=8, eval="every"),
        dict(h=256, eval="jitter:40"),
        dict(m=2, eval="geom:3"),
        dict(per=10, eval="every:3"),
        dict(per=40, eval="log:40"),
        dict(per=None, eval="every:4"),
        dict(swap=None, eval="every"),
        dict(swap=0.4, eval="burst:20:5"),
        dict(swap=None, corrupt=0.3, eval="every:2"),
        dict(swap=None, pix=0.3, eval="every:2"),
        dict(k=1, eval="every:2"),
        dict(way=5, eval="every:2"),
        dict(way=20, eval="mixed:40:4"),
        dict(dist="cosine", eval="every:3"),
        dict(lr=0.01, eval="rand:60"),
        dict(opt="momentum", lr=0.05, eval="mixlog:30:40"),
        dict(split="digits", eval="every:2"),
        dict(h=256, per=10, eval="every:3"),
    ], lambda d: "w%d-k%d-h%d-m%d-%s%s%s%s-%s-%s-%s-lr%g" % (
        d["way"], d["k"], d["h"], d["m"], "per%d" % d["per"] if d.get("per") else "all",
        "-swap%g" % d["swap"] if d.get("swap") else "-clean", "-corrupt%g" % d["corrupt"] if d.get("corrupt") else "",
        "-pix%g" % d["pix"] if d.get("pix") else "", d["split"], d["dist"], d["opt"], d["lr"]))


FAMILIES = {"maml-sine": runs_maml_sine, "reptile-fewshot": runs_reptile_fewshot,
            "protonet-digits": runs_protonet_digits}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
