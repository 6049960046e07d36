#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, forty-first held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 125 families of train.py ... train_thirtyninth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is model classes that no earlier round used, for
sequences and dynamics:

- ssm-diagonal: a diagonal linear state-space sequence model (LRU/S4D-like): a complex diagonal recurrence
  h_t = lambda * h_(t-1) + gamma B u_t with learned decays and phases (lambda = exp(-exp(nu) + i theta), gamma =
  sqrt(1 - |lambda|^2)), learned input and output projections B, C and a skip D, read at the last step through a GELU
  layer; on synthetic sequences whose target has a fast part in the last few steps of one channel and a slow,
  long-memory part (an exponentially weighted sum far back) in a second channel at a small scale, and on scikit-learn's
  digits read pixel by pixel as sequences of 64 steps with flipped labels; Adam with a smaller step on the recurrence;
- neural-ode-rk4: a neural ODE, an MLP vector field integrated by a hand-written fixed-step classical Runge-Kutta
  (RK4) solver, back-propagated through the solver's steps; fitted to noisy observations of a damped Duffing
  oscillator (or a Lotka-Volterra system) on short segments that start at the noisy observed states, and judged by
  long rollouts from clean initial states of fresh trajectories; and as a continuous-depth classifier (an embedding
  flowed by the ODE over unit time, then a linear head) on the digits with flipped labels;
- hopfield-retrieval: a modern Hopfield layer (Ramsauer et al. 2020) as a classifier or regressor: a learned
  projection of the input as the state pattern, M learned stored patterns, the update xi <- Xi^T softmax(beta Xi xi)
  iterated a few times with a learned inverse temperature beta, a linear head on the retrieved pattern; on the digits
  and breast cancer with flipped labels and on a two-scale regression teacher and diabetes with noisy targets.

The file format, determinism and helpers are the earlier files': Writer and the digits and the command line from
train.py, settings from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, plain_opt
(the contrast optimizers) from train_thirtyfourth.py, leaves from train_thirtysixth.py, eval_epochs (the irregular
spacings) from train_thirtyseventh.py and epoch_loop, take, flip_labels and muon_data (two-scale regression, digits,
breast cancer, diabetes) from train_thirtyninth.py; one thread, every random draw from a seeded torch.Generator,
synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fortyfirst.py --family ssm-diagonal [--list] [--runs 0,3] [--out FILE]

Families (see README.md): ssm-diagonal, neural-ode-rk4, hopfield-retrieval. Evaluation spacings: train.py's 'every',
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
from train_thirtyfourth import plain_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, muon_data, take  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64


# ---------------------------------------------------------------------------------------------------- ssm-diagonal


def ssm_data(g, c):
    """(u, y, ut, yt, K), float64; u of shape (m, T, channels). 'synth': sequences of T steps in two channels of
    standard normals, the second times s; the target a fast part of power F, u1_T + tanh(2 u1_(T-1)) standardised on
    4,000 reference sequences (the first channel's last two steps), plus a slow part of power S, the long-memory sum
    sum_k rho^k u2_(T-k) / s (k = 0 ... T - 1) of the second channel at unit scale, standardised exactly; Gaussian noise
    c['noise'] on the n training targets, 2,000 fresh test sequences with clean targets. 'digits': train.digits read
    pixel by pixel (T 64 steps of one channel, row by row), n training images, image columns 4-7 times s, a share
    'flip' of the labels replaced by another class; the other images, clean, the test set."""
    if c["data"] == "digits":
        x, y, xt, yt = train.digits(c["seed"], c["n"], c.get("flip") or 0.0, (c["s"], [4, 5, 6, 7]))
        return x.double().unsqueeze(2), y, xt.double().unsqueeze(2), yt, 10
    T, s, rho = c["T"], c["s"], c["rho"]

    def seqs(m):
        u = torch.randn(m, T, 2, generator=g, dtype=F64)
        u[:, :, 1] *= s
        return u

    def fast(u):
        return u[:, -1, 0] + torch.tanh(2 * u[:, -2, 0])

    ref = fast(seqs(4000))
    mu, sd = ref.mean(), ref.std()
    wts = rho ** torch.arange(T - 1, -1, -1, dtype=F64)  # rho^k at step T - k
    norm = wts.norm()

    def clean(u):
        return math.sqrt(c["F"]) * (fast(u) - mu) / sd + math.sqrt(c["S"]) * (u[:, :, 1] / s) @ wts / norm

    u, ut = seqs(c["n"]), seqs(2000)
    y = clean(u) + c["noise"] * torch.randn(c["n"], generator=g, dtype=F64)
    return u, y, ut, clean(ut), 1


