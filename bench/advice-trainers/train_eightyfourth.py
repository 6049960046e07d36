#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighty-fourth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_eightythird.py in model
first. The theme of the round is implicit and continuous-depth models: a hidden state defined as the fixed point of a
layer (found by plain or Anderson iteration, the gradient taken through the fixed point by the implicit function
theorem, through one last step, or through a truncated unroll), a neural ODE integrated by fixed-step Euler or RK4
with the number of steps a setting, and weight-tied recurrent-depth networks that apply one block a set number of
times:

- anderson-deq-digits: a deep equilibrium classifier (Bai, Kolter & Koltun 2019) on scikit-learn's 8 x 8 digits
  (flattened; breast cancer in 1 run): z* = tanh(z* W + x U + b), W = gamma V / |V|_2 (its spectral norm gamma < 1:
  a contraction), found from z = 0 by Anderson acceleration (memory m, on the batch's stacked state) or by
  plain iteration, to a relative residual tol or at most 'iters' iterations, float32; the logits a linear readout of
  f(z*). Gradients: 'implicit' (the implicit function theorem: the adjoint u = dL/df + u J_f(z*) solved by the same
  solver, then back through one application of f), 'jfb' (through one application only; Fung et al. 2022) or
  'unroll' (through K plain iterations started at the detached fixed point). Noise: a share of the training labels
  flipped. Loss: the cross-entropy. Optimizer: Adam on minibatches (full batch or momentum SGD in 1 run each).
- node-solver-steps: a neural ODE regressor (Chen et al. 2018): z(0) = x A + a (augmented to m dimensions), dz/dt =
  tanh(z W1 + t w + b1) W2 + b2, integrated over [0, T] by fixed-step Euler or RK4 with 'steps' steps (1 to 16), the
  gradient through the solver's steps (discretise-then-optimise), the prediction z(T) r + c; float64. Data:
  scikit-learn's diabetes (standardised; the held-out patients as the test set) or a synthetic Friedman #1 target on
  10 uniform inputs (5 of them irrelevant; 2,000 fresh test points, clean targets). Noise: Gaussian noise added to the
  training targets. Loss: the squared error. Optimizer: full-batch Adam (minibatch Adam, momentum SGD in 1 run
  each). In 2 runs the test loss is taken by a finer solver than the one trained (RK4 at 32 steps), the ODE the
  trained field defines rather than the trained discretisation.
- looped-tied-mlp: a weight-tied recurrent-depth MLP: h_0 = relu(x E + e), then L times h_{k+1} = h_k + relu(h_k W + x
  U + b) / L (residual, input injected at every step) or h_{k+1} = tanh(h_k W + x U + b) (plain), one block W, U, b
  shared by all L steps, logits a linear readout of h_L; untied (a block of its own at every step) in 2 runs as a
  reference; evaluated at L steps (at 2L in 1 run: depth extrapolation), float64. Data: scikit-learn's breast cancer
  and wine (standardised) and two synthetic interleaved moons (2-D, Gaussian jitter). Noise: a share of the training
  labels flipped. Loss: the cross-entropy (squared error on one-hot targets in 1 run). Optimizer: Adam or momentum SGD
  on minibatches.

Train loss: the loss on the training points at their given (noisy) labels or targets; test loss: the same loss on
held-out points with true labels or clean targets; error rates: the misclassified shares (classifiers only). A run
whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, logger and
train_until (train_thirtyninth.py's epoch_loop, with eval_epochs) from train_seventyfourth.py and digit_images from
train_seventysixth.py; one thread, every random draw from a seeded torch.Generator (splits, label flips, target noise,
synthetic inputs, initialisations, minibatches), synthetic event times, 6 significant digits. No planned last epoch
is told: the last event's final marks it.

    /usr/bin/python3 train_eightyfourth.py --family anderson-deq-digits [--list] [--runs 0,3] [--out FILE]

Families (see README.md): anderson-deq-digits, node-solver-steps, looped-tied-mlp. Evaluation spacings: train.py's
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
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images  # noqa: E402  (the digits as 1 x 8 x 8 images, a seeded split)
from train_eightythird import noise_name  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


def classifier_log(run, forward, x, yn, xt, yt, loss):
    """The evaluation of a classifier: the loss and misclassified share on the training set at its given labels and on
    the held-out set at its true labels."""
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        log_(e, loss(o, yn), loss(ot, yt), (o.argmax(1) != yn).double().mean(), (ot.argmax(1) != yt).double().mean(),
             final=final)

    return log


def make_opt(c, params):
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.9, weight_decay=c.get("wd") or 0.0)


# ---------------------------------------------------------------------------------------------------- solvers


def plain_solve(f, z0, iters, tol):
    """Fixed-point iteration z = f(z) from z0, to a relative residual |f(z) - z| / |f(z)| (over the whole batch) under
    tol or at most iters applications; returns the last f(z)."""
    z = z0
    for _ in range(iters):
        fz = f(z)
        res = float((fz - z).norm()) / (1e-9 + float(fz.norm()))
        z = fz
        if res < tol:
            break
    return z


def anderson_solve(f, z0, iters, tol, m, lam=1e-4):
    """Anderson acceleration (type II, damping 1) of z = f(z) from z0 on the whole batch as one stacked state: the next
    iterate the combination sum_i alpha_i f(x_i) of the last m iterates' images, alpha minimising
    |sum_i alpha_i (f(x_i) - x_i)| subject to sum_i alpha_i = 1 (a bordered (m + 1) x (m + 1) system, solved in
    float64, lam times the mean of the Gram matrix's diagonal added to it, torch.linalg.solve); to a relative residual
    |f(x) - x| / |f(x)| under tol or at most iters applications of f; returns the last f(x)."""
    xs, fs = [z0], [f(z0)]
    k = 1
    while True:
        res = float((fs[-1] - xs[-1]).norm()) / (1e-9 + float(fs[-1].norm()))
        if res < tol or k >= iters:
            return fs[-1]
        G = torch.stack([(a - b).reshape(-1) for a, b in zip(fs, xs)])
        n = len(xs)
        GG = (G @ G.T).double()
        H = torch.zeros(n + 1, n + 1, dtype=F64)
        H[0, 1:] = H[1:, 0] = 1
        H[1:, 1:] = GG + (lam * float(GG.diagonal().mean()) + 1e-30) * torch.eye(n, dtype=F64)
        rhs = torch.zeros(n + 1, dtype=F64)
        rhs[0] = 1
        alpha = torch.linalg.solve(H, rhs)[1:].to(z0.dtype)
        x = sum(al * fi for al, fi in zip(alpha, fs))
        xs.append(x)
        fs.append(f(x))
        k += 1
        if len(xs) > m:
            xs.pop(0)
            fs.pop(0)


# ------------------------------------------------------------------------------------------------- anderson-deq-digits


def anderson_deq_digits(w, run_id, c):
    """A deep equilibrium classifier, float32. Data (from the run's generator): 'digits' digit_images (n training,
    'test' held-out images), flattened to 64 pixels; 'cancer' real_classes (breast cancer, standardised on the n
    training patients, the others held out); a share flip of the training labels flipped (flip_labels). Model: f(z) =
    tanh(z W + x U + b), W = gamma V / |V|_2 (the spectral norm by torch.linalg.matrix_norm), V, U, b, the readout R
    and c0 U(+-1 / sqrt(fan-in)) from the run's generator; the fixed point z* of f found from 0 without a graph by
    'solver' ('anderson', memory 'm', or 'plain'), to a relative residual 'tol' or at most 'iters' applications;
    logits f(z*) R + c0 (f(z*) with the graph). Gradient 'grad': 'implicit' the adjoint u = dL/df + u J_f(z*) solved
    by the same solver (at most 'iters' steps, the same tol) and sent back through the one application of f; 'jfb'
    dL/df sent back through it as it is; 'unroll' K plain applications of f from the detached z* with the graph. Loss:
    the cross-entropy. Optimizer: Adam (or momentum SGD) at lr on minibatches of batch (the full batch where batch is
    not set). Evaluation: the fixed point solved the same way. Train loss: the cross-entropy on the training points at
    their given labels; test loss: the same on the held-out points at their true labels; error rates: the
    misclassified shares."""
    g = torch.Generator().manual_seed(841_000 + c["seed"])
    if c["data"] == "digits":
        x, y, xt, yt = digit_images(g, c)
        x, xt = x.flatten(1), xt.flatten(1)
        K = 10
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F32)
    yn = flip_labels(g, y, K, c.get("flip"))
    n, d = x.shape
    h = c["hid"]
    params = leaves([uniform(g, h, h, h), uniform(g, d, d, h), uniform(g, d, h), uniform(g, h, h, K), uniform(g, h, K)])
    V, U, b, R, c0 = params
    gamma = c["gamma"]

    def solve(fun, z0):
        if c["solver"] == "anderson":
            return anderson_solve(fun, z0, c["iters"], c["tol"], c["m"])
        return plain_solve(fun, z0, c["iters"], c["tol"])

    def layer(xb):
        W = V * (gamma / torch.linalg.matrix_norm(V, ord=2))
        inj = xb @ U + b
        return lambda z: torch.tanh(z @ W + inj)

    def forward(xb):  # no graph needed: evaluation
        f = layer(xb)
        zs = solve(f, torch.zeros(len(xb), h))
        return f(zs) @ R + c0

    def step(idx):
        xb, yb = take(x, idx), take(yn, idx)
        f = layer(xb)
        with torch.no_grad():
            zs = solve(f, torch.zeros(len(xb), h))
        opt.zero_grad()
        if c["grad"] == "unroll":
            z = zs
            for _ in range(c["k"]):
                z = f(z)
            fn.cross_entropy(z @ R + c0, yb).backward()
        else:
            z0 = zs.clone().requires_grad_()
            fz = f(z0)
            loss = fn.cross_entropy(fz @ R + c0, yb)
            gf = torch.autograd.grad(loss, fz, retain_graph=True)[0]
            if c["grad"] == "implicit":
                with torch.no_grad():
                    u = solve(lambda v: gf + torch.autograd.grad(fz, z0, v, retain_graph=True)[0], gf)
            else:
                u = gf
            loss.backward(retain_graph=True, inputs=[R, c0])
            gp = torch.autograd.grad(fz, [V, U, b], u)
            for q, gq in zip((V, U, b), gp):
                q.grad = gq
        opt.step()

    opt = make_opt(c, params)
    run = w.run(run_id, count(params), n, {"family": "deq", "hidden": h, "layer": "tanh", "data": c["data"]},
                settings(c, ("seed", "data", "n", "flip", "hid", "gamma", "solver", "m", "iters", "tol", "grad", "k",
                             "opt", "lr", "batch", "eval"))
                | {"optimizer": "adam" if c["opt"] == "adam" else "sgd-momentum",
                   "fixed_point": "anderson" if c["solver"] == "anderson" else "plain-iteration",
                   "gradient": {"implicit": "implicit-function-theorem", "jfb": "jacobian-free",
                                "unroll": "truncated-unroll"}[c["grad"]],
                   "noise": "uniform-other-class" if c.get("flip") else "none", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-true-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=K)
    train_until(g, n, c, step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy))


