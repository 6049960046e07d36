#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighty-second held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/ or /work/shared, and no git log, git show or git diff of main; no
stopping benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its
own logic and committed before any of its runs was trained, revised at most once (README.md says where and why), and
the runs were sorted by census.py alone), and made to differ from finetune-unfreeze, lora-adapt and freezeout-layers
(no unfreezing or freezing on a schedule: what a run fits is the same from its first logged epoch to its last). The
theme of the round is transfer and fine-tuning as practitioners do it on small data: a network first trained within
the run on a source task (a self-supervised pretext task or other classes), then fine-tuned on a small, partly
mislabelled target task; the logged curve is the fine-tuning, epoch 0 its start, the test loss the target task's:

- lpft-rotnet-cnn: a small convolutional network (two 3 x 3 convolutions, max pooling, a ReLU layer) pretrained on a
  pool of scikit-learn's 8 x 8 digits that the target never sees, on the rotation pretext task (which of 4 quarter
  turns an image was given; Gidaris et al. 2018) or on the pool's digits 0-4 (a 5-way source), or not at all (from
  scratch); then fine-tuned on a small labelled set of all 10 digits, a share of its labels flipped: LP-FT (the new head
  first fitted by a linear probe on the frozen features, not logged, then every layer fine-tuned; Kumar et al. 2022),
  plain fine-tuning from a randomly initialised head, a linear probe alone (logged), or the convolutions frozen and the
  dense layer and head tuned; Adam (SGD with momentum, AdamW in 1 run each) on minibatches.