def ssm_diagonal(w, run_id, c):
    """A diagonal linear state-space layer read at the last step (the LRU of Orvieto et al. 2023; S4D's diagonal
    state matrix), float64: N complex modes lambda_n = exp(-exp(nu_n) + i theta_n), |lambda| drawn uniformly on the
    ring [r_min, r_max] (by area) and theta uniformly on [0, phase]; the state h_T = sum_k lambda^k gamma (B u_(T-k)),
    gamma = sqrt(1 - |lambda|^2) (the LRU's normalisation, recomputed from lambda), B complex N x channels (normals /
    sqrt(2 channels)); the output y = Re(C h_T) + D u_T, C complex H x N (normals / sqrt(N)), D real; then a GELU layer
    H -> h and a linear head to K (weights U(+-1 / sqrt(fan-in))). The state is computed as the convolution with the
    kernel lambda^k (all steps at once, in real arithmetic). Data: ssm_data. Loss: half the squared error (regression)
    or the cross-entropy. Optimizer: Adam at step lr on B, C, D and the readout and at lr times rec_lr on nu and theta
    (the recurrence; the LRU's and S4's practice), on minibatches; or SGD with momentum 0.9 on all at lr
    (opt 'momentum'); decays frozen where freeze. Train loss: the loss on the noisy training targets or labels; test
    loss: the squared error against the clean test targets, or the cross-entropy of the clean test labels; error rates
    too for the digits."""
    g = torch.Generator().manual_seed(411_000 + c["seed"])
    u, y, ut, yt, K = ssm_data(g, c)
    d, N, H, h = u.shape[2], c["N"], c["H"], c["h"]
    rmin, rmax = c["rmin"], c["rmax"]
    mag = torch.sqrt(torch.rand(N, generator=g, dtype=F64) * (rmax ** 2 - rmin ** 2) + rmin ** 2)
    nu = torch.log(-torch.log(mag))
    theta = torch.rand(N, generator=g, dtype=F64) * c["phase"]
    Bre = torch.randn(N, d, generator=g, dtype=F64) / math.sqrt(2 * d)
    Bim = torch.randn(N, d, generator=g, dtype=F64) / math.sqrt(2 * d)
    Cre = torch.randn(H, N, generator=g, dtype=F64) / math.sqrt(N)
    Cim = torch.randn(H, N, generator=g, dtype=F64) / math.sqrt(N)
    D = torch.randn(H, d, generator=g, dtype=F64) / math.sqrt(d)
    W1, b1 = uniform(g, H, H, h).double(), uniform(g, H, h).double()
    W2, b2 = uniform(g, h, h, K).double(), uniform(g, h, K).double()
    rec = [nu, theta]
    rest = leaves([Bre, Bim, Cre, Cim, D, W1, b1, W2, b2])
    if not c.get("freeze"):
        leaves(rec)
    T = u.shape[1]
    kk = torch.arange(T, dtype=F64)[:, None]

    def kernel():
        """The convolution kernel Re(C diag(lambda^k gamma) B), (T * channels) x H, row k * channels + j the weight
        of u_(T-k)'s channel j."""
        decay = torch.exp(nu)
        amp = torch.exp(-kk * decay) * torch.sqrt(1 - torch.exp(-2 * decay))  # |lambda|^k gamma, (T, N)
        pr, pi = amp * torch.cos(kk * theta), amp * torch.sin(kk * theta)
        cbr = Cre[:, :, None] * Bre[None] - Cim[:, :, None] * Bim[None]  # Re(C_hn B_nj), (H, N, d)
        cbi = Cre[:, :, None] * Bim[None] + Cim[:, :, None] * Bre[None]  # Im(C_hn B_nj)
        return (torch.einsum("kn,hnj->kjh", pr, cbr) - torch.einsum("kn,hnj->kjh", pi, cbi)).reshape(T * d, H)

    def forward(z, ker=None):
        ker = kernel() if ker is None else ker
        out = z.flip(1).reshape(len(z), T * d) @ ker + z[:, -1] @ D.T
        f = fn.gelu(out @ W1 + b1) @ W2 + b2
        return f.squeeze(1) if K == 1 else f

    def lossf(f, t):
        return 0.5 * ((f - t) ** 2).mean() if K == 1 else fn.cross_entropy(f, t)

    if c["opt"] == "adam":
        groups = [{"params": rest, "lr": c["lr"]}]
        if not c.get("freeze"):
            groups.append({"params": rec, "lr": c["lr"] * c["rec_lr"]})
        opt = torch.optim.Adam(groups, lr=c["lr"])
    else:
        opt = plain_opt(c, rest + ([] if c.get("freeze") else rec))

    def step(idx):
        opt.zero_grad()
        lossf(forward(take(u, idx)), take(y, idx)).backward()
        opt.step()

    count = sum(q.numel() for q in rest) + (0 if c.get("freeze") else 2 * N)
    run = w.run(run_id, count, len(u),
                {"family": "diagonal-ssm", "modes": N, "channels_out": H, "readout_width": h, "steps": T,
                 "inputs": d, "outputs": K},
                settings(c, ("seed", "data", "n", "T", "s", "rho", "F", "S", "noise", "flip", "N", "H", "h", "rmin",
                             "rmax", "phase", "freeze", "opt", "lr", "rec_lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "ce",
                   "test_loss": "clean-mse" if K == 1 else "clean-ce"},
                output_dim=K)

    def log(e, final):
        ker = kernel()
        f, ft = forward(u, ker), forward(ut, ker)
        if K == 1:
            run.log(e, 2 * lossf(f, y), 2 * lossf(ft, yt), final=final)
        else:
            run.log(e, lossf(f, y), lossf(ft, yt), (f.argmax(1) != y).double().mean(),
                    (ft.argmax(1) != yt).double().mean(), final=final)

    epoch_loop(g, len(u), c, step, log)


def runs_ssm_diagonal():
    # The logic: the target's slow part is a long-memory sum of the second channel (rho 0.99: a memory of about 100 of
    # the 128 steps) at a small input scale (0.1), and the LRU's ring of initial decays, |lambda| in [0.4, 0.9], reaches
    # only about a third of its variance; the rest comes once some decays have moved out to about 0.99, which the
    # recurrence, stepped at a fifth of the step (0.2 of Adam's 0.01), does over some tens to hundreds of epochs. The
    # fast part (the first channel's last two steps) is fitted within tens of epochs through the skip D and the fast
    # modes, and a readout of 8 outputs through 16 GELU units, 530 weights in all against 200 noisy targets (noise
    # 0.5), fits the noise at the same time; so the slow part's late arrival may or may not beat the first minimum. The grid
    # moves one thing at a time: the recurrence's step (the full step; a twentieth, over 600 epochs), the ring's
    # outer radius (0.995: the memory within reach from the start), frozen decays and phases (a fixed filter bank),
    # the phases over the whole circle (the LRU's default), the modes (4, 64), the outputs (2), the readout (64
    # units), no scale gap, no slow part, a shorter memory (rho 0.95), the noise (1.0), the data (n 100, 400), the full
    # batch (1,000 epochs), the step (0.003, 600 epochs), SGD with momentum for contrast, and the digits read pixel by
    # pixel (64 steps; 16 outputs, 32 readout units) with 20% flipped labels and without flips.
    base = dict(data="synth", n=200, T=128, s=0.1, rho=0.99, F=1.0, S=2.0, noise=0.5, flip=None, N=16, H=8, h=16,
                rmin=0.4, rmax=0.9, phase=math.pi / 10, freeze=None, opt="adam", lr=0.01, rec_lr=0.2, batch=50,
                epochs=300, eval="log:35")
    digits = dict(data="digits", n=300, T=None, s=0.1, rho=None, F=None, S=None, noise=None, flip=0.2, H=16, h=32,
                  batch=30, epochs=150)
    return ssm_diagonal, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(rec_lr=1.0, eval="every:3"),
        dict(rec_lr=0.05, epochs=600, eval="jitter:35"),
        dict(rmax=0.995, eval="mixed:20:5"),
        dict(freeze=True, rec_lr=None, eval="geom:3"),
        dict(phase=2 * math.pi, eval="rand:80"),
        dict(N=4, eval="every:2"),
        dict(N=64, eval="log:35"),
        dict(H=2, eval="mixlog:20:30"),
        dict(h=64, eval="every:3"),
        dict(s=1.0, eval="jitter:30"),
        dict(S=0.0, eval="every:2"),
        dict(rho=0.95, eval="rand:100"),
        dict(noise=1.0, eval="geom:4"),
        dict(n=100, eval="log:35"),
        dict(n=400, eval="every:4"),
        dict(batch=None, epochs=1000, eval="log:35"),
        dict(lr=0.003, epochs=600, eval="mixed:30:5"),
        dict(opt="momentum", lr=0.003, rec_lr=None, eval="every:3"),
        dict(digits, eval="mixlog:20:30"),
        dict(digits, flip=None, eval="every:2"),
    ], lambda d: "%s-n%d%s-s%g%s%s-N%d-H%d-h%d-rmax%g%s%s-%s-lr%g%s-b%s" % (
        d["data"], d["n"], "-T%d-rho%g-S%g" % (d["T"], d["rho"], d["S"]) if d["data"] == "synth" else "", d["s"],
        "-noise%g" % d["noise"] if d.get("noise") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        d["N"], d["H"], d["h"], d["rmax"], "-phase%.3g" % d["phase"] if d["phase"] > 1 else "",
        "-frozen" if d.get("freeze") else "", d["opt"], d["lr"],
        "-rec%g" % d["rec_lr"] if d.get("rec_lr") is not None else "", d["batch"] or "full"))


