#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-second held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is small autoregressive sequence models on synthetic
languages: next-token prediction on strings drawn from a random Markov chain, a small probabilistic context-free
grammar or a hidden Markov model, noise tokens injected into a share of the training strings, the test loss the
per-token cross-entropy on held-out clean strings of the same language:

- ngram-mlp-markov: an n-gram MLP (the k previous tokens, BOS-padded, embedded and concatenated, one hidden ReLU or
  tanh layer, V logits) on strings of a random sparse Markov chain of order 1-3 over V tokens (its transition rows
  Dirichlet draws); the context k may be longer than the chain's order, so the extra context can memorise the noise.
- gru-pcfg-lm: a GRU language model (torch.nn.GRU, its weights redrawn from the run's generator) on strings of a
  small probabilistic context-free grammar of nested brackets of two kinds and letters (S -> T S | end, T -> ( S ) |
  [ S ] | letter, the nesting depth capped), ended by an end-of-string token, padded and masked.
- tinyformer-hmm-lm: a tiny causal transformer written out (token and position embeddings, 1-2 layers of multi-head
  causal self-attention and a ReLU feed-forward layer, residual connections, pre-LayerNorm without gain) on strings of
  a random hidden Markov model (K sticky hidden states, each emitting from a sparse distribution over V tokens).

Noise (inject_noise, from the run's generator): in a share 'noisy' of the training strings, 'replace' replaces each
token with probability 'rate' by a token drawn uniformly from the vocabulary (the end token excepted); 'insert'
inserts about rate times the length of random tokens at random places, the string then cut back to its length (or to
the grammar's cap). Train loss: the mean per-token cross-entropy of the next token on the training strings as given
(noise included); test loss: the same on held-out clean strings; error rates: the shares of next tokens not the
model's most likely (top-1 misses). A run whose loss turns NaN or infinite sends that evaluation as its last and stops
(train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and mlp from
train_sixtyfifth.py, and logger and train_until from train_seventyfourth.py; one thread, every random draw from a
seeded torch.Generator (languages, strings, noise, initialisations, minibatches), synthetic event times, 6
significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredsecond.py --family ngram-mlp-markov [--list] [--runs 0,3] [--out FILE]

Families (see README.md): ngram-mlp-markov, gru-pcfg-lm, tinyformer-hmm-lm. Evaluation spacings: train.py's 'every',
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
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32 = torch.float32
IGNORE = -100  # the target of a padded position (cross_entropy's ignore_index)


# ---------------------------------------------------------------------------------------------------- languages


def dirichlet(g, rows, V, alpha):
    """rows Dirichlet(alpha, ..., alpha) draws over V entries (normalised gamma draws from g), float64."""
    x = torch._standard_gamma(torch.full((rows, V), float(alpha), dtype=torch.float64), generator=g)
    x = x.clamp_min(1e-30)
    return x / x.sum(1, keepdim=True)


def markov_strings(g, table, V, order, n, L):
    """n strings of L tokens of the order-'order' chain whose next-token law, given the previous tokens (BOS = V
    before the start), is table[sum_i tok_{t-i} (V + 1)^(i-1)]; drawn from g, long tensor n x L."""
    out = torch.empty(n, L, dtype=torch.long)
    ctx = torch.full((n, order), V, dtype=torch.long)  # the last 'order' tokens, oldest first
    base = (V + 1) ** torch.arange(order - 1, -1, -1)
    for t in range(L):
        nxt = torch.multinomial(table[(ctx * base).sum(1)], 1, generator=g)[:, 0]
        out[:, t] = nxt
        ctx = torch.cat([ctx[:, 1:], nxt[:, None]], 1)
    return out


def hmm_strings(g, start, trans, emit, n, L):
    """n strings of L tokens of the hidden Markov model (start law, transition matrix, emission matrix), from g."""
    out = torch.empty(n, L, dtype=torch.long)
    z = torch.multinomial(start.expand(n, -1), 1, generator=g)[:, 0]
    for t in range(L):
        out[:, t] = torch.multinomial(emit[z], 1, generator=g)[:, 0]
        z = torch.multinomial(trans[z], 1, generator=g)[:, 0]
    return out


PCFG_TOKENS = ("(", ")", "[", "]", "x", "y", "z")  # then the end token, index 7


class Uniforms:
    """A stream of U(0, 1) draws from g, drawn in blocks of 4,096."""

    def __init__(self, g):
        self.g, self.buf, self.i = g, [], 0

    def __call__(self):
        if self.i == len(self.buf):
            self.buf, self.i = torch.rand(4096, generator=self.g, dtype=torch.float64).tolist(), 0
        self.i += 1
        return self.buf[self.i - 1]


def pcfg_strings(u, c, n):
    """n strings of the bracket grammar S -> T S (probability 'cont') | end, T -> ( S ) or [ S ] (probability 'nest',
    the two kinds equally likely, only below depth 'depth') | x, y or z (probabilities 0.5, 0.3, 0.2), each followed
    by the end token (7); a string longer than 'cap' - 1 tokens is drawn again. Draws from the stream u."""
    out = []
    while len(out) < n:
        s = []

        def S(depth):
            while u() < c["cont"] and len(s) < c["cap"]:
                T(depth)

        def T(depth):
            if depth < c["depth"] and u() < c["nest"]:
                k = 0 if u() < 0.5 else 2
                s.append(k)
                S(depth + 1)
                s.append(k + 1)
            else:
                r = u()
                s.append(4 if r < 0.5 else 5 if r < 0.8 else 6)

        S(0)
        if len(s) <= c["cap"] - 1:
            out.append(s + [7])
    return out


def inject_noise(g, strings, c, V, cap=None):
    """Noise tokens in a share c['noisy'] of the strings (lists of tokens; the last kept where cap is set, the
    grammar's end token): 'replace' each token with probability c['rate'] by one of V drawn uniformly; 'insert'
    round(rate x length) random tokens at random places, the string cut back to its length (to cap - 1 tokens before
    the end token where cap is set). All draws from g; the strings as they are where c['noisy'] is unset."""
    if not c.get("noisy"):
        return strings
    out = []
    for s in strings:
        if float(torch.rand(1, generator=g)) >= c["noisy"]:
            out.append(list(s))
            continue
        body, tail = (list(s[:-1]), [s[-1]]) if cap else (list(s), [])
        m = len(body)
        if c["kind"] == "replace":
            hit = (torch.rand(m, generator=g) < c["rate"]).tolist()
            new = torch.randint(0, V, (m,), generator=g).tolist()
            body = [b if not h else r for b, h, r in zip(body, hit, new)]
        else:
            for _ in range(int(round(c["rate"] * m))):
                at = int(torch.randint(0, len(body) + 1, (1,), generator=g))
                body.insert(at, int(torch.randint(0, V, (1,), generator=g)))
            body = body[:(cap - 1) if cap else m]
        out.append(body + tail)
    return out


def pad(strings, bos, pad_in):
    """Inputs (BOS then the string but its last token; pad_in after the end) and targets (the string; IGNORE after
    the end) as long tensors n x (longest length)."""
    T = max(len(s) for s in strings)
    x = torch.full((len(strings), T), pad_in, dtype=torch.long)
    y = torch.full((len(strings), T), IGNORE, dtype=torch.long)
    for i, s in enumerate(strings):
        x[i, 0] = bos
        x[i, 1:len(s)] = torch.tensor(s[:-1], dtype=torch.long)
        y[i, :len(s)] = torch.tensor(s, dtype=torch.long)
    return x, y


def lm_losses(logits, y):
    """The mean cross-entropy of the targets y (IGNORE skipped) and the share of them that are not the argmax."""
    K = logits.shape[-1]
    lo, t = logits.reshape(-1, K), y.reshape(-1)
    keep = t != IGNORE
    return fn.cross_entropy(lo, t, ignore_index=IGNORE), (lo.argmax(1)[keep] != t[keep]).float().mean()


def make_opt(c, params):
    """Adam, AdamW (decoupled decay wd) or SGD with heavy-ball momentum c['mom'] at c['lr']."""
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"])
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)


def clipped_step(c, opt, params, loss):
    opt.zero_grad()
    loss.backward()
    if c.get("clip"):
        torch.nn.utils.clip_grad_norm_(params, c["clip"])
    opt.step()


def noise_tags(c):
    if not c.get("noisy"):
        return {"noise": "none"}
    return {"noise": "%s-tokens" % c["kind"], "noisy_share": str(c["noisy"]), "noise_rate": str(c["rate"])}


def noise_name(d):
    return "-%s%g-of%g" % (d["kind"], d["rate"], d["noisy"]) if d.get("noisy") else "-clean"


def opt_name(d):
    return "%s-lr%g%s%s" % (d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "",
                            "-mom%g" % d["mom"] if d.get("mom") else "")


def lm_log(run, forward, x, y, xt, yt):
    log_ = logger(run)

    def log(e, final):
        ltr, etr = lm_losses(forward(x), y)
        lte, ete = lm_losses(forward(xt), yt)
        log_(e, ltr, lte, etr, ete, final=final)

    return log


# ---------------------------------------------------------------------------------------------------- ngram-mlp-markov


def ngram_mlp_markov(w, run_id, c):
    """An n-gram MLP language model on a random Markov chain, float32. Language (from the run's generator): an order
    'order' chain over V tokens, each context's next-token law a Dirichlet(alpha) draw; n training and 'test' held-out
    strings of L tokens; inject_noise on the training strings. Model: the k previous tokens (BOS = V before the
    start) embedded (an (V + 1) x emb table, N(0, 1)) and concatenated, then mlp_params k emb -> hid (ReLU or tanh) ->
    V. Loss: the cross-entropy of each next token. Optimizer: make_opt on minibatches of batch (context, next token)
    pairs. Train loss: the mean cross-entropy on the training strings as given; test loss: the same on the held-out
    clean strings; error rates: the top-1 misses."""
    g = torch.Generator().manual_seed(1_021_000 + c["seed"])
    V, o, L, k = c["V"], c["order"], c["L"], c["k"]
    table = dirichlet(g, (V + 1) ** o, V, c["alpha"])
    train_s = markov_strings(g, table, V, o, c["n"], L).tolist()
    test_s = markov_strings(g, table, V, o, c["test"], L)
    train_s = torch.tensor(inject_noise(g, train_s, c, V), dtype=torch.long)

    def pairs(s):
        m = len(s)
        padded = torch.cat([torch.full((m, k), V, dtype=torch.long), s], 1)
        ctx = torch.stack([padded[:, t:t + k] for t in range(L)], 1).reshape(-1, k)
        return ctx, s.reshape(-1)

    x, y = pairs(train_s)
    xt, yt = pairs(test_s)
    emb = leaves([torch.randn(V + 1, c["emb"], generator=g)])
    params = emb + mlp_params(g, [k * c["emb"], c["hid"], V], F32)
    act = torch.tanh if c["act"] == "tanh" else torch.relu
    opt = make_opt(c, params)

    def forward(z):
        return mlp(params[1:], params[0][z].reshape(len(z), -1), act)

    def step(idx):
        clipped_step(c, opt, params, fn.cross_entropy(forward(take(x, idx)), take(y, idx)))

    n = len(y)
    run = w.run(run_id, count(params), n, {"family": "ngram-mlp", "context": k, "embedding": c["emb"],
                                           "hidden": c["hid"], "activation": c["act"]},
                settings(c, ("seed", "V", "order", "alpha", "L", "n", "noisy", "kind", "rate", "k", "emb", "hid",
                             "act", "opt", "lr", "wd", "mom", "batch", "eval"))
                | noise_tags(c) | {"optimizer": c["opt"], "loss": "next-token-cross-entropy",
                                   "language": "markov-order%d" % o, "train_strings": str(c["n"]),
                                   "test_loss": "heldout-clean-strings-ce", "error": "top1-next-token",
                                   "test_size": str(len(yt))}, output_dim=V)
    train_until(g, n, c, step, lm_log(run, forward, x, y, xt, yt))


def runs_ngram_mlp_markov():
    # The logic: a sparse (Dirichlet 0.3) order-2 Markov chain over 6 tokens (42 contexts); 120 training strings of 20
    # tokens (2,400 next-token pairs), half of them with 30% of their tokens replaced by uniform noise tokens; an n-gram
    # MLP reading 4 previous tokens (embeddings of 8, 64 ReLU units; 2,558 weights), twice the chain's order, so that
    # the two extra tokens can memorise the noisy strings once the chain's own law is learnt; Adam at 3e-3 on
    # minibatches of 128, 150 epochs; 200 held-out clean strings. One thing at a time besides: the context 2 (the
    # order: little to memorise) and 6, width 16 and 256, tanh, clean strings, all strings noisy, the rate 0.6,
    # inserted noise tokens, 50 and 300 strings, order 1 and 3, a denser chain (Dirichlet 1), 12 tokens, AdamW with
    # decay 0.1, momentum SGD, the step 1e-2. Evaluation spacing mixed.
    base = dict(V=6, order=2, alpha=0.3, L=20, n=120, test=200, noisy=0.5, kind="replace", rate=0.3, k=4, emb=8,
                hid=64, act="relu", opt="adam", lr=3e-3, wd=None, mom=None, batch=128, epochs=150, eval="every")
    return ngram_mlp_markov, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(k=2, eval="every:2"),
        dict(k=6, eval="jitter:40"),
        dict(hid=16, eval="every"),
        dict(hid=256, eval="geom:2"),
        dict(act="tanh", eval="every"),
        dict(noisy=None, kind=None, rate=None, eval="every:3"),
        dict(noisy=1.0, eval="mixed:40:3"),
        dict(rate=0.6, eval="every"),
        dict(kind="insert", rate=0.2, eval="log:40"),
        dict(n=50, eval="every"),
        dict(n=300, eval="burst:20:5"),
        dict(order=1, eval="every:2"),
        dict(order=3, eval="every"),
        dict(alpha=1.0, eval="mixlog:30:40"),
        dict(V=12, eval="every"),
        dict(opt="adamw", wd=0.1, eval="every:2"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="rand:80"),
        dict(lr=1e-2, eval="every"),
    ], lambda d: "markov%d-V%d-a%g-n%d%s-ctx%d-e%d-%s%d-%s-b%d" % (
        d["order"], d["V"], d["alpha"], d["n"], noise_name(d), d["k"], d["emb"], d["act"], d["hid"], opt_name(d),
        d["batch"]))


# ---------------------------------------------------------------------------------------------------- gru-pcfg-lm


def gru_pcfg_lm(w, run_id, c):
    """A GRU language model on a bracket grammar, float32. Language (from the run's generator): pcfg_strings, n
    training and 'test' held-out strings (7 symbols and the end token); inject_noise on the training strings (the end
    token kept, noise drawn from the 7 symbols). Model: an embedding (BOS 8 and padding 9 included; N(0, 1)) of emb,
    a torch.nn.GRU of 'layers' layers and hid units whose weights and biases are redrawn U(+-1 / sqrt(hid)) from the
    run's generator, a linear readout to the 8 tokens. Loss: the cross-entropy of each next token, padding masked.
    Optimizer: make_opt on minibatches of batch strings, the gradient's norm clipped at clip where set. Train loss: the
    mean per-token cross-entropy on the training strings as given; test loss: the same on the held-out clean strings;
    error rates: the top-1 misses."""
    g = torch.Generator().manual_seed(1_022_000 + c["seed"])
    u = Uniforms(g)
    V = 8
    train_s = pcfg_strings(u, c, c["n"])
    test_s = pcfg_strings(u, c, c["test"])
    train_s = inject_noise(g, train_s, c, 7, cap=c["cap"])
    x, y = pad(train_s, 8, 9)
    xt, yt = pad(test_s, 8, 9)
    hid = c["hid"]
    gru = torch.nn.GRU(c["emb"], hid, num_layers=c["layers"], batch_first=True)
    with torch.no_grad():
        for q in gru.parameters():
            q.copy_(uniform(g, hid, *q.shape))
    params = leaves([torch.randn(10, c["emb"], generator=g)]) + list(gru.parameters()) \
        + mlp_params(g, [hid, V], F32)
    opt = make_opt(c, params)

    def forward(z):
        h, _ = gru(params[0][z])
        return h @ params[-2] + params[-1]

    def step(idx):
        lo = forward(take(x, idx))
        clipped_step(c, opt, params, fn.cross_entropy(lo.reshape(-1, V), take(y, idx).reshape(-1),
                                                      ignore_index=IGNORE))

    n = len(train_s)
    run = w.run(run_id, count(params), n, {"family": "gru-lm", "hidden": hid, "layers": c["layers"],
                                           "embedding": c["emb"]},
                settings(c, ("seed", "n", "cont", "nest", "depth", "cap", "noisy", "kind", "rate", "emb", "hid",
                             "layers", "opt", "lr", "wd", "mom", "clip", "batch", "eval"))
                | noise_tags(c) | {"optimizer": c["opt"], "loss": "next-token-cross-entropy",
                                   "language": "pcfg-two-brackets", "train_strings": str(n),
                                   "train_tokens": str(int((y != IGNORE).sum())),
                                   "test_loss": "heldout-clean-strings-ce", "error": "top1-next-token",
                                   "test_size": str(len(test_s))}, output_dim=V)
    train_until(g, n, c, step, lm_log(run, forward, x, y, xt, yt))


def runs_gru_pcfg_lm():
    # The logic: the bracket grammar with continuation 0.7 and nesting 0.4 below depth 4 (about 14 tokens a string),
    # strings capped at 32 tokens; 200 training strings, half of them with 25% of their symbols replaced by uniform
    # noise symbols (which break the bracket structure); a GRU (embeddings of 8, 32 units; 4,376 weights) under Adam at
    # 5e-3 on minibatches of 25, 50 epochs: it learns the grammar's letters and the closing brackets' kinds, then
    # memorises the noisy strings; 150 held-out clean strings. One thing at a time besides: width 8 and 96, two
    # layers (of 32 and of 16 units), clean strings, a quarter and all of the strings noisy, the rate 0.5, inserted
    # noise symbols, 100 and 400 strings, deeper nesting (0.45 below depth 6, continuation 0.65), AdamW with decay 0.1,
    # momentum SGD with the gradient clipped at 1, the step 2e-3 and 1.5e-2, full batch. Evaluation spacing mixed.
    base = dict(n=200, test=150, cont=0.7, nest=0.4, depth=4, cap=32, noisy=0.5, kind="replace", rate=0.25, emb=8,
                hid=32, layers=1, opt="adam", lr=5e-3, wd=None, mom=None, clip=None, batch=25, epochs=50,
                eval="every")
    return gru_pcfg_lm, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=8, eval="every:2"),
        dict(hid=96, eval="jitter:35"),
        dict(layers=2, eval="every"),
        dict(layers=2, hid=16, eval="every:2"),
        dict(noisy=None, kind=None, rate=None, eval="every:2"),
        dict(noisy=0.25, eval="every"),
        dict(noisy=1.0, eval="mixed:20:3"),
        dict(rate=0.5, eval="every"),
        dict(kind="insert", rate=0.2, eval="geom:2"),
        dict(n=100, eval="every"),
        dict(n=400, eval="log:40"),
        dict(cont=0.65, nest=0.45, depth=6, eval="every:3"),
        dict(opt="adamw", wd=0.1, eval="burst:10:4"),
        dict(opt="sgd", lr=0.5, mom=0.9, clip=1.0, eval="every"),
        dict(lr=2e-3, eval="mixlog:15:40"),
        dict(lr=1.5e-2, eval="every:2"),
        dict(batch=None, lr=1e-2, epochs=100, eval="rand:60"),
    ], lambda d: "pcfg-c%g-nest%g-d%d-n%d%s-gru%dx%d-%s-%s" % (
        d["cont"], d["nest"], d["depth"], d["n"], noise_name(d), d["layers"], d["hid"], opt_name(d),
        "b%d" % d["batch"] if d.get("batch") else "full"))


