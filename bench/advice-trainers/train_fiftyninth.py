#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fifty-ninth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 182 families of train.py ... train_fiftyeighth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is value-function learning as in reinforcement
learning, on small Markov chains (and one small Markov decision process) whose true values are known exactly by
dynamic programming: the train loss is the TD or Bellman objective on the run's sampled transitions (observed
rewards noisy in part of the grid), the test loss the mean squared error of the learned values against the true
ones under the chain's stationary distribution; at sizes around where the model can just fit the visited states:

- td-lambda-linear: TD(lambda) with linear features on a random locally connected ring chain (N states, moves of
  -2..+3 with random probabilities, a uniform jump now and then), one sampled trajectory of T transitions replayed
  every epoch: the offline lambda-return of each step computed from the current weights along the trajectory, and
  the semi-gradient step (Phi^T (G^lambda - Phi w), not the gradient of any loss) applied on minibatches of the
  trajectory's steps by SGD (momentum, RMSprop or Adam on the semi-gradient in one run each). Features: random
  Gaussian ones, radial basis functions on the ring, tile coding (several offset tilings) or one-hot aliasing (each
  state hashed to one of d buckets); d swept around the number of visited states. Train loss: the mean squared
  lambda-return error (the TD error at lambda 0) on the trajectory; test loss: sum_s mu(s) (phi(s) w - V(s))^2.
  No error rates (no share exists for a value regression).
- fitted-q-net: fitted Q iteration on a small grid world (slippery moves, a goal, a pit and small random rewards per
  cell, arrival rewards observed with noise in part of the grid), a ReLU network from the cell's one-hot row and
  column to the 4 actions' values, regressed by Adam on minibatches of sampled transitions towards bootstrapped
  targets r + gamma max_a' Q_target(s', a') from a frozen copy of the network refreshed every K epochs (or every
  step, or by Polyak averaging; the uniform policy's expected values, fitted policy evaluation, in one run). Train
  loss: the mean squared Bellman error of the current network on the sampled transitions; test loss: sum_s mu(s)
  mean_a (Q(s, a) - Q*(s, a))^2 under the uniform behaviour's stationary distribution; error rates: the share of
  the training transitions' states, and the mu-weighted share of all states, whose greedy action is not optimal.
- bellman-residual: residual-gradient (Bellman-residual) minimisation (Baird 1995) with a tanh network on a random
  birth-death chain on a line (reflecting ends), the input the state's position and a fixed random code, i.i.d.
  sampled transitions (s from the stationary distribution): the mean squared Bellman residual
  (r + gamma V(s') - V(s))^2 descended through both V(s) and V(s') (the double-sampling product of two independent
  successors' residuals, unbiased for the expected residual, or Baird's residual algorithm mixing in the
  semi-gradient, in part of the grid), by Adam on minibatches (SGD, momentum or RMSprop in one run each). Train
  loss: the objective descended on the sampled transitions; test loss: sum_s mu(s) (V(s) - V_true(s))^2. No error
  rates.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs) and take from train_thirtyninth.py, count from
train_fortyeighth.py and make_opt from train_fiftysixth.py; one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fiftyninth.py --family td-lambda-linear [--list] [--runs 0,3] [--out FILE]

Families (see README.md): td-lambda-linear, fitted-q-net, bellman-residual. Evaluation spacings: train.py's 'every',
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
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)

torch.set_num_threads(1)

F64 = torch.float64


def stationary(P, iters=4000):
    """The stationary distribution of the row-stochastic P by power iteration from the uniform distribution."""
    mu = torch.full((P.shape[0],), 1.0 / P.shape[0], dtype=P.dtype)
    for _ in range(iters):
        mu = mu @ P
    return mu / mu.sum()


def draw_rows(g, P, s):
    """One successor of each state in s, drawn from the rows P[s] by inverse transform sampling with g."""
    u = torch.rand(len(s), 1, generator=g, dtype=P.dtype)
    return torch.searchsorted(P[s].cumsum(1), u).squeeze(1).clamp_max(P.shape[1] - 1)


