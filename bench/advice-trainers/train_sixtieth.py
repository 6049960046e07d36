#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixtieth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 182 families of train.py ... train_fiftyeighth.py in training procedure,
model, loss, noise and data. The theme of the round is continual learning: a model trained on a sequence of tasks,
one after the other, with a small replay buffer of earlier tasks' examples, elastic weight consolidation or plain
fine-tuning; the train loss is the loss on the current task's training data plus any replay, the test loss the loss on
held-out data of all tasks seen so far or of all tasks; at sizes around where the model can just fit its training
set, with label or target noise in part of the grid:

- split-digits-replay: class-incremental learning on scikit-learn's 8x8 digits split into 5 tasks of two classes each
  (0/1, 2/3, ... or a random class order), one 10-way softmax head over a ReLU MLP 64 -> h -> 10; a share of each
  task's training labels switched to the task's other class; at each switch m of the finished task's training images
  (with their given labels) join a replay buffer that is trained on together with the new task's images (m 0: plain
  fine-tuning). Train loss: the cross-entropy on the current task's images plus the buffer; test loss: the held-out
  images of the classes seen so far (of all 10 classes in 1 run); error rates: the misclassification shares.
- permuted-ewc: domain-incremental learning on permuted copies of the digits (task 0 the images as they are, each
  later task a fixed random permutation of the 64 pixels; the same training images, each task's own label flips), a
  ReLU MLP 64 -> h -> 10 with elastic weight consolidation (Kirkpatrick et al. 2017): after each task a diagonal Fisher
  (empirical, or with labels drawn from the model) and the weights are stored, and the later tasks' loss adds
  lam / 2 sum_k F_k (theta - theta_k)^2 (lam 0: plain fine-tuning; an online variant of Schwarz et al. 2018 in 1
  run). Train loss: the cross-entropy on the current task's training labels (the penalty not included); test loss:
  the mean held-out cross-entropy of the tasks seen so far (of all 4 tasks in 1 run); error rates: the shares.
- drift-der: a regression whose target drifts between 4 phases, float64: each phase's inputs a Gaussian cloud around
  its own centre (the centres sep apart), its target a shared tanh teacher plus a phase's own tanh teacher times
  drift, Gaussian target noise; a tanh MLP d -> h -> 1 with dark experience replay (DER, Buzzega et al. 2020): at
  each switch m of the finished phase's training inputs are stored with the model's outputs there (DER), their
  noisy targets (experience replay, ER), or both (DER++), and every minibatch of the current phase is joined by one of
  the buffer, alpha times the squared error to the stored outputs (plus beta times that to the stored targets) added
  (no buffer: plain fine-tuning). Train loss: the current phase's mean squared error on its noisy targets plus the
  replay term on the whole buffer; test loss: the mean squared error against the clean targets on held-out points
  of all 4 phases (of the phases seen so far in 1 run). No error rates.

Every run whose task changes on a schedule sends the string tag schedule_end (train_sixteenth.py's with_end and
check_end): the last epoch at which its task changes (the last switch, with its buffer or Fisher update), counted as
the sixteenth round counts: a change made before the training of epoch e + 1 (after the event of epoch e, at the
start of epoch e counted from 0) is at epoch e. The controls, trained jointly on every task's data from the start
for the same number of epochs, send none. Each run checks that its changes ended at the epoch it announced.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, with_end and check_end from train_sixteenth.py, batches from
train_twentyfirst.py, uniform from train_thirtysecond.py, leaves from train_thirtysixth.py, eval_epochs from
train_thirtyseventh.py, take from train_thirtyninth.py, count from train_fortyeighth.py, make_opt from
train_fiftysixth.py and error_share from train_fiftyeighth.py; one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final
marks it.

    /usr/bin/python3 train_sixtieth.py --family split-digits-replay [--list] [--runs 0,3] [--out FILE]

Families (see README.md): split-digits-replay, permuted-ewc, drift-der. Evaluation spacings: train.py's 'every',
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
from train_sixteenth import check_end, with_end  # noqa: E402
from train_twentyfirst import batches  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyseventh import eval_epochs  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)
from train_fiftyeighth import error_share  # noqa: E402