# ---------------------------------------------------------------------------------------------------- tinyformer-hmm-lm


def tinyformer_hmm_lm(w, run_id, c):
    """A tiny causal transformer language model on a hidden Markov model, float32. Language (from the run's
    generator): K hidden states, each staying with probability 'stay', else moving to a Dirichlet(1) draw's state,
    each emitting from a Dirichlet(alpha) law over V tokens; n training and 'test' held-out strings of L tokens;
    inject_noise on the training strings. Model: token (V + 1 with BOS) and position embeddings N(0, 1 / d), 'layers'
    blocks of causal multi-head self-attention (heads heads, no bias) and a ReLU feed-forward layer of 2d, residual
    connections, pre-LayerNorm without gain ('ln' none: no normalisation), a final LayerNorm and an unembedding to V
    logits; the weights U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the cross-entropy of each next token.
    Optimizer: make_opt on minibatches of batch strings. Train loss: the mean per-token cross-entropy on the training
    strings as given; test loss: the same on the held-out clean strings; error rates: the top-1 misses."""
    g = torch.Generator().manual_seed(1_023_000 + c["seed"])
    V, K, L, d, H = c["V"], c["K"], c["L"], c["d"], c["heads"]
    trans = dirichlet(g, K, K, 1.0) * (1 - c["stay"]) + c["stay"] * torch.eye(K, dtype=torch.float64)
    emit = dirichlet(g, K, V, c["alpha"])
    start = torch.full((K,), 1.0 / K, dtype=torch.float64)
    train_s = hmm_strings(g, start, trans, emit, c["n"], L).tolist()
    test_s = hmm_strings(g, start, trans, emit, c["test"], L).tolist()
    train_s = inject_noise(g, train_s, c, V)
    x, y = pad([s for s in train_s], V, V)
    xt, yt = pad([s for s in test_s], V, V)
    ps = [torch.randn(V + 1, d, generator=g) / math.sqrt(d), torch.randn(L, d, generator=g) / math.sqrt(d)]
    for _ in range(c["layers"]):
        ps += [uniform(g, d, d, d) for _ in range(4)]
        ps += [uniform(g, d, d, 2 * d), uniform(g, d, 2 * d), uniform(g, 2 * d, 2 * d, d), uniform(g, 2 * d, d)]
    ps += [uniform(g, d, d, V), uniform(g, d, V)]
    params = leaves(ps)
    mask = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)
    ln = c["ln"] == "pre"

    def norm(h):
        return fn.layer_norm(h, (d,)) if ln else h

    def forward(z):
        B, T = z.shape
        h = params[0][z] + params[1][:T]
        for i in range(c["layers"]):
            wq, wk, wv, wo, w1, b1, w2, b2 = params[2 + 8 * i:10 + 8 * i]
            a = norm(h)
            q, k_, v = ((a @ m).reshape(B, T, H, d // H).transpose(1, 2) for m in (wq, wk, wv))
            att = (q @ k_.transpose(-1, -2)) / math.sqrt(d // H)
            att = torch.softmax(att.masked_fill(mask[:T, :T], float("-inf")), -1)
            h = h + (att @ v).transpose(1, 2).reshape(B, T, d) @ wo
            h = h + torch.relu(norm(h) @ w1 + b1) @ w2 + b2
        return norm(h) @ params[-2] + params[-1]

    opt = make_opt(c, params)

    def step(idx):
        lo = forward(take(x, idx))
        clipped_step(c, opt, params, fn.cross_entropy(lo.reshape(-1, V), take(y, idx).reshape(-1)))

    n = len(train_s)
    run = w.run(run_id, count(params), n, {"family": "causal-transformer", "width": d, "heads": H,
                                           "layers": c["layers"], "norm": c["ln"]},
                settings(c, ("seed", "V", "K", "stay", "alpha", "L", "n", "noisy", "kind", "rate", "d", "heads",
                             "layers", "ln", "opt", "lr", "wd", "mom", "batch", "eval"))
                | noise_tags(c) | {"optimizer": c["opt"], "loss": "next-token-cross-entropy",
                                   "language": "hmm-%d-states" % K, "train_strings": str(n),
                                   "train_tokens": str(n * L), "test_loss": "heldout-clean-strings-ce",
                                   "error": "top1-next-token", "test_size": str(len(test_s))}, output_dim=V)
    train_until(g, n, c, step, lm_log(run, forward, x, y, xt, yt))


def runs_tinyformer_hmm_lm():
    # The logic: an HMM of 4 sticky hidden states (staying with probability 0.85) each emitting from a sparse law
    # (Dirichlet 0.2) over 12 tokens; strings of 16 tokens, so the model must infer the state from the context; 150
    # training strings (2,400 tokens), half of them with 30% of their tokens replaced by uniform noise tokens; a
    # one-layer causal transformer of width 16, 2 heads, pre-LayerNorm (2,764 weights) under Adam at 3e-3 on
    # minibatches of 30, 80 epochs: it learns the emission laws and the state's persistence, then memorises the noisy
    # strings; 200 held-out clean strings. One thing at a time besides: two layers, width 8 and 32, 1 and 4 heads, no
    # LayerNorm, clean strings, all strings noisy, the rate 0.6, inserted noise tokens, 60 and 400 strings, 8 states,
    # less sticky states (0.6), AdamW with decay 0.5, momentum SGD, the step 1e-2, full batch. Evaluation spacing
    # mixed.
    base = dict(V=12, K=4, stay=0.85, alpha=0.2, L=16, n=150, test=200, noisy=0.5, kind="replace", rate=0.3, d=16,
                heads=2, layers=1, ln="pre", opt="adam", lr=3e-3, wd=None, mom=None, batch=30, epochs=80,
                eval="every")
    return tinyformer_hmm_lm, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(layers=2, eval="every:2"),
        dict(d=8, eval="every"),
        dict(d=32, eval="jitter:40"),
        dict(heads=1, eval="every"),
        dict(heads=4, eval="geom:2"),
        dict(ln="none", eval="every:3"),
        dict(noisy=None, kind=None, rate=None, eval="every"),
        dict(noisy=1.0, eval="mixed:30:4"),
        dict(rate=0.6, eval="every:2"),
        dict(kind="insert", rate=0.2, eval="every"),
        dict(n=60, eval="log:40"),
        dict(n=400, eval="burst:20:5"),
        dict(K=8, eval="every"),
        dict(stay=0.6, eval="mixlog:30:40"),
        dict(opt="adamw", wd=0.5, eval="every:2"),
        dict(opt="sgd", lr=0.1, mom=0.9, eval="rand:50"),
        dict(lr=1e-2, eval="every"),
        dict(batch=None, lr=1e-2, epochs=200, eval="every:4"),
    ], lambda d: "hmm%d-stay%g-V%d-n%d%s-tf%dx%d-h%d-%s-%s-%s" % (
        d["K"], d["stay"], d["V"], d["n"], noise_name(d), d["layers"], d["d"], d["heads"], d["ln"], opt_name(d),
        "b%d" % d["batch"] if d.get("batch") else "full"))


FAMILIES = {"ngram-mlp-markov": runs_ngram_mlp_markov, "gru-pcfg-lm": runs_gru_pcfg_lm,
            "tinyformer-hmm-lm": runs_tinyformer_hmm_lm}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
