#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixty-fifth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 200 families of train.py ... train_sixtyfourth.py in model, loss, noise
and data. The theme of the round is adversarial generative training: a generator network and a discriminator (or
critic) network trained against each other, judged by a sample-based distance between generated samples and held-out
data that does not depend on the discriminator; at sizes around where the generator can just fit (memorise) its
training samples, with sample or label noise in part of the grid:

- gan-ring: a GAN (Goodfellow et al. 2014) on a synthetic 2-D mixture of 8 Gaussians on a ring (radius 2, sd 0.2):
  generator and discriminator MLPs of two hidden layers of h units (ReLU; leaky ReLU 0.2 in the discriminator), 2-D
  latent normal inputs. Noise: a share of the n training samples replaced by outliers uniform in [-3, 3]^2. Loss: the
  non-saturating GAN loss (the minimax, saturating one, or the least-squares GAN loss, Mao et al. 2017, in 1 run
  each). Adam (0.5, 0.999) on minibatches, one discriminator and one generator step a minibatch, float32. Train loss:
  the GENERATOR's objective on 500 fixed latent draws (against the current discriminator); test loss: the kernel MMD
  (Gaussian kernel, fixed bandwidth 0.5; the square root of the biased estimate) between the generator's samples of
  the 500 fixed latent draws and 500 held-out clean ring samples. No error rates.
- wgan-gp-digits: a Wasserstein GAN with a gradient penalty (Gulrajani et al. 2017) on scikit-learn's 8x8 digits
  projected onto the d leading principal components of the training part (scaled to unit mean variance): generator
  MLP 8 -> h -> h -> d (ReLU), critic MLP d -> h -> h -> 1 (ReLU), no sigmoid. Noise: Gaussian noise added to the
  training vectors. Loss: the critic's E D(fake) - E D(real) + lambda E (|grad D(mix)| - 1)^2 on random
  interpolates, k critic steps a minibatch, then the generator's - E D(fake). Adam (0.5, 0.9), the generator's
  step 0.2 times the critic's (RMSprop in 1 run),
  float64. Train loss: the GENERATOR's objective, written as the critic's Wasserstein estimate E D(x_train) - E
  D(G(z)) over the (noisy) training vectors and 500 fixed latent draws (which the generator minimises; it can go
  below 0); test loss: the energy distance (Szekely & Rizzo; the V-statistic 2 E|X - Y| - E|X - X'| - E|Y - Y'|)
  between the generator's samples of 500 fixed latent draws and 500 held-out digits' projections. No error rates.
- cgan-mixture: a conditional GAN (Mirza & Osindero 2014) on a synthetic 2-D class-conditional mixture: K 4 classes,
  each a mixture of 2 Gaussians (sd 0.25) at fixed places; generator (z, one-hot y) -> h -> h -> 2 (ReLU),
  discriminator (x, one-hot y) -> h -> h -> 1 (leaky ReLU; a projection discriminator, Miyato & Koyama 2018, in 1
  run). Noise: a share of the training labels flipped to another class. Loss: the non-saturating loss (the hinge
  loss, or one-sided label smoothing 0.9, in 1 run each). Adam (0.5, 0.999) on minibatches, float32. Train loss: the
  DISCRIMINATOR's loss on the training samples at their given labels and on the generator's samples of 500 fixed
  latent draws (labels cycled over the classes); test loss: the mean over the classes of the kernel MMD (bandwidth
  0.5) between 200 generated samples of the class (fixed latent draws) and the class's held-out clean samples. No
  error rates.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py and count from
train_fortyeighth.py; one thread, every random draw from a seeded torch.Generator (the evaluation's fixed latent draws
from a generator of a fixed seed of their own), synthetic event times, 6 significant digits. No planned last epoch is
told: the last event's final marks it.

    /usr/bin/python3 train_sixtyfifth.py --family gan-ring [--list] [--runs 0,3] [--out FILE]

Families (see README.md): gan-ring, wgan-gp-digits, cgan-mixture. Evaluation spacings: train.py's 'every',
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
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64
EVAL_SEED = 659_999  # the fixed latent draws of every evaluation (the same in every run of a family)


# ---------------------------------------------------------------------------------------------------- shared parts


def mlp_params(g, sizes, dtype):
    """The weights (in x out, used as z @ W) and biases of an MLP of the given layer sizes, PyTorch's default
    U(+-1 / sqrt(fan-in)) from g."""
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out += [uniform(g, a, a, b).to(dtype), uniform(g, a, b).to(dtype)]
    return leaves(out)


