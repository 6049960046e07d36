#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-twelfth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is non-convex signal recovery and inverse problems trained by
gradient methods, with measurements on both sides of what identifies the signal and measurement noise; the test loss
is a held-out measurement loss (fresh or held-out noisy measurements, never a distance to the true signal):

- phase-flow: phase retrieval from intensities y = (a^T x)^2 + noise (Gaussian measurement vectors a; a signal of
  150 coefficients decaying as 1 / j with random signs, or one of scikit-learn's digit images), recovered in a model
  of the first p coordinates (the image's basis: the principal directions of the other 1,796 digits), p on both
  sides of the number m of measurements; the intensity loss of Wirtinger flow (Candes, Li & Soltanolkotabi 2015) or
  the amplitude loss of amplitude flow, a spectral or a small random initialisation, gradient descent at lr over the
  loss's curvature bound, heavy ball, minibatch SGD or Adam, a ridge penalty in part of the grid; float64. Noise:
  Gaussian on the intensities, or Poisson photon counts.
- blind-deconv-demix: blind deconvolution (and, with two sources, blind demixing) in the subspace model of Ahmed,
  Recht & Romberg (2014): J observed signals y_j = sum_s h_s * x_{j,s} + noise (circular convolution, unknown short
  kernels h_s shared by the signals, unknown signals x_{j,s} = sqrt(N) C_K m_{j,s} in the span of the first K
  vectors of a known basis: the DCT of 128 samples for smooth synthetic signals, the principal directions of other
  digits for scikit-learn's 8 x 8 digits blurred by a 3 x 3 kernel), seen at n_obs random samples of each signal; the
  bilinear least squares trained from a near-delta or a random start by gradient descent, heavy ball or Adam, K on
  both sides of where r L + J r K unknowns meet the J n_obs samples; float64. Noise: Gaussian or Laplace.
- rpca-factor-gd: robust low-rank plus sparse recovery by factored gradient descent (Yi, Park, Chen & Caramanis
  2016): a matrix (synthetic rank 5 plus dense noise, 300 of scikit-learn's digit images by their 64 pixels, or the
  standardised breast cancer table) with gross sparse corruptions (uniform outliers, salt-and-pepper pixels), a share
  of its entries observed, fitted by U V^T of rank k on both sides of where k (n1 + n2) meets the observed entries,
  under a Huber, trimmed squared (the largest residuals set aside as the sparse part), squared or absolute loss, from a
  spectral or small random start, by gradient descent at lr over the top singular value, minibatch SGD over entries or
  Adam, a factored nuclear-norm (ridge) penalty or a balancing term in part of the grid; float32.

Train loss: the measurement loss on the training measurements (the intensity or amplitude squared error; the squared
error on the observed samples; the absolute error on the observed entries); test loss: the same on held-out
measurements with their own noise (1,000 fresh measurements; the held-out samples; the held-out entries, outliers
and all). A run whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's
logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, take from train_thirtyninth.py, count from train_fortyeighth.py
and logger and train_until from train_seventyfourth.py; one thread, every random draw from a seeded torch.Generator
(signals, kernels, measurement vectors, noise, masks, outliers, image choices, initialisations, minibatches),
synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredtwelfth.py --family phase-flow [--list] [--runs 0,3] [--out FILE]

Families (see README.md): phase-flow, blind-deconv-demix, rpca-factor-gd. Evaluation spacings: train.py's 'every',
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
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64
TEST_MEASUREMENTS = 1000


def digit_images(dtype):
    """scikit-learn's 1,797 digits, pixels over 16 (in [0, 1]), 1,797 x 64."""
    from sklearn.datasets import load_digits
    return torch.tensor(load_digits().data, dtype=dtype) / 16.0


def principal_basis(rows):
    """The right singular vectors of the (uncentred) rows, as rows of an orthonormal matrix, by singular value."""
    return torch.linalg.svd(rows, full_matrices=True)[2]


def make_opt(c, params, step):
    """Adam at c['lr'], or SGD at the given step with momentum c['mom'] (heavy ball; 0: plain)."""
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"])
    return torch.optim.SGD(params, lr=step, momentum=c.get("mom") or 0.0)


# ---------------------------------------------------------------------------------------------------------- phase-flow


def phase_signal(g, c):
    """(x*, Q): the unit-norm signal and the orthonormal basis (columns, most important first) the model's first p
    coordinates are taken in. 'decay': D coefficients j^-alpha with random signs, the identity basis; 'digits': one
    of the digit images (picked by g), the principal directions of the other 1,796 images."""
    if c["signal"] == "digits":
        X = digit_images(F64)
        i = int(torch.randint(len(X), (1,), generator=g))
        xs = X[i]
        Q = principal_basis(torch.cat([X[:i], X[i + 1:]])).T
    else:
        D = c["D"]
        j = torch.arange(1, D + 1, dtype=F64)
        xs = j ** -c["alpha"] * (torch.randint(0, 2, (D,), generator=g).to(F64) * 2 - 1)
        Q = torch.eye(D, dtype=F64)
    return xs / xs.norm(), Q


def intensities(g, c, ax):
    """Noisy intensities of the amplitudes ax: Gaussian noise of sd 'sd' added to ax^2, or Poisson counts of
    'phot' ax^2 photons over 'phot'."""
    clean = ax ** 2
    if c["noise"] == "poisson":
        return torch.poisson(clean * c["phot"], generator=g) / c["phot"]
    return clean + (c.get("sd") or 0.0) * torch.randn(len(ax), generator=g, dtype=F64)


def phase_loss(kind, z, y):
    """The measurement loss (mean): 'intensity' (z^2 - y)^2, 'amplitude' (|z| - sqrt(max(y, 0)))^2."""
    if kind == "intensity":
        return ((z ** 2 - y) ** 2).mean()
    return ((z.abs() - y.clamp_min(0).sqrt()) ** 2).mean()


def phase_flow(w, run_id, c):
    """Phase retrieval, float64. Data (from the run's generator): phase_signal; m training and 1,000 held-out
    measurement vectors a ~ N(0, I_D); intensities (a^T x*)^2 with their noise. Model: z = Q_p c, c in R^p (the first p
    basis directions), so a^T z = (Q_p^T a)^T c. Objective: a quarter of the mean intensity loss (Wirtinger flow) or
    half the mean amplitude loss, plus lam |c|^2. Initialisation: 'spectral' the top eigenvector of Y = mean(max(y, 0)
    a_p a_p^T) scaled to sqrt(mean y) (the estimate of |x*|^2), or 'random' scale N(0, I_p / p). Optimizer: 'gd'
    (momentum 'mom'; one full-batch step an epoch) or 'sgd' (minibatches of 'batch'), the step lr over the curvature
    bound (2 lambda_1(Y) for the intensity loss, lambda_1(mean a_p a_p^T) for the amplitude loss); 'adam'
    Adam at lr on minibatches of 'batch' or the full batch. The intensity loss's bound is the larger of 2 lambda_1(Y)
    and the largest eigenvalue of mean(max(3 (a_p^T c_0)^2 - y, 0) a_p a_p^T) at the start (which the spectral start
    of an underdetermined model can make the larger)."""
    g = torch.Generator().manual_seed(1_121_000 + c["seed"])
    xs, Q = phase_signal(g, c)
    D, p, m = len(xs), c["p"], c["m"]
    A = torch.randn(m, D, generator=g, dtype=F64)
    At = torch.randn(TEST_MEASUREMENTS, D, generator=g, dtype=F64)
    y, yt = intensities(g, c, A @ xs), intensities(g, c, At @ xs)
    Ap, Atp = A @ Q[:, :p], At @ Q[:, :p]
    Y = (Ap * y.clamp_min(0)[:, None]).T @ Ap / m
    ev, evec = torch.linalg.eigh(Y)
    if c["init"] == "spectral":
        c0 = evec[:, -1] * math.sqrt(max(float(y.mean()), 1e-12))
    else:
        c0 = c["scale"] * torch.randn(p, generator=g, dtype=F64) / math.sqrt(p)
    if c["loss"] == "intensity":  # the Hessian mean((3 (a^T c)^2 - y) a a^T): about 2 Y at the signal
        w0 = (3 * (Ap @ c0) ** 2 - y).clamp_min(0)
        curv = max(2 * float(ev[-1]), float(torch.linalg.eigvalsh((Ap * w0[:, None]).T @ Ap / m)[-1]))
    else:
        curv = float(torch.linalg.eigvalsh(Ap.T @ Ap / m)[-1])
    coef = c0.clone().requires_grad_()
    opt = make_opt(c, [coef], c["lr"] / curv)
    lam, half = c.get("lam") or 0.0, 0.25 if c["loss"] == "intensity" else 0.5

    def step(idx):
        opt.zero_grad()
        obj = half * phase_loss(c["loss"], take(Ap, idx) @ coef, take(y, idx))
        if lam:
            obj = obj + lam * (coef ** 2).sum()
        obj.backward()
        opt.step()

    run = w.run(run_id, p, m, {"family": "phase-retrieval", "signal_dims": D, "model_dims": p,
                               "basis": "digit-principal-directions" if c["signal"] == "digits" else "first-p"},
                settings(c, ("seed", "signal", "D", "alpha", "m", "p", "noise", "sd", "phot", "loss", "init", "scale",
                             "lam", "opt", "mom", "lr", "batch", "eval"))
                | {"optimizer": c["opt"] if c["opt"] != "gd" or not c.get("mom") else "heavy-ball",
                   "full_batch": "false" if c.get("batch") else "true", "test_size": str(TEST_MEASUREMENTS),
                   "test_loss": "heldout-%s-mse" % c["loss"], "measurements_per_unknown": "%.3g" % (m / p)})
    log_ = logger(run)

    def log(e, final):
        log_(e, phase_loss(c["loss"], Ap @ coef, y), phase_loss(c["loss"], Atp @ coef, yt), final=final)

    train_until(g, m, c, step, log)


def runs_phase_flow():
    # The logic: a signal of D = 150 coefficients decaying as 1 / j (unit norm; the first 40 hold 98.5% of its energy),
    # m = 100 Gaussian intensity measurements with noise sd 0.1 (a tenth of the mean intensity), the model of the first
    # p = 40 coordinates (2.5 measurements an unknown: above the 2 p - 1 = 79 that make real phase retrieval
    # injective, under the about 4 to 6 that Wirtinger flow's guarantees want), Wirtinger flow's intensity loss from
    # the spectral initialisation, gradient descent at half the curvature bound, 1,500 steps. The model's size on both
    # sides of where the signal stops being identified (p about m / 2 = 50) and of where p unknowns can fit the m = 100
    # noisy intensities exactly (p about m): p 5, 10, 20, 50, 70, 100 and 150 (all of the signal). One thing at a time
    # besides: noise sd 0.3, Poisson counts of 20 photons for the mean intensity; the amplitude loss; a small random
    # start (1e-3, which the gradient grows along Y's top eigenvector first); Adam (0.01) and minibatch SGD (batches of
    # 10); heavy ball (0.9, a tenth of the step); 30 and 300 measurements; the ridge penalty 0.03; and a digit image (64
    # pixels) in the principal directions of the other digits, p 20 and 64 from 60 measurements and p 48 from 40 under
    # the amplitude loss. Evaluation spacing mixed.
    base = dict(signal="decay", D=150, alpha=1.0, m=100, p=40, noise="gauss", sd=0.1, phot=None, loss="intensity",
                init="spectral", scale=None, lam=None, opt="gd", mom=None, lr=0.5, batch=None, epochs=1500,
                eval="every:3")
    digits = dict(signal="digits", D=None, alpha=None)
    return phase_flow, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(p=5, epochs=600, eval="every"),
        dict(p=10, eval="log:40"),
        dict(p=20, eval="every:2"),
        dict(p=50, eval="every:3"),
        dict(p=70, eval="mixed:50:4"),
        dict(p=100, eval="every:3"),
        dict(p=150, epochs=2500, eval="geom:4"),
        dict(sd=0.3, eval="every:3"),
        dict(noise="poisson", sd=None, phot=20.0, eval="burst:40:8"),
        dict(loss="amplitude", eval="every:2"),
        dict(init="random", scale=1e-3, epochs=3000, eval="mixlog:30:40"),
        dict(opt="adam", lr=0.01, epochs=800, eval="every"),
        dict(opt="sgd", batch=10, lr=0.1, epochs=300, eval="every"),
        dict(mom=0.9, lr=0.05, eval="every:3"),
        dict(m=30, eval="rand:150"),
        dict(m=300, epochs=800, eval="every:2"),
        dict(lam=0.03, eval="every:3"),
        dict(digits, m=60, p=20, eval="every:3"),
        dict(digits, m=60, p=64, eval="every:3"),
        dict(digits, m=40, p=48, loss="amplitude", eval="every:2"),
    ], lambda d: "%s-m%d-p%d-%s-%s-%s-%s%s-lr%g%s%s" % (
        d["signal"], d["m"], d["p"], "phot%g" % d["phot"] if d["noise"] == "poisson" else "sd%g" % d["sd"],
        d["loss"], d["init"] if d["init"] == "spectral" else "random%g" % d["scale"], d["opt"],
        "-mom%g" % d["mom"] if d.get("mom") else "", d["lr"], "-b%d" % d["batch"] if d.get("batch") else "",
        "-lam%g" % d["lam"] if d.get("lam") else ""))


# -------------------------------------------------------------------------------------------------- blind-deconv-demix


def dct_basis(N):
    """The orthonormal DCT-II basis of length N, as rows (frequency k, sample t)."""
    k, t = torch.arange(N, dtype=F64)[:, None], torch.arange(N, dtype=F64)[None, :]
    B = torch.cos(math.pi * (t + 0.5) * k / N) * math.sqrt(2.0 / N)
    B[0] /= math.sqrt(2.0)
    return B


def circ_conv(hf, x, shape):
    """Circular convolution of kernels hf (r, N) with signals x (J, r, N) over the signal shape, summed over the r
    sources: (J, N)."""
    dims = tuple(range(-len(shape), 0))
    H = torch.fft.rfftn(hf.reshape(hf.shape[0], *shape), dim=dims)
    X = torch.fft.rfftn(x.reshape(x.shape[0], x.shape[1], *shape), dim=dims)
    return torch.fft.irfftn(H[None] * X, s=shape, dim=dims).sum(1).reshape(x.shape[0], -1)


def deconv_data(g, c):
    """(y, mask, B, E, shape, centre): J observed signals (J, N), the observed samples (mask, n_obs of each signal,
    drawn by g), the signal basis B (rows), E (taps x N) placing the kernel's taps in the flattened signal, the shape
    and the tap index of the delta. 'synth': smooth signals of N samples, x = sum_k theta_k dct_k with theta_k ~ N(0,
    (1 + k / 8)^-3), unit rms over all signals; kernels of L taps at 0 .. L - 1, N(0, 0.7^(2t)) with 1 added to the
    first, unit norm. 'digits': J r digit images (picked by g), pixels over the rms of the other images' pixels; basis
    the principal directions of the other images; kernels 3 x 3 (centred, circularly), a Gaussian blur of width 0.8
    times (1 + 0.3 N(0, 1)) per tap, unit norm. Noise: sd times the clean observations' rms, Gaussian or Laplace."""
    J, r = c["J"], c["r"]
    if c["data"] == "digits":
        shape = (8, 8)
        X = digit_images(F64)
        perm = torch.randperm(len(X), generator=g)
        rest = X[perm[J * r:]]
        B = principal_basis(rest)
        x = (X[perm[:J * r]] / rest.pow(2).mean().sqrt()).reshape(J, r, 64)
        off = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1)]
        taps = torch.tensor([(a % 8) * 8 + b % 8 for a, b in off])
        blur = torch.tensor([math.exp(-(a * a + b * b) / (2 * 0.8 ** 2)) for a, b in off], dtype=F64)
        h = blur * (1 + 0.3 * torch.randn(r, 9, generator=g, dtype=F64))
        centre = 4
    else:
        N, L = c["N"], c["L"]
        shape = (N,)
        B = dct_basis(N)
        k = torch.arange(N, dtype=F64)
        theta = torch.randn(J, r, N, generator=g, dtype=F64) * (1 + k / 8) ** -1.5
        x = theta @ B
        x = x / x.pow(2).mean().sqrt()
        taps = torch.arange(L)
        h = torch.randn(r, L, generator=g, dtype=F64) * 0.7 ** torch.arange(L, dtype=F64)
        h[:, 0] += 1.0
        centre = 0
    h = h / h.norm(dim=1, keepdim=True)
    N = x.shape[-1]
    E = torch.zeros(len(taps), N, dtype=F64)
    E[torch.arange(len(taps)), taps] = 1.0
    clean = circ_conv(h @ E, x, shape)
    rms = float(clean.pow(2).mean().sqrt())
    if c["noise"] == "laplace":
        u = torch.rand(2, J, N, generator=g, dtype=F64).clamp_min(1e-12)
        z = (torch.log(u[0]) - torch.log(u[1])) / math.sqrt(2.0)
    else:
        z = torch.randn(J, N, generator=g, dtype=F64)
    y = clean + (c.get("sd") or 0.0) * rms * z
    mask = torch.zeros(J, N, dtype=torch.bool)
    for j in range(J):
        mask[j, torch.randperm(N, generator=g)[:c["n_obs"]]] = True
    return y, mask, B, E, shape, centre


