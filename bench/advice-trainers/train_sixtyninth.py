#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixty-ninth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping benchmark,
no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and
committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs were
sorted by census.py alone), and made to differ from the families of train.py ... train_sixtyeighth.py in model, loss,
noise and data. The theme of the round is learning physical dynamics and operators: a Hamiltonian neural network
fitted to noisy time derivatives of conservative systems, a Fourier neural operator learning the solution map of a
1-D PDE from input functions to output functions, and a Koopman autoencoder whose latent state a linear operator
advances, trained on noisy trajectories of nonlinear systems; on synthetic data from each system's known equations,
with few training trajectories or functions, with noisy targets or observations and outlier trajectories or pairs in
part of the grid:

- hamiltonian-nn: a Hamiltonian neural network (Greydanus, Dzamba & Yosinski 2019): an MLP for a scalar H(q, p)
  (tanh; softplus in 1 run), the time derivative its symplectic gradient (dq/dt, dp/dt) = (dH/dp, -dH/dq) by autograd
  (with create_graph in training, so the loss's gradient goes through it); a baseline MLP giving the derivative
  directly in 1 run. Data: states sampled along trajectories of a pendulum (H = p^2 / 2 + 3 (1 - cos q); a spring,
  a double well or the Henon-Heiles system in 1 run each), integrated by RK4 from initial states at a random radius
  and angle; targets the true time derivatives plus Gaussian noise (central differences of noisy observed states in
  1 run; noisy input states in 1 run; outlier trajectories, whose targets carry a tenfold noise, in 1 run). Loss: the
  mean squared error of the derivative. Adam (momentum SGD in 1 run) on minibatches of states, float64. Train loss:
  that loss at the noisy targets; test loss: the mean squared error of the derivative at 400 held-out states of 40
  fresh trajectories against the true derivative ('deriv'), or (2 runs) of RK4 rollouts of the learnt field from 20
  fresh clean initial states against the true states ('rollout'). No error rates.
- fourier-operator: a Fourier neural operator (Li et al. 2021) on a grid of 64 points: a lifting of (a(x), x) to w
  channels, L Fourier layers v <- GELU(W v + irfft(R . rfft(v)[:modes])) (no GELU after the last), the complex
  weights R kept as real and imaginary parts, and a projection w -> 2w -> 1 (GELU). Data: input functions drawn as
  random Fourier series (16 modes, amplitudes decaying as k^-beta); outputs the solution of viscous Burgers' equation
  at time 0.5 from the input as initial condition (pseudo-spectral, integrating-factor RK4, 2/3 dealiasing, on a
  grid of 128 subsampled to 64); the heat equation's solution in 1 run; the 1-D Darcy problem -(e^a u')' = 1,
  u(0) = u(1) = 0, in 1 run. Noise: Gaussian noise on the training outputs at a share of their root mean square;
  in 1 run a share of the training pairs' outputs replaced by the outputs of other, unseen inputs. Loss: the mean
  squared error on the grid (the relative L2 error in 1 run). Adam on minibatches of functions (momentum SGD in 1
  run; a step halved every 40 epochs in 1 run), float32. Train loss: the loss at the noisy training outputs; test
  loss: the same on 100 held-out input functions against their clean outputs. No error rates.
- koopman-ae: a Koopman autoencoder (Lusch, Kutz & Brunton 2018): an encoder MLP from the state (2-D) to a latent
  z of m dimensions, a linear operator K (m x m) advancing the latent state one time step, a decoder MLP back to the
  state (tanh). Loss on windows of S + 1 consecutive observations: the reconstruction error of every state, the
  prediction error of dec(K^k enc(x_0)) against x_k for k = 1..S, and lin times the latent linearity error
  |K^k enc(x_0) - enc(x_k)|^2. Data: trajectories of a damped pendulum (Van der Pol's oscillator or a slow-manifold
  system in 1 run each), integrated by RK4 and observed every 0.2 time units under Gaussian noise; in 1 run a share
  of the training trajectories outliers observed under a tenfold noise. Adam (momentum SGD in 1 run) on minibatches
  of windows, float32 (the trajectories integrated in float64). Train loss: the objective over every training window
  at the noisy observations; test loss: the mean squared error of the multi-step predictions dec(K^k enc(x_0)), k =
  1..H, of 50 held-out trajectories from their clean initial states against their clean states. No error rates.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs) and take from train_thirtyninth.py, rk4 from train_fortyfirst.py,