torch.set_num_threads(1)

F32 = torch.float32


def task_loop(g, c, size, step, log, switch):
    """Minibatch epochs to each evaluation epoch of c['eval'] (eval_epochs) over c['tasks'] tasks of c['per_task']
    epochs each (one task of tasks * per_task epochs for the joint controls): switch(k, e) at the start of epoch e = k
    * per_task for k >= 1 (after the event of epoch e), then step(idx) for each minibatch of batches(g, size(),
    c['batch']); log(epoch, final=...) at the evaluated epochs, under no_grad. Returns the epochs of the switches."""
    E = c["tasks"] * c["per_task"]
    pts = eval_epochs(c["eval"], E, c["seed"])
    changes, e = [], 0
    for p in pts:
        while e < p:
            if not c.get("joint") and e > 0 and e % c["per_task"] == 0:
                with torch.no_grad():
                    switch(e // c["per_task"], e)
                changes.append(e)
            for idx in batches(g, size(), c.get("batch")):
                step(idx)
            e += 1
        with torch.no_grad():
            log(e, final=e == pts[-1])
    return changes


def seen_tasks(c, e):
    """The tasks trained on by the event of epoch e: task k from the event of epoch k * per_task + 1 on (task 0 at
    epoch 0); every task for the joint controls."""
    if c.get("joint"):
        return c["tasks"]
    return 1 if e == 0 else min(c["tasks"], (e - 1) // c["per_task"] + 1)


def mlp_params(g, d, h, K):
    return leaves([uniform(g, d, h, d), uniform(g, d, h), uniform(g, h, K, h), uniform(g, h, K)])


def mlp(params, x):
    return torch.relu(x @ params[0].T + params[1]) @ params[2].T + params[3]


def load_digits_f32():
    from sklearn.datasets import load_digits
    X, Y = load_digits(return_X_y=True)
    return torch.tensor(X / 16.0, dtype=F32), torch.tensor(Y)


# ---------------------------------------------------------------------------------------------------- split-digits-replay


def split_digits_replay(w, run_id, c):
    """Class-incremental split digits with a replay buffer, float32. Data: scikit-learn's digits (pixels / 16), 600
    images held out at random by the run's generator, the rest the pool; the 10 classes in the order 0..9 (a random
    order in 1 run) cut into 5 tasks of 2 classes; each task n training images drawn at random from its classes' pool
    images, a share q of their labels switched to the task's other class where set. Model: a ReLU MLP 64 -> h -> 10
    (one head for all classes), weights and biases U(+-1 / sqrt(fan-in)) from the run's generator. Schedule: task k
    from epoch k * per_task; at each switch m of the finished task's training images, drawn at random, join the
    replay buffer with their given labels, and the training set is the new task's images plus the buffer. Loss: the
    mean cross-entropy over that set ('mask': the current task's images scored on the logits of the classes seen so
    far only). Optimizer: make_opt on minibatches. Train loss: the loss on the current training set (task plus
    buffer); test loss: the held-out images of the classes seen so far ('seen'; of all 10 classes: 'all'); error
    rates: the training set's error share against its given labels, the held-out one. Joint control: every task's
    images from epoch 0, the held-out images of all classes."""
    g = torch.Generator().manual_seed(601_000 + c["seed"])
    X, Y = load_digits_f32()
    perm = torch.randperm(len(X), generator=g)
    te, pool = perm[:600], perm[600:]
    order = torch.randperm(10, generator=g) if c.get("order") == "rand" else torch.arange(10)
    T, n, m, h = c["tasks"], c["n"], c.get("m") or 0, c["h"]
    classes = [order[2 * k:2 * k + 2] for k in range(T)]
    task_x, task_y = [], []
    for cls in classes:
        own = pool[(Y[pool][:, None] == cls[None, :]).any(1)]
        pick = own[torch.randperm(len(own), generator=g)[:n]]
        y = Y[pick].clone()
        if c.get("q"):
            hit = torch.rand(len(y), generator=g) < c["q"]
            y = torch.where(hit, torch.where(y == cls[0], cls[1], cls[0]), y)
        task_x.append(X[pick])
        task_y.append(y)
    rank = torch.empty(10, dtype=torch.long)
    rank[order] = torch.arange(10)
    xt_all, yt_all = X[te], Y[te]
    params = mlp_params(g, 64, h, 10)
    opt = make_opt(c, params)
    state = {"x": task_x[0], "y": task_y[0], "k": 0}
    buf_x, buf_y = [], []
    if c.get("joint"):
        state["x"], state["y"] = torch.cat(task_x), torch.cat(task_y)

    def switch(k, e):
        keep = torch.randperm(n, generator=g)[:m]
        buf_x.append(task_x[k - 1][keep])
        buf_y.append(task_y[k - 1][keep])
        state["x"] = torch.cat([task_x[k]] + buf_x)
        state["y"] = torch.cat([task_y[k]] + buf_y)
        state["k"] = k

    def logits(x, k):
        z = mlp(params, x)
        if c.get("mask") and not c.get("joint"):
            z = z.masked_fill(rank[None, :] > 2 * k + 1, -1e9)
        return z

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(logits(take(state["x"], idx), state["k"]), take(state["y"], idx)).backward()
        opt.step()

    end = None if c.get("joint") else (T - 1) * c["per_task"]
    train_size = T * n if c.get("joint") else n + (T - 1) * m
    run = w.run(run_id, count(params), train_size, {"family": "continual-class-incremental", "hidden": h,
                                                  "tasks": T, "buffer_per_task": m},
                with_end(settings(c, ("seed", "tasks", "per_task", "n", "m", "q", "h", "order", "mask", "test",
                                      "joint", "opt", "lr", "wd", "batch", "eval"))
                         | {"optimizer": c["opt"], "loss": "task-plus-replay-ce",
                            "test_loss": "heldout-ce-%s" % ("all" if c.get("joint") else c["test"]),
                            "points_per_weight": "%.3g" % (train_size / count(params))}, end),
                output_dim=10)

    def log(e, final):
        k = seen_tasks(c, e) - 1
        if c.get("joint") or c["test"] == "all":
            xt, yt = xt_all, yt_all
        else:
            sel = rank[yt_all] <= 2 * k + 1
            xt, yt = xt_all[sel], yt_all[sel]
        lz, tz = mlp(params, state["x"]), mlp(params, xt)
        run.log(e, fn.cross_entropy(lz, state["y"]), fn.cross_entropy(tz, yt), error_share(lz, state["y"]),
                error_share(tz, yt), final=final)

    changes = task_loop(g, c, lambda: len(state["x"]), step, log, switch)
    check_end(run_id, end, changes)


def runs_split_digits_replay():
    # The logic: 5 tasks of two digit classes, n 100 training images a task with 20% of the labels switched to the
    # task's other class, 10 images a finished task kept for replay (the last task's training set 140 images); the
    # MLP 64 -> h -> 10 has 75 h + 10 weights, so the sweep of h (2, 4, 8, 16 at the base at 2 seeds, 32, 64, 128)
    # crosses where it can just fit a task's 100 noisy labels plus the buffer; each switch throws the held-out loss
    # up (two new classes enter the test set, the old ones are forgotten as far as the buffer lets them). Adam at
    # 0.002 on minibatches of 20, 40 epochs a task, 200 in all. One thing at a time besides: no buffer (plain
    # fine-tuning), 5 and 25 images a task kept, clean labels, 40% switched, 50 and 200 images a task, 20 epochs a
    # task, a random class order, logits masked to the classes seen, the test set of all classes, momentum SGD at
    # 0.05, and two joint controls (every task from the start; h 16 and 64). Evaluation spacing mixed.
    base = dict(tasks=5, per_task=40, n=100, m=10, q=0.2, h=16, order=None, mask=None, test="seen", joint=None,
                opt="adam", lr=0.002, wd=None, batch=20, eval="every:2")
    return split_digits_replay, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=2, eval="every"),
        dict(h=4, eval="jitter:40"),
        dict(h=8, eval="every:2"),
        dict(h=32, eval="geom:3"),
        dict(h=64, eval="every:3"),
        dict(h=128, eval="mixed:40:4"),
        dict(m=None, eval="every:2"),
        dict(m=5, eval="every"),
        dict(m=25, eval="every:2"),
        dict(q=None, eval="every:2"),
        dict(q=0.4, eval="burst:20:5"),
        dict(n=50, eval="every"),
        dict(n=200, eval="every:4"),
        dict(per_task=20, eval="every"),
        dict(order="rand", eval="log:40"),
        dict(mask=True, eval="every:2"),
        dict(test="all", eval="every:2"),
        dict(opt="momentum", lr=0.05, eval="rand:100"),
        dict(joint=True, m=None, test=None, eval="mixlog:30:40"),
        dict(joint=True, m=None, test=None, h=64, eval="every:3"),
    ], lambda d: "%s-n%d-T%dx%d%s%s-h%d%s%s-%s-lr%g" % (
        "joint" if d.get("joint") else "seq-m%d" % (d.get("m") or 0), d["n"], d["tasks"], d["per_task"],
        "-q%g" % d["q"] if d.get("q") else "-clean", "-randorder" if d.get("order") else "", d["h"],
        "-mask" if d.get("mask") else "", "-test%s" % d["test"] if d.get("test") else "", d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- permuted-ewc


def diag_fisher(params, x, y, g, kind):
    """The diagonal Fisher of the mean cross-entropy of the ReLU MLP at x, written out per example: the squared
    per-example gradients averaged over the points, at the given labels y ('emp', the empirical Fisher) or at labels
    drawn from the model's own predictive distribution with g ('sample')."""
    W1, b1, W2, b2 = params
    a = x @ W1.T + b1
    z = torch.relu(a)
    p = torch.softmax(z @ W2.T + b2, 1)
    lab = y if kind == "emp" else torch.multinomial(p, 1, generator=g).squeeze(1)
    delta = p - fn.one_hot(lab, p.shape[1]).to(p.dtype)  # d loss_i / d logits
    dz = (delta @ W2) * (a > 0).to(p.dtype)
    N = len(x)
    return [(dz ** 2).T @ (x ** 2) / N, (dz ** 2).mean(0), (delta ** 2).T @ (z ** 2) / N, (delta ** 2).mean(0)]


def permuted_ewc(w, run_id, c):
    """Permuted digits with elastic weight consolidation, float32. Data: scikit-learn's digits (pixels / 16), 500
    images held out at random by the run's generator, n training images from the rest; 4 tasks, task 0 the images as
    they are and each later one a fixed random permutation of the 64 pixels (from the run's generator) applied to the
    same training and held-out images; each task's training labels get their own flips (a share q replaced by
    another class at random where set). Model: a ReLU MLP 64 -> h -> 10 shared by every task, weights and biases U(+-1
    / sqrt(fan-in)) from the run's generator. Schedule: task k from epoch k * per_task; at each switch the finished
    task's diagonal Fisher F (diag_fisher, 'emp' or 'sample') and the weights theta* are stored; the loss of the
    later tasks is the current task's mean cross-entropy plus lam / 2 sum over the stored (F, theta*) of sum F (theta
    - theta*)^2 (lam 0: plain fine-tuning; 'online': one Fisher, gamma times the old plus the new, anchored at the
    latest weights). Optimizer: make_opt on minibatches. Train loss: the current task's cross-entropy on its training
    labels (the penalty not included); test loss: the mean over all tasks ('all'; over the tasks seen so far:
    'seen') of their held-out cross-entropy; error rates: the current task's training error share against its given
    labels, the held-out share averaged like the test loss. Joint control: all tasks' training images at once (the
    train loss their mean cross-entropy), no penalty."""
    g = torch.Generator().manual_seed(602_000 + c["seed"])
    X, Y = load_digits_f32()
    perm = torch.randperm(len(X), generator=g)
    te, tr = perm[:500], perm[500:500 + c["n"]]
    T, n, h = c["tasks"], c["n"], c["h"]
    perms = [torch.arange(64)] + [torch.randperm(64, generator=g) for _ in range(T - 1)]
    xs = [X[tr][:, p] for p in perms]
    xts = [X[te][:, p] for p in perms]
    ys = []
    for _ in range(T):
        y = Y[tr].clone()
        if c.get("q"):
            hit = torch.rand(n, generator=g) < c["q"]
            y = torch.where(hit, (y + torch.randint(1, 10, (n,), generator=g)) % 10, y)
        ys.append(y)
    yt = Y[te]
    params = mlp_params(g, 64, h, 10)
    opt = make_opt(c, params)
    lam = c.get("lam") or 0.0
    anchors = []  # (F, theta*) per finished task, or one online pair
    state = {"x": xs[0], "y": ys[0]}
    if c.get("joint"):
        state["x"], state["y"] = torch.cat(xs), torch.cat(ys)

    def switch(k, e):
        F = diag_fisher(params, xs[k - 1], ys[k - 1], g, c["fisher"])
        theta = [q.detach().clone() for q in params]
        if c.get("online") and anchors:
            F = [c["online"] * a + b for a, b in zip(anchors[0][0], F)]
            anchors[0] = (F, theta)
        else:
            anchors.append((F, theta))
        state["x"], state["y"] = xs[k], ys[k]

    def penalty():
        s = 0.0
        for F, theta in anchors:
            s = s + sum((f * (q - t) ** 2).sum() for f, q, t in zip(F, params, theta))
        return 0.5 * lam * s

    def step(idx):
        opt.zero_grad()
        loss = fn.cross_entropy(mlp(params, take(state["x"], idx)), take(state["y"], idx))
        if lam and anchors:
            loss = loss + penalty()
        loss.backward()
        opt.step()

    end = None if c.get("joint") else (T - 1) * c["per_task"]
    train_size = T * n if c.get("joint") else n
    run = w.run(run_id, count(params), train_size, {"family": "continual-permuted-ewc", "hidden": h, "tasks": T},
                with_end(settings(c, ("seed", "tasks", "per_task", "n", "q", "h", "lam", "fisher", "online", "test",
                                      "joint", "opt", "lr", "wd", "batch", "eval"))
                         | {"optimizer": c["opt"], "loss": "task-ce-plus-ewc" if lam else "task-ce",
                            "train_loss": "current-task-ce",
                            "test_loss": "heldout-ce-mean-%s" % ("all" if c.get("joint") else c["test"]),
                            "points_per_weight": "%.3g" % (train_size / count(params))}, end),
                output_dim=10)

    def log(e, final):
        k = c["tasks"] if c.get("joint") or c["test"] == "all" else seen_tasks(c, e)
        lz = mlp(params, state["x"])
        tl, terr = 0.0, 0.0
        for j in range(k):
            tz = mlp(params, xts[j])
            tl += fn.cross_entropy(tz, yt).item() / k
            terr += error_share(tz, yt).item() / k
        run.log(e, fn.cross_entropy(lz, state["y"]), tl, error_share(lz, state["y"]), terr, final=final)

    changes = task_loop(g, c, lambda: len(state["x"]), step, log, switch)
    check_end(run_id, end, changes)


def runs_permuted_ewc():
    # The logic: 4 permuted copies of n 300 training digits, 20% of each task's labels flipped at random (its own
    # flips); the MLP 64 -> h -> 10 has 75 h + 10 weights, so the sweep of h (4, 8, 16, 24 at the base at 2 seeds, 48,
    # 96, 192) crosses where it can just fit one task's 300 noisy labels, while EWC's pull (lam 1 on the empirical
    # Fisher) holds weights the earlier tasks need and so takes capacity from the later ones. Adam at 0.004 on
    # minibatches of 30, 50 epochs a task, 200 in all; the test loss the mean held-out cross-entropy of the tasks seen
    # so far. One thing at a time besides: lam 0 (plain fine-tuning), 0.1 and 10, the Fisher with sampled labels,
    # online EWC (gamma 0.9), clean labels and 40% flips, 150 and 600 images, 25 epochs a task, all 4 tasks as the
    # test set from the start, momentum SGD at 0.02, and two joint controls (h 24 and 96). Evaluation spacing mixed.
    base = dict(tasks=4, per_task=50, n=300, q=0.2, h=24, lam=1.0, fisher="emp", online=None, test="seen", joint=None,
                opt="adam", lr=0.004, wd=None, batch=30, eval="every:2")
    return permuted_ewc, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every"),
        dict(h=8, eval="jitter:40"),
        dict(h=16, eval="every:2"),
        dict(h=48, eval="geom:3"),
        dict(h=96, eval="every:3"),
        dict(h=192, eval="mixed:40:4"),
        dict(lam=None, eval="every:2"),
        dict(lam=0.1, eval="every"),
        dict(lam=10.0, eval="every:2"),
        dict(fisher="sample", eval="every:4"),
        dict(online=0.9, eval="every:2"),
        dict(q=None, eval="every:2"),
        dict(q=0.4, eval="burst:20:5"),
        dict(n=150, eval="every"),
        dict(n=600, eval="every:3"),
        dict(per_task=25, eval="every"),
        dict(test="all", eval="log:40"),
        dict(opt="momentum", lr=0.02, eval="rand:100"),
        dict(joint=True, lam=None, fisher=None, test=None, eval="mixlog:30:40"),
        dict(joint=True, lam=None, fisher=None, test=None, h=96, eval="every:2"),
    ], lambda d: "%s-n%d-T%dx%d%s-h%d%s-%s-lr%g" % (
        "joint" if d.get("joint") else "ewc%g%s%s" % (d.get("lam") or 0, "-%s" % d["fisher"] if d.get("lam") else "",
                                                     "-online%g" % d["online"] if d.get("online") else ""),
        d["n"], d["tasks"], d["per_task"], "-q%g" % d["q"] if d.get("q") else "-clean", d["h"],
        "-test%s" % d["test"] if d.get("test") else "", d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- drift-der


def tanh_teacher(g, d, units, scale):
    W = torch.randn(units, d, generator=g, dtype=torch.float64) / math.sqrt(d)
    v = torch.randn(units, generator=g, dtype=torch.float64) * scale / math.sqrt(units)
    return lambda x: torch.tanh(x @ W.T) @ v


def drift_der(w, run_id, c):
    """A drifting regression with dark experience replay, float64. Data (all from the run's generator): d 8 inputs;
    4 phases, phase k's inputs N(mu_k, I) with the centres mu_k sep apart (sep times orthonormal directions, the first
    phase at the origin); the target f(x) + drift g_k(x), f a tanh teacher of 16 units (rows N(0, I / d), readout
    N(0, 4 / 16)) shared by every phase and g_k a phase's own teacher of the same form; n training points a phase
    with Gaussian target noise of std noise, 400 held-out points a phase with their clean targets. Model: a tanh MLP
    d -> h -> 1, weights and biases U(+-1 / sqrt(fan-in)) from the run's generator. Schedule: phase k from epoch k *
    per_task; at each switch m of the finished phase's training points, drawn at random, join the buffer with the
    model's outputs there ('der'), their noisy targets ('er') or both ('derpp'). Loss: each minibatch of the current
    phase's points, its mean squared error, plus for a minibatch of the same size drawn from the buffer alpha times
    the squared error to the stored outputs ('der', 'derpp') or to the stored targets ('er'), plus beta times that to
    the stored targets ('derpp'); no buffer ('none'): plain fine-tuning. Optimizer: make_opt. Train loss: the current
    phase's mean squared error on its noisy targets plus the replay terms on the whole buffer; test loss: the mean
    squared error against the clean targets on the held-out points of all phases ('all'; of the phases seen so far:
    'seen'). Joint control: every phase's points from epoch 0, no buffer."""
    g = torch.Generator().manual_seed(603_000 + c["seed"])
    D = torch.float64
    d, T, n, h, m = 8, c["tasks"], c["n"], c["h"], c.get("m") or 0
    Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=D))
    mus = [torch.zeros(d, dtype=D)] + [c["sep"] * Q[:, k] for k in range(T - 1)]
    f = tanh_teacher(g, d, 16, 2.0)
    gs = [tanh_teacher(g, d, 16, 2.0) for _ in range(T)]

    def draw(k, cnt):
        x = mus[k] + torch.randn(cnt, d, generator=g, dtype=D)
        return x, f(x) + c["drift"] * gs[k](x)

    xs, ys, xts, yts = [], [], [], []
    for k in range(T):
        x, y = draw(k, n)
        xs.append(x)
        ys.append(y + c["noise"] * torch.randn(n, generator=g, dtype=D))
        x, y = draw(k, 400)
        xts.append(x)
        yts.append(y)
    params = leaves([uniform(g, d, h, d).to(D), uniform(g, d, h).to(D), uniform(g, h, 1, h).to(D),
                     uniform(g, h, 1).to(D)])
    opt = make_opt(c, params)
    kind = c["replay"] if m else "none"
    alpha, beta = c.get("alpha") or 0.0, c.get("beta") or 0.0
    state = {"x": xs[0], "y": ys[0]}
    if c.get("joint"):
        state["x"], state["y"] = torch.cat(xs), torch.cat(ys)
    buf = {"x": None, "out": None, "y": None}

    def model(x):
        return (torch.tanh(x @ params[0].T + params[1]) @ params[2].T + params[3]).squeeze(-1)

    def switch(k, e):
        keep = torch.randperm(n, generator=g)[:m]
        if m:
            bx, by = xs[k - 1][keep], ys[k - 1][keep]
            bo = model(bx).detach()
            buf["x"] = bx if buf["x"] is None else torch.cat([buf["x"], bx])
            buf["y"] = by if buf["y"] is None else torch.cat([buf["y"], by])
            buf["out"] = bo if buf["out"] is None else torch.cat([buf["out"], bo])
        state["x"], state["y"] = xs[k], ys[k]

    def replay_term(idx):
        x, o, y = take(buf["x"], idx), take(buf["out"], idx), take(buf["y"], idx)
        p = model(x)
        if kind == "er":
            return alpha * ((p - y) ** 2).mean()
        r = alpha * ((p - o) ** 2).mean()
        return r + beta * ((p - y) ** 2).mean() if kind == "derpp" else r

    def step(idx):
        opt.zero_grad()
        loss = ((model(take(state["x"], idx)) - take(state["y"], idx)) ** 2).mean()
        if kind != "none" and buf["x"] is not None:
            size = len(idx) if idx is not None else len(buf["x"])
            loss = loss + replay_term(torch.randint(len(buf["x"]), (size,), generator=g))
        loss.backward()
        opt.step()

    end = None if c.get("joint") else (T - 1) * c["per_task"]
    train_size = T * n if c.get("joint") else n + (T - 1) * m
    run = w.run(run_id, count(params), train_size, {"family": "continual-drift-replay", "hidden": h, "tasks": T,
                                                  "replay": kind},
                with_end(settings(c, ("seed", "tasks", "per_task", "n", "m", "noise", "drift", "sep", "h", "replay",
                                      "alpha", "beta", "test", "joint", "opt", "lr", "wd", "batch", "eval"))
                         | {"optimizer": c["opt"], "loss": "phase-mse-plus-%s" % kind,
                            "test_loss": "heldout-clean-mse-%s" % ("all" if c.get("joint") else c["test"]),
                            "points_per_weight": "%.3g" % (train_size / count(params))}, end))

    def log(e, final):
        k = c["tasks"] if c.get("joint") or c["test"] == "all" else seen_tasks(c, e)
        tl = ((model(state["x"]) - state["y"]) ** 2).mean()
        if kind != "none" and buf["x"] is not None:
            tl = tl + replay_term(None)
        te = sum(((model(xts[j]) - yts[j]) ** 2).mean() for j in range(k)) / k
        run.log(e, tl, te, final=final)

    changes = task_loop(g, c, lambda: len(state["x"]), step, log, switch)
    check_end(run_id, end, changes)


