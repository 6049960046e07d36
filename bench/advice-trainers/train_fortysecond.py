#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, forty-second held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 125 families of train.py ... train_thirtyninth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is training schemes and regimes that no earlier round
used: an ensemble harvested from one run's restarts, a network whose every weight matrix is held at a spectral norm
set by a scale, and a network linearised around its initialisation (the neural-tangent regime):

- snapshot-ensemble: a ReLU MLP trained by momentum SGD (Adam in a run) under cyclic cosine restarts, a snapshot
  taken at each cycle's end; the evaluated model is the ensemble of the snapshots so far (all of them, or the last
  few), its predictions averaged (the softmax probabilities for classes), the network itself before the first
  snapshot; on a two-scale teacher with a linear and a tanh part, scikit-learn's digits and breast cancer with
  flipped labels and its diabetes with its products;
- spectral-norm-mlp: a two-hidden-layer ReLU MLP whose every weight matrix is V / sigma(V) times a scale, sigma the
  top singular value estimated by power iteration (one step per training step, its vectors kept between steps, no
  gradient through them, as Miyato et al. 2018), the scale a learned scalar per layer or a fixed one, trained by Adam
  (momentum SGD in a run) on noisy targets of the two-scale teacher, on the digits and breast cancer with flipped
  labels and on diabetes;
- ntk-linearised: a ReLU network in the neural-tangent parametrisation, linearised around its random initialisation
  w0, f(x; w0) + J(x; w0)(w - w0) (computed by a tangent forward pass through the network's frozen activations and
  ReLU gates at w0, so no Jacobian is stored), trained by gradient descent on its own parameters w, at widths around
  where the linear model has as many parameters as training targets; on the two-scale teacher, the digits (logits
  linearised, the cross-entropy) and breast cancer with flipped labels, and diabetes; in a few runs the network itself
  trained from the same w0 for contrast.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, batches from train_twentyfirst.py, uniform from
train_thirtysecond.py, plain_opt (Adam, or SGD with momentum 0.9) from train_thirtyfourth.py, leaves from
train_thirtysixth.py, eval_epochs (the irregular spacings) from train_thirtyseventh.py, and epoch_loop, take and
muon_data (the data sets) from train_thirtyninth.py; one thread, every random draw from a seeded torch.Generator,
synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fortysecond.py --family snapshot-ensemble [--list] [--runs 0,3] [--out FILE]

Families (see README.md): snapshot-ensemble, spectral-norm-mlp, ntk-linearised. Evaluation spacings: train.py's
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
from train_twentyfirst import batches  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtyfourth import plain_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, muon_data, take  # noqa: E402

torch.set_num_threads(1)


def task_loss(f, t, K):
    """Half the squared error (K 1: regression) or the cross-entropy of the logits f."""
    return 0.5 * ((f - t) ** 2).mean() if K == 1 else fn.cross_entropy(f, t)


def log_task(run, e, K, f, y, ft, yt, final, logp=False):
    """One event: the squared error (regression), or the cross-entropy and error rates; f, ft are outputs, logits or
    (logp) log-probabilities."""
    if K == 1:
        run.log(e, ((f - y) ** 2).mean(), ((ft - yt) ** 2).mean(), final=final)
        return
    lf, lt = (f, ft) if logp else (torch.log_softmax(f, 1), torch.log_softmax(ft, 1))
    run.log(e, fn.nll_loss(lf, y), fn.nll_loss(lt, yt), (f.argmax(1) != y).double().mean(),
            (ft.argmax(1) != yt).double().mean(), final=final)


def data_keys():
    return ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "flip")


def data_name(d):
    return "%s-n%d-s%g%s%s" % (d["data"], d["n"], d["s"], "-noise%g" % d["noise"] if d.get("noise") else "",
                               "-flip%g" % d["flip"] if d.get("flip") else "")


def test_name(c):
    return {"synth": "clean-mse", "diabetes": "heldout-mse"}.get(c["data"], "clean-ce")


# ---------------------------------------------------------------------------------------------------- snapshot-ensemble