def runs_anderson_deq_digits():
    # The logic: 300 digits, 20% of their labels flipped, a 64-wide equilibrium layer (8,906 weights, thirty a label,
    # so it can fit the flips) at gamma 0.9, the fixed point by Anderson acceleration (memory 5) to a relative residual
    # 1e-3 (at most 30 steps), implicit gradients, Adam at 3e-3 on minibatches of 100, 80 epochs; 400 held-out images.
    # The readout fits the clean images within tens of epochs, then the flipped ones, the held-out cross-entropy rising
    # as they are fitted. One thing at a time besides: plain iteration (implicit and jfb), the Jacobian-free gradient,
    # a truncated unroll of 5 steps and of 15, gamma 0.5 and 0.99, a loose tolerance (1e-1) and few steps (5), memory 2,
    # width 16 and 128, clean and 40% flipped labels, 150 and 600 images, the full batch, momentum SGD at 0.05, the
    # step 1e-3, and the breast cancer (100 patients, width 32). Evaluation spacing mixed.
    base = dict(data="digits", n=300, test=400, flip=0.2, hid=64, gamma=0.9, solver="anderson", m=5, iters=30,
                tol=1e-3, grad="implicit", k=None, opt="adam", lr=3e-3, batch=100, epochs=80, eval="every")
    return anderson_deq_digits, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(solver="plain", m=None, eval="every:2"),
        dict(solver="plain", m=None, grad="jfb", eval="jitter:35"),
        dict(grad="jfb", eval="every"),
        dict(grad="unroll", k=5, eval="every:3"),
        dict(grad="unroll", k=15, eval="geom:2"),
        dict(gamma=0.5, eval="every"),
        dict(gamma=0.99, eval="mixed:30:3"),
        dict(tol=1e-1, eval="every:2"),
        dict(iters=5, eval="every"),
        dict(m=2, eval="log:30"),
        dict(hid=16, eval="every"),
        dict(hid=128, eval="burst:10:4"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="every"),
        dict(n=150, eval="mixlog:20:30"),
        dict(n=600, eval="every:3"),
        dict(batch=None, eval="every"),
        dict(opt="sgd", lr=0.05, eval="rand:50"),
        dict(lr=1e-3, eval="every:2"),
        dict(data="cancer", n=100, test=None, hid=32, eval="every"),
    ], lambda d: "%s-n%d%s-deq%d-g%g-%s%s-it%d-tol%g-%s%s-%s-lr%g-%s" % (
        d["data"], d["n"], noise_name(d), d["hid"], d["gamma"], d["solver"], "%d" % d["m"] if d.get("m") else "",
        d["iters"], d["tol"], d["grad"], "%d" % d["k"] if d.get("k") else "", d["opt"], d["lr"],
        "b%d" % d["batch"] if d.get("batch") else "fullbatch"))