def draw_states(g, mu, m):
    """m states drawn i.i.d. from the distribution mu with g."""
    u = torch.rand(m, 1, generator=g, dtype=mu.dtype)
    return torch.searchsorted(mu.cumsum(0)[None, :].expand(m, -1).contiguous(), u).squeeze(1).clamp_max(len(mu) - 1)


def u64(g, fan_in, *shape):
    return uniform(g, fan_in, *shape).to(F64)


# ---------------------------------------------------------------------------------------------------- td-lambda-linear


def ring_chain(g, N, jump):
    """A locally connected ring: from s to s + k (mod N), k in -2..3, with weights exp(N(0, 1)) per state and move,
    mixed with a uniform jump of probability jump. Rewards r(s) = 0.5 + cos(4 pi s / N) + 0.7 z_s, z_s N(0, 1)."""
    ks = list(range(-2, 4))
    wts = torch.exp(torch.randn(N, len(ks), generator=g, dtype=F64))
    P = torch.zeros(N, N, dtype=F64)
    rows = torch.arange(N)
    for j, k in enumerate(ks):
        P[rows, (rows + k) % N] += wts[:, j]
    P = (1 - jump) * P / P.sum(1, keepdim=True) + jump / N
    r = 0.5 + torch.cos(4 * math.pi * rows.to(F64) / N) + 0.7 * torch.randn(N, generator=g, dtype=F64)
    return P, r


def ring_features(g, N, c):
    """N x d features: 'random' (N(0, 1 / d) entries), 'rbf' (d Gaussian bumps evenly spaced on the ring, width one
    spacing, rows scaled to unit norm), 'tile' (c['tilings'] offset tilings of the ring, d / tilings tiles each, one
    active tile per tiling, scaled by 1 / sqrt(tilings)) or 'alias' (one-hot of a random bucket in 0..d-1 per state;
    states sharing a bucket are aliased)."""
    d, kind = c["d"], c["feat"]
    if kind == "random":
        return torch.randn(N, d, generator=g, dtype=F64) / math.sqrt(d)
    pos = torch.arange(N, dtype=F64) / N
    if kind == "rbf":
        ctr = torch.arange(d, dtype=F64) / d
        dist = (pos[:, None] - ctr[None, :]).abs()
        dist = torch.minimum(dist, 1 - dist) * d
        phi = torch.exp(-0.5 * dist ** 2)
        return phi / phi.norm(dim=1, keepdim=True)
    if kind == "tile":
        m = c["tilings"]
        per = d // m
        phi = torch.zeros(N, per * m, dtype=F64)
        off = torch.rand(m, generator=g, dtype=F64)
        for i in range(m):
            tile = torch.floor((pos * per + off[i]) % per).long()
            phi[torch.arange(N), i * per + tile] = 1.0
        return phi / math.sqrt(m)
    bucket = torch.randint(d, (N,), generator=g)
    return torch.nn.functional.one_hot(bucket, d).to(F64)


