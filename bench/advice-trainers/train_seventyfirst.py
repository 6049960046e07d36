#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventy-first held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping benchmark,
no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and
committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs were
sorted by census.py alone), and made to differ from the families of train.py ... train_seventieth.py in model, loss,
noise and data. The theme of the round is signal processing and audio-like data: a SincNet whose first layer is a
bank of learnable band-pass filters parametrised by their cut-off frequencies, a small 2-D CNN on short-time Fourier
spectrograms computed by torch.stft, and a fixed (hand-built, not learnt) Morlet wavelet scattering front end under a
learnt linear or one-hidden-layer readout; on synthetic audio-like signals (tones, chirps, noise bursts, tone bursts,
harmonic complexes, amplitude- and frequency-modulated carriers) under background noise, with flipped labels, noisy
targets, corrupted training signals or spectrogram masking in part of the grid:

- sincnet-filters: SincNet (Ravanelli & Bengio 2018): a first layer of F band-pass filters of Ksz taps, each the
  difference of two windowed ideal low-pass sinc responses, 2 f2 sinc(2 f2 n) - 2 f1 sinc(2 f1 n) under a Hamming
  window, learnt through its low cut-off f1 and its bandwidth f2 - f1 only (2 weights a filter; initialised on a
  geometric scale of cut-offs); max pooling, a layer norm and a leaky ReLU; a second 1-D convolution (F -> C, width
  5); an average over 4 time segments and an MLP head. The sinc bank frozen at its initialisation in 1 run and a free
  learnt convolution of the same shape (F Ksz weights) in 1 run. Data: signals of T samples of six classes (a low
  tone, a high tone, an up-chirp, a down-chirp, a band-limited noise burst, a two-tone chord) at a random frequency,
  phase, amplitude, onset and duration, under white background noise; a share of the training labels flipped, or of
  the training signals corrupted by a loud noise segment, in part of the grid. Loss: the cross-entropy. Adam
  (momentum SGD in 1 run) on minibatches, float32. Train loss: the cross-entropy on the training signals at their
  given labels; test loss: the same on 300 held-out signals with true labels; error rates: the misclassified shares.
- spectrogram-cnn: a 2-D CNN (3 x 3 convolutions of C and 2 C channels, ReLU, 2 x 2 max pooling twice, a linear
  readout of the maps averaged over time) on the log-magnitude short-time Fourier spectrograms (torch.stft, a Hann
  window, n_fft 32 (64 in 1 run), hop 16) of synthetic signals, computed once and standardised. Tasks: the number
  of tone bursts (1-4, at random frequencies, onsets and durations; a classification), or the pitch of a harmonic
  complex (the standardised log fundamental; a regression) in 3 runs. Noise: white background noise, flipped count
  labels or Gaussian noise on the pitch targets, corrupted training signals; SpecAugment-like time and frequency
  masks drawn for every minibatch in part of the grid. Loss: the cross-entropy (count) or the mean squared error
  (pitch). Adam (momentum SGD in 1 run) on minibatches, float32. Train loss: the loss on the training spectrograms
  (unmasked) at their given targets; test loss: the same on 300 held-out signals' spectrograms at their true
  targets; error rates (count only): the misclassified shares.
- scattering-linear: a wavelet scattering transform (Mallat 2012; Anden & Mallat 2014) built by hand and fixed:
  first-order coefficients |x * psi_l| of J Q Morlet filters (Q a octave, applied by FFT), second-order coefficients
  ||x * psi_l| * psi2_m| of one-octave Morlet modulation filters below each first-order filter's frequency, both
  averaged over `frames` equal time segments (the low-pass), log-compressed (log(1e-3 + S); raw in 1 run) and
  standardised by their training means and sds; first order only in 1 run. A learnt linear readout (a one-hidden-
  layer ReLU MLP in 2 runs) on those features. Data: carriers at a random frequency amplitude-modulated (frequency-
  modulated in 1 run) at a slow rate, the class the rate (3, 5, 8 or 13 cycles a signal, jittered by 10%), under
  white background noise; a share of the training labels flipped, or of the training signals corrupted, in part of
  the grid. Loss: the cross-entropy. Adam on minibatches (full-batch gradient descent and momentum SGD in 1 run
  each), float32. Train loss: the cross-entropy on the training signals at their given labels; test loss: the same
  on 400 held-out signals with true labels; error rates: the misclassified shares.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, count from
train_fortyeighth.py, make_opt from train_fiftysixth.py and mlp_params and mlp from train_sixtyfifth.py; one thread,
every random draw from a seeded torch.Generator (the signals, noise, flips, corruptions, minibatches and masks),
synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_seventyfirst.py --family sincnet-filters [--list] [--runs 0,3] [--out FILE]