def mlp_params(g, sizes):
    """Weights (out x in) and biases of a ReLU MLP of the given layer sizes, U(+-1 / sqrt(fan-in)) from g, float64."""
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out += [uniform(g, a, b, a).double(), uniform(g, a, b).double()]
    return leaves(out)


def mlp_forward(p, z, K):
    for i in range(0, len(p) - 2, 2):
        z = torch.relu(z @ p[i].T + p[i + 1])
    z = z @ p[-2].T + p[-1]
    return z.squeeze(-1) if K == 1 else z


def cycle_ends(c):
    """The epochs at which the cycles end: cycles of c['cycle'] epochs, each c['mult'] times the last (1: equal)."""
    ends, L, e = [], c["cycle"], 0
    while e + L <= c["epochs"]:
        e += L
        ends.append(e)
        L = int(round(L * (c.get("mult") or 1)))
    return ends


def snapshot_ensemble(w, run_id, c):
    """A ReLU MLP d -> h (-> h) -> K (depth 1 or 2 hidden layers), float64, weights U(+-1 / sqrt(fan-in)) from the
    run's generator. Data: muon_data. Loss: half the squared error or the cross-entropy. Optimizer: SGD with momentum
    0.9 (opt 'momentum') or Adam ('adam') on minibatches, the step set before every minibatch by cyclic cosine
    annealing (Huang et al. 2017, sched 'cyclic'): within each cycle (cycle_ends: c['cycle'] epochs, each c['mult']
    times the last) lr/2 (1 + cos(pi t / T)), t the minibatch steps since the cycle began, T the cycle's steps, so
    every cycle restarts at lr and ends near zero; or a constant step (sched 'const'; the snapshots at the same
    epochs). At each cycle's end a snapshot: the network's predictions on the training and test points (outputs, or
    log-softmax probabilities) kept. The evaluated model (ensemble True) is the ensemble of the snapshots so far, the
    last c['keep'] of them where set, its prediction their average (the average of the probabilities for classes: the
    log of the mean of the snapshots' softmax), and the network itself before the first snapshot; or the network
    itself throughout (ensemble False). Train loss: the evaluated model's loss on the noisy training targets or labels
    (the squared error; the cross-entropy of the averaged probabilities); test loss: on the clean test targets (the
    held-out progression) or labels; error rates too for classes."""
    g = torch.Generator().manual_seed(421_000 + c["seed"])
    x, y, xt, yt, K = muon_data(g, c)
    d, h, depth = x.shape[1], c["h"], c.get("depth") or 1
    params = mlp_params(g, [d] + [h] * depth + [K])
    opt = plain_opt(c, params)
    ends = cycle_ends(c)
    assert ends and ends[-1] == c["epochs"], ends
    per = len(batches(torch.Generator(), len(x), c.get("batch")))
    state = {"snaps": [], "t": 0, "T": 1}

    def begin(e):
        ci = sum(1 for q in ends if q <= e)
        start = ends[ci - 1] if ci else 0
        state["t"], state["T"] = (e - start) * per, (ends[ci] - start) * per

    def step(idx):
        lr = c["lr"]
        if c["sched"] == "cyclic":
            lr = 0.5 * c["lr"] * (1 + math.cos(math.pi * state["t"] / state["T"]))
        opt.param_groups[0]["lr"] = lr
        opt.zero_grad()
        task_loss(mlp_forward(params, take(x, idx), K), take(y, idx), K).backward()
        opt.step()
        state["t"] += 1

    def predict(z):
        f = mlp_forward(params, z, K)
        return f if K == 1 else torch.log_softmax(f, 1)

    def end(e):
        if e in ends and c["ensemble"]:
            with torch.no_grad():
                state["snaps"].append((predict(x), predict(xt)))

    def combine(k):
        s = state["snaps"][-c["keep"]:] if c.get("keep") else state["snaps"]
        parts = torch.stack([q[k] for q in s])
        return parts.mean(0) if K == 1 else torch.logsumexp(parts, 0) - math.log(len(s))

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "relu-mlp", "hidden_layers": depth, "width": h, "inputs": d, "outputs": K},
                settings(c, data_keys() + ("h", "depth", "opt", "lr", "sched", "cycle", "mult", "ensemble", "keep",
                                           "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "ce", "test_loss": test_name(c),
                   "evaluated": "snapshot-ensemble" if c["ensemble"] else "network"},
                output_dim=K)

    def log(e, final):
        if state["snaps"]:
            log_task(run, e, K, combine(0), y, combine(1), yt, final, logp=True)
        else:
            log_task(run, e, K, predict(x), y, predict(xt), yt, final, logp=True)

    epoch_loop(g, len(x), c, step, log, begin, end)