def td_lambda_linear(w, run_id, c):
    """TD(lambda) with linear features, float64. Chain: ring_chain(N, jump 0.1) from the run's generator; true values
    V = (I - gamma P)^-1 r, mu the stationary distribution. Data: one trajectory of T transitions from a state drawn
    from mu, observed rewards r(s_t) plus N(0, sigma^2) noise where set. Features: ring_features. Each minibatch step
    (minibatches of the trajectory's steps, drawn anew each epoch) computes the offline lambda-return of every step
    from the current weights, G_t = r_t + gamma ((1 - lambda) v(s_t+1) + lambda G_t+1), truncated at the trajectory's
    end (G_T-1 = r_T-1 + gamma v(s_T)), and sets the weights' gradient to minus the semi-gradient
    -Phi_idx^T (G_idx - v_idx) / |idx|, which make_opt's optimizer applies (plain SGD is the TD(lambda) step).
    Weights from zero. Train loss: mean_t (G_t - v(s_t))^2 over the trajectory (the squared TD error at lambda 0);
    test loss: sum_s mu(s) (phi(s) w - V(s))^2."""
    g = torch.Generator().manual_seed(591_000 + c["seed"])
    N, T, gam, lam = c["N"], c["T"], c["gamma"], c["lam"]
    P, r = ring_chain(g, N, 0.1)
    V = torch.linalg.solve(torch.eye(N, dtype=F64) - gam * P, r)
    mu = stationary(P)
    phi = ring_features(g, N, c)
    d = phi.shape[1]
    traj = torch.empty(T + 1, dtype=torch.long)
    traj[0] = draw_states(g, mu, 1)[0]
    for t in range(T):
        traj[t + 1] = draw_rows(g, P, traj[t:t + 1])[0]
    rew = r[traj[:-1]] + (c.get("sigma") or 0.0) * torch.randn(T, generator=g, dtype=F64)
    ft = phi[traj]
    k = torch.arange(T, dtype=F64)
    expo = k[None, :] - k[:, None]
    M = torch.where(expo >= 0, (gam * lam) ** expo.clamp_min(0), torch.zeros((), dtype=F64))
    wt = leaves([torch.zeros(d, dtype=F64)])
    opt = make_opt(c, wt)

    def returns():
        v = ft @ wt[0]
        cc = rew + gam * (1 - lam) * v[1:]
        cc[-1] = rew[-1] + gam * v[-1]
        return (M @ cc if lam > 0 else cc), v[:-1]

    def step(idx):
        with torch.no_grad():
            G, v = returns()
            f = take(ft[:-1], idx)
            delta = take(G, idx) - take(v, idx)
            wt[0].grad = -(f.T @ delta) / len(delta)
        opt.step()

    visited = len(torch.unique(traj))
    run = w.run(run_id, d, T, {"family": "td-lambda-linear", "features": c["feat"], "d": d, "lambda": lam},
                settings(c, ("seed", "N", "T", "feat", "d", "tilings", "lam", "gamma", "sigma", "opt", "lr", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "lambda-return-td-error", "test_loss": "mu-weighted-value-mse",
                   "visited_states": visited, "features_per_visited_state": "%.3g" % (d / visited)})

    def log(e, final):
        G, v = returns()
        run.log(e, ((G - v) ** 2).mean(), (mu * (phi @ wt[0] - V) ** 2).sum(), final=final)

    epoch_loop(g, T, c, step, log)


def runs_td_lambda_linear():
    # The logic: a ring chain of N 40 states, one trajectory of T 200 transitions (37-40 states visited), rewards
    # observed with N(0, 1) noise (about the spread of the rewards themselves), gamma 0.9; RBF features on the ring,
    # d swept around the number of visited states (8, 16, 24, 32 at the base at 2 seeds, 40, 48, 64, 128): with d
    # near the visited states the features can just fit the empirical chain's TD fixed point, noise and all.
    # TD(0) by SGD at 0.3 on minibatches of 20 steps of the trajectory, 400 epochs. One thing at a time besides:
    # clean rewards, noise 2, lambda 0.5 and 0.9, gamma 0.97 and 0.7, a trajectory of 100, a ring of 80 states (many
    # unvisited), random Gaussian features (d 40), tile coding (4 tilings of 10 tiles), one-hot aliasing (32
    # buckets), momentum SGD at 0.03 and Adam at 0.01 on the semi-gradient. Evaluation spacing mixed.
    base = dict(N=40, T=200, feat="rbf", d=32, tilings=None, lam=0.0, gamma=0.9, sigma=1.0, opt="sgd", lr=0.3,
                batch=20, epochs=400, eval="every:2")
    return td_lambda_linear, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(d=8, eval="every"),
        dict(d=16, eval="jitter:40"),
        dict(d=24, eval="every:2"),
        dict(d=40, eval="geom:3"),
        dict(d=48, eval="every:3"),
        dict(d=64, eval="mixed:40:4"),
        dict(d=128, eval="every:2"),
        dict(sigma=None, eval="every:2"),
        dict(sigma=2.0, eval="burst:20:5"),
        dict(lam=0.5, eval="every"),
        dict(lam=0.9, eval="every:4"),
        dict(gamma=0.97, eval="log:40"),
        dict(gamma=0.7, eval="every:2"),
        dict(T=100, eval="every"),
        dict(N=80, eval="every:3"),
        dict(feat="random", d=40, eval="every:2"),
        dict(feat="tile", d=40, tilings=4, eval="rand:100"),
        dict(feat="alias", eval="every:2"),
        dict(opt="momentum", lr=0.03, eval="every:2"),
        dict(opt="adam", lr=0.01, eval="mixlog:30:40"),
    ], lambda d: "N%d-T%d-%s%d%s-lam%g-g%g%s-%s-lr%g" % (
        d["N"], d["T"], d["feat"], d["d"], "x%d" % d["tilings"] if d.get("tilings") else "", d["lam"], d["gamma"],
        "-sig%g" % d["sigma"] if d.get("sigma") else "-clean", d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- fitted-q-net


MOVES = ((-1, 0), (1, 0), (0, -1), (0, 1))


def grid_mdp(g, side, slip):
    """A side x side grid world, 4 actions (up, down, left, right): the intended move with probability 1 - slip, each
    other move with slip / 3, a move off the grid stays put. The reward on arriving in a cell: N(0, 0.3^2) per cell
    from g, +1 more at a goal cell and -1 more at a pit cell drawn at random. Returns P (S x A x S) and R (S)."""
    S = side * side
    P = torch.zeros(S, 4, S, dtype=F64)
    for s in range(S):
        i, j = divmod(s, side)
        for a in range(4):
            for b, (di, dj) in enumerate(MOVES):
                ii, jj = i + di, j + dj
                t = ii * side + jj if 0 <= ii < side and 0 <= jj < side else s
                P[s, a, t] += 1 - slip if a == b else slip / 3
    R = 0.3 * torch.randn(S, generator=g, dtype=F64)
    spots = torch.randperm(S, generator=g)[:2]
    R[spots[0]] += 1.0
    R[spots[1]] -= 1.0
    return P, R


def true_q(P, R, gam, kind, iters=2000):
    """Q* by value iteration ('fqi'), or the uniform policy's Q^pi ('fqe'): Q = P R + gamma P max_a / mean_a Q."""
    Rsa = P @ R
    Q = torch.zeros_like(Rsa)
    for _ in range(iters):
        nxt = Q.max(1).values if kind == "fqi" else Q.mean(1)
        Q = Rsa + gam * P @ nxt
    return Q


def fitted_q_net(w, run_id, c):
    """Fitted Q iteration with a small network, float64. MDP: grid_mdp(side, slip) from the run's generator, gamma;
    truth Q* by value iteration (Q^pi of the uniform policy for 'fqe'); mu the stationary distribution of the uniform
    behaviour policy. Data: n transitions, s from mu, a uniform, s' from P(s, a), reward R(s') plus N(0, sigma^2)
    noise where set. Model: the one-hot row and column of s (2 side inputs) -> h (ReLU) -> 4 action values, weights
    and biases U(+-1 / sqrt(fan-in)) from the run's generator. Targets y = r + gamma max_a' Q_tgt(s', a') (mean_a'
    for 'fqe') from a frozen copy of the weights, refreshed at the start of every K-th epoch (K = c['period'];
    'period' 0: the current weights, detached, at every step; 'tau': the copy moved by tau towards the weights after
    every step). Loss: the mean squared error of Q(s, a) against y on a minibatch; make_opt's optimizer. Train loss:
    the current network's mean squared Bellman error (r + gamma max_a' Q(s', a') - Q(s, a))^2 on the transitions;
    test loss: sum_s mu(s) mean_a (Q(s, a) - Q_true(s, a))^2; error rates: the share of training transitions whose
    state's greedy action is not among the true optimal ones, and the mu-weighted share of all states."""
    g = torch.Generator().manual_seed(592_000 + c["seed"])
    side, n, h, gam, kind = c["side"], c["n"], c["h"], c["gamma"], c["kind"]
    S = side * side
    P, R = grid_mdp(g, side, c["slip"])
    Qt = true_q(P, R, gam, kind)
    mu = stationary(P.mean(1))
    best = Qt >= Qt.max(1, keepdim=True).values - 1e-9
    s = draw_states(g, mu, n)
    a = torch.randint(4, (n,), generator=g)
    s2 = draw_rows(g, P[s, a], torch.arange(n))
    rew = R[s2] + (c.get("sigma") or 0.0) * torch.randn(n, generator=g, dtype=F64)
    cells = torch.arange(S)
    enc = torch.cat([torch.nn.functional.one_hot(cells // side, side), torch.nn.functional.one_hot(cells % side, side)],
                    1).to(F64)
    params = leaves([u64(g, 2 * side, h, 2 * side), u64(g, 2 * side, h), u64(g, h, 4, h), u64(g, h, 4)])
    tgt = [p.detach().clone() for p in params]
    opt = make_opt(c, params)

    def qnet(p, x):
        return torch.relu(x @ p[0].T + p[1]) @ p[2].T + p[3]

    def bootstrap(p):
        q2 = qnet(p, enc[s2])
        return rew + gam * (q2.max(1).values if kind == "fqi" else q2.mean(1))

    y = [bootstrap(tgt)]

    def begin(e):
        if c.get("period") and e % c["period"] == 0:
            for q, p in zip(tgt, params):
                q.copy_(p.detach())
            y[0] = bootstrap(tgt)

    def step(idx):
        i = torch.arange(n) if idx is None else idx
        if not c.get("period"):
            with torch.no_grad():
                yy = bootstrap(params if not c.get("tau") else tgt)[i]
        else:
            yy = y[0][i]
        opt.zero_grad()
        ((qnet(params, enc[s[i]]).gather(1, a[i, None]).squeeze(1) - yy) ** 2).mean().backward()
        opt.step()
        if c.get("tau"):
            with torch.no_grad():
                for q, p in zip(tgt, params):
                    q.mul_(1 - c["tau"]).add_(c["tau"] * p)

    run = w.run(run_id, count(params), n, {"family": "fitted-q-net", "hidden": h, "target": kind},
                settings(c, ("seed", "side", "slip", "n", "gamma", "sigma", "kind", "h", "period", "tau", "opt", "lr",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "bootstrapped-target-mse", "test_loss": "mu-weighted-q-mse",
                   "distinct_pairs": len(torch.unique(s * 4 + a)),
                   "pairs_per_weight": "%.3g" % (len(torch.unique(s * 4 + a)) / count(params))})

    def log(e, final):
        q = qnet(params, enc)
        pred = q[s].gather(1, a[:, None]).squeeze(1)
        greedy_ok = best.gather(1, q.argmax(1, keepdim=True)).squeeze(1).to(F64)
        run.log(e, ((bootstrap(params) - pred) ** 2).mean(), (mu * ((q - Qt) ** 2).mean(1)).sum(),
                1 - greedy_ok[s].mean(), 1 - (mu * greedy_ok).sum(), final=final)

    epoch_loop(g, n, c, step, log, begin=begin)


def runs_fitted_q_net():
    # The logic: a 7 x 7 grid world (196 state-action pairs, slip 0.2, gamma 0.9), 300 sampled transitions (about 156
    # distinct pairs), arrival rewards observed with N(0, 0.3^2) noise (the spread of the cells' rewards); the
    # network 14 -> h -> 4 has 19 h + 4 weights, so the sweep of h (2, 4, 8, 16 at the base at 2 seeds, 32, 64, 128)
    # crosses where it can just fit the sampled pairs' targets (about h 8); the max in the target carries the noise
    # of unvisited pairs into the values. Fitted Q iteration with the target copy refreshed every epoch, Adam at 0.003
    # on minibatches of 30, 300 epochs. One thing at a time besides: clean rewards, noise 1.0, 150 and 1,000
    # transitions, the target refreshed every 10 epochs, no frozen target (the current weights at every step),
    # Polyak averaging at 0.01 a step, fitted policy evaluation of the uniform policy, gamma 0.95, deterministic
    # moves, momentum SGD at 0.03, RMSprop at 0.001, Adam at 0.01. Evaluation spacing mixed.
    base = dict(side=7, slip=0.2, n=300, gamma=0.9, sigma=0.3, kind="fqi", h=16, period=1, tau=None, opt="adam",
                lr=0.003, batch=30, epochs=300, eval="every:2")
    return fitted_q_net, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=2, eval="every"),
        dict(h=4, eval="jitter:40"),
        dict(h=8, eval="every:2"),
        dict(h=32, eval="geom:3"),
        dict(h=64, eval="every:3"),
        dict(h=128, eval="mixed:40:4"),
        dict(sigma=None, eval="every:2"),
        dict(sigma=1.0, eval="burst:20:5"),
        dict(n=150, eval="every"),
        dict(n=1000, eval="every:4"),
        dict(period=10, eval="every:2"),
        dict(period=None, eval="every:2"),
        dict(period=None, tau=0.01, eval="every:3"),
        dict(kind="fqe", eval="log:40"),
        dict(gamma=0.95, eval="every:2"),
        dict(slip=0.0, eval="every:2"),
        dict(opt="momentum", lr=0.03, eval="rand:100"),
        dict(opt="rmsprop", lr=0.001, eval="every:2"),
        dict(lr=0.01, eval="mixlog:30:40"),
    ], lambda d: "%s-s%d-slip%g-n%d-g%g%s-h%d-%s-%s-lr%g" % (
        d["kind"], d["side"], d["slip"], d["n"], d["gamma"], "-sig%g" % d["sigma"] if d.get("sigma") else "-clean",
        d["h"], "tau%g" % d["tau"] if d.get("tau") else ("K%d" % d["period"] if d.get("period") else "online"),
        d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- bellman-residual


def line_chain(g, N):
    """A symmetric birth-death chain on a line of N states with a random laziness: left and right each with weight
    exp(0.5 a_s), stay with weight exp(0.5 b_s), a_s, b_s N(0, 1) (a move off an end stays), so mu(s) is about
    proportional to 1 / P(s -> s + 1). Positions x in [-1, 1]; rewards r(s) = sin(3 pi x) + 0.2 z_s, z_s N(0, 1)."""
    wts = torch.exp(0.5 * torch.randn(N, 2, generator=g, dtype=F64))
    wts = torch.stack([wts[:, 0], wts[:, 1], wts[:, 0]], 1)
    wts = wts / wts.sum(1, keepdim=True)
    P = torch.zeros(N, N, dtype=F64)
    rows = torch.arange(N)
    for j, k in enumerate((-1, 0, 1)):
        P[rows, (rows + k).clamp(0, N - 1)] += wts[:, j]
    x = torch.linspace(-1, 1, N, dtype=F64)
    r = torch.sin(3 * math.pi * x) + 0.2 * torch.randn(N, generator=g, dtype=F64)
    return P, r, x


def bellman_residual(w, run_id, c):
    """Residual-gradient value learning, float64. Chain: line_chain(N) from the run's generator, gamma; true values
    V = (I - gamma P)^-1 r, mu the stationary distribution. Data: n transitions, s from mu, two independent
    successors s', s'' from P(s), rewards r(s) plus N(0, sigma^2) noise where set. Inputs: the position x and a
    fixed random code of 3 N(0, 1) numbers per state (drawn from the run's generator); the network 4 -> h (tanh) ->
    1, weights and biases U(+-1 / sqrt(fan-in)). Objective on a minibatch, with delta' = r + gamma V(s') - V(s):
    'rg' mean delta'^2, its gradient through V(s) and V(s') (residual gradient); 'ds' mean delta' delta'' with the
    second successor (double sampling); 'mix' Baird's residual algorithm, V(s') entering with weight eta in the
    gradient (detached for the rest), the objective's value mean delta'^2. make_opt's optimizer. Train loss: the
    objective's value on all the sampled transitions; test loss: sum_s mu(s) (V(s) - V_true(s))^2."""
    g = torch.Generator().manual_seed(593_000 + c["seed"])
    N, n, h, gam = c["N"], c["n"], c["h"], c["gamma"]
    P, r, x = line_chain(g, N)
    V = torch.linalg.solve(torch.eye(N, dtype=F64) - gam * P, r)
    mu = stationary(P)
    inp = torch.cat([x[:, None], torch.randn(N, 3, generator=g, dtype=F64)], 1)
    s = draw_states(g, mu, n)
    s1 = draw_rows(g, P, s)
    s2 = draw_rows(g, P, s)
    rew = r[s] + (c.get("sigma") or 0.0) * torch.randn(n, generator=g, dtype=F64)
    params = leaves([u64(g, 4, h, 4), u64(g, 4, h), u64(g, h, 1, h), u64(g, h, 1)])
    opt = make_opt(c, params)
    eta = c.get("eta")

    def vnet(states):
        return (torch.tanh(inp[states] @ params[0].T + params[1]) @ params[2].T + params[3]).squeeze(-1)

    def objective(i, grad):
        v0, v1 = vnet(take(s, i)), vnet(take(s1, i))
        if c["loss"] == "mix" and grad:
            v1 = eta * v1 + (1 - eta) * v1.detach()
        d1 = take(rew, i) + gam * v1 - v0
        if c["loss"] == "ds":
            return (d1 * (take(rew, i) + gam * vnet(take(s2, i)) - v0)).mean()
        return (d1 ** 2).mean()

    def step(idx):
        opt.zero_grad()
        objective(idx, True).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "bellman-residual", "hidden": h, "residual": c["loss"]},
                settings(c, ("seed", "N", "n", "gamma", "sigma", "h", "loss", "eta", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "bellman-residual-" + c["loss"],
                   "test_loss": "mu-weighted-value-mse", "visited_states": len(torch.unique(s)),
                   "visited_per_weight": "%.3g" % (len(torch.unique(s)) / count(params))})

    def log(e, final):
        run.log(e, objective(None, False), (mu * (vnet(torch.arange(N)) - V) ** 2).sum(), final=final)

    epoch_loop(g, n, c, step, log)


def runs_bellman_residual():
    # The logic: a birth-death chain of N 40 states, 100 i.i.d. transitions (about 37 states visited), rewards
    # observed with N(0, 0.5^2) noise, gamma 0.6 (at 0.8 the exact minimiser of the expected single-sample residual is
    # already far from the true values: the successors' variance is penalised); the network 4 -> h -> 1 has 6 h + 1
    # weights, so the sweep of h (2, 4, 6, 8 at the base at 2 seeds, 16, 32, 64) crosses where it can just fit the
    # visited states. Residual gradient by Adam at 0.01 on minibatches of 10, 400 epochs. One thing at a time
    # besides: clean rewards, noise 1.0, 50 and 200 transitions, gamma 0.8 and 0.4, double sampling, Baird's residual
    # algorithm at eta 0.5, momentum SGD at 0.01, RMSprop at 0.003, Adam at 0.03. Evaluation spacing mixed.
    base = dict(N=40, n=100, gamma=0.6, sigma=0.5, h=8, loss="rg", eta=None, opt="adam", lr=0.01, batch=10,
                epochs=400, eval="every:2")
    return bellman_residual, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=2, eval="every"),
        dict(h=4, eval="jitter:40"),
        dict(h=6, eval="every:2"),
        dict(h=16, eval="geom:3"),
        dict(h=32, eval="every:3"),
        dict(h=64, eval="mixed:40:4"),
        dict(sigma=None, eval="every:2"),
        dict(sigma=1.0, eval="burst:20:5"),
        dict(n=50, eval="every"),
        dict(n=200, eval="every:4"),
        dict(gamma=0.8, eval="every:2"),
        dict(gamma=0.4, eval="every:2"),
        dict(loss="ds", eval="log:40"),
        dict(loss="mix", eta=0.5, eval="every:2"),
        dict(opt="momentum", lr=0.01, eval="rand:100"),
        dict(opt="rmsprop", lr=0.003, eval="every:2"),
        dict(lr=0.03, eval="mixlog:30:40"),
    ], lambda d: "N%d-n%d-g%g%s-h%d-%s%s-%s-lr%g" % (
        d["N"], d["n"], d["gamma"], "-sig%g" % d["sigma"] if d.get("sigma") else "-clean", d["h"], d["loss"],
        "%g" % d["eta"] if d.get("eta") else "", d["opt"], d["lr"]))


FAMILIES = {"td-lambda-linear": runs_td_lambda_linear, "fitted-q-net": runs_fitted_q_net,
            "bellman-residual": runs_bellman_residual}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