def blind_deconv_demix(w, run_id, c):
    """Blind deconvolution / demixing in a subspace model, float64. Data (from the run's generator): deconv_data.
    Model: kernels h (r x L taps) and coefficients m (J x r x K); x_{j,s} = sqrt(N) B_K^T m_{j,s} (the scale that
    makes |m| about 1 for a unit-rms signal and balances the two blocks' curvature); prediction sum_s h_s * x_{j,s}.
    Objective: half the mean squared error on the observed samples plus lam / 2 (|h|^2 + |m|^2). Initialisation:
    'delta' each kernel the delta plus 0.1 N(0, 1) per tap, m 0.01 N(0, 1); 'random' h ~ N(0, I / L), m ~ N(0, I /
    K). Optimizer: gradient descent at lr (momentum 'mom') or Adam at lr, one full-batch step an epoch."""
    g = torch.Generator().manual_seed(1_122_000 + c["seed"])
    y, mask, B, E, shape, centre = deconv_data(g, c)
    J, r, K = c["J"], c["r"], c["K"]
    N, L = y.shape[1], E.shape[0]
    BK = B[:K] * math.sqrt(N)
    if c["init"] == "delta":
        h0 = 0.1 * torch.randn(r, L, generator=g, dtype=F64)
        h0[:, centre] += 1.0
        m0 = 0.01 * torch.randn(J, r, K, generator=g, dtype=F64)
    else:
        h0 = torch.randn(r, L, generator=g, dtype=F64) / math.sqrt(L)
        m0 = torch.randn(J, r, K, generator=g, dtype=F64) / math.sqrt(K)
    h, mc = h0.requires_grad_(), m0.requires_grad_()
    opt = make_opt(c, [h, mc], c["lr"])
    lam = c.get("lam") or 0.0
    obs, held = mask, ~mask

    def predict():
        return circ_conv(h @ E, mc @ BK, shape)

    def step(idx):
        opt.zero_grad()
        obj = 0.5 * ((predict() - y)[obs] ** 2).mean()
        if lam:
            obj = obj + 0.5 * lam * ((h ** 2).sum() + (mc ** 2).sum())
        obj.backward()
        opt.step()

    n_obs = int(obs.sum())
    run = w.run(run_id, count([h, mc]), n_obs,
                {"family": "bilinear-subspace-convolution", "sources": r, "kernel_taps": L, "subspace_dim": K,
                 "signals": J, "signal_shape": "x".join(str(s) for s in shape)},
                settings(c, ("seed", "data", "N", "L", "J", "r", "K", "n_obs", "noise", "sd", "init", "lam", "opt",
                             "mom", "lr", "eval"))
                | {"optimizer": c["opt"] if c["opt"] != "gd" or not c.get("mom") else "heavy-ball",
                   "full_batch": "true", "loss": "mse", "test_loss": "heldout-samples-mse",
                   "test_size": str(int(held.sum())), "task": "demixing" if r > 1 else "deconvolution",
                   "samples_per_unknown": "%.3g" % (n_obs / count([h, mc]))})
    log_ = logger(run)

    def log(e, final):
        res = (predict() - y) ** 2
        log_(e, res[obs].mean(), res[held].mean(), final=final)

    train_until(g, n_obs, dict(c, batch=None), step, log)