def mlp(params, z, act):
    for i in range(0, len(params), 2):
        z = z @ params[i] + params[i + 1]
        if i + 2 < len(params):
            z = act(z)
    return z


def leaky(z):
    return fn.leaky_relu(z, 0.2)


def gan_opt(c, params, lr, betas):
    """Adam at lr with the given betas, or RMSprop ('rmsprop', alpha 0.99) at lr."""
    if c.get("opt") == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    return torch.optim.Adam(params, lr=lr, betas=betas)


def mmd(a, b, bw):
    """The kernel MMD between the samples a and b under the Gaussian kernel exp(-|u - v|^2 / (2 bw^2)): the square
    root of the biased (V-statistic) estimate of MMD^2, which is at least 0."""
    def k(u, v):
        return torch.exp(-torch.cdist(u, v) ** 2 / (2 * bw ** 2)).mean()
    return torch.sqrt(torch.clamp(k(a, a) + k(b, b) - 2 * k(a, b), min=0.0))


def energy_distance(a, b):
    """The energy distance's V-statistic 2 E|X - Y| - E|X - X'| - E|Y - Y'| between the samples a and b (at least 0)."""
    return 2 * torch.cdist(a, b).mean() - torch.cdist(a, a).mean() - torch.cdist(b, b).mean()


def bce_logits(z, target):
    return fn.binary_cross_entropy_with_logits(z, torch.full_like(z, target))


# ---------------------------------------------------------------------------------------------------- gan-ring


def ring(g, m, dtype):
    """m samples of 8 Gaussians (sd 0.2) at radius 2, equal weights, from g."""
    k = torch.randint(8, (m,), generator=g)
    ang = 2 * math.pi * k.to(dtype) / 8
    return torch.stack([2 * torch.cos(ang), 2 * torch.sin(ang)], 1) + 0.2 * torch.randn(m, 2, generator=g, dtype=dtype)


def gan_losses(kind, d_real, d_fake):
    """The discriminator's and the generator's loss from the discriminator's logits on real and fake samples:
    'ns' the non-saturating GAN (BCE; the generator's -log D(G(z))), 'minimax' the saturating one (the generator's
    log(1 - D(G(z)))), 'lsgan' the least-squares GAN (targets 1 and 0 for the discriminator, 1 for the generator)."""
    if kind == "lsgan":
        return 0.5 * ((d_real - 1) ** 2).mean() + 0.5 * (d_fake ** 2).mean(), None
    return bce_logits(d_real, 1.0) + bce_logits(d_fake, 0.0), None


def gen_loss(kind, d_fake):
    if kind == "lsgan":
        return 0.5 * ((d_fake - 1) ** 2).mean()
    if kind == "minimax":
        return -bce_logits(d_fake, 0.0)
    return bce_logits(d_fake, 1.0)


def gan_ring(w, run_id, c):
    """A GAN on ring's mixture, float32. Data (from the run's generator): n training samples, a share q of them
    replaced by outliers uniform in [-3, 3]^2; 500 held-out clean samples. Generator: z (zdim-dimensional N(0, I)) ->
    h -> h -> 2 (ReLU); discriminator: 2 -> h -> h -> 1 (leaky ReLU 0.2), weights from the run's generator. Each
    minibatch: one discriminator step on the real batch and as many fresh fakes, then one generator step on as many
    fresh fakes; Adam (0.5, 0.999) at lr (the discriminator's at lr x dmul). Loss (gan_losses, gen_loss): 'ns',
    'minimax' or 'lsgan'. Train loss: gen_loss on the 500 fixed latent draws; test loss: mmd (bandwidth 0.5) between
    their samples and the held-out ones."""
    g = torch.Generator().manual_seed(651_000 + c["seed"])
    n, h, zd = c["n"], c["h"], c["zdim"]
    x = ring(g, n, F32)
    if c.get("q"):
        hit = torch.rand(n, generator=g) < c["q"]
        x = torch.where(hit[:, None], 6 * torch.rand(n, 2, generator=g) - 3, x)
    xt = ring(g, 300, F32)
    G = mlp_params(g, [zd, h, h, 2], F32)
    D = mlp_params(g, [2, h, h, 1], F32)
    ze = torch.randn(300, zd, generator=torch.Generator().manual_seed(EVAL_SEED))
    og = gan_opt(c, G, c["lr"], (0.5, 0.999))
    od = gan_opt(c, D, c["lr"] * (c.get("dmul") or 1.0), (0.5, 0.999))

    def step(idx):
        real = take(x, idx)
        m = len(real)
        od.zero_grad()
        fake = mlp(G, torch.randn(m, zd, generator=g), torch.relu).detach()
        gan_losses(c["loss"], mlp(D, real, leaky), mlp(D, fake, leaky))[0].backward()
        od.step()
        og.zero_grad()
        gen_loss(c["loss"], mlp(D, mlp(G, torch.randn(m, zd, generator=g), torch.relu), leaky)).backward()
        og.step()

    run = w.run(run_id, count(G) + count(D), n, {"family": "gan-mlp-ring", "hidden": h, "loss": c["loss"]},
                settings(c, ("seed", "h", "zdim", "loss", "n", "q", "opt", "lr", "dmul", "batch", "eval"))
                | {"optimizer": "adam-0.5-0.999", "train_loss": "generator-objective-" + c["loss"],
                   "test_loss": "mmd-gauss-bw0.5-heldout", "generator_params": count(G),
                   "discriminator_params": count(D), "samples_per_generator_weight": "%.3g" % (n / count(G))},
                output_dim=2)

    def log(e, final):
        fake = mlp(G, ze, torch.relu)
        run.log(e, gen_loss(c["loss"], mlp(D, fake, leaky)), mmd(fake, xt, 0.5), final=final)

    epoch_loop(g, n, c, step, log)