count from train_fortyeighth.py, make_opt from train_fiftysixth.py and mlp_params and mlp from train_sixtyfifth.py;
one thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant digits. No planned
last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_sixtyninth.py --family hamiltonian-nn [--list] [--runs 0,3] [--out FILE]

Families (see README.md): hamiltonian-nn, fourier-operator, koopman-ae. Evaluation spacings: train.py's 'every',
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
from train_thirtyninth import epoch_loop, take  # noqa: E402
from train_fortyfirst import rk4  # noqa: E402  (classical Runge-Kutta steps, autograd through every stage)
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64
TWO_PI = 2 * math.pi


def ring_starts(g, m, dim, r0, r1):
    """m initial states (m x dim, float64) at a radius uniform in [r0, r1] in a direction uniform on the sphere."""
    r = r0 + (r1 - r0) * torch.rand(m, 1, generator=g, dtype=F64)
    u = torch.randn(m, dim, generator=g, dtype=F64)
    return r * u / u.norm(dim=1, keepdim=True)


def trajectories(f, z0, dt, steps, sub):
    """The states (m x (steps + 1) x dim) of dz/dt = f(z) from z0 at times 0, dt, ..., steps dt (RK4, sub substeps
    an interval)."""
    out, z = [z0], z0
    for _ in range(steps):
        z = rk4(f, z, dt / sub, sub)
        out.append(z)
    return torch.stack(out, 1)


# ---------------------------------------------------------------------------------------------------- hamiltonian-nn


def hamiltonian_system(name):
    """(dim, r0, r1, the true field) of a conservative system: 'pendulum' H = p^2 / 2 + 3 (1 - cos q); 'spring' H =
    (p^2 + q^2) / 2; 'dwell' H = p^2 / 2 + q^4 / 4 - q^2 / 2 (a double well); 'henon' the Henon-Heiles system, H =
    (px^2 + py^2) / 2 + (x^2 + y^2) / 2 + x^2 y - y^3 / 3 (initial states below its escape energy 1/6)."""
    if name == "pendulum":
        return 2, 0.5, 2.0, lambda z: torch.stack([z[:, 1], -3 * torch.sin(z[:, 0])], 1)
    if name == "spring":
        return 2, 0.5, 2.0, lambda z: torch.stack([z[:, 1], -z[:, 0]], 1)
    if name == "dwell":
        return 2, 0.3, 1.8, lambda z: torch.stack([z[:, 1], z[:, 0] - z[:, 0] ** 3], 1)
    return 4, 0.1, 0.4, lambda z: torch.stack([z[:, 2], z[:, 3], -z[:, 0] - 2 * z[:, 0] * z[:, 1],
                                               -z[:, 1] - z[:, 0] ** 2 + z[:, 1] ** 2], 1)


def hamiltonian_data(g, c):
    """Training states and derivative targets, and the held-out test, from g. traj trajectories from ring_starts,
    observed at pts times 3 / pts apart (RK4 at 10 substeps an interval). Targets 'true': the true derivative plus
    N(0, noise^2) on each coordinate, the inputs the true states plus N(0, xnoise^2) where xnoise is set; 'fd':
    states observed under N(0, obs^2) at pts + 2 times, the inputs the inner observations and the targets their
    central differences. With out, round(out traj) trajectories drawn at random get a further N(0, (10 noise)^2) on
    their targets. Test 'deriv': 40 fresh trajectories at 10 times 0.3 apart (400 states) and their true derivatives;
    'rollout': 20 fresh initial states and their true states at 30 steps of 0.1."""
    dim, r0, r1, f = hamiltonian_system(c["system"])
    T, pts = c["traj"], c["pts"]
    dt = 3.0 / pts
    if c["target"] == "fd":
        obs = trajectories(f, ring_starts(g, T, dim, r0, r1), dt, pts + 1, 10)
        obs = obs + c["obs"] * torch.randn(obs.shape, generator=g, dtype=F64)
        x = obs[:, 1:-1]
        y = (obs[:, 2:] - obs[:, :-2]) / (2 * dt)
    else:
        clean = trajectories(f, ring_starts(g, T, dim, r0, r1), dt, pts - 1, 10)
        y = f(clean.reshape(-1, dim)).reshape(clean.shape)
        y = y + (c.get("noise") or 0.0) * torch.randn(y.shape, generator=g, dtype=F64)
        x = clean + (c.get("xnoise") or 0.0) * torch.randn(clean.shape, generator=g, dtype=F64)
    if c.get("out"):
        bad = torch.randperm(T, generator=g)[:int(round(c["out"] * T))]
        y[bad] = y[bad] + 10 * c["noise"] * torch.randn(y[bad].shape, generator=g, dtype=F64)
    x, y = x.reshape(-1, dim), y.reshape(-1, dim)
    if c["test"] == "deriv":
        xt = trajectories(f, ring_starts(g, 40, dim, r0, r1), 0.3, 9, 10).reshape(-1, dim)
        return x, y, xt, f(xt)
    z = trajectories(f, ring_starts(g, 20, dim, r0, r1), 0.1, 30, 10)
    return x, y, z[:, 0], z[:, 1:]


