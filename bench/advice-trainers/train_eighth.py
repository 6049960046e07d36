#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighth held-out round).

Written blind to the advice rule (nothing under detection/, bench/src/main/java or bench/src/test, neither
docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping benchmark,
no Java and not the descentwatch launcher was run; the runs were sorted by census.py alone), and made to differ from
the twenty-nine families of train.py ... train_seventh.py in model, loss, noise, optimizer and evaluation: a
variational autoencoder (a stochastic latent drawn by the reparameterisation trick, a KL penalty, a linear or sigmoid
decoder) on scikit-learn's 8x8 digits whose training targets have a share of their pixels replaced by uniform draws
(salt-and-pepper-like corruption); a small 2-D convolutional network with batch normalisation (running statistics at
evaluation) on two-channel synthetic images with a faint channel, noisy training targets and a clean test target,
under minibatch SGD with momentum and a step or cosine schedule; and a two-layer ReLU network with weight
normalisation (w = g v / |v|) on a rotated two-scale regression with skewed noise (centred exponential or log-normal),
trained by Adadelta, Adagrad or SGD with momentum. The file format, determinism and helpers are the earlier files':
Writer, the command line and two-scale inputs from train.py, epochs_of, settings and lr_factor from train_more.py,
label_noise from train_fourth.py, rotation from train_sixth.py and dict_runs (grid_runs of train_third.py from dicts,
strip_none of train_fourth.py) from train_seventh.py; one thread, every random draw from a seeded torch.Generator,
synthetic event times, 6 significant digits.

    /usr/bin/python3 train_eighth.py --family vae-digits [--list] [--runs 0,3] [--out FILE]

Families (see README.md): vae-digits, batchnorm-cnn, weightnorm-relu. Evaluation spacings: train.py's 'every',
'every:K', 'log:K' and train_more.py's 'jitter:K', 'rand:M'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import epochs_of, lr_factor, settings  # noqa: E402
from train_fourth import label_noise  # noqa: E402
from train_sixth import rotation  # noqa: E402
from train_seventh import dict_runs  # noqa: E402

torch.set_num_threads(1)


def sched_factor(c, e, epochs):
    """The step's multiplier at epoch e: 'step' (times c['decay'] at each epoch of c['decay_at']) or train_more.py's
    lr_factor ('const', 'cosine', 'warmup', ...)."""
    if c["sched"] == "step":
        return c["decay"] ** sum(1 for d in c["decay_at"] if e >= d)
    return lr_factor(c, e, epochs)


def make_opt(c, params):
    o = c["opt"]
    wd = c.get("wd") or 0.0
    if o == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=wd)
    if o == "adadelta":
        return torch.optim.Adadelta(params, lr=c["lr"], rho=c.get("rho") or 0.9, weight_decay=wd)
    if o == "adagrad":
        return torch.optim.Adagrad(params, lr=c["lr"], weight_decay=wd)
    if o == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["lr"], weight_decay=wd)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=wd)


def train_loop(run, c, opt, n, g, step, evaluate):
    """Minibatches of c['batch'] (full batch without one), reshuffled each epoch by g; the step scheduled by
    sched_factor; evaluate() -> (train loss, test loss) at every epoch of the run's spacing."""
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * sched_factor(c, e, c["epochs"])
            idx = torch.randperm(n, generator=g) if bsz < n else torch.arange(n)
            for j in range(0, n, bsz):
                opt.zero_grad()
                step(idx[j:j + bsz]).backward()
                opt.step()
            e += 1
        tr, te = evaluate()
        run.log(e, tr, te, final=e == pts[-1])


# ---------------------------------------------------------------------------------------------------- vae-digits