def runs_blind_deconv_demix():
    # The logic: J = 4 smooth signals of N = 128 samples blurred by one unknown kernel of L = 8 taps, each seen at 64
    # random samples (256 samples in all, the other 256 held out), noise sd 0.1 of the observations' rms; the model's
    # signals in the first K = 32 DCT vectors (8 + 4 x 32 = 136 unknowns, about 1.9 samples an unknown: identified up
    # to scale), gradient descent at 0.5 from the near-delta kernel, 2,000 steps. The subspace on both sides of where
    # 8 + 4 K unknowns meet the 256 samples (K about 62): K 8, 16, 48, 64, 80 and 128 (the whole space, which can fit
    # every sample). One thing at a time besides: noise 0 and 0.3, Laplace noise; two sources (blind demixing, two
    # kernels; K 16 under the samples, K 32 over them); heavy ball (0.9 at 0.05); Adam (0.01); a random start; the
    # ridge penalty 0.01; 32 and 96 observed samples a signal; and J = 6 digit images blurred by one unknown 3 x 3
    # kernel, 40 of 64 pixels seen (240 samples; 9 + 6 K unknowns meet them at K 38), K 16, 40 and 64, noise 0.1.
    # Evaluation spacing mixed.
    base = dict(data="synth", N=128, L=8, J=4, r=1, K=32, n_obs=64, noise="gauss", sd=0.1, init="delta", lam=None,
                opt="gd", mom=None, lr=0.5, epochs=2000, eval="every:4")
    digits = dict(data="digits", N=None, L=None, J=6, n_obs=40)
    return blind_deconv_demix, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(K=8, epochs=500, eval="every"),
        dict(K=16, eval="log:40"),
        dict(K=48, eval="every:4"),
        dict(K=64, eval="jitter:45"),
        dict(K=80, eval="every:3"),
        dict(K=128, epochs=3000, eval="every:5"),
        dict(sd=None, eval="every:4"),
        dict(sd=0.3, eval="mixed:60:5"),
        dict(noise="laplace", eval="every:4"),
        dict(r=2, K=16, eval="geom:5"),
        dict(r=2, K=32, epochs=3000, eval="every:6"),
        dict(mom=0.9, lr=0.05, eval="burst:50:10"),
        dict(opt="adam", lr=0.01, epochs=1000, eval="every:2"),
        dict(init="random", eval="mixlog:40:40"),
        dict(lam=0.01, eval="every:4"),
        dict(n_obs=32, eval="rand:200"),
        dict(n_obs=96, epochs=1000, eval="every:2"),
        dict(digits, K=16, eval="every:4"),
        dict(digits, K=40, eval="every:4"),
        dict(digits, K=64, epochs=3000, eval="every:6"),
    ], lambda d: "%s-J%d-r%d-K%d-obs%d-%s%g-%s-%s%s-lr%g%s" % (
        d["data"], d["J"], d["r"], d["K"], d["n_obs"], d["noise"], d.get("sd") or 0, d["init"], d["opt"],
        "-mom%g" % d["mom"] if d.get("mom") else "", d["lr"], "-lam%g" % d["lam"] if d.get("lam") else ""))