# ---------------------------------------------------------------------------------------------------- node-solver-steps


def friedman(g, m):
    """Friedman #1 (1991) from g: x uniform on [0, 1]^10, f = 10 sin(pi x1 x2) + 20 (x3 - 1/2)^2 + 10 x4 + 5 x5 (x6..x10
    irrelevant); returns x and f."""
    x = torch.rand(m, 10, generator=g, dtype=F64)
    f = 10 * torch.sin(math.pi * x[:, 0] * x[:, 1]) + 20 * (x[:, 2] - 0.5) ** 2 + 10 * x[:, 3] + 5 * x[:, 4]
    return x, f


def node_data(g, c):
    """(x, noisy training targets, xt, clean test targets), float64, from g: 'diabetes' scikit-learn's diabetes, inputs
    and progression standardised on the n training patients, the others held out; 'friedman' n training and 2,000 test
    points of friedman, the inputs centred (x - 1/2) times 2 and the target standardised by the test points' mean and
    sd. Gaussian noise of sd 'noise' added to the training targets where set."""
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
        x, y = friedman(g, c["n"])
        xt, yt = friedman(g, 2000)
        mu, sd = yt.mean(), yt.std()
        x, xt, y, yt = 2 * (x - 0.5), 2 * (xt - 0.5), (y - mu) / sd, (yt - mu) / sd
    if c.get("noise"):
        y = y + c["noise"] * torch.randn(len(y), generator=g, dtype=F64)
    return x, y, xt, yt