def pca_map(pool, cols, white):
    """The map from images to the principal components of their pixels in cols, fitted on the pool (directions with
    under 1e-3 of the largest variance, the always blank pixels among them, dropped), each component divided by its
    standard deviation to the power white and by the largest's to the power 1 - white: white 1 whitens them
    (train_fourth.py's whitening), white 0 keeps their natural scales under the largest at 1 (the weak components of
    the group learned last)."""
    sub = pool[:, cols]
    mu = sub.mean(0)
    ev, V = torch.linalg.eigh((sub - mu).T @ (sub - mu) / len(sub))
    keep = ev > 1e-3 * ev[-1]
    V, sd = V[:, keep], ev[keep].sqrt()
    scale = sd ** white * sd[-1] ** (1 - white)
    return lambda z: (z[:, cols] - mu) @ V / scale


def vae_digits(w, run_id, c):
    """A variational autoencoder on scikit-learn's 8x8 digits. The encoder sees each image at two scales: the pixels of
    image columns below c['cols'] (fast) and those from it on (slow), each group on its own principal components fitted
    on a pool of 600 other images (pca_map): the fast group's components scaled by their standard deviations to the
    power 1 - c['white'] (whitened at 1), the slow group whitened, its top c['slow_k'] components kept and times a small
    c['s'] (learned slowly); in 'rot' runs the inputs are then turned by one random rotation. Encoder: mean mu = x W_mu
    + b_mu and log-variance l = x W_l + b_l of a latent of width c['latent'] (linear, or through one tanh layer of width
    c['hidden']); z = mu + exp(l / 2) eps (eps from the seeded generator at every step); decoder sigmoid(z W_d + b_d)
    (b_d at the logit of the training images' mean). The training targets are the images with a share c['corrupt'] of
    their pixels replaced, once, by uniform draws in [0, 1]. Loss: the squared error summed over the 64 pixels plus
    c['beta'] times the KL divergence of N(mu, exp(l)) from N(0, I), mean over images. Test loss: the squared error
    summed over the 64 pixels of the decoded posterior mean (no sampling) against the clean test images (the images used
    neither for training nor for the pool); the train loss the same against the corrupted training targets. Minibatch
    SGD with momentum or Adam, autograd, float64."""
    from sklearn.datasets import load_digits
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(27_000 + c["seed"])
    xs, _ = load_digits(return_X_y=True)
    x_all = torch.tensor(xs / 16.0)
    perm = torch.randperm(len(x_all), generator=g)
    n, k = c["n"], c["latent"]
    tr, pool, te = perm[:n], perm[n:n + 600], perm[n + 600:]
    grid = torch.arange(64).view(8, 8)
    fast, slow = pca_map(x_all[pool], grid[:, :c["cols"]].reshape(-1), c["white"]), \
        pca_map(x_all[pool], grid[:, c["cols"]:].reshape(-1), 1.0)

    sk = c.get("slow_k")

    def inputs(z):
        zs = slow(z)
        return torch.cat([fast(z), c["s"] * (zs[:, -sk:] if sk else zs)], 1)

    x, xt = inputs(x_all[tr]), inputs(x_all[te])
    d = x.shape[1]
    if c.get("rot"):
        Q = rotation(g, d)
        x, xt = x @ Q, xt @ Q
    y = x_all[tr].clone()
    hit = torch.rand(n, 64, generator=g) < c["corrupt"]
    y[hit] = torch.rand(int(hit.sum()), generator=g)
    yt = x_all[te]
    init = c["init"]
    h = c.get("hidden")
    din = h or d
    params = []
    if h:
        We = (torch.randn(d, h, generator=g) * init / math.sqrt(d)).requires_grad_()
        be = torch.zeros(h, requires_grad=True)
        params += [We, be]
    Wm = (torch.randn(din, k, generator=g) * init / math.sqrt(din)).requires_grad_()
    bm = torch.zeros(k, requires_grad=True)
    Wl = (torch.randn(din, k, generator=g) * init / math.sqrt(din)).requires_grad_()
    bl = torch.full((k,), c["logvar0"], requires_grad=True)
    Wd = (torch.randn(k, 64, generator=g) * init / math.sqrt(k)).requires_grad_()
    mean = x_all[tr].mean(0).clamp(0.02, 0.98)
    bd = (mean / (1 - mean)).log().requires_grad_()
    params += [Wm, bm, Wl, bl, Wd, bd]

    def encode(z):
        if h:
            z = torch.tanh(z @ We + be)
        return z @ Wm + bm, z @ Wl + bl

    sig = c.get("decoder", "sigmoid") == "sigmoid"
    if not sig:
        with torch.no_grad():
            bd.copy_(mean)

    def decode(z):
        return torch.sigmoid(z @ Wd + bd) if sig else z @ Wd + bd

    def step(jj):
        mu, lv = encode(x[jj])
        z = mu + (0.5 * lv).exp() * torch.randn(mu.shape, generator=g)
        rec = ((decode(z) - y[jj]) ** 2).sum(1).mean()
        kl = 0.5 * (mu ** 2 + lv.exp() - 1 - lv).sum(1).mean()
        return rec + c["beta"] * kl

    def evaluate():
        with torch.no_grad():
            return tuple(((decode(encode(a)[0]) - b) ** 2).sum(1).mean() for a, b in ((x, y), (xt, yt)))

    opt = make_opt(c, params)
    model = {"family": "variational-autoencoder", "latent": k, "input_dim": d,
             "decoder": c.get("decoder", "sigmoid")}
    if h:
        model["encoder_hidden"] = h
    run = w.run(run_id, sum(p.numel() for p in params), n, model,
                settings(c, ("seed", "cols", "white", "s", "slow_k", "rot", "latent", "hidden", "beta", "corrupt",
                             "init", "logvar0", "decoder", "opt", "lr", "mom", "batch", "sched", "eval"))
                | {"optimizer": c["opt"], "loss": "mse+kl", "noise_law": "uniform-pixels"}, output_dim=64)
    train_loop(run, c, opt, n, g, step, evaluate)
    torch.set_default_dtype(torch.float32)


