#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, twelfth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, bench/src/main/java or bench/src/test,
neither docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping
benchmark, no Java and not the descentwatch launcher was run; the runs were sorted by census.py alone), and made to
differ from the forty-one families of train.py ... train_eleventh.py in model, loss, optimizer, noise, data and
evaluation: a learning-to-rank scorer (linear, or a tanh RankNet) trained on pairwise comparisons by the RankNet
pairwise logistic loss, the pairwise squared hinge (RankSVM) or the listwise ListNet cross-entropy, on noisy
comparisons (Bradley-Terry draws with flipped outcomes, swapped relevance within queries) of synthetic items and on
scikit-learn's diabetes patients (pairs ordered by disease progression) and breast cancer patients (the AUC surrogate
over positive-negative pairs, labels flipped), judged on clean test pairs; a discrete-time survival model (a logistic
or complementary log-log hazard per time interval, proportional in a linear or tanh risk score) trained on the
censored person-period likelihood of right-censored event times drawn from a Weibull proportional-hazards model
(independent censoring of 10-60%, a log-normal frailty, mixed-up records), judged by the censored
likelihood of test patients (or of their uncensored times); and a two-layer network trained under quantised weights
(quantisation-aware training: group-wise symmetric max-abs quantisation to 3-8 bits, round to nearest or stochastic
rounding, quantised tanh activations in 1 run, the straight-through estimator to float shadow weights), judged at its
quantised weights. The file format, determinism and helpers are the earlier files': Writer, the command line and
two-scale inputs from train.py, epochs_of, settings and lr_factor from train_more.py, label_noise from
train_fourth.py, rotation from train_sixth.py and dict_runs from train_seventh.py; one thread, every random draw from
a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_twelfth.py --family pairwise-rank [--list] [--runs 0,3] [--out FILE]

Families (see README.md): pairwise-rank, discrete-hazard, quant-ste. Evaluation spacings: train.py's 'every',
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

F = torch.nn.functional


def make_optimizer(params, c):
    """'gd' (plain full-batch steps), 'hb' (heavy ball, c['mom']), 'sgd' (minibatches, momentum c['mom']) or 'adam';
    the step c['lr'] times c['lr_scale'] (1 / the loss's curvature bound where the family sets it)."""
    lr = c["lr"] * c.get("lr_scale", 1.0)
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=lr), lr
    return torch.optim.SGD(params, lr=lr, momentum=c.get("mom") or 0.0), lr


def random_fourier(g, x, tr, N, bw):
    """N random Fourier features sqrt(2) cos(x.v + b) of standardised inputs x (v ~ N(0, bw^2 / D)), each
    standardised on the training rows tr."""
    D = x.shape[1]
    V = torch.randn(D, N, generator=g) * bw / math.sqrt(D)
    b = torch.rand(N, generator=g) * 2 * math.pi
    rf = math.sqrt(2) * torch.cos(x @ V + b)
    return (rf - rf[tr].mean(0)) / rf[tr].std(0).clamp_min(1e-9)


# ---------------------------------------------------------------------------------------------------- pairwise-rank


