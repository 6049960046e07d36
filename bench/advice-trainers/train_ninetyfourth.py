#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, ninety-fourth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is long training under label noise, as in the studies of
epoch-wise double descent: networks at widths near and well past the size that just fits the noisy training set,
trained for many epochs with SGD with momentum, AdamW or RMSprop, with and without weight decay, the held-out
cross-entropy taken at the clean labels:

- epochdd-mlp-sgdm: a ReLU MLP (one hidden layer; two in 1 run) classifying scikit-learn's 8 x 8 digits (flattened;
  400 training images, 600 held out), float32, under minibatch SGD with momentum 0.9 (coupled L2 weight decay in part
  of the grid; plain SGD, AdamW and RMSprop in 1 run each), the hidden width from near the fitting threshold to far
  past it, 10-40% of the training labels replaced by another class, 300 epochs; in 1 run the right half of every
  image's columns scaled by 0.1 (features at a second, slower scale).
- epochdd-cnn-adamw: a small convolutional network (3 x 3 convolution 1 -> k channels, ReLU, 2 x 2 max pooling, 3 x 3
  convolution k -> k on the 4 x 4 map, ReLU, a linear layer to 10 logits) classifying the digits as images (300
  training, 600 held out), float32, under AdamW (decoupled weight decay 0, 0.05 or 0.5; Adam's L2, momentum SGD and
  RMSprop in 1 run each), the channels k from too few to fit the flips to far past the fitting threshold, 10-40% of the
  labels flipped, 120 epochs; in 1 run the right half of the columns scaled by 0.1.
- epochdd-cancer-rmsprop: a ReLU MLP (one hidden layer) classifying scikit-learn's breast cancer (30 columns
  standardised on 200 training patients, the other 369 held out), float32, under RMSprop (coupled L2 weight decay in
  part of the grid; momentum SGD and AdamW in 1 run each), the width from a few units to far past the fitting
  threshold, 10-40% of the labels flipped, 600 epochs; in 2 runs half the columns (a seeded choice) scaled by 0.1.

Train loss: the cross-entropy on the training points at their given (flipped) labels; test loss: the cross-entropy on
the held-out points at their true labels; error rates: the misclassified shares. A run whose loss turns NaN or
infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and
mlp from train_sixtyfifth.py, logger and train_until from train_seventyfourth.py, digit_images from
train_seventysixth.py and classifier_log from train_eightythird.py; one thread, every random draw from a seeded
torch.Generator (splits, label flips, initialisations, minibatches), synthetic event times, 6 significant digits. No
planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_ninetyfourth.py --family epochdd-mlp-sgdm [--list] [--runs 0,3] [--out FILE]