# ------------------------------------------------------------------------------------------------------ rpca-factor-gd


def rpca_data(g, c):
    """(M, obs): the corrupted matrix (float32) and its observed entries (each with probability p_obs, from g).
    'synth': n1 x n2 of rank 'rank' (Gaussian factors of variance 1 / sqrt(rank): unit-variance entries), dense
    Gaussian noise sd, a share rho of the entries plus U(-A, A); 'digits': n1 of the digit images (picked by g) by their
    64 pixels (in [0, 1]), dense noise sd, a share rho of the entries set to 0 or 1 (salt and pepper); 'cancer': the
    breast cancer's 569 x 30 table, columns standardised, dense noise sd, a share rho plus U(-A, A)."""
    if c["data"] == "digits":
        X = digit_images(F64)
        M = X[torch.randperm(len(X), generator=g)[:c["n1"]]]
    elif c["data"] == "cancer":
        from sklearn.datasets import load_breast_cancer
        X = torch.tensor(load_breast_cancer().data, dtype=F64)
        M = (X - X.mean(0)) / X.std(0)
    else:
        k = c["rank"]
        U = torch.randn(c["n1"], k, generator=g, dtype=F64) / k ** 0.25
        V = torch.randn(c["n2"], k, generator=g, dtype=F64) / k ** 0.25
        M = U @ V.T
    M = M + (c.get("sd") or 0.0) * torch.randn(M.shape, generator=g, dtype=F64)
    hit = torch.rand(M.shape, generator=g, dtype=F64) < (c.get("rho") or 0.0)
    if c["data"] == "digits":
        pepper = torch.randint(0, 2, M.shape, generator=g).to(F64)
        M = torch.where(hit, pepper, M)
    else:
        M = M + hit * (c.get("A") or 0.0) * (2 * torch.rand(M.shape, generator=g, dtype=F64) - 1)
    obs = torch.rand(M.shape, generator=g, dtype=F64) < c["p_obs"]
    return M.to(F32), obs