Families (see README.md): sincnet-filters, spectrogram-cnn, scattering-linear. Evaluation spacings: train.py's
'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K',
'mixlog:A:K', 'geom:G', 'burst:P:B'.
"""
import ctypes
import math
import os
import sys

# Speed only, not results (train_sixtyeighth.py's and train_seventieth.py's setting): keep the evaluations' tensors of
# a few MB on the heap instead of fresh mmap pages at every allocation
try:
    _libc = ctypes.CDLL("libc.so.6")
    _libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
    _libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD
    _libc.mallopt(-2, 64 << 20)  # M_TOP_PAD
except (OSError, AttributeError):
    pass

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
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)

torch.set_num_threads(1)

F32 = torch.float32
TWO_PI = 2 * math.pi


def unif(g, m, lo, hi):
    """m draws uniform on [lo, hi) from g."""
    return lo + (hi - lo) * torch.rand(m, generator=g)


def band_noise(g, m, T, lo, hi):
    """m signals of Gaussian noise band-limited to [lo, hi) cycles a sample (an FFT mask), each of RMS 1 / sqrt(2)
    (a unit sinusoid's)."""
    z = torch.fft.rfft(torch.randn(m, T, generator=g), dim=1)
    f = torch.fft.rfftfreq(T)
    x = torch.fft.irfft(z * ((f >= lo) & (f < hi)), n=T, dim=1)
    return x / (math.sqrt(2) * x.pow(2).mean(1, keepdim=True).sqrt().clamp_min(1e-8))


def ramp_envelope(on, off, T, ramp=4.0):
    """Envelopes (m x T) rising at the onsets on and falling at the offsets off by logistic ramps of ramp samples."""
    t = torch.arange(T, dtype=F32)
    return torch.sigmoid((t - on[:, None]) / ramp) * torch.sigmoid((off[:, None] - t) / ramp)


def corrupt_signals(g, x, share, frac=0.25, level=2.0):
    """A share of the signals (rows of x) with a random segment of frac of their length replaced by loud white noise
    of sd level (a dropout or a clipping burst of the recording)."""
    if not share:
        return x
    m, T = x.shape
    hit = torch.rand(m, generator=g) < share
    start = (torch.rand(m, generator=g) * (T * (1 - frac))).long()
    t = torch.arange(T)
    seg = (t[None] >= start[:, None]) & (t[None] < start[:, None] + int(T * frac)) & hit[:, None]
    return torch.where(seg, level * torch.randn(m, T, generator=g), x)


def error_share(out, t):
    return (out.argmax(1) != t).float().mean()


# ---------------------------------------------------------------------------------------------------- sincnet-filters


SOUNDS = ("tone-low", "tone-high", "chirp-up", "chirp-down", "noise-burst", "two-tone")


def sound_events(g, m, T, bg):
    """m signals of T samples (m x T) and their classes (SOUNDS), from g: one event of amplitude U(0.5, 1.5) between
    an onset U(0, 0.3 T) and an offset 0.4-0.7 T later (ramp_envelope), a low tone (U(0.02, 0.05) cycles a sample),
    a high tone (U(0.09, 0.15)), a linear chirp from the low to the high frequency or back, a noise burst band-limited
    to [0.05, 0.12), or a chord of the low and the high tone, each of RMS 1 / sqrt(2) at a random phase; plus white
    background noise of sd bg."""
    y = torch.randint(len(SOUNDS), (m,), generator=g)
    t = torch.arange(T, dtype=F32)[None]
    on = unif(g, m, 0, 0.3 * T)[:, None]
    dur = unif(g, m, 0.4 * T, 0.7 * T)[:, None]
    amp = unif(g, m, 0.5, 1.5)[:, None]
    ph, ph2 = unif(g, m, 0, TWO_PI)[:, None], unif(g, m, 0, TWO_PI)[:, None]
    fa, fb = unif(g, m, 0.02, 0.05)[:, None], unif(g, m, 0.09, 0.15)[:, None]
    burst = band_noise(g, m, T, 0.05, 0.12)
    s = t - on

    def chirp(f0, f1):
        return torch.sin(TWO_PI * (f0 * s + (f1 - f0) * s * s / (2 * dur)) + ph)

    waves = torch.stack([torch.sin(TWO_PI * fa * t + ph), torch.sin(TWO_PI * fb * t + ph), chirp(fa, fb),
                         chirp(fb, fa), burst,
                         (torch.sin(TWO_PI * fa * t + ph) + torch.sin(TWO_PI * fb * t + ph2)) / math.sqrt(2)], 1)
    x = amp * ramp_envelope(on[:, 0], (on + dur)[:, 0], T) * waves[torch.arange(m), y]
    return x + bg * torch.randn(m, T, generator=g), y


def sinc_bank(f1p, bp, ksz):
    """SincNet's band-pass filters (F x 1 x ksz): low cut-off f1 = |f1p| + 0.004 and high cut-off f2 = f1 + |bp| +
    0.008 (at most 0.5) in cycles a sample; the impulse response 2 f2 sinc(2 f2 n) - 2 f1 sinc(2 f1 n) (torch.sinc,
    the normalised sinc) at n = -(ksz - 1) / 2 ... (ksz - 1) / 2 under a Hamming window, divided by 2 (f2 - f1) for a
    pass-band gain near 1."""
    f1 = f1p.abs() + 0.004
    f2 = (f1 + bp.abs() + 0.008).clamp(max=0.5)
    n = torch.arange(ksz, dtype=F32) - (ksz - 1) / 2
    win = 0.54 - 0.46 * torch.cos(TWO_PI * torch.arange(ksz, dtype=F32) / (ksz - 1))
    h = 2 * f2[:, None] * torch.sinc(2 * f2[:, None] * n) - 2 * f1[:, None] * torch.sinc(2 * f1[:, None] * n)
    return (h * win / (2 * (f2 - f1))[:, None])[:, None]


def sinc_init(F):
    """The bank's initial (f1p, bp): F bands between F + 1 cut-offs on a geometric scale from 0.01 to 0.45 cycles a
    sample (a mel-like tiling)."""
    edges = 0.01 * (0.45 / 0.01) ** (torch.arange(F + 1, dtype=F32) / F)
    return edges[:-1] - 0.004, edges[1:] - edges[:-1] - 0.008


def sincnet_filters(w, run_id, c):
    """A SincNet classifier, float32. Data (from the run's generator): n training and 300 held-out signals
    (sound_events, background noise bg); a share flip of the training labels flipped, a share corrupt of the training
    signals corrupted (corrupt_signals) afterwards. Model: the first layer F filters of ksz taps, 'sinc' sinc_bank
    learnt through (f1p, bp) from sinc_init, 'sinc-fixed' the same bank not learnt, 'free' a learnt convolution (F x
    1 x ksz, U(+-1 / sqrt(ksz))); max pooling by 4; a layer norm over the filters and times (no gain or bias); a leaky
    ReLU (0.2); a convolution F -> C of width 5 (zero padding) and a leaky ReLU; the mean over 4 equal time segments;
    an MLP 4 C -> H -> 6 (leaky ReLU). The maps U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the
    cross-entropy. Optimizer: make_opt on minibatches. Train loss: the cross-entropy on the training signals at their
    given labels; test loss: the same on the held-out signals, true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(711_000 + c["seed"])
    n, T, F, ksz, C, K = c["n"], c["T"], c["F"], c["ksz"], c["C"], len(SOUNDS)
    x, y = sound_events(g, n, T, c["bg"])
    xt, yt = sound_events(g, 300, T, c["bg"])
    yn = flip_labels(g, y, K, c.get("flip"))
    x = corrupt_signals(g, x, c.get("corrupt"))
    if c["front"] == "free":
        front = leaves([uniform(g, ksz, F, 1, ksz)])
    else:
        front = list(sinc_init(F))
        if c["front"] == "sinc":
            leaves(front)
    conv = leaves([uniform(g, 5 * F, C, F, 5), uniform(g, 5 * F, C)])
    head = mlp_params(g, [4 * C, c["H"], K], F32)
    params = (front if c["front"] != "sinc-fixed" else []) + conv + head

    def leaky(z):
        return fn.leaky_relu(z, 0.2)

    def logits(z):
        bank = front[0] if c["front"] == "free" else sinc_bank(front[0], front[1], ksz)
        h = fn.max_pool1d(fn.conv1d(z[:, None], bank, padding=ksz // 2), 4)
        h = leaky(fn.layer_norm(h, h.shape[-2:]))
        h = leaky(fn.conv1d(h, conv[0], conv[1], padding=2))
        return mlp(head, fn.adaptive_avg_pool1d(h, 4).flatten(1), leaky)

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(logits(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "sincnet", "front": c["front"], "filters": F, "taps": ksz,
                                           "channels": C, "hidden": c["H"]},
                settings(c, ("seed", "T", "n", "bg", "flip", "corrupt", "front", "F", "ksz", "C", "H", "opt", "lr",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy", "task": "sound-class-6",
                   "test_loss": "heldout-ce-true-labels", "error": "misclassified",
                   "labels_per_weight": "%.3g" % (n / count(params))}, output_dim=K)

    def losses(z, t):
        out = logits(z)
        return fn.cross_entropy(out, t), error_share(out, t)

    def log(e, final):
        lt, et = losses(x, yn)
        lh, eh = losses(xt, yt)
        run.log(e, lt, lh, et, eh, final=final)

    epoch_loop(g, n, c, step, log)


def runs_sincnet_filters():
    # The logic: 200 training signals of 256 samples in six sound classes that differ in band, in the direction of
    # a frequency sweep and in spectral width, under background noise of sd 0.5 (against an event's RMS of 0.35-1.06),
    # 10% of the labels flipped; SincNet with 16 sinc filters of 31 taps (32 weights), 16 channels and a head of 32
    # has 2 F + 5 F C + C + 4 C H + H + 6 H + 6 weights (3,606 at the base), about 18 per training label, so it can
    # fit the flipped labels too. Adam at 0.003 on minibatches of 32, 60 epochs. One thing at a time besides: the
    # sinc bank frozen, a free first convolution, 8 and 32 filters, 15 and 63 taps, 8 and 32 channels, 100 and 500
    # signals, no and louder (sd 1) background noise, clean labels and 30% flipped, 20% corrupted signals, signals of
    # 512 samples, minibatches of 8, momentum SGD at 0.03, Adam at 0.01. Evaluation spacing mixed.
    base = dict(T=256, n=200, bg=0.5, flip=0.1, corrupt=None, front="sinc", F=16, ksz=31, C=16, H=32, opt="adam",
                lr=0.003, batch=32, epochs=60, eval="every:2")
    return sincnet_filters, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(front="sinc-fixed", eval="every"),
        dict(front="free", eval="every:2"),
        dict(F=8, eval="jitter:40"),
        dict(F=32, eval="every:3"),
        dict(ksz=15, eval="log:40"),
        dict(ksz=63, eval="every:2"),
        dict(C=8, eval="geom:3"),
        dict(C=32, eval="every:2"),
        dict(n=100, eval="every"),
        dict(n=500, eval="every:4"),
        dict(bg=0.0, eval="every:2"),
        dict(bg=1.0, eval="log:30"),
        dict(flip=None, eval="every:3"),
        dict(flip=0.3, eval="burst:10:4"),
        dict(corrupt=0.2, eval="every:2"),
        dict(T=512, eval="mixed:20:3"),
        dict(batch=8, eval="every:2"),
        dict(opt="momentum", lr=0.03, eval="rand:40"),
        dict(lr=0.01, eval="mixlog:15:40"),
    ], lambda d: "T%d-n%d-bg%g%s%s-%s-F%d-k%d-C%d-H%d-%s-lr%g-b%d" % (
        d["T"], d["n"], d["bg"], "-flip%g" % d["flip"] if d.get("flip") else "-clean",
        "-corrupt%g" % d["corrupt"] if d.get("corrupt") else "", d["front"], d["F"], d["ksz"], d["C"], d["H"],
        d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- spectrogram-cnn


def tone_bursts(g, m, T):
    """m signals of T samples (m x T) holding 1-4 tone bursts each, and the count minus 1 (the class): per burst a
    frequency U(0.06, 0.42) cycles a sample, a duration U(40, 56) samples, an onset uniform over the signal, an
    amplitude U(0.6, 1.4) and a random phase, under a Hann envelope (bursts may overlap). All four bursts' draws are
    made for every signal, the unused ones dropped."""
    y = torch.randint(4, (m,), generator=g)
    t = torch.arange(T, dtype=F32)[None]
    x = torch.zeros(m, T)
    for j in range(4):
        f = unif(g, m, 0.06, 0.42)[:, None]
        dur = unif(g, m, 40, 56)[:, None]
        on = unif(g, m, 0, 1)[:, None] * (T - dur)
        amp = unif(g, m, 0.6, 1.4)[:, None]
        ph = unif(g, m, 0, TWO_PI)[:, None]
        s = (t - on) / dur
        env = torch.where((s >= 0) & (s < 1), 0.5 - 0.5 * torch.cos(TWO_PI * s), torch.zeros(()))
        x = x + (y >= j).float()[:, None] * amp * env * torch.sin(TWO_PI * f * t + ph)
    return x, y


def harmonic_tones(g, m, T):
    """m signals of T samples (m x T) each a harmonic complex tone, and its standardised log fundamental (the target):
    f0 log-uniform on [0.025, 0.1] cycles a sample, harmonics 1-5 with amplitudes U(0.2, 1) (those above 0.48
    dropped) and random phases, between an onset U(0, 0.2 T) and an offset U(0.7 T, T); the target (log f0 - mid) /
    (half-range / sqrt(3)), of mean 0 and sd 1."""
    lo, hi = math.log(0.025), math.log(0.1)
    lf = unif(g, m, lo, hi)
    f0 = torch.exp(lf)[:, None]
    t = torch.arange(T, dtype=F32)[None]
    x = torch.zeros(m, T)
    for h in range(1, 6):
        amp = unif(g, m, 0.2, 1.0)[:, None]
        ph = unif(g, m, 0, TWO_PI)[:, None]
        x = x + (h * f0 < 0.48).float() * amp * torch.sin(TWO_PI * h * f0 * t + ph)
    on, off = unif(g, m, 0, 0.2 * T), unif(g, m, 0.7 * T, T)
    x = x * ramp_envelope(on, off, T) / 1.5
    return x, (lf - (lo + hi) / 2) / ((hi - lo) / 2 / math.sqrt(3))


def log_spectrogram(x, nfft, hop):
    """log(0.01 + |STFT|) of the rows of x (m x (nfft / 2 + 1) x frames): torch.stft with a periodic Hann window of
    nfft, hop, centred frames (reflect padding)."""
    s = torch.stft(x, nfft, hop_length=hop, window=torch.hann_window(nfft), center=True, return_complex=True)
    return torch.log(0.01 + s.abs())


def spec_masks(g, z, tmax, fmax):
    """SpecAugment-like masking of a minibatch of spectrograms z (B x freq x frames): per spectrogram one band of
    U{0 ... fmax} frequency bins and one span of U{0 ... tmax} frames, at uniform positions, set to 0 (the
    standardised mean)."""
    B, nf, nt = z.shape
    fw = torch.randint(fmax + 1, (B,), generator=g)
    f0 = (torch.rand(B, generator=g) * (nf - fw + 1)).long()
    tw = torch.randint(tmax + 1, (B,), generator=g)
    t0 = (torch.rand(B, generator=g) * (nt - tw + 1)).long()
    fi, ti = torch.arange(nf)[None], torch.arange(nt)[None]
    fm = (fi >= f0[:, None]) & (fi < (f0 + fw)[:, None])
    tm = (ti >= t0[:, None]) & (ti < (t0 + tw)[:, None])
    return z.masked_fill(fm[:, :, None] | tm[:, None, :], 0.0)


def spectrogram_cnn(w, run_id, c):
    """A spectrogram CNN, float32. Data (from the run's generator): n training and 300 held-out signals of T samples,
    tone_bursts (task 'count', 4 classes) or harmonic_tones (task 'pitch', a regression), plus white background noise
    of sd bg; a share flip of the training count labels flipped, or Gaussian noise of sd tnoise on the training pitch
    targets; a share corrupt of the training signals corrupted (corrupt_signals) afterwards. Front end, fixed:
    log_spectrogram (n_fft nfft, hop 16), standardised by the training spectrograms' mean and sd. Model: conv 3 x 3 1
    -> C, ReLU, 2 x 2 max pooling, conv 3 x 3 C -> 2 C, ReLU, 2 x 2 max pooling, the maps averaged over time (their
    frequency rows kept) and read by a linear map to 4 logits or 1 output; the maps U(+-1 / sqrt(fan-in)) from the
    run's generator. Augmentation (aug): spec_masks on every training minibatch (up to 5 frames and 3 bins; 10 and 6
    with n_fft 64). Loss: the cross-entropy (count) or the mean squared error (pitch). Optimizer: make_opt on
    minibatches. Train loss: the loss on the unmasked training spectrograms at their given targets; test loss: the
    same on the held-out spectrograms at their true targets; error rates (count): the misclassified shares."""
    g = torch.Generator().manual_seed(712_000 + c["seed"])
    n, T, C, nfft = c["n"], c["T"], c["C"], c["nfft"]
    count_task = c["task"] == "count"
    make = tone_bursts if count_task else harmonic_tones
    x, y = make(g, n, T)
    xt, yt = make(g, 300, T)
    x = x + c["bg"] * torch.randn(n, T, generator=g)
    xt = xt + c["bg"] * torch.randn(300, T, generator=g)
    if count_task:
        yn = flip_labels(g, y, 4, c.get("flip"))
    else:
        yn = y + (c.get("tnoise") or 0.0) * torch.randn(n, generator=g)
    x = corrupt_signals(g, x, c.get("corrupt"))
    s, st = log_spectrogram(x, nfft, 16), log_spectrogram(xt, nfft, 16)
    mu, sd = s.mean(), s.std()
    s, st = (s - mu) / sd, (st - mu) / sd
    nf, nt = s.shape[1:]
    flat = 2 * C * (nf // 2 // 2)
    K = 4 if count_task else 1
    conv = leaves([uniform(g, 9, C, 1, 3, 3), uniform(g, 9, C), uniform(g, 9 * C, 2 * C, C, 3, 3),
                   uniform(g, 9 * C, 2 * C)])
    read = mlp_params(g, [flat, K], F32)
    params = conv + read
    tmax, fmax = (5, 3) if nfft == 32 else (10, 6)

    def forward(z):
        h = fn.max_pool2d(torch.relu(fn.conv2d(z[:, None], conv[0], conv[1], padding=1)), 2)
        h = fn.max_pool2d(torch.relu(fn.conv2d(h, conv[2], conv[3], padding=1)), 2)
        out = mlp(read, h.mean(3).flatten(1), None)  # the maps averaged over time, frequency kept
        return out if count_task else out[:, 0]

    def lossf(out, t):
        return fn.cross_entropy(out, t) if count_task else ((out - t) ** 2).mean()

    opt = make_opt(c, params)

    def step(idx):
        z = take(s, idx)
        if c.get("aug"):
            z = spec_masks(g, z, tmax, fmax)
        opt.zero_grad()
        lossf(forward(z), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "spectrogram-cnn", "channels": C, "n_fft": nfft, "hop": 16,
                                           "input": "%dx%d" % (nf, nt)},
                settings(c, ("seed", "task", "T", "n", "bg", "flip", "tnoise", "corrupt", "aug", "nfft", "C", "opt",
                             "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy" if count_task else "mse",
                   "front_end": "log-stft-magnitude",
                   "test_loss": "heldout-ce-true-labels" if count_task else "heldout-mse-true-targets",
                   "targets_per_weight": "%.3g" % (n / count(params))}
                | ({"error": "misclassified"} if count_task else {}), output_dim=K)

    def log(e, final):
        ot, oh = forward(s), forward(st)
        if count_task:
            run.log(e, lossf(ot, yn), lossf(oh, yt), error_share(ot, yn), error_share(oh, yt), final=final)
        else:
            run.log(e, lossf(ot, yn), lossf(oh, yt), final=final)

    epoch_loop(g, n, c, step, log)


def runs_spectrogram_cnn():
    # The logic: 300 training signals of 384 samples with 1-4 tone bursts each (at random frequencies and onsets, so
    # bursts may overlap and the count is not always visible), background noise of sd 0.3, 10% of the count labels
    # flipped; the spectrograms are 17 x 25 (n_fft 32, hop 16); the CNN with 8 and 16 channels and a linear readout
    # of the 16 x 4 pooled maps averaged over time (so a count can be a sum of detections) has 10 C + 18 C^2 + 2 C +
    # 8 C K + K weights (1,508 at the base), five per training label, so it can fit the flipped labels too, where
    # counting overlapping bursts of random frequency is a rule it learns slowly. Adam at 0.003 on minibatches of 32,
    # 60 epochs. One thing
    # at a time besides: 4 and 16 channels, 150 and 600 signals, no and louder (sd 1) background noise, clean labels
    # and 25% flipped, 20% corrupted signals, spectrogram masking (with and without flipped labels), n_fft 64, the
    # pitch of harmonic tones (with target noise sd 0.3, without it, with masking), minibatches of 8, momentum SGD at
    # 0.03, Adam at 0.01. Evaluation spacing mixed.
    base = dict(task="count", T=384, n=300, bg=0.3, flip=0.1, tnoise=None, corrupt=None, aug=None, nfft=32, C=8,
                opt="adam", lr=0.003, batch=32, epochs=60, eval="every:2")
    pitch = dict(task="pitch", flip=None, tnoise=0.3)
    return spectrogram_cnn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(C=4, eval="every"),
        dict(C=16, eval="jitter:40"),
        dict(n=150, eval="every:2"),
        dict(n=600, eval="every:3"),
        dict(bg=0.0, eval="log:40"),
        dict(bg=1.0, eval="every:2"),
        dict(flip=None, eval="geom:3"),
        dict(flip=0.25, eval="every:2"),
        dict(corrupt=0.2, eval="every:4"),
        dict(aug=True, eval="every"),
        dict(aug=True, flip=None, eval="every:2"),
        dict(nfft=64, eval="log:30"),
        dict(pitch, eval="every:2"),
        dict(pitch, tnoise=None, eval="every:3"),
        dict(pitch, aug=True, eval="burst:10:4"),
        dict(batch=8, eval="every:2"),
        dict(opt="momentum", lr=0.03, eval="rand:40"),
        dict(lr=0.01, eval="mixed:20:3"),
    ], lambda d: "%s-T%d-n%d-bg%g%s%s%s%s%s-nfft%d-C%d-%s-lr%g-b%d" % (
        d["task"], d["T"], d["n"], d["bg"], "-flip%g" % d["flip"] if d.get("flip") else "",
        "-tnoise%g" % d["tnoise"] if d.get("tnoise") else "",
        "" if d.get("flip") or d.get("tnoise") else "-clean", "-corrupt%g" % d["corrupt"] if d.get("corrupt") else "",
        "-masked" if d.get("aug") else "", d["nfft"], d["C"], d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- scattering-linear


RATES = (3.0, 5.0, 8.0, 13.0)


def modulated_signals(g, m, T, kind, bg):
    """m signals of T samples (m x T) and their classes, from g: the class k sets the modulation rate RATES[k] (cycles
    a signal) times U(0.9, 1.1); a carrier at U(0.03, 0.3) cycles a sample and a random phase, amplitude-modulated
    ('am': (1 + d sin(2 pi r t / T + phi)) / 1.5, depth d U(0.4, 1)) or frequency-modulated ('fm': the instantaneous
    frequency fc (1 + 0.2 d sin(2 pi r t / T + phi))), amplitude U(0.5, 1.5); plus white background noise of sd bg."""
    y = torch.randint(len(RATES), (m,), generator=g)
    r = torch.tensor(RATES)[y] * unif(g, m, 0.9, 1.1)
    fc, d = unif(g, m, 0.03, 0.3)[:, None], unif(g, m, 0.4, 1.0)[:, None]
    pm, pc = unif(g, m, 0, TWO_PI)[:, None], unif(g, m, 0, TWO_PI)[:, None]
    amp = unif(g, m, 0.5, 1.5)[:, None]
    t = torch.arange(T, dtype=F32)[None]
    mod = TWO_PI * r[:, None] * t / T + pm
    if kind == "am":
        s = (1 + d * torch.sin(mod)) / 1.5 * torch.sin(TWO_PI * fc * t + pc)
    else:
        s = torch.sin(TWO_PI * fc * t - 0.2 * d * fc * T / r[:, None] * torch.cos(mod) + pc)
    return amp * s + bg * torch.randn(m, T, generator=g), y


def morlet(T, xi, sigma):
    """A Morlet filter in the frequency domain on torch.fft.fftfreq(T): a Gaussian of sd sigma centred at xi (cycles
    a sample) minus kappa times one centred at 0, kappa setting its value at frequency 0 to 0 (zero mean)."""
    f = torch.fft.fftfreq(T)
    kappa = math.exp(-xi ** 2 / (2 * sigma ** 2))
    return torch.exp(-(f - xi) ** 2 / (2 * sigma ** 2)) - kappa * torch.exp(-f ** 2 / (2 * sigma ** 2))


def scattering(x, J, Q, J2, frames, order):
    """The scattering coefficients of the rows of x (m x T), fixed: first order |x * psi_l| for J Q Morlet filters at
    xi_l = 0.35 2^(-l / Q) cycles a sample, sd 0.4 xi_l (1 - 2^(-1 / Q)) / (1 - 2^-1) (so one per octave has sd 0.4
    xi), applied by FFT; second order ||x * psi_l| * psi2_j| for J2 one-octave modulation filters at xi2_j = 0.05 2^-j
    (sd 0.4 xi2_j) where xi2_j < xi_l, on the first-order envelopes low-passed to |f| < 1/8 cycles a sample and
    subsampled by 4 (by cutting their spectra; the modulation filters lie below 0.11); each averaged over frames
    equal time segments. Returns m x (paths x frames)."""
    m, T = x.shape
    X = torch.fft.fft(x)
    psi = torch.stack([morlet(T, 0.35 * 2 ** (-l / Q), 0.4 * 0.35 * 2 ** (-l / Q) * (1 - 2 ** (-1 / Q)) / 0.5)
                       for l in range(J * Q)])
    U1 = torch.fft.ifft(X[:, None] * psi[None]).abs()  # (m, J Q, T)
    out = [U1.reshape(m, J * Q, frames, T // frames).mean(3)]
    if order == 2:
        q = T // 4
        V = torch.fft.fft(U1)
        V = torch.cat([V[..., :q // 2], V[..., -(q // 2):]], -1)  # the band |f| < 1/8: U1 subsampled by 4
        for j in range(J2):
            xi2 = 0.05 * 2 ** -j
            keep = [l for l in range(J * Q) if xi2 < 0.35 * 2 ** (-l / Q)]
            U2 = torch.fft.ifft(V[:, keep] * morlet(q, 4 * xi2, 4 * 0.4 * xi2)[None, None]).abs() / 4
            out.append(U2.reshape(m, len(keep), frames, q // frames).mean(3))
    return torch.cat(out, 1).flatten(1)


def scattering_linear(w, run_id, c):
    """A linear (or one-hidden-layer) readout of fixed scattering features, float32. Data (from the run's generator):
    n training and 400 held-out signals of T samples (modulated_signals); a share flip of the training labels flipped,
    a share corrupt of the training signals corrupted (corrupt_signals) afterwards. Features: scattering (J, Q, J2,
    frames, order), log(1e-3 + S) with log (S itself without), standardised by the training features' means and sds.
    Readout: 'linear' a linear map to 4 logits, 'mlp' p -> H -> 4 (ReLU); U(+-1 / sqrt(fan-in)) from the run's
    generator. Loss: the cross-entropy. Optimizer: make_opt on minibatches (batch None: full batch), L2 decay wd where
    set. Train loss: the cross-entropy on the training signals at their given labels; test loss: the same on the
    held-out signals, true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(713_000 + c["seed"])
    n, T, K = c["n"], c["T"], len(RATES)
    x, y = modulated_signals(g, n, T, c["kind"], c["bg"])
    xt, yt = modulated_signals(g, 400, T, c["kind"], c["bg"])
    yn = flip_labels(g, y, K, c.get("flip"))
    x = corrupt_signals(g, x, c.get("corrupt"))
    feats = []
    for z in (x, xt):
        s = scattering(z, c["J"], c["Q"], c["J2"], c["frames"], c["order"])
        feats.append(torch.log(1e-3 + s) if c.get("log") else s)
    mu, sd = feats[0].mean(0), feats[0].std(0).clamp_min(1e-6)
    f, ft = ((v - mu) / sd for v in feats)
    p = f.shape[1]
    params = mlp_params(g, [p, c["H"], K] if c["readout"] == "mlp" else [p, K], F32)

    def logits(z):
        return mlp(params, z, torch.relu)

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(logits(take(f, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "scattering-readout", "readout": c["readout"], "features": p,
                                           "order": c["order"], "frames": c["frames"]},
                settings(c, ("seed", "kind", "T", "n", "bg", "flip", "corrupt", "J", "Q", "J2", "frames", "order",
                             "log", "readout", "H", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy", "task": "modulation-rate-4",
                   "front_end": "morlet-scattering-fixed", "test_loss": "heldout-ce-true-labels",
                   "error": "misclassified", "labels_per_weight": "%.3g" % (n / count(params))}, output_dim=K)

    def losses(z, t):
        out = logits(z)
        return fn.cross_entropy(out, t), error_share(out, t)

    def log(e, final):
        lt, et = losses(f, yn)
        lh, eh = losses(ft, yt)
        run.log(e, lt, lh, et, eh, final=final)

    epoch_loop(g, n, c, step, log)


def runs_scattering_linear():
    # The logic: 150 training signals of 512 samples, carriers at random frequencies amplitude-modulated at one of
    # four slow rates (the class), background noise of sd 0.5, 10% of the labels flipped; the fixed scattering (5
    # octaves of 2 first-order filters, broad enough to pass the modulation's sidebands at most carriers, 5
    # one-octave modulation filters, averaged over the whole signal) gives 10 first-order and 44 second-order
    # features, log-compressed; the linear readout has 4 (p + 1) weights (220), one and a half for every training
    # label, so it can separate the training set, flipped labels too, as its weights grow. Adam at 0.003 on
    # minibatches of 50, 300 epochs. One thing at a time besides: first order only, 4 and 16 time segments, 1 and 4
    # filters an octave, 3 modulation filters, raw (not log) coefficients, an MLP readout of
    # 64 (with and without flipped labels), 60 and 500 signals, no and louder (sd 1.5) background noise, clean labels
    # and 30% flipped, 20% corrupted signals, frequency modulation, full-batch gradient descent at 0.5, momentum SGD
    # at 0.05, Adam at 0.03. Evaluation spacing mixed.
    base = dict(kind="am", T=512, n=150, bg=0.5, flip=0.1, corrupt=None, J=5, Q=2, J2=5, frames=1, order=2,
                log=True, readout="linear", H=None, opt="adam", lr=0.003, wd=None, batch=50, epochs=300,
                eval="every:5")
    return scattering_linear, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(order=1, eval="every:3"),
        dict(frames=4, eval="every"),
        dict(frames=16, eval="log:40"),
        dict(Q=1, eval="every:5"),
        dict(Q=4, eval="jitter:40"),
        dict(J2=3, eval="every:4"),
        dict(log=None, eval="every:5"),
        dict(readout="mlp", H=64, eval="geom:5"),
        dict(readout="mlp", H=64, flip=None, eval="every:3"),
        dict(n=60, eval="every"),
        dict(n=500, eval="log:30"),
        dict(bg=0.0, eval="every:5"),
        dict(bg=1.5, eval="every:2"),
        dict(flip=None, eval="every:5"),
        dict(flip=0.3, eval="burst:40:8"),
        dict(corrupt=0.2, eval="every:4"),
        dict(kind="fm", eval="every:5"),
        dict(opt="sgd", lr=0.5, batch=None, eval="mixed:60:6"),
        dict(opt="momentum", lr=0.05, eval="rand:80"),
        dict(lr=0.03, eval="mixlog:40:40"),
    ], lambda d: "%s-T%d-n%d-bg%g%s%s-J%dQ%d-mod%d-fr%d-o%d%s-%s%s-%s-lr%g%s-b%s" % (
        d["kind"], d["T"], d["n"], d["bg"], "-flip%g" % d["flip"] if d.get("flip") else "-clean",
        "-corrupt%g" % d["corrupt"] if d.get("corrupt") else "", d["J"], d["Q"], d["J2"], d["frames"], d["order"],
        "-log" if d.get("log") else "-raw", d["readout"], "%d" % d["H"] if d.get("H") else "", d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else "", d.get("batch") or "full"))


FAMILIES = {"sincnet-filters": runs_sincnet_filters, "spectrogram-cnn": runs_spectrogram_cnn,
            "scattering-linear": runs_scattering_linear}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