Families (see README.md): epochdd-mlp-sgdm, epochdd-cnn-adamw, epochdd-cancer-rmsprop. Evaluation spacings:
train.py's 'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's
'mixed:A:K', 'mixlog:A:K', 'geom:G', 'burst:P:B'.
"""
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
from train_seventyfourth import train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images  # noqa: E402  (the digits as 1 x 8 x 8 images, a seeded split)
from train_eightythird import classifier_log  # noqa: E402

torch.set_num_threads(1)

F32 = torch.float32

SETTING_KEYS = ("seed", "data", "n", "test", "flip", "cols", "hid", "depth", "ch", "opt", "lr", "mom", "wd", "batch",
                "eval")


# ---------------------------------------------------------------------------------------------------- shared


def noisy_data(g, c):
    """(x, given labels, xt, true labels, K) from the run's generator: 'digits' digit_images (n training, 'test'
    held-out images, 1 x 8 x 8, pixels / 16), the right half of the columns (4-7) times 'cols' where set; 'cancer'
    real_classes (breast cancer standardised on the n training patients, half the columns, a seeded choice, times
    'cols' where set, else 1), the held-out set cut to its first 'test' points where set. A share 'flip' of the training
    labels replaced by another class (flip_labels)."""
    if c["data"] == "digits":
        x, y, xt, yt = digit_images(g, c)
        if c.get("cols"):
            x, xt = x.clone(), xt.clone()
            x[:, :, :, 4:] *= c["cols"]
            xt[:, :, :, 4:] *= c["cols"]
        K = 10
    else:
        x, y, xt, yt, K = real_classes(g, "cancer", c["n"], c.get("cols") or 1.0, F32)
        if c.get("test"):
            xt, yt = xt[:c["test"]], yt[:c["test"]]
    return x, flip_labels(g, y, K, c.get("flip")), xt, yt, K


def make_opt(params, c):
    """'sgd': torch.optim.SGD, momentum 'mom' (0.9 unless set), coupled L2 weight decay wd; 'adamw': torch.optim.AdamW,
    decoupled weight decay wd (0 unless set, not torch's 0.01); 'adam': torch.optim.Adam with coupled L2 wd; 'rmsprop':
    torch.optim.RMSprop (alpha 0.99, eps 1e-8, no momentum), coupled L2 wd."""
    wd = c.get("wd") or 0.0
    if c["opt"] == "sgd":
        mom = 0.9 if c.get("mom") is None else c["mom"]
        return torch.optim.SGD(params, lr=c["lr"], momentum=mom, weight_decay=wd)
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=c["lr"], weight_decay=wd)
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=wd)
    return torch.optim.RMSprop(params, lr=c["lr"], alpha=0.99, eps=1e-8, weight_decay=wd)


def fit_noisy(w, run_id, c, g, params, forward, x, yn, xt, yt, K, model_info):
    """Minibatch training on the cross-entropy at the given labels (make_opt), evaluated by classifier_log: the
    cross-entropy and misclassified share on the training set at its given labels and on the held-out set at its true
    labels."""
    opt = make_opt(params, c)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    n = len(yn)
    wd = c.get("wd") or 0.0
    run = w.run(run_id, count(params), n, model_info,
                settings(c, SETTING_KEYS)
                | {"optimizer": c["opt"], "loss": "cross-entropy",
                   "weight_decay_kind": "none" if not wd else "decoupled" if c["opt"] == "adamw" else "l2-coupled",
                   "noise": "uniform-other-class" if c.get("flip") else "none",
                   "params_per_label": "%.3g" % (count(params) / n),
                   "test_loss": "heldout-ce-true-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=K)
    train_until(g, n, c, step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy))


def mlp_classifier(w, run_id, c, seed_base):
    """A ReLU MLP d -> hid (x depth) -> K (mlp_params: U(+-1 / sqrt(fan-in)) from the run's generator) on noisy_data,
    the digits flattened to 64 pixels, trained by fit_noisy."""
    g = torch.Generator().manual_seed(seed_base + c["seed"])
    x, yn, xt, yt, K = noisy_data(g, c)
    x, xt = x.flatten(1), xt.flatten(1)
    depth = c.get("depth") or 1
    params = mlp_params(g, [x.shape[1]] + [c["hid"]] * depth + [K], F32)
    fit_noisy(w, run_id, c, g, params, lambda z: mlp(params, z, torch.relu), x, yn, xt, yt, K,
              {"family": "mlp", "hidden": c["hid"], "depth": depth, "activation": "relu", "data": c["data"]})


def name_of(d):
    return "%s-n%d-%s%s-%s-lr%g%s%s-b%s" % (
        d["data"], d["n"], "flip%g" % d["flip"] if d.get("flip") else "clean",
        "-cols%g" % d["cols"] if d.get("cols") else "",
        "cnn%d" % d["ch"] if d.get("ch")
        else "mlp%s%d" % ("%dx" % d["depth"] if (d.get("depth") or 1) > 1 else "", d["hid"]),
        d["lr"], "" if d["opt"] == d["base_opt"] else "-" + d["opt"],
        ("-mom%g" % d["mom"] if d.get("mom") is not None else "") + ("-wd%g" % d["wd"] if d.get("wd") else ""),
        d["batch"] if d.get("batch") else "full")


# ---------------------------------------------------------------------------------------------------- epochdd-mlp-sgdm


def epochdd_mlp_sgdm(w, run_id, c):
    """A ReLU MLP on the noisy digits (mlp_classifier), float32; minibatch SGD with momentum (make_opt)."""
    mlp_classifier(w, run_id, c, 941_000)


def runs_epochdd_mlp_sgdm():
    # The logic: 400 digits, 20% of their labels flipped (about 80 wrong labels), a ReLU MLP 64 -> h -> 10 (75 h + 10
    # weights) under SGD with momentum 0.9 at 0.05 on minibatches of 50 (8 steps an epoch), 300 epochs, long past the
    # point where the clean part is learnt; 600 held-out images. The base width 256 (19,210 weights, about fifty a
    # label) is far past the size that just fits the flips, so the held-out cross-entropy should fall, rise as the
    # flipped labels are memorised, and (the epoch-wise double descent question) perhaps come down again once they are.
    # One thing at a time besides: widths 16, 32, 64 and 128 (near the threshold: 1,210 to 9,610 weights) and 1,024,
    # 10%, 30% and 40% flipped, L2 weight decay 5e-4 and 5e-3 (the latter also at width 64), the step 0.01 and 0.2,
    # plain SGD (no momentum), 200 images, two hidden layers of 128, the right half of the columns at scale 0.1, and
    # AdamW (1e-3, decoupled decay 0.05) and RMSprop (3e-4) as references. Evaluation spacing mixed.
    base = dict(data="digits", n=400, test=600, flip=0.2, cols=None, hid=256, depth=None, ch=None, opt="sgd", lr=0.05,
                mom=None, wd=None, batch=50, epochs=300, eval="every", base_opt="sgd")
    return epochdd_mlp_sgdm, strip_base(dict_runs(base, [
        dict(seeds=(1, 2), eval="every:2"),
        dict(hid=16, eval="every:3"),
        dict(hid=32, eval="jitter:40"),
        dict(hid=64, eval="every:2"),
        dict(hid=128, eval="mixed:60:4"),
        dict(hid=1024, eval="every:4"),
        dict(flip=0.1, eval="geom:3"),
        dict(flip=0.3, eval="every:2"),
        dict(flip=0.4, eval="log:40"),
        dict(wd=5e-4, eval="every"),
        dict(wd=5e-3, eval="every:3"),
        dict(hid=64, wd=5e-3, eval="burst:25:6"),
        dict(lr=0.01, eval="mixlog:40:40"),
        dict(lr=0.2, eval="every:2"),
        dict(mom=0.0, eval="rand:150"),
        dict(n=200, eval="every:2"),
        dict(hid=128, depth=2, eval="jitter:35"),
        dict(cols=0.1, eval="every:2"),
        dict(opt="adamw", lr=1e-3, wd=0.05, eval="every:2"),
        dict(opt="rmsprop", lr=3e-4, eval="geom:2"),
    ], name_of))


def strip_base(runs):
    """Drops the naming key base_opt from the runs' settings (it is no setting and no tag)."""
    for _, d in runs:
        d.pop("base_opt", None)
    return runs


# ---------------------------------------------------------------------------------------------------- epochdd-cnn-adamw


def epochdd_cnn_adamw(w, run_id, c):
    """A small convolutional network on the noisy digits images (noisy_data), float32: a 3 x 3 convolution 1 -> ch
    (padding 1), ReLU, 2 x 2 max pooling, a 3 x 3 convolution ch -> ch on the 4 x 4 map (padding 1), ReLU, a linear
    layer ch x 16 -> 10; every weight U(+-1 / sqrt(fan-in)) from the run's generator. Trained by fit_noisy (AdamW unless
    set)."""
    g = torch.Generator().manual_seed(942_000 + c["seed"])
    x, yn, xt, yt, K = noisy_data(g, c)
    ch = c["ch"]
    params = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, 9 * ch, ch, ch, 3, 3),
                     uniform(g, 9 * ch, ch), uniform(g, 16 * ch, 16 * ch, K), uniform(g, 16 * ch, K)])

    def forward(z):
        z = fn.max_pool2d(torch.relu(fn.conv2d(z, params[0], params[1], padding=1)), 2)
        z = torch.relu(fn.conv2d(z, params[2], params[3], padding=1)).flatten(1)
        return z @ params[4] + params[5]

    fit_noisy(w, run_id, c, g, params, forward, x, yn, xt, yt, K,
              {"family": "convnet", "channels": ch, "convs": 2, "pooling": "max", "data": "digits"})


