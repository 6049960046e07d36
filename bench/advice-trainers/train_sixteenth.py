#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixteenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, bench/src/main/java or bench/src/test,
neither docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was looked at, revised at most once (net-grow's and pseudo-label's, each with fewer
than 3 winning runs; README.md says how), and the runs were sorted by census.py alone), and made to differ
from the fifty-three families of train.py ... train_fifteenth.py in training procedure: the problem being fitted
changes on a fixed schedule, and the trainer says when the schedule ends. A network grown while it trains (Net2Net:
hidden units added every few epochs, each a copy of a unit it splits with, a fresh unit with a zero readout, or a
random one; identity layers inserted), on a ReLU teacher's regression and on scikit-learn's diabetes data, so that the
parameter count passes the number of training points during the run; curriculum learning by difficulty (the training
images or points ranked once by a difficulty score, the distance to the centroid of the labelled class against the
nearest other one or a ridge teacher's margin, easiest first, and admitted along a linear, square-root or stepwise
pacing function; anti-curriculum, random order, a pacing that stops short of the hardest points, and self-paced
selection of the points with the smallest current loss), on scikit-learn's digits and breast cancer and on a
synthetic softmax teacher, all with flipped labels; and self-training on pseudo-labels (Lee's pseudo-label: the
model's own argmax on unlabelled points relabelled at scheduled epochs, the unlabelled term's weight ramped up, a
confidence threshold or a confident share that grows from one relabelling to the next), on Gaussian blobs and on
scikit-learn's digits and breast cancer with a few labelled points.