def hamiltonian_nn(w, run_id, c):
    """A Hamiltonian neural network, float64. Data: hamiltonian_data. Model 'hnn': an MLP dim -> h (-> h) -> 1 (tanh,
    or softplus with act 'softplus'; depth hidden layers) for H, the predicted derivative J grad H = (dH/dp, -dH/dq)
    by autograd; 'baseline': an MLP dim -> h (-> h) -> dim giving the derivative directly. Weights U(+-1 /
    sqrt(fan-in)) from the run's generator. Loss: the mean squared error of the derivative per coordinate, through
    the symplectic gradient (create_graph). Optimizer: make_opt on minibatches of states. Train loss: that loss over
    the training states at their noisy targets; test loss: the same error at the held-out states against the true
    derivatives ('deriv'), or the mean squared error per coordinate of 30 RK4 steps of 0.1 of the learnt field from
    the held-out initial states against the true states ('rollout')."""
    g = torch.Generator().manual_seed(691_000 + c["seed"])
    x, y, xt, yt = hamiltonian_data(g, c)
    dim, h = x.shape[1], c["h"]
    hnn = c["model"] == "hnn"
    params = mlp_params(g, [dim] + [h] * c["depth"] + [1 if hnn else dim], F64)
    act = fn.softplus if c["act"] == "softplus" else torch.tanh
    k = dim // 2

    def field(z, create_graph=False):
        if not hnn:
            return mlp(params, z, act)
        z = z.detach().requires_grad_()
        dh = torch.autograd.grad(mlp(params, z, act).sum(), z, create_graph=create_graph)[0]
        return torch.cat([dh[:, k:], -dh[:, :k]], 1)

    def mse(f, t):
        return ((f - t) ** 2).mean()

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        mse(field(take(x, idx), True), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(x), {"family": "hamiltonian-nn" if hnn else "derivative-mlp",
                                                 "hidden": h, "depth": c["depth"], "activation": c["act"],
                                                 "state_dim": dim},
                settings(c, ("seed", "system", "traj", "pts", "target", "noise", "obs", "xnoise", "out", "model",
                             "h", "depth", "act", "test", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "derivative-mse",
                   "test_loss": "heldout-derivative-mse" if c["test"] == "deriv" else "clean-rollout-mse",
                   "targets_per_weight": "%.3g" % (y.numel() / count(params))}, output_dim=dim)

    def log(e, final):
        with torch.enable_grad():
            lt = mse(field(x).detach(), y)
            if c["test"] == "deriv":
                lh = mse(field(xt).detach(), yt)
            else:
                z, out = xt, []
                for _ in range(yt.shape[1]):
                    z = rk4(lambda s: field(s).detach(), z, 0.1, 1)
                    out.append(z)
                lh = mse(torch.stack(out, 1), yt)
        run.log(e, lt, lh, final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_hamiltonian_nn():
    # The logic: 8 pendulum trajectories observed at 15 times (120 states, 240 noisy derivative coordinates, noise
    # 0.1 against derivatives of size 0.5-3.5) and an HNN of two tanh layers of 64 units (4,417 weights): it can bend
    # its H between the observed states to fit the part of the noise that is a symplectic gradient, while the held-out
    # states lie on other orbits of the same energies. Adam at 0.003 on minibatches of 30 states, 200 epochs. One thing
    # at a time besides: h 16 and 200, one hidden layer, softplus, 4 and 24 trajectories, clean targets and noise 0.3,
    # noisy input states, 2 outlier trajectories in 8, central differences of noisy observations as targets, the
    # spring, the double well and the Henon-Heiles system, the baseline MLP for the derivative, rollouts as the test
    # (twice), momentum SGD, Adam at 0.01, weight decay. Evaluation spacing mixed.
    base = dict(system="pendulum", traj=8, pts=15, target="true", noise=0.1, obs=None, xnoise=None, out=None,
                model="hnn", h=64, depth=2, act="tanh", test="deriv", opt="adam", lr=0.003, wd=None, batch=30,
                epochs=200, eval="every:2")
    return hamiltonian_nn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=16, eval="every"),
        dict(h=200, eval="jitter:40"),
        dict(depth=1, eval="every:3"),
        dict(act="softplus", eval="geom:3"),
        dict(traj=4, eval="every"),
        dict(traj=24, eval="log:40"),
        dict(noise=None, eval="every:2"),
        dict(noise=0.3, eval="burst:20:5"),
        dict(xnoise=0.05, eval="every:3"),
        dict(out=0.25, eval="mixed:40:4"),
        dict(target="fd", noise=None, obs=0.02, eval="every:2"),
        dict(system="spring", eval="every:4"),
        dict(system="dwell", eval="every:2"),
        dict(system="henon", eval="every:3"),
        dict(model="baseline", eval="mixlog:30:40"),
        dict(test="rollout", eval="every:5"),
        dict(test="rollout", noise=0.3, eval="log:30"),
        dict(opt="momentum", lr=0.01, eval="rand:60"),
        dict(lr=0.01, eval="every:2"),
        dict(wd=0.001, eval="every:3"),
    ], lambda d: "%s-traj%d-pts%d-%s%s%s%s-%s-h%d-d%d-%s-%s-%s-lr%g%s" % (
        d["system"], d["traj"], d["pts"], d["target"],
        "-noise%g" % d["noise"] if d.get("noise") else ("-obs%g" % d["obs"] if d.get("obs") else "-clean"),
        "-xnoise%g" % d["xnoise"] if d.get("xnoise") else "", "-out%g" % d["out"] if d.get("out") else "",
        d["model"], d["h"], d["depth"], d["act"], d["test"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- fourier-operator


def gelu(z):
    """GELU in its tanh form, 0.5 z (1 + tanh(sqrt(2 / pi) (z + 0.044715 z^3))), written out: torch 1.13's fused GELU
    gave gradients that changed from one process to the next here (a probe's FNO, 10 x 16 x 64 activations), and the
    exact form written out with torch.erf was 20 times slower than this one."""
    return 0.5 * z * (1 + torch.tanh(0.7978845608028654 * (z + 0.044715 * z * z * z)))


def random_series(g, m, x, beta, rms):
    """m random Fourier series on [0, 1) at the points x: sum over k = 1..16 of (A_k cos 2 pi k x + B_k sin 2 pi k x)
    k^-beta, A, B standard normal from g, scaled to the expected root mean square rms (float64)."""
    k = torch.arange(1, 17, dtype=F64)
    amp = k ** -beta
    a = torch.randn(m, 16, generator=g, dtype=F64) * amp
    b = torch.randn(m, 16, generator=g, dtype=F64) * amp
    ph = TWO_PI * k[:, None] * x[None, :]
    return (a @ torch.cos(ph) + b @ torch.sin(ph)) * (rms / math.sqrt((amp ** 2).sum().item()))


def burgers(u0, nu, T, steps):
    """Viscous Burgers' equation u_t + (u^2 / 2)_x = nu u_xx on [0, 1), periodic, from u0 (m x S) to time T:
    pseudo-spectral, the diffusion exact by an integrating factor, the advection by classical RK4 in `steps` steps,
    2/3 dealiasing (Trefethen's scheme, Spectral Methods in MATLAB p. 27)."""
    S = u0.shape[1]
    k = TWO_PI * torch.arange(S // 2 + 1, dtype=F64)
    keep = (torch.arange(S // 2 + 1) < S // 3).to(F64)
    dt = T / steps
    E = torch.exp(-nu * k ** 2 * dt / 2)
    E2 = E ** 2
    gk = -0.5j * dt * k * keep

    def nl(v):
        return gk * torch.fft.rfft(torch.fft.irfft(v, n=S) ** 2)

    v = torch.fft.rfft(u0)
    for _ in range(steps):
        a = nl(v)
        b = nl(E * (v + a / 2))
        c = nl(E * v + b / 2)
        d = nl(E2 * v + E * c)
        v = E2 * v + (E2 * a + 2 * E * (b + c) + d) / 6
    return torch.fft.irfft(v, n=S)


def operator_data(g, c, m):
    """m input functions a on the grid of s = 64 points and their outputs, from g. 'burgers': a = random_series
    (rms 0.5) on a grid of 128, solved to T = 0.5 at viscosity nu by burgers (150 steps), both subsampled to 64;
    'heat': u = a smoothed by the heat kernel, its Fourier modes times exp(-nu (2 pi k)^2 T), T 0.5; 'darcy': a
    (rms 0.5) the log-permeability on 256 cells of (0, 1), u solving -(e^a u')' = 1, u(0) = u(1) = 0, exactly in 1-D
    (e^a u' = C - x, C so that u(1) = 0; integrated cell by cell), times 8, a and u at every 4th cell centre."""
    if c["pde"] == "darcy":
        xf = (torch.arange(256, dtype=F64) + 0.5) / 256
        a = random_series(g, m, xf, c["beta"], 0.5)
        inv = torch.exp(-a) / 256
        C = (xf * inv).sum(1, keepdim=True) / inv.sum(1, keepdim=True)
        u = torch.cumsum((C - xf) * inv, 1) - 0.5 * (C - xf) * inv  # at the cell centres
        return a[:, 1::4], 8 * u[:, 1::4]
    xf = torch.arange(128, dtype=F64) / 128
    a = random_series(g, m, xf, c["beta"], 0.5)
    if c["pde"] == "heat":
        k = TWO_PI * torch.arange(65, dtype=F64)
        u = torch.fft.irfft(torch.fft.rfft(a) * torch.exp(-c["nu"] * k ** 2 * 0.5), n=128)
    else:
        u = burgers(a, c["nu"], 0.5, 150)
    return a[:, ::2], u[:, ::2]


def fourier_operator(w, run_id, c):
    """A 1-D Fourier neural operator, float32. Data: operator_data, n training pairs and 100 held-out pairs; the
    training outputs plus N(0, (noise r)^2) at every grid point, r their root mean square; with out, round(out n)
    training outputs drawn at random replaced by the outputs of fresh inputs. Model: lifting (a, x) -> w, L Fourier
    layers (spectral weights R (w x w x modes, complex as two real parts, (1 / w^2) U(0, 1) each as in Li et al.),
    a pointwise W (w x w) and bias, GELU between layers), projection w -> 2 w -> 1 (GELU); weights but R U(+-1 /
    sqrt(fan-in)) from the run's generator. Loss: the mean squared error on the grid ('mse') or the mean over
    functions of |u_pred - u| / |u| ('rel'). Optimizer: make_opt on minibatches of functions; with halve, the step
    halved every `halve` epochs. Train loss: the loss at the noisy training outputs; test loss: the same on the
    held-out pairs against their clean outputs."""
    g = torch.Generator().manual_seed(692_000 + c["seed"])
    n, wd_, modes, L = c["n"], c["width"], c["modes"], c["layers"]
    a, u = operator_data(g, c, n)
    at, ut = operator_data(g, c, 100)
    r = u.pow(2).mean().sqrt()
    if c.get("out"):
        bad = torch.randperm(n, generator=g)[:int(round(c["out"] * n))]
        u[bad] = operator_data(g, c, len(bad))[1]
    if c.get("noise"):
        u = u + c["noise"] * r * torch.randn(u.shape, generator=g, dtype=F64)
    a, u, at, ut = a.float(), u.float(), at.float(), ut.float()
    s = a.shape[1]
    grid = (torch.arange(s, dtype=F32) / s).expand(1, s)
    lift = mlp_params(g, [2, wd_], F32)
    spec, point = [], []
    for _ in range(L):
        spec += [(torch.rand(wd_, wd_, modes, generator=g) / wd_ ** 2),
                 (torch.rand(wd_, wd_, modes, generator=g) / wd_ ** 2)]
        point += [uniform(g, wd_, wd_, wd_), uniform(g, wd_, wd_)]
    leaves(spec)
    leaves(point)
    proj = mlp_params(g, [wd_, 2 * wd_, 1], F32)
    params = lift + spec + point + proj

    def forward(z):
        v = mlp(lift, torch.stack([z, grid.expand_as(z)], 2), None)  # b x s x w
        v = v.transpose(1, 2)  # b x w x s
        for i in range(L):
            vh = torch.fft.rfft(v, dim=2)[:, :, :modes]
            r = torch.complex(spec[2 * i], spec[2 * i + 1])
            v = (torch.fft.irfft(torch.einsum("bik,iok->bok", vh, r), n=s, dim=2)
                 + torch.matmul(point[2 * i].T, v) + point[2 * i + 1][None, :, None])
            if i < L - 1:
                v = gelu(v)
        return mlp(proj, v.transpose(1, 2), gelu)[:, :, 0]

    def lossf(f, t):
        if c["loss"] == "rel":
            return ((f - t).norm(dim=1) / t.norm(dim=1)).mean()
        return ((f - t) ** 2).mean()

    opt = make_opt(c, params)

    def begin(e):
        if c.get("halve"):
            for grp in opt.param_groups:
                grp["lr"] = c["lr"] * 0.5 ** (e // c["halve"])

    def step(idx):
        opt.zero_grad()
        lossf(forward(take(a, idx)), take(u, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "fno-1d", "width": wd_, "modes": modes, "layers": L,
                                           "grid": s},
                settings(c, ("seed", "pde", "nu", "beta", "n", "noise", "out", "width", "modes", "layers", "loss",
                             "opt", "lr", "halve", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "grid-mse" if c["loss"] == "mse" else "relative-l2",
                   "test_loss": "heldout-functions-clean-outputs",
                   "functions_per_weight": "%.3g" % (n / count(params))}, output_dim=s)

    def log(e, final):
        run.log(e, lossf(forward(a), u), lossf(forward(at), ut), final=final)

    epoch_loop(g, n, c, step, log, begin=begin)


def runs_fourier_operator():
    # The logic: 40 training functions (2,560 noisy output values, noise 0.1 of their root mean square) against an
    # FNO of width 16, 8 modes and 3 Fourier layers (13,729 weights): it can fit the noise on so few functions, while
    # the map itself (Burgers' equation at viscosity 0.05 to time 0.5: steepening fronts, smoothed) lives in the low
    # modes it keeps. Adam at 0.003 on minibatches of 20 functions (the full batch at n 20), 120 epochs. One thing at
    # a time besides: 4 and 16 modes, width 8 and 32, one Fourier layer, 20 and 100 training functions, clean outputs
    # and noise 0.3, 20% of the pairs mismatched (outputs of unseen inputs), the heat equation, the 1-D Darcy problem,
    # a sharper Burgers (viscosity 0.02), rougher inputs (beta 1), the relative L2 loss, momentum SGD, Adam at 0.01,
    # the step halved every 40 epochs, weight decay. Evaluation spacing mixed.
    base = dict(pde="burgers", nu=0.05, beta=1.5, n=40, noise=0.1, out=None, width=16, modes=8, layers=3, loss="mse",
                opt="adam", lr=0.003, halve=None, wd=None, batch=20, epochs=120, eval="every:3")
    return fourier_operator, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(modes=4, eval="every"),
        dict(modes=16, eval="jitter:40"),
        dict(width=8, eval="every:3"),
        dict(width=32, eval="geom:3"),
        dict(layers=1, eval="every:2"),
        dict(n=20, eval="every"),
        dict(n=100, eval="log:40"),
        dict(noise=None, eval="every:2"),
        dict(noise=0.3, eval="burst:20:5"),
        dict(out=0.2, eval="mixed:40:4"),
        dict(pde="heat", nu=0.01, eval="every:3"),
        dict(pde="darcy", nu=None, eval="every:2"),
        dict(nu=0.02, eval="every:4"),
        dict(beta=1.0, eval="every:2"),
        dict(loss="rel", eval="mixlog:30:40"),
        dict(opt="momentum", lr=0.01, eval="rand:60"),
        dict(lr=0.01, eval="every:2"),
        dict(halve=40, eval="every:3"),
        dict(wd=0.001, eval="every:2"),
    ], lambda d: "%s%s-beta%g-n%d%s%s-w%d-m%d-L%d-%s-%s-lr%g%s%s" % (
        d["pde"], "-nu%g" % d["nu"] if d.get("nu") else "", d["beta"], d["n"],
        "-noise%g" % d["noise"] if d.get("noise") else "-clean", "-out%g" % d["out"] if d.get("out") else "",
        d["width"], d["modes"], d["layers"], d["loss"], d["opt"], d["lr"],
        "-halve%d" % d["halve"] if d.get("halve") else "", "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- koopman-ae


def koopman_system(name):
    """(r0, r1, the field) of a nonlinear system: 'pendulum' q' = p, p' = -sin q - 0.1 p (damped); 'vdp' Van der
    Pol's oscillator x' = y, y' = (1 - x^2) y - x; 'slowman' x1' = -0.05 x1, x2' = -(x2 - x1^2) (a slow manifold,
    Lusch et al.'s first example)."""
    if name == "pendulum":
        return 0.3, 1.8, lambda z: torch.stack([z[:, 1], -torch.sin(z[:, 0]) - 0.1 * z[:, 1]], 1)
    if name == "vdp":
        return 0.5, 3.0, lambda z: torch.stack([z[:, 1], (1 - z[:, 0] ** 2) * z[:, 1] - z[:, 0]], 1)
    return 0.3, 1.5, lambda z: torch.stack([-0.05 * z[:, 0], -(z[:, 1] - z[:, 0] ** 2)], 1)


def koopman_data(g, c):
    """From g: traj training trajectories of T + 1 states 0.2 apart (RK4 at 10 substeps an interval) from ring_starts,
    observed under N(0, noise^2) on each coordinate (round(out traj) of them, drawn at random, under N(0, (10
    noise)^2) where out is set); the windows of S + 1 consecutive observations. Test: 50 fresh trajectories of H + 1
    clean states."""
    r0, r1, f = koopman_system(c["system"])
    T, S = c["T"], c["S"]
    obs = trajectories(f, ring_starts(g, c["traj"], 2, r0, r1), 0.2, T, 10)
    sd = torch.full((c["traj"], 1, 1), c.get("noise") or 0.0, dtype=F64)
    if c.get("out"):
        sd[torch.randperm(c["traj"], generator=g)[:int(round(c["out"] * c["traj"]))]] *= 10
    obs = obs + sd * torch.randn(obs.shape, generator=g, dtype=F64)
    win = torch.cat([obs[:, i:i + S + 1] for i in range(T - S + 1)], 0)
    test = trajectories(f, ring_starts(g, 50, 2, r0, r1), 0.2, c["H"], 10)
    return win, test


def koopman_ae(w, run_id, c):
    """A Koopman autoencoder, float32 (its data integrated in float64). Data: koopman_data. Model: encoder 2 -> h ->
    h -> m, decoder m -> h -> h -> 2 (tanh), K (m x m) initialised at I + U(+-1 / sqrt(m)) / 10, weights U(+-1 /
    sqrt(fan-in)), all from the run's generator. Loss on a window x_0..x_S: mean |x_k - dec(enc(x_k))|^2 over k =
    0..S, plus mean |x_k - dec(K^k enc(x_0))|^2 over k = 1..S, plus lin times mean |enc(x_k) - K^k enc(x_0)|^2 over
    k = 1..S (squared errors per coordinate). Optimizer: make_opt on minibatches of windows. Train loss: that
    objective over every training window; test loss: the mean squared error per coordinate of dec(K^k enc(x_0)), k =
    1..H, against the clean states of the held-out trajectories."""
    g = torch.Generator().manual_seed(693_000 + c["seed"])
    win, test = koopman_data(g, c)
    h, m, S = c["h"], c["m"], c["S"]
    win, test = win.float(), test.float()
    enc = mlp_params(g, [2, h, h, m], F32)
    dec = mlp_params(g, [m, h, h, 2], F32)
    K = leaves([torch.eye(m) + uniform(g, m, m, m) / 10])
    params = enc + dec + K

    def advance(z0, steps):
        out, z = [], z0
        for _ in range(steps):
            z = z @ K[0].T
            out.append(z)
        return torch.stack(out, 1)

    def objective(xw):
        z = mlp(enc, xw, torch.tanh)
        rec = ((mlp(dec, z, torch.tanh) - xw) ** 2).mean()
        zk = advance(z[:, 0], S)
        pred = ((mlp(dec, zk, torch.tanh) - xw[:, 1:]) ** 2).mean()
        lin = ((zk - z[:, 1:]) ** 2).mean() if c["lin"] else 0.0
        return rec + pred + c["lin"] * lin

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        objective(take(win, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(win), {"family": "koopman-autoencoder", "hidden": h, "latent": m},
                settings(c, ("seed", "system", "traj", "T", "noise", "out", "S", "H", "h", "m", "lin", "opt", "lr",
                             "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "recon+pred+lin-mse", "test_loss": "clean-multistep-pred-mse",
                   "windows_per_weight": "%.3g" % (len(win) / count(params))}, output_dim=2)

    def log(e, final):
        pred = mlp(dec, advance(mlp(enc, test[:, 0], torch.tanh), c["H"]), torch.tanh)
        run.log(e, objective(win), ((pred - test[:, 1:]) ** 2).mean(), final=final)

    epoch_loop(g, len(win), c, step, log)


def runs_koopman_ae():
    # The logic: 12 trajectories of the damped pendulum (31 states 0.2 apart, about one period; noise 0.05 on states
    # of size 0.3-1.8), 276 windows of 9 states; an autoencoder of two tanh layers of 32 units each way and a latent
    # of 6 (2,732 weights with K): a constant K cannot give the pendulum's amplitude-dependent frequency exactly, so
    # the encoder bends to fit the 8-step predictions of the noisy windows, and the held-out test predicts 30 steps
    # from a clean state. Adam at 0.003 on minibatches of 32 windows, 80 epochs. One thing at a time besides: latent 2
    # and 16, width 16 and 64, one-step prediction (S 1) and 20 steps, 6 and 36 trajectories, clean and noise 0.15, 3
    # outlier trajectories in 12, Van der Pol's oscillator, the slow manifold, no linearity loss, a test horizon of
    # 60, momentum SGD, Adam at 0.01, weight decay. Evaluation spacing mixed.
    base = dict(system="pendulum", traj=12, T=30, noise=0.05, out=None, S=8, H=30, h=32, m=6, lin=0.1, opt="adam",
                lr=0.003, wd=None, batch=32, epochs=80, eval="every:2")
    return koopman_ae, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(m=2, eval="every"),
        dict(m=16, eval="jitter:40"),
        dict(h=16, eval="every:3"),
        dict(h=64, eval="geom:3"),
        dict(S=1, eval="every:2"),
        dict(S=20, eval="every:4"),
        dict(traj=6, eval="every"),
        dict(traj=36, eval="log:40"),
        dict(noise=None, eval="every:2"),
        dict(noise=0.15, eval="burst:20:5"),
        dict(out=0.25, eval="mixed:40:4"),
        dict(system="vdp", eval="every:3"),
        dict(system="slowman", eval="every:2"),
        dict(lin=0.0, eval="every:2"),
        dict(H=60, eval="mixlog:30:40"),
        dict(opt="momentum", lr=0.01, eval="rand:60"),
        dict(lr=0.01, eval="every:2"),
        dict(wd=0.001, eval="every:3"),
    ], lambda d: "%s-traj%d-T%d%s%s-S%d-H%d-h%d-m%d-lin%g-%s-lr%g%s" % (
        d["system"], d["traj"], d["T"], "-noise%g" % d["noise"] if d.get("noise") else "-clean",
        "-out%g" % d["out"] if d.get("out") else "", d["S"], d["H"], d["h"], d["m"], d["lin"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else ""))


FAMILIES = {"hamiltonian-nn": runs_hamiltonian_nn, "fourier-operator": runs_fourier_operator,
            "koopman-ae": runs_koopman_ae}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