def runs_epochdd_cnn_adamw():
    # The logic: 300 digit images, 20% of their labels flipped, a small convolutional network of k = 8 channels (1,954
    # weights, six a label: about the size that just fits the flips within the epochs) under AdamW at 3e-3 without
    # weight decay on minibatches of 50 (6 steps an epoch), 120 epochs; 600 held-out images. The held-out cross-entropy
    # should fall, rise as the flips are memorised and then show whether it comes down again. One thing at a time
    # besides: k = 2, 3, 4 and 6 (388 to 1,360 weights, too few to near the threshold) and 12 and 20 (3,358 and 7,030,
    # past it), 10%, 30% and 40% flipped, decoupled weight decay 0.05 and 0.5 (0.5 also at 40% flipped), the step 1e-3
    # and 1e-2, 150 images, the right half of the columns at scale 0.1, and Adam with L2 5e-4, momentum SGD (0.03) and
    # RMSprop (5e-4) as references. Evaluation spacing mixed.
    base = dict(data="digits", n=300, test=600, flip=0.2, cols=None, hid=None, depth=None, ch=8, opt="adamw",
                lr=3e-3, mom=None, wd=None, batch=50, epochs=120, eval="every", base_opt="adamw")
    return epochdd_cnn_adamw, strip_base(dict_runs(base, [
        dict(seeds=(1, 2), eval="every"),
        dict(ch=2, eval="every:2"),
        dict(ch=3, eval="jitter:40"),
        dict(ch=4, eval="every"),
        dict(ch=6, eval="mixed:50:3"),
        dict(ch=12, eval="every:2"),
        dict(ch=20, eval="geom:2"),
        dict(flip=0.1, eval="every"),
        dict(flip=0.3, eval="every:3"),
        dict(flip=0.4, eval="log:40"),
        dict(wd=0.05, eval="every:2"),
        dict(wd=0.5, eval="every"),
        dict(flip=0.4, wd=0.5, eval="burst:20:5"),
        dict(lr=1e-3, eval="mixlog:30:40"),
        dict(lr=1e-2, eval="every"),
        dict(n=150, eval="rand:60"),
        dict(cols=0.1, eval="every"),
        dict(opt="adam", wd=5e-4, eval="every:3"),
        dict(opt="sgd", lr=0.03, eval="jitter:35"),
        dict(opt="rmsprop", lr=5e-4, eval="every:2"),
    ], name_of))