def pairwise_rank(w, run_id, c):
    """Learning to rank from noisy comparisons. A scorer f(x), linear from zero ('linear') or a one-layer tanh RankNet
    f(x) = a . tanh(W x + b) / sqrt(h) (W and a at 0.5 times the 1/sqrt(fan-in) scale); only differences of scores
    matter. Data: 'synthetic', n items with train.py's two-scale Gaussian features (df of scale 1, ds of scale
    c['s']; turned by a random rotation in 'rot' runs) and a latent utility u = fast part (power F) + slow part (power
    S at unit scale); m comparisons of random pairs of items, the outcome drawn Bradley-Terry, P(i above j) =
    sigmoid((u_i - u_j) / tau), then a share c['flip'] of the outcomes flipped; test: 20,000 random pairs of 1,000
    fresh items, the loss's expectation under the clean Bradley-Terry probabilities. 'diabetes': scikit-learn's 442
    patients, c['n'] for training and the rest for testing, m random training pairs ordered by the disease progression
    (ties dropped), a share c['flip'] flipped; test: every pair of test patients with different progressions, ordered
    by it. 'cancer': scikit-learn's breast cancer (569 patients), c['n'] for training with a share c['flip'] of their
    labels flipped; the pairs every (malignant, benign) pair under those labels, the malignant one to be ranked above
    (the AUC surrogate); test: every such pair of the clean test patients. The real data's features: the standardised
    inputs' N random Fourier features (bandwidth 1; standardised, scale 1) next to the standardised inputs times
    c['s'] (slow). Loss: 'ranknet' the pairwise logistic loss (cross-entropy of sigmoid(f_i - f_j)), 'hinge' the
    pairwise squared hinge max(0, 1 - (f_i - f_j))^2 (RankSVM), each on the pair's target probability; 'listnet' the
    ListNet top-one cross-entropy over queries of c['L'] items (nq queries), the target softmax((u + e) / tau) with
    standard Gumbel noise e, a share c['flip'] of each query's items given another item's relevance (test: 200 fresh
    queries against softmax(u / tau)). Full-batch gradient descent (step c['lr'] over the loss's curvature bound on
    the inputs), heavy ball, minibatches of c['batch'] pairs (momentum c['mom']) or Adam, autograd, float64. Train
    loss: the loss on the (noisy) training pairs; test loss as above."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(39_000 + c["seed"])
    data, loss_kind = c["data"], c["loss"]
    tau = c.get("tau") or 1.0
    if data == "synthetic":
        df, ds, s = c["df"], c["ds"], c["s"]
        d = df + ds
        bf = torch.randn(df, generator=g)
        bf *= math.sqrt(c["F"]) / bf.norm()
        bs = torch.randn(ds, generator=g)
        bs *= math.sqrt(c["S"]) / bs.norm() / s
        Q = rotation(g, d) if c.get("rot") else None

        def items(m):
            x = train.two_scale_inputs(g, m, df, ds, s)
            u = x[:, :df] @ bf + x[:, df:] @ bs
            return (x @ Q if Q is not None else x), u

        def random_pairs(m, count):
            i = torch.randint(m, (count,), generator=g)
            j = (i + torch.randint(1, m, (count,), generator=g)) % m
            return i, j

        if loss_kind == "listnet":
            nq, L = c["nq"], c["L"]
            x, u = items(nq * L)
            r = (u + (-torch.log(-torch.log(torch.rand(nq * L, generator=g).clamp_min(1e-300))))) / tau
            r = r.view(nq, L).clone()
            swap = torch.rand(nq, L, generator=g) < c["flip"]
            other = torch.randint(L, (nq, L), generator=g)
            r = torch.where(swap, torch.gather(r, 1, other), r)
            target = torch.softmax(r, 1)
            xt, ut = items(200 * L)
            target_t = torch.softmax(ut.view(200, L) / tau, 1)
            n_train = nq * L
        else:
            n_train = c["n"]
            x, u = items(n_train)
            i, j = random_pairs(n_train, c["m"])
            yp = (torch.rand(c["m"], generator=g) < torch.sigmoid((u[i] - u[j]) / tau)).double()
            flip = torch.rand(c["m"], generator=g) < c["flip"]
            yp = torch.where(flip, 1 - yp, yp)
            xt, ut = items(1000)
            it, jt = random_pairs(1000, 20_000)
            ypt = torch.sigmoid((ut[it] - ut[jt]) / tau)
    else:
        from sklearn.datasets import load_breast_cancer, load_diabetes
        xs, ys = (load_diabetes if data == "diabetes" else load_breast_cancer)(return_X_y=True)
        xa = torch.tensor(xs, dtype=torch.float64)
        ya = torch.tensor(ys, dtype=torch.float64)
        perm = torch.randperm(len(xa), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        xa = (xa - xa[tr].mean(0)) / xa[tr].std(0).clamp_min(1e-9)
        feats = torch.cat([random_fourier(g, xa, tr, c["N"], 1.0), c["s"] * xa], 1)
        x, xt = feats[tr], feats[te]
        d = feats.shape[1]
        n_train = c["n"]
        if data == "diabetes":
            y, yt = ya[tr], ya[te]
            i = torch.randint(n_train, (c["m"],), generator=g)
            j = (i + torch.randint(1, n_train, (c["m"],), generator=g)) % n_train
            keep = y[i] != y[j]
            i, j = i[keep], j[keep]
            yp = (y[i] > y[j]).double()
            flip = torch.rand(len(i), generator=g) < c["flip"]
            yp = torch.where(flip, 1 - yp, yp)
            a_, b_ = torch.triu_indices(len(te), len(te), 1)
            keep = yt[a_] != yt[b_]
            it, jt = a_[keep], b_[keep]
            ypt = (yt[it] > yt[jt]).double()
        else:  # cancer: label 0 is malignant in scikit-learn's breast cancer; the malignant ranked above
            pos = (ya == 0).double()
            ptr = pos[tr].clone()
            flip = torch.rand(n_train, generator=g) < c["flip"]
            ptr = torch.where(flip, 1 - ptr, ptr)
            P, Nn = torch.nonzero(ptr == 1).squeeze(1), torch.nonzero(ptr == 0).squeeze(1)
            i, j = P.repeat_interleave(len(Nn)), Nn.repeat(len(P))
            yp = torch.ones(len(i))
            pt = pos[te]
            Pt, Nt = torch.nonzero(pt == 1).squeeze(1), torch.nonzero(pt == 0).squeeze(1)
            it, jt = Pt.repeat_interleave(len(Nt)), Nt.repeat(len(Pt))
            ypt = torch.ones(len(it))

    # curvature bound of the loss in the scores' differences, times the inputs' scale along the differences
    if loss_kind == "listnet":
        xq = x.view(c["nq"], c["L"], -1)
        xc = (xq - xq.mean(1, keepdim=True)).reshape(-1, x.shape[1])
        curv = 0.5 * torch.linalg.eigvalsh(xc.T @ xc / c["nq"])[-1].item()
    else:
        zd = x[i] - x[j]
        curv = (2.0 if loss_kind == "hinge" else 0.25) * torch.linalg.eigvalsh(zd.T @ zd / len(i))[-1].item()

    h = c.get("h")
    if c["model"] == "linear":
        wv = torch.zeros(d, requires_grad=True)
        params = [wv]

        def score(u_):
            return u_ @ wv
    else:
        W = (torch.randn(h, d, generator=g) * 0.5 / math.sqrt(d)).requires_grad_()
        bb = torch.zeros(h, requires_grad=True)
        av = (torch.randn(h, generator=g) * 0.5).requires_grad_()
        params = [W, bb, av]

        def score(u_):
            return torch.tanh(u_ @ W.T + bb) @ av / math.sqrt(h)

    def pair_loss(z, t):
        if loss_kind == "hinge":
            return t * torch.relu(1 - z) ** 2 + (1 - t) * torch.relu(1 + z) ** 2
        return t * F.softplus(-z) + (1 - t) * F.softplus(z)

    def loss_on(u_, pi, pj, t):
        f = score(u_)
        return pair_loss(f[pi] - f[pj], t).mean()

    def list_loss(u_, tgt):
        f = score(u_).view(tgt.shape)
        return -(tgt * torch.log_softmax(f, 1)).sum(1).mean()

    opt, _ = make_optimizer(params, dict(c, lr_scale=1.0 / curv if c["opt"] in ("gd", "hb", "sgd") else 1.0))
    base_lrs = [grp["lr"] for grp in opt.param_groups]
    run = w.run(run_id, sum(p.numel() for p in params), n_train,
                {"family": "pairwise-ranking", "scorer": c["model"], "input_dim": d, "data": data},
                settings(c, ("seed", "data", "n", "m", "nq", "L", "df", "ds", "N", "s", "F", "S", "tau", "flip", "rot",
                             "loss", "model", "h", "opt", "lr", "mom", "batch", "eval"))
                | {"optimizer": c["opt"], "pairs": str(len(i)) if loss_kind != "listnet" else "-"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch")
    e = 0
    for p in pts:
        while e < p:
            for grp, lr0 in zip(opt.param_groups, base_lrs):
                grp["lr"] = lr0 * lr_factor(c, e, c["epochs"])
            if loss_kind == "listnet":
                opt.zero_grad()
                list_loss(x, target).backward()
                opt.step()
            elif bsz:
                order = torch.randperm(len(i), generator=g)
                for k in range(0, len(i), bsz):
                    bi = order[k:k + bsz]
                    opt.zero_grad()
                    loss_on(x, i[bi], j[bi], yp[bi]).backward()
                    opt.step()
            else:
                opt.zero_grad()
                loss_on(x, i, j, yp).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            if loss_kind == "listnet":
                run.log(e, list_loss(x, target), list_loss(xt, target_t), final=e == pts[-1])
            else:
                run.log(e, loss_on(x, i, j, yp), loss_on(xt, it, jt, ypt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_pairwise_rank():
    base = dict(data="synthetic", n=300, m=900, nq=None, L=None, df=150, ds=20, N=None, s=0.1, F=4.0, S=9.0,
                tau=1.0, flip=0.1, rot=None, loss="ranknet", model="linear", h=None, opt="gd", lr=1.0, mom=None,
                batch=None, sched="const", epochs=5000, eval="log:30")
    real = dict(m=None, df=None, ds=None, F=None, S=None, tau=None)
    return pairwise_rank, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=0.2, eval="every:5"),
        dict(flip=0.0, eval="jitter:30"),
        dict(df=220, eval="every:2"),
        dict(S=3.0, eval="log:35"),
        dict(s=0.05, epochs=15000, eval="every:25"),
        dict(m=1800, eval="jitter:35"),
        dict(n=150, eval="log:30"),
        dict(tau=0.5, eval="every:3"),
        dict(opt="hb", lr=0.1, mom=0.9, eval="rand:300"),
        dict(opt="sgd", batch=50, lr=0.02, mom=0.9, epochs=2000, eval="every:4"),
        dict(opt="adam", lr=0.003, rot=1, eval="every:10"),
        dict(loss="hinge", eval="log:30"),
        dict(loss="listnet", n=None, m=None, nq=50, L=10, eval="jitter:30"),
        dict(loss="listnet", n=None, m=None, nq=50, L=10, flip=0.2, eval="every:2"),
        dict(model="tanh", h=16, eval="log:30"),
        dict(real, data="diabetes", n=300, m=900, N=150, seeds=(1, 2), eval="every:3"),
        dict(real, data="diabetes", n=300, m=900, N=250, eval="jitter:30"),
        dict(real, data="cancer", n=350, N=100, eval="log:30"),
        dict(real, data="cancer", n=350, N=100, flip=0.2, eval="every:5"),
    ], lambda d: "%s-%s-%s-%s%s-s%g-flip%g" % (
        d["data"], d["loss"], d["model"], d["opt"],
        ("-n%d-m%d-df%d-S%g" % (d["n"], d["m"], d["df"], d["S"]) if d["data"] == "synthetic" and d.get("m")
         else "-q%dx%d-df%d" % (d["nq"], d["L"], d["df"]) if d.get("nq") else "-n%d-N%d" % (d["n"], d["N"])),
        d["s"], d["flip"]))


# ---------------------------------------------------------------------------------------------------- discrete-hazard


def discrete_hazard(w, run_id, c):
    """Discrete-time survival analysis of right-censored event times. Covariates: train.py's two-scale Gaussians (df
    of scale 1, ds of scale c['s']; turned by a random rotation in 'rot' runs); the true log-hazard ratio eta = fast
    part (power F) + slow part (power S at unit scale), plus in 'frailty' runs a log-normal frailty (Gaussian noise of
    std c['frailty'] on eta, unobserved). Event times from a Weibull proportional-hazards model, T = (E exp(-eta))^(1 /
    k), E standard exponential, shape k c['shape']; independent exponential censoring times whose rate gives a share
    c['censor'] of censored patients (set by bisection on 20,000 draws of the same law); observed t = min(T, C) and
    the event indicator. In 'mix' runs a share of the training records are replaced by another training patient's
    (t, event) (mixed-up records). Time cut into K intervals at the quantiles of the training event times. Model: the
    hazard in interval j, h_j(x) = link^-1(alpha_j + r(x)), the link 'logit' (logistic hazard) or 'cloglog' (grouped
    proportional hazards), r(x) linear from zero or a tanh network a . tanh(W x + b) / sqrt(h) (W, a at 0.5 times
    the 1/sqrt(fan-in) scale); alpha at the link of the training data's interval hazards. Loss: the mean censored
    person-period negative log-likelihood, sum over the intervals a patient survived of -log(1 - h_j) plus, for an
    event, -log h_j of its interval (a censored patient counts as at risk up to the interval before its own), plus
    c['lam'] |w|^2 / 2 in ridge runs. Full-batch gradient descent (step c['lr'] over a bound on the curvature), heavy
    ball, minibatches of c['batch'] patients (momentum c['mom']) or Adam, autograd, float64. Train loss: the NLL of
    the training records (noisy); test loss: the same NLL of 2,000 fresh patients under the same censoring ('censored')
    or of their uncensored times ('oracle')."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(40_000 + c["seed"])
    n, df, ds, s, K = c["n"], c["df"], c["ds"], c["s"], c["K"]
    d = df + ds
    bf = torch.randn(df, generator=g)
    bf *= math.sqrt(c["F"]) / bf.norm()
    bs = torch.randn(ds, generator=g)
    bs *= math.sqrt(c["S"]) / bs.norm() / s
    Q = rotation(g, d) if c.get("rot") else None
    k = c["shape"]
    frail = c.get("frailty") or 0.0

    def draw(m, gen):
        x = train.two_scale_inputs(gen, m, df, ds, s)
        eta = x[:, :df] @ bf + x[:, df:] @ bs + frail * torch.randn(m, generator=gen)
        T = (-torch.log(torch.rand(m, generator=gen).clamp_min(1e-300)) * torch.exp(-eta)) ** (1 / k)
        return x, T

    # the censoring rate: bisection on log-rate so that a share c['censor'] of 20,000 reference draws is censored
    gref = torch.Generator().manual_seed(40_500 + c["seed"])
    _, Tref = draw(20_000, gref)
    Eref = -torch.log(torch.rand(20_000, generator=gref).clamp_min(1e-300))
    lo, hi = -20.0, 20.0
    for _ in range(60):
        mid = (lo + hi) / 2
        share = (Eref / math.exp(mid) < Tref).double().mean().item()
        lo, hi = (mid, hi) if share < c["censor"] else (lo, mid)
    rate = math.exp((lo + hi) / 2)

    def data(m, censored=True):
        x, T = draw(m, g)
        C = -torch.log(torch.rand(m, generator=g).clamp_min(1e-300)) / rate
        if not censored:
            return x, T, torch.ones(m)
        return x, torch.minimum(T, C), (T <= C).double()

    x, t, ev = data(n)
    mix = c.get("mix") or 0.0
    if mix:
        pick = torch.rand(n, generator=g) < mix
        src = torch.randint(n, (n,), generator=g)
        t, ev = torch.where(pick, t[src], t), torch.where(pick, ev[src], ev)
    xt, tt, evt = data(2000, c["test"] == "censored")
    if Q is not None:
        x, xt = x @ Q, xt @ Q
    edges = torch.quantile(t[ev == 1], torch.arange(1, K, dtype=torch.float64) / K)

    def masks(tv, evv):
        kk = torch.bucketize(tv, edges)  # interval 0..K-1
        jj = torch.arange(K).unsqueeze(0)
        at_risk = (jj < kk.unsqueeze(1)).double()  # intervals survived
        event = ((jj == kk.unsqueeze(1)) & (evv.unsqueeze(1) == 1)).double()
        return at_risk, event

    R, E = masks(t, ev)
    Rt, Et = masks(tt, evt)
    link = c["link"]
    haz = (E.sum(0) / (R + E).sum(0).clamp_min(1.0)).clamp(1e-3, 1 - 1e-3)
    alpha0 = torch.log(haz / (1 - haz)) if link == "logit" else torch.log(-torch.log(1 - haz))
    alpha = alpha0.clone().requires_grad_()
    h = c.get("h")
    if c["model"] == "linear":
        wv = torch.zeros(d, requires_grad=True)
        params = [alpha, wv]

        def risk(u):
            return u @ wv
    else:
        W = (torch.randn(h, d, generator=g) * 0.5 / math.sqrt(d)).requires_grad_()
        bb = torch.zeros(h, requires_grad=True)
        av = (torch.randn(h, generator=g) * 0.5).requires_grad_()
        params = [alpha, W, bb, av]

        def risk(u):
            return torch.tanh(u @ W.T + bb) @ av / math.sqrt(h)

    def nll(u, Rm, Em):
        z = alpha.unsqueeze(0) + risk(u).unsqueeze(1)
        if link == "logit":
            surv, evt_ = F.softplus(z), F.softplus(-z)
        else:
            surv = torch.exp(z)
            evt_ = -torch.log((-torch.expm1(-torch.exp(z))).clamp_min(1e-300))
        return (Rm * surv + Em * evt_).sum(1).mean()

    lam = c.get("lam") or 0.0

    def objective(idx):
        val = nll(x[idx], R[idx], E[idx])
        if lam:
            val = val + 0.5 * lam * sum((p ** 2).sum() for p in params[1:])
        return val

    rows = (R + E).sum(1)
    curv = 0.25 * torch.linalg.eigvalsh((x * rows.unsqueeze(1)).T @ x / n)[-1].item()
    opt, _ = make_optimizer(params, dict(c, lr_scale=1.0 / curv if c["opt"] in ("gd", "hb", "sgd") else 1.0))
    base_lrs = [grp["lr"] for grp in opt.param_groups]
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "discrete-time-hazard", "link": link, "risk": c["model"], "input_dim": d, "intervals": K},
                settings(c, ("seed", "n", "df", "ds", "s", "F", "S", "shape", "censor", "frailty", "mix", "rot", "K",
                             "link", "model", "h", "lam", "opt", "lr", "mom", "batch", "test", "eval"))
                | {"optimizer": c["opt"], "loss": "%s-hazard-nll" % link,
                   "censored_share": "%.3f" % (1 - ev.mean().item())})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch")
    full = torch.arange(n)
    e = 0
    for p in pts:
        while e < p:
            for grp, lr0 in zip(opt.param_groups, base_lrs):
                grp["lr"] = lr0 * lr_factor(c, e, c["epochs"])
            if bsz:
                order = torch.randperm(n, generator=g)
                for j0 in range(0, n, bsz):
                    opt.zero_grad()
                    objective(order[j0:j0 + bsz]).backward()
                    opt.step()
            else:
                opt.zero_grad()
                objective(full).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, nll(x, R, E), nll(xt, Rt, Et), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_discrete_hazard():
    base = dict(n=400, df=140, ds=20, s=0.1, F=3.0, S=9.0, shape=1.5, censor=0.3, frailty=None, mix=None, rot=None,
                K=10, link="logit", model="linear", h=None, lam=None, opt="gd", lr=1.0, mom=None, batch=None,
                sched="const", test="censored", epochs=4000, eval="log:30")
    return discrete_hazard, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(censor=0.6, eval="every:2"),
        dict(censor=0.1, eval="jitter:30"),
        dict(frailty=0.7, eval="every:5"),
        dict(df=200, eval="log:35"),
        dict(df=80, eval="every:4"),
        dict(S=2.0, eval="jitter:35"),
        dict(s=0.05, epochs=12000, eval="every:20"),
        dict(link="cloglog", eval="rand:300"),
        dict(K=20, eval="every:3"),
        dict(mix=0.15, eval="log:30"),
        dict(opt="hb", lr=0.1, mom=0.9, eval="every"),
        dict(opt="sgd", batch=50, lr=0.05, mom=0.9, epochs=2000, eval="every:2"),
        dict(opt="adam", lr=0.003, rot=1, eval="jitter:30"),
        dict(lam=0.01, eval="every:10"),
        dict(model="tanh", h=16, eval="log:30"),
        dict(test="oracle", eval="every:5"),
        dict(n=800, df=280, eval="log:40"),
    ], lambda d: "%s-%s-%s-n%d-df%d-s%g-S%g-cens%g-K%d-%s" % (
        d["link"], d["model"], d["opt"], d["n"], d["df"], d["s"], d["S"], d["censor"], d["K"], d["test"]))