def runs_gan_ring():
    # The logic: n 48 training samples of the 8-Gaussian ring, 20% of them replaced by uniform outliers; both MLPs
    # have 2 hidden layers of h units (h^2 + 6h + 2 generator weights at zdim 2: 1,218 at h 32), so the sweep of h
    # (8, 16, 32 at the base at 2 seeds, 64, 128) crosses where the discriminator can tell each of the 48 samples
    # apart and the generator can put its mass onto them (and onto the outliers) instead of onto the ring. Adam (0.5,
    # 0.999) at 0.002 on minibatches of 16, 150 epochs. One thing at a time besides: the minimax and the
    # least-squares losses, clean samples and 40% outliers, 24 and 192 samples, h 128 at 24 samples, an 8-D latent,
    # the discriminator's step 4 times the generator's, full batches, Adam at 0.0005. Evaluation spacing mixed.
    base = dict(h=32, zdim=2, loss="ns", n=48, q=0.2, opt="adam", lr=0.002, dmul=None, batch=16, epochs=150,
                eval="every:2")
    return gan_ring, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=8, eval="every"),
        dict(h=16, eval="jitter:40"),
        dict(h=64, eval="geom:3"),
        dict(h=128, eval="every:3"),
        dict(loss="minimax", eval="every:2"),
        dict(loss="lsgan", eval="every"),
        dict(q=None, eval="every:4"),
        dict(q=0.4, eval="burst:20:5"),
        dict(n=24, eval="every"),
        dict(n=192, eval="log:40"),
        dict(h=128, n=24, eval="mixed:40:4"),
        dict(zdim=8, eval="every:2"),
        dict(dmul=4.0, eval="mixlog:30:40"),
        dict(batch=None, eval="every:3"),
        dict(lr=0.0005, eval="rand:100"),
        dict(h=64, q=0.4, eval="every:2"),
    ], lambda d: "h%d-z%d-%s-n%d%s-%s-lr%g%s%s" % (
        d["h"], d["zdim"], d["loss"], d["n"], "-out%g" % d["q"] if d.get("q") else "-clean", d["opt"], d["lr"],
        "-dmul%g" % d["dmul"] if d.get("dmul") else "", "-b%d" % d["batch"] if d.get("batch") else "-full"))


# ---------------------------------------------------------------------------------------------------- wgan-gp-digits


def digit_projection(g, c):
    """scikit-learn's 8x8 digits split by the run's generator into n training and 500 held-out images, projected onto
    the d leading principal components of the centred training part and scaled so that the training projections'
    mean variance is 1; N(0, noise^2) added to the training vectors."""
    from sklearn.datasets import load_digits
    X = torch.tensor(load_digits().data, dtype=F64) / 16
    perm = torch.randperm(len(X), generator=g)
    tr, te = X[perm[:c["n"]]], X[perm[c["n"]:c["n"] + 500]]
    mu = tr.mean(0)
    _, _, V = torch.linalg.svd(tr - mu, full_matrices=False)
    P = V[:c["d"]].T
    x, xt = (tr - mu) @ P, (te - mu) @ P
    s = x.var(0).mean().sqrt()
    x, xt = x / s, xt / s
    if c.get("noise"):
        x = x + c["noise"] * torch.randn(x.shape, generator=g, dtype=F64)
    return x, xt