def runs_snapshot_ensemble():
    # The logic: a one-hidden-layer network of 6 units on 30 inputs (193 weights) against 200 noisy targets can just
    # about fit them; under cyclic cosine restarts every cycle starts at the peak step (momentum SGD at 0.05, an
    # effective step of 0.5) and anneals to zero, so each cycle's end is a model that has settled into fitting the noisy
    # targets, and the snapshots taken there differ where the restarts moved the network; their averaged prediction
    # keeps what the snapshots share (the fast part, and the slow part at scale 0.2 once it is learned) and averages out
    # part of what they fit differently (the noise), so the ensemble's test loss moves in steps, one at each cycle's
    # end, and the later snapshots, more of them fitting the noise, weigh on it late in the run; before the first
    # snapshot the evaluated model is the network itself, at the first cycle's large steps. The grid moves one thing at
    # a time:
    # the width (4, 8, 12), the noise (1.0), the scale gap (0.1, learned late if at all; 0.3), no slow signal, the peak
    # step (0.1, 0.15: restarts that jump further), the cycle (5, 30 epochs; cycles doubling from 10), a window of the
    # last 3 snapshots, the network itself under the restarts (no ensemble) and the snapshots of a constant step (no
    # restarts) for contrast, Adam inside, two hidden layers, the digits with the right half dimmed and 20% flipped
    # labels (the ensemble averaging the softmax probabilities), breast cancer with flipped labels and diabetes with its
    # products.
    base = dict(data="synth", n=200, df=20, ds=10, s=0.2, F=2.0, S=1.0, noise=0.5, flip=None, h=6, depth=1,
                opt="momentum", lr=0.05, sched="cyclic", cycle=10, mult=None, ensemble=True, keep=None, batch=20,
                epochs=300, eval="log:35")
    synth_off = dict(df=None, ds=None, F=None, S=None)
    tabular = dict(synth_off, n=300, s=0.1, noise=None, flip=0.2, batch=30, cycle=15, epochs=150)
    return snapshot_ensemble, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every:3"),
        dict(h=8, eval="jitter:35"),
        dict(h=12, eval="mixed:20:5"),
        dict(noise=1.0, eval="every:2"),
        dict(s=0.1, eval="rand:100"),
        dict(s=0.3, eval="geom:3"),
        dict(S=0.0, eval="every:3"),
        dict(lr=0.1, eval="log:35"),
        dict(lr=0.15, eval="mixlog:20:30"),
        dict(cycle=5, eval="every:2"),
        dict(cycle=30, eval="jitter:30"),
        dict(mult=2, epochs=310, eval="every:4"),
        dict(keep=3, eval="log:35"),
        dict(ensemble=False, eval="every:3"),
        dict(sched="const", eval="log:35"),
        dict(opt="adam", lr=0.01, eval="every:3"),
        dict(depth=2, eval="mixed:30:3"),
        dict(tabular, data="digits", h=32, lr=0.1, eval="every:2"),
        dict(tabular, data="cancer", h=16, eval="geom:4"),
        dict(tabular, data="diabetes", n=250, noise=0.3, flip=None, eval="every:2"),
    ], lambda d: "%s-h%d%s-%s-lr%g-%s-b%d" % (
        data_name(d), d["h"], "x%d" % d["depth"] if d.get("depth", 1) > 1 else "", d["opt"], d["lr"],
        ("cyc%d%s" % (d["cycle"], "x%g" % d["mult"] if d.get("mult") else "") if d["sched"] == "cyclic" else
         "const-snap%d" % d["cycle"]) + ("-ens%s" % (d["keep"] if d.get("keep") else "all") if d["ensemble"]
                                         else "-net"), d["batch"]))


