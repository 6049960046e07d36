#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fifty-fifth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 170 families of train.py ... train_fiftyfourth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is forecasting networks on synthetic time series (trend,
seasonality, regime switches, observation noise), at sizes around where the model can just fit its training windows,
with target noise in part of the grid. Every family is a global model over many short series: each training window is
the L past observations of its own synthetic series and the next Hz steps are to be forecast (level-normalised: the
window's last observation subtracted from inputs and targets); the series are a seasonal wave of period 12 and random
amplitude and phase, a small second wave of period 5 (amplitude a2), a random linear trend, a level shift (a regime
switch) at a random step with probability p_sw, and Gaussian observation noise; the training targets carry extra
Gaussian target noise where set; the test windows come from fresh series, forecast against their clean future.

- nbeats-blocks: N-BEATS-style stacks (Oreshkin et al. 2020, the generic architecture) of fully connected ReLU blocks,
  each reading the residual of the window left by the blocks before it and giving a backcast (subtracted from that
  residual) and a forecast (summed over the blocks); the block width swept through where the stack can just fit the
  training windows. Loss: the squared error of the Hz forecasts; test loss: that against the clean future.
- dilated-wavenet: a causal dilated-convolution forecaster (WaveNet's stack without its gates): a 1 x 1 convolution
  into C channels, residual layers of causal convolutions of kernel 2 at dilations 1, 2, 4, ... with ReLU, 1 x 1 skips
  summed, and a readout of the summed skips at the last step to all Hz steps at once. Loss: the mean absolute error
  (L1) of the forecasts; test loss: the mean absolute scaled error (MASE) against the clean future, each window's
  absolute error over its in-sample seasonal-naive (lag 12) mean absolute difference.
- lstm-window: an LSTM (torch.nn.LSTM, one layer) that reads the window one step at a time and forecasts the next Hz
  steps from its last hidden state by one linear map (the direct multi-horizon strategy). Loss: the squared error;
  RMSprop with the gradient's norm clipped; test loss: the squared error against the clean future.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs) and take from train_thirtyninth.py, count from
train_fortyeighth.py and make_opt and clipped_step from train_fiftythird.py; one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits. No train or test error is sent (no share exists for
these forecasts).

    /usr/bin/python3 train_fiftyfifth.py --family nbeats-blocks [--list] [--runs 0,3] [--out FILE]

Families (see README.md): nbeats-blocks, dilated-wavenet, lstm-window. Evaluation spacings: train.py's 'every',
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
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftythird import clipped_step, make_opt  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64
SERIES_KEYS = ("seed", "n", "L", "Hz", "a2", "trend", "p_sw", "J", "obs", "sigma")


# ---------------------------------------------------------------------------------------------------- series


def series_windows(g, m, c, noisy):
    """m synthetic series of L + Hz steps, drawn from g, float64: amplitude U(0.5, 1.5) times sin(2 pi t / 12 + phi),
    plus a2 sin(2 pi t / 5 + phi2), plus a trend b (t - L) with b ~ U(-trend, trend), plus (with probability p_sw) a
    level shift of +-J from a step drawn uniformly in [L / 2, L + Hz); observed under Gaussian noise obs. Returns the
    windows' inputs (the first L observations less the L-th), the targets (the next Hz observations less the L-th,
    plus Gaussian target noise sigma where noisy) and the clean targets (the clean next Hz values less the L-th
    observation)."""
    L, Hz = c["L"], c["Hz"]
    T = L + Hz
    t = torch.arange(T, dtype=F64)
    amp = 0.5 + torch.rand(m, 1, generator=g, dtype=F64)
    ph = 2 * math.pi * torch.rand(m, 2, generator=g, dtype=F64)
    b = c["trend"] * (2 * torch.rand(m, 1, generator=g, dtype=F64) - 1)
    sw = (torch.rand(m, 1, generator=g, dtype=F64) < c["p_sw"]).to(F64)
    tau = torch.randint(L // 2, T, (m, 1), generator=g).to(F64)
    sign = 2 * torch.randint(0, 2, (m, 1), generator=g).to(F64) - 1
    clean = (amp * torch.sin(2 * math.pi * t / 12 + ph[:, :1]) + c["a2"] * torch.sin(2 * math.pi * t / 5 + ph[:, 1:])
             + b * (t - L) + sw * sign * c["J"] * (t >= tau).to(F64))
    obs = clean + c["obs"] * torch.randn(m, T, generator=g, dtype=F64)
    last = obs[:, L - 1:L]
    y = obs[:, L:] - last
    if noisy and c.get("sigma"):
        y = y + c["sigma"] * torch.randn(m, Hz, generator=g, dtype=F64)
    return obs[:, :L] - last, y, clean[:, L:] - last


def noise_name(d):
    return "obs%g-%s" % (d["obs"], "sig%g" % d["sigma"] if d.get("sigma") else "clean")


def series_name(d):
    return "n%d-L%d-H%d-a%g-sw%g-%s" % (d["n"], d["L"], d["Hz"], d["a2"], d["p_sw"], noise_name(d))


def mse(f, t):
    return ((f - t) ** 2).mean()


# ---------------------------------------------------------------------------------------------------- nbeats-blocks


def nbeats_blocks(w, run_id, c):
    """N-BEATS' generic architecture, float64: B blocks, each an MLP L -> W -> W (ReLU; `layers` hidden layers of W)
    and two linear heads W -> L (backcast) and W -> Hz (forecast), weights and biases U(+-1 / sqrt(fan-in)) from the
    run's generator; block b reads the residual r_b (r_1 the window), r_(b+1) = r_b - backcast_b, and the forecast is the
    sum of the blocks' forecasts. Data: series_windows, n training windows and 1,000 test windows. Loss: the squared
    error of the Hz forecasts. Optimizer: make_opt on minibatches. Train loss: that of the noisy training targets; test
    loss: that against the test windows' clean future."""
    g = torch.Generator().manual_seed(551_000 + c["seed"])
    x, y, _ = series_windows(g, c["n"], c, True)
    xt, _, yt = series_windows(g, 1000, c, False)
    L, Hz, W, B, layers = c["L"], c["Hz"], c["W"], c["B"], c.get("layers") or 2
    blocks = []
    for _ in range(B):
        sizes = [L] + [W] * layers
        p = []
        for a, o in zip(sizes[:-1], sizes[1:]):
            p += [uniform(g, a, o, a).double(), uniform(g, a, o).double()]
        p += [uniform(g, W, L, W).double(), uniform(g, W, L).double(), uniform(g, W, Hz, W).double(),
              uniform(g, W, Hz).double()]
        blocks.append(leaves(p))
    params = [q for p in blocks for q in p]
    opt = make_opt(c, params)

    def forward(z):
        r, f = z, 0.0
        for p in blocks:
            h = r
            for i in range(0, 2 * layers, 2):
                h = torch.relu(h @ p[i].T + p[i + 1])
            r = r - (h @ p[-4].T + p[-3])
            f = f + h @ p[-2].T + p[-1]
        return f

    def step(idx):
        clipped_step(c, opt, params, mse(forward(take(x, idx)), take(y, idx)))

    run = w.run(run_id, count(params), len(x), {"family": "nbeats-generic", "blocks": B, "width": W, "layers": layers,
                                                "lookback": L, "horizon": Hz},
                settings(c, SERIES_KEYS + ("W", "B", "layers", "opt", "lr", "wd", "clip", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "test_loss": "clean-future-mse",
                   "targets_per_weight": "%.3g" % (Hz * len(x) / count(params))},
                output_dim=Hz)

    def log(e, final):
        run.log(e, mse(forward(x), y), mse(forward(xt), yt), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_nbeats_blocks():
    # The logic: 150 training windows of 24 lags, 6 steps ahead each: 900 noisy numbers to fit. A generic block of
    # width W with two hidden layers has W^2 + 56 W + 30 weights (24 -> W -> W, heads to 24 + 6), so 3 blocks (3 W^2 +
    # 168 W + 90: 810 at W 4, 1,206 at W 6, 1,626 at W 8) can just fit the 900 targets near W 5 by count. The sweep of
    # W (2, 4, 6, 8 at the base at 2 seeds, 12, 24, 64) crosses it with the observation noise 0.2 and target noise 0.4
    # on every training target; Adam at 0.003 on minibatches of 25, 300 epochs. One thing at a time besides: clean
    # targets, target noise 0.8, no regime switch, every series switched, no small wave (a2 0), 1 block and 6 blocks
    # (W 8), one hidden layer, 75 and 300 windows, momentum SGD at 0.01 with the gradient's norm clipped to 1, AdamW
    # with weight decay 0.05 at W 24, Adam at 0.02. Evaluation spacing mixed. (Probed once at the base, seed 97:
    # 2.8 CPU s, the test loss lowest near epoch 36, then rising as the noise is fitted.)
    base = dict(n=150, L=24, Hz=6, a2=0.3, trend=0.05, p_sw=0.5, J=1.0, obs=0.2, sigma=0.4, W=8, B=3, layers=None,
                opt="adam", lr=0.003, wd=None, clip=None, batch=25, epochs=300, eval="every:2")
    return nbeats_blocks, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(W=2, eval="every"),
        dict(W=4, eval="jitter:40"),
        dict(W=6, eval="every:2"),
        dict(W=12, eval="geom:3"),
        dict(W=24, eval="every:3"),
        dict(W=64, eval="mixed:40:4"),
        dict(sigma=None, eval="every:2"),
        dict(sigma=0.8, eval="burst:20:5"),
        dict(p_sw=0.0, eval="every"),
        dict(p_sw=1.0, eval="log:40"),
        dict(a2=0.0, eval="every:2"),
        dict(B=1, eval="every:2"),
        dict(B=6, eval="every:4"),
        dict(layers=1, eval="every:2"),
        dict(n=75, eval="every"),
        dict(n=300, eval="mixlog:30:40"),
        dict(opt="momentum", lr=0.01, clip=1.0, eval="rand:120"),
        dict(opt="adamw", wd=0.05, W=24, eval="every:3"),
        dict(lr=0.02, eval="every"),
    ], lambda d: "%s-B%d-W%d%s-%s-lr%g%s" % (
        series_name(d), d["B"], d["W"], "-l%d" % d["layers"] if d.get("layers") else "", d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- dilated-wavenet


def mase_scale(x):
    """Each window's in-sample seasonal-naive (lag 12) mean absolute difference, the MASE's denominator."""
    return (x[:, 12:] - x[:, :-12]).abs().mean(1, keepdim=True)


def dilated_wavenet(w, run_id, c):
    """A causal dilated-convolution forecaster, float32: a 1 x 1 convolution of the window (one channel) into C
    channels, then `depth` residual layers, layer l a causal convolution of kernel 2 and dilation 2^l (left zero
    padding) C -> C, a ReLU, and 1 x 1 convolutions C -> C into the residual stream (added to the layer's input) and
    into the skips (summed over the layers); the readout a ReLU of the summed skips at the last step and a linear map
    C -> Hz. Weights and biases U(+-1 / sqrt(fan-in)) from the run's generator. Data: series_windows (float32), n
    training windows and 500 test windows. Loss: the mean absolute error (L1). Optimizer: make_opt (AdamW at the
    base, decoupled weight decay wd) on minibatches, the gradient's norm clipped where set. Train loss: the L1 loss of
    the noisy training targets; test loss: the MASE against the test windows' clean future (the absolute error over
    the window's seasonal-naive in-sample scale, averaged)."""
    g = torch.Generator().manual_seed(552_000 + c["seed"])
    x, y, _ = series_windows(g, c["n"], c, True)
    xt, _, yt = series_windows(g, 500, c, False)
    scale_t = mase_scale(xt).float()
    x, y, xt, yt = x.float(), y.float(), xt.float(), yt.float()
    C, depth, Hz = c["C"], c["depth"], c["Hz"]
    p = [uniform(g, 1, C, 1, 1), uniform(g, 1, C)]
    for _ in range(depth):
        p += [uniform(g, 2 * C, C, C, 2), uniform(g, 2 * C, C), uniform(g, C, C, C, 1), uniform(g, C, C),
              uniform(g, C, C, C, 1), uniform(g, C, C)]
    p += [uniform(g, C, Hz, C), uniform(g, C, Hz)]
    params = leaves(p)
    opt = make_opt(c, params)
    F = torch.nn.functional

    def forward(z):
        h = F.conv1d(z[:, None, :], p[0], p[1])
        skip = 0.0
        for l in range(depth):
            q = p[2 + 6 * l: 8 + 6 * l]
            d = 2 ** l
            a = torch.relu(F.conv1d(F.pad(h, (d, 0)), q[0], q[1], dilation=d))
            h = h + F.conv1d(a, q[2], q[3])
            skip = skip + F.conv1d(a, q[4], q[5])
        return torch.relu(skip[:, :, -1]) @ p[-2].T + p[-1]

    def l1(f, t):
        return (f - t).abs().mean()

    def step(idx):
        clipped_step(c, opt, params, l1(forward(take(x, idx)), take(y, idx)))

    run = w.run(run_id, count(params), len(x), {"family": "dilated-causal-conv", "channels": C, "layers": depth,
                                                "receptive_field": 2 ** depth, "lookback": c["L"], "horizon": Hz},
                settings(c, SERIES_KEYS + ("C", "depth", "opt", "lr", "wd", "clip", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "l1", "test_loss": "clean-future-mase",
                   "targets_per_weight": "%.3g" % (Hz * len(x) / count(params))},
                output_dim=Hz)

    def log(e, final):
        run.log(e, l1(forward(x), y), ((forward(xt) - yt).abs() / scale_t).mean(), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_dilated_wavenet():
    # The logic: 120 training windows of 24 lags, 6 steps ahead each: 720 noisy numbers (the L1 loss). The network has
    # 4 C^2 + 3 C weights a layer, 2 C in the stem and 6 C + 6 in the readout, so with 4 layers (receptive field 16,
    # more than the season's 12) 16 C^2 + 20 C + 6: 702 at C 6, 1,190 at C 8, and it can just fit the 720 targets near
    # C 6 by count. The sweep of C (2, 4, 6, 8 at the base at 2 seeds, 12, 16, 32) crosses it under observation noise
    # 0.2 and target noise 0.5; AdamW at 0.01 with weight decay 0.01 on minibatches of 40, 120 epochs. One thing at a
    # time besides: clean targets, target noise 1.0, no regime switch, a strong trend (0.15), 3 layers (receptive field
    # 8: the season's period unseen), 60 and 240 windows, Adam without weight decay, momentum SGD at 0.02 clipped to
    # norm 1, AdamW at 0.003, weight decay 0.3 at C 16. Evaluation spacing mixed. (Probed twice, seed 97: 32 lags, 8
    # steps, 5 layers, minibatches of 20, 250 epochs took 17.6 CPU s; cut to this base, 3.5 CPU s, the MASE lowest
    # near epoch 46, then rising.)
    base = dict(n=120, L=24, Hz=6, a2=0.3, trend=0.05, p_sw=0.5, J=1.0, obs=0.2, sigma=0.5, C=8, depth=4,
                opt="adamw", lr=0.01, wd=0.01, clip=None, batch=40, epochs=120, eval="every:2")
    return dilated_wavenet, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(C=2, eval="every"),
        dict(C=4, eval="jitter:40"),
        dict(C=6, eval="every:2"),
        dict(C=12, eval="geom:3"),
        dict(C=16, eval="every:3"),
        dict(C=32, eval="mixed:40:4"),
        dict(sigma=None, eval="every:2"),
        dict(sigma=1.0, eval="burst:20:5"),
        dict(p_sw=0.0, eval="every"),
        dict(trend=0.15, eval="log:40"),
        dict(depth=3, eval="every:2"),
        dict(n=60, eval="every"),
        dict(n=240, eval="mixlog:30:40"),
        dict(opt="adam", wd=None, eval="every:2"),
        dict(opt="momentum", lr=0.02, wd=None, clip=1.0, eval="rand:100"),
        dict(lr=0.003, eval="every:3"),
        dict(wd=0.3, C=16, eval="every:4"),
    ], lambda d: "%s-tr%g-C%dx%d-%s-lr%g%s" % (
        series_name(d), d["trend"], d["C"], d["depth"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- lstm-window


def lstm_window(w, run_id, c):
    """An LSTM forecaster, float32: torch.nn.LSTM (one layer, input 1, hidden Hd; weights and biases U(+-1 / sqrt(Hd))
    from the run's generator) reads the window one step at a time, and one linear map Hd -> Hz (U(+-1 / sqrt(Hd)))
    gives all Hz forecasts from the last hidden state. Data: series_windows (float32), n training windows and 500 test
    windows. Loss: the squared error. Optimizer: make_opt (RMSprop at the base) on minibatches, the gradient's norm
    clipped to clip. Train loss: that of the noisy training targets; test loss: that against the clean future."""
    g = torch.Generator().manual_seed(553_000 + c["seed"])
    x, y, _ = series_windows(g, c["n"], c, True)
    xt, _, yt = series_windows(g, 500, c, False)
    x, y, xt, yt = x.float(), y.float(), xt.float(), yt.float()
    Hd, Hz = c["Hd"], c["Hz"]
    lstm = torch.nn.LSTM(1, Hd, batch_first=True)
    with torch.no_grad():
        for q in lstm.parameters():
            q.copy_(uniform(g, Hd, *q.shape))
    head = leaves([uniform(g, Hd, Hz, Hd), uniform(g, Hd, Hz)])
    params = list(lstm.parameters()) + head
    opt = make_opt(c, params)

    def forward(z):
        return lstm(z[:, :, None])[0][:, -1] @ head[0].T + head[1]

    def step(idx):
        clipped_step(c, opt, params, mse(forward(take(x, idx)), take(y, idx)))

    run = w.run(run_id, count(params), len(x), {"family": "lstm-direct-forecaster", "hidden": Hd, "lookback": c["L"],
                                                "horizon": Hz},
                settings(c, SERIES_KEYS + ("Hd", "opt", "lr", "clip", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "test_loss": "clean-future-mse",
                   "targets_per_weight": "%.3g" % (Hz * len(x) / count(params))},
                output_dim=Hz)

    def log(e, final):
        run.log(e, mse(forward(x), y), mse(forward(xt), yt), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_lstm_window():
    # The logic: 100 training windows of 20 lags, 5 steps ahead each: 500 noisy numbers. The LSTM of hidden size Hd
    # has 4 Hd (Hd + 1) + 8 Hd + 5 Hd + 5 weights (4 Hd^2 + 17 Hd + 5): 397 at Hd 8, 785 at Hd 12, so it can just fit
    # the 500 targets near Hd 9 by count. The sweep of Hd (2, 4, 8 at the base at 2 seeds, 12, 16, 32) crosses it
    # under observation noise 0.2 and target noise 0.5; RMSprop at 0.005 with the gradient's norm clipped to 1, on
    # minibatches of 25, 150 epochs. One thing at a time besides: clean targets, target noise 1.0, every series
    # switched, no small wave, 50 and 200 windows, Adam at 0.005 (clipped), momentum SGD at 0.05 (clipped), RMSprop at
    # 0.02, no clipping, a 10-step horizon. Evaluation spacing mixed. (Probed twice, seed 97: the base, 2.8 CPU s, the
    # test loss lowest near epoch 100 and level; Hd 16 at 0.02, lowest near epoch 57, then rising.)
    base = dict(n=100, L=20, Hz=5, a2=0.3, trend=0.05, p_sw=0.5, J=1.0, obs=0.2, sigma=0.5, Hd=8, opt="rmsprop",
                lr=0.005, clip=1.0, batch=25, epochs=150, eval="every")
    return lstm_window, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(Hd=2, eval="every:2"),
        dict(Hd=4, eval="jitter:40"),
        dict(Hd=12, eval="geom:3"),
        dict(Hd=16, eval="every"),
        dict(Hd=32, eval="mixed:30:3"),
        dict(sigma=None, eval="every"),
        dict(sigma=1.0, eval="burst:15:5"),
        dict(p_sw=1.0, eval="every:2"),
        dict(a2=0.0, eval="log:40"),
        dict(n=50, eval="every"),
        dict(n=200, eval="mixlog:30:40"),
        dict(opt="adam", eval="every"),
        dict(opt="momentum", lr=0.05, eval="rand:80"),
        dict(lr=0.02, eval="every:2"),
        dict(clip=None, eval="every"),
        dict(Hz=10, eval="every:3"),
    ], lambda d: "%s-Hd%d-%s-lr%g%s" % (series_name(d), d["Hd"], d["opt"], d["lr"],
                                        "-clip%g" % d["clip"] if d.get("clip") else ""))


FAMILIES = {"nbeats-blocks": runs_nbeats_blocks, "dilated-wavenet": runs_dilated_wavenet,
            "lstm-window": runs_lstm_window}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
