#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, twenty-third held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping* or
*Advice* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no Maven and not
the descentwatch launcher was run; each family's grid was set from its own logic and committed before any of its runs
was trained or looked at, revised at most once (README.md says where and why), and the runs were sorted by census.py
alone), and made to differ from the seventy-four families of train.py ... train_twentysecond.py in model, loss,
optimizer, noise and data: a mixture density network (a tanh layer under K Gaussian components' weights, means and
scales) trained on the mixture's negative log-likelihood, on a bimodal, heteroscedastic two-scale teacher and on
scikit-learn's diabetes, judged by the test NLL; a small convolutional network on scikit-learn's 8x8 digits with
flipped labels under stochastic gradient descent with warm restarts (SGDR: cosine annealing restarted every T_i
epochs, T_i growing by T_mult), beside a constant step, one cosine and a step decay; and Gaussian-process regression
with an automatic-relevance-determination (ARD) RBF kernel whose per-input length scales, signal and noise variances
are learned by gradient steps on the marginal likelihood, the training squared error of the kernel ridge fit or its
closed-form leave-one-out error, one step an epoch, on a teacher of relevant, slow-scale and irrelevant inputs and on
diabetes. The file format, determinism and helpers are the earlier files': Writer, the command line and two-scale
inputs from train.py, epochs_of and settings from train_more.py, label_noise from train_fourth.py, dict_runs from
train_seventh.py, and batches and make_optimizer from train_twentyfirst.py; one thread, every random draw
from a seeded torch.Generator (the convolutional network's initialisation from torch.manual_seed), synthetic event
times, 6 significant digits.

    /usr/bin/python3 train_twentythird.py --family mdn-mixture [--list] [--runs 0,3] [--out FILE]

Families (see README.md): mdn-mixture, sgdr-convnet, ard-gp. Evaluation spacings: train.py's 'every', 'every:K',
'log:K' and train_more.py's 'jitter:K', 'rand:M'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import epochs_of, settings  # noqa: E402
from train_fourth import label_noise  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches, make_optimizer  # noqa: E402

torch.set_num_threads(1)


def diabetes_split(g, n, noise):
    """scikit-learn's 442 diabetes patients: n for training and the rest for testing, the ten inputs and the
    progression standardised on the training patients, Gaussian noise of std `noise` added to the training targets."""
    from sklearn.datasets import load_diabetes
    X, Y = load_diabetes(return_X_y=True)
    X, Y = torch.tensor(X), torch.tensor(Y)
    perm = torch.randperm(len(Y), generator=g)
    tr, te = perm[:n], perm[n:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    Y = (Y - Y[tr].mean()) / Y[tr].std()
    return X[tr], Y[tr] + noise * torch.randn(len(tr), generator=g), X[te], Y[te]


# ---------------------------------------------------------------------------------------------------- mdn-mixture


def mdn_data(g, c):
    """(x, y, xt, yt): 'synth', train.py's two-scale Gaussian inputs (df fast of scale 1, ds slow of scale s); target
    m(x) + sep z + sigma(x) eps: m a linear teacher, a fast part of power F and a slow part of power S (at unit scale in
    the target), z = +1 or -1 at random (two modes 2 sep apart; sep 0 a single mode), sigma(x) = noise exp(0.5
    tanh(x . v)) for a random unit vector v of the fast inputs (heteroscedastic), eps Gaussian (c['dof'] 0) or
    Student-t; n training points and 2,000 test points, all drawn the same way (the test NLL includes the noise).
    'diabetes': diabetes_split."""
    if c["data"] == "diabetes":
        return diabetes_split(g, c["n"], c["noise"])
    df, ds, s = c["df"], c["ds"], c["s"]
    bf = torch.randn(df, generator=g)
    bf *= math.sqrt(c["F"]) / bf.norm()
    bs = torch.randn(max(ds, 1), generator=g)[:ds]
    bs = bs * math.sqrt(c["S"]) / bs.norm().clamp_min(1e-12) / s
    v = torch.randn(df, generator=g)
    v /= v.norm()

    def draw(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        mean = x[:, :df] @ bf + x[:, df:] @ bs
        z = 2.0 * (torch.rand(m, generator=g) < 0.5).double() - 1.0
        sig = c["noise"] * torch.exp(0.5 * torch.tanh(x[:, :df] @ v))
        return x, mean + c["sep"] * z + sig * label_noise(g, m, c.get("dof") or 0)

    x, y = draw(c["n"])
    xt, yt = draw(2000)
    return x, y, xt, yt


def mdn_mixture(w, run_id, c):
    """A mixture density network (Bishop 1994): a tanh layer of width h (W from 1/sqrt(d) times standard normals,
    biases zero) under a linear head (from 1/sqrt(h) times standard normals, times 0.1) giving K logits, K means and K
    log-scales; sigma_k = floor + exp(log-scale_k) (floor c['floor'], 1e-3 by default); p(y|x) = sum_k pi_k N(y;
    mu_k, sigma_k^2), pi the softmax of the logits (the revised grid floors the scales at 0.05 but in one run). The
    means' biases start at K evenly spaced quantiles of the training targets, the log-scales' at the log of their
    std (the components start apart and wide). Loss: the mixture's negative log-likelihood, -log p(y|x) averaged
    over the points (by logsumexp), plus c['wd'] times the squared weights / 2 where set. Full-batch Adam, plain
    gradient descent ('gd') or minibatches under momentum ('sgd'), float64. Train
    loss: the NLL on the noisy training targets; test loss: the NLL on the test points (2,000 fresh noisy draws, or the
    test patients' real progression). Data: mdn_data. Grid (runs_mdn_mixture, revised once; 19 settings, 1-2 seeds,
    20 runs): the base synthetic, n 400, df 10 fast inputs of power F 1, ds 3 slow ones at scale s 0.1 of power S 2,
    modes sep 1.5 from the mean, noise 0.5 (times 0.61-1.65 by the input), K 3 components, width 16 (377 weights),
    scales floored at 0.05, Adam at 0.002, 3,000 epochs (2 seeds); one setting at a time the first grid's floor 1e-3,
    K 1 (a heteroscedastic Gaussian) or 8, width 4 or 64, n 100 or 1,600, width 64 on n 100, one mode (sep 0), noise
    1, Student-t noise of 3 degrees of freedom, no slow signal (S 0), s 0.4, weight decay 1e-3, gradient descent at
    0.05 (6,000 epochs), minibatches of 25 under momentum 0.9 at 0.002 (600 epochs); and diabetes, 200 patients with
    noise 0.3 added, K 3, or K 1 on 100 patients at width 64. The first grid (n 200, df 20, ds 5, width 32, floor
    1e-3, Adam at 0.005; width 8 and 128, n 80 and 800, a floor of 0.1) let the components' scales collapse onto
    training points within 30-100 epochs, before the means had learned the fast part: every run's test NLL had its
    first minimum within 3% of its start and rose to 1.1-5,000 times it, so it judged no mixture that learns its
    fast and then its slow part; the revision gives the network about one weight per training point, a smaller step
    and a floor on the scales below the noise's smallest std (0.3), and keeps the first grid's floor in one run."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(84_000 + c["seed"])
    x, y, xt, yt = mdn_data(g, c)
    n, d = x.shape
    h, K = c["h"], c["K"]
    W1 = (torch.randn(d, h, generator=g) / math.sqrt(d)).requires_grad_()
    b1 = torch.zeros(h, requires_grad=True)
    W2 = (0.1 * torch.randn(h, 3 * K, generator=g) / math.sqrt(h)).requires_grad_()
    q = torch.quantile(y, torch.linspace(0.5 / K, 1 - 0.5 / K, K)) if K > 1 else y.mean().reshape(1)
    b2 = torch.cat([torch.zeros(K), q, torch.full((K,), math.log(y.std().item()))]).requires_grad_()
    params = [W1, b1, W2, b2]
    floor, wd = c.get("floor") or 1e-3, c.get("wd") or 0.0
    opt = make_optimizer(c, params, c["lr"])

    def nll(z, t):
        out = torch.tanh(z @ W1 + b1) @ W2 + b2
        logit, mu, ls = out[:, :K], out[:, K:2 * K], out[:, 2 * K:]
        sig = floor + torch.exp(ls.clamp(-20, 20))
        logp = torch.log_softmax(logit, 1) - torch.log(sig) - 0.5 * math.log(2 * math.pi) \
            - 0.5 * ((t.unsqueeze(1) - mu) / sig) ** 2
        return -torch.logsumexp(logp, 1).mean()

    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "mixture-density-tanh", "components": K, "width": h, "input_dim": d},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "sep", "noise", "dof", "K", "h", "floor",
                             "wd", "opt", "lr", "mom", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mixture-nll", "test_loss": "mixture-nll"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for idx in batches(g, n, c.get("batch")):
                xb, yb = (x, y) if idx is None else (x[idx], y[idx])
                opt.zero_grad()
                loss = nll(xb, yb)
                if wd:
                    loss = loss + wd * 0.5 * ((W1 ** 2).sum() + (W2 ** 2).sum())
                loss.backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, nll(x, y), nll(xt, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_mdn_mixture():
    base = dict(data="synth", n=400, df=10, ds=3, s=0.1, F=1.0, S=2.0, sep=1.5, noise=0.5, dof=None, K=3, h=16,
                floor=0.05, wd=None, opt="adam", lr=0.002, mom=None, batch=None, epochs=3000, eval="log:30")
    dia = dict(data="diabetes", n=200, df=None, ds=None, s=None, F=None, S=None, sep=None, noise=0.3)
    return mdn_mixture, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(K=1, eval="every:10"),
        dict(K=8, eval="jitter:30"),
        dict(h=4, eval="every:8"),
        dict(h=64, eval="log:35"),
        dict(n=100, eval="every:6"),
        dict(h=64, n=100, eval="every:5"),
        dict(n=1600, eval="rand:400"),
        dict(sep=0.0, eval="every:10"),
        dict(noise=1.0, eval="jitter:35"),
        dict(dof=3, eval="every:12"),
        dict(S=0.0, eval="log:30"),
        dict(s=0.4, eval="every:10"),
        dict(floor=1e-3, eval="jitter:30"),
        dict(wd=1e-3, eval="every:15"),
        dict(opt="gd", lr=0.05, epochs=6000, eval="log:40"),
        dict(opt="sgd", lr=0.002, mom=0.9, batch=25, epochs=600, eval="every"),
        dict(dia, eval="log:30"),
        dict(dia, K=1, n=100, h=64, eval="every:5"),
    ], lambda d: "%s-K%d-h%d-n%d%s-noise%g%s%s%s-%s" % (
        d["data"], d["K"], d["h"], d["n"], "-df%d-ds%d-s%g-S%g-sep%g" % (d["df"], d["ds"], d["s"], d["S"], d["sep"])
        if d["data"] == "synth" else "", d["noise"], "-t%d" % d["dof"] if d.get("dof") else "",
        "-floor%g" % d["floor"] if d.get("floor") else "", "-wd%g" % d["wd"] if d.get("wd") else "",
        d["opt"] + ("-b%d" % d["batch"] if d.get("batch") else "")))


# ---------------------------------------------------------------------------------------------------- sgdr-convnet


def sgdr_factor(c, t):
    """The step's multiplier at t epochs into training (t fractional, counted in minibatches): 'sgdr' (Loshchilov &
    Hutter 2017: cosine annealing from 1 to 0 over a period of T_0 epochs, restarted at 1 at its end, each period
    T_mult times the last), 'cosine' (one period over the whole run), 'step' (times 0.1 at each epoch of
    c['decay_at'] passed) or 'const'."""
    if c["sched"] == "const":
        return 1.0
    if c["sched"] == "step":
        return 0.1 ** sum(1 for a in c["decay_at"] if t >= a)
    if c["sched"] == "cosine":
        return 0.5 * (1 + math.cos(math.pi * min(t / c["epochs"], 1.0)))
    period, start = float(c["T0"]), 0.0
    while t >= start + period:
        start += period
        period *= c["Tmult"]
    return 0.5 * (1 + math.cos(math.pi * (t - start) / period))


def sgdr_convnet(w, run_id, c):
    """A small convolutional network on scikit-learn's 8x8 digits: conv 3x3 (1 -> ch channels, padding 1), ReLU,
    conv 3x3 (ch -> 2 ch), ReLU, 2x2 max-pool, a linear readout of the 2 ch x 4 x 4 features to 10 classes (PyTorch's
    default initialisation under torch.manual_seed), float32. Data: pixels over 16, n training images with a share
    c['flip'] of their labels replaced by another class drawn at random, the other images (clean labels) for testing,
    from a generator seeded by the run. Training: minibatches of c['batch'] (a seeded permutation each epoch) on the
    cross-entropy, SGD with momentum c['mom'] (0.9) and weight decay c['wd'], or Adam; the step c['lr'] times
    sgdr_factor, set before every minibatch at its fractional epoch, times a linear warm-up over the first c['warm']
    epochs where set (revised grid). Train loss: the cross-entropy on the noisy
    training labels; test loss: the cross-entropy on the clean test labels (errors too). Grid (runs_sgdr_convnet; 19
    settings, 1-2 seeds, 20 runs; revised once): the base, n 500, 20% flips, 6 channels (2,650 weights), batches of
    100, step 0.05 after a linear warm-up over 3 epochs, SGDR with T_0 5 and T_mult 2 (restarts at epochs 5, 15, 35),
    75 epochs (2 seeds); one setting at a time no flips,
    40% flips, n 200 or 1,000, 2 or 12 channels, T_0 5 and T_mult 1 (a restart every 5 epochs), T_0 25 and T_mult 1,
    T_0 10 and T_mult 2 (restarts at 10 and 30, the third period cut at 75),
    a constant step, one cosine, a step decay (times 0.1 at epochs 40 and 60), the first grid's step 0.1 without
    warm-up, Adam at 0.003 under SGDR, batches of 25, weight decay 5e-4, and 40% flips under a restart every 5 epochs
    and under the constant step. The first grid (step 0.1 from the first minibatch, no warm-up) had the test loss stand
    10% above its running minimum within the first 5-16 epochs, in the first descent, in most runs (18 winning, 1
    nothing better, 1 no bump), so it judged the early jumps of a large step rather than the restarts against the fit
    of the flipped labels; the revision lowers the step and warms it up, and keeps the first grid's step in one run."""
    g = torch.Generator().manual_seed(85_000 + c["seed"])
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    X = torch.tensor(xs / 16.0, dtype=torch.float32).view(-1, 1, 8, 8)
    Y = torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    x, y, xt, yt = X[tr], Y[tr].clone(), X[te], Y[te]
    n = len(x)
    flip = torch.rand(n, generator=g) < c["flip"]
    y[flip] = (y[flip] + torch.randint(1, 10, (int(flip.sum()),), generator=g)) % 10
    torch.manual_seed(85_500 + c["seed"])
    ch = c["ch"]
    net = torch.nn.Sequential(torch.nn.Conv2d(1, ch, 3, padding=1), torch.nn.ReLU(),
                              torch.nn.Conv2d(ch, 2 * ch, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                              torch.nn.Flatten(), torch.nn.Linear(2 * ch * 16, 10))
    if c["opt"] == "adam":
        opt = torch.optim.Adam(net.parameters(), lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    else:
        opt = torch.optim.SGD(net.parameters(), lr=c["lr"], momentum=c.get("mom") or 0.0,
                              weight_decay=c.get("wd") or 0.0)
    ce = torch.nn.functional.cross_entropy

    def losses(z, t):
        out = net(z)
        return ce(out, t), (out.argmax(1) != t).float().mean()

    run = w.run(run_id, sum(p.numel() for p in net.parameters()), n,
                {"family": "cnn-2conv", "channels": ch, "input": "digits-8x8"},
                settings(c, ("seed", "n", "flip", "ch", "batch", "opt", "lr", "warm", "mom", "wd", "sched", "T0",
                             "Tmult", "decay_at", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy", "schedule": c["sched"]}, output_dim=10)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            bl = batches(g, n, c["batch"])
            net.train()
            for j, idx in enumerate(bl):
                warm = min(1.0, (e + (j + 1) / len(bl)) / c["warm"]) if c.get("warm") else 1.0
                for group in opt.param_groups:
                    group["lr"] = c["lr"] * sgdr_factor(c, e + j / len(bl)) * warm
                opt.zero_grad()
                ce(net(x[idx]), y[idx]).backward()
                opt.step()
            e += 1
        net.eval()
        with torch.no_grad():
            tr_loss, tr_err = losses(x, y)
            te_loss, te_err = losses(xt, yt)
            run.log(e, tr_loss, te_loss, tr_err, te_err, final=e == pts[-1])


def runs_sgdr_convnet():
    base = dict(n=500, flip=0.2, ch=6, batch=100, opt="sgd", lr=0.05, warm=3, mom=0.9, wd=None, sched="sgdr", T0=5,
                Tmult=2, decay_at=None, epochs=75, eval="every")
    return sgdr_convnet, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=0.0, eval="every"),
        dict(flip=0.4, eval="jitter:30"),
        dict(n=200, eval="every"),
        dict(n=1000, eval="every:2"),
        dict(ch=2, eval="every"),
        dict(ch=12, eval="log:30"),
        dict(T0=5, Tmult=1, eval="every"),
        dict(T0=25, Tmult=1, eval="rand:40"),
        dict(T0=10, Tmult=2, eval="every"),
        dict(sched="const", T0=None, Tmult=None, eval="every"),
        dict(sched="cosine", T0=None, Tmult=None, eval="every:3"),
        dict(sched="step", T0=None, Tmult=None, decay_at=(40, 60), eval="every"),
        dict(lr=0.1, warm=None, eval="jitter:35"),
        dict(opt="adam", lr=0.003, mom=None, eval="every"),
        dict(batch=25, eval="every:2"),
        dict(wd=5e-4, eval="every"),
        dict(flip=0.4, T0=5, Tmult=1, eval="every"),
        dict(flip=0.4, sched="const", T0=None, Tmult=None, eval="log:30"),
    ], lambda d: "n%d-flip%g-ch%d-b%d-%s-lr%g%s%s-%s%s" % (
        d["n"], d["flip"], d["ch"], d["batch"], d["opt"], d["lr"], "-warm%d" % d["warm"] if d.get("warm") else "",
        "-wd%g" % d["wd"] if d.get("wd") else "",
        d["sched"], "-T%d-x%d" % (d["T0"], d["Tmult"]) if d["sched"] == "sgdr" else ""))


# ---------------------------------------------------------------------------------------------------- ard-gp


def smooth_part(g, k, power, m_feat=8):
    """A random smooth function of k inputs (already at unit scale): sum over m_feat random Fourier features a_j
    sin(w_j . u + b_j), w_j standard normal over sqrt(k), rescaled to variance `power` on 20,000 standard normal
    draws; the zero function where k or power is 0."""
    if k == 0 or power == 0:
        return lambda u: torch.zeros(len(u))
    W = torch.randn(k, m_feat, generator=g) / math.sqrt(k)
    b = 2 * math.pi * torch.rand(m_feat, generator=g)
    a = torch.randn(m_feat, generator=g)
    probe = torch.sin(torch.randn(20000, k, generator=g) @ W + b) @ a
    scale, mean = math.sqrt(power / probe.var().item()), probe.mean().item()
    return lambda u: (torch.sin(u @ W + b) @ a - mean) * scale


def ard_data(g, c):
    """(x, y, xt, ft): 'synth', d = dr + ds + di standard normal inputs, the ds slow ones times s; the target a smooth
    function of the dr relevant inputs (power F) plus one of the ds slow inputs at unit scale (power S), nothing of the
    di irrelevant ones, plus Gaussian noise of std c['noise'] on the n training targets; 1,000 clean test targets.
    'diabetes': diabetes_split (the test targets the real progression)."""
    if c["data"] == "diabetes":
        return diabetes_split(g, c["n"], c["noise"])
    dr, ds, di, s = c["dr"], c["ds"], c["di"], c["s"]
    fr, fs = smooth_part(g, dr, c["F"]), smooth_part(g, ds, c["S"])

    def draw(m):
        u = torch.randn(m, dr + ds + di, generator=g)
        f = fr(u[:, :dr]) + fs(u[:, dr:dr + ds])
        u[:, dr:dr + ds] *= s
        return u, f

    x, f = draw(c["n"])
    xt, ft = draw(1000)
    return x, f + c["noise"] * torch.randn(c["n"], generator=g), xt, ft


def ard_gp(w, run_id, c):
    """Gaussian-process regression with an ARD squared-exponential kernel k(x, x') = v exp(-sum_j (x_j - x'_j)^2 /
    (2 l_j^2)), one length scale per input ('ard') or one for all ('iso'), a constant mean (the training targets'),
    and a noise variance sn2; hyperparameters in log space from l_j = c['ell0'], v = the targets' variance, sn2 =
    c['sn0'] (learned, or held where c['fixnoise']), float64. One epoch is one gradient step on the hyperparameters
    (Adam, plain gradient descent or heavy ball: make_optimizer) of the objective c['obj']: 'mll', the negative log
    marginal likelihood over n; 'mse', the training mean squared error of the kernel ridge fit K (K + sn2 I)^-1 y
    (sn2 held, which rewards short length scales); 'loo', the closed-form leave-one-out mean squared error,
    mean((alpha_i / [(K + sn2 I)^-1]_ii)^2) (Rasmussen & Williams 2006, 5.4.2). Cholesky with 1e-8 jitter. Train loss:
    the training mean squared error of the posterior mean; test loss: the posterior mean's squared error against the
    clean test function (or the test patients' real progression). Data: ard_data. Grid (runs_ard_gp; 19 settings, 1-2
    seeds, 20 runs): the base synthetic, dr 3 relevant inputs of power F 2, ds 2 slow ones at scale s 0.1 of power S
    1, di 5 irrelevant, noise 0.3, n 120, ARD length scales from 3, noise variance from 0.1 and learned, Adam at 0.02
    on the marginal likelihood, 800 steps (2 seeds); one setting at a time the noise variance held at 1e-4 or at
    0.09, the training squared error (noise variance held at 0.01 or 1e-4), the leave-one-out error, n 40 or 300 (500
    steps), no noise (noise variance from 0.01), noise
    1, 20 irrelevant inputs, no slow signal, s 0.3, length scales from 0.5, one shared length scale, gradient descent at
    0.05 and heavy ball at 0.01 (momentum 0.9; 1,500 steps); and diabetes, 150 patients with noise 0.3 added, marginal
    likelihood, or the training squared error with the noise variance held at 1e-3."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(86_000 + c["seed"])
    x, y, xt, ft = ard_data(g, c)
    n, d = x.shape
    ybar = y.mean()
    yc = y - ybar
    log_ell = torch.full((d if c["kernel"] == "ard" else 1,), math.log(c["ell0"]), requires_grad=True)
    log_v = torch.tensor(math.log(yc.var().item()), requires_grad=True)
    log_sn = torch.tensor(math.log(c["sn0"]), requires_grad=True)
    params = [log_ell, log_v] + ([] if c.get("fixnoise") else [log_sn])
    opt = make_optimizer(c, params, c["lr"])
    eye = torch.eye(n)

    def kernel(a, b):
        za, zb = a / log_ell.exp(), b / log_ell.exp()
        d2 = ((za * za).sum(1).unsqueeze(1) + (zb * zb).sum(1) - 2 * za @ zb.T).clamp_min(0.0)
        return log_v.exp() * torch.exp(-0.5 * d2)

    def fit():
        K = kernel(x, x)
        L = torch.linalg.cholesky(K + (log_sn.exp() + 1e-8) * eye)
        alpha = torch.cholesky_solve(yc.unsqueeze(1), L).squeeze(1)
        return K, L, alpha

    def objective():
        K, L, alpha = fit()
        if c["obj"] == "mll":
            return (0.5 * (yc * alpha).sum() + torch.log(torch.diagonal(L)).sum()) / n + 0.5 * math.log(2 * math.pi)
        if c["obj"] == "mse":
            return ((K @ alpha - yc) ** 2).mean()
        diag = torch.diagonal(torch.cholesky_inverse(L))
        return ((alpha / diag) ** 2).mean()

    run = w.run(run_id, len(log_ell) + 1 + (0 if c.get("fixnoise") else 1), n,
                {"family": "gp-rbf-" + c["kernel"], "input_dim": d, "objective": c["obj"]},
                settings(c, ("seed", "data", "n", "dr", "ds", "di", "s", "F", "S", "noise", "kernel", "ell0", "sn0",
                             "fixnoise", "obj", "opt", "lr", "mom", "eval"))
                | {"optimizer": c["opt"], "loss": c["obj"], "test_loss": "posterior-mean-mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            opt.zero_grad()
            objective().backward()
            opt.step()
            e += 1
        with torch.no_grad():
            K, L, alpha = fit()
            run.log(e, ((ybar + K @ alpha - y) ** 2).mean(), ((ybar + kernel(xt, x) @ alpha - ft) ** 2).mean(),
                    final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_ard_gp():
    base = dict(data="synth", n=120, dr=3, ds=2, di=5, s=0.1, F=2.0, S=1.0, noise=0.3, kernel="ard", ell0=3.0,
                sn0=0.1, fixnoise=None, obj="mll", opt="adam", lr=0.02, mom=None, epochs=800, eval="log:30")
    dia = dict(data="diabetes", n=150, dr=None, ds=None, di=None, s=None, F=None, S=None, noise=0.3)
    return ard_gp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sn0=1e-4, fixnoise=True, eval="every:4"),
        dict(sn0=0.09, fixnoise=True, eval="jitter:30"),
        dict(obj="mse", sn0=0.01, fixnoise=True, eval="every:3"),
        dict(obj="mse", sn0=1e-4, fixnoise=True, eval="log:35"),
        dict(obj="loo", eval="every:2"),
        dict(n=40, eval="every"),
        dict(n=300, epochs=500, eval="rand:150"),
        dict(noise=0.0, sn0=0.01, eval="every:5"),
        dict(noise=1.0, eval="jitter:35"),
        dict(di=20, eval="every:4"),
        dict(S=0.0, eval="log:30"),
        dict(s=0.3, eval="every:3"),
        dict(ell0=0.5, eval="every:2"),
        dict(kernel="iso", eval="every:5"),
        dict(opt="gd", lr=0.05, epochs=1500, eval="log:40"),
        dict(opt="hb", lr=0.01, mom=0.9, epochs=1500, eval="every:6"),
        dict(dia, eval="log:30"),
        dict(dia, obj="mse", sn0=1e-3, fixnoise=True, eval="every:4"),
    ], lambda d: "%s-n%d%s-noise%g-%s-ell%g-sn%g%s-%s-%s" % (
        d["data"], d["n"], "-dr%d-ds%d-di%d-s%g-S%g" % (d["dr"], d["ds"], d["di"], d["s"], d["S"])
        if d["data"] == "synth" else "", d["noise"], d["kernel"], d["ell0"], d["sn0"],
        "-fixed" if d.get("fixnoise") else "", d["obj"], d["opt"]))


FAMILIES = {"mdn-mixture": runs_mdn_mixture, "sgdr-convnet": runs_sgdr_convnet, "ard-gp": runs_ard_gp}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