def runs_vae_digits():
    base = dict(n=60, cols=3, white=0.5, s=0.03, slow_k=8, rot=None, latent=32, hidden=None, decoder="linear",
                beta=0.003, corrupt=0.25, init=0.3, logvar0=-4.0, opt="sgd", lr=0.02, mom=0.9, batch=None,
                sched="const", epochs=5000, eval="log:30")
    rows = [
        dict(seeds=(1, 2)),
        dict(white=1.0, eval="jitter:30"),
        dict(corrupt=0.3, epochs=4000, eval="every:4"),
        dict(beta=0.03, eval="log:35"),
        dict(beta=0.001, s=0.05, epochs=4000, eval="jitter:35"),
        dict(latent=16, eval="every:10"),
        dict(n=80, eval="log:30"),
        dict(n=100, cols=4, corrupt=0.2, eval="jitter:30"),
        dict(batch=20, lr=0.01, epochs=3000, eval="rand:300"),
        dict(opt="adam", lr=0.001, mom=None, rot=1, epochs=3000, eval="log:35"),
        dict(hidden=32, init=0.5, epochs=3000, eval="every:5"),
        dict(decoder="sigmoid", lr=0.1, epochs=3000, eval="jitter:30"),
        dict(sched="cosine", n=80, eval="log:40"),
        dict(white=0.0, eval="every:3"),
        dict(slow_k=12, n=80, eval="log:30"),
        dict(s=0.02, n=80, epochs=8000, eval="log:35"),
        dict(n=120, eval="jitter:35"),
    ]
    return vae_digits, dict_runs(base, rows, lambda d: "%s-%s-k%d-n%d-cols%d-s%g-beta%g-c%g%s%s" % (
        d["opt"], d["decoder"], d["latent"], d["n"], d["cols"], d["s"], d["beta"], d["corrupt"],
        "-h%d" % d["hidden"] if d.get("hidden") else "", "-b%d" % d["batch"] if d.get("batch") else "-full"))


# ---------------------------------------------------------------------------------------------------- batchnorm-cnn