# ---------------------------------------------------------------------------------------------------- neural-ode-rk4


def rk4(field, z, dt, steps):
    """`steps` classical Runge-Kutta steps of size dt of dz/dt = field(z) from z (autograd through every stage)."""
    for _ in range(steps):
        k1 = field(z)
        k2 = field(z + 0.5 * dt * k1)
        k3 = field(z + 0.5 * dt * k2)
        k4 = field(z + dt * k3)
        z = z + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return z


def euler(field, z, dt, steps):
    for _ in range(steps):
        z = z + dt * field(z)
    return z


def true_field(c):
    """The system's vector field: 'duffing', x' = v, v' = -x - a x^3 - gamma v (a hardening spring and weak damping);
    'lv', Lotka-Volterra in log-coordinates shifted to the equilibrium, p' = (e^q - 1) - gamma p, q' = -(e^p - 1)
    (a conserved cycle, and a weak damping gamma towards the equilibrium)."""
    a, gam = c.get("a") or 0.0, c["gamma"]
    if c["system"] == "duffing":
        return lambda z: torch.stack([z[:, 1], -z[:, 0] - a * z[:, 0] ** 3 - gam * z[:, 1]], 1)
    return lambda z: torch.stack([torch.exp(z[:, 1]) - 1 - gam * z[:, 0], -(torch.exp(z[:, 0]) - 1)], 1)