Every run whose training changes on a schedule sends the string tag schedule_end: the last epoch at which the
schedule changes what is fitted (the network's units or layers, the admitted training points, the pseudo-labels or
the unlabelled term's weight), counted as the framework counts epochs: a change made before the training of epoch e + 1
(after the event of epoch e, at the start of epoch e counted from 0) is at epoch e, and a ramp's end is the epoch at
which it reaches its final value. The controls (a network of fixed size, every training point from the start, the
labelled points alone), some of them under a step decay of the learning rate only, send none. Each run checks that
the changes it made end at the epoch it announced.

The file format, determinism and helpers are the earlier files': Writer, the command line and the digits' loading
convention from train.py, epochs_of and settings from train_more.py, label_noise from train_fourth.py, rotation from
train_sixth.py, dict_runs from train_seventh.py and real_binary from train_thirteenth.py; one thread, every random
draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_sixteenth.py --family net-grow [--list] [--runs 0,3] [--out FILE]

Families (see README.md): net-grow, curriculum-pace, pseudo-label. Evaluation spacings: train.py's 'every',
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
from train_more import epochs_of, settings  # noqa: E402
from train_fourth import label_noise  # noqa: E402
from train_sixth import rotation  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirteenth import real_binary  # noqa: E402

torch.set_num_threads(1)


def with_end(tags, end):
    """The run's tags, plus schedule_end (a string, as every tag) where its training changes on a schedule."""
    if end is not None:
        tags["schedule_end"] = str(int(end))
    return tags


def check_end(run_id, end, changes):
    """The changes a run made must end where it said they would (no change, no tag)."""
    last = max(changes) if changes else None
    if last != end:
        raise AssertionError("%s: announced schedule_end %s, last change at epoch %s" % (run_id, end, last))


def lr_now(c, e):
    """The step at epoch e: c['lr'], times c['decay'] from epoch c['decay_at'] on (a step decay, which the controls
    use: a learning-rate schedule alone is no change of what is fitted)."""
    return c["lr"] * (c["decay"] if c.get("decay_at") is not None and e >= c["decay_at"] else 1.0)


def diabetes_split(g, n, noise):
    """scikit-learn's diabetes data split at random into n training patients and the rest for testing, inputs and
    progression standardised on the training patients, Gaussian noise of std `noise` added to the training targets."""
    from sklearn.datasets import load_diabetes
    X, Y = load_diabetes(return_X_y=True)
    X, Y = torch.tensor(X), torch.tensor(Y)
    perm = torch.randperm(len(Y), generator=g)
    tr, te = perm[:n], perm[n:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    Y = (Y - Y[tr].mean()) / Y[tr].std()
    return X[tr], Y[tr] + noise * torch.randn(n, generator=g), X[te], Y[te]


def flip_labels(g, y, K, rate):
    """A share `rate` of the labels replaced by another class drawn uniformly (symmetric noise)."""
    flip = torch.rand(len(y), generator=g) < rate
    return torch.where(flip, (y + torch.randint(1, K, (len(y),), generator=g)) % K, y)


# ---------------------------------------------------------------------------------------------------- net-grow


def growth_plan(c):
    """The network's scheduled changes as (epoch, kind, units): widening of the hidden layer by c['k'] units at epoch
    c['t_start'], then every c['T'] epochs, while its width is below c['h_max'] (the last step fills it up); identity
    layers inserted at each epoch of c['deepen_at']."""
    plan = []
    if c.get("grow"):
        h, e = c["h0"], c["t_start"]
        while h < c["h_max"]:
            k = min(c["k"], c["h_max"] - h)
            plan.append((e, "widen", k))
            h, e = h + k, e + c["T"]
    for e in c.get("deepen_at") or ():
        plan.append((e, "deepen", 0))
    plan.sort()
    assert all(0 < e < c["epochs"] for e, _, _ in plan)
    return plan


def net_grow(w, run_id, c):
    """A ReLU network grown while it trains, on a regression. Data: 'synth', d Gaussian inputs, the target a ReLU
    teacher of kt units (unit weight vectors over all inputs, a random readout, standardised to power F) plus label
    noise of std c['noise'] (Gaussian, or Student-t with c['dof'] degrees of freedom), n training points and 2,000 test
    points, noise included; 'diabetes', diabetes_split (n training patients, the other 442 - n for testing, noise of
    std c['noise'] added to the training targets). Model: f(x) = relu(... relu(x W1 + b1) ...) . a + a0, one hidden
    layer of width h0 to start, W1 He-scaled, the readout a at 1/sqrt(h0), zero biases. Growth (growth_plan), at the
    start of the scheduled epochs: 'split' (Net2WiderNet, function-preserving): each new unit copies the incoming
    weights and bias of a unit drawn at random from the layer (plus Gaussian noise of std 0.01 sqrt(2 / fan-in) that
    breaks the symmetry), and the two share the old unit's readout, half each; 'fresh': new units with He-scaled
    incoming weights, zero bias and zero readout (function-preserving too, but new features); 'random': the same with
    a readout at 1/sqrt(new width) (the function jumps); 'deepen' (Net2DeeperNet): an identity layer (weights I, zero
    bias) inserted under the readout, exact for ReLU. The optimizer is rebuilt after each change (its momentum or
    moments restart). Full-batch heavy ball (momentum c['mom']), minibatches of c['batch'] under heavy ball, or Adam,
    at step c['lr'] (times c['decay'] from epoch c['decay_at'] in a control); the mean squared error, autograd,
    float64. Train loss: the squared error on the (noisy) training targets; test loss: on the test points.
    param_count: the final network's weights and biases. schedule_end: the epoch of the last growth. Grid
    (runs_net_grow; 19 settings, 1-2 seeds, 21 runs): the synthetic base n 500, d 20, kt 32, F 4, noise 1, h0 5 grown by
    splitting, 5 units every 100 epochs from epoch 100 to width 100 (the last growth at epoch 1,900), heavy ball at
    step 0.005 (momentum 0.9), 3,000 epochs; one setting at a time fresh or random new units, 5 units every 10 epochs
    from epoch 10, growth from epoch 1,000, one widening by 95 units at epoch 1,000, growth that stops at width 25,
    noise 0.3 or 2, Adam (step 0.002), minibatches of 50 (5 units every 50 epochs, 1,500 epochs), width 32 deepened
    at epochs 500 and 1,500, n 200; diabetes (n 300, noise 0.5, 2 seeds) grown from 2 to 64 units, 2 every 50 epochs;
    controls of fixed widths 5, 100 and 25, 64 on diabetes, and 100 under a step decay (x0.1 at epoch 1,500). Revised
    once (README)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(49_000 + c["seed"])
    if c["data"] == "synth":
        d, kt = c["d"], c["kt"]
        V = torch.randn(kt, d, generator=g)
        V /= V.norm(dim=1, keepdim=True)
        ct = torch.randn(kt, generator=g)
        ref = torch.relu(torch.randn(20_000, d, generator=g) @ V.T) @ ct
        mu_t, sd_t = ref.mean(), ref.std()

        def draw(m):
            z = torch.randn(m, d, generator=g)
            return z, (math.sqrt(c["F"]) * (torch.relu(z @ V.T) @ ct - mu_t) / sd_t
                       + c["noise"] * label_noise(g, m, c.get("dof") or 0))

        x, y = draw(c["n"])
        xt, yt = draw(2000)
    else:
        x, y, xt, yt = diabetes_split(g, c["n"], c["noise"])
    n, d = x.shape
    h0 = c["h0"]
    hidden = [[torch.randn(d, h0, generator=g) * math.sqrt(2.0 / d), torch.zeros(h0)]]
    a, a0 = torch.randn(h0, generator=g) / math.sqrt(h0), torch.zeros(1)
    plan = growth_plan(c)
    end = plan[-1][0] if plan else None
    h_end = c["h_max"] if c.get("grow") else h0
    depth_end = 1 + len(c.get("deepen_at") or ())
    param_end = d * h_end + h_end + (depth_end - 1) * (h_end * h_end + h_end) + h_end + 1

    def params():
        return [q for layer in hidden for q in layer] + [a, a0]

    def make_opt(e):
        for q in params():
            q.requires_grad_()
        if c["opt"] == "adam":
            return torch.optim.Adam(params(), lr=lr_now(c, e))
        return torch.optim.SGD(params(), lr=lr_now(c, e), momentum=c.get("mom") or 0.0)

    def predict(z):
        for W, b in hidden:
            z = torch.relu(z @ W + b)
        return z @ a + a0

    def widen(k):
        nonlocal a
        W, b = [q.detach().clone() for q in hidden[-1]]
        an = a.detach().clone()
        fan = W.shape[0]
        if c["grow"] == "split":
            for _ in range(k):
                j = int(torch.randint(W.shape[1], (1,), generator=g))
                col = W[:, j] + 0.01 * math.sqrt(2.0 / fan) * torch.randn(fan, generator=g)
                W = torch.cat([W, col.unsqueeze(1)], 1)
                b = torch.cat([b, b[j:j + 1]])
                an[j] = an[j] / 2
                an = torch.cat([an, an[j:j + 1]])
        else:
            W = torch.cat([W, torch.randn(fan, k, generator=g) * math.sqrt(2.0 / fan)], 1)
            b = torch.cat([b, torch.zeros(k)])
            new = torch.zeros(k) if c["grow"] == "fresh" else torch.randn(k, generator=g) / math.sqrt(W.shape[1])
            an = torch.cat([an, new])
        hidden[-1] = [W, b]
        a = an

    def deepen():
        h = hidden[-1][0].shape[1]
        hidden.append([torch.eye(h), torch.zeros(h)])

    opt = make_opt(0)
    run = w.run(run_id, param_end, n,
                {"family": "mlp-grown", "start_width": h0, "final_width": h_end, "final_depth": depth_end,
                 "input_dim": d, "growth": c.get("grow") or ("deepen" if c.get("deepen_at") else "none")},
                with_end(settings(c, ("seed", "data", "n", "d", "kt", "F", "noise", "dof", "h0", "grow", "k", "T",
                                      "t_start", "h_max", "deepen_at", "opt", "lr", "mom", "batch", "decay",
                                      "decay_at", "eval"))
                         | {"optimizer": c["opt"], "loss": "mse"}, end))
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    todo, done = list(plan), []
    e = 0
    for p in pts:
        while e < p:
            changed = False
            while todo and todo[0][0] == e:
                _, kind, k = todo.pop(0)
                with torch.no_grad():
                    if kind == "widen":
                        widen(k)
                    else:
                        deepen()
                changed = True
                done.append(e)
            if changed:
                opt = make_opt(e)
            for group in opt.param_groups:
                group["lr"] = lr_now(c, e)
            idx = torch.randperm(n, generator=g) if bsz < n else None
            for j in range(0, n, bsz):
                xb, yb = (x, y) if idx is None else (x[idx[j:j + bsz]], y[idx[j:j + bsz]])
                opt.zero_grad()
                ((predict(xb) - yb) ** 2).mean().backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((predict(x) - y) ** 2).mean(), ((predict(xt) - yt) ** 2).mean(), final=e == pts[-1])
    check_end(run_id, end, done)
    assert sum(q.numel() for q in params()) == param_end
    torch.set_default_dtype(torch.float32)


def runs_net_grow():
    # Revised once (README): the first grid had n 200, kt 8, F 2, h0 2, k 2, h_max 40 (the one-shot row h0 4, k 36;
    # the threshold row h_max 10; the sample-size row n 100; the fixed rows widths 2, 40, 10 and 40 under the decay)
    base = dict(data="synth", n=500, d=20, kt=32, F=4.0, noise=1.0, dof=None, h0=5, grow="split", k=5, T=100,
                t_start=100, h_max=100, deepen_at=None, opt="hb", lr=0.005, mom=0.9, batch=None, decay=None,
                decay_at=None, epochs=3000, eval="log:30")
    fixed = dict(grow=None, k=None, T=None, t_start=None, h_max=None)
    diabetes = dict(data="diabetes", n=300, d=None, kt=None, F=None, noise=0.5, h0=2, k=2, h_max=64, T=50, t_start=50)
    return net_grow, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(grow="fresh", eval="every:2"),
        dict(grow="random", eval="jitter:30"),
        dict(T=10, t_start=10, eval="every:3"),
        dict(t_start=1000, eval="log:35"),
        dict(k=95, t_start=1000, eval="every:4"),
        dict(h_max=25, eval="rand:300"),
        dict(noise=0.3, eval="every:5"),
        dict(noise=2.0, eval="jitter:35"),
        dict(opt="adam", lr=0.002, mom=None, eval="log:40"),
        dict(batch=50, T=50, t_start=50, epochs=1500, eval="every:10"),
        dict(fixed, h0=32, deepen_at=(500, 1500), eval="every:2"),
        dict(diabetes, seeds=(1, 2), eval="log:30"),
        dict(n=200, eval="every:3"),
        dict(fixed, eval="log:30"),
        dict(fixed, h0=100, eval="every:2"),
        dict(fixed, h0=25, eval="jitter:30"),
        dict(diabetes, **fixed, h0=64, eval="every:5"),
        dict(fixed, h0=100, decay=0.1, decay_at=1500, eval="log:35"),
    ], lambda d: "%s-n%d-noise%g-%s-%s%s" % (
        d["data"], d["n"], d["noise"], grow_name(d), d["opt"], "-b%d" % d["batch"] if d.get("batch") else ""))


def grow_name(d):
    if d.get("deepen_at"):
        return "h%d-deepen@%s" % (d["h0"], "+".join(str(e) for e in d["deepen_at"]))
    if not d.get("grow"):
        return "h%d-fixed%s" % (d["h0"], "-decay@%d" % d["decay_at"] if d.get("decay_at") else "")
    return "h%d-to%d-%s%dper%d-from%d" % (d["h0"], d["h_max"], d["grow"], d["k"], d["T"], d["t_start"])


# ---------------------------------------------------------------------------------------------------- curriculum-pace


def pace(c, e):
    """The share of the training points admitted at epoch e: 'none' 1; 'linear' f0 + (1 - f0) e / T up to 1; 'root'
    (Platanios et al.'s competence) sqrt(f0^2 + (1 - f0^2) e / T) up to 1; 'step' (Hacohen and Weinshall's exponential
    pacing) f0 inc^floor(e / T) up to 1; 'stop' f0 + (f_end - f0) min(e / T, 1), which never admits the hardest
    1 - f_end."""
    kind = c["pace"]
    if kind == "none":
        return 1.0
    if kind == "linear":
        return min(1.0, c["f0"] + (1 - c["f0"]) * e / c["T"])
    if kind == "root":
        return min(1.0, math.sqrt(c["f0"] ** 2 + (1 - c["f0"] ** 2) * e / c["T"]))
    if kind == "step":
        return min(1.0, c["f0"] * c["inc"] ** (e // c["T"]))
    return c["f0"] + (c["f_end"] - c["f0"]) * min(e / c["T"], 1.0)


def admitted(c, e, n):
    return max(1, min(n, int(math.ceil(pace(c, e) * n - 1e-9))))


def curriculum_pace(w, run_id, c):
    """Curriculum learning by difficulty on flipped labels. Data: 'digits', scikit-learn's 8x8 digits (pixels in
    [0, 1]), n training images and the other images (clean) as the test set; 'cancer', breast cancer as
    train_thirteenth's real_binary split (n patients, inputs standardised on them; the rest the test set), two
    classes; 'synth', d Gaussian inputs and K classes drawn from the softmax of a linear teacher's logits of power F
    (the argmax after Gumbel noise), n training points and 2,000 test points with their drawn labels. A share
    c['flip'] of the training labels replaced by another class at random. Difficulty, scored once before training on
    the training points with their (noisy) labels: 'centroid', the squared distance to the centroid of the labelled
    class minus that to the nearest other class's centroid; 'teacher', minus the margin of the labelled class (its
    score less the best other score) under a ridge regression of the one-hot labels on the inputs (ridge n, a
    transfer teacher fitted once); 'random', a random order; 'anti', the centroid score reversed (hardest first);
    'spl', self-paced: at every epoch the points with the smallest current loss. At epoch e the admitted set is the
    admitted(e) = ceil(pace(e) n) easiest points; the training step sees only them. Model: linear logits from zero,
    or a one-hidden-layer ReLU network of width h ('mlp'; the first layer He-scaled, the readout from zero), on the
    cross-entropy. Full-batch heavy ball (momentum c['mom']), for the linear model at step c['lr'] over the largest
    eigenvalue of the training inputs' Gram matrix (with the constant), for the network at step c['lr']; or Adam at
    step c['lr']; times c['decay'] from epoch c['decay_at'] in a control. Autograd, float64. Train loss: the
    cross-entropy on the admitted points the last step used (the starting set at epoch 0), with their error rate;
    test loss: the cross-entropy on the test labels, with the error rate. schedule_end: the last epoch at which the
    number of admitted points changes (from there every epoch trains on the same set: all points, or the fixed
    easiest share of 'stop'). Grid (runs_curriculum_pace; 20 settings, 1-2 seeds, 22 runs): the base the digits, n
    500, 30% flipped, linear, the centroid score, linear pacing from 0.2 over 1,000 epochs, heavy ball at 1 over the
    top eigenvalue (momentum 0.9), 3,000 epochs; one setting at a time the teacher score, random order,
    anti-curriculum, self-paced selection, stepwise pacing (0.1, doubled every 150 epochs), root pacing over 300
    epochs, linear pacing over 2,500, pacing that stops at 0.7, 10% flipped, Adam (step 0.01), the ReLU network of
    width 64 (step 0.05, 2,000 epochs, pacing over 700) or 512 (1,000 epochs, pacing over 400); breast cancer (n 400,
    20% flipped) and the synthetic teacher (n 400, d 40, K 4, F 9, 20% flipped, 2 seeds); controls without a
    curriculum on the digits (2 seeds), with the network of width 64, on breast cancer and on the synthetic teacher
    under a step decay (x0.1 at epoch 1,000). Not revised."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(50_000 + c["seed"])
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        xs, ys = load_digits(return_X_y=True)
        xs, ys = torch.tensor(xs / 16.0), torch.tensor(ys)
        perm = torch.randperm(len(xs), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        x, y, xt, yt = xs[tr], ys[tr], xs[te], ys[te]
        K = 10
    elif c["data"] == "cancer":
        x, y, xt, yt = real_binary(g, "cancer", c["n"])
        y, yt = ((y + 1) / 2).long(), ((yt + 1) / 2).long()
        K = 2
    else:
        d, K = c["d"], c["K"]
        Wt = torch.randn(d, K, generator=g) * math.sqrt(c["F"] / d)

        def draw(m):
            z = torch.randn(m, d, generator=g)
            u = torch.rand(m, K, generator=g).clamp(1e-300, 1.0)
            return z, (z @ Wt - torch.log(-torch.log(u))).argmax(1)

        x, y = draw(c["n"])
        xt, yt = draw(2000)
    y = flip_labels(g, y, K, c["flip"])
    n, d = x.shape
    onehot = torch.nn.functional.one_hot(y, K).double()
    x1 = torch.cat([x, torch.ones(n, 1)], 1)
    score = c.get("score")
    if score in ("centroid", "anti"):
        counts = onehot.sum(0).clamp_min(1.0)
        mu = (onehot.T @ x) / counts.unsqueeze(1)
        dist = torch.cdist(x, mu) ** 2
        own = dist.gather(1, y.unsqueeze(1)).squeeze(1)
        other = torch.where(onehot > 0, torch.full_like(dist, math.inf), dist).min(1).values
        s = own - other
        order = torch.sort(-s if score == "anti" else s, stable=True).indices
    elif score == "teacher":
        A = torch.linalg.solve(x1.T @ x1 + n * torch.eye(d + 1), x1.T @ onehot)
        f = x1 @ A
        own = f.gather(1, y.unsqueeze(1)).squeeze(1)
        other = torch.where(onehot > 0, torch.full_like(f, -math.inf), f).max(1).values
        order = torch.sort(other - own, stable=True).indices
    elif score == "random":
        order = torch.randperm(n, generator=g)
    else:
        order = torch.arange(n)  # 'spl' ranks by the current loss; 'none' admits everything
    counts_e = [admitted(c, e, n) for e in range(c["epochs"])]
    changes = [e for e in range(1, c["epochs"]) if counts_e[e] != counts_e[e - 1]]
    end = changes[-1] if changes and c["pace"] != "none" else None
    if c["model"] == "mlp":
        h = c["h"]
        params = [(torch.randn(d, h, generator=g) * math.sqrt(2.0 / d)).requires_grad_(),
                  torch.zeros(h, requires_grad=True), torch.zeros(h, K, requires_grad=True),
                  torch.zeros(K, requires_grad=True)]

        def logits(z):
            return torch.relu(z @ params[0] + params[1]) @ params[2] + params[3]
        base_lr = c["lr"]
    else:
        params = [torch.zeros(d, K, requires_grad=True), torch.zeros(K, requires_grad=True)]

        def logits(z):
            return z @ params[0] + params[1]
        top = torch.linalg.eigvalsh(x1.T @ x1 / n)[-1].item()
        base_lr = c["lr"] if c["opt"] == "adam" else c["lr"] / top
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=base_lr)
    else:
        opt = torch.optim.SGD(params, lr=base_lr, momentum=c["mom"])
    ce = torch.nn.functional.cross_entropy
    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "softmax-" + c["model"], "classes": K, "input_dim": d,
                 "curriculum": "none" if c["pace"] == "none" else c["score"]},
                with_end(settings(c, ("seed", "data", "n", "d", "K", "F", "flip", "score", "pace", "f0", "f_end", "inc",
                                      "T", "model", "h", "opt", "lr", "mom", "decay", "decay_at", "eval"))
                         | {"optimizer": c["opt"], "loss": "cross-entropy"}, end),
                output_dim=K)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    sel = order[:counts_e[0]]
    seen, e = [], 0
    for p in pts:
        while e < p:
            m = counts_e[e]
            if e > 0 and m != counts_e[e - 1]:
                seen.append(e)
            if score == "spl" and m < n:
                with torch.no_grad():
                    cur = ce(logits(x), y, reduction="none")
                sel = torch.sort(cur, stable=True).indices[:m]
            else:
                sel = order[:m]
            for group in opt.param_groups:
                group["lr"] = base_lr * lr_now(c, e) / c["lr"]
            opt.zero_grad()
            ce(logits(x[sel]), y[sel]).backward()
            opt.step()
            e += 1
        with torch.no_grad():
            f, ft = logits(x[sel]), logits(xt)
            run.log(e, ce(f, y[sel]), ce(ft, yt), (f.argmax(1) != y[sel]).double().mean(),
                    (ft.argmax(1) != yt).double().mean(), final=e == pts[-1])
    check_end(run_id, end, seen if c["pace"] != "none" else [])
    torch.set_default_dtype(torch.float32)