# ---------------------------------------------------------------------------------------------------- spectral-norm-mlp


def unit(v):
    return v / (v.norm() + 1e-12)


def spectral_norm_mlp(w, run_id, c):
    """A ReLU MLP d -> h -> h -> K, float64, V and b U(+-1 / sqrt(fan-in)) from the run's generator, whose every
    weight matrix (the head's too) is W = gamma V / sigma(V) (norm 'spectral'): sigma(V) = u^T V v, the power
    iteration's estimate of V's top singular value, u (out) drawn from the run's generator at the start and, before
    every training step, c['power'] steps v = unit(V^T u), u = unit(V v) taken without gradient (their vectors kept
    between steps, no gradient through them; the gradient flows through V in u^T V v), the estimate at the stored
    vectors at evaluation; gamma a learned scalar per layer from c['scale'] (scale_mode 'learned') or c['scale'] fixed
    ('fixed'), so that the network's Lipschitz constant is at most the product of the three gammas; or the plain MLP,
    W = V (norm None). Data: muon_data. Loss: half the squared error or the cross-entropy. Optimizer: Adam (opt
    'adam') or SGD with momentum 0.9 ('momentum') at step lr on minibatches, the same step on the gammas. Train loss:
    the loss on the noisy targets or labels; test loss: the squared error against the clean test targets (the held-out
    progression) or the cross-entropy of the clean test labels; error rates too for classes."""
    g = torch.Generator().manual_seed(422_000 + c["seed"])
    x, y, xt, yt, K = muon_data(g, c)
    d, h = x.shape[1], c["h"]
    params = mlp_params(g, [d, h, h, K])
    Vs = params[0::2]
    us = [unit(torch.randn(V.shape[0], generator=g, dtype=torch.float64)) for V in Vs]
    vs = [unit(V.detach().T @ u) for V, u in zip(Vs, us)]
    gammas = []
    if c.get("norm") == "spectral" and c["scale_mode"] == "learned":
        gammas = leaves([torch.full((), float(c["scale"]), dtype=torch.float64) for _ in Vs])

    def power():
        with torch.no_grad():
            for i, V in enumerate(Vs):
                for _ in range(c["power"]):
                    vs[i] = unit(V.T @ us[i])
                    us[i] = unit(V @ vs[i])

    def weights():
        if c.get("norm") != "spectral":
            return list(Vs)
        out = []
        for i, V in enumerate(Vs):
            sigma = us[i] @ V @ vs[i]
            out.append((gammas[i] if gammas else c["scale"]) * V / sigma)
        return out

    def forward(z):
        Ws = weights()
        for i in range(2):
            z = torch.relu(z @ Ws[i].T + params[2 * i + 1])
        z = z @ Ws[2].T + params[5]
        return z.squeeze(-1) if K == 1 else z

    opt = plain_opt(c, params + gammas)

    def step(idx):
        if c.get("norm") == "spectral":
            power()
        opt.zero_grad()
        task_loss(forward(take(x, idx)), take(y, idx), K).backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params + gammas), len(x),
                {"family": "spectral-norm-mlp" if c.get("norm") == "spectral" else "relu-mlp", "hidden_layers": 2,
                 "width": h, "inputs": d, "outputs": K},
                settings(c, data_keys() + ("h", "norm", "scale_mode", "scale", "power", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "ce", "test_loss": test_name(c)},
                output_dim=K)

    def log(e, final):
        log_task(run, e, K, forward(x), y, forward(xt), yt, final)

    epoch_loop(g, len(x), c, step, log)