def batchnorm_cnn(w, run_id, c):
    """A small 2-D convolutional network with batch normalisation on synthetic two-channel images of side c['side']:
    channel 0 Gaussian pixels of scale 1 (fast), channel 1 Gaussian pixels of scale c['s'] (a faint channel, learned
    slowly); in 'smooth' runs each channel is blurred by a 3x3 box first (then restandardised). The target: a fast
    part of power F, a random linear functional of channel 0, plus a slow part of power S, one of channel 1 at unit
    scale, plus (for the training images only) label noise of std c['noise'] (c['dof'] Student-t or Gaussian); test
    loss the squared error against the clean target on 2,000 fresh images. Model: conv 3x3 (2 -> k channels, padding
    1), batch norm, ReLU (c['blocks'] 2: a second conv 3x3 k -> k, batch norm, ReLU), flattened to a linear readout;
    batch statistics in training, running statistics (momentum 0.1) at evaluation. Minibatch SGD with momentum (L2
    weight decay c['wd']) under a constant, step or cosine schedule, on the mean squared error, autograd, float32."""
    torch.manual_seed(28_000 + c["seed"])
    g = torch.Generator().manual_seed(28_000 + c["seed"])
    n, side, s, k = c["n"], c["side"], c["s"], c["k"]
    P = side * side
    a = torch.randn(P, generator=g)
    a *= math.sqrt(c["F"]) / a.norm()
    b = torch.randn(P, generator=g)
    b *= math.sqrt(c["S"]) / b.norm()
    box = torch.ones(1, 1, 3, 3) / 3.0

    def data(m, noisy):
        img = torch.randn(m, 2, side, side, generator=g)
        if c.get("smooth"):
            img = torch.nn.functional.conv2d(img.view(2 * m, 1, side, side), box, padding=1).view(m, 2, side, side)
        t = img[:, 0].reshape(m, P) @ a + img[:, 1].reshape(m, P) @ b
        if noisy:
            t = t + c["noise"] * label_noise(g, m, c.get("dof") or 0).float()
        img[:, 1] *= s
        return img, t

    x, y = data(n, True)
    xt, yt = data(2000, False)
    layers = [torch.nn.Conv2d(2, k, 3, padding=1), torch.nn.BatchNorm2d(k), torch.nn.ReLU()]
    if c["blocks"] == 2:
        layers += [torch.nn.Conv2d(k, k, 3, padding=1), torch.nn.BatchNorm2d(k), torch.nn.ReLU()]
    layers += [torch.nn.Flatten(), torch.nn.Linear(k * P, 1)]
    net = torch.nn.Sequential(*layers)
    with torch.no_grad():
        net[-1].weight.mul_(c["init"])
        net[-1].bias.zero_()

    def step(jj):
        return ((net(x[jj]).squeeze(1) - y[jj]) ** 2).mean()

    def evaluate():
        net.eval()
        with torch.no_grad():
            out = (((net(x).squeeze(1) - y) ** 2).mean(), ((net(xt).squeeze(1) - yt) ** 2).mean())
        net.train()
        return out

    opt = make_opt(c, list(net.parameters()))
    model = {"family": "cnn-batchnorm", "channels": k, "blocks": c["blocks"], "side": side, "input_channels": 2}
    run = w.run(run_id, sum(p.numel() for p in net.parameters()), n, model,
                settings(c, ("seed", "side", "s", "smooth", "F", "S", "noise", "dof", "k", "blocks", "init", "opt",
                             "lr", "mom", "wd", "batch", "sched", "decay", "decay_at", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "test_target": "clean"})
    train_loop(run, c, opt, n, g, step, evaluate)


def runs_batchnorm_cnn():
    base = dict(n=300, side=6, s=0.05, smooth=None, F=2.0, S=4.0, noise=1.0, dof=None, k=4, blocks=1, init=0.3,
                opt="sgd", lr=0.01, mom=0.9, wd=None, batch=100, sched="const", decay=None, decay_at=None,
                epochs=600, eval="log:30")
    rows = [
        dict(seeds=(1, 2)),
        dict(n=600, eval="jitter:30"),
        dict(k=2, eval="every:2"),
        dict(noise=0.5, eval="log:35"),
        dict(smooth=1, eval="jitter:35"),
        dict(S=6.0, F=1.0, eval="log:30"),
        dict(s=0.03, S=6.0, F=1.0, eval="every:5"),
        dict(k=8, S=6.0, F=1.0, eval="jitter:30"),
        dict(blocks=2, eval="log:30"),
        dict(sched="step", decay=0.1, decay_at=(200,), eval="every"),
        dict(sched="cosine", eval="log:35"),
        dict(wd=0.01, eval="jitter:30"),
        dict(batch=50, lr=0.005, eval="rand:300"),
        dict(dof=3, eval="log:30"),
        dict(S=1.0, eval="every:3"),
        dict(side=8, n=500, k=3, epochs=800, eval="jitter:35"),
        dict(n=1200, k=2, s=0.01, F=1.0, S=6.0, batch=400, lr=0.002, epochs=300, eval="log:30"),
        dict(lr=0.003, epochs=1500, eval="log:30"),
    ]
    return batchnorm_cnn, dict_runs(base, rows, lambda d: "k%d-L%d-side%d-n%d-s%g-S%g-%s%s-b%d" % (
        d["k"], d["blocks"], d["side"], d["n"], d["s"], d["S"], d["sched"],
        "-wd%g" % d["wd"] if d.get("wd") else "", d["batch"]))


# ---------------------------------------------------------------------------------------------------- weightnorm-relu


def skewed_noise(g, m, law):
    """m draws of unit-variance, zero-mean skewed noise: 'exp' a centred exponential, 'lognormal' a centred
    log-normal (sigma 0.75), 'gauss' Gaussian."""
    if law == "exp":
        return -torch.rand(m, generator=g).clamp_min(1e-12).log() - 1.0
    if law == "lognormal":
        sg = 0.75
        v = (sg * torch.randn(m, generator=g)).exp()
        mu, var = math.exp(sg * sg / 2), (math.exp(sg * sg) - 1) * math.exp(sg * sg)
        return (v - mu) / math.sqrt(var)
    return torch.randn(m, generator=g)


def weightnorm_relu(w, run_id, c):
    """A two-layer ReLU network with weight normalisation, f(x) = a . relu(g * (V x) / |V| + b) / sqrt(h) + a0 (each
    hidden unit's weight vector w_j = g_j v_j / |v_j|, direction and length trained apart), on train.py's two-scale
    Gaussian inputs (df features of scale 1, ds of scale s) turned by one random rotation. The target: a fast part of
    power F along the fast features, a slow part of power S along the slow ones at unit scale (linear, or a
    standardised ReLU of one direction in 'relu' runs), plus skewed label noise of std c['noise'] (skewed_noise).
    V from the seeded generator, g_j at c['g0'], a from c['init'] times the default scale. Adadelta, Adagrad or SGD
    with momentum, full batch or minibatches, on the mean squared error, autograd, float64; test loss on 2,000 fresh
    points, noise included."""
    torch.set_default_dtype(torch.float64)
    gen = torch.Generator().manual_seed(29_000 + c["seed"])
    n, df, ds, s, h = c["n"], c["df"], c["ds"], c["s"], c["h"]
    d = df + ds
    Q = rotation(gen, d)
    af = torch.randn(df, generator=gen)
    af *= math.sqrt(c["F"]) / af.norm()
    bs = torch.randn(ds, generator=gen)
    bs /= bs.norm()

    def data(m):
        x = train.two_scale_inputs(gen, m, df, ds, s)
        sl = x[:, df:] @ bs / s
        if c.get("target") == "relu":
            sl = (torch.relu(sl) - 1 / math.sqrt(2 * math.pi)) / math.sqrt(0.5 - 1 / (2 * math.pi))
        t = x[:, :df] @ af + math.sqrt(c["S"]) * sl
        return x @ Q, t + c["noise"] * skewed_noise(gen, m, c["law"])

    x, y = data(n)
    xt, yt = data(2000)
    V = torch.randn(h, d, generator=gen).requires_grad_()
    gl = torch.full((h,), c["g0"], requires_grad=True)
    b1 = torch.zeros(h, requires_grad=True)
    a = (torch.randn(h, generator=gen) * c["init"]).requires_grad_()
    a0 = torch.zeros(1, requires_grad=True)
    params = [V, gl, b1, a, a0]

    def f(z):
        W = gl[:, None] * V / V.norm(dim=1, keepdim=True)
        return torch.relu(z @ W.T + b1) @ a / math.sqrt(h) + a0

    def step(jj):
        return ((f(x[jj]) - y[jj]) ** 2).mean()

    def evaluate():
        with torch.no_grad():
            return ((f(x) - y) ** 2).mean(), ((f(xt) - yt) ** 2).mean()

    opt = make_opt(c, params)
    model = {"family": "two-layer-weightnorm", "hidden": h, "activation": "relu", "input_dim": d}
    run = w.run(run_id, sum(p.numel() for p in params), n, model,
                settings(c, ("seed", "df", "ds", "s", "F", "S", "target", "noise", "law", "h", "g0", "init", "opt",
                             "lr", "mom", "rho", "wd", "batch", "sched", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "weight_norm": "first-layer"})
    train_loop(run, c, opt, n, gen, step, evaluate)
    torch.set_default_dtype(torch.float32)


def runs_weightnorm_relu():
    base = dict(n=300, df=30, ds=10, s=0.05, F=1.0, S=6.0, target=None, noise=1.0, law="exp", h=6, g0=1.0, init=0.5,
                opt="sgd", lr=0.05, mom=0.9, rho=None, wd=None, batch=None, sched="const", epochs=3000, eval="log:30")
    rows = [
        dict(seeds=(1, 2)),
        dict(opt="adadelta", lr=1.0, mom=None, eval="jitter:30"),
        dict(opt="adagrad", lr=0.05, mom=None, eval="log:35"),
        dict(law="lognormal", eval="every:3"),
        dict(target="relu", eval="jitter:35"),
        dict(batch=50, lr=0.01, epochs=2000, eval="rand:300"),
        dict(h=16, eval="log:30"),
        dict(S=2.0, eval="every:5"),
        dict(wd=0.01, eval="jitter:30"),
        dict(df=15, eval="log:30"),
        dict(g0=3.0, eval="log:35"),
        dict(opt="rmsprop", lr=0.001, mom=None, eval="every:4"),
        dict(lr=0.005, epochs=8000, eval="log:40"),
        dict(opt="adadelta", lr=0.3, mom=None, epochs=6000, eval="jitter:30"),
        dict(h=64, epochs=2000, eval="every:2"),
        dict(df=20, h=8, s=0.03, noise=1.5, law="lognormal", eval="log:30"),
        dict(df=10, h=4, n=1000, F=2.0, S=2.0, epochs=1500, eval="jitter:35"),
        dict(h=2, n=600, epochs=2000, eval="log:30"),
        dict(df=15, h=3, n=1000, F=2.0, S=1.0, noise=0.5, epochs=1500, eval="log:30"),
    ]
    return weightnorm_relu, dict_runs(base, rows, lambda d: "%s-h%d-n%d-df%d-s%g-S%g-%s%s%s" % (
        d["opt"], d["h"], d["n"], d["df"], d["s"], d["S"], d["law"], "-" + d["target"] if d.get("target") else "",
        "-b%d" % d["batch"] if d.get("batch") else "-full"))


FAMILIES = {"vae-digits": runs_vae_digits, "batchnorm-cnn": runs_batchnorm_cnn,
            "weightnorm-relu": runs_weightnorm_relu}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