def runs_curriculum_pace():
    base = dict(data="digits", n=500, d=None, K=None, F=None, flip=0.3, score="centroid", pace="linear", f0=0.2,
                f_end=None, inc=None, T=1000, model="linear", h=None, opt="hb", lr=1.0, mom=0.9, decay=None,
                decay_at=None, epochs=3000, eval="log:30")
    none = dict(score=None, pace="none", f0=None, T=None)
    mlp = dict(model="mlp", h=64, lr=0.05, epochs=2000, T=700)
    cancer = dict(data="cancer", n=400, flip=0.2)
    synth = dict(data="synth", n=400, d=40, K=4, F=9.0, flip=0.2)
    return curriculum_pace, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(score="teacher", eval="every:3"),
        dict(score="random", eval="jitter:30"),
        dict(score="anti", eval="every:2"),
        dict(score="spl", eval="log:35"),
        dict(pace="step", f0=0.1, inc=2.0, T=150, eval="every:4"),
        dict(pace="root", T=300, eval="rand:300"),
        dict(T=2500, eval="every:5"),
        dict(pace="stop", f_end=0.7, eval="jitter:35"),
        dict(flip=0.1, eval="every:10"),
        dict(opt="adam", lr=0.01, mom=None, eval="log:30"),
        dict(mlp, eval="log:40"),
        dict(mlp, h=512, epochs=1000, T=400, eval="every:2"),
        dict(cancer, eval="log:30"),
        dict(synth, seeds=(1, 2), eval="jitter:30"),
        dict(none, seeds=(1, 2), eval="log:30"),
        dict(mlp, **none, eval="every:5"),
        dict(none, **cancer, eval="every:3"),
        dict(none, **synth, decay=0.1, decay_at=1000, eval="log:35"),
    ], lambda d: "%s-n%d-flip%g-%s-%s-%s%s" % (
        d["data"], d["n"], d["flip"], pace_name(d), "mlp%d" % d["h"] if d["model"] == "mlp" else "linear", d["opt"],
        "-decay@%d" % d["decay_at"] if d.get("decay_at") else ""))


