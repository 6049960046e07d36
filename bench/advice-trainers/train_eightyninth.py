#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighty-ninth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_eightythird.py and
train_eightyeighth.py in how the training targets are formed. The theme of the round is regularisation by mixing and
softening labels under label noise: mixup (inputs and labels interpolated with a Beta-drawn weight), CutMix on images,
manifold mixup on hidden layers, label smoothing at several strengths, and their combinations, against the plain
cross-entropy in the same grid:

- mixup-beta-mlp: a one-hidden-layer ReLU MLP classifying scikit-learn's 8 x 8 digits (flattened; the breast cancer
  and wine in 3 runs) under Adam (momentum SGD in 2 runs) on minibatches, trained by input mixup (Zhang et al. 2018):
  every minibatch mixed with a random permutation of itself, lam x + (1 - lam) x[perm], at a weight lam drawn from
  Beta(alpha, alpha) once a minibatch (once an example in 1 run; folded to max(lam, 1 - lam) in 1 run), the loss the
  cross-entropy to the same mixture of the (smoothed, in 2 runs) one-hot targets; alpha from 0.1 to 4, and no mixing
  (the plain cross-entropy) in 4 runs. Noise: a share of the training labels replaced by another class.
- cutmix-smooth-cnn: a small convolutional network (3 x 3 convolutions of k and 2k channels, ReLU, one 2 x 2 max
  pooling, a linear readout) on the digits as 8 x 8 images with flipped labels under Adam (momentum SGD in 2 runs),
  trained by CutMix (Yun et al. 2019: a box of area about 1 - lam, lam ~ Beta(alpha, alpha), pasted from a permuted
  partner, the targets mixed by the box's true area) on a share p of the minibatches, by image mixup, by a per-batch
  switch between the two (as timm's Mixup does), with label smoothing at 0.05 to 0.3, or by the plain cross-entropy.
- lsmix-teacher-mlp: a two-hidden-layer ReLU MLP on a synthetic task (Gaussian inputs labelled by the argmax of a
  random tanh teacher network; the breast cancer in 2 runs) with flipped labels under Adam (momentum SGD in 1 run),
  trained by manifold mixup (Verma et al. 2019: the representation after a hidden layer, drawn per minibatch from both
  or fixed, or the inputs, mixed with a permuted partner at lam ~ Beta(alpha, alpha)) crossed with label smoothing at
  0 to 0.3, the plain cross-entropy and smoothing alone among them.

Train loss: the unmixed network's plain cross-entropy on the training points at their given (noisy) labels; test
loss: the same on held-out points at their true labels (2,000 fresh points for the teacher); error rates: the
misclassified shares. A run whose loss turns NaN or infinite sends that evaluation as its last and stops
(train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, count from
train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py, logger from train_seventyfourth.py, digit_images
from train_seventysixth.py, classifier_log and noise_name from train_eightythird.py and fit from
train_eightyeighth.py; one thread, every random draw from a seeded torch.Generator (splits, label flips, teachers,
inputs, initialisations, minibatches, permutations, Beta draws by two gamma draws, boxes, switches), synthetic event
times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_eightyninth.py --family mixup-beta-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): mixup-beta-mlp, cutmix-smooth-cnn, lsmix-teacher-mlp. Evaluation spacings: train.py's
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
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventysixth import digit_images  # noqa: E402  (the digits as 1 x 8 x 8 images, a seeded split)
from train_eightythird import classifier_log, noise_name  # noqa: E402
from train_eightyeighth import fit  # noqa: E402  (epoch_loop, ended by a NaN or infinite loss)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


def beta_draw(g, a, m=1):
    """m draws from Beta(a, a) as X / (X + Y), X and Y Gamma(a, 1) from g (float64; 0.5 where both underflow)."""
    x = torch._standard_gamma(torch.full((m,), float(a), dtype=F64), generator=g)
    y = torch._standard_gamma(torch.full((m,), float(a), dtype=F64), generator=g)
    s = x + y
    return torch.where(s > 0, x / torch.where(s > 0, s, torch.ones_like(s)), torch.full_like(s, 0.5))


def soft_targets(y, K, eps):
    """One-hot targets, smoothed to (1 - eps) one-hot + eps / K where eps is set (float32)."""
    t = fn.one_hot(y, K).to(F32)
    return t * (1 - eps) + eps / K if eps else t


def soft_ce(out, t):
    """The cross-entropy to soft targets: - sum_k t_k log softmax(out)_k, averaged over the rows."""
    return -(t * fn.log_softmax(out, 1)).sum(1).mean()


def make_opt(c, params):
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c["mom"], weight_decay=c.get("wd") or 0.0)


def common_tags(c, yt, mixing):
    return {"optimizer": "adam" if c["opt"] == "adam" else "sgd-momentum", "mixing": mixing,
            "label_smoothing": str(c.get("eps") or 0.0),
            "loss": "soft-target-cross-entropy" if (mixing != "none" or c.get("eps")) else "cross-entropy",
            "noise": "uniform-other-class" if c.get("flip") else "none",
            "train_loss": "plain-ce-given-labels", "test_loss": "heldout-ce-true-labels", "error": "misclassified",
            "test_size": str(len(yt))}


# ---------------------------------------------------------------------------------------------------- mixup-beta-mlp


def mixup_beta_mlp(w, run_id, c):
    """A one-hidden-layer ReLU MLP trained by input mixup, float32. Data (from the run's generator): 'digits'
    digit_images (n training, 'test' held-out images) flattened to 64 pixels; 'cancer' or 'wine' real_classes
    (standardised on the n training points, the rest held out); a share flip of the training labels flipped
    (flip_labels). Model: d -> hid (ReLU) -> K, mlp_params. Training: for every minibatch (where alpha is set) a
    permutation perm of it and lam ~ Beta(alpha, alpha) (one draw a minibatch, or one an example where lam_per is
    'example'; max(lam, 1 - lam) where fold is set), all from the run's generator; the inputs lam x + (1 - lam) x[perm]
    and the loss soft_ce to lam t + (1 - lam) t[perm], t the one-hot targets of the given labels smoothed at eps where
    set; no alpha: soft_ce to t (the plain cross-entropy where eps is not set either). Optimizer: torch.optim.Adam, or
    SGD with momentum mom, at lr (coupled weight decay wd where set) on minibatches of batch. Train loss: the unmixed
    network's plain cross-entropy on the training points at their given labels; test loss: the same on the held-out
    points at their true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(891_000 + c["seed"])
    if c["data"] == "digits":
        x, y, xt, yt = digit_images(g, c)
        x, xt, K = x.flatten(1), xt.flatten(1), 10
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F32)
    yn = flip_labels(g, y, K, c.get("flip"))
    params = mlp_params(g, [x.shape[1], c["hid"], K], F32)
    opt = make_opt(c, params)
    alpha, eps = c.get("alpha"), c.get("eps")

    def step(idx):
        xb, t = take(x, idx), soft_targets(take(yn, idx), K, eps)
        if alpha:
            B = len(xb)
            perm = torch.randperm(B, generator=g)
            lam = beta_draw(g, alpha, B if c.get("lam_per") == "example" else 1).to(F32)
            if c.get("fold"):
                lam = torch.maximum(lam, 1 - lam)
            lam = lam[:, None]
            xb, t = lam * xb + (1 - lam) * xb[perm], lam * t + (1 - lam) * t[perm]
        opt.zero_grad()
        soft_ce(mlp(params, xb, torch.relu), t).backward()
        opt.step()

    def forward(z):
        return mlp(params, z, torch.relu)

    run = w.run(run_id, count(params), len(y), {"family": "mlp", "hidden": c["hid"], "depth": 1, "activation": "relu"},
                settings(c, ("seed", "data", "n", "flip", "hid", "opt", "lr", "mom", "wd", "batch", "alpha", "lam_per",
                             "fold", "eps", "eval"))
                | common_tags(c, yt, "input-mixup" if alpha else "none"), output_dim=K)
    fit(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy))


def runs_mixup_beta_mlp():
    # The logic: 400 digits, 30% of their labels flipped, an MLP 64 -> 128 -> 10 (9,610 weights, 24 a label, so the
    # plain cross-entropy fits the flips) under Adam at 2e-3 on minibatches of 40 (10 steps an epoch), 100 epochs; 600
    # held-out images. Plain training learns the clean labels in tens of epochs, then memorises the flips, the held-out
    # cross-entropy rising as it does. Input mixup at Beta(0.4, 0.4) (mostly light mixing, lam near 0 or 1) makes
    # every target a soft mixture of two labels and every input a blend, so a flip is fitted only as part of mixed
    # pairs, later and less; a larger alpha mixes nearer halves (stronger), a smaller one hardly mixes. One thing at a
    # time: the plain cross-entropy, alpha (0.1, 0.2, 1, 4), one lam an example, lam folded to max(lam, 1 - lam),
    # mixup with label smoothing 0.1 and smoothing 0.1 alone, clean labels, 45% flipped (mixup and plain), momentum
    # SGD at 0.05 (mixup and plain), width 512, coupled weight decay 5e-4, the breast cancer (150 patients, 32 units;
    # mixup and plain) and wine (80, 32 units). Evaluation spacing mixed.
    base = dict(data="digits", n=400, test=600, flip=0.3, hid=128, opt="adam", lr=5e-3, mom=None, wd=None, batch=40,
                alpha=0.4, lam_per=None, fold=None, eps=None, epochs=150, eval="every")
    plain = dict(alpha=None)
    sgd = dict(opt="sgd", lr=0.05, mom=0.9)
    cancer = dict(data="cancer", n=150, test=None, hid=32)
    return mixup_beta_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(plain, eval="every:2"),
        dict(alpha=0.1, eval="jitter:30"),
        dict(alpha=0.2, eval="every"),
        dict(alpha=1.0, eval="every:2"),
        dict(alpha=4.0, eval="geom:2"),
        dict(lam_per="example", eval="every"),
        dict(fold="true", eval="mixed:30:3"),
        dict(eps=0.1, eval="every"),
        dict(plain, eps=0.1, eval="every:3"),
        dict(flip=None, eval="log:30"),
        dict(flip=0.45, eval="every:2"),
        dict(plain, flip=0.45, eval="every"),
        dict(sgd, eval="burst:10:4"),
        dict(sgd, **plain, eval="every:2"),
        dict(hid=512, eval="every"),
        dict(wd=5e-4, eval="rand:40"),
        dict(cancer, eval="mixlog:20:30"),
        dict(cancer, **plain, eval="every"),
        dict(data="wine", n=80, test=None, hid=32, eval="every:2"),
    ], lambda d: "%s-n%d%s-mlp%d-%s-lr%g%s-b%d-%s%s%s" % (
        d["data"], d["n"], noise_name(d), d["hid"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "",
        d["batch"], "mixup-alpha%g" % d["alpha"] if d.get("alpha") else "plain",
        ("-per-example" if d.get("lam_per") else "") + ("-fold" if d.get("fold") else ""),
        "-ls%g" % d["eps"] if d.get("eps") else ""))


# ---------------------------------------------------------------------------------------------------- cutmix-smooth-cnn


def cutmix_box(g, lam, H=8, W=8):
    """CutMix's box (Yun et al. 2019): side W sqrt(1 - lam) (rounded down) around a centre drawn uniformly from the
    pixels (from g), clipped to the image; returns (y1, y2, x1, x2) and the kept share 1 - box area / (H W)."""
    r = math.sqrt(1 - lam)
    ch, cw = int(H * r), int(W * r)
    cy, cx = (int(v) for v in torch.randint(0, H, (2,), generator=g))
    y1, y2 = max(cy - ch // 2, 0), min(cy + ch // 2, H)
    x1, x2 = max(cx - cw // 2, 0), min(cx + cw // 2, W)
    return (y1, y2, x1, x2), 1 - (y2 - y1) * (x2 - x1) / (H * W)


def cutmix_smooth_cnn(w, run_id, c):
    """A small CNN on the digits trained by CutMix, image mixup or label smoothing, float32. Data (from the run's
    generator): digit_images (n training, 'test' held-out images; Gaussian pixel noise of sd pix on the training
    images where set); a share flip of the training labels flipped. Model: conv3x3 1 -> k (padding 1), ReLU, conv3x3
    k -> 2k (padding 1), ReLU, max-pool 2, a linear readout of the 32k features to 10 logits; U(+-1 / sqrt(fan-in))
    from the run's generator. Training: t the one-hot targets of the given labels smoothed at eps where set; for every
    minibatch a draw u ~ U(0, 1) and a permutation perm (from the run's generator); where u < p the minibatch is mixed:
    'cutmix' lam ~ Beta(alpha, alpha), the box cutmix_box(lam) of every image replaced by that of its partner x[perm],
    the targets kept * t + (1 - kept) * t[perm]; 'mixup' lam ~ Beta(alpha_mix, alpha_mix), the images and targets
    mixed at lam; 'switch' a second draw picks cutmix or mixup with probability 1/2 each; 'none' no mixing. Loss:
    soft_ce. Optimizer: torch.optim.Adam, or SGD with momentum mom, at lr on minibatches of batch. Train loss: the
    unmixed network's plain cross-entropy on the training images at their given labels; test loss: the same on the
    held-out images at their true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(892_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    yn = flip_labels(g, y, 10, c.get("flip"))
    k = c["k"]
    params = leaves([uniform(g, 9, k, 1, 3, 3), uniform(g, 9, k), uniform(g, 9 * k, 2 * k, k, 3, 3),
                     uniform(g, 9 * k, 2 * k), uniform(g, 32 * k, 32 * k, 10), uniform(g, 32 * k, 10)])
    opt = make_opt(c, params)
    mix, eps = c.get("mix") or "none", c.get("eps")

    def net(z):
        z = torch.relu(fn.conv2d(z, params[0], params[1], padding=1))
        z = fn.max_pool2d(torch.relu(fn.conv2d(z, params[2], params[3], padding=1)), 2)
        return z.flatten(1) @ params[4] + params[5]

    def step(idx):
        xb, t = take(x, idx), soft_targets(take(yn, idx), 10, eps)
        if mix != "none":
            u = float(torch.rand(1, generator=g, dtype=F64))
            perm = torch.randperm(len(xb), generator=g)
            kind = mix
            if mix == "switch":
                kind = "cutmix" if float(torch.rand(1, generator=g, dtype=F64)) < 0.5 else "mixup"
            if u < c["p"]:
                if kind == "cutmix":
                    lam = float(beta_draw(g, c["alpha"])[0])
                    (y1, y2, x1, x2), kept = cutmix_box(g, lam)
                    xb = xb.clone()
                    xb[:, :, y1:y2, x1:x2] = xb[perm][:, :, y1:y2, x1:x2]
                    t = kept * t + (1 - kept) * t[perm]
                else:
                    lam = float(beta_draw(g, c["alpha_mix"])[0])
                    xb, t = lam * xb + (1 - lam) * xb[perm], lam * t + (1 - lam) * t[perm]
        opt.zero_grad()
        soft_ce(net(xb), t).backward()
        opt.step()

    run = w.run(run_id, count(params), len(y),
                {"family": "cnn", "channels": k, "conv_layers": 2, "pooling": "max", "norm": "none"},
                settings(c, ("seed", "n", "flip", "pix", "k", "opt", "lr", "mom", "batch", "mix", "alpha", "alpha_mix",
                             "p", "eps", "eval"))
                | common_tags(c, yt, {"none": "none", "cutmix": "cutmix", "mixup": "image-mixup",
                                      "switch": "cutmix-or-mixup"}[mix]), output_dim=10)
    fit(g, len(y), c, step, classifier_log(run, net, x, yn, xt, yt, fn.cross_entropy))


def runs_cutmix_smooth_cnn():
    # The logic: 300 digits, 25% of their labels flipped, a CNN of 8 and 16 channels with one max pooling (3,818
    # weights, about 13 a label, so plain training fits the flips) under Adam at 3e-3 on minibatches of 50 (6 steps an
    # epoch), 100 epochs; 600 held-out images. Plain training learns the clean labels, then memorises the flips, the
    # held-out loss rising. CutMix at Beta(1, 1) on every minibatch pastes a box of a partner's pixels and mixes the
    # labels by the box's area: a flipped label is fitted only in part and on a changing image, so memorising is slowed;
    # label smoothing caps how confident the fit of a flip can get (a floor on the held-out loss at larger eps). One
    # thing at a time: the plain cross-entropy, label smoothing alone (0.05, 0.1, 0.2, 0.3), CutMix with smoothing 0.1,
    # CutMix on half the minibatches, CutMix at alpha 0.3, image mixup at alpha 0.4 (alone and with smoothing 0.1), a
    # per-minibatch switch between CutMix and mixup, clean labels, 45% flipped (CutMix and plain), momentum SGD at
    # 0.05 (CutMix and plain), 16 channels, 600 images. Evaluation spacing mixed.
    base = dict(n=300, test=600, flip=0.25, pix=None, k=8, opt="adam", lr=3e-3, mom=None, batch=50, mix="cutmix",
                alpha=1.0, alpha_mix=None, p=1.0, eps=None, epochs=100, eval="every")
    plain = dict(mix="none", alpha=None, p=None)
    sgd = dict(opt="sgd", lr=0.05, mom=0.9)
    return cutmix_smooth_cnn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(plain, eval="every:2"),
        dict(plain, eps=0.05, eval="jitter:30"),
        dict(plain, eps=0.1, eval="every"),
        dict(plain, eps=0.2, eval="every:2"),
        dict(plain, eps=0.3, eval="geom:2"),
        dict(eps=0.1, eval="every"),
        dict(p=0.5, eval="every:3"),
        dict(alpha=0.3, eval="every"),
        dict(mix="mixup", alpha=None, alpha_mix=0.4, eval="mixed:30:2"),
        dict(mix="mixup", alpha=None, alpha_mix=0.4, eps=0.1, eval="every:2"),
        dict(mix="switch", alpha_mix=0.4, eval="every"),
        dict(flip=None, eval="log:30"),
        dict(flip=0.45, eval="every:2"),
        dict(plain, flip=0.45, eval="every"),
        dict(sgd, eval="burst:10:4"),
        dict(sgd, **plain, eval="every:2"),
        dict(k=16, eval="mixlog:20:30"),
        dict(n=600, eval="rand:40"),
    ], lambda d: "digits-n%d%s-cnn%d-%s-lr%g-b%d-%s%s" % (
        d["n"], noise_name(d), d["k"], d["opt"], d["lr"], d["batch"],
        {"none": "plain", "cutmix": "cutmix-alpha%s-p%s" % (d.get("alpha"), d.get("p")),
         "mixup": "mixup-alpha%s" % d.get("alpha_mix"),
         "switch": "switch-alpha%s-%s" % (d.get("alpha"), d.get("alpha_mix"))}[d["mix"]],
        "-ls%g" % d["eps"] if d.get("eps") else ""))


# ---------------------------------------------------------------------------------------------------- lsmix-teacher-mlp


def teacher_classes(g, c):
    """Synthetic classes (from g): inputs N(0, I_d); the label the argmax of a random tanh teacher's logits,
    tanh(x A) B with A N(0, 4 / d) (d x 32) and B N(0, 1 / 32) (32 x K); n training points and 2,000 test points."""
    d, K = c["d"], c["K"]
    A = torch.randn(d, 32, generator=g) * (2 / math.sqrt(d))
    B = torch.randn(32, K, generator=g) / math.sqrt(32)

    def draw(m):
        z = torch.randn(m, d, generator=g)
        return z, (torch.tanh(z @ A) @ B).argmax(1)

    x, y = draw(c["n"])
    xt, yt = draw(2000)
    return x, y, xt, yt, K


def lsmix_teacher_mlp(w, run_id, c):
    """A two-hidden-layer ReLU MLP trained by manifold mixup and label smoothing, float32. Data (from the run's
    generator): 'teacher' teacher_classes; 'cancer' real_classes (the breast cancer, standardised on the n training
    patients, the rest held out); a share flip of the training labels flipped. Model: d -> hid -> hid -> K (ReLU),
    mlp_params. Training: t the one-hot targets of the given labels smoothed at eps where set; for every minibatch
    (where 'layers' is set) a layer drawn uniformly from the digits of 'layers' (0 the inputs, 1 and 2 the outputs of
    the first and second hidden layers, after their ReLU), a permutation perm and lam ~ Beta(alpha, alpha), all from
    the run's generator; the representation there mixed, lam h + (1 - lam) h[perm], and the loss soft_ce to
    lam t + (1 - lam) t[perm]; no 'layers': soft_ce to t. Optimizer: torch.optim.Adam, or SGD with momentum mom, at lr
    on minibatches of batch. Train loss: the unmixed network's plain cross-entropy on the training points at their
    given labels; test loss: the same on the test points at their true labels; error rates: the misclassified
    shares."""
    g = torch.Generator().manual_seed(893_000 + c["seed"])
    if c["data"] == "teacher":
        x, y, xt, yt, K = teacher_classes(g, c)
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F32)
    yn = flip_labels(g, y, K, c.get("flip"))
    params = mlp_params(g, [x.shape[1], c["hid"], c["hid"], K], F32)
    opt = make_opt(c, params)
    layers, eps = [int(v) for v in (c.get("layers") or "")], c.get("eps")

    def net(z, at=None, lam=None, perm=None):
        for i in range(3):
            if i == at:
                z = lam * z + (1 - lam) * z[perm]
            z = z @ params[2 * i] + params[2 * i + 1]
            if i < 2:
                z = torch.relu(z)
        return z

    def step(idx):
        xb, t = take(x, idx), soft_targets(take(yn, idx), K, eps)
        at = lam = perm = None
        if layers:
            at = layers[int(torch.randint(0, len(layers), (1,), generator=g))]
            perm = torch.randperm(len(xb), generator=g)
            lam = float(beta_draw(g, c["alpha"])[0])
            t = lam * t + (1 - lam) * t[perm]
        opt.zero_grad()
        soft_ce(net(xb, at, lam, perm), t).backward()
        opt.step()

    run = w.run(run_id, count(params), len(y), {"family": "mlp", "hidden": c["hid"], "depth": 2, "activation": "relu"},
                settings(c, ("seed", "data", "n", "d", "K", "flip", "hid", "opt", "lr", "mom", "batch", "layers",
                             "alpha", "eps", "eval"))
                | common_tags(c, yt, ("manifold-mixup" if set(layers) - {0} else "input-mixup") if layers else "none")
                | {"mix_layers": c.get("layers") or "none"}, output_dim=K)
    fit(g, len(y), c, step, classifier_log(run, net, x, yn, xt, yt, fn.cross_entropy))