def ode_data(g, c):
    """Noisy observations of the system (true_field integrated by RK4 at 20 substeps an interval): `traj` training
    trajectories from initial states at radius uniform in [r0, r1] and a uniform angle, observed at K + 1 times dt_obs
    apart under Gaussian noise c['noise'] on each coordinate; 'L'-interval segments starting at every observation that
    has L after it (inputs: the noisy start, targets: the noisy next L states). Test: 100 fresh trajectories from
    clean initial states, their clean states at the H_test intervals after the start."""
    f = true_field(c)

    def starts(m):
        r = c["r0"] + (c["r1"] - c["r0"]) * torch.rand(m, generator=g, dtype=F64)
        ang = 2 * math.pi * torch.rand(m, generator=g, dtype=F64)
        return torch.stack([r * torch.cos(ang), r * torch.sin(ang)], 1)

    def roll(z0, n_int):
        out, z = [z0], z0
        for _ in range(n_int):
            z = rk4(f, z, c["dt_obs"] / 20, 20)
            out.append(z)
        return torch.stack(out, 1)  # (m, n_int + 1, 2)

    clean = roll(starts(c["traj"]), c["K"])
    obs = clean + c["noise"] * torch.randn(clean.shape, generator=g, dtype=F64)
    L = c["L"]
    x = torch.cat([obs[:, i] for i in range(c["K"] + 1 - L)], 0)
    y = torch.cat([obs[:, i + 1:i + 1 + L] for i in range(c["K"] + 1 - L)], 0)
    test = roll(starts(100), c["H_test"])
    return x, y, test[:, 0], test[:, 1:]


