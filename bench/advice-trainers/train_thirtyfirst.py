#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, thirty-first held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained or looked at, revised at most once (README.md says where and why), and the runs were
sorted by census.py alone), and made to differ from the ninety-eight families of train.py ... train_thirtieth.py in
model, loss, optimizer, noise and data: a tomographic image reconstructed from its noisy parallel-beam projections
by the algebraic reconstruction technique (Kaczmarz's row projections, ordered-subset SART, SIRT), judged by the
image's squared error against the true phantom (an inverse problem whose iterations semi-converge); a linear-chain
conditional random field (structured prediction over tag sequences, the forward algorithm's log-partition) with word
identity and dense word features, trained by full-batch Rprop on the sequence negative log-likelihood with tags slipped
to a neighbour's, judged by the per-token negative log-likelihood of clean test sequences; and a restricted Boltzmann
machine (a binary latent-variable model) trained by contrastive divergence (CD-k, persistent CD) on binary vectors
with flipped bits, judged by its exact held-out negative log-likelihood (the partition function by enumerating the
hidden states) in excess of the true density's. The file format, determinism and helpers are the earlier files':
Writer and the command line from train.py, epochs_of, settings and lr_factor from train_more.py, dict_runs from
train_seventh.py, batches from train_twentyfirst.py and set_lr from train_twentyeighth.py; one thread, every random
draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_thirtyfirst.py --family art-tomography [--list] [--runs 0,3] [--out FILE]

Families (see README.md): art-tomography, crf-chain, rbm-cd. Evaluation spacings: train.py's 'every', 'every:K',
'log:K' and train_more.py's 'jitter:K', 'rand:M'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import torch  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import epochs_of, lr_factor, settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches  # noqa: E402
from train_twentyeighth import set_lr  # noqa: E402

torch.set_num_threads(1)


# ---------------------------------------------------------------------------------------------------- art-tomography


def projector(N, angles, det):
    """The parallel-beam projection matrix (len(angles) * det rays x N * N pixels, float64): ray (a, j) is the line at
    angle angles[a] (radians) and offset j - (det - 1) / 2 pixels from the image's centre, its line integral
    approximated by samples every 0.25 pixel, each bilinearly interpolated between the four nearest pixel centres."""
    th = torch.tensor(angles, dtype=torch.float64)
    t = torch.arange(det, dtype=torch.float64) - (det - 1) / 2
    s = torch.arange(-det / 2, det / 2, 0.25, dtype=torch.float64) + 0.125
    co, si = th.cos()[:, None, None], th.sin()[:, None, None]
    u = t[None, :, None] * co - s[None, None, :] * si + (N - 1) / 2
    v = t[None, :, None] * si + s[None, None, :] * co + (N - 1) / 2
    rows = (torch.arange(len(angles))[:, None, None] * det + torch.arange(det)[None, :, None]).expand_as(u)
    u0, v0 = u.floor(), v.floor()
    fu, fv = u - u0, v - v0
    A = torch.zeros(len(angles) * det, N * N, dtype=torch.float64)
    for du in (0, 1):
        for dv in (0, 1):
            iu, iv = (u0 + du).long(), (v0 + dv).long()
            wt = (fu if du else 1 - fu) * (fv if dv else 1 - fv) * 0.25
            ok = (iu >= 0) & (iu < N) & (iv >= 0) & (iv < N) & (wt > 0)
            A.index_put_((rows[ok], iv[ok] * N + iu[ok]), wt[ok], accumulate=True)
    return A


def phantom(g, c):
    """The true image (N x N, float64). 'ellipses': a Shepp-Logan-like phantom drawn from g, on coordinates in [-1, 1]:
    a body ellipse of density 1 (half-axes 0.85 and 0.7, turned by up to 0.3 radian), 4 organs (half-axes 0.12-0.35,
    densities +-0.2-0.4, centres within 0.4 of the middle) and 6 small details (half-axes 0.04-0.1, density +-c['detail'],
    centres within 0.55); 'digits': one of scikit-learn's 8 x 8 digits (pixels / 16) drawn by g, each pixel an
    N / 8 x N / 8 block."""
    N = c["N"]
    if c["phantom"] == "digits":
        from sklearn.datasets import load_digits
        x = load_digits().data
        i = int(torch.randint(0, len(x), (1,), generator=g))
        img = torch.tensor(x[i].reshape(8, 8) / 16.0, dtype=torch.float64)
        return torch.kron(img, torch.ones(N // 8, N // 8, dtype=torch.float64))
    p = (torch.arange(N, dtype=torch.float64) - (N - 1) / 2) / (N / 2)
    Y, X = torch.meshgrid(p, p, indexing="ij")
    img = torch.zeros(N, N, dtype=torch.float64)

    def ellipse(cx, cy, a, b, phi, rho):
        xr = (X - cx) * math.cos(phi) + (Y - cy) * math.sin(phi)
        yr = -(X - cx) * math.sin(phi) + (Y - cy) * math.cos(phi)
        img.add_(rho * ((xr / a) ** 2 + (yr / b) ** 2 <= 1).double())

    def U(lo, hi, k):
        return (lo + (hi - lo) * torch.rand(k, generator=g, dtype=torch.float64)).tolist()

    ellipse(0.0, 0.0, 0.85, 0.7, U(-0.3, 0.3, 1)[0], 1.0)
    for cx, cy, a, b, phi, rho, sg in zip(U(-0.4, 0.4, 4), U(-0.4, 0.4, 4), U(0.12, 0.35, 4), U(0.12, 0.35, 4),
                                          U(0, math.pi, 4), U(0.2, 0.4, 4), U(-1, 1, 4)):
        ellipse(cx, cy, a, b, phi, rho if sg > 0 else -rho)
    for cx, cy, a, b, phi, sg in zip(U(-0.55, 0.55, 6), U(-0.55, 0.55, 6), U(0.04, 0.1, 6), U(0.04, 0.1, 6),
                                     U(0, math.pi, 6), U(-1, 1, 6)):
        ellipse(cx, cy, a, b, phi, c["detail"] if sg > 0 else -c["detail"])
    return img


def art_tomography(w, run_id, c):
    """Tomographic reconstruction by the algebraic reconstruction technique, float64. The phantom (N x N pixels) is
    measured by c['A'] parallel-beam projections at angles evenly spaced over c['range'] degrees, each of
    ceil(N sqrt 2) rays one pixel apart (projector; the rays that miss the image dropped), with noise: 'gauss',
    Gaussian of standard deviation c['noise'] times the root mean square of the clean projections; 'counts', a
    transmission scan with c['I0'] photons a ray, Poisson counts of I0 exp(-mu p) (mu scaling the largest line integral
    p to an attenuation of 2), the log-transformed counts divided by mu; 'spikes', the Gaussian noise and a share
    c['spikes'] of the rays moved by +-0.3 times the largest projection (detector glitches). The image starts at zero
    and is updated by (c['method']): 'art', Kaczmarz's method (Kaczmarz 1937; Gordon, Bender & Herman 1970), one row
    at a time x += lam (b_i - a_i . x) / |a_i|^2 a_i, the rows in scan order ('cyclic'), in a fresh random order every
    sweep ('random') or forward then backward ('symmetric', both one sweep); 'sart', ordered-subset SART (Andersen & Kak
    1984), one block an angle in scan order, x += lam C_B^-1 A_B^T R_B^-1 (b_B - A_B x) (R and C the row and column
    sums); 'sirt', the same with all rays in one block. Where c['nonneg'], the image is clipped at 0 after every sweep
    (art) or block. One epoch is one sweep through the rays. Train loss: the mean squared residual of the measured
    projections; test loss: the mean squared error of the image against the true phantom per pixel, or (c['test']
    'rays') the mean squared error of clean projections at the angles half-way between the measured ones. Grid
    (runs_art_tomography; 20 settings, 1-2 seeds, 21 runs): the base, a 24 x 24 ellipse phantom, details +-0.3, 12
    angles over 180 degrees, Gaussian noise 3%, cyclic Kaczmarz at relaxation 0.25, 400 sweeps (2 seeds); one setting
    at a time 6 or 24 angles, 48 (200 sweeps), no noise or 10%, 2,000-photon counts, 2% spikes, relaxation 0.05 (1,000
    sweeps) or 1, a random order, a symmetric sweep, 120 degrees (limited angle), the non-negativity constraint, SART at
    0.5, SIRT at 1 (3,000 sweeps), 32 x 32 pixels, details +-0.1, a digit phantom, and the test on held-out rays."""
    g = torch.Generator().manual_seed(120_000 + c["seed"])
    N = c["N"]
    det = int(math.ceil(N * math.sqrt(2)))
    x_true = phantom(g, c).reshape(-1)
    ang = [math.radians(c["range"]) * k / c["A"] for k in range(c["A"])]
    A = projector(N, ang, det)
    keep = A.sum(1) > 1e-9
    A = A[keep]
    p = A @ x_true
    if c["noise_kind"] == "counts":
        mu = 2.0 / float(p.max())
        counts = torch.poisson(c["I0"] * torch.exp(-mu * p), generator=g).clamp(min=1.0)
        b = -torch.log(counts / c["I0"]) / mu
    else:
        b = p + c["noise"] * float(p.pow(2).mean().sqrt()) * torch.randn(len(p), generator=g, dtype=torch.float64)
        if c["noise_kind"] == "spikes":
            hit = torch.rand(len(p), generator=g) < c["spikes"]
            sign = torch.where(torch.rand(len(p), generator=g) < 0.5, -1.0, 1.0).double()
            b = torch.where(hit, b + 0.3 * float(p.max()) * sign, b)
    if c["test"] == "rays":
        At = projector(N, [a + math.radians(c["range"]) / (2 * c["A"]) for a in ang], det)
        At = At[At.sum(1) > 1e-9]
        pt = At @ x_true
    An, bn, xt = A.numpy(), b.numpy(), x_true.numpy()
    nrm = (An ** 2).sum(1)
    rsum, csum = An.sum(1), An.sum(0)
    blocks = []
    if c["method"] == "sart":
        ray_angle = torch.arange(c["A"])[:, None].expand(c["A"], det).reshape(-1)[keep].numpy()
        blocks = [np.nonzero(ray_angle == a)[0] for a in range(c["A"])]
    elif c["method"] == "sirt":
        blocks = [np.arange(len(An))]
    blk = []
    for idx in blocks:
        cs = An[idx].sum(0)
        blk.append((An[idx], bn[idx], rsum[idx], np.where(cs > 0, 1.0 / np.where(cs > 0, cs, 1.0), 0.0)))
    lam = c["lam"]
    x = np.zeros(N * N)
    run = w.run(run_id, N * N, len(An), {"family": "art-reconstruction", "pixels": N * N, "rays": len(An)},
                settings(c, ("seed", "N", "phantom", "detail", "A", "range", "noise_kind", "noise", "I0", "spikes",
                             "method", "order", "lam", "nonneg", "test", "eval"))
                | {"optimizer": c["method"], "test_loss": "image-mse" if c["test"] == "image" else "heldout-rays-mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for q in pts:
        while e < q:
            if c["method"] == "art":
                if c["order"] == "random":
                    order = torch.randperm(len(An), generator=g).tolist()
                elif c["order"] == "symmetric":
                    order = list(range(len(An))) + list(range(len(An) - 1, -1, -1))
                else:
                    order = range(len(An))
                for i in order:
                    a = An[i]
                    x += (lam * (bn[i] - a @ x) / nrm[i]) * a
                if c.get("nonneg"):
                    np.maximum(x, 0.0, out=x)
            else:
                for Ab, bb, rb, cinv in blk:
                    x += lam * cinv * (Ab.T @ ((bb - Ab @ x) / rb))
                    if c.get("nonneg"):
                        np.maximum(x, 0.0, out=x)
            e += 1
        train_loss = float(((An @ x - bn) ** 2).mean())
        if c["test"] == "rays":
            test_loss = float(((At.numpy() @ x - pt.numpy()) ** 2).mean())
        else:
            test_loss = float(((x - xt) ** 2).mean())
        run.log(e, train_loss, test_loss, final=e == pts[-1])


def runs_art_tomography():
    base = dict(N=24, phantom="ellipses", detail=0.3, A=12, range=180, noise_kind="gauss", noise=0.03, I0=None,
                spikes=None, method="art", order="cyclic", lam=0.25, nonneg=None, test="image", epochs=400,
                eval="log:35")
    return art_tomography, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(A=6, eval="every:2"),
        dict(A=24, eval="jitter:35"),
        dict(A=48, epochs=200, eval="every:2"),
        dict(noise=0.0, eval="log:40"),
        dict(noise=0.1, eval="every:2"),
        dict(noise_kind="counts", noise=None, I0=2000, eval="rand:150"),
        dict(noise_kind="spikes", spikes=0.02, eval="every:3"),
        dict(lam=0.05, epochs=1000, eval="log:35"),
        dict(lam=1.0, eval="every:2"),
        dict(order="random", eval="jitter:30"),
        dict(order="symmetric", eval="jitter:35"),
        dict(range=120, eval="every:3"),
        dict(nonneg=True, eval="log:35"),
        dict(method="sart", order=None, lam=0.5, eval="every:4"),
        dict(method="sirt", order=None, lam=1.0, epochs=3000, eval="every:15"),
        dict(N=32, eval="every:3"),
        dict(detail=0.1, eval="log:30"),
        dict(phantom="digits", detail=None, eval="log:35"),
        dict(test="rays", eval="every:2"),
    ], lambda d: "N%d-%s%s-A%d-range%d-%s-%s%s-lam%g%s-test-%s" % (
        d["N"], d["phantom"], "-detail%g" % d["detail"] if d.get("detail") is not None else "", d["A"], d["range"],
        "counts%d" % d["I0"] if d["noise_kind"] == "counts" else "gauss%g%s" % (
            d["noise"], "-spikes%g" % d["spikes"] if d["noise_kind"] == "spikes" else ""), d["method"],
        "-" + d["order"] if d.get("order") else "", d["lam"], "-nonneg" if d.get("nonneg") else "", d["test"]))


# ---------------------------------------------------------------------------------------------------- crf-chain


def crf_data(g, c):
    """Tag sequences from a hidden Markov chain over K tags (transition logits c['stick'] on the diagonal plus standard
    normals; the first tag uniform) and words from V (emission logits c['beta'] times standard normals G[k, w] plus a
    Zipfian log-frequency -log(rank + 1), so most words are rare). Each word has dense features phi(w) (d of them): a
    random linear map (d x K, standard normals / sqrt K) of its emission column G[:, w] plus c['enoise'] standard
    normals, standardised (what pretrained word vectors would carry). Training: n sequences of length L, a share
    c['tnoise'] of their tags slipped ('neighbour': replaced by the tag of the left or right neighbour, a boundary
    error; 'uniform': by another tag drawn uniformly); test: 400 clean sequences."""
    K, V, L = c["K"], c["V"], c["L"]
    P = torch.softmax(c["stick"] * torch.eye(K, dtype=torch.float64)
                      + torch.randn(K, K, generator=g, dtype=torch.float64), 1)
    G = torch.randn(K, V, generator=g, dtype=torch.float64)
    E = torch.softmax(c["beta"] * G - torch.log(torch.arange(V, dtype=torch.float64) + 1), 1)
    d = c.get("d") or 1
    Q = torch.randn(d, K, generator=g, dtype=torch.float64) / math.sqrt(K)
    phi = (Q @ G).T + (c.get("enoise") or 0.0) * torch.randn(V, d, generator=g, dtype=torch.float64)
    phi = (phi - phi.mean(0)) / phi.std(0)

    def sample(n):
        tags = torch.zeros(n, L, dtype=torch.long)
        tags[:, 0] = torch.randint(0, K, (n,), generator=g)
        for t in range(1, L):
            tags[:, t] = torch.multinomial(P[tags[:, t - 1]], 1, generator=g).squeeze(1)
        words = torch.multinomial(E[tags.reshape(-1)], 1, generator=g).view(n, L)
        return words, tags

    x, y = sample(c["n"])
    xt, yt = sample(400)
    if c.get("tnoise"):
        hit = torch.rand(c["n"], L, generator=g) < c["tnoise"]
        if c["tkind"] == "uniform":
            other = (y + torch.randint(1, K, (c["n"], L), generator=g)) % K
        else:
            left = torch.cat([y[:, 1:2], y[:, :-1]], 1)
            right = torch.cat([y[:, 1:], y[:, -2:-1]], 1)
            other = torch.where(torch.rand(c["n"], L, generator=g) < 0.5, left, right)
        y = torch.where(hit, other, y)
    return x, y, xt, yt, phi


def crf_nll(em, tags, trans, start):
    """The summed negative log-likelihood of tag sequences under a linear-chain CRF (Lafferty, McCallum & Pereira
    2001): emission scores em (B x L x K), transition scores trans[k, k'], start scores; the log-partition by the forward
    algorithm."""
    B, L, K = em.shape
    gold = em.gather(2, tags.unsqueeze(2)).sum() + start[tags[:, 0]].sum() + trans[tags[:, :-1], tags[:, 1:]].sum()
    alpha = start + em[:, 0]
    for t in range(1, L):
        alpha = torch.logsumexp(alpha.unsqueeze(2) + trans, 1) + em[:, t]
    return torch.logsumexp(alpha, 1).sum() - gold


def crf_chain(w, run_id, c):
    """A linear-chain CRF for sequence labelling, float64: emission score of tag k at word w U[w, k] (word identity;
    off where c['ident'] is None) + phi(w) . M[:, k] (dense features; off where c['d'] is None) + b_k, transition scores
    T[k, k'] and start scores (off, a per-token softmax classifier, where c['chain'] is None), all from zero, so the
    objective is convex. Loss: the training sequences' negative log-likelihood per token, plus c['l2'] / 2 times the
    squared weights (CRFsuite's c2). Optimizer: full-batch Rprop (Riedmiller & Braun 1993; torch.optim.Rprop, first
    step c['lr'], etas 0.5 and 1.2), L-BFGS (history 10, one iteration an epoch, strong Wolfe line search), full-batch
    gradient descent, or Adagrad on minibatches of c['batch'] sequences. Train loss: the per-token NLL of the training
    tags (slipped); test loss: the per-token NLL of 400 clean test sequences. Data: crf_data. Grid (runs_crf_chain; 20
    settings, 1-2 seeds, 21 runs): the base, K 5 tags, stickiness 2, V 300 words, beta 1.5, 16 dense features with noise
    1, 60 sequences of 15 tokens, 15% of the tags slipped to a neighbour's, Rprop from a step of 0.01, 500 epochs (2
    seeds); one setting at a time 30 or 200 sequences, no slips or 30%, 15% uniform tag noise, 1,000 words, no dense
    features, dense features alone, beta 0.7, 10 tags, no transitions, L2 0.01, L-BFGS (200 epochs), gradient descent
    at 2 (2,000 epochs), Adagrad at 0.3 on minibatches of 10 sequences (300 epochs), 23 sequences of 40 tokens, Rprop
    from a step of 0.1, dense feature noise 3, and stickiness 0."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(121_000 + c["seed"])
    x, y, xt, yt, phi = crf_data(g, c)
    K, V = c["K"], c["V"]
    params = {}
    if c.get("ident"):
        params["U"] = torch.zeros(V, K)
    if c.get("d"):
        params["M"] = torch.zeros(c["d"], K)
    params["b"] = torch.zeros(K)
    if c.get("chain"):
        params["T"] = torch.zeros(K, K)
        params["s"] = torch.zeros(K)
    for q in params.values():
        q.requires_grad_()
    plist = list(params.values())
    zero_kk, zero_k = torch.zeros(K, K), torch.zeros(K)

    def nll(words, tags):
        em = params["b"].expand(words.shape + (K,))
        if "U" in params:
            em = em + params["U"][words]
        if "M" in params:
            em = em + phi[words] @ params["M"]
        return crf_nll(em, tags, params.get("T", zero_kk), params.get("s", zero_k)) / tags.numel()

    def objective(words, tags):
        f = nll(words, tags)
        if c.get("l2"):
            f = f + 0.5 * c["l2"] * sum((q ** 2).sum() for k, q in params.items())
        return f

    if c["opt"] == "rprop":
        opt = torch.optim.Rprop(plist, lr=c["lr"], etas=(0.5, 1.2), step_sizes=(1e-6, 50.0))
    elif c["opt"] == "lbfgs":
        opt = torch.optim.LBFGS(plist, lr=c["lr"], max_iter=1, history_size=10, line_search_fn="strong_wolfe")
    elif c["opt"] == "adagrad":
        opt = torch.optim.Adagrad(plist, lr=c["lr"])
    else:
        opt = torch.optim.SGD(plist, lr=c["lr"])
    run = w.run(run_id, sum(q.numel() for q in plist), y.numel(),
                {"family": "linear-chain-crf", "tags": K, "vocab": V, "dense": c.get("d") or 0},
                settings(c, ("seed", "K", "stick", "V", "beta", "d", "enoise", "ident", "chain", "n", "L", "tnoise",
                             "tkind", "l2", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "test_loss": "clean-token-nll"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            if c["opt"] == "lbfgs":
                def closure():
                    opt.zero_grad()
                    f = objective(x, y)
                    f.backward()
                    return f
                opt.step(closure)
            else:
                for idx in batches(g, len(x), c.get("batch")):
                    xb, yb = (x, y) if idx is None else (x[idx], y[idx])
                    opt.zero_grad()
                    objective(xb, yb).backward()
                    opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, nll(x, y), nll(xt, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_crf_chain():
    base = dict(K=5, stick=2.0, V=300, beta=1.5, d=16, enoise=1.0, ident=True, chain=True, n=60, L=15, tnoise=0.15,
                tkind="neighbour", l2=None, opt="rprop", lr=0.01, batch=None, epochs=500, eval="log:35")
    return crf_chain, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=30, eval="every:2"),
        dict(n=200, eval="jitter:35"),
        dict(tnoise=None, tkind=None, eval="log:40"),
        dict(tnoise=0.3, eval="every:3"),
        dict(tkind="uniform", eval="rand:150"),
        dict(V=1000, eval="every:2"),
        dict(d=None, enoise=None, eval="log:35"),
        dict(ident=None, eval="every:4"),
        dict(beta=0.7, eval="jitter:30"),
        dict(K=10, eval="every:3"),
        dict(chain=None, eval="log:35"),
        dict(l2=0.01, eval="every:2"),
        dict(opt="lbfgs", lr=1.0, epochs=200, eval="log:30"),
        dict(opt="gd", lr=2.0, epochs=2000, eval="every:10"),
        dict(opt="adagrad", lr=0.3, batch=10, epochs=300, eval="every"),
        dict(n=23, L=40, eval="jitter:35"),
        dict(lr=0.1, eval="log:35"),
        dict(enoise=3.0, eval="every:4"),
        dict(stick=0.0, eval="every:5"),
    ], lambda d: "K%d-stick%g-V%d-beta%g%s%s%s-n%d-L%d%s-%s%g%s%s" % (
        d["K"], d["stick"], d["V"], d["beta"], "-d%d-enoise%g" % (d["d"], d["enoise"]) if d.get("d") else "-nodense",
        "" if d.get("ident") else "-noident", "" if d.get("chain") else "-nochain", d["n"], d["L"],
        "-%s%g" % (d["tkind"], d["tnoise"]) if d.get("tnoise") else "", d["opt"], d["lr"],
        "-l2%g" % d["l2"] if d.get("l2") else "", "-b%d" % d["batch"] if d.get("batch") else ""))


# ---------------------------------------------------------------------------------------------------- rbm-cd


def bars_and_stripes(side):
    """Every pattern of full rows or full columns on a side x side grid (2^(side + 1) - 2 distinct ones)."""
    out = set()
    for m in range(2 ** side):
        on = [(m >> i) & 1 for i in range(side)]
        rows = tuple(on[i] for i in range(side) for j in range(side))
        cols = tuple(on[j] for i in range(side) for j in range(side))
        out.add(rows)
        out.add(cols)
    return torch.tensor(sorted(out), dtype=torch.float64)


def rbm_data(g, c):
    """(x, xt, logp): training and test binary vectors and the true log-density (None for the digits). 'protos': a
    mixture of c['P'] equally likely product-Bernoulli components over V bits, each a random prototype (fair coin
    bits) whose bits are kept with probability 1 - c['pflip']; 'bars': the same with bars_and_stripes's patterns of a
    sqrt(V) x sqrt(V) grid as the prototypes; 'digits': scikit-learn's digits, pixels >= 8 set (n for training, the
    rest for testing). 5,000 test vectors for the mixtures. A share c['noise'] of the training bits flipped (the test
    vectors clean)."""
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        X = torch.tensor(load_digits().data >= 8, dtype=torch.float64)
        perm = torch.randperm(len(X), generator=g)
        x, xt, logp = X[perm[:c["n"]]], X[perm[c["n"]:]], None
    else:
        V = c["V"]
        proto = (bars_and_stripes(int(round(math.sqrt(V)))) if c["data"] == "bars"
                 else (torch.rand(c["P"], V, generator=g) < 0.5).double())
        mu = proto * (1 - c["pflip"]) + (1 - proto) * c["pflip"]

        def sample(m):
            k = torch.randint(0, len(mu), (m,), generator=g)
            return (torch.rand(m, V, generator=g, dtype=torch.float64) < mu[k]).double()

        def logp(v):
            return torch.logsumexp(v @ mu.log().T + (1 - v) @ (1 - mu).log().T, 1) - math.log(len(mu))

        x, xt = sample(c["n"]), sample(5000)
    if c.get("noise"):
        x = torch.where(torch.rand(x.shape, generator=g, dtype=torch.float64) < c["noise"], 1 - x, x)
    return x, xt, logp


def rbm_loglik(v, W, b, a):
    """Exact log-likelihoods of the rows of v under a binary RBM (weights W, V x H; visible biases b, hidden a):
    -F(v) - log Z, the partition function by enumerating the 2^H hidden states."""
    H = W.shape[1]
    hs = ((torch.arange(2 ** H)[:, None] >> torch.arange(H)[None, :]) & 1).double()
    logz = torch.logsumexp(hs @ a + torch.nn.functional.softplus(hs @ W.T + b).sum(1), 0)
    return v @ b + torch.nn.functional.softplus(v @ W + a).sum(1) - logz


def rbm_cd(w, run_id, c):
    """A restricted Boltzmann machine (Smolensky 1986; Hinton 2002) over binary vectors, float64: V visible and H hidden
    binary units, weights W from c['init'] times standard normals, the visible biases at the log-odds of the training
    bits' means (clipped to 0.01-0.99), the hidden ones zero. Trained by contrastive divergence (Hinton 2002): every
    minibatch of c['batch'] vectors (a seeded permutation every epoch; the whole set where None), hidden states sampled
    from the data, then c['k'] steps of block Gibbs sampling from there (CD-k) or, where c['pcd'], from persistent
    chains carried over between updates (Tieleman 2008), the gradient estimate the data's minus the chain's
    correlations (the hidden probabilities, not states, in both), applied by gradient ascent at step c['lr'] with
    momentum c['mom'] and weight decay c['wd'] on W (the step of train_more.py's lr_factor schedule). Train loss: the
    exact mean negative log-likelihood of the (noisy) training vectors; test loss: the exact mean NLL of the clean test
    vectors minus that of the true density (an estimate of the KL divergence from the truth to the model), or the test
    NLL itself on the digits. Data: rbm_data. Grid (runs_rbm_cd; 20 settings, 1-2 seeds, 21 runs): the base, 8
    prototypes of 36 bits with bits kept with probability 0.9, 200 training vectors, 5% of their bits flipped, H 10,
    init 0.01, CD-1, minibatches of 20 at 0.05, 1,000 epochs (2 seeds); one setting at a time 100 or 1,000 (300 epochs)
    vectors, no flips or 15%, H 4 or 16, CD-10, persistent CD, step 0.01 (2,000 epochs) or 0.2, momentum 0.9, weight
    decay 0.001, full-batch updates (3,000 epochs), 3 or 20 prototypes, 64 bits, the 62 bars and stripes of a 5 x 5 grid
    (bits kept with probability 0.95), the digits (300 images, H 12, 500 epochs), and init 0.1."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(122_000 + c["seed"])
    x, xt, logp = rbm_data(g, c)
    n, V = x.shape
    H = c["H"]
    W = c["init"] * torch.randn(V, H, generator=g)
    pm = x.mean(0).clamp(0.01, 0.99)
    b = torch.log(pm / (1 - pm))
    a = torch.zeros(H)
    vel = [torch.zeros_like(W), torch.zeros_like(b), torch.zeros_like(a)]
    base_t = float(-logp(xt).mean()) if logp is not None else 0.0
    chains = None
    run = w.run(run_id, V * H + V + H, n, {"family": "binary-rbm", "visible": V, "hidden": H},
                settings(c, ("seed", "data", "P", "V", "pflip", "n", "noise", "H", "init", "k", "pcd", "lr", "mom", "wd",
                             "batch", "sched", "eval"))
                | {"optimizer": "pcd" if c.get("pcd") else "cd-%d" % c["k"],
                   "test_loss": "excess-nll" if logp is not None else "heldout-nll"})

    def bern(p):
        return (torch.rand(p.shape, generator=g, dtype=torch.float64) < p).double()

    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for q in pts:
        while e < q:
            lr = c["lr"] * lr_factor(c, e, c["epochs"])
            for idx in batches(g, n, c.get("batch")):
                v0 = x if idx is None else x[idx]
                ph0 = torch.sigmoid(v0 @ W + a)
                if c.get("pcd"):
                    if chains is None:
                        chains = bern(ph0)
                    h = chains
                else:
                    h = bern(ph0)
                for _ in range(c["k"]):
                    vk = bern(torch.sigmoid(h @ W.T + b))
                    phk = torch.sigmoid(vk @ W + a)
                    h = bern(phk)
                if c.get("pcd"):
                    chains = h
                m = len(v0)
                grads = [(v0.T @ ph0 - vk.T @ phk) / m - (c.get("wd") or 0.0) * W,
                         (v0 - vk).mean(0), (ph0 - phk).mean(0)]
                for p_, v_, g_ in zip((W, b, a), vel, grads):
                    v_.mul_(c.get("mom") or 0.0).add_(lr * g_)
                    p_.add_(v_)
            e += 1
        train_loss = -float(rbm_loglik(x, W, b, a).mean())
        test_loss = -float(rbm_loglik(xt, W, b, a).mean()) - base_t
        run.log(e, train_loss, test_loss, final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_rbm_cd():
    base = dict(data="protos", P=8, V=36, pflip=0.1, n=200, noise=0.05, H=10, init=0.01, k=1, pcd=None, lr=0.05,
                mom=None, wd=None, batch=20, sched="const", epochs=1000, eval="log:35")
    return rbm_cd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=100, eval="every:4"),
        dict(n=1000, epochs=300, eval="jitter:35"),
        dict(noise=None, eval="log:40"),
        dict(noise=0.15, eval="every:3"),
        dict(H=4, eval="every:5"),
        dict(H=16, eval="rand:150"),
        dict(k=10, eval="every:4"),
        dict(pcd=True, eval="log:35"),
        dict(lr=0.01, epochs=2000, eval="every:8"),
        dict(lr=0.2, eval="jitter:30"),
        dict(mom=0.9, eval="every:3"),
        dict(wd=0.001, eval="log:35"),
        dict(batch=None, epochs=3000, eval="every:10"),
        dict(P=3, eval="log:30"),
        dict(P=20, eval="every:4"),
        dict(V=64, eval="jitter:35"),
        dict(data="bars", P=None, V=25, pflip=0.05, eval="every:5"),
        dict(data="digits", P=None, V=None, pflip=None, n=300, H=12, epochs=500, eval="log:35"),
        dict(init=0.1, eval="every:3"),
    ], lambda d: "%s%s%s-n%d%s-H%d-init%g-%s-lr%g%s%s%s" % (
        d["data"], "-P%d" % d["P"] if d.get("P") else "", "-V%d-pflip%g" % (d["V"], d["pflip"]) if d.get("V") else "",
        d["n"], "-noise%g" % d["noise"] if d.get("noise") else "", d["H"], d["init"],
        "pcd" if d.get("pcd") else "cd%d" % d["k"], d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "",
        "-wd%g" % d["wd"] if d.get("wd") else "", "-b%d" % d["batch"] if d.get("batch") else "-fullbatch"))


FAMILIES = {"art-tomography": runs_art_tomography, "crf-chain": runs_crf_chain, "rbm-cd": runs_rbm_cd}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