def runs_spectral_norm_mlp():
    # The logic: a two-hidden-layer network of 8 units on 30 inputs (329 weights and 3 scales) against 200 noisy targets
    # can just fit them, and with every weight matrix at spectral norm gamma the network is at most gamma^3-Lipschitz;
    # the slow part of the target, linear in 10 features at scale 0.1, needs a slope of about 10 along them, so it is
    # out of reach of small fixed scales (1: at most 1-Lipschitz, not even the noise can be fitted; 2: at most 8) and
    # comes, if at all, as learned scales grow, after the noise has been fitted through the many directions that the
    # normalisation leaves free below the top singular value. Learned scales from 2, one power-iteration step per
    # training step, Adam at 0.01. The grid moves one thing at a time: fixed scales (1, 2, 4), learned scales from 1 and
    # 4, three power-iteration steps per training step, the plain MLP (no normalisation) for contrast, the width (4,
    # 16), the noise (1.0), the scale gap (0.3), no slow signal, the data (400 points), the step (0.003), momentum SGD,
    # the digits with the right half dimmed and 20% flipped labels (learned and fixed scales), breast cancer with
    # flipped labels and diabetes with its products.
    base = dict(data="synth", n=200, df=20, ds=10, s=0.1, F=2.0, S=1.0, noise=0.5, flip=None, h=8, norm="spectral",
                scale_mode="learned", scale=2.0, power=1, opt="adam", lr=0.01, batch=20, epochs=400, eval="log:35")
    synth_off = dict(df=None, ds=None, F=None, S=None)
    tabular = dict(synth_off, n=300, noise=None, flip=0.2, lr=0.003, batch=30, epochs=150)
    return spectral_norm_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(scale_mode="fixed", scale=1.0, eval="every:3"),
        dict(scale_mode="fixed", scale=2.0, eval="jitter:35"),
        dict(scale_mode="fixed", scale=4.0, eval="mixed:20:5"),
        dict(scale=1.0, eval="every:2"),
        dict(scale=4.0, eval="rand:100"),
        dict(power=3, eval="geom:3"),
        dict(norm=None, scale_mode=None, scale=None, power=None, eval="log:35"),
        dict(h=4, eval="every:3"),
        dict(h=16, eval="mixlog:20:30"),
        dict(noise=1.0, eval="jitter:30"),
        dict(s=0.3, eval="every:4"),
        dict(S=0.0, eval="log:35"),
        dict(n=400, eval="geom:4"),
        dict(lr=0.003, eval="every:3"),
        dict(opt="momentum", lr=0.05, eval="mixed:30:3"),
        dict(tabular, data="digits", h=32, eval="every:2"),
        dict(tabular, data="digits", h=32, scale_mode="fixed", eval="log:35"),
        dict(tabular, data="cancer", h=12, eval="jitter:35"),
        dict(tabular, data="diabetes", n=250, noise=0.3, flip=None, h=6, eval="every:2"),
    ], lambda d: "%s-h%d-%s-%s-lr%g-b%d" % (
        data_name(d), d["h"], "sn-%s%g-pow%d" % (d["scale_mode"], d["scale"], d["power"])
        if d.get("norm") == "spectral" else "plain", d["opt"], d["lr"], d["batch"] or 0))


# ---------------------------------------------------------------------------------------------------- ntk-linearised


def ntk_params(g, sizes):
    """Weights (out x in) and biases of the neural-tangent parametrisation, all standard normals from g, float64."""
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out += [torch.randn(b, a, generator=g, dtype=torch.float64), torch.randn(b, generator=g, dtype=torch.float64)]
    return out


def ntk_layer(p, i, a, sb):
    """Layer i's pre-activation in the neural-tangent parametrisation: sigma_w W a / sqrt(fan-in) + sigma_b b,
    sigma_w sqrt(2) in the hidden layers (He), 1 at the head."""
    W, b = p[2 * i], p[2 * i + 1]
    sw = 1.0 if 2 * i + 2 == len(p) else math.sqrt(2.0)
    return sw * (a @ W.T) / math.sqrt(W.shape[1]) + sb * b