def wgan_gp_digits(w, run_id, c):
    """A WGAN-GP on digit_projection's vectors, float64. Generator: z (8-D N(0, I)) -> h -> h -> d (ReLU), plus the
    first d coordinates of z (an identity skip: its samples start as N(0, I), the data's scale); critic:
    d -> h -> h -> 1 (ReLU), weights from the run's generator. Each minibatch: k critic steps, each on the real batch
    and as many fresh fakes, minimising E D(fake) - E D(real) + lam E (|grad_u D(u)| - 1)^2 at u = a real + (1 - a)
    fake, a ~ U(0, 1) per pair; then one generator step minimising - E D(G(z)) on as many fresh draws. Adam (0.5,
    0.9) at lr for the critic and lr x gmul for the generator, or RMSprop ('rmsprop') at the same. Train loss: the critic's Wasserstein estimate E D(x_train) - E D(G(z)) over the
    training vectors and the 500 fixed latent draws (the generator's objective up to a term it does not change);
    test loss: energy_distance between those draws' samples and the 500 held-out projections."""
    g = torch.Generator().manual_seed(652_000 + c["seed"])
    n, h, d, k, lam = c["n"], c["h"], c["d"], c["k"], c["lam"]
    x, xt = digit_projection(g, c)
    G = mlp_params(g, [8, h, h, d], F64)
    D = mlp_params(g, [d, h, h, 1], F64)
    ze = torch.randn(500, 8, generator=torch.Generator().manual_seed(EVAL_SEED), dtype=F64)
    og = gan_opt(c, G, c["lr"] * c["gmul"], (0.5, 0.9))
    od = gan_opt(c, D, c["lr"], (0.5, 0.9))

    def gen(z):
        return mlp(G, z, torch.relu) + z[:, :d]  # an identity skip from the latent's first d coordinates

    def step(idx):
        real = take(x, idx)
        m = len(real)
        for _ in range(k):
            od.zero_grad()
            fake = gen(torch.randn(m, 8, generator=g, dtype=F64)).detach()
            a = torch.rand(m, 1, generator=g, dtype=F64)
            u = (a * real + (1 - a) * fake).requires_grad_()
            gu, = torch.autograd.grad(mlp(D, u, torch.relu).sum(), u, create_graph=True)
            gp = ((gu.norm(dim=1) - 1) ** 2).mean()
            (mlp(D, fake, torch.relu).mean() - mlp(D, real, torch.relu).mean() + lam * gp).backward()
            od.step()
        og.zero_grad()
        (-mlp(D, gen(torch.randn(m, 8, generator=g, dtype=F64)), torch.relu).mean()).backward()
        og.step()

    run = w.run(run_id, count(G) + count(D), n, {"family": "wgan-gp-mlp-digits", "hidden": h, "dims": d},
                settings(c, ("seed", "h", "d", "k", "lam", "n", "noise", "opt", "lr", "gmul", "batch", "eval"))
                | {"optimizer": "rmsprop" if c.get("opt") == "rmsprop" else "adam-0.5-0.9",
                   "train_loss": "generator-objective-critic-wasserstein-estimate",
                   "test_loss": "energy-distance-heldout", "generator_params": count(G),
                   "critic_params": count(D), "samples_per_generator_weight": "%.3g" % (n / count(G))},
                output_dim=d)

    def log(e, final):
        fake = gen(ze)
        run.log(e, mlp(D, x, torch.relu).mean() - mlp(D, fake, torch.relu).mean(), energy_distance(fake, xt),
                final=final)

    epoch_loop(g, n, c, step, log)