# ---------------------------------------------------------------------------------------------- epochdd-cancer-rmsprop


def epochdd_cancer_rmsprop(w, run_id, c):
    """A ReLU MLP on the noisy breast cancer (mlp_classifier), float32; RMSprop unless set (make_opt)."""
    mlp_classifier(w, run_id, c, 943_000)


def runs_epochdd_cancer_rmsprop():
    # The logic: 200 breast-cancer patients, 20% of their labels flipped (about 40 wrong), a ReLU MLP 30 -> h -> 2 (33 h
    # + 2 weights) under RMSprop at 1e-3 on minibatches of 50 (4 steps an epoch), 600 epochs; the other 369 patients
    # held out. The base width 256 (8,450 weights, forty a label) fits the flips long before the end; the held-out
    # cross-entropy should fall to the clean fit, rise as the flips are memorised, and show whether it falls again.
    # One thing at a time besides: widths 4, 8, 16, 32 and 64 (from too small to fit the flips to near the threshold)
    # and 1,024, 10%, 30% and 40% flipped, L2 weight decay 1e-3 and 1e-2, the step 2e-4 and 5e-3, full batch (one step
    # an epoch), 100 patients, half the columns at scale 0.1 (at widths 256 and 16), and momentum SGD (0.05) and AdamW
    # (1e-3, decoupled decay 0.1) as references. Evaluation spacing mixed.
    base = dict(data="cancer", n=200, test=None, flip=0.2, cols=None, hid=256, depth=None, ch=None, opt="rmsprop",
                lr=1e-3, mom=None, wd=None, batch=50, epochs=600, eval="every", base_opt="rmsprop")
    return epochdd_cancer_rmsprop, strip_base(dict_runs(base, [
        dict(seeds=(1, 2), eval="every:4"),
        dict(hid=4, eval="jitter:40"),
        dict(hid=8, eval="every:4"),
        dict(hid=16, eval="mixed:80:5"),
        dict(hid=32, eval="every:3"),
        dict(hid=64, eval="geom:4"),
        dict(hid=1024, eval="every:5"),
        dict(flip=0.1, eval="every:4"),
        dict(flip=0.3, eval="log:40"),
        dict(flip=0.4, eval="every:2"),
        dict(wd=1e-3, eval="burst:40:8"),
        dict(wd=1e-2, eval="every:4"),
        dict(lr=2e-4, eval="mixlog:50:40"),
        dict(lr=5e-3, eval="every:3"),
        dict(batch=None, eval="every:4"),
        dict(n=100, eval="rand:150"),
        dict(cols=0.1, eval="every:4"),
        dict(hid=16, cols=0.1, eval="jitter:35"),
        dict(opt="sgd", lr=0.05, eval="every:5"),
        dict(opt="adamw", lr=1e-3, wd=0.1, eval="burst:50:6"),
    ], name_of))


FAMILIES = {"epochdd-mlp-sgdm": runs_epochdd_mlp_sgdm, "epochdd-cnn-adamw": runs_epochdd_cnn_adamw,
            "epochdd-cancer-rmsprop": runs_epochdd_cancer_rmsprop}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