def pace_name(d):
    if d["pace"] == "none":
        return "all"
    extra = {"step": "-x%g" % (d.get("inc") or 0), "stop": "-to%g" % (d.get("f_end") or 0)}.get(d["pace"], "")
    return "%s-%s%g%s-T%d" % (d["score"], d["pace"], d["f0"], extra, d["T"])


# ---------------------------------------------------------------------------------------------------- pseudo-label


def refresh_epochs(c):
    """The epochs at whose start the unlabelled points are relabelled: c['t1'], then every c['r_every'] epochs up to
    c['r_stop'] (once, at t1, without r_every)."""
    if not c.get("alpha"):
        return []
    if not c.get("r_every"):
        return [c["t1"]]
    return list(range(c["t1"], c["r_stop"] + 1, c["r_every"]))


def alpha_at(c, e):
    """The unlabelled term's weight at epoch e: 0 up to epoch t1, then linear to alpha at epoch t2 (Lee's ramp; a step
    at t1 when t2 = t1), alpha from there."""
    if not c.get("alpha") or e < c["t1"]:
        return 0.0
    t2 = c.get("t2") or c["t1"]
    return c["alpha"] if e >= t2 else c["alpha"] * (e - c["t1"]) / (t2 - c["t1"])


def pseudo_label(w, run_id, c):
    """Self-training on pseudo-labels (Lee 2013). Data: 'blobs', K Gaussian classes in d dimensions, unit covariance,
    the class means c['sep'] apart (along K orthonormal directions of one random rotation), the class uniform; n_l
    labelled points, a share c['flip'] of their labels replaced by another class at random, n_u unlabelled points
    (labels unseen), 2,000 test points with clean labels; 'digits', scikit-learn's 8x8 digits (pixels in [0, 1]) in a
    random order: n_l labelled (flipped as above), n_u unlabelled, the rest (clean) the test set; 'cancer', breast
    cancer as train_thirteenth's real_binary split of n_l + n_u patients (inputs standardised on them), the first n_l
    labelled (flipped), the next n_u unlabelled, the rest the test set. Model: linear logits from zero, or a
    one-hidden-layer ReLU network of width h ('mlp'; the first layer He-scaled, the readout from zero). Loss: the
    cross-entropy on the labelled points plus alpha_at(e) times the mean cross-entropy of the selected unlabelled points
    against their pseudo-labels. The pseudo-labels are the model's own argmax on the unlabelled points, set at each
    epoch of refresh_epochs and held between them; selected are the points whose predicted probability then is at least
    c['tau'] (every point without tau), or, with c['share'], the most confident share q_j = min(1, share (j + 1)) of
    them at the j-th relabelling (curriculum labelling). The controls (alpha 0) fit the labelled points alone.
    Full-batch heavy ball (momentum c['mom']), for the linear model at step c['lr'] over the largest eigenvalue of the
    Gram matrix of the labelled and unlabelled inputs (with the constant), for the network at step c['lr']; or Adam at
    step c['lr']; times c['decay'] from epoch c['decay_at'] in a control. Autograd, float64. Train loss: the
    cross-entropy on the (noisy) labelled points, with their error rate; test loss: the cross-entropy on the clean test
    labels, with the error rate. train_size: the labelled points. schedule_end: the later of the last relabelling and
    the end of the weight's ramp. Grid (runs_pseudo_label; 18 settings, 1-2 seeds, 21 runs): the base blobs, d 10, K 3,
    sep 4, n_l 60 (15% flipped), n_u 1,500, linear, alpha 1 ramped over epochs 100-600, relabelled every 100 epochs
    from 100 to 1,500, heavy ball at 1 over the top eigenvalue (momentum 0.9), 3,000 epochs; one setting at a time one
    relabelling at epoch 300 (the weight switched on there), relabelling every 20 epochs to 2,800, tau 0.9, the
    confident share 0.2, 0.4, ... at relabellings every 300 epochs from 300, alpha 3, an early schedule (ramp over
    epochs 10-50, relabelled every 10 epochs to 200), 30% flipped, n_l 30, the ReLU network of width 64 (step 0.05),
    Adam (step 0.01); the digits (n_l 100, 10% flipped, n_u 1,000; linear with 2 seeds, and the network) and breast
    cancer (n_l 40, 10% flipped, n_u 300); controls on the labelled points alone: blobs (2 seeds), the digits, the
    network on blobs, and breast cancer under a step decay (x0.1 at epoch 1,000). Revised once (README)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(51_000 + c["seed"])
    nl, nu = c["n_l"], c["n_u"]
    if c["data"] == "blobs":
        d, K = c["d"], c["K"]
        mu = c["sep"] / math.sqrt(2) * rotation(g, d)[:K]

        def draw(m):
            lab = torch.randint(K, (m,), generator=g)
            return mu[lab] + torch.randn(m, d, generator=g), lab

        x, y = draw(nl)
        xu, _ = draw(nu)
        xt, yt = draw(2000)
    elif c["data"] == "digits":
        from sklearn.datasets import load_digits
        xs, ys = load_digits(return_X_y=True)
        xs, ys = torch.tensor(xs / 16.0), torch.tensor(ys)
        perm = torch.randperm(len(xs), generator=g)
        x, y = xs[perm[:nl]], ys[perm[:nl]]
        xu = xs[perm[nl:nl + nu]]
        xt, yt = xs[perm[nl + nu:]], ys[perm[nl + nu:]]
        K = 10
    else:
        xa, ya, xt, yt = real_binary(g, "cancer", nl + nu)
        x, y, xu = xa[:nl], ((ya[:nl] + 1) / 2).long(), xa[nl:]
        yt = ((yt + 1) / 2).long()
        K = 2
    y = flip_labels(g, y, K, c["flip"])
    d = x.shape[1]
    refresh = refresh_epochs(c)
    t2 = c.get("t2") or c.get("t1")
    end = max(refresh[-1], t2) if refresh else None
    if c["model"] == "mlp":
        h = c["h"]
        params = [(torch.randn(d, h, generator=g) * math.sqrt(2.0 / d)).requires_grad_(),
                  torch.zeros(h, requires_grad=True), torch.zeros(h, K, requires_grad=True),
                  torch.zeros(K, requires_grad=True)]

        def logits(z):
            return torch.relu(z @ params[0] + params[1]) @ params[2] + params[3]
        base_lr = c["lr"]
    else:
        params = [torch.zeros(d, K, requires_grad=True), torch.zeros(K, requires_grad=True)]

        def logits(z):
            return z @ params[0] + params[1]
        xa1 = torch.cat([torch.cat([x, xu]), torch.ones(nl + nu, 1)], 1)
        top = torch.linalg.eigvalsh(xa1.T @ xa1 / (nl + nu))[-1].item()
        base_lr = c["lr"] if c["opt"] == "adam" else c["lr"] / top
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=base_lr)
    else:
        opt = torch.optim.SGD(params, lr=base_lr, momentum=c["mom"])
    ce = torch.nn.functional.cross_entropy
    run = w.run(run_id, sum(q.numel() for q in params), nl,
                {"family": "softmax-" + c["model"], "classes": K, "input_dim": d,
                 "self_training": "pseudo-label" if refresh else "none", "unlabelled": nu},
                with_end(settings(c, ("seed", "data", "n_l", "n_u", "d", "K", "sep", "flip", "alpha", "t1", "t2",
                                      "r_every", "r_stop", "tau", "share", "model", "h", "opt", "lr", "mom", "decay",
                                      "decay_at", "eval"))
                         | {"optimizer": c["opt"], "loss": "cross-entropy"}, end),
                output_dim=K)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    alphas = [alpha_at(c, e) for e in range(c["epochs"])]
    seen = [e for e in range(1, c["epochs"]) if alphas[e] != alphas[e - 1]]
    pl, pick = None, None
    e = 0
    for p in pts:
        while e < p:
            if e in refresh:
                seen.append(e)
                with torch.no_grad():
                    prob = torch.softmax(logits(xu), 1)
                conf, pl = prob.max(1)
                if c.get("tau"):
                    pick = (conf >= c["tau"]).nonzero().squeeze(1)
                elif c.get("share"):
                    q = min(1.0, c["share"] * (refresh.index(e) + 1))
                    pick = torch.sort(-conf, stable=True).indices[:max(1, int(math.ceil(q * nu - 1e-9)))]
                else:
                    pick = torch.arange(nu)
            for group in opt.param_groups:
                group["lr"] = base_lr * lr_now(c, e) / c["lr"]
            opt.zero_grad()
            loss = ce(logits(x), y)
            if alphas[e] > 0 and len(pick) > 0:
                loss = loss + alphas[e] * ce(logits(xu[pick]), pl[pick])
            loss.backward()
            opt.step()
            e += 1
        with torch.no_grad():
            f, ft = logits(x), logits(xt)
            run.log(e, ce(f, y), ce(ft, yt), (f.argmax(1) != y).double().mean(), (ft.argmax(1) != yt).double().mean(),
                    final=e == pts[-1])
    check_end(run_id, end, seen)
    torch.set_default_dtype(torch.float32)


def runs_pseudo_label():
    # Revised once (README): the first grid's blobs had d 30 and sep 3
    base = dict(data="blobs", n_l=60, n_u=1500, d=10, K=3, sep=4.0, flip=0.15, alpha=1.0, t1=100, t2=600,
                r_every=100, r_stop=1500, tau=None, share=None, model="linear", h=None, opt="hb", lr=1.0, mom=0.9,
                decay=None, decay_at=None, epochs=3000, eval="log:30")
    sup = dict(alpha=None, t1=None, t2=None, r_every=None, r_stop=None)
    mlp = dict(model="mlp", h=64, lr=0.05)
    digits = dict(data="digits", n_l=100, n_u=1000, d=None, K=None, sep=None, flip=0.1)
    cancer = dict(data="cancer", n_l=40, n_u=300, d=None, K=None, sep=None, flip=0.1)
    return pseudo_label, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(t1=300, t2=None, r_every=None, r_stop=None, eval="every:3"),
        dict(r_every=20, r_stop=2800, eval="every:2"),
        dict(tau=0.9, eval="jitter:30"),
        dict(t1=300, t2=None, r_every=300, share=0.2, eval="log:35"),
        dict(alpha=3.0, eval="every:4"),
        dict(t1=10, t2=50, r_every=10, r_stop=200, eval="rand:300"),
        dict(flip=0.3, eval="every:5"),
        dict(n_l=30, eval="jitter:35"),
        dict(mlp, eval="every:10"),
        dict(opt="adam", lr=0.01, mom=None, eval="log:40"),
        dict(digits, seeds=(1, 2), eval="log:30"),
        dict(digits, **mlp, eval="every:2"),
        dict(cancer, eval="every:3"),
        dict(sup, seeds=(1, 2), eval="log:30"),
        dict(sup, **digits, eval="jitter:30"),
        dict(sup, **mlp, eval="every:2"),
        dict(sup, **cancer, decay=0.1, decay_at=1000, eval="every:5"),
    ], lambda d: "%s-nl%d-nu%d-flip%g-%s-%s-%s" % (
        d["data"], d["n_l"], d["n_u"], d["flip"], pl_name(d), "mlp%d" % d["h"] if d["model"] == "mlp" else "linear",
        d["opt"]))


def pl_name(d):
    if not d.get("alpha"):
        return "supervised" + ("-decay@%d" % d["decay_at"] if d.get("decay_at") else "")
    s = "alpha%g-from%d" % (d["alpha"], d["t1"])
    if d.get("t2"):
        s += "-ramp%d" % d["t2"]
    s += "-relabel%s" % ("%dto%d" % (d["r_every"], d["r_stop"]) if d.get("r_every") else "once")
    if d.get("tau"):
        s += "-tau%g" % d["tau"]
    if d.get("share"):
        s += "-share%g" % d["share"]
    return s


FAMILIES = {"net-grow": runs_net_grow, "curriculum-pace": runs_curriculum_pace, "pseudo-label": runs_pseudo_label}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