def runs_wgan_gp_digits():
    # The logic: n 80 digit images projected onto their 4 leading principal components, N(0, 0.3^2) noise added to
    # the training vectors; the generator 8 -> h -> h -> 4 has h^2 + 14h + 4 weights (1,476 at h 32), so the sweep of h
    # (8, 16, 32 at the base at 2 seeds, 64, 128) crosses where the critic can single out the 80 (noisy) training
    # vectors and the generator can place its samples on them instead of on the digits' spread. Adam (0.5, 0.9) at
    # 0.0005 for the critic and 0.2 times that for the generator (the probes: at equal steps the generator outran the
    # critic), 3 critic steps a minibatch of 40, lambda 10, 100 epochs. One thing at a time besides: clean vectors
    # and noise 0.6, 40 and 200 images, h 128 at 40 images, 2 and 8 components, lambda 1 and 0.1, 1 and 5 critic
    # steps, RMSprop, Adam at 0.0015. Evaluation spacing mixed.
    base = dict(h=32, d=4, k=3, lam=10.0, n=80, noise=0.3, opt="adam", lr=0.0005, gmul=0.2, batch=40, epochs=100,
                eval="every:2")
    return wgan_gp_digits, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=8, eval="every"),
        dict(h=16, eval="jitter:40"),
        dict(h=64, eval="geom:3"),
        dict(h=128, eval="every:3"),
        dict(noise=None, eval="every:4"),
        dict(noise=0.6, eval="burst:20:5"),
        dict(n=40, eval="every"),
        dict(n=200, eval="log:40"),
        dict(h=128, n=40, eval="mixed:40:4"),
        dict(d=2, eval="every:2"),
        dict(d=8, eval="every"),
        dict(lam=1.0, eval="every:2"),
        dict(lam=0.1, eval="mixlog:30:40"),
        dict(k=1, eval="every:3"),
        dict(k=5, eval="every:2"),
        dict(opt="rmsprop", eval="rand:100"),
        dict(lr=0.0015, eval="every:2"),
    ], lambda d: "h%d-d%d-k%d-lam%g-n%d%s-%s-lr%g-g%g" % (
        d["h"], d["d"], d["k"], d["lam"], d["n"], "-noise%g" % d["noise"] if d.get("noise") else "-clean",
        d["opt"], d["lr"], d["gmul"]))


# ---------------------------------------------------------------------------------------------------- cgan-mixture


K = 4
CENTRES = torch.tensor([[[-2.0, 1.5], [1.0, -1.5]], [[0.5, 2.0], [-1.5, -2.0]],
                        [[2.0, 0.5], [-2.0, -0.5]], [[-0.5, 0.0], [2.0, -2.0]]])  # (class, component, xy)


def class_mixture(g, y):
    """One 2-D sample for each label of y: one of the class's 2 components at random, plus N(0, 0.25^2), from g."""
    comp = torch.randint(2, (len(y),), generator=g)
    return CENTRES[y, comp] + 0.25 * torch.randn(len(y), 2, generator=g)


def cgan_mixture(w, run_id, c):
    """A conditional GAN on class_mixture, float32. Data (from the run's generator): n training samples of uniformly
    drawn classes, a share q of their labels flipped to another class; 200 held-out samples of each class. Generator:
    (z (2-D N(0, I)), one-hot y) -> h -> h -> 2 (ReLU); discriminator: (x, one-hot y) -> h -> h -> 1 (leaky ReLU 0.2),
    or with 'proj' (x) -> h -> h features f, logit w . f + e_y . f (a projection discriminator, e_y a learned class
    embedding); weights from the run's generator. Each minibatch: one discriminator step on the real batch at its
    given labels and as many fresh fakes at the same labels, then one generator step. Loss: 'ns' the non-saturating
    BCE, 'hinge' the hinge loss (the discriminator's E relu(1 - D(real)) + E relu(1 + D(fake)), the generator's
    - E D(fake)), 'smooth' the BCE with real targets 0.9. Adam (0.5, 0.999) at lr. Train loss: the discriminator's
    loss on the training samples at their given labels and on the samples of 500 fixed latent draws at the labels
    0, 1, 2, 3, 0, ...; test loss: the mean over the classes of mmd (bandwidth 0.5) between the samples of 200 fixed
    latent draws at the class and the class's held-out samples."""
    g = torch.Generator().manual_seed(653_000 + c["seed"])
    n, h = c["n"], c["h"]
    y0 = torch.randint(K, (n,), generator=g)
    x = class_mixture(g, y0)
    y = flip_labels(g, y0, K, c.get("q"))
    yt = torch.arange(K).repeat_interleave(200)
    xt = class_mixture(g, yt)
    proj = c.get("disc") == "proj"
    G = mlp_params(g, [2 + K, h, h, 2], F32)
    D = mlp_params(g, [2 if proj else 2 + K, h, h, 1], F32)
    if proj:
        D = D + leaves([uniform(g, h, K, h)])
    eg = torch.Generator().manual_seed(EVAL_SEED)
    ze, ye = torch.randn(500, 2, generator=eg), torch.arange(500) % K
    zt = torch.randn(800, 2, generator=eg)
    og = gan_opt(c, G, c["lr"], (0.5, 0.999))
    od = gan_opt(c, D, c["lr"], (0.5, 0.999))
    eye = torch.eye(K)

    def gen(z, lab):
        return mlp(G, torch.cat([z, eye[lab]], 1), torch.relu)

    def disc(u, lab):
        if not proj:
            return mlp(D, torch.cat([u, eye[lab]], 1), leaky)
        f = leaky(mlp(D[:4], u, leaky))
        return f @ D[4] + D[5] + (f * D[6][lab]).sum(1, keepdim=True)

    def d_loss(dr, df):
        if c["loss"] == "hinge":
            return torch.relu(1 - dr).mean() + torch.relu(1 + df).mean()
        return bce_logits(dr, 0.9 if c["loss"] == "smooth" else 1.0) + bce_logits(df, 0.0)

    def g_loss(df):
        return -df.mean() if c["loss"] == "hinge" else bce_logits(df, 1.0)

    def step(idx):
        real, lab = take(x, idx), take(y, idx)
        m = len(real)
        od.zero_grad()
        fake = gen(torch.randn(m, 2, generator=g), lab).detach()
        d_loss(disc(real, lab), disc(fake, lab)).backward()
        od.step()
        og.zero_grad()
        g_loss(disc(gen(torch.randn(m, 2, generator=g), lab), lab)).backward()
        og.step()

    run = w.run(run_id, count(G) + count(D), n, {"family": "cgan-mlp-mixture", "hidden": h, "loss": c["loss"]},
                settings(c, ("seed", "h", "disc", "loss", "n", "q", "lr", "batch", "eval"))
                | {"optimizer": "adam-0.5-0.999", "train_loss": "discriminator-objective-" + c["loss"],
                   "test_loss": "classwise-mmd-gauss-bw0.5-heldout", "generator_params": count(G),
                   "discriminator_params": count(D), "samples_per_generator_weight": "%.3g" % (n / count(G))},
                output_dim=2)

    def log(e, final):
        dl = d_loss(disc(x, y), disc(gen(ze, ye), ye))
        gt = gen(zt[:200 * K], yt)
        tl = sum(mmd(gt[yt == k], xt[yt == k], 0.5) for k in range(K)) / K
        run.log(e, dl, tl, final=final)

    epoch_loop(g, n, c, step, log)