def ntk_forward(p, z, K, sb):
    L = len(p) // 2
    for i in range(L - 1):
        z = torch.relu(ntk_layer(p, i, z, sb))
    z = ntk_layer(p, L - 1, z, sb)
    return z.squeeze(-1) if K == 1 else z


def tangent_cache(p0, z, sb):
    """The frozen quantities of the linearisation at w0 for inputs z: each layer's input activation and each hidden
    layer's ReLU gate, and the output f(z; w0)."""
    acts, gates = [z], []
    L = len(p0) // 2
    for i in range(L - 1):
        pre = ntk_layer(p0, i, acts[-1], sb)
        gates.append((pre > 0).double())
        acts.append(torch.relu(pre))
    return acts, gates, ntk_layer(p0, L - 1, acts[-1], sb)


def tangent_forward(p0, delta, cache, K, sb, idx=None):
    """f(x; w0) + J(x; w0) delta by a forward-mode pass: the tangent of layer i's pre-activation is sigma_w (dW
    a_i + W0 t_i) / sqrt(fan-in) + sigma_b db, t_0 = 0, t_{i+1} = gate_i times it; linear in delta."""
    acts, gates, f0 = [take(a, idx) for a in cache[0]], [take(q, idx) for q in cache[1]], take(cache[2], idx)
    L = len(p0) // 2
    t = None
    for i in range(L):
        W0, dW, db = p0[2 * i], delta[2 * i], delta[2 * i + 1]
        sw = 1.0 if i == L - 1 else math.sqrt(2.0)
        dz = acts[i] @ dW.T + (0 if t is None else t @ W0.T)
        dz = sw * dz / math.sqrt(W0.shape[1]) + sb * db
        t = dz * gates[i] if i < L - 1 else dz
    out = f0 + t
    return out.squeeze(-1) if K == 1 else out