- maskae-llrd-mlp: a ReLU MLP encoder pretrained as a masked autoencoder on a pool of the digits (a share of each
  image's pixels hidden, all pixels predicted by a linear decoder, the squared error on the hidden ones), then
  fine-tuned under a new head on a small, partly mislabelled 10-class set with discriminative (layer-wise decayed)
  steps: the head at lr, the top hidden layer at lr gamma, the one below at lr gamma^2, ...; gamma 1 (uniform), 0.8,
  0.5, 0.25, 0.1 or 0 (the encoder frozen: a linear probe); AdamW (Adam, SGD with momentum in 1 run each).
- surgical-block-shift: surgical fine-tuning (Lee et al. 2023): a residual MLP (an input embedding, 3 residual ReLU
  blocks, a linear head) pretrained on a synthetic 8-output regression of a two-layer tanh teacher, then only one part
  of it (the embedding, one block, the head alone, or all of it) tuned, with a re-initialised head, on a small target
  task shifted at the input (the same teacher output of inputs seen through a random rotation of half the
  coordinates and a rescaling) or at the output (a new readout of the teacher's hidden units); a share of the training
  targets mislabelled (replaced by another training point's target) on top of Gaussian noise; full-batch Adam.

Train loss: the fine-tuning loss on the target's training set at its given labels or targets (no penalty); test loss:
the cross-entropy of held-out digits at their true labels (the first two; error rates too: the misclassified shares),
the mean squared error against the clean target on 2,000 fresh points (the third). A run whose loss turns NaN or
infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, logger and
train_until (train_thirtyninth.py's epoch_loop, with eval_epochs) from train_seventyfourth.py, batches from
train_twentyfirst.py and classifier_log from train_eightieth.py; one thread, every random draw from a seeded
torch.Generator (splits, pools, flips, teachers, inputs, noise, masks, quarter turns, initialisations, minibatches),
synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_eightysecond.py --family lpft-rotnet-cnn [--list] [--runs 0,3] [--out FILE]

Families (see README.md): lpft-rotnet-cnn, maskae-llrd-mlp, surgical-block-shift. Evaluation spacings: train.py's
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_eightieth import classifier_log  # noqa: E402

torch.set_num_threads(1)

F32 = torch.float32


def digit_pool_split(g, c):
    """scikit-learn's digits (pixels / 16) as 1 x 8 x 8 images, split at random (g) into n labelled training images,
    'test' held-out images and the rest, the pool (the source data; the target never sees it)."""
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F32).reshape(-1, 1, 8, 8) / 16, torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    n, m = c["n"], c["test"]
    tr, te, pool = perm[:n], perm[n:n + m], perm[n + m:]
    return X[tr], Y[tr], X[te], Y[te], X[pool], Y[pool]


def pretrain(g, params, loss_of, n, epochs, batch, lr):
    """Source training: Adam at lr on minibatches of batch (from g), loss_of(idx) the minibatch's loss."""
    opt = torch.optim.Adam(params, lr=lr)
    for _ in range(epochs):
        for idx in batches(g, n, batch):
            opt.zero_grad()
            loss_of(idx).backward()
            opt.step()


def finetune_opt(c, groups):
    """The fine-tuning optimizer over param groups [(params, lr), ...]: Adam, AdamW (weight decay wd) or SGD with
    momentum 0.9."""
    pg = [{"params": p, "lr": lr} for p, lr in groups if p and lr > 0]
    if c["opt"] == "sgd":
        return torch.optim.SGD(pg, lr=c["lr"], momentum=0.9)
    if c["opt"] == "adamw":
        return torch.optim.AdamW(pg, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.Adam(pg, lr=c["lr"])


def freeze(params, frozen):
    for q in params:
        q.requires_grad_(not frozen)


# ------------------------------------------------------------------------------------------------------ lpft-rotnet-cnn


def lpft_rotnet_cnn(w, run_id, c):
    """Pretraining and fine-tuning of a small convolutional network on the digits, float32. Data (from the run's
    generator): digit_pool_split; a share flip of the n training labels replaced by another class (flip_labels). Body:
    conv3x3 1 -> ch (padding 1), ReLU, conv3x3 ch -> 2ch, ReLU, max-pool 2 (4 x 4), ch x 32 -> fc ReLU units;
    U(+-1 / sqrt(fan-in)) from the run's generator. Source ('src', not logged): 'rot' the pool's images each turned by
    a quarter-turn count drawn anew every epoch (torch.rot90), a 4-way head on the body, the cross-entropy; 'cls' the
    pool's digits 0-4, a 5-way head; 'none' no pretraining; Adam at 2e-3 on minibatches of 64 for 'pre' epochs; the
    source head is dropped. Target: a new 10-way head, U(+-1 / sqrt(fc)). Modes: 'lpft' the new head first fitted on
    the frozen body's features of the training images ('lp' full-batch Adam steps at 0.01 on their given labels, not
    logged), then every weight fine-tuned; 'ft' every weight fine-tuned from the random head; 'lp' the head alone
    trained (the body frozen throughout); 'top' the convolutions frozen throughout, the dense layer and the head fine-
    tuned after the head's linear probe as in 'lpft'. Fine-tuning: the cross-entropy at the given labels, Adam (AdamW
    with weight decay wd; SGD with momentum 0.9) at lr on minibatches of batch. Train loss: the cross-entropy of the
    training images at their given labels; test loss: that of the held-out images at their true labels; error rates:
    the misclassified shares. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(821_000 + c["seed"])
    x, y, xt, yt, xp, yp = digit_pool_split(g, c)
    yn = flip_labels(g, y, 10, c.get("flip"))
    ch, fc = c["ch"], c["fc"]
    body = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, 9 * ch, 2 * ch, ch, 3, 3),
                   uniform(g, 9 * ch, 2 * ch), uniform(g, 32 * ch, 32 * ch, fc), uniform(g, 32 * ch, fc)])
    C1, c1, C2, c2, Wf, bf = body

    def features(z):
        h = torch.relu(fn.conv2d(z, C1, c1, padding=1))
        h = fn.max_pool2d(torch.relu(fn.conv2d(h, C2, c2, padding=1)), 2)
        return torch.relu(h.flatten(1) @ Wf + bf)

    src = c["src"]
    if src != "none":
        if src == "rot":
            turns = torch.stack([torch.rot90(xp, k, (2, 3)) for k in range(4)])
            src_head = leaves([uniform(g, fc, fc, 4), uniform(g, fc, 4)])
            st = {}

            def loss_of(idx):
                i = torch.arange(len(xp)) if idx is None else idx
                return fn.cross_entropy(features(turns[st["k"][i], i]) @ src_head[0] + src_head[1], st["k"][i])

            opt = torch.optim.Adam(body + src_head, lr=2e-3)
            for _ in range(c["pre"]):
                st["k"] = torch.randint(0, 4, (len(xp),), generator=g)
                for idx in batches(g, len(xp), 64):
                    opt.zero_grad()
                    loss_of(idx).backward()
                    opt.step()
        else:
            keep = yp < 5
            xs, ys = xp[keep], yp[keep]
            src_head = leaves([uniform(g, fc, fc, 5), uniform(g, fc, 5)])
            pretrain(g, body + src_head,
                     lambda idx: fn.cross_entropy(features(take(xs, idx)) @ src_head[0] + src_head[1], take(ys, idx)),
                     len(xs), c["pre"], 64, 2e-3)
    head = leaves([uniform(g, fc, fc, 10), uniform(g, fc, 10)])
    mode = c["mode"]
    if mode in ("lpft", "top"):
        with torch.no_grad():
            phi = features(x)
        opt = torch.optim.Adam(head, lr=0.01)
        for _ in range(c["lp"]):
            opt.zero_grad()
            fn.cross_entropy(phi @ head[0] + head[1], yn).backward()
            opt.step()
    frozen = body if mode == "lp" else body[:4] if mode == "top" else []
    freeze(frozen, True)
    tuned = [q for q in body if all(q is not f for f in frozen)] + head
    opt = finetune_opt(c, [(tuned, c["lr"])])

    def forward(z):
        return features(z) @ head[0] + head[1]

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(body + head), len(y),
                {"family": "convnet", "channels": ch, "hidden": fc, "pooling": "max", "pretext": src},
                settings(c, ("seed", "n", "flip", "src", "pre", "ch", "fc", "mode", "lp", "opt", "lr", "wd", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "trainable": str(count(tuned)), "head": "new-random",
                   "source_task": {"rot": "rotation-pretext-4way", "cls": "digits-0-4", "none": "none"}[src],
                   "transfer": {"lpft": "linear-probe-then-full-finetune", "ft": "full-finetune", "lp": "linear-probe",
                                "top": "linear-probe-then-top-finetune-convs-frozen"}[mode],
                   "noise": "uniform-other-class" if c.get("flip") else "none", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-clean-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=10)
    train_until(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt))


def runs_lpft_rotnet_cnn():
    # The logic: 150 labelled digits of all ten classes, 20% of their labels flipped, 600 held out; the rest (about
    # 1,050 images) an unlabelled pool on which a small CNN (8 and 16 channels of 3 x 3, max pooling, 64 ReLU units;
    # 18,346 weights with the 10-way head, over a hundred a label, so fine-tuning can fit the flips) first learns the
    # rotation pretext for 10 epochs; then LP-FT: the new head fitted by 100 steps of a linear probe on the frozen
    # features, and every weight fine-tuned by Adam at 1e-3 on minibatches of 25 for 60 epochs. The pretrained
    # features make the clean labels easy and the flipped ones slow to fit, so the held-out loss first falls, then
    # rises as fine-tuning memorises the flips. One thing at a time besides: plain fine-tuning from a random head, a
    # linear probe alone (at the step 1e-2), the convolutions frozen, the supervised source (the pool's digits 0-4; LP-FT and plain
    # fine-tuning), no pretraining (from scratch), clean labels, 40% flipped (LP-FT and plain), 75 and 300 labelled
    # images, 2 and 30 pretext epochs, a probe of 20 steps, SGD with momentum at 0.01, AdamW (weight decay 0.05), the
    # steps 3e-4 and 3e-3, 16 channels. Evaluation spacing mixed.
    base = dict(n=150, test=600, flip=0.2, src="rot", pre=10, ch=8, fc=64, mode="lpft", lp=100, opt="adam", lr=1e-3,
                wd=None, batch=25, epochs=60, eval="every")
    return lpft_rotnet_cnn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(mode="ft", lp=None, eval="every"),
        dict(mode="lp", lp=None, lr=1e-2, eval="every:2"),
        dict(mode="top", eval="jitter:30"),
        dict(src="cls", eval="every"),
        dict(src="cls", mode="ft", lp=None, eval="every:2"),
        dict(src="none", pre=None, mode="ft", lp=None, eval="mixed:20:2"),
        dict(flip=None, eval="every"),
        dict(flip=0.4, eval="every:3"),
        dict(flip=0.4, mode="ft", lp=None, eval="every"),
        dict(n=75, eval="geom:2"),
        dict(n=300, eval="every:2"),
        dict(pre=2, eval="every"),
        dict(pre=30, eval="log:30"),
        dict(lp=20, eval="burst:10:4"),
        dict(opt="sgd", lr=0.01, eval="every"),
        dict(opt="adamw", wd=0.05, eval="every:2"),
        dict(lr=3e-4, eval="mixlog:20:30"),
        dict(lr=3e-3, eval="every"),
        dict(ch=16, eval="rand:30"),
    ], lambda d: "digits-n%d%s-%s%s-conv%d-fc%d-%s%s-%s-lr%g%s-b%d" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["src"],
        "%d" % d["pre"] if d.get("pre") else "", d["ch"], d["fc"], d["mode"], "%d" % d["lp"] if d.get("lp") else "",
        d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "", d["batch"]))


# ------------------------------------------------------------------------------------------------------ maskae-llrd-mlp


def maskae_llrd_mlp(w, run_id, c):
    """A masked-autoencoder-pretrained ReLU MLP fine-tuned with layer-wise decayed steps on the digits, float32. Data
    (from the run's generator): digit_pool_split, the images flattened to 64 pixels; a share flip of the n training
    labels replaced by another class (flip_labels). Encoder: 'depth' ReLU layers of width hid (64 -> hid -> ... ->
    hid), U(+-1 / sqrt(fan-in)) from the run's generator. Pretraining (not logged; 'pre' epochs, none where 0): on the
    pool's images, each epoch every image's pixels hidden (set to 0) with probability 'mask' (a fresh mask from the
    generator), a linear decoder hid -> 64 predicting all pixels from the encoding, the mean squared error on the hidden
    pixels; Adam at 1e-3 on minibatches of 50; the decoder is dropped. Fine-tuning: a new head hid -> 10,
    U(+-1 / sqrt(hid)); the head's step lr, the encoder's top layer's lr gamma, the next one's lr gamma^2, and so on
    down (gamma 0: the encoder frozen, a linear probe); AdamW (weight decay wd, decoupled), Adam or SGD with momentum 0.9
    on minibatches of batch, the cross-entropy at the given labels. Train loss: that cross-entropy; test loss: the
    cross-entropy of the held-out images at their true labels; error rates: the misclassified shares. A NaN or
    infinite loss ends the run."""
    g = torch.Generator().manual_seed(822_000 + c["seed"])
    x, y, xt, yt, xp, _ = digit_pool_split(g, c)
    x, xt, xp = x.flatten(1), xt.flatten(1), xp.flatten(1)
    yn = flip_labels(g, y, 10, c.get("flip"))
    hid, depth = c["hid"], c["depth"]
    sizes = [64] + [hid] * depth
    enc = leaves([t for a, b in zip(sizes, sizes[1:]) for t in (uniform(g, a, a, b), uniform(g, a, b))])

    def encode(z):
        for i in range(0, len(enc), 2):
            z = torch.relu(z @ enc[i] + enc[i + 1])
        return z

    if c["pre"]:
        dec = leaves([uniform(g, hid, hid, 64), uniform(g, hid, 64)])
        st = {}

        def loss_of(idx):
            hide = take(st["hide"], idx)
            z = take(xp, idx)
            r = encode(z * (1 - hide)) @ dec[0] + dec[1]
            return (((r - z) ** 2) * hide).sum() / hide.sum().clamp_min(1.0)

        opt = torch.optim.Adam(enc + dec, lr=1e-3)
        for _ in range(c["pre"]):
            st["hide"] = (torch.rand(xp.shape, generator=g) < c["mask"]).to(F32)
            for idx in batches(g, len(xp), 50):
                opt.zero_grad()
                loss_of(idx).backward()
                opt.step()
    head = leaves([uniform(g, hid, hid, 10), uniform(g, hid, 10)])
    gamma = c["gamma"]
    groups = [(head, c["lr"])]
    for j in range(depth):  # j = 0 the top layer
        layer = enc[2 * (depth - 1 - j):2 * (depth - j)]
        lr = c["lr"] * gamma ** (j + 1)
        freeze(layer, lr == 0)
        groups.append((layer, lr))
    opt = finetune_opt(c, groups)

    def forward(z):
        return encode(z) @ head[0] + head[1]

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(enc + head), len(y),
                {"family": "mlp", "width": hid, "depth": depth, "activation": "relu",
                 "pretext": "masked-autoencoder" if c["pre"] else "none"},
                settings(c, ("seed", "n", "flip", "mask", "pre", "hid", "depth", "gamma", "opt", "lr", "wd", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "head": "new-random", "layer_lr": "lr*gamma^k-from-top",
                   "trainable": str(count(head) + (count(enc) if gamma > 0 else 0)),
                   "transfer": "linear-probe" if gamma == 0 else "discriminative-finetune" if c["pre"] else "scratch",
                   "noise": "uniform-other-class" if c.get("flip") else "none", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-clean-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=10)
    train_until(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt))


def runs_maskae_llrd_mlp():
    # The logic: 200 labelled digits, 25% of their labels flipped, 600 held out, the rest (about 1,000 images) an
    # unlabelled pool on which a ReLU MLP encoder (64 -> 128 -> 128 -> 128; 42,634 weights with the head, two hundred a
    # label) learns for 30 epochs to fill in the half of each image's pixels that is hidden; then a new 10-way head and
    # the encoder fine-tuned by AdamW at 3e-3 (weight decay 0.01) on minibatches of 25 for 100 epochs, the steps decayed
    # by gamma 0.5 a layer down from the head (the top layer at half the head's step, the bottom at an eighth). The
    # layers with larger steps fit the flips sooner, so the held-out loss falls, then rises. One thing at a time
    # besides: gamma 1 (uniform steps), 0.8, 0.25, 0.1 and 0 (a linear probe), no pretraining (from scratch, uniform
    # steps), a quarter and three quarters of the pixels hidden, 5 pretraining epochs, clean labels, 40% flipped (at
    # gamma 0.5 and 0.1), 100 and 400 labelled images, width 256, Adam without weight decay, SGD with momentum at
    # 0.03, the step 1e-3, and full-batch AdamW. Evaluation spacing mixed.
    base = dict(n=200, test=600, flip=0.25, mask=0.5, pre=30, hid=128, depth=3, gamma=0.5, opt="adamw", lr=3e-3,
                wd=0.01, batch=25, epochs=100, eval="every")
    return maskae_llrd_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(gamma=1.0, eval="every:2"),
        dict(gamma=0.8, eval="every"),
        dict(gamma=0.25, eval="jitter:30"),
        dict(gamma=0.1, eval="every"),
        dict(gamma=0.0, eval="every:3"),
        dict(pre=0, mask=None, gamma=1.0, eval="every:2"),
        dict(mask=0.25, eval="every"),
        dict(mask=0.75, eval="mixed:20:3"),
        dict(pre=5, eval="every"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="geom:2"),
        dict(flip=0.4, gamma=0.1, eval="every"),
        dict(n=100, eval="burst:10:4"),
        dict(n=400, eval="every:3"),
        dict(hid=256, eval="every"),
        dict(opt="adam", wd=None, eval="log:30"),
        dict(opt="sgd", wd=None, lr=0.03, eval="every:2"),
        dict(lr=1e-3, eval="mixlog:20:30"),
        dict(batch=None, eval="rand:40"),
    ], lambda d: "digits-n%d%s-%s-mlp%dx%d-gamma%g-%s-lr%g%s-%s" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean",
        "mae%g-pre%d" % (d["mask"], d["pre"]) if d["pre"] else "scratch", d["depth"], d["hid"], d["gamma"], d["opt"],
        d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "", "b%d" % d["batch"] if d.get("batch") else "full"))


# ------------------------------------------------------------------------------------------------- surgical-block-shift


def teacher(g, c):
    """A two-layer tanh teacher on d inputs: h1 = tanh(x W1), h2 = tanh(h1 W2) (m units each, W1 N(0, 2 / d), W2
    N(0, 2 / m)), 8 source outputs h2 A (A N(0, 1 / m)) and the output-shift target's readout b (N(0, 1 / m)), all from
    g; returns hidden(x) = h2."""
    d, m = c["d"], c["m"]
    W1 = torch.randn(d, m, generator=g) * math.sqrt(2 / d)
    W2 = torch.randn(m, m, generator=g) * math.sqrt(2 / m)
    A = torch.randn(m, 8, generator=g) / math.sqrt(m)
    b = torch.randn(m, generator=g) / math.sqrt(m)

    def hidden(x):
        return torch.tanh(torch.tanh(x @ W1) @ W2)

    return hidden, A, b


def input_shift(g, d):
    """The target's input shift: a random rotation of the first d // 2 coordinates (the Q of a Gaussian matrix's QR
    factorisation) and every coordinate rescaled by exp(N(0, 0.3^2)); the student sees x M."""
    k = d // 2
    Q, _ = torch.linalg.qr(torch.randn(k, k, generator=g))
    M = torch.eye(d)
    M[:k, :k] = Q
    return M * torch.exp(0.3 * torch.randn(d, generator=g))


def surgical_block_shift(w, run_id, c):
    """Surgical fine-tuning of a residual MLP on a shifted regression, float32. Teacher (from the run's generator):
    teacher. Source (not logged): src_n inputs N(0, I_d), the 8 outputs standardised over them, plus noise of sd 0.1;
    the student (embedding d -> width, 'blocks' residual blocks h + relu(h V + v) W / 2 with V, W width x width, a head
    width -> out; U(+-1 / sqrt(fan-in)) from the run's generator) trained on them by Adam at 2e-3 on minibatches of 100
    for 'pre' epochs (none where 0). Target: n inputs N(0, I_d) and 2,000 test inputs; 'input' shift: the target the
    source's first output (standardised as there) of x, the student fed x M (input_shift); 'output' shift: the student
    fed x, the target h2 . b standardised over the test inputs. Training targets: a share 'mis' of them replaced by the
    target of another training point drawn at random (mislabelled), then Gaussian noise of sd 'sd' on all. A new head
    width -> 1 (U(+-1 / sqrt(width)); 'keep': the source head's first output instead), and only the part 'tune' trained
    besides the head: 'embed', 'block1' ... 'blockB', 'head' (the head alone) or 'all'; the rest frozen throughout.
    Full-batch Adam at lr (SGD with momentum 0.9 where opt is 'sgd'; minibatches of batch where set), the mean squared
    error. Train loss: the mean squared error on the training targets (mislabelled and noisy); test loss: the mean
    squared error against the clean target at the test inputs; no error rates. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(823_000 + c["seed"])
    d, width, B = c["d"], c["width"], c["blocks"]
    hidden, A, b = teacher(g, c)
    xs = torch.randn(c["src_n"], d, generator=g)
    ys = hidden(xs) @ A
    mu, sd = ys.mean(0), ys.std(0)
    ys = (ys - mu) / sd + 0.1 * torch.randn(ys.shape, generator=g)
    x = torch.randn(c["n"], d, generator=g)
    xt = torch.randn(2000, d, generator=g)
    if c["shift"] == "input":
        M = input_shift(g, d)

        def target(z):
            return ((hidden(z) @ A[:, 0]) - mu[0]) / sd[0]
        y, yt = target(x), target(xt)
        x, xt = x @ M, xt @ M
    else:
        ht = hidden(xt) @ b
        mb, sb = ht.mean(), ht.std()
        y, yt = (hidden(x) @ b - mb) / sb, (ht - mb) / sb
    yn = y.clone()
    if c.get("mis"):
        hit = torch.rand(len(y), generator=g) < c["mis"]
        other = torch.randint(0, len(y), (len(y),), generator=g)
        yn = torch.where(hit, y[other], y)
    yn = yn + c["sd"] * torch.randn(len(y), generator=g)
    embed = leaves([uniform(g, d, d, width), uniform(g, d, width)])
    blocks = [leaves([uniform(g, width, width, width), uniform(g, width, width), uniform(g, width, width, width),
                      uniform(g, width, width)]) for _ in range(B)]
    src_head = leaves([uniform(g, width, width, 8), uniform(g, width, 8)])

    def trunk(z):
        h = z @ embed[0] + embed[1]
        for V, v, W, w0 in blocks:
            h = h + 0.5 * (torch.relu(h @ V + v) @ W + w0)
        return h

    if c["pre"]:
        pretrain(g, embed + [q for bl in blocks for q in bl] + src_head,
                 lambda idx: ((trunk(take(xs, idx)) @ src_head[0] + src_head[1] - take(ys, idx)) ** 2).mean(),
                 len(xs), c["pre"], 100, 2e-3)
    if c.get("head") == "keep":
        head = leaves([src_head[0].detach()[:, :1].clone(), src_head[1].detach()[:1].clone()])
    else:
        head = leaves([uniform(g, width, width, 1), uniform(g, width, 1)])
    parts = {"embed": embed} | {"block%d" % (i + 1): bl for i, bl in enumerate(blocks)}
    tune = c["tune"]
    tuned = list(head)
    for name, ps in parts.items():
        on = tune == "all" or tune == name
        freeze(ps, not on)
        if on:
            tuned += ps
    opt = finetune_opt(c, [(tuned, c["lr"])])

    def forward(z):
        return (trunk(z) @ head[0] + head[1])[:, 0]

    def step(idx):
        opt.zero_grad()
        ((forward(take(x, idx)) - take(yn, idx)) ** 2).mean().backward()
        opt.step()

    run = w.run(run_id, count(embed + [q for bl in blocks for q in bl] + head), len(y),
                {"family": "residual-mlp", "width": width, "blocks": B, "activation": "relu", "input_dim": d},
                settings(c, ("seed", "d", "m", "src_n", "pre", "width", "blocks", "shift", "n", "mis", "sd", "tune",
                             "head", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "trainable": str(count(tuned)),
                   "transfer": "scratch" if not c["pre"] else "surgical-" + tune,
                   "source_task": "teacher-8-outputs" if c["pre"] else "none",
                   "noise": "swapped-targets-plus-gaussian" if c.get("mis") else "gaussian", "loss": "mse",
                   "test_loss": "mse-clean-target", "test_size": "2000"})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((forward(x) - yn) ** 2).mean(), ((forward(xt) - yt) ** 2).mean(), final=final)

    train_until(g, len(y), c, step, log)


def runs_surgical_block_shift():
    # The logic: a residual MLP (a 16 -> 64 embedding, 3 residual ReLU blocks of width 64, a head; 26,113 weights with
    # the new head) first fits 8 outputs of a two-layer tanh teacher (32 units a layer) on 2,000 source points for 30
    # epochs; the target task has 150 points, 20% of their targets swapped with another point's and Gaussian noise of
    # sd 0.3 on all, 2,000 clean test points, and is shifted at the input (the teacher's first source output of inputs
    # the student sees rotated in 8 of their 16 coordinates and rescaled) or at the output (a new readout of the
    # teacher's hidden units). A new head and one part of the network are tuned by full-batch Adam at 3e-3 for 300
    # epochs, the rest frozen. The part sets how much can be relearnt and how much noise can be fitted (a block has
    # 8,320 weights, the head 65), so the held-out loss falls as the shift is undone and rises as the noise is fitted.
    # The base tunes the embedding under the input shift (2 seeds); each of the 6 choices (embedding, blocks 1-3, the
    # head alone, all) under each shift; besides, under the input shift: no pretraining (all tuned from scratch), the
    # source head kept (its first output, which matches the target), clean targets (Gaussian noise only), 40% swapped,
    # 75 and 400 points, SGD with momentum at 0.01, minibatches of 25 (Adam at 1e-3). Evaluation spacing mixed.
    base = dict(d=16, m=32, src_n=2000, pre=30, width=64, blocks=3, shift="input", n=150, mis=0.2, sd=0.3,
                tune="embed", head="new", opt="adam", lr=3e-3, batch=None, epochs=300, eval="every:2")
    return surgical_block_shift, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(tune="block1", eval="every"),
        dict(tune="block2", eval="every:3"),
        dict(tune="block3", eval="jitter:40"),
        dict(tune="head", eval="every:2"),
        dict(tune="all", eval="every"),
        dict(shift="output", eval="every:2"),
        dict(shift="output", tune="block1", eval="geom:3"),
        dict(shift="output", tune="block2", eval="every"),
        dict(shift="output", tune="block3", eval="every:3"),
        dict(shift="output", tune="head", eval="mixed:40:4"),
        dict(shift="output", tune="all", eval="every:2"),
        dict(pre=0, tune="all", eval="every"),
        dict(head="keep", eval="log:40"),
        dict(mis=None, eval="every:2"),
        dict(mis=0.4, eval="burst:20:5"),
        dict(n=75, eval="every"),
        dict(n=400, eval="mixlog:30:40"),
        dict(opt="sgd", lr=0.01, eval="every:3"),
        dict(batch=25, lr=1e-3, epochs=150, eval="rand:60"),
    ], lambda d: "teacher-d%d-%s-shift-n%d%s-sd%g-resmlp%dx%d-%s-tune-%s%s-%s-lr%g%s" % (
        d["d"], d["shift"], d["n"], "-mis%g" % d["mis"] if d.get("mis") else "", d["sd"], d["blocks"], d["width"],
        "pre%d" % d["pre"] if d["pre"] else "scratch", d["tune"], "-keephead" if d.get("head") == "keep" else "",
        d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else "-full"))


FAMILIES = {"lpft-rotnet-cnn": runs_lpft_rotnet_cnn, "maskae-llrd-mlp": runs_maskae_llrd_mlp,
            "surgical-block-shift": runs_surgical_block_shift}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