def runs_cgan_mixture():
    # The logic: n 64 training samples of the 4-class mixture (8 components), 25% of their labels flipped, so that a
    # generator that fits its training pairs puts a quarter of each class's mass onto the other classes' components;
    # the generator (z, y) -> h -> h -> 2 has h^2 + 10h + 2 weights (1,346 at h 32), so the sweep of h (8, 16, 32 at
    # the base at 2 seeds, 64, 128) crosses where the discriminator can single out the 64 labelled samples and the
    # generator can follow them. Adam (0.5, 0.999) at 0.002 on minibatches of 16, 150 epochs. One thing at a time
    # besides: clean labels and 45% flips, 32 and 256 samples, h 128 at 32 samples, the hinge loss, one-sided label
    # smoothing, the projection discriminator, Adam at 0.0005 and 0.005, full batches. Evaluation spacing mixed.
    base = dict(h=32, disc="concat", loss="ns", n=64, q=0.25, lr=0.002, batch=16, epochs=150, eval="every:2")
    return cgan_mixture, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=8, eval="every"),
        dict(h=16, eval="jitter:40"),
        dict(h=64, eval="geom:3"),
        dict(h=128, eval="every:3"),
        dict(q=None, eval="every:4"),
        dict(q=0.45, eval="burst:20:5"),
        dict(n=32, eval="every"),
        dict(n=256, eval="log:40"),
        dict(h=128, n=32, eval="mixed:40:4"),
        dict(loss="hinge", eval="every:2"),
        dict(loss="smooth", eval="every"),
        dict(disc="proj", eval="mixlog:30:40"),
        dict(lr=0.0005, eval="rand:100"),
        dict(lr=0.005, eval="every:2"),
        dict(batch=None, eval="every:3"),
        dict(h=64, q=0.45, eval="every:2"),
    ], lambda d: "h%d-%s-%s-n%d%s-lr%g%s" % (
        d["h"], d["disc"], d["loss"], d["n"], "-flip%g" % d["q"] if d.get("q") else "-clean", d["lr"],
        "-b%d" % d["batch"] if d.get("batch") else "-full"))


FAMILIES = {"gan-ring": runs_gan_ring, "wgan-gp-digits": runs_wgan_gp_digits, "cgan-mixture": runs_cgan_mixture}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
