#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, ninetieth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_eightyeighth.py in model,
loss and data. The theme of the round is probabilistic time-series forecasting, judged on held-out windows later in
time than the training ones:

- deepar-rnn-nll: a DeepAR-style autoregressive recurrent forecaster (Salinas et al. 2020): a GRU (an LSTM in 1 run,
  two layers in 1) reads the previous value and the seasonal phase's sine and cosine at every step and emits the
  parameters of a Gaussian or a Student-t predictive density for the next value (the scale through a softplus, the
  Student-t's degrees of freedom learned or fixed), trained with teacher forcing on the negative log-likelihood of
  every step of training windows (or of their forecast steps only), on synthetic series (a level, a trend, two
  seasonal harmonics, regime changes moving the level and the slope, Gaussian or heavy-tailed Student-t noise).
- mq-pinball-cnn: a multi-horizon quantile forecaster in the manner of MQ-CNN (Wen et al. 2017): a causal dilated 1-D
  convolutional encoder of the context window (the value and the seasonal phase) and a linear decoder of its
  flattened features (or of its last step's) to every horizon's quantiles at once, free or kept from crossing by a
  cumulative sum of softplus increments, trained on the pinball (quantile) loss averaged over the quantile levels
  and the horizons, on the synthetic series and on series built from scikit-learn's 8 x 8 digits (images read row by
  row and concatenated: periods of 8 and 64).
- dlinear-stdecomp: seasonal-trend decomposition forecasters in the manner of DLinear (Zeng et al. 2023): the context
  window split by a moving average into a trend and a seasonal remainder, each mapped to the horizon by its own linear
  layer (a hidden ReLU layer each in 1 run; the seasonal part through a Fourier basis of the season's period in 1),
  beside NLinear (the last value subtracted) and a plain linear map without the decomposition, trained on the squared
  error (the absolute error and the Huber loss in 1 run each) on the synthetic series and the digit series.

Train loss: the training objective's value on the training windows (deepar-rnn-nll: the NLL at their forecast steps
in excess of the true noise density's NLL there, so below zero once the training noise is fitted); test loss: the same
on held-out windows whose forecast steps lie after the training part of each series (deepar-rnn-nll: the excess NLL,
an estimate of a KL divergence, at least about zero; mq-pinball-cnn: the pinball loss against the noisy observed
values; dlinear-stdecomp: its loss against them); no error rates. A run whose loss turns NaN or infinite sends that
evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take from train_thirtyninth.py, count from train_fortyeighth.py, logger and train_until from
train_seventyfourth.py and target_noise (Gaussian or unit-variance Student-t noise) from train_seventysixth.py; one
thread, every random draw from a seeded torch.Generator (series, noise, change points, digit orders, initialisations,
minibatches), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks
it.

    /usr/bin/python3 train_ninetieth.py --family deepar-rnn-nll [--list] [--runs 0,3] [--out FILE]

Families (see README.md): deepar-rnn-nll, mq-pinball-cnn, dlinear-stdecomp. Evaluation spacings: train.py's
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import target_noise  # noqa: E402  (Gaussian or unit-variance Student-t noise)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64
LOG_2PI = math.log(2 * math.pi)


# ---------------------------------------------------------------------------------------------------- the series


def series(g, c):
    """The series of a run, from its generator g: (z, nll0, ph, t_tr), z (S x T) standardised by each series' mean and
    sd over its first t_tr steps (the training part), nll0 (S x T) the true noise density's NLL at each point in the
    same units (None for the digits), ph (T,) the seasonal phase 2 pi t / period.

    'synth': S = 'series' series of T = 'length' steps, each a level N(0, 1) plus a drift of slope trend N(0, 1) / T per
    step, two harmonics of the period (amplitudes amp U(0.5, 1.5) and amp U(0, 0.5), random phases), and 'regimes'
    change points (each at U(0.15, 0.95) T: the level jumps by shift N(0, 1) and the slope changes by trend N(0, 1) / T
    from there on); noise of sd 'sd', Gaussian or Student-t of 'df' degrees of freedom scaled to unit variance
    (target_noise). 'digits': scikit-learn's 8 x 8 digits (pixels / 16) in a random order, 'images' of them read row by
    row and concatenated into each of the S series (periods of 8 and 64 steps), Gaussian noise of sd 'sd' where set."""
    S, T = c["series"], c["length"]
    t_tr = int(round(T * c["train_share"]))
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        X = torch.tensor(load_digits().data / 16.0, dtype=F64)
        m = c["length"] // 64
        perm = torch.randperm(len(X), generator=g)[:S * m]
        y = X[perm].reshape(S, m * 64)
        if c.get("sd"):
            y = y + c["sd"] * torch.randn(y.shape, generator=g, dtype=F64)
        nll0, eps, scale = None, None, None
    else:
        t = torch.arange(T, dtype=F64)
        P = c["period"]
        rows, noise = [], []
        for _ in range(S):
            level = float(torch.randn(1, generator=g, dtype=F64))
            slope = c["trend"] * float(torch.randn(1, generator=g, dtype=F64)) / T
            a = c["amp"] * (torch.rand(2, generator=g, dtype=F64) * torch.tensor([1.0, 0.5], dtype=F64)
                            + torch.tensor([0.5, 0.0], dtype=F64))
            p = 2 * math.pi * torch.rand(2, generator=g, dtype=F64)
            x = level + slope * t + a[0] * torch.sin(2 * math.pi * t / P + p[0]) \
                + a[1] * torch.sin(4 * math.pi * t / P + p[1])
            for _ in range(c.get("regimes") or 0):
                tau = int(T * (0.15 + 0.8 * float(torch.rand(1, generator=g, dtype=F64))))
                jump = c["shift"] * float(torch.randn(1, generator=g, dtype=F64))
                kink = c["trend"] * float(torch.randn(1, generator=g, dtype=F64)) / T
                x = x + (t >= tau).to(F64) * (jump + kink * (t - tau))
            rows.append(x)
            noise.append(target_noise(g, c, torch.zeros(T, dtype=F64)))
        eps = torch.stack(noise)
        y = torch.stack(rows) + eps
        scale = c["sd"] if not c.get("df") else c["sd"] * math.sqrt((c["df"] - 2) / c["df"])
    mu, sd = y[:, :t_tr].mean(1, keepdim=True), y[:, :t_tr].std(1, keepdim=True)
    z = (y - mu) / sd
    if eps is not None:
        e, s = eps / sd, scale / sd  # the noise and its density's scale in standardised units
        if c.get("df"):
            nll0 = -torch.distributions.StudentT(torch.tensor(float(c["df"]), dtype=F64), torch.zeros_like(e),
                                                 s.expand_as(e)).log_prob(e)
        else:
            nll0 = 0.5 * LOG_2PI + torch.log(s) + 0.5 * (e / s) ** 2
    period = c["period"] if c["data"] == "synth" else 64
    ph = 2 * math.pi * torch.arange(T, dtype=F64) / period
    return z, nll0, ph, t_tr


def windows(a, t_tr, L, H, stride, test_stride=None):
    """Windows of L + H steps of a (S x T, or T alone: broadcast to every series): the training ones within the first
    t_tr steps at the given stride, the held-out ones whose last H (forecast) steps lie after t_tr at test_stride
    (default H); each (number of windows x (L + H))."""
    W = L + H
    if a.dim() == 1:
        a = a[None]
    tr = a[:, :t_tr].unfold(1, W, stride).reshape(-1, W)
    te = a[:, t_tr - L:].unfold(1, W, test_stride or H).reshape(-1, W)
    return tr, te


def series_name(d):
    if d["data"] == "digits":
        return "digits-S%d-T%d%s" % (d["series"], d["length"], "-sd%g" % d["sd"] if d.get("sd") else "")
    return "synth-S%d-T%d-P%d-reg%d-sd%g%s" % (d["series"], d["length"], d["period"], d.get("regimes") or 0, d["sd"],
                                                "-t%g" % d["df"] if d.get("df") else "")


def make_opt(c, params):
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    if c["opt"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=c.get("wd") or 0.0)


SERIES_KEYS = ("seed", "data", "series", "length", "train_share", "period", "amp", "trend", "regimes", "shift", "sd",
               "df", "images")


# ---------------------------------------------------------------------------------------------------- deepar-rnn-nll


def deepar_rnn_nll(w, run_id, c):
    """A DeepAR-style recurrent forecaster, float32. Data (from the run's generator): series ('synth'), cut into
    windows of L context and H forecast steps (training windows within the training part at 'stride', held-out ones
    whose forecast steps follow it at stride H). Model: torch.nn.GRU or LSTM ('cell'; 'layers' layers of 'hid' units,
    every weight U(+-1 / sqrt(hid)) from the run's generator) reading at step t the value z_(t-1) and sin, cos of the
    seasonal phase of step t ('cov' set; the value alone where not), a linear head emitting the location, the scale
    (softplus + 1e-3) and, for the Student-t ('lik' 'studentt'), the degrees of freedom (2 + softplus, or fixed at
    'nu' where set) of z_t. Loss: the mean NLL of z_t given the true past (teacher forcing) over every step 1 ... L+H-1
    of the window ('range' 'all') or over its H forecast steps only ('horizon'). Optimizer: make_opt (Adam, RMSprop or
    SGD with momentum) on minibatches of windows, the gradient norm clipped at 'clip' where set. Train loss: the mean
    NLL at the forecast steps of the training windows minus the true noise density's NLL there; test loss: the same
    on the held-out windows."""
    g = torch.Generator().manual_seed(901_000 + c["seed"])
    z, nll0, ph, t_tr = series(g, c)
    L, H = c["L"], c["H"]
    ztr, zte = windows(z, t_tr, L, H, c["stride"])
    otr, ote = windows(nll0, t_tr, L, H, c["stride"])
    S = z.shape[0]
    ptr, pte = windows(ph.expand(S, -1).contiguous(), t_tr, L, H, c["stride"])

    def inputs(zw, pw):
        parts = [zw[:, :-1, None]]
        if c["cov"]:
            parts += [torch.sin(pw[:, 1:, None]), torch.cos(pw[:, 1:, None])]
        return torch.cat(parts, 2).to(F32)

    xtr, xte = inputs(ztr, ptr), inputs(zte, pte)
    ytr, yte = ztr[:, 1:].to(F32), zte[:, 1:].to(F32)
    base_tr, base_te = otr[:, L:].mean(), ote[:, L:].mean()  # the true density's NLL at the forecast steps
    h, stu = c["hid"], c["lik"] == "studentt"
    rnn = (torch.nn.GRU if c["cell"] == "gru" else torch.nn.LSTM)(xtr.shape[2], h, num_layers=c["layers"],
                                                                   batch_first=True)
    head = torch.nn.Linear(h, 3 if stu and not c.get("nu") else 2)
    params = list(rnn.parameters()) + list(head.parameters())
    with torch.no_grad():
        for q in params:
            q.copy_(uniform(g, h, *q.shape))
    opt = make_opt(c, params)

    def nll(x, y):
        o = head(rnn(x)[0])
        loc, sc = o[..., 0], fn.softplus(o[..., 1]) + 1e-3
        if stu:
            nu = torch.full_like(loc, float(c["nu"])) if c.get("nu") else 2 + fn.softplus(o[..., 2])
            return -torch.distributions.StudentT(nu, loc, sc).log_prob(y)
        return 0.5 * LOG_2PI + torch.log(sc) + 0.5 * ((y - loc) / sc) ** 2

    def step(idx):
        opt.zero_grad()
        per = nll(take(xtr, idx), take(ytr, idx))
        loss = (per if c["range"] == "all" else per[:, L - 1:]).mean()
        loss.backward()
        if c.get("clip"):
            torch.nn.utils.clip_grad_norm_(params, c["clip"])
        opt.step()

    run = w.run(run_id, count(params), len(ytr), {"family": "deepar-rnn", "cell": c["cell"], "hidden": h,
                                                  "layers": c["layers"], "context": L, "horizon": H},
                settings(c, SERIES_KEYS + ("L", "H", "stride", "cell", "hid", "layers", "cov", "lik", "nu", "range",
                                           "opt", "lr", "mom", "wd", "clip", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "%s-nll" % c["lik"], "teacher_forcing": "true",
                   "test_loss": "heldout-forecast-steps-excess-nll", "train_loss": "forecast-steps-excess-nll",
                   "test_windows": str(len(yte)), "test_size": str(len(yte) * H)})
    log_ = logger(run)

    def log(e, final):
        log_(e, nll(xtr, ytr)[:, L - 1:].mean().double() - base_tr, nll(xte, yte)[:, L - 1:].mean().double() - base_te,
             final=final)

    train_until(g, len(ytr), c, step, log)


def runs_deepar_rnn_nll():
    # The logic: 6 synthetic series of 240 steps (period 24, one regime change each, Gaussian noise of sd 0.5 beside a
    # seasonal amplitude about 1), the first 60% for training (144 steps each), windows of 24 context and 12 forecast
    # steps at stride 4 (28 training windows a series, 168 in all, overlapping: about 864 noisy values), a GRU of 32
    # units (3,618 weights, about four a training value) with the seasonal phase as covariates, a Gaussian head, the
    # NLL of every step under Adam at 3e-3 on minibatches of 64, 60 epochs: the network learns the season and the
    # level, then fits the noise of the few training values, its scale shrinking below the noise's, so the held-out
    # excess NLL rises again. One thing at a time: an LSTM, two layers, 16 and 64 units, no covariates, the forecast
    # steps only in the objective, the Student-t head (learned degrees of freedom) on Gaussian and on Student-t noise
    # (3 degrees of freedom), the Gaussian head on that heavy-tailed noise, the Student-t head at a fixed 4 degrees of
    # freedom, noise sd 0.25 and 1, no and three regime changes, 3 and 12 series, a context of 48, RMSprop at 1e-3,
    # momentum SGD at 0.02 with clipping at 1, Adam with weight decay 1e-3. Evaluation spacing mixed.
    base = dict(data="synth", series=6, length=240, train_share=0.6, period=24, amp=1.0, trend=1.0, regimes=1,
                shift=1.0, sd=0.5, df=None, L=24, H=12, stride=4, cell="gru", hid=32, layers=1, cov=True,
                lik="gaussian", nu=None, range="all", opt="adam", lr=3e-3, mom=None, wd=None, clip=None, batch=64,
                epochs=60, eval="every")
    return deepar_rnn_nll, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(cell="lstm", eval="every:2"),
        dict(layers=2, eval="jitter:30"),
        dict(hid=16, eval="every"),
        dict(hid=64, eval="geom:2"),
        dict(cov=False, eval="every:3"),
        dict(range="horizon", eval="every"),
        dict(lik="studentt", eval="mixed:30:2"),
        dict(lik="studentt", df=3.0, eval="every"),
        dict(df=3.0, eval="every:2"),
        dict(lik="studentt", nu=4.0, df=3.0, eval="log:30"),
        dict(sd=0.25, eval="every"),
        dict(sd=1.0, eval="burst:10:4"),
        dict(regimes=0, eval="every:2"),
        dict(regimes=3, eval="every"),
        dict(series=3, eval="mixlog:20:30"),
        dict(series=12, eval="every:2"),
        dict(L=48, eval="every"),
        dict(opt="rmsprop", lr=1e-3, eval="rand:50"),
        dict(opt="sgd", lr=0.02, mom=0.9, clip=1.0, eval="every"),
        dict(wd=1e-3, eval="every:2"),
    ], lambda d: "%s-L%dH%d-%s%dx%d%s-%s%s-%s-%s-lr%g%s%s" % (
        series_name(d), d["L"], d["H"], d["cell"], d["layers"], d["hid"], "" if d["cov"] else "-nocov", d["lik"],
        "-nu%g" % d["nu"] if d.get("nu") else "", d["range"], d["opt"], d["lr"], "-clip%g" % d["clip"] if d.get("clip")
        else "", "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- mq-pinball-cnn


QUANTILES = {3: (0.1, 0.5, 0.9), 5: (0.05, 0.25, 0.5, 0.75, 0.95), 9: tuple(i / 10 for i in range(1, 10))}


def mq_pinball_cnn(w, run_id, c):
    """A multi-horizon quantile forecaster, float32. Data (from the run's generator): series, windows of L context and H
    forecast steps (training ones at 'stride', held-out ones after the training part at stride H). Model: the context
    (the value, and sin, cos of the seasonal phase where 'cov') through 'depth' causal 1-D convolutions of kernel 3,
    'ch' channels and dilations 1, 2, 4, ... (left zero padding), ReLU after each; the features of every position
    flattened ('read' 'flat') or of the last position alone ('last') mapped linearly to H x Q outputs, Q = 'nq' levels
    (QUANTILES); 'mono' the first level's output plus a cumulative sum of softplus increments (no crossing), else the
    outputs themselves; every weight U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the pinball loss max(tau e,
    (tau - 1) e), e the value minus the quantile, averaged over the levels, horizons and windows. Optimizer: make_opt
    on minibatches of windows. Train loss: the pinball loss on the training windows; test loss: the same on the
    held-out windows, against the noisy observed values."""
    g = torch.Generator().manual_seed(902_000 + c["seed"])
    z, _, ph, t_tr = series(g, c)
    L, H = c["L"], c["H"]
    S = z.shape[0]
    ztr, zte = windows(z, t_tr, L, H, c["stride"])
    ptr, pte = windows(ph.expand(S, -1).contiguous(), t_tr, L, H, c["stride"])

    def inputs(zw, pw):
        parts = [zw[:, None, :L]]
        if c["cov"]:
            parts += [torch.sin(pw[:, None, :L]), torch.cos(pw[:, None, :L])]
        return torch.cat(parts, 1).to(F32)

    xtr, xte = inputs(ztr, ptr), inputs(zte, pte)
    ytr, yte = ztr[:, L:].to(F32), zte[:, L:].to(F32)
    taus = torch.tensor(QUANTILES[c["nq"]], dtype=F32)
    Q, ch, cin = len(taus), c["ch"], xtr.shape[1]
    convs = []
    for i in range(c["depth"]):
        a = cin if i == 0 else ch
        convs += [uniform(g, 3 * a, ch, a, 3), uniform(g, 3 * a, ch)]
    feat = ch * L if c["read"] == "flat" else ch
    params = leaves(convs + [uniform(g, feat, feat, H * Q), uniform(g, feat, H * Q)])

    def forward(x):
        for i in range(c["depth"]):
            d = 2 ** i
            x = torch.relu(fn.conv1d(fn.pad(x, (2 * d, 0)), params[2 * i], params[2 * i + 1], dilation=d))
        f = x.flatten(1) if c["read"] == "flat" else x[:, :, -1]
        o = (f @ params[-2] + params[-1]).view(-1, H, Q)
        if c["mono"]:
            o = torch.cat([o[..., :1], o[..., :1] + torch.cumsum(fn.softplus(o[..., 1:]), -1)], -1)
        return o

    def pinball(o, y):
        e = y[..., None] - o
        return torch.maximum(taus * e, (taus - 1) * e).mean()

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        pinball(forward(take(xtr, idx)), take(ytr, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(ytr), {"family": "mq-cnn", "channels": ch, "depth": c["depth"],
                                                  "read": c["read"], "context": L, "horizon": H, "quantiles": Q},
                settings(c, SERIES_KEYS + ("L", "H", "stride", "cov", "ch", "depth", "read", "nq", "mono", "opt", "lr",
                                           "mom", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "pinball-mean-over-%d-quantiles" % Q,
                   "quantile_levels": ",".join("%g" % q for q in QUANTILES[c["nq"]]),
                   "test_loss": "heldout-windows-pinball-noisy-values", "test_windows": str(len(yte)),
                   "test_size": str(len(yte) * H)})
    log_ = logger(run)

    def log(e, final):
        log_(e, pinball(forward(xtr), ytr), pinball(forward(xte), yte), final=final)

    train_until(g, len(ytr), c, step, log)


def runs_mq_pinball_cnn():
    # The logic: 4 synthetic series of 240 steps (period 24, one regime change, Student-t noise of 3 degrees of freedom
    # and sd 0.5), the first 60% for training, windows of 48 context and 12 forecast steps at stride 2 (43 a series,
    # 172 in all, overlapping), 5 quantile levels, two causal convolutions of 16 channels, every position's features
    # flattened to the 60 outputs (46,140 weights in the decoder: far more than the ~576 noisy training values), free
    # outputs, Adam at 1e-3 on minibatches of 34, 80 epochs: the decoder fits the season and the level, then the noise
    # of the training windows, the held-out pinball loss rising as it does. One thing at a time: the last position's
    # features only (four dilated layers, receptive field 31), 3 and 9 levels, non-crossing outputs, no covariates, 8
    # and 32 channels, Gaussian noise, noise sd 1, three regime changes, 8 series, a horizon of 24, a context of 24,
    # momentum SGD at 0.03, RMSprop at 3e-4, Adam with weight decay 1e-2; scikit-learn's digits (4 series of 6 images,
    # 384 steps, the first 2/3 for training, a context of 64 and a horizon of 16 at stride 4; plain, with Gaussian
    # noise 0.2 and with non-crossing outputs). Evaluation
    # spacing mixed.
    base = dict(data="synth", series=4, length=240, train_share=0.6, period=24, amp=1.0, trend=1.0, regimes=1,
                shift=1.0, sd=0.5, df=3.0, L=48, H=12, stride=2, cov=True, ch=16, depth=2, read="flat", nq=5,
                mono=False, opt="adam", lr=1e-3, mom=None, wd=None, batch=34, epochs=80, eval="every")
    digits = dict(data="digits", series=4, length=384, train_share=0.667, period=None, amp=None, trend=None,
                  regimes=None, shift=None, sd=None, df=None, L=64, H=16, stride=4)
    return mq_pinball_cnn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(read="last", depth=4, eval="every:2"),
        dict(nq=3, eval="jitter:40"),
        dict(nq=9, eval="every"),
        dict(mono=True, eval="every:3"),
        dict(cov=False, eval="every"),
        dict(ch=8, eval="geom:2"),
        dict(ch=32, eval="every:2"),
        dict(df=None, eval="every"),
        dict(sd=1.0, eval="mixed:30:3"),
        dict(regimes=3, eval="every"),
        dict(series=8, eval="log:35"),
        dict(H=24, eval="every:2"),
        dict(L=24, eval="burst:10:4"),
        dict(opt="sgd", lr=0.03, mom=0.9, eval="every"),
        dict(opt="rmsprop", lr=3e-4, eval="every:2"),
        dict(wd=1e-2, eval="rand:60"),
        dict(digits, eval="every"),
        dict(digits, sd=0.2, eval="mixlog:20:35"),
        dict(digits, mono=True, eval="every:3"),
    ], lambda d: "%s-L%dH%d-%s-cnn%dx%d-%s-q%d%s-%s-lr%g%s" % (
        series_name(d), d["L"], d["H"], "cov" if d["cov"] else "nocov", d["depth"], d["ch"], d["read"], d["nq"],
        "-mono" if d["mono"] else "", d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- dlinear-stdecomp


def dlinear_stdecomp(w, run_id, c):
    """Seasonal-trend decomposition forecasters, float32. Data (from the run's generator): series, windows of L context
    and H forecast steps (training ones at 'stride', held-out ones after the training part at stride H). Model ('kind'):
    'dlinear' the context's trend (a moving average over 'ma' steps, the ends padded by repeating the end values) and
    seasonal remainder each mapped to the H steps by its own linear layer, the two added; 'dmlp' the same with a hidden
    ReLU layer of 'hid' units in each branch; 'fourier' the trend's linear layer plus the remainder mapped linearly to
    the coefficients of 'harm' harmonics of the period (sine and cosine) evaluated at the forecast steps; 'nlinear' the
    last context value subtracted, one linear layer, the value added back; 'linear' one linear layer on the context.
    Weights: 'avg' every linear layer's weights 1 / fan-in and biases zero (DLinear's initial average), 'uniform'
    U(+-1 / sqrt(fan-in)) from the run's generator (hidden layers always so). Loss ('loss'): the squared error, the
    absolute error or the Huber loss (delta 1) averaged over the horizons and windows. Optimizer: make_opt on minibatches
    of windows. Train loss: the loss on the training windows; test loss: the same on the held-out windows, against the
    noisy observed values."""
    g = torch.Generator().manual_seed(903_000 + c["seed"])
    z, _, _, t_tr = series(g, c)
    L, H = c["L"], c["H"]
    ztr, zte = windows(z, t_tr, L, H, c["stride"])
    xtr, xte, ytr, yte = ztr[:, :L].to(F32), zte[:, :L].to(F32), ztr[:, L:].to(F32), zte[:, L:].to(F32)
    kind = c["kind"]

    def lin(a, b):
        if c["init"] == "avg":
            return [torch.full((a, b), 1.0 / a), torch.zeros(b)]
        return [uniform(g, a, a, b), uniform(g, a, b)]

    if kind == "dmlp":
        hid = c["hid"]
        ps = [uniform(g, L, L, hid), uniform(g, L, hid)] + lin(hid, H) + [uniform(g, L, L, hid), uniform(g, L, hid)] \
            + lin(hid, H)
    elif kind == "fourier":
        K = c["harm"]
        ps = lin(L, H) + lin(L, 2 * K)
        k = torch.arange(1, K + 1, dtype=F32)
        tt = torch.arange(L, L + H, dtype=F32)[:, None] * 2 * math.pi * k / c["period_fit"]
        basis = torch.cat([torch.sin(tt), torch.cos(tt)], 1).T  # 2K x H
    elif kind == "dlinear":
        ps = lin(L, H) + lin(L, H)
    else:
        ps = lin(L, H)
    params = leaves(ps)

    def decompose(x):
        m = c["ma"]
        xp = torch.cat([x[:, :1].expand(-1, (m - 1) // 2), x, x[:, -1:].expand(-1, m // 2)], 1)
        trend = fn.avg_pool1d(xp[:, None], m, stride=1)[:, 0]
        return trend, x - trend

    def forward(x):
        if kind == "linear":
            return x @ params[0] + params[1]
        if kind == "nlinear":
            last = x[:, -1:]
            return (x - last) @ params[0] + params[1] + last
        trend, seas = decompose(x)
        if kind == "dlinear":
            return trend @ params[0] + params[1] + seas @ params[2] + params[3]
        if kind == "fourier":
            return trend @ params[0] + params[1] + (seas @ params[2] + params[3]) @ basis
        return (torch.relu(trend @ params[0] + params[1]) @ params[2] + params[3]
                + torch.relu(seas @ params[4] + params[5]) @ params[6] + params[7])

    def loss(o, y):
        if c["loss"] == "mse":
            return ((o - y) ** 2).mean()
        if c["loss"] == "mae":
            return (o - y).abs().mean()
        return fn.huber_loss(o, y, delta=1.0)

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        loss(forward(take(xtr, idx)), take(ytr, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(ytr), {"family": "decomposition-linear", "kind": kind, "context": L,
                                                  "horizon": H},
                settings(c, SERIES_KEYS + ("L", "H", "stride", "kind", "ma", "hid", "harm", "period_fit", "init",
                                           "loss", "opt", "lr", "mom", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "test_loss": "heldout-windows-%s-noisy-values" % c["loss"],
                   "test_windows": str(len(yte)), "test_size": str(len(yte) * H)})
    log_ = logger(run)

    def log(e, final):
        log_(e, loss(forward(xtr), ytr), loss(forward(xte), yte), final=final)

    train_until(g, len(ytr), c, step, log)


def runs_dlinear_stdecomp():
    # The logic: 4 synthetic series of 400 steps (period 24, a trend, two regime changes, Gaussian noise of sd 0.7), the
    # first 60% for training (240 steps each), a context of 96 and a horizon of 24 at stride 1 (121 training windows a
    # series, 484 in all, overlapping), DLinear (a moving average of 25 steps; two 96 -> 24 layers, 4,656 weights, from
    # the average), the squared error under Adam at 3e-4 on minibatches of 64, 200 epochs: the layers learn the
    # season and the level from the average, then fit the noise of the ~960 training values through the many weights,
    # the held-out error rising. One thing at a time: NLinear, a plain linear map, a hidden layer of 64 in each branch,
    # the Fourier seasonal head (3 harmonics), a moving average of 7, uniform initial weights, the absolute error and
    # the Huber loss, Student-t noise (3 degrees of freedom), noise sd 0.35, no regime changes, 2 and 8 series, a
    # context of 192, momentum SGD at 0.002, full batches under Adam, Adam with weight decay 1e-2; scikit-learn's
    # digits (4 series of 6 images, the first 2/3 for training, a context of 128 and a horizon of 16; DLinear, with
    # Gaussian noise 0.2, and NLinear). Evaluation spacing mixed.
    base = dict(data="synth", series=4, length=400, train_share=0.6, period=24, amp=1.0, trend=2.0, regimes=2,
                shift=1.0, sd=0.7, df=None, L=96, H=24, stride=1, kind="dlinear", ma=25, hid=None, harm=None,
                period_fit=None, init="avg", loss="mse", opt="adam", lr=3e-4, mom=None, wd=None, batch=64,
                epochs=200, eval="every")
    digits = dict(data="digits", series=4, length=384, train_share=0.667, period=None, amp=None, trend=None,
                  regimes=None, shift=None, sd=None, df=None, L=128, H=16, stride=1, ma=9)
    return dlinear_stdecomp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(kind="nlinear", ma=None, eval="every:2"),
        dict(kind="linear", ma=None, eval="jitter:40"),
        dict(kind="dmlp", hid=64, eval="every"),
        dict(kind="fourier", harm=3, period_fit=24, eval="geom:3"),
        dict(ma=7, eval="every:3"),
        dict(init="uniform", eval="every"),
        dict(loss="mae", eval="mixed:40:2"),
        dict(loss="huber", eval="every:2"),
        dict(df=3.0, eval="every"),
        dict(sd=0.35, eval="log:35"),
        dict(regimes=0, eval="every:2"),
        dict(series=2, eval="burst:20:5"),
        dict(series=8, eval="every"),
        dict(L=192, eval="every:4"),
        dict(opt="sgd", lr=0.002, mom=0.9, eval="every"),
        dict(batch=None, eval="every:2"),
        dict(wd=1e-2, eval="rand:80"),
        dict(digits, eval="every"),
        dict(digits, sd=0.2, eval="mixlog:30:35"),
        dict(digits, kind="nlinear", ma=None, eval="every:2"),
    ], lambda d: "%s-L%dH%d-%s%s%s-%s-%s-%s-lr%g%s%s" % (
        series_name(d), d["L"], d["H"], d["kind"], "-ma%d" % d["ma"] if d.get("ma") else "",
        "-hid%d" % d["hid"] if d.get("hid") else "-harm%d" % d["harm"] if d.get("harm") else "", d["init"], d["loss"],
        d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else "-fullbatch", "-wd%g" % d["wd"] if d.get("wd")
        else ""))


FAMILIES = {"deepar-rnn-nll": runs_deepar_rnn_nll, "mq-pinball-cnn": runs_mq_pinball_cnn,
            "dlinear-stdecomp": runs_dlinear_stdecomp}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