def runs_lsmix_teacher_mlp():
    # The logic: 500 points of 16 Gaussian inputs in 4 classes given by a random tanh teacher, 20% of their labels
    # flipped, an MLP 16 -> 64 -> 64 -> 4 (5,508 weights, eleven a label, so plain training fits the flips) under Adam
    # at 3e-3 on minibatches of 50 (10 steps an epoch), 120 epochs; 2,000 fresh test points with clean labels. Plain
    # training learns the teacher's boundaries, then memorises the flips, the test cross-entropy rising. Manifold
    # mixup at Beta(2, 2) (the paper's setting, mixing near halves) after a hidden layer drawn per minibatch from both,
    # with label smoothing 0.1 at the base: every target a soft mixture, a flip fitted only in part. One thing at a
    # time, the two crossed: the plain cross-entropy, smoothing alone (0.1, 0.3), manifold mixup alone (no smoothing)
    # and with smoothing 0.05 and 0.3; the mixed layer fixed at the first or the second hidden layer, or the inputs
    # (input mixup); alpha 0.5; clean labels; 40% flipped (the base and plain); momentum SGD at 0.05; width 256; 250
    # points; 8 classes; the breast cancer (150 patients, 32 units; the base and plain). Evaluation spacing mixed.
    base = dict(data="teacher", n=500, d=16, K=4, flip=0.2, hid=64, opt="adam", lr=3e-3, mom=None, batch=50,
                layers="12", alpha=2.0, eps=0.1, epochs=120, eval="every")
    plain = dict(layers=None, alpha=None, eps=None)
    cancer = dict(data="cancer", n=150, d=None, K=None, hid=32)
    return lsmix_teacher_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(plain, eval="every:2"),
        dict(layers=None, alpha=None, eval="every"),
        dict(layers=None, alpha=None, eps=0.3, eval="jitter:30"),
        dict(eps=None, eval="every"),
        dict(eps=0.05, eval="every:2"),
        dict(eps=0.3, eval="geom:2"),
        dict(layers="1", eval="every"),
        dict(layers="2", eval="mixed:30:3"),
        dict(layers="0", eval="every:3"),
        dict(alpha=0.5, eval="every"),
        dict(flip=None, eval="log:30"),
        dict(flip=0.4, eval="every:2"),
        dict(plain, flip=0.4, eval="every"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="burst:10:4"),
        dict(hid=256, eval="every"),
        dict(n=250, eval="every:2"),
        dict(cancer, eval="rand:40"),
        dict(cancer, **plain, eval="mixlog:20:30"),
        dict(K=8, eval="every"),
    ], lambda d: "%s-n%d%s%s-mlp%dx2-%s-lr%g-b%d-%s%s" % (
        d["data"], d["n"], "-k%d" % d["K"] if d.get("K") else "", noise_name(d), d["hid"], d["opt"], d["lr"],
        d["batch"], "mix%s-alpha%g" % (d["layers"], d["alpha"]) if d.get("layers") else "nomix",
        "-ls%g" % d["eps"] if d.get("eps") else ""))


FAMILIES = {"mixup-beta-mlp": runs_mixup_beta_mlp, "cutmix-smooth-cnn": runs_cutmix_smooth_cnn,
            "lsmix-teacher-mlp": runs_lsmix_teacher_mlp}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