def integrate(field, z, T, steps, solver):
    """z(T) from z(0) = z under dz/dt = field(t, z) by 'steps' fixed steps of 'euler' or 'rk4' (the classic four
    stages), each step's graph kept."""
    dt = T / steps
    for i in range(steps):
        t = i * dt
        if solver == "euler":
            z = z + dt * field(t, z)
        else:
            k1 = field(t, z)
            k2 = field(t + dt / 2, z + dt / 2 * k1)
            k3 = field(t + dt / 2, z + dt / 2 * k2)
            k4 = field(t + dt, z + dt * k3)
            z = z + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return z


def node_solver_steps(w, run_id, c):
    """A neural ODE regressor, float64. Data: node_data. Model: z(0) = x A + a (m dimensions), dz/dt = tanh(z W1 + t w
    + b1) W2 + b2 (hid units; t the time), integrated over [0, T] by integrate ('solver' 'euler' or 'rk4', 'steps'
    steps), the gradient through every step; the prediction z(T) r + c0; every weight U(+-1 / sqrt(fan-in)) from the
    run's generator (W2 and b2 times 'init', a small field at the start). Loss: the mean squared error. Optimizer: Adam
    (or momentum SGD) at lr, full batch (minibatches of batch where set). Train loss: the mean squared error on the
    noisy training targets, by the training solver; test loss: the mean squared error against the clean targets of the
    test points (the held-out patients' standardised progression on the diabetes), by the training solver or, where
    'test_solver' is set (e.g. 'rk4:32'), by that one; no error rates."""
    g = torch.Generator().manual_seed(842_000 + c["seed"])
    x, y, xt, yt = node_data(g, c)
    n, d = x.shape
    m, h = c["aug"], c["hid"]
    A, a = uniform(g, d, d, m), uniform(g, d, m)
    W1, wt, b1 = uniform(g, m + 1, m, h), uniform(g, m + 1, h), uniform(g, m + 1, h)
    W2, b2 = uniform(g, h, h, m) * c["init"], uniform(g, h, m) * c["init"]
    r, c0 = uniform(g, m, m, 1), uniform(g, m, 1)
    params = leaves([p.to(F64) for p in (A, a, W1, wt, b1, W2, b2, r, c0)])
    A, a, W1, wt, b1, W2, b2, r, c0 = params

    def field(t, z):
        return torch.tanh(z @ W1 + t * wt + b1) @ W2 + b2

    def predict(z, solver, steps):
        return (integrate(field, z @ A + a, c["T"], steps, solver) @ r + c0)[:, 0]

    ts = c.get("test_solver")
    t_solver, t_steps = (ts.split(":")[0], int(ts.split(":")[1])) if ts else (c["solver"], c["steps"])
    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        ((predict(take(x, idx), c["solver"], c["steps"]) - take(y, idx)) ** 2).mean().backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "neural-ode", "augmented_dim": m, "hidden": h,
                                           "solver": c["solver"], "steps": c["steps"], "data": c["data"]},
                settings(c, ("seed", "data", "n", "noise", "aug", "hid", "init", "T", "solver", "steps", "test_solver",
                             "opt", "lr", "batch", "eval"))
                | {"optimizer": "adam" if c["opt"] == "adam" else "sgd-momentum",
                   "gradient": "through-solver-steps", "noise_kind": "gaussian-target" if c.get("noise") else "none",
                   "loss": "mse", "test_loss": ("heldout-mse" if c["data"] == "diabetes" else "mse-clean-target")
                   + ("-" + ts.replace(":", "") if ts else ""), "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((predict(x, c["solver"], c["steps"]) - y) ** 2).mean(),
             ((predict(xt, t_solver, t_steps) - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_node_solver_steps():
    # The logic: 120 diabetes patients, their standardised progression plus Gaussian noise of sd 0.5, a neural ODE
    # (10 inputs lifted to 12 dimensions, a field of 32 tanh units, 989 weights, eight a patient, so it can fit the
    # noise) over T = 1 by Euler at 4 steps, full-batch Adam at 3e-3, 500 epochs; the other 322 patients held out. The
    # flow fits the signal first (a near-linear map), then the noise, the held-out error rising as it does. One thing
    # at a time besides: Euler at 1, 2 and 16 steps, RK4 at 1 and 4 steps, T = 3 (Euler at 4 and RK4 at 4: a stiffer,
    # longer flow), no added noise and sd 1, 60 and 250 patients, width 8 and 96, minibatches of 20, momentum SGD at
    # 0.01, the test loss by RK4 at 32 steps (Euler at 2 and 4 trained), and Friedman #1 (150 points, noise 0.5; Euler 4
    # and RK4 2). Evaluation spacing mixed.
    base = dict(data="diabetes", n=120, noise=0.5, aug=12, hid=32, init=0.5, T=1.0, solver="euler", steps=4,
                test_solver=None, opt="adam", lr=3e-3, batch=None, epochs=500, eval="every:2")
    return node_solver_steps, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(steps=1, eval="every"),
        dict(steps=2, eval="jitter:40"),
        dict(steps=16, eval="every:4"),
        dict(solver="rk4", steps=1, eval="every:3"),
        dict(solver="rk4", steps=4, eval="geom:3"),
        dict(T=3.0, eval="every:2"),
        dict(T=3.0, solver="rk4", eval="mixed:60:5"),
        dict(noise=None, eval="log:35"),
        dict(noise=1.0, eval="every:2"),
        dict(n=60, eval="every"),
        dict(n=250, eval="burst:30:6"),
        dict(hid=8, eval="every:3"),
        dict(hid=96, eval="every:2"),
        dict(batch=20, epochs=200, eval="every"),
        dict(opt="sgd", lr=0.01, eval="mixlog:40:35"),
        dict(steps=2, test_solver="rk4:32", eval="every:2"),
        dict(steps=4, test_solver="rk4:32", eval="rand:80"),
        dict(data="friedman", n=150, eval="every:3"),
        dict(data="friedman", n=150, solver="rk4", steps=2, eval="log:40"),
    ], lambda d: "%s-n%d%s-node%dx%d-T%g-%s%d%s-%s-lr%g-%s" % (
        d["data"], d["n"], "-noise%g" % d["noise"] if d.get("noise") else "-clean", d["aug"], d["hid"], d["T"],
        d["solver"], d["steps"], "-test-%s" % d["test_solver"].replace(":", "") if d.get("test_solver") else "",
        d["opt"], d["lr"], "b%d" % d["batch"] if d.get("batch") else "fullbatch"))


# ---------------------------------------------------------------------------------------------------- looped-tied-mlp


def moons(g, m, jitter):
    """Two interleaved half circles (labels 0 and 1), points at uniform angles, Gaussian jitter of sd jitter, from g."""
    yy = torch.randint(0, 2, (m,), generator=g)
    th = math.pi * torch.rand(m, generator=g, dtype=F64)
    x = torch.stack([torch.cos(th), torch.sin(th)], 1)
    x = torch.where(yy[:, None] == 1, torch.stack([1 - torch.cos(th), 0.5 - torch.sin(th)], 1), x)
    x = x + jitter * torch.randn(m, 2, generator=g, dtype=F64)
    return (x - torch.tensor([0.5, 0.25], dtype=F64)) * 2, yy


def looped_tied_mlp(w, run_id, c):
    """A weight-tied recurrent-depth MLP, float64. Data (from the run's generator): 'cancer' or 'wine' real_classes
    (standardised on the n training points, the others held out); 'moons' n training and 2,000 test points of moons
    (jitter 0.2); a share flip of the training labels flipped (flip_labels). Model: h_0 = relu(x E + e) (width hid),
    then 'loops' L times the block: 'res' h + relu(h W + x U + b) / L, or 'plain' tanh(h W + x U + b); 'tied' one W,
    U, b for all L steps, 'untied' a block of its own at each; logits h_L R + c0; every weight U(+-1 / sqrt(fan-in))
    from the run's generator. Evaluation at L steps (at 'test_loops' where set: depth extrapolation, tied only). Loss: the
    cross-entropy ('ce') or the squared error to one-hot targets summed over the classes ('mse'). Optimizer: Adam (or
    momentum SGD) at lr on minibatches of batch. Train loss: the loss on the training points at their given labels;
    test loss: the same on the held-out points at their true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(843_000 + c["seed"])
    if c["data"] == "moons":
        x, y = moons(g, c["n"], 0.2)
        xt, yt = moons(g, 2000, 0.2)
        K = 2
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F64)
    yn = flip_labels(g, y, K, c.get("flip"))
    n, d = x.shape
    h, L = c["hid"], c["loops"]
    E, e0 = uniform(g, d, d, h), uniform(g, d, h)
    blocks = [[uniform(g, h + d, h, h), uniform(g, h + d, d, h), uniform(g, h + d, h)]
              for _ in range(1 if c["tie"] == "tied" else L)]
    R, c0 = uniform(g, h, h, K), uniform(g, h, K)
    params = leaves([p.to(F64) for p in [E, e0] + [q for blk in blocks for q in blk] + [R, c0]])
    E, e0, R, c0 = params[0], params[1], params[-2], params[-1]
    blocks = [params[2 + 3 * i:5 + 3 * i] for i in range(len(blocks))]

    def forward(z, loops=None):
        loops = loops or L
        hh = torch.relu(z @ E + e0)
        for k in range(loops):
            W, U, b = blocks[0] if c["tie"] == "tied" else blocks[k]
            if c["block"] == "res":
                hh = hh + torch.relu(hh @ W + z @ U + b) / L
            else:
                hh = torch.tanh(hh @ W + z @ U + b)
        return hh @ R + c0

    def loss(o, t):
        if c["loss"] == "ce":
            return fn.cross_entropy(o, t)
        return ((o - fn.one_hot(t, K).to(o.dtype)) ** 2).sum(1).mean()

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        loss(forward(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    tl = c.get("test_loops")
    run = w.run(run_id, count(params), n, {"family": "recurrent-depth-mlp", "hidden": h, "loops": L,
                                           "block": c["block"], "weights": c["tie"], "data": c["data"]},
                settings(c, ("seed", "data", "n", "flip", "hid", "loops", "test_loops", "block", "tie", "loss", "opt",
                             "lr", "wd", "batch", "eval"))
                | {"optimizer": "adam" if c["opt"] == "adam" else "sgd-momentum",
                   "noise": "uniform-other-class" if c.get("flip") else "none",
                   "test_loss": "heldout-%s-true-labels" % c["loss"] + ("-at-%d-loops" % tl if tl else ""),
                   "error": "misclassified", "test_size": str(len(yt))}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt, tl)
        log_(e, loss(o, yn), loss(ot, yt), (o.argmax(1) != yn).double().mean(), (ot.argmax(1) != yt).double().mean(),
             final=final)

    train_until(g, n, c, step, log)


def runs_looped_tied_mlp():
    # The logic: 150 breast-cancer patients, 20% of their labels flipped, a tied residual block of width 32 looped 8
    # times (3,074 weights, twenty a patient, so it can fit the flips), Adam at 1e-3 on minibatches of 25, 150 epochs;
    # the other 419 patients held out. The clean signal is learnt in a few epochs, then the flips, the held-out
    # cross-entropy rising as they are fitted. One thing at a time besides: 1, 2, 4 and 16 loops, the plain tanh block
    # (8 loops), untied blocks (8 loops, residual and plain), evaluation at 16 loops (8 trained), width 8 and 96, clean
    # and 40% flipped labels, 60 and 300 patients, momentum SGD at 0.02, weight decay 1e-3, the squared error, wine (80
    # points) and the moons (200 points, 20% flipped; 8 and 2 loops). Evaluation spacing mixed.
    base = dict(data="cancer", n=150, flip=0.2, hid=32, loops=8, test_loops=None, block="res", tie="tied", loss="ce",
                opt="adam", lr=1e-3, wd=None, batch=25, epochs=150, eval="every")
    return looped_tied_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(loops=1, eval="every:2"),
        dict(loops=2, eval="jitter:40"),
        dict(loops=4, eval="every"),
        dict(loops=16, eval="every:3"),
        dict(block="plain", eval="geom:2"),
        dict(tie="untied", eval="every:2"),
        dict(tie="untied", block="plain", eval="every"),
        dict(test_loops=16, eval="mixed:40:3"),
        dict(hid=8, eval="every"),
        dict(hid=96, eval="burst:20:5"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="log:35"),
        dict(n=60, eval="every"),
        dict(n=300, eval="every:4"),
        dict(opt="sgd", lr=0.02, eval="mixlog:30:35"),
        dict(wd=1e-3, eval="every:2"),
        dict(loss="mse", eval="every"),
        dict(data="wine", n=80, eval="rand:70"),
        dict(data="moons", n=200, eval="every:2"),
        dict(data="moons", n=200, loops=2, eval="every"),
    ], lambda d: "%s-n%d%s-%s-%s%dx%d%s-%s-%s-lr%g%s-b%d" % (
        d["data"], d["n"], noise_name(d), d["tie"], d["block"], d["loops"], d["hid"],
        "-test%d" % d["test_loops"] if d.get("test_loops") else "", d["loss"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else "", d["batch"]))


FAMILIES = {"anderson-deq-digits": runs_anderson_deq_digits, "node-solver-steps": runs_node_solver_steps,
            "looped-tied-mlp": runs_looped_tied_mlp}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