def runs_drift_der():
    # The logic: 4 phases of n 60 points in 8 dimensions, their clouds 2 apart (overlapping), the target a shared
    # tanh teacher plus a phase's own one times drift 0.7, target noise 0.5; 15 points a finished phase kept with the
    # model's outputs (DER, alpha 0.5), so the last phase trains on 60 points plus 45 stored outputs; the tanh MLP
    # 8 -> h -> 1 has 10 h + 1 weights, so the sweep of h (2, 4, 8, 12 at the base at 2 seeds, 24, 48, 96) crosses
    # where it can just fit a phase's 60 noisy targets plus the buffer. Adam at 0.005 on minibatches of 10 (and 10 of
    # the buffer), 60 epochs a phase, 240 in all. One thing at a time besides: no buffer (plain fine-tuning), ER and
    # DER++ (beta 0.5), 5 points kept a phase, alpha 2, clean targets and noise 1, no drift (a shift of the inputs
    # only), the clouds at one place (sep 0), 30 points a phase, the phases seen so far as the test set, momentum SGD
    # at 0.01, and two joint controls (h 12 and 48). Evaluation spacing mixed.
    base = dict(tasks=4, per_task=60, n=60, m=15, noise=0.5, drift=0.7, sep=2.0, h=12, replay="der", alpha=0.5,
                beta=None, test="all", joint=None, opt="adam", lr=0.005, wd=None, batch=10, eval="every:2")
    return drift_der, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=2, eval="every"),
        dict(h=4, eval="jitter:40"),
        dict(h=8, eval="every:2"),
        dict(h=24, eval="geom:3"),
        dict(h=48, eval="every:3"),
        dict(h=96, eval="mixed:40:4"),
        dict(m=None, replay=None, alpha=None, eval="every:2"),
        dict(replay="er", eval="every"),
        dict(replay="derpp", beta=0.5, eval="every:2"),
        dict(m=5, eval="every:4"),
        dict(alpha=2.0, eval="every:3"),
        dict(noise=0.0, eval="every:2"),
        dict(noise=1.0, eval="burst:20:5"),
        dict(drift=0.0, eval="every"),
        dict(sep=0.0, eval="every:3"),
        dict(n=30, eval="every"),
        dict(test="seen", eval="log:40"),
        dict(opt="momentum", lr=0.01, eval="rand:100"),
        dict(joint=True, m=None, replay=None, alpha=None, test=None, eval="mixlog:30:40"),
        dict(joint=True, m=None, replay=None, alpha=None, test=None, h=48, eval="every:2"),
    ], lambda d: "%s-n%d-T%dx%d-noise%g-drift%g-sep%g-h%d%s-%s-lr%g" % (
        "joint" if d.get("joint") else "seq-%s%s%s" % (
            d.get("replay") or "none", "-m%d-a%g" % (d["m"], d["alpha"]) if d.get("m") else "",
            "-b%g" % d["beta"] if d.get("beta") else ""),
        d["n"], d["tasks"], d["per_task"], d["noise"], d["drift"], d["sep"], d["h"],
        "-test%s" % d["test"] if d.get("test") else "", d["opt"], d["lr"]))


FAMILIES = {"split-digits-replay": runs_split_digits_replay, "permuted-ewc": runs_permuted_ewc,
            "drift-der": runs_drift_der}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