# ---------------------------------------------------------------------------------------------------- quant-ste


def quantize(v, bits, group, gen=None):
    """Symmetric max-abs quantisation of v's last dimension in groups of `group` entries to 2^(bits-1) - 1 levels
    each side of zero (round to nearest, or stochastic rounding with draws from gen), passed through the
    straight-through estimator: the forward value quantised, the gradient that of the identity. bits None: float."""
    if bits is None:
        return v
    levels = 2 ** (bits - 1) - 1
    shape = v.shape
    u = v.reshape(-1, group)
    scale = u.detach().abs().amax(1, keepdim=True).clamp_min(1e-12) / levels
    r = u.detach() / scale
    q = torch.floor(r + torch.rand(r.shape, generator=gen)) if gen is not None else torch.round(r)
    q = q.clamp(-levels, levels) * scale
    return (u + (q - u).detach()).reshape(shape)


def quant_ste(w, run_id, c):
    """A two-layer network trained under quantised weights (quantisation-aware training). Data: train.py's two-scale
    Gaussian inputs (df of scale 1, ds of scale c['s']; turned by a random rotation in 'rot' runs), the target a
    fast linear part (power F) plus a slow linear part (power S at unit scale) plus label noise c['noise'] (Gaussian,
    or Student-t with c['dof'] degrees of freedom). Model: f(x) = Q(a) . act(Q(W) x + b) / sqrt(h) + a0, act tanh or
    ReLU, the hidden layer's weights quantised per row in groups of c['group'] input columns (c['group'] = the input
    dimension: one scale per row) and the readout's per tensor, to c['bits'] bits (symmetric max-abs, round to
    nearest; 'stoch' stochastic rounding in training, its draws from the seeded generator; bits None: an unquantised
    float64 control), the tanh outputs quantised to c['abits'] bits on [-1, 1] in 'abits' runs; the gradient passed
    straight through to float shadow weights (W and a at c['init'] times the 1/sqrt(fan-in) scale, b and a0 from
    zero). Full-batch heavy ball (momentum c['mom']), minibatches of c['batch'] or Adam under train_more.py's
    schedules, on the mean squared error, autograd, float64. Train and test loss: the squared error of the network at
    its quantised weights (round to nearest) on the training points and on 2,000 fresh points, noise included."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(41_000 + c["seed"])
    n, df, ds, s, h = c["n"], c["df"], c["ds"], c["s"], c["h"]
    d = df + ds
    bf = torch.randn(df, generator=g)
    bf *= math.sqrt(c["F"]) / bf.norm()
    bs = torch.randn(ds, generator=g)
    bs *= math.sqrt(c["S"]) / bs.norm() / s
    Q = rotation(g, d) if c.get("rot") else None

    def data(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        y = x[:, :df] @ bf + x[:, df:] @ bs + c["noise"] * label_noise(g, m, c.get("dof") or 0)
        return (x @ Q if Q is not None else x), y

    x, y = data(n)
    xt, yt = data(2000)
    W = (torch.randn(h, d, generator=g) * c["init"] / math.sqrt(d)).requires_grad_()
    b = torch.zeros(h, requires_grad=True)
    a = (torch.randn(h, generator=g) * c["init"]).requires_grad_()
    a0 = torch.zeros(1, requires_grad=True)
    params = [W, b, a, a0]
    bits, group, abits = c.get("bits"), c["group"], c.get("abits")
    stoch = c.get("rnd") == "stoch"

    def model(u, training):
        gen = g if training and stoch else None
        z = u @ quantize(W, bits, group, gen).T + b
        if c["act"] == "tanh":
            hid = torch.tanh(z)
            if abits:
                lv = 2 ** (abits - 1) - 1
                hid = hid + (torch.round(hid.detach() * lv) / lv - hid.detach())
        else:
            hid = torch.relu(z)
        return hid @ quantize(a, bits, h, gen) / math.sqrt(h) + a0

    opt, _ = make_optimizer(params, c)
    base_lrs = [grp["lr"] for grp in opt.param_groups]
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "quantised-two-layer", "width": h, "input_dim": d, "activation": c["act"],
                 "weight_bits": "float" if bits is None else bits},
                settings(c, ("seed", "n", "df", "ds", "s", "F", "S", "noise", "dof", "rot", "h", "act", "init", "bits",
                             "group", "abits", "rnd", "opt", "lr", "mom", "batch", "sched", "eval"))
                | {"loss": "mse", "estimator": "straight-through"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch")
    e = 0
    for p in pts:
        while e < p:
            for grp, lr0 in zip(opt.param_groups, base_lrs):
                grp["lr"] = lr0 * lr_factor(c, e, c["epochs"])
            if bsz:
                order = torch.randperm(n, generator=g)
                for j0 in range(0, n, bsz):
                    bi = order[j0:j0 + bsz]
                    opt.zero_grad()
                    ((model(x[bi], True) - y[bi]) ** 2).mean().backward()
                    opt.step()
            else:
                opt.zero_grad()
                ((model(x, True) - y) ** 2).mean().backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((model(x, False) - y) ** 2).mean(), ((model(xt, False) - yt) ** 2).mean(),
                    final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_quant_ste():
    # revised once (README.md): the first grid, width 8 from 0.5 times the default scale, noise 1, s 0.1 over 5,000
    # epochs, gave 2 winning runs of 19; this one is the rows of that grid on a narrower network from a smaller start
    base = dict(n=300, df=20, ds=10, s=0.05, F=2.0, S=3.0, noise=0.7, dof=None, rot=None, h=4, act="tanh", init=0.1,
                bits=8, group=10, abits=None, rnd="nearest", opt="hb", lr=0.01, mom=0.9, batch=None, sched="const",
                epochs=10000, eval="log:30")
    return quant_ste, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(bits=4, eval="every:2"),
        dict(bits=3, eval="jitter:30"),
        dict(bits=None, eval="every:5"),
        dict(group=30, eval="jitter:35"),
        dict(group=30, bits=4, eval="every:4"),
        dict(bits=4, rnd="stoch", eval="rand:300"),
        dict(bits=3, rnd="stoch", eval="every:3"),
        dict(bits=4, abits=4, eval="log:35"),
        dict(bits=4, opt="adam", lr=0.003, mom=None, eval="every:10"),
        dict(batch=50, lr=0.002, epochs=3000, eval="every:2"),
        dict(S=1.0, eval="log:30"),
        dict(bits=6, dof=3, eval="jitter:30"),
        dict(bits=4, h=16, eval="every:5"),
        dict(act="relu", eval="log:40"),
        dict(bits=4, n=600, df=40, eval="every"),
        dict(bits=4, sched="cosine", eval="jitter:30"),
        dict(bits=6, s=0.03, epochs=20000, eval="every:20"),
    ], lambda d: "%s-%s-g%d-%s%s-%s-h%d-n%d-df%d-s%g-S%g" % (
        "float" if d.get("bits") is None else "b%d" % d["bits"], d.get("rnd") or "nearest", d["group"],
        d["act"], "-a%d" % d["abits"] if d.get("abits") else "", d["opt"], d["h"], d["n"], d["df"], d["s"], d["S"]))


FAMILIES = {"pairwise-rank": runs_pairwise_rank, "discrete-hazard": runs_discrete_hazard, "quant-ste": runs_quant_ste}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