def rpca_factor_gd(w, run_id, c):
    """Factored robust low-rank recovery, float32. Data (from the run's generator): rpca_data. Model: U V^T, U (n1 x
    k), V (n2 x k). Initialisation: 'spectral' the top k singular triplets of the zero-filled observations over p_obs,
    U = U_k S_k^1/2, V = V_k S_k^1/2; 'random' scale N(0, 1) entries. Objective: (1 / p_obs) sum over the observed
    entries of rho(residual) (an estimate of the full matrix's sum), rho 'huber' (quadratic within delta), 'trim' half
    the square with the share alpha of the largest residuals set aside as the sparse part (recomputed each step), 'l2'
    half the square or 'l1' the absolute value; plus lam / 2 (|U|^2 + |V|^2) (the factored nuclear norm) and bal / 8
    |U^T U - V^T V|^2 (the balancing term). Optimizer: 'gd' one full-batch step an epoch, or 'sgd' minibatches of
    'batch' observed entries (the batch's sum scaled up to the whole), the step lr over sigma_1 (the spectral estimate's
    top singular value; momentum 'mom'), times decay^epoch where set; 'adam' Adam at lr, full batch."""
    g = torch.Generator().manual_seed(1_123_000 + c["seed"])
    M, obs = rpca_data(g, c)
    n1, n2 = M.shape
    k, p = c["k"], c["p_obs"]
    oi, oj = obs.nonzero(as_tuple=True)
    Mo, held = M[oi, oj], ~obs
    n = len(oi)
    Us, S, Vhs = torch.linalg.svd(torch.where(obs, M, torch.zeros_like(M)) / p, full_matrices=False)
    sigma1 = float(S[0])
    if c["init"] == "spectral":
        U0, V0 = Us[:, :k] * S[:k].sqrt(), Vhs[:k].T * S[:k].sqrt()
    else:
        U0 = c["scale"] * torch.randn(n1, k, generator=g, dtype=F64).to(F32)
        V0 = c["scale"] * torch.randn(n2, k, generator=g, dtype=F64).to(F32)
    U, V = U0.clone().requires_grad_(), V0.clone().requires_grad_()
    opt = make_opt(c, [U, V], c["lr"] / sigma1)
    lam, bal = c.get("lam") or 0.0, c.get("bal") or 0.0

    def rho(r):
        if c["loss"] == "huber":
            a, dl = r.abs(), c["delta"]
            return torch.where(a <= dl, 0.5 * r ** 2, dl * (a - 0.5 * dl))
        if c["loss"] == "trim":
            keep = r.detach().abs() <= torch.quantile(r.detach().abs(), 1 - c["alpha"])
            return 0.5 * r ** 2 * keep
        if c["loss"] == "l1":
            return r.abs()
        return 0.5 * r ** 2

    def begin(e):
        if c.get("decay"):
            for grp in opt.param_groups:
                grp["lr"] = c["lr"] / sigma1 * c["decay"] ** e

    def step(idx):
        opt.zero_grad()
        if idx is None:
            r = (U @ V.T)[oi, oj] - Mo
        else:
            r = (U[oi[idx]] * V[oj[idx]]).sum(1) - Mo[idx]
        obj = rho(r).sum() * (n / len(r)) / p
        if lam:
            obj = obj + 0.5 * lam * ((U ** 2).sum() + (V ** 2).sum())
        if bal:
            obj = obj + bal / 8 * ((U.T @ U - V.T @ V) ** 2).sum()
        obj.backward()
        opt.step()

    run = w.run(run_id, k * (n1 + n2), n, {"family": "factored-low-rank", "rank": k, "rows": n1, "columns": n2},
                settings(c, ("seed", "data", "n1", "n2", "rank", "sd", "rho", "A", "p_obs", "k", "loss", "delta",
                             "alpha", "init", "scale", "lam", "bal", "opt", "mom", "lr", "decay", "batch", "eval"))
                | {"optimizer": c["opt"] if c["opt"] == "adam" or not c.get("mom") else c["opt"] + "-momentum",
                   "full_batch": "false" if c.get("batch") else "true", "train_metric": "observed-entries-mae",
                   "test_loss": "heldout-entries-mae", "test_size": str(int(held.sum())),
                   "entries_per_unknown": "%.3g" % (n / (k * (n1 + n2))),
                   "corruption": "salt-and-pepper" if c["data"] == "digits" else "uniform-outliers"})
    log_ = logger(run)

    def log(e, final):
        a = (U @ V.T - M).abs()
        log_(e, a[obs].mean(), a[held].mean(), final=final)

    train_until(g, n, c, step, log, begin=begin)