def ntk_linearised(w, run_id, c):
    """A ReLU network d -> h (-> h) -> K (depth 1 or 2 hidden layers) in the neural-tangent parametrisation (ntk_layer;
    standard normal weights and biases from the run's generator, sigma_b c['sb']), linearised around its
    initialisation w0 (linear True): f(x; w) = f(x; w0) + J(x; w0)(w - w0), by tangent_forward through the frozen
    activations and gates at w0 (by the ReLU's homogeneity f(x; w0) lies in the span of the head's tangent features,
    so the initial function is one the linear model can unlearn); or the network itself trained from w0 (linear
    False, for contrast). Data: muon_data.
    Loss: half the squared error or the cross-entropy of the (linearised) logits. Optimizer: gradient descent on the
    parameters w (opt 'gd': plain SGD at step lr, no momentum), SGD with momentum 0.9 ('momentum') or Adam ('adam'),
    full batch or minibatches. Train loss: the loss on the noisy training targets or labels; test loss: the squared
    error against the clean test targets (the held-out progression) or the cross-entropy of the clean test labels;
    error rates too for classes."""
    g = torch.Generator().manual_seed(423_000 + c["seed"])
    x, y, xt, yt, K = muon_data(g, c)
    d, h, depth, sb = x.shape[1], c["h"], c.get("depth") or 1, c["sb"]
    p0 = ntk_params(g, [d] + [h] * depth + [K])
    delta = leaves([torch.zeros_like(q) for q in p0])
    if c["linear"]:
        cache, cache_t = tangent_cache(p0, x, sb), tangent_cache(p0, xt, sb)

        def forward(z, idx=None):
            return tangent_forward(p0, delta, cache if z is x else cache_t, K, sb, idx)
    else:
        def forward(z, idx=None):
            return ntk_forward([a + b for a, b in zip(p0, delta)], take(z, idx), K, sb)

    if c["opt"] == "gd":
        opt = torch.optim.SGD(delta, lr=c["lr"])
    else:
        opt = plain_opt(c, delta)

    def step(idx):
        opt.zero_grad()
        task_loss(forward(x, idx), take(y, idx), K).backward()
        opt.step()

    P = sum(q.numel() for q in p0)
    run = w.run(run_id, P, len(x),
                {"family": "ntk-linearised" if c["linear"] else "relu-mlp-ntk-param", "hidden_layers": depth,
                 "width": h, "inputs": d, "outputs": K},
                settings(c, data_keys() + ("h", "depth", "sb", "linear", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "ce", "test_loss": test_name(c),
                   "params_per_target": "%.3g" % (P / (len(x) * (1 if K == 1 else K)))},
                output_dim=K)

    def log(e, final):
        log_task(run, e, K, forward(x), y, forward(xt), yt, final)

    epoch_loop(g, len(x), c, step, log)


def runs_ntk_linearised():
    # The logic: the linearised network is a linear model in the tangent features of its initialisation, for one hidden
    # layer the inputs (and a constant) gated by each unit's ReLU at w0 and scaled by its head weight, plus the head's
    # bias: by the ReLU's homogeneity the head's own features lie in that span, so the model has at most h (d + 1) + 1
    # independent features, 187 at width 6 on 30 inputs, just short of the 200 noisy targets (218 at width 7: the width
    # at which it can just fit them). Gradient descent on the parameters (step 4, a step of about 1.2 over the tangent
    # kernel's top eigenvalue) takes the gated fast inputs first and fits the noise in their span within some hundreds
    # of epochs; the slow part (10 features at scale 0.1, power 3), whose gated features are 100 times weaker in the
    # kernel, comes some thousands of epochs later, and the noise in the remaining weak directions last. The grid moves
    # one thing at a time: the width (4, 5, 7, 8, 12: 125-373 features), the noise (1.0), the scale gap (0.2), the
    # teacher (fast power 2 and slow power 1; no slow signal), the data (400 points at width 13, again at the
    # threshold), heavy ball (momentum 0.9), minibatch SGD, Adam, two hidden layers (at step 2), the network itself
    # trained from the same initialisation for contrast, the digits with the right half dimmed and 20% flipped labels
    # (linearised logits under the cross-entropy), breast cancer with flipped labels and diabetes with its products.
    base = dict(data="synth", n=200, df=20, ds=10, s=0.1, F=1.0, S=3.0, noise=0.5, flip=None, h=6, depth=1, sb=0.1,
                linear=True, opt="gd", lr=4.0, batch=None, epochs=20000, eval="log:35")
    synth_off = dict(df=None, ds=None, F=None, S=None)
    tabular = dict(synth_off, n=300, noise=None, flip=0.2, lr=30.0, epochs=3000)
    return ntk_linearised, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="jitter:35"),
        dict(h=5, eval="log:30"),
        dict(h=7, eval="geom:100"),
        dict(h=8, eval="mixlog:30:30"),
        dict(h=12, eval="log:35"),
        dict(noise=1.0, eval="jitter:30"),
        dict(s=0.2, eval="log:35"),
        dict(F=2.0, S=1.0, eval="rand:150"),
        dict(S=0.0, eval="log:30"),
        dict(n=400, h=13, eval="log:35"),
        dict(opt="momentum", lr=0.4, eval="jitter:35"),
        dict(batch=20, lr=1.0, epochs=2000, eval="mixed:30:20"),
        dict(opt="adam", lr=0.01, epochs=5000, eval="every:25"),
        dict(depth=2, lr=2.0, eval="log:35"),
        dict(linear=False, eval="log:35"),
        dict(tabular, data="digits", h=16, eval="log:35"),
        dict(tabular, data="cancer", h=8, eval="every:10"),
        dict(synth_off, data="diabetes", n=250, noise=0.3, h=4, lr=2.0, eval="mixlog:20:30"),
    ], lambda d: "%s-h%d%s-%s-%s-lr%g-%s" % (
        data_name(d), d["h"], "x%d" % d["depth"] if d.get("depth", 1) > 1 else "",
        "lin" if d["linear"] else "net", d["opt"], d["lr"],
        "b%d" % d["batch"] if d.get("batch") else "fullbatch"))


FAMILIES = {"snapshot-ensemble": runs_snapshot_ensemble, "spectral-norm-mlp": runs_spectral_norm_mlp,
            "ntk-linearised": runs_ntk_linearised}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