def neural_ode_rk4(w, run_id, c):
    """A neural ODE dz/dt = f(z), f an MLP (layers of width h, tanh, weights U(+-1 / sqrt(fan-in)) from the run's
    generator; depth 1 or 2 hidden layers), float64, integrated by the hand-written RK4 solver at `sub` steps per
    interval of length dt (by Euler steps where solver is 'euler'), gradients through every stage. 'trajectory' data
    (ode_data): from each segment's noisy start the model is integrated over L observation intervals and compared with
    the L noisy observations; loss the mean squared error per coordinate; test loss: rollouts from the clean initial
    states of 100 fresh trajectories over H_test intervals, the mean squared error per coordinate against the clean
    states. 'digits' (classifier): train.digits (image columns 4-7 times s, a share 'flip' of the labels replaced),
    z0 = A x + a (m dims), flowed over unit time, logits = W z1 + b; the cross-entropy; test loss the clean test
    labels' cross-entropy; error rates too. Optimizer: Adam at step lr (or SGD with momentum 0.9, opt 'momentum'),
    on minibatches of segments or images (the full batch where batch is None)."""
    g = torch.Generator().manual_seed(412_000 + c["seed"])
    h, depth = c["h"], c.get("depth") or 2
    classes = c["data"] == "digits"
    if classes:
        x, y, xt, yt = train.digits(c["seed"], c["n"], c.get("flip") or 0.0, (c["s"], [4, 5, 6, 7]))
        x, xt = x.double(), xt.double()
        m = c["m"]
        emb = [uniform(g, 64, 64, m).double(), uniform(g, 64, m).double()]
        head = [uniform(g, m, m, 10).double(), uniform(g, m, 10).double()]
    else:
        x, y, xt, yt = ode_data(g, c)
        m, emb, head = 2, [], []
    dims = [m] + [h] * depth + [m]
    layers = []
    for a, b in zip(dims, dims[1:]):
        layers += [uniform(g, a, a, b).double(), uniform(g, a, b).double()]
    params = leaves(emb + layers + head)
    integ = euler if c.get("solver") == "euler" else rk4
    dt = c["dt_obs"] / c["sub"] if not classes else 1.0 / c["sub"]

    def field(z):
        for i in range(0, len(layers) - 2, 2):
            z = torch.tanh(z @ layers[i] + layers[i + 1])
        return z @ layers[-2] + layers[-1]

    def predict(z0, n_int):
        out, z = [], z0
        for _ in range(n_int):
            z = integ(field, z, dt, c["sub"])
            out.append(z)
        return torch.stack(out, 1)

    def forward(z):
        if classes:
            return integ(field, z @ emb[0] + emb[1], dt, c["sub"]) @ head[0] + head[1]
        return predict(z, c["L"])

    def lossf(f, t):
        return fn.cross_entropy(f, t) if classes else ((f - t) ** 2).mean()

    opt = plain_opt(c, params)

    def step(idx):
        opt.zero_grad()
        lossf(forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    info = {"family": "neural-ode", "field_width": h, "field_depth": depth, "state_dim": m,
            "solver": c.get("solver") or "rk4"}
    run = w.run(run_id, sum(q.numel() for q in params), len(x), info | ({"outputs": 10} if classes else {}),
                settings(c, ("seed", "data", "system", "a", "gamma", "traj", "K", "L", "dt_obs", "r0", "r1", "noise",
                             "H_test", "n", "s", "flip", "m", "h", "depth", "solver", "sub", "opt", "lr", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "ce" if classes else "mse",
                   "test_loss": "clean-ce" if classes else "clean-rollout-mse"},
                output_dim=10 if classes else 1)

    def log(e, final):
        if classes:
            f, ft = forward(x), forward(xt)
            run.log(e, lossf(f, y), lossf(ft, yt), (f.argmax(1) != y).double().mean(),
                    (ft.argmax(1) != yt).double().mean(), final=final)
        else:
            run.log(e, lossf(forward(x), y), lossf(predict(xt, c["H_test"]), yt), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_neural_ode_rk4():
    # The logic: a vector field of two tanh layers of 32 units (1,250 weights) fitted to 120 one-interval segments of
    # 12 noisy trajectories (240 noisy target coordinates, noise 0.1 against states of size 0.5-2) can bend between
    # the observed states to fit the noise, and a rollout of 30 intervals (three times the observed span) from fresh
    # initial states adds up every such bend; the hardening spring is learned first, the weak damping (0.1), whose
    # effect on one interval is a few hundredths but on a rollout a factor e^-0.45, later, and full-batch Adam's first
    # steps overshoot. The grid moves one thing at a time: the data (6 and 24 trajectories), the noise (0.05, 0.2),
    # the field's width (8, 64) and depth (1), segments of 3 intervals (multiple shooting), one RK4 step an interval,
    # Euler steps (2 an interval), no damping, the Lotka-Volterra system, the step (0.001, 0.0003), minibatches of 20
    # segments (300 epochs), SGD with momentum for contrast, a rollout of 60 intervals, and the continuous-depth
    # classifier on the digits (16 dimensions flowed over unit time by 4 RK4 steps, or 1; 20% flipped labels, the
    # right half dimmed).
    base = dict(data="trajectory", system="duffing", a=0.5, gamma=0.1, traj=12, K=10, L=1, dt_obs=0.3, r0=0.5,
                r1=2.0, noise=0.1, H_test=30, n=None, s=None, flip=None, m=None, h=32, depth=2, solver=None, sub=2,
                opt="adam", lr=0.01, batch=None, epochs=800, eval="log:35")
    digits = dict(data="digits", system=None, a=None, gamma=None, traj=None, K=None, L=None, dt_obs=None, r0=None,
                  r1=None, noise=None, H_test=None, n=300, s=0.1, flip=0.2, m=16, depth=1, sub=4, lr=0.003, batch=30,
                  epochs=100)
    return neural_ode_rk4, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(traj=6, eval="every:4"),
        dict(traj=24, eval="jitter:35"),
        dict(noise=0.05, eval="mixed:20:5"),
        dict(noise=0.2, eval="geom:4"),
        dict(h=8, eval="every:4"),
        dict(h=64, eval="log:35"),
        dict(depth=1, eval="rand:80"),
        dict(L=3, eval="mixlog:20:30"),
        dict(sub=1, eval="every:5"),
        dict(solver="euler", eval="log:35"),
        dict(gamma=0.0, eval="jitter:30"),
        dict(system="lv", a=None, eval="every:4"),
        dict(lr=0.001, eval="mixed:30:8"),
        dict(lr=0.0003, eval="log:35"),
        dict(batch=20, epochs=300, eval="every:2"),
        dict(opt="momentum", eval="geom:5"),
        dict(H_test=60, eval="log:35"),
        dict(digits, eval="mixlog:20:30"),
        dict(digits, sub=1, eval="every:2"),
    ], lambda d: "%s%s-h%d-d%d-%s%d-%s-lr%g-b%s" % (
        d["data"], "-%s%s-gamma%g-traj%d-L%d-noise%g-test%d" % (
            d["system"], "-a%g" % d["a"] if d.get("a") else "", d["gamma"], d["traj"], d["L"], d["noise"],
            d["H_test"]) if d["data"] == "trajectory" else "-n%d-s%g-flip%g-m%d" % (d["n"], d["s"], d["flip"], d["m"]),
        d["h"], d["depth"], d.get("solver") or "rk4", d["sub"], d["opt"], d["lr"], d["batch"] or "full"))


# ---------------------------------------------------------------------------------------------------- hopfield


def hopfield_retrieval(w, run_id, c):
    """A modern Hopfield layer (Ramsauer et al. 2020, 'Hopfield networks is all you need'), float64: the state
    pattern xi = LN(W_q x + b_q) (r dims; LN a layer norm without gain, so |xi| = sqrt(r)), M stored patterns Xi (rows
    LN-normalised the same way, learned, from normals), the update xi <- Xi^T softmax(beta Xi xi) iterated `iters`
    times (one step is an attention over the stored patterns; repeated, it descends the modern Hopfield energy towards
    a fixed point near one stored pattern or a mixture of them), beta = exp(log_beta) learned (from 1 / sqrt(r) times
    beta0), and a linear head on the retrieved pattern to K outputs. Data: muon_data (two-scale inputs under a teacher
    with a linear and a tanh part with Gaussian target noise; diabetes with its products; the digits with the right
    half dimmed and breast cancer with half its columns dimmed, a share of their labels flipped). Loss: half the
    squared error or the cross-entropy. Optimizer: Adam at step lr (or SGD with momentum 0.9), beta frozen where
    fix_beta, on minibatches. Train loss: the loss on the noisy training targets or labels; test loss: the squared error
    against the clean test targets (the held-out progression on diabetes) or the cross-entropy of the clean test
    labels; error rates too for classes."""
    g = torch.Generator().manual_seed(413_000 + c["seed"])
    x, y, xt, yt, K = muon_data(g, c)
    d, r, M = x.shape[1], c["r"], c["M"]
    Wq, bq = uniform(g, d, d, r).double(), uniform(g, d, r).double()
    Xi = torch.randn(M, r, generator=g, dtype=F64)
    Wo, bo = uniform(g, r, r, K).double(), uniform(g, r, K).double()
    log_beta = torch.tensor([math.log(c["beta0"] / math.sqrt(r))], dtype=F64)
    params = leaves([Wq, bq, Xi, Wo, bo] + ([] if c.get("fix_beta") else [log_beta]))

    def ln(z):
        return fn.layer_norm(z, (z.shape[-1],))

    def forward(z):
        q, P, beta = ln(z @ Wq + bq), ln(Xi), torch.exp(log_beta)
        for _ in range(c["iters"]):
            q = torch.softmax(beta * q @ P.T, 1) @ P
        f = q @ Wo + bo
        return f.squeeze(1) if K == 1 else f

    def lossf(f, t):
        return 0.5 * ((f - t) ** 2).mean() if K == 1 else fn.cross_entropy(f, t)

    opt = plain_opt(c, params)

    def step(idx):
        opt.zero_grad()
        lossf(forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "modern-hopfield", "stored_patterns": M, "pattern_dim": r, "updates": c["iters"],
                 "inputs": d, "outputs": K},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "flip", "r", "M", "iters",
                             "beta0", "fix_beta", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "ce",
                   "test_loss": {"synth": "clean-mse", "diabetes": "heldout-mse"}.get(c["data"], "clean-ce")},
                output_dim=K)

    def log(e, final):
        f, ft = forward(x), forward(xt)
        if K == 1:
            run.log(e, 2 * lossf(f, y), 2 * lossf(ft, yt), final=final)
        else:
            run.log(e, lossf(f, y), lossf(ft, yt), (f.argmax(1) != y).double().mean(),
                    (ft.argmax(1) != yt).double().mean(), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_hopfield_retrieval():
    # The logic: 100 stored patterns for 300 digits with 20% flipped labels are enough to give the flipped images
    # patterns of their own once beta has grown and the patterns have moved to them: the retrieval is an average over
    # many patterns at first (beta 1 / sqrt(16)), a smooth classifier, and sharpens as beta is learned, which memorises
    # the flips; the dimmed right half (0.1) is a slow feature. The grid moves one thing at a time: the stored patterns
    # (30, 300), the pattern dimension (32), three Hopfield updates, beta frozen at its start, a sharper start (4
    # times), the step (0.001), SGD with momentum for contrast, the flips (none, 40%), no scale gap, more data (600
    # images), breast cancer with half its columns dimmed (50 patterns), and regression: a two-scale teacher with a
    # linear and a tanh part under target noise 0.5 (stored patterns 100, 30, 200; the step 0.001; noise 1.0; 100
    # points and 50 patterns) and diabetes with its products (50 patterns).
    base = dict(data="digits", n=300, df=None, ds=None, s=0.1, F=None, S=None, noise=None, flip=0.2, r=16, M=100,
                iters=1, beta0=1.0, fix_beta=None, opt="adam", lr=0.01, batch=30, epochs=200, eval="log:35")
    synth = dict(data="synth", n=200, df=20, ds=10, s=0.1, F=2.0, S=1.0, noise=0.5, flip=None, batch=20, epochs=300)
    return hopfield_retrieval, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(M=30, eval="every:2"),
        dict(M=300, eval="jitter:35"),
        dict(r=32, eval="mixed:20:4"),
        dict(iters=3, eval="geom:3"),
        dict(fix_beta=True, eval="every:3"),
        dict(beta0=4.0, eval="rand:60"),
        dict(lr=0.001, eval="mixlog:20:30"),
        dict(opt="momentum", lr=0.1, eval="every:2"),
        dict(flip=None, eval="log:35"),
        dict(flip=0.4, eval="every:3"),
        dict(s=1.0, eval="geom:4"),
        dict(n=600, eval="every:3"),
        dict(data="cancer", M=50, eval="every:2"),
        dict(synth, eval="log:35"),
        dict(synth, M=30, eval="every:3"),
        dict(synth, M=200, eval="jitter:30"),
        dict(synth, lr=0.001, eval="mixed:30:5"),
        dict(synth, noise=1.0, eval="geom:3"),
        dict(synth, n=100, M=50, eval="every:2"),
        dict(data="diabetes", n=250, noise=0.3, flip=None, M=50, epochs=300, eval="mixlog:20:30"),
    ], lambda d: "%s-n%d-s%g%s%s-r%d-M%d-it%d-beta%g%s-%s-lr%g-b%d" % (
        d["data"], d["n"], d["s"], "-noise%g" % d["noise"] if d.get("noise") else "",
        "-flip%g" % d["flip"] if d.get("flip") else "", d["r"], d["M"], d["iters"], d["beta0"],
        "-fixed" if d.get("fix_beta") else "", d["opt"], d["lr"], d["batch"]))


FAMILIES = {"ssm-diagonal": runs_ssm_diagonal, "neural-ode-rk4": runs_neural_ode_rk4,
            "hopfield-retrieval": runs_hopfield_retrieval}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