def runs_rpca_factor_gd():
    # The logic: a 100 x 80 matrix of rank 5 (unit-variance entries) plus dense noise sd 0.1, 10% of its entries hit by
    # outliers U(-5, 5), 40% of the entries observed (3,200; the other 4,800 held out); the model U V^T of rank 8 (1,440
    # unknowns, 2.2 entries an unknown: above the true rank, under the observed entries), the Huber loss at delta 0.5,
    # the spectral start, gradient descent at 0.3 / sigma_1, 1,000 steps. The rank on both sides of where 180 k
    # unknowns meet the 3,200 observed entries (k about 18): k 2, 12, 18, 32 and 48. One thing at a time
    # besides: no outliers and 30% outliers; the squared loss (which fits the outliers), the trimmed squared loss
    # (alpha 0.15) and the absolute loss (the step decayed by 0.997 an epoch); a small random start (1e-3); Adam
    # (0.01); minibatch SGD (256 entries, 0.02 / sigma_1, 60 epochs); heavy ball with the balancing term; 20% observed;
    # the factored nuclear norm lam 3; 300 digit images by their 64 pixels (noise sd 0.05, 10% salt and pepper, half
    # observed: 364 k unknowns meet 9,600 entries at k 26), k 10, 26 and 48; and the breast cancer (30 standardised
    # columns, noise 0.1, 5% outliers, half observed: k 14 the meeting point), k 20. Evaluation spacing mixed.
    base = dict(data="synth", n1=100, n2=80, rank=5, sd=0.1, rho=0.1, A=5.0, p_obs=0.4, k=8, loss="huber", delta=0.5,
                alpha=None, init="spectral", scale=None, lam=None, bal=None, opt="gd", mom=None, lr=0.3, decay=None,
                batch=None, epochs=1000, eval="every:2")
    digits = dict(data="digits", n1=300, n2=None, rank=None, sd=0.05, p_obs=0.5, A=None, delta=0.25)
    return rpca_factor_gd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(k=2, epochs=300, eval="every"),
        dict(k=12, eval="every:2"),
        dict(k=18, eval="jitter:40"),
        dict(k=32, epochs=2000, eval="every:4"),
        dict(k=48, epochs=2000, eval="geom:4"),
        dict(rho=None, A=None, eval="every:2"),
        dict(rho=0.3, eval="mixed:40:3"),
        dict(loss="l2", delta=None, eval="every:2"),
        dict(loss="trim", delta=None, alpha=0.15, eval="every:2"),
        dict(loss="l1", delta=None, lr=0.01, decay=0.997, eval="burst:40:6"),
        dict(init="random", scale=1e-3, epochs=2000, eval="mixlog:40:40"),
        dict(opt="adam", lr=0.01, eval="every:2"),
        dict(opt="sgd", lr=0.02, batch=256, epochs=60, eval="every"),
        dict(mom=0.9, lr=0.03, bal=1.0, eval="every:2"),
        dict(p_obs=0.2, eval="rand:150"),
        dict(lam=3.0, eval="every:2"),
        dict(digits, k=10, eval="every:2"),
        dict(digits, k=26, eval="every:3"),
        dict(digits, k=48, epochs=1500, eval="every:3"),
        dict(data="cancer", n1=None, n2=None, rank=None, rho=0.05, p_obs=0.5, k=20, eval="every:2"),
    ], lambda d: "%s-obs%g-rho%g-k%d-%s%s-%s-%s%s-lr%g%s%s" % (
        d["data"], d["p_obs"], d.get("rho") or 0, d["k"], d["loss"],
        "%g" % (d.get("delta") or d.get("alpha") or 0) if d["loss"] in ("huber", "trim") else "",
        d["init"] if d["init"] == "spectral" else "random%g" % d["scale"], d["opt"],
        "-mom%g" % d["mom"] if d.get("mom") else "", d["lr"], "-b%d" % d["batch"] if d.get("batch") else "",
        "-lam%g" % d["lam"] if d.get("lam") else "-bal%g" % d["bal"] if d.get("bal") else ""))


FAMILIES = {"phase-flow": runs_phase_flow, "blind-deconv-demix": runs_blind_deconv_demix,
            "rpca-factor-gd": runs_rpca_factor_gd}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
