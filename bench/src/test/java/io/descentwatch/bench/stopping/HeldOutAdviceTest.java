package io.descentwatch.bench.stopping;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.bench.stopping.ChanceCalibration.Given;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.ToldChances;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's targets on the curves of the independent trainers held out of the advice's design (every family of
 * {@code bench/advice-trainers} but the three it was designed on), each run telling its budget as the project's
 * workers and the Python client with {@code epochs=} do. The targets are the issue's, not figures of these curves:
 * at least 95% of winning second descents kept outside the families whose training changes under the run, which the
 * rule's premise leaves out and which are named with their figures (missed since the twenty-fourth round: every loss
 * is named, family by family, so that none is added unseen); at most
 * half the epochs (median) in each family where nothing better comes (but for the families named, where it is known
 * not to hold); a kept model no further from the best than patience 10's; the chance within 10 points in every bin,
 * pooled over the families held out of its fit (later rounds than the fit's), and over each fitted family as
 * estimated by the weights fitted without it.
 */
class HeldOutAdviceTest {

    private static final Path INDEPENDENT = Path.of("src/main/resources/stopping/independent");
    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();

    /**
     * Held-out families (outside {@link #TRAINING_CHANGES}) whose runs where nothing better comes spend at most half
     * their epochs (median): the issue's target is met on these and missed on every other. No turn comes before 59% of
     * the planned epochs (the turn at 0.75 doublings, after the seventy-fourth round), so these are the families whose
     * runs are stopped earlier: by a flat train loss, a level second descent or a divergence, or within half a doubling
     * before the turn by a chance under {@code --advice-turn-chance}. Since the eighty-eighth round that chance is the
     * one the detector tells, moved by the sweep's ended runs, under 0.3 ({@code --advice-turn-chance-from sweep}, each
     * family read as one sequential sweep in its file order), written down with its rule for adoption before the
     * eighty-fourth to eighty-eighth rounds were written blind, and adopted on them (their median family from 64.0% to
     * 62.0%, none of their 61 winners lost that the rule before kept): 132 of 279 over the ninety-three rounds, for a
     * median family of 51.3% (the eighty-ninth to ninety-third, written blind after it, 7 of their 15), against 62.7%
     * with the own curve's chance under 0.1 (125 of 264 and 51.2% over the eighty-eight rounds; 59 of 249 over the
     * eighty-three rounds, 62.4%, before). Since the ninety-eighth round a run its sweep has told nothing (a sweep's
     * first runs here) reads its own chance under 0.1 ({@code --advice-untold-turn-chance}), written down with its rule
     * for adoption before the ninety-fourth to ninety-eighth rounds were written blind, and adopted on them: 138 of 294
     * over the ninety-eight rounds, for a median family of 51.3% (the ninety-fourth to ninety-eighth, 9 of their 15,
     * the same with 0.3), the chance refitted; since the hundred-second, a run converged only once its fit has ended,
     * 142 of 306 over the hundred and two rounds, for a median family of 51.5% (the ninety-ninth to hundred-second,
     * written blind after it was written down, 6 of their 12 either way; {@code sparse-parity} over half with it,
     * {@code ekf-online} with the refit); since the hundred-sixth, a second descent levelled off only once its fit has
     * ended, 150 of 318 over the hundred and six rounds, for a median family of 51.2% (the hundred-third to
     * hundred-sixth, written blind after it was written down, 7 of their 12 either way; {@code ekf-online} at half
     * again with the refit); 156 of 330 over the hundred and ten rounds, for a median family of 51.1% (the
     * hundred-seventh to hundred-tenth, written blind after a long-shot early turn was written down, 6 of their 12; 7
     * with it, not adopted); since the hundred-fourteenth, a long shot half a doubling before the early turn (a chance
     * under 0.15 from 1.75 doublings left), 178 of 341 over the hundred and fourteen rounds, for a median family of
     * 48.7% (the hundred-eleventh to hundred-fourteenth, written blind after it was written down, 9 of their 11 either
     * way, their median from 44.0% to 32.0%; 165 of 341 and 50.7% without it; {@code ekf-online} over half again with
     * the refit); the hundred-fifteenth to hundred-eighteenth, written blind with the rule unchanged (a long shot at
     * 0.1 written down for them and not adopted), 11 of their 12, their median family 34.0%: 189 of 353 over the
     * hundred and eighteen rounds, for a median family of 48.0%; the hundred-nineteenth to hundred-twenty-second,
     * written blind with the rule unchanged and nothing written down for them, 9 of their 12, their median family
     * 38.9%: 198 of 365 over the hundred and twenty-two rounds, for a median family of 47.7%. The per-family history of
     * the misses is in docs/benchmarks.md and the README. The test checks that these are the only ones, so a new miss
     * fails it, and so does a fix (update this).
     */
    private static final java.util.Set<String> AT_MOST_HALF_THE_EPOCHS = java.util.Set.of(
            "adagrad-bow",
            "adversarial-pgd",
            "ar-forecast",
            "art-tomography",
            "attention-tokens",
            "augment-ema",
            "autoencoder-digits",
            "batch-ramp",
            "beta-fourier",
            "bf16-sr-mlp",
            "bitemp-stochdepth",
            "blind-deconv-demix",
            "boost-trees",
            "bornagain-rf-softmax",
            "brier-flip",
            "cancer-rf-logit-l2",
            "cg-nystroem",
            "charlm-lstm",
            "chi2-dro-saddle",
            "cleantest-inputnoise-mlp",
            "clfratio-rff-iwgd",
            "confpl-gelu-blobs",
            "conv1d-bands",
            "coral-align",
            "costratio-rf-cancer",
            "coupling-flow-toys",
            "cox-breslow-mlp",
            "cox-partial",
            "cp-als",
            "crammer-singer",
            "crf-chain",
            "cumlink-ordinal-mlp",
            "curriculum-pace",
            "cvnn-dft-digits",
            "dann-reversal",
            "deep-ensemble",
            "deep-linear",
            "deepfact-sklearn-complete",
            "deepfact-synth-complete",
            "depth-sweep-resmlp",
            "deq-fixedpoint",
            "digitsum-deepsets",
            "droppath-resmlp",
            "dtime-hazard-net",
            "eg-exemplar-mix",
            "eiv-featnoise-rf",
            "embed-width-bag",
            "epochdd-cancer-rmsprop",
            "epochdd-mlp-sgdm",
            "es-evolve",
            "evidential-reg",
            "fair-lagrange",
            "film-conditioned",
            "finetune-unfreeze",
            "first-min-wins",
            "focal-flip",
            "fourierfeat-sqhinge-sgd",
            "ftrl-proximal",
            "fw-l1-ball",
            "fw-nuclear-complete",
            "gae-links",
            "gat-nodes",
            "gaussff-mosaic-mlp",
            "gdro-reweight-cancer",
            "gin-graphs",
            "glu-ffn-tabular",
            "gmm-em",
            "group-dro",
            "groupembed-sklearn-mlp",
            "grouplasso-input-mlp",
            "groupmul-onehot-mlp",
            "gru-sequence",
            "heavytail-mlp-losses",
            "hier-softmax",
            "hofm-anova-rank",
            "hopfield-retrieval",
            "huber-mlp-diabetes",
            "hyper-task",
            "hypernet-bump-tasks",
            "ica-natgrad",
            "icnn-convex-reg",
            "imbalance-logit",
            "jointavg-width-members",
            "kahan-bf16-linear",
            "kan-ordinal",
            "kdtemp-width-digits",
            "kernel-gd",
            "lars-lamb",
            "lbfgs-wolfe-mlp",
            "legendre-poly",
            "levmar-tanh-net",
            "linformer-proj",
            "linnerud-multiout",
            "lista-unrolled",
            "listmle-plackett",
            "llp-bag-props",
            "local-sgd-avg",
            "logistic-two-scale",
            "lognormmix-gaps-covars",
            "looped-tied-mlp",
            "lora-adapt",
            "lsmix-teacher-mlp",
            "made-gauss-tabular",
            "maml2-teacher-tasks",
            "mar-impute-mlp",
            "matrix-sensing",
            "mcnn-invsqrt-sgd",
            "mdn-mixture",
            "mixer-patches",
            "mixup-beta-mlp",
            "mkl-svr",
            "mlp-adam",
            "modop-tinyformer",
            "moe-gated",
            "monomial-tiny-ridge",
            "monotone-minmax-net",
            "multitask-trunk",
            "muon-mlp",
            "mutual-maxout",
            "nam-additive-mlp",
            "nbeats-blocks",
            "nca-metric",
            "nmf-multiplicative",
            "nnpu-prior",
            "node-solver-steps",
            "normflip-wine-mlp",
            "ntk-linearised",
            "nw-attention",
            "onecycle-mlp",
            "orbit-avg-perm",
            "ordinal-logit",
            "outlier-real-mlp",
            "pade-activation",
            "pairwise-rank",
            "partial-label-sets",
            "pegasos-hinge",
            "phase-flow",
            "pinet-ccp-poly",
            "ple-rangetest",
            "pma-vote-tables",
            "poisson-adam-eps",
            "poisson-mlp-counts",
            "poly-degree-ladder",
            "posenc-occupancy-bce",
            "ppr-expectile",
            "product-units",
            "proxl1-padded-linear",
            "quant-ste",
            "quat-hamilton-mlp",
            "radam-rectified",
            "random-features",
            "ranslope-lmm-gd",
            "raw-units",
            "rbf-learned",
            "realnvp-flow",
            "relufeat-softmax-gd",
            "rf-count-ladder",
            "ridge-rf",
            "robust-gce",
            "robust-rf-readout",
            "rpca-factor-gd",
            "sage-inductive",
            "scattering-linear",
            "selbias-digits-iwmlp",
            "selnet-coverage-mix",
            "set-hungarian",
            "sgld-chain",
            "sgns-embed",
            "siamese-margin-pairs",
            "sign-logcosh",
            "sine-dj-huber",
            "sinkhorn-hist",
            "siren-signal",
            "sk-randfeat-sgd",
            "sparse-parity",
            "sparsemax-schedfree",
            "spectral-norm-mlp",
            "spiked-cov-linreg",
            "spline-gam",
            "stagewise-resid-nets",
            "supcon-temp-embed",
            "surgical-block-shift",
            "svdd-oneclass",
            "swa-cyclic-linear",
            "tabnet-attn-select",
            "tabular-embed",
            "taskhead-pool-bce",
            "tcn-gated",
            "tobit-censored",
            "triplet-centroid",
            "triplet-semihard-mine",
            "tweedie-kfac",
            "two-layer-relu",
            "vonmises-glm",
            "vq-codebook",
            "warmexp-glm-pairs",
            "wgan-gp-digits",
            "wmf-confidence");

    /**
     * Families over half the epochs because their runs tell a schedule
     * ({@code schedule_end}): no STOP is read before a quarter doubling after the last scheduled change, the price of
     * not stopping on a problem that is about to change. The test checks that their runs do send the tag.
     */
    private static final java.util.Set<String> OVER_HALF_BY_THEIR_SCHEDULE =
            java.util.Set.of("net-grow", "pseudo-label", "freezeout-layers", "lottery-rewind", "annotator-relabel");

    /**
     * Held-out families whose training changes under the run, outside the premise the rule rests on (a fixed
     * model, objective and training set, whose curve so far says what slower features are left): weights pruned
     * from a scheduled epoch on, a regulariser switched on or ramped up late (or weight decay pulling an
     * interpolating network for thousands of epochs), a training set that grows while it trains. Their second
     * descents come from a change no curve shows before it happens; most are told STOP at interpolation or by the
     * budget before it. 13 of their 33 winners kept (9 before a training set classified without error stopped ending
     * a rise), measured once each (the thirteenth round's pruned networks before
     * {@code --advice-train-climb}, designed on them, kept 4 of 11 after it). They are named here so that the
     * issue's targets are checked on the others; the test checks that they still lose winners, so a fix fails it.
     * Their trainers did not send {@code schedule_end}; with the tag their settings imply
     * ({@code bench/advice-trainers/announce_schedule.py}, the data {@code --advice-schedule-settle} was designed on)
     * they keep 32 of the 33.
     */
    private static final Map<String, String> TRAINING_CHANGES = Map.of(
            "prune-magnitude",
            "7 of 11 kept, thirteenth round (1 of 11 before --advice-train-climb, 5 before a rise"
                    + " no longer ended at train error zero)",
            "reg-schedule",
            "5 of 11 kept, fourteenth round (4 before a rise no longer ended at train error zero)",
            "stream-grow",
            "2 of 11 kept, fourteenth round (1 before a second descent's pace was read from its peak on); mean excess"
                    + " 52.8% against patience 10's 48.8%");

    /**
     * Held-out families in which the advice is known to lose a winning second descent (its kept model more than 2%
     * above the run's best), besides {@link #TRAINING_CHANGES}, each with how many it loses (the number each entry
     * starts with). Since the eighty-eighth round the early turn reads the chance as the detector tells it, moved by
     * the sweep's ended runs, under 0.3 (each family read as one sequential sweep in its file order): 46 of the 972
     * winners of the eighty-eight rounds' families outside these are lost (95.3%), against 38 (96.1%) with the own
     * curve's chance under 0.1. The eight it adds are rises told STOP within half a doubling before the turn, with 1.01
     * to 1.21 doublings left, all on rounds before the eighty-fourth (the data the change was found on): one each of
     * {@code eos-fullbatch-mlp}, {@code gin-graphs}, {@code modular-grok}, {@code ntk-linearised}, {@code
     * pade-activation}, {@code studentt-net}, {@code tanh-student} and {@code weightnorm-relu}. The eighty-fourth to
     * eighty-eighth rounds, written blind after the change was written down with its rule for adoption and measured
     * once with and without it, lost 1 of 61 with either ({@code maml2-teacher-tasks}', by the turn itself). The
     * eighty-ninth to ninety-third, written blind after it was adopted and measured once, lost 1 of 7 that the own
     * chance under 0.1 kept ({@code deepar-rnn-nll}'s): 47 of 979 over the ninety-three rounds (95.2%). The
     * ninety-fourth to ninety-eighth, written blind after a run its sweep has told nothing came to read its own chance
     * under 0.1 was written down, and measured once with and without it, lost 4 of 30 with either: one of {@code
     * epochdd-cancer-rmsprop}'s, by the turn itself, and three of {@code modsum-attn-wd}'s, modular addition learned
     * late under weight decay: 51 of 1,009 over the ninety-eight rounds (94.9%, under the issue's 95%). Since the
     * hundred-second round a run is converged only once its fit has ended, which keeps two of those three and one of
     * {@code spectral-norm-mlp}'s; the ninety-ninth to hundred-second rounds, written blind after it was written down
     * and measured once with and without it, lost none of their 21 winners either way: 48 of 1,030 over the hundred and
     * two rounds (95.3%). Since the hundred-sixth round a second descent has levelled off only once its fit has ended,
     * which keeps the last of {@code modsum-attn-wd}'s; the hundred-third to hundred-sixth rounds, written blind after
     * it was written down and measured once with and without it, lost 1 of their 30 winners either way ({@code
     * groupmul-onehot-mlp}'s): 48 of 1,060 over the hundred and six rounds (95.5%). The hundred-seventh to
     * hundred-tenth rounds, written blind after a long-shot early turn was written down (not adopted), lost 1 of their
     * 13 with either ({@code grouplasso-input-mlp}'s, by the turn itself): 49 of 1,073 over the hundred and ten rounds
     * (95.4%). Since the hundred-fourteenth round a long shot half a doubling before the early turn is told STOP by a
     * chance under 0.15: the hundred-eleventh to hundred-fourteenth rounds, written blind after it was written down and
     * measured once with and without it, lost 1 of their 4 winners with either ({@code urnn-expm-seq}'s, by the turn
     * itself); over all the rounds it loses three that the rule before kept ({@code ica-natgrad}'s, one of {@code
     * lars-lamb}'s and one of {@code normflip-wine-mlp}'s), and a fourth with the chance refitted for it ({@code
     * heavytail-mlp-losses}', told 0.149): 54 of 1,077 over the hundred and fourteen rounds (94.99%, one under the
     * issue's 95%; 50 without it). The hundred-fifteenth to hundred-eighteenth rounds, written blind with the rule
     * unchanged and measured once, lost 1 of their 33 ({@code sine-dj-huber}'s, by the turn itself; the long shot at
     * 0.1, written down for them, loses the same one): 55 of 1,110 over the hundred and eighteen rounds (95.05%). The
     * hundred-nineteenth to hundred-twenty-second, written blind with the rule unchanged and measured once, lost 1 of
     * their 13 ({@code cleantest-inputnoise-mlp}'s, by the turn before a rise is confirmed): 56 of 1,123 over the
     * hundred and twenty-two rounds (95.01%). Since the seventy-fourth round the turn is at 0.75 doublings: the
     * seventy-third and seventy-fourth rounds, written blind while the divergence check changed and measured once at 1,
     * lost 4 of 38 (one of {@code actor-critic-bandit}'s and three of {@code eos-fullbatch-mlp}'s, late peaks), and 46
     * of the 919 held-out winners (5.005%) then peaked with fewer than 1 doubling left, past the 5% the premise allows:
     * 46 of the 885 winners of the seventy-four rounds' families outside these were lost at 1 (94.8%), 37 at 0.75
     * (95.8%), with the chance refitted. The move keeps nine, each told STOP at 1 with 0.76 to 0.97 doublings left, by
     * the turn or as a second descent that had stopped falling while its train loss still fell: {@code
     * dann-reversal}'s, {@code neural-process}'s, {@code ntk-linearised}'s, {@code shampoo-linear}'s, {@code
     * studentt-net}'s, two of {@code cgan-mixture}'s, one of {@code pade-activation}'s and one of {@code
     * eos-fullbatch-mlp}'s. The seventy-fifth and seventy-sixth rounds, written blind after the move and measured once,
     * lost none of 3 (none at 1 either): 37 of 888 over the seventy-six rounds, 95.8%. The seventy-seventh to
     * eighty-third, written blind after the move and measured once, lost none of 22: 37 of 910 over the eighty-three
     * rounds, 95.9%. From the sixty-sixth round the turn was at 1 doubling (the sixty-fifth and sixty-sixth rounds,
     * written blind and measured once at 1.25, had 43 of the 843 held-out winners, 5.1%, peak with fewer than 1.25
     * left, past the 5% the premise allows): 40 of the 810 winners of the sixty-six rounds' other hundred and
     * ninety-eight families are lost, 95.1% (46, 94.3%, at 1.25; those two rounds alone lost 8 of 26 at 1.25, 6 at 1,
     * all of them the GAN families'). The move keeps six winners: rises told STOP with 1.01 to 1.19 doublings left
     * ({@code modular-grok}, {@code polyak-sps}, {@code tanh-student}, {@code weightnorm-relu} and two of {@code
     * cgan-mixture}'s); the others lost at 1.25 are lost at 1 too, most of the turn's now told STOP with 0.73 to 0.99
     * doublings left, at the first evaluation past half the planned epochs. The sixty-seventh and sixty-eighth rounds,
     * written blind while the turn moved and measured once after it, lost none of their 4 (none at 1.25 either): 40 of
     * 814 over the sixty-eight rounds, 95.1%. The sixty-ninth and seventieth, written blind while the turn's early
     * reading by the chance was written down with its rule for adoption, and measured once with and without it, lost 2
     * of 26 with either ({@code koopman-ae}'s), and it was adopted: 42 of 840 over the seventy rounds, 95.0%, the same
     * runs with and without it; the seventy-first and seventy-second, written blind after it, lost none of 8: 42 of 848
     * over the seventy-two rounds, 95.0%. Before, since the fifty-eighth round the turn was also read before a rise is
     * confirmed, and a slowing second descent's pace is given slack: 35 of the 762 winners of the sixty rounds' other
     * hundred and eighty-five families are lost, 95.4% (39, 94.9%, before that change; it keeps seven, six slowing
     * descents whose pace passed the best only after the planned end and one projected to end above it, and loses three
     * others: two of {@code lion-sign}'s, told STOP by the turn before a rise was confirmed, and one of {@code
     * adafactor-factored}'s, a late peak). The fifty-seventh and fifty-eighth rounds, written blind and measured once
     * before the change, lost 2 of 14 ({@code async-stale-sgd}'s, the same after it); the fifty-ninth and sixtieth,
     * written blind and measured once with the advice before and after it, lost none of 20 with either; the sixty-first
     * and sixty-second, written blind after it and measured once, lost 2 of 14 ({@code pade-activation}'s, the same
     * before it): 37 of the 776 winners of the sixty-two rounds, 95.2% (41, 94.7%, before the change); the sixty-third
     * and sixty-fourth, written blind after it and measured once, lost 1 of 8 ({@code dann-reversal}'s, the same before
     * it): 38 of the 784 winners of the sixty-four rounds, 95.2% (42, 94.6%, before the change). Before, at {@code
     * --advice-turn} 1.25: 35 of the 722 winners of the fifty-two rounds' other hundred and fifty-five families, 95.2%,
     * at the issue's 95% (42, 94.2%, at 1.5, the turn until the fiftieth round, when 38 of the 755 held-out winners,
     * 5.03%, had peaked with fewer than 1.5 doublings left, past the 5% its premise allows; the forty-ninth to
     * fifty-second rounds, written blind to both turns and measured once, lost none of 3, 3, 3 and 0 at either; the
     * fifty-third and fifty-fourth, written blind to the turn at 1.25 and measured once, lost none of 1 and 2 of 4, the
     * same at 1.5, so over the fifty-four rounds 37 of 727 are lost, 94.9%, and the issue's 95% is missed again, by one
     * winner; the fifty-fifth and fifty-sixth, measured once, keep their one winner, 37 of 728 over the fifty-six
     * rounds, 94.9%). At 1.5, with a second descent's pace read from its peak on: 42 of the 709 winners of the
     * forty-six rounds' other hundred and forty families, 94.1% (the forty-fifth and forty-sixth, written blind and
     * measured once, lost none of 9 and 1 of 10; the forty-third and forty-fourth, written blind and measured once,
     * lost 1 of 15 each, and 1 and 3 with the pace read across the peak; 39 of 660 over the forty-two rounds before
     * them, 45, 93.2%, when the pace was read across the peak; the forty-first and forty-second, written blind to the
     * turn's move and measured once, lost 3 of 16 and 4 of 6, the same at 1.75; 38 of 638, 94.0%, over the forty rounds
     * before them). The turn moved from 1.75 to 1.5 after the fortieth round, when 36 of the 666 held-out winners
     * (5.4%) had peaked with fewer than 1.75 doublings left, past the 5% its premise allows ({@link
     * #winningSecondDescentsPeakWithMoreThanTheTurnLeft}); at 1.75 the forty rounds lost 48 of 638 (92.5%), and the
     * thirty-ninth and fortieth, written blind and measured once at 1.75, lost 3 of 17 and 1 of 5, all four rises told
     * STOP by the budget with 1.54 to 1.67 doublings left. Before: the thirty-seventh and thirty-eighth, written blind
     * while the chance learned its sweep, lost 3 of 17 and none of 2; 41 of 597, 93.1%, over the thirty-six rounds
     * before; the thirty-fifth and thirty-sixth rounds lost 6 of 30 and none of 5; the thirty-third and thirty-fourth,
     * measured once, lost 10 of 17 and 1 of 3: see {@code beta-fourier}; 35 of 562, 93.8%, over the thirty-four rounds;
     * 29 of 542, 94.6%, over the thirty-two rounds before them; the twenty-ninth to thirty-second rounds, written blind
     * to the change the twenty-eighth led to, lost none of 15, none of 11, 1 of 4 and none of 13; the thirty-first
     * round's one, {@code rbm-cd}'s, a noisy descent whose raw test loss had set a new best since the peak while its
     * smoothed level stood 5% above the first minimum, told STOP by the budget with 0.97 doublings left, led to the
     * turn's sparing such runs, and is kept since; the twenty-eighth, measured once before the change it led to, lost
     * all five of {@code modular-grok}'s, grokking runs told STOP at train error zero: 33 of 499 then; 28 of 485 over
     * the twenty-seven rounds before; 95.1%, 22 of 453, over the twenty-three rounds before; at 2, the default through
     * the twenty-first round, 26 of 453; the twenty-second to twenty-seventh rounds, written blind to the turn, lose 4
     * of 19, none of 10, 3 of 15, none, none of 1 and 3 of 16. At 1.25, twenty-three are the budget's: seventeen rises
     * told STOP with 0.83 to 1.23 doublings left (three of {@code beta-fourier}, one each of {@code lars-lamb}, {@code
     * dsm-score}, {@code maf-flow}, {@code modular-grok}, {@code polyak-sps}, {@code sgld-chain}, {@code
     * sinkhorn-hist}, {@code siren-signal}, {@code studentt-net}, {@code tanh-student}, {@code weightnorm-relu}, {@code
     * shampoo-linear}, {@code ntk-linearised} and {@code neural-process}) and six slowing descents whose pace passes
     * the best only after the planned end. At 1.5, thirty were the budget's: twenty-four rises told STOP with 0.84 to
     * 1.47 doublings left (three of the thirty-third round's {@code beta-fourier}, two each of {@code lars-lamb} and
     * the thirty-ninth round's {@code shampoo-linear}, one each of {@code dsm-score}, {@code ekf-online}, {@code
     * maf-flow}, {@code modular-grok}, {@code polyak-sps}, {@code sgld-chain}, {@code sinkhorn-hist}, {@code
     * siren-signal}, {@code studentt-net}, {@code tanh-student}, {@code tcn-gated}, {@code weightnorm-relu}, the
     * forty-second round's {@code ntk-linearised} and {@code spectral-norm-mlp}, the forty-third's {@code
     * adafactor-factored}, the forty-fourth's {@code neural-process} and the forty-sixth's {@code adagrad-bow}) and six
     * slowing descents whose pace passes the best only after the planned end (two of them the ninth round's, on a
     * step-valued test error, one the thirteenth round's {@code pegasos-hinge}, one {@code spectral-norm-mlp}'s), the
     * same six at 1.25. Five are slowing descents projected to end above the best (lost without the budget too; two of
     * them the forty-first round's {@code neural-ode-rk4}, on a plateau after Adam's overshoot in its first epochs;
     * thirteen when the pace was read across the peak); one, {@code spectral-norm-mlp}'s, told "converged" at the
     * interpolation threshold with a flat test loss, a quarter doubling before its best; four descents that stopped
     * falling 8% to 48% above the first minimum (three of the thirty-fifth round's {@code maf-flow}, one of {@code
     * triplet-centroid}); one, the thirteenth round's {@code sam-relu}, a slow tail under the first minimum told
     * levelled off; one, the thirteenth round's {@code pegasos-hinge}, a train loss 90 times its start in the first
     * steps of Pegasos (step 1/lambda), read as diverged, that came back. The test checks that these are the only
     * losses, family by family, so a new loss fails it, and so does a fix (update this).
     */
    /** When the losses that reading the sweep's chance in the early turn brought came. */
    private static final String SINCE_THE_SWEEPS_TURN = " since the early turn came to read the chance its sweep has"
            + " moved (--advice-turn-chance-from sweep at 0.3, after the eighty-eighth round)";

    private static final Map<String, String> LOSES_WINNERS = Map.ofEntries(
            Map.entry(
                    "cleantest-inputnoise-mlp",
                    "1 of 6, hundred-twentieth round: no new best for more than a doubling and not falling, told STOP"
                            + " by the turn before a rise was confirmed at epoch 246 of 400 with 0.70 doublings left,"
                            + " its best 6% under its first minimum at epoch 333"),
            Map.entry(
                    "sine-dj-huber",
                    "1 of 1, hundred-eighteenth round: a test loss 5% above its first minimum and not falling, told"
                            + " STOP by the turn at epoch 246 of 400 with 0.70 doublings left, its best 12% under its"
                            + " first minimum at the last epoch, 399"),
            Map.entry(
                    "heavytail-mlp-losses",
                    "1 of 3, ninety-eighth round: told STOP by the long shot at epoch 91 of 300 with 1.71 doublings"
                            + " left, by a chance of 0.149 (since the hundred-fourteenth round, after the chance's"
                            + " refit; 0.15 and over before it), its best 7% under its first minimum at 169"),
            Map.entry(
                    "ica-natgrad",
                    "1 of 1, thirty-third round: told STOP by the long shot at epoch 308 of 1,000 with 1.70 doublings"
                            + " left, by a chance of 0.011 (since the hundred-fourteenth round), its best 4% under its"
                            + " first minimum at 564"),
            Map.entry(
                    "normflip-wine-mlp",
                    "1 of 9, hundred-fifth round: told STOP by the long shot at epoch 49 of 150, 234% above its first"
                            + " minimum with 1.59 doublings left, by a chance of 0.0006 (since the hundred-fourteenth"
                            + " round), its best 33% under its first minimum at 53"),
            Map.entry(
                    "urnn-expm-seq",
                    "1 of 2, hundred-thirteenth round: a level test loss told STOP by the turn at epoch 78 of 120 with"
                            + " 0.62 doublings left, its best 5% under its first minimum at 80 (lost by the rule before"
                            + " the long shot too)"),
            Map.entry(
                    "epochdd-cancer-rmsprop",
                    "1 of 1, ninety-fourth round: a level test loss told STOP by the turn at epoch 368 of 600 with 0.70"
                            + " doublings left, its best at epoch 452 (lost by every reading of the early turn)"),
            Map.entry(
                    "grouplasso-input-mlp",
                    "1 of 1, hundred-tenth round: a level test loss told STOP by the turn at epoch 60 of 100 with 0.73"
                            + " doublings left, its best 9% under its first minimum at epoch 66 (lost either way by the"
                            + " change its round judged)"),
            Map.entry(
                    "groupmul-onehot-mlp",
                    "1 of 12, hundred-third round: composition in S4 learned under weight decay, a second descent"
                            + " told levelled 56% under the first minimum at epoch 161 of 300 with its fit ended, 4%"
                            + " above its best at 275 (lost either way by the change its round judged)"),
            Map.entry("augment-ema", "1 of 4, eleventh round"),
            Map.entry("sam-relu", "1 of 10, thirteenth round"),
            Map.entry(
                    "pegasos-hinge",
                    "1 of 5, thirteenth round (2 before the change to the advice after the fifty-eighth round: a"
                            + " slowing descent whose pace passed the best only after the planned end, kept since)"),
            Map.entry(
                    "lars-lamb",
                    "2 of 4, twentieth round: one told STOP by the long shot at epoch 715 of 2,000 with 1.48 doublings"
                            + " left, by a chance of 0.092, its best 2.1% under its first minimum at the last epoch"
                            + " (since the hundred-fourteenth round); a rise told STOP by the turn at epoch 1,018 of"
                            + " 2,000 with 0.97 doublings left (at 864 with 1.21 left at --advice-turn 1.25; 2 at 1.5,"
                            + " with 1.34 and 1.44 left, one a drift 2% under the first minimum)"),
            Map.entry(
                    "sgld-chain",
                    "2 of 13, twenty-second round: a rise told STOP by the budget with 0.85 doublings left and a"
                            + " slowing descent projected to end above the best (3 at --advice-turn 1.75)"),
            Map.entry(
                    "triplet-centroid",
                    "1 of 1, twenty-second round: a descent told it had stopped falling 8% above the first minimum (a"
                            + " slowing descent projected to end above the best before its pace was read from its"
                            + " peak on)"),
            Map.entry(
                    "siren-signal",
                    "1 of 6, twenty-fourth round: a rise told STOP by the turn at epoch 1,808 of 3,000 with 0.73"
                            + " doublings left (1.01 left at --advice-turn 1.25, 1.30 at 1.5; 2 lost at 1.75)"),
            Map.entry(
                    "dsm-score",
                    "1 of 4, twenty-seventh round: a rise told STOP with 0.84 doublings left, whose best comes 13"
                            + " epochs before the end"),
            Map.entry(
                    "beta-fourier",
                    "3 of 9, thirty-third round: three rises told STOP, two within half a doubling before the turn"
                            + " at epochs 1,440 and 1,460 of 4,000 by a chance under --advice-turn-chance, one by the"
                            + " turn at 2,040 (all three at 2,020 to 2,040 with 0.97 to 0.99 doublings left without"
                            + " that chance; 1.20 to 1.23 at --advice-turn 1.25, 1.45 to 1.47 at"
                            + " 1.5; all 9 lost when measured once, its negative train loss read as the training set"
                            + " fitted; 4 before a second descent's pace was read from its peak on)"),
            Map.entry(
                    "maf-flow",
                    "4 of 13, thirty-fifth round (written blind to the rule of then): flows whose test loss jumps"
                            + " under MADGRAD before a lower minimum; three told the second descent had stopped"
                            + " falling 18% to 57% above the first minimum, one a rise told STOP at epoch 730 of 2,000"
                            + " by a chance under --advice-turn-chance (by the turn with 0.97 doublings left without"
                            + " it; 1.20 at --advice-turn 1.25, 1.45 at 1.5; 5 before a second descent's"
                            + " pace was read from its peak on)"),
            Map.entry(
                    "sinkhorn-hist",
                    "1 of 3, fortieth round (written blind): a rise told STOP by the turn at epoch 2,040 of 4,000,"
                            + " with 0.97 doublings left, 6% above its first minimum, whose best is 5% under it"
                            + " (1,740 at --advice-turn 1.25, 1,460 at 1.5)"),
            Map.entry(
                    "neural-ode-rk4",
                    "2 of 14, forty-first round (written blind to the turn at 1.5): slowing descents projected to end"
                            + " above the best at epochs 77 and 93 of 800, on a plateau after Adam's first steps"
                            + " overshoot, whose best comes hundreds of epochs later, under a raw best the smoothed"
                            + " level never reached (3, at epochs 24 to 74, before a second descent's pace was read"
                            + " from its peak on)"),
            Map.entry(
                    "linnerud-multiout",
                    "2 of 2, fifty-fourth round (written blind to the turn at 1.25): a rise told STOP by the turn at"
                            + " epoch 1,010 of 2,000 with 0.99 doublings left (855 at --advice-turn 1.25), and a"
                            + " slowing descent projected to end above the best at epoch 350 (lost without the budget"
                            + " too; both lost at 1.5 as well)"),
            Map.entry(
                    "adafactor-factored",
                    "1 of 13, forty-third round (written blind): a rise that peaked 0.19 doublings before the planned"
                            + " end, told STOP by the turn at epoch 527 of 600, its third STOP judged in a row, the"
                            + " first two read before the rise was confirmed (kept before the change to the advice"
                            + " after the fifty-eighth round)"),
            Map.entry(
                    "lion-sign",
                    "2 of 2, forty-third round (written blind): runs of 120 epochs under Lion told STOP by the turn"
                            + " before a rise was confirmed, at epochs 70 and 94, their test loss not falling and no"
                            + " new best for a doubling (kept before the change to the advice after the fifty-eighth"
                            + " round)"),
            Map.entry(
                    "async-stale-sgd",
                    "2 of 7, fifty-seventh round (written blind, measured once before the change to the advice after"
                            + " the fifty-eighth round, the same after it): rises told STOP by the turn at epochs"
                            + " 154 and 214 of 300, with 0.96 and 0.49 doublings left (130 and 214 at --advice-turn"
                            + " 1.25); four of its seven winners peaked with fewer than 1.25 left"),
            Map.entry(
                    "pade-activation",
                    "2 of 4, sixty-first round (written blind after the change to the advice that followed the"
                            + " fifty-eighth round, measured once; the same before it; 2 lost until the turn moved to"
                            + " 0.75, 1 after): a run told at epoch 242 of 400 that its second descent had stopped"
                            + " falling, its test loss blown up to a thousand times the first minimum, and,"
                            + SINCE_THE_SWEEPS_TURN
                            + ", a rise told STOP at epoch 172 of 400 with 1.21 doublings left by a chance of"
                            + " 0.03"),
            Map.entry(
                    "gan-ring",
                    "3 of 11, sixty-fifth round (written blind after the change to the advice that followed the"
                            + " fifty-eighth round, measured once at --advice-turn 1.25, the same number at 1): GANs"
                            + " whose MMD oscillates, rises told STOP by the turn at epochs 80 to 88 of 150 with 0.76"
                            + " to 0.90 doublings left (one at 68 with 1.13 left at 1.25)"),
            Map.entry(
                    "koopman-ae",
                    "2 of 9, sixty-ninth round (written blind while the chance's early turn was written down, measured"
                            + " once with and without it, the same): Koopman autoencoders whose multi-step error"
                            + " rises late, told STOP by the turn at epochs 45 and 54 of 80 with 0.82 and 0.56"
                            + " doublings left"),
            Map.entry(
                    "cgan-mixture",
                    "1 of 15, sixty-fifth round (written blind, measured once at --advice-turn 1.25, 5 lost there, 3"
                            + " at 1): one told at epoch 74 of 150 its train loss had been flat since epoch 34"),
            Map.entry(
                    "actor-critic-bandit",
                    "1 of 8, seventy-third round (written blind while the divergence check changed, measured once at"
                            + " --advice-turn 1, the same at 0.75): a run with no new best for a doubling told STOP by"
                            + " the turn at epoch 154 of 200 with 0.375 doublings left, its best at epoch 188"),
            Map.entry(
                    "eos-fullbatch-mlp",
                    "3 of 14, seventy-fourth round (written blind while the divergence check changed, measured once at"
                            + " --advice-turn 1, 3 lost there): full-batch runs at the edge of stability told STOP by"
                            + " the turn at epochs 490 and 492 of 800 with 0.71 and 0.70 doublings left, their best at"
                            + " epochs 545 and 708, and," + SINCE_THE_SWEEPS_TURN
                            + ", one at epoch 168 of 380 with 1.17 doublings left"
                            + " by a chance of 0.08"),
            Map.entry(
                    "deepar-rnn-nll",
                    "1 of 2, ninetieth round (written blind after the sweep's early turn was adopted, measured once;"
                            + " kept by the own curve's chance under 0.1): a rise told STOP within half a doubling"
                            + " before the turn at epoch 28 of 60 with 1.07 doublings left by a chance of 0.06 as its"
                            + " sweep had moved it, its best at epoch 49"),
            Map.entry(
                    "maml2-teacher-tasks",
                    "1 of 5, eighty-sixth round (written blind while the sweep's early turn was written down, measured"
                            + " once with and without it, the same): a rise told STOP by the turn at epoch 138 of 200"
                            + " with 0.53 doublings left, its best at epoch 194"),
            Map.entry(
                    "gin-graphs",
                    "1 of 4" + SINCE_THE_SWEEPS_TURN
                            + ": a rise told STOP at epoch 54 of 120 with 1.14 doublings left by a chance of"
                            + " 0.27, its best at epoch 56"),
            Map.entry(
                    "modular-grok",
                    "1 of 5" + SINCE_THE_SWEEPS_TURN
                            + ": a grokking run told STOP at epoch 1,320 of 3,000 with 1.18 doublings left by"
                            + " a chance of 0.007 as its sweep had moved it (its own curve's was over 0.1), its test"
                            + " loss falling from 4.45 to 0.64 by the end"),
            Map.entry(
                    "ntk-linearised",
                    "1 of 2" + SINCE_THE_SWEEPS_TURN
                            + ": a rise told STOP at epoch 2,175 of 5,000 with 1.20 doublings left, its best"
                            + " 4% under the first minimum at the end"),
            Map.entry(
                    "studentt-net",
                    "1 of 7" + SINCE_THE_SWEEPS_TURN
                            + ": a rise told STOP at epoch 176 of 400 with 1.18 doublings left, its best at"
                            + " epoch 304"),
            Map.entry(
                    "tanh-student",
                    "1 of 8" + SINCE_THE_SWEEPS_TURN
                            + ": a rise told STOP at epoch 957 of 2,000 with 1.06 doublings left, its best at"
                            + " the end"),
            Map.entry(
                    "weightnorm-relu",
                    "1 of 8" + SINCE_THE_SWEEPS_TURN
                            + ": a rise told STOP at epoch 3,981 of 8,000 with 1.01 doublings left, its best at"
                            + " the end"));

    /**
     * Held-out families whose kept model is on average further from the run's best than patience 10's, with what was
     * measured. The test checks that they are the only ones, so a new one fails it, and so does a fix (update this).
     */
    private static final Map<String, String> MORE_EXCESS_THAN_PATIENCE_10 = Map.of(
            "raw-units",
            "nineteenth round: 2.1% against 0.8%, from a run without a bump told 'converged' at epoch 275 of 50,000"
                    + " (both losses flat for a doubling) whose features in natural units bring its test loss from"
                    + " 0.674 to 0.496 by the end, and its one winner lost",
            "svgp-inducing",
            "twenty-seventh round: 18.6% against 6.7%, most of it a run told 'converged' at epoch 1,328 of 3,000 (both"
                    + " losses flat at 0.196) whose test loss falls to 0.0386 by epoch 2,016");

    /**
     * The bins (by their lower edge) in which the chance is known to be more than 10 points off, pooled over the
     * families of rounds held out of its fit that came after it (the twenty-fourth to thirty-sixth), with the budget
     * told: -1, -5, -10 (just past), +3 and +9 points from 0.0-0.1 to 0.7-0.9 (-2, -8, -13, +1 and +8 to the
     * thirty-fourth; the thirty-fifth and thirty-sixth alone +2, +10, +6, +12, +15) under the weights refitted after
     * the budget's turn stopped telling STOP to a run with a new best since its peak (after the thirty-second round)
     * and a train loss under zero stopped counting as fitted (after the thirty-third; the thirty-third and
     * thirty-fourth rounds alone, measured once before the second: +5, -5, -8, +4 and +13; the twenty-fourth to
     * thirty-second: -2, -10, -13, -4 and +8 under the weights refitted after the twenty-eighth round; -1, -10, -15, -9
     * and +6 over the twenty-fourth to thirtieth; before that refit, on the twenty-fourth to twenty-seventh: -3, -8,
     * -17, -4 and +13). The twenty-fourth and twenty-fifth rounds, the first written after the fit, were within 9 in
     * every bin; the twenty-sixth, with one winner in 65 runs, is 22 and 37 points too high at 0.1-0.5. A refit on the
     * twelfth to thirtieth rounds was tried and judged on the thirty-first and thirty-second, and not kept
     * (docs/benchmarks.md). With the thirty-seventh and thirty-eighth rounds, written blind (-4, -0, -6, +6, +7 on
     * their own), the twenty-fourth to thirty-eighth are within 10 points in every bin (-1, -5, -10 by less than a
     * point, +3, +9); with the thirty-ninth and fortieth, after the refit that followed the turn's move to 1.5
     * doublings, -2, -5, -9, +3 and +9. With the forty-first to forty-fourth, after the refit that followed a second
     * descent's pace being read from its peak on, -2, -4, -1, +3 and +10.2 (-2, -3, -1, +4 and +11 with the forty-fifth
     * and forty-sixth): 0.7-0.9 is off, by a fifth of a point before those two (2,009 of 2,345 went on to beat the best
     * against a mean chance of 0.75; the forty-third and forty-fourth alone +15 and +21 there, written blind with many
     * winners); with the forty-seventh and forty-eighth, written blind with few winners, -2, -3, +0, +5 and +10, just
     * within at 0.7-0.9 again; after the refit that followed the turn's move to 1.25 doublings, with the forty-ninth to
     * fifty-second rounds, written blind, -3, -4, -0, +7 and +9 (-13 on 14 advice over 0.9, under the floor), log loss
     * 0.477; with the fifty-third and fifty-fourth, -3, -4, -1, +7 and +9, 0.473; moved by the sweep, as the detector
     * tells it, every bin is within 4 points ({@link #MOVED_MISCALIBRATED_BINS}). The test checks that these are the
     * only bins off, so a new miss fails it, and so does a fix (update this).
     */
    private static final java.util.Set<Double> MISCALIBRATED_BINS = java.util.Set.of();

    /**
     * The same for the first eleven rounds' families ({@link StoppingCurves#ASKED_FOR_WINNERS}, held out of the fit
     * since the twenty-fourth round): their trainers were asked for runs that win, and the chance, fitted on trainers
     * that were not, says too little there: +1, +11, +20, +9.96 and +11 points from 0.0-0.1 to 0.7-0.9 since the refit
     * after the long shot was adopted (after the hundred-fourteenth round), the 0.5-0.7 bin inside the 10 points by a
     * twenty-fifth of a point; +1, +11, +20, +10.05 and +11 since the refit after a second descent came to level off
     * only once its fit has ended (after the hundred-sixth round), the 0.5-0.7 bin outside the 10 points by a twentieth
     * of a point; +1, +11, +20, +9.98 and +11 since the refit after the turn
     * moved to 0.75 doublings (after the seventy-fourth round), the 0.5-0.7 bin inside the 10
     * points by a fiftieth of a point; +0, +12, +20, +10.4 and +11 since the refit after the fifty-eighth round, when
     * the turn came to be read before a rise is confirmed (+0, +13, +20, +10
     * just under, and +11 since the refit after the turn moved to 1.25 doublings; -1, +12, +20, +10 and +11 since the
     * refit after a second
     * descent's pace came to be read from its peak on; +1, +10.3, +20, +9 and +12 since the refit after the turn moved
     * to 1.5 doublings; +0, +10.0, +20, +8 and +12 since the refits after the thirty-second and thirty-third rounds;
     * +1, +4, +19, +7 and +13 before them).
     */
    private static final java.util.Set<Double> MISCALIBRATED_BINS_ASKED_FOR_WINNERS = java.util.Set.of(0.1, 0.3, 0.7);

    /** Every independent trainer's run, as its trainer sent it. */
    private static List<Curve> independent;

    /** The runs of the families held out of the rule's design, each telling its budget, by family. */
    private static Map<String, List<Curve>> families;

    /** What each family's runs are told of their sweep, read as one sequential sweep in its file order. */
    private static SweepMoves sweeps;

    @BeforeAll
    static void load() throws IOException {
        independent = new ArrayList<>();
        try (Stream<Path> files = Files.list(INDEPENDENT)) {
            for (Path file : files.sorted().toList()) {
                independent.addAll(StoppingCurves.load(file));
            }
        }
        families = new TreeMap<>();
        for (Curve c : independent) {
            if (!StoppingCurves.designedOn(c)) {
                families.computeIfAbsent(c.family(), f -> new ArrayList<>()).add(c.withBudgetAnnounced());
            }
        }
        sweeps = SweepMoves.of(families.values().stream().flatMap(List::stream).toList(), SETTINGS);
    }

    @Test
    void theHeldOutFamiliesAreThere() {
        // the thirty-two held-out rounds' hundred and one families, with runs of both kinds between them
        assertThat(families).hasSizeGreaterThanOrEqualTo(101);
        // the benchmark's pooled figures leave out the same families as these tests
        assertThat(TRAINING_CHANGES.keySet()).isEqualTo(StoppingCurves.UNTOLD_TRAINING_CHANGES);
        assertThat(families.values().stream().flatMap(List::stream).map(Curve::kind))
                .contains(Curve.Kind.SECOND_DESCENT_WINS, Curve.Kind.NOTHING_BETTER);
    }

    @Test
    void keepsWinningSecondDescentsAndStopsWhereNothingBetterComes() {
        StoppingRule advice = StoppingRule.descentWatch(SETTINGS, sweeps);
        StoppingRule patience10 = StoppingRule.patience(10);
        int winning = 0;
        int kept = 0;
        java.util.Set<String> atMostHalf = new java.util.TreeSet<>();
        Map<String, Integer> losing = new TreeMap<>();
        java.util.Set<String> moreExcess = new java.util.TreeSet<>();
        for (Map.Entry<String, List<Curve>> family : families.entrySet()) {
            StoppingBench.Row row = StoppingBench.score(advice, family.getValue());
            StoppingBench.Row classic = StoppingBench.score(patience10, family.getValue());
            if (TRAINING_CHANGES.containsKey(family.getKey())) {
                assertThat(row.winningKept())
                        .as(family.getKey() + ": " + TRAINING_CHANGES.get(family.getKey()))
                        .isLessThan(row.winning());
                continue;
            }
            winning += row.winning();
            kept += row.winningKept();
            if (row.winningKept() < row.winning()) {
                losing.put(family.getKey(), row.winning() - row.winningKept());
            }
            if (row.nothingBetter() > 0 && row.medianEpochShare() <= 0.5) {
                atMostHalf.add(family.getKey());
            }
            if (row.meanExcess() > classic.meanExcess() + 0.005) {
                moreExcess.add(family.getKey());
            }
        }
        assertThat(moreExcess)
                .as("families whose kept model is on average further from the best than patience 10's")
                .isEqualTo(MORE_EXCESS_THAN_PATIENCE_10.keySet());
        assertThat(atMostHalf)
                .as("families where the median share of epochs where nothing better comes is at most half")
                .isEqualTo(AT_MOST_HALF_THE_EPOCHS);
        for (String family : OVER_HALF_BY_THEIR_SCHEDULE) {
            assertThat(atMostHalf).as(family + ": over half by its schedule").doesNotContain(family);
            assertThat(families.get(family))
                    .as(family + ": runs that tell their schedule")
                    .anySatisfy(c -> assertThat(c.events().get(0).scheduleEnd()).isPositive());
        }
        Map<String, Integer> knownLosses = new TreeMap<>();
        LOSES_WINNERS.forEach((family, what) -> knownLosses.put(family, Integer.parseInt(what.split(" of ")[0])));
        assertThat(losing)
                .as("winning second descents lost per family (" + kept + " of " + winning + " kept outside the"
                        + " families whose training changes under the run; the issue's target is 95%)")
                .isEqualTo(knownLosses);
        assertThat(winning).isGreaterThanOrEqualTo(40);
    }

    /**
     * Read with every run told nothing by its sweep ({@link SweepMoves#NONE}): how {@code train --stop auto} advises in
     * process, and how a sweep whose runs all train at once is told. Each run's early turn then reads its own curve's
     * chance against {@code --advice-untold-turn-chance}: at 0.1, since the ninety-eighth round, 967 of 1,009 winners
     * are kept over the ninety-eight rounds (95.8%; 991 of 1,030 over the hundred and two, 96.2%; 1,021 of 1,060 over
     * the hundred and six, 96.3%; 1,034 of 1,073 over the hundred and ten, 96.4%; 1,028 of 1,077 over the hundred and
     * fourteen with the long shot, 95.45%, 1,037 without it; 1,060 of 1,110 over the hundred and eighteen, 95.5%; 1,072
     * of 1,123 over the hundred and twenty-two, 95.5%); at 0.3, the rule before, 953 (94.4%), and 927 of 979 (94.7%)
     * over the ninety-three rounds before them. The issue's 95% must hold where the sweep says nothing, too.
     */
    @Test
    void keepsTheIssuesShareOfWinnersWithEveryRunToldNothingByItsSweep() {
        StoppingRule advice = StoppingRule.descentWatch(SETTINGS, SweepMoves.NONE);
        int winning = 0;
        int kept = 0;
        for (Map.Entry<String, List<Curve>> family : families.entrySet()) {
            if (!TRAINING_CHANGES.containsKey(family.getKey())) {
                StoppingBench.Row row = StoppingBench.score(advice, family.getValue());
                winning += row.winning();
                kept += row.winningKept();
            }
        }
        assertThat(winning).isGreaterThanOrEqualTo(40);
        assertThat((double) kept / winning)
                .as(kept + " of " + winning + " winners kept with every run told nothing by its sweep")
                .isGreaterThanOrEqualTo(0.95);
    }

    /**
     * The turn's premise ({@code --advice-turn}, {@link TurnPremise}): a winning second descent turns with more than
     * the turn's doublings of its run left, so a run still rising with fewer left is told STOP. The issue allows 5% of
     * winners lost; were more than that to peak too late, the turn alone would lose them. (From the peak to below the
     * first minimum takes no set time: a quarter pass within a doubling, so that is not what it rests on.)
     */
    @Test
    void winningSecondDescentsPeakWithMoreThanTheTurnLeft() {
        double turn = SETTINGS.advice().turnDoublings();
        List<TurnPremise.Course> courses = families.values().stream()
                .flatMap(List::stream)
                .map(TurnPremise::of)
                .flatMap(java.util.Optional::stream)
                .toList();
        long late = courses.stream().filter(c -> c.doublingsLeftAtPeak() < turn).count();

        assertThat(courses).as("held-out winning second descents").hasSizeGreaterThanOrEqualTo(40);
        assertThat((double) late / courses.size())
                .as(late + " of " + courses.size() + " held-out winners peaked with fewer than " + turn
                        + " doublings left")
                .isLessThanOrEqualTo(0.05);
    }

    @Test
    void theChanceIsCalibratedWithinTenPointsOnFamiliesHeldOutOfItsFitButForTheKnownMisses() {
        java.util.Set<String> later = new java.util.TreeSet<>(families.keySet());
        later.removeAll(StoppingCurves.CHANCE_FAMILIES);
        later.removeAll(StoppingCurves.ASKED_FOR_WINNERS);
        assertThat(later).as("families of rounds after the chance's fit").isNotEmpty();
        List<ToldChances.Bin> afterTheFit = bins(later::contains);
        assertThat(binsOff(afterTheFit))
                .as("bins more than 10 points off, pooled over " + later + ": " + afterTheFit)
                .isEqualTo(MISCALIBRATED_BINS);
        List<ToldChances.Bin> askedForWinners = bins(StoppingCurves.ASKED_FOR_WINNERS::contains);
        assertThat(binsOff(askedForWinners))
                .as("bins more than 10 points off, pooled over the first eleven rounds: " + askedForWinners)
                .isEqualTo(MISCALIBRATED_BINS_ASKED_FOR_WINNERS);
    }

    /**
     * What a sweep's ended runs add, as the detector tells it ({@link SweepAwareChance}): on the families of rounds
     * after the chance's fit, each read as one sweep run after run, each run's chance moved by the runs that ended
     * before it says what followed better (lower log loss) than each run's own curve's chance, and a sweep's mean
     * chance lies more than 10 points from what followed in fewer than a third as many families. Pooled over those
     * families, the moved chance is off by more than 10 points in the bins {@link #MOVED_MISCALIBRATED_BINS}: none
     * since the move has a slope (with an offset alone, 0.3-0.5 was 12 points too high).
     */
    @Test
    void theEndedRunsOfASweepSayMoreThanTheChanceAloneOnFamiliesHeldOutOfItsFit() {
        java.util.Set<String> later = new java.util.TreeSet<>(families.keySet());
        later.removeAll(StoppingCurves.CHANCE_FAMILIES);
        later.removeAll(StoppingCurves.ASKED_FOR_WINNERS);
        List<Curve> curves =
                later.stream().flatMap(f -> families.get(f).stream()).toList();
        List<Given> alone = ChanceCalibration.given(curves, SETTINGS);
        // not the same advice, row for row: the early turn reads the chance as told, so a run told a lower chance
        // by its sweep may be told STOP sooner and given fewer advice
        List<Given> moved = SweepAwareChance.given(curves, SETTINGS, 1);
        assertThat(ChanceCalibration.logLoss(moved))
                .as("log loss moved by the sweep, against the chance alone")
                .isLessThan(ChanceCalibration.logLoss(alone));
        long ownOff = CalibrationBySweep.offByMoreThan(CalibrationBySweep.levelsByFamily(alone), 10);
        long movedOff = CalibrationBySweep.offByMoreThan(CalibrationBySweep.levelsByFamily(moved), 10);
        assertThat(3 * movedOff)
                .as("sweeps whose mean chance is more than 10 points off: " + movedOff + " moved, " + ownOff + " alone")
                .isLessThan(ownOff);
        assertThat(binsOff(ChanceCalibration.bins(moved)))
                .as("bins more than 10 points off, moved by the sweep: " + ChanceCalibration.bins(moved))
                .isEqualTo(MOVED_MISCALIBRATED_BINS);
    }

    /** The bins (lower edges) of the moved chance more than 10 points off, pooled over the rounds after the fit. */
    private static final java.util.Set<Double> MOVED_MISCALIBRATED_BINS = java.util.Set.of();

    /** The lower edges of the bins of 20 advice or more whose chance is more than 10 points off. */
    private static java.util.Set<Double> binsOff(List<ToldChances.Bin> bins) {
        assertThat(bins).as("the ranges of chance given").hasSizeGreaterThanOrEqualTo(5);
        java.util.Set<Double> off = new java.util.TreeSet<>();
        for (ToldChances.Bin bin : bins) {
            if (bin.told() >= ChanceCalibration.BIN_FLOOR && Math.abs(bin.gapPoints()) > 10) {
                off.add(bin.lo());
            }
        }
        return off;
    }

    /**
     * The fit's own check that it generalises: each fitted family's advice, estimated by the weights fitted without
     * that family, pooled, is within 10 points in every bin of 20 advice or more but {@link #LEFT_OUT_MISCALIBRATED}.
     * A fit that learned its families' own frequencies (too little ridge) or nothing (too much) fails it.
     */
    @Test
    void theChanceFittedWithoutEachFamilyHoldsOnThatFamilyPooled() {
        ChanceFit.Result fit = ChanceFit.fit(ChanceCalibration.fitRows(independent, SETTINGS));
        assertThat(fit.weights())
                .as("the weights AdviceChance carries are this fit's")
                .containsExactly(
                        io.descentwatch.detection.AdviceChance.weights(), org.assertj.core.data.Offset.offset(5e-5));
        List<ToldChances.Bin> bins = ChanceCalibration.bins(fit.chosen().estimated());
        assertThat(binsOff(bins))
                .as("bins more than 10 points off, left out: " + bins)
                .isEqualTo(LEFT_OUT_MISCALIBRATED);
    }

    /**
     * The bins (by their lower edge) in which the fitted families' advice, each estimated without its family, is known
     * to be more than 10 points off: 0.9-1.0 since the refit after the forty-second round (below); none from the refit
     * after the thirty-second round until then (its 19 advice over 0.9, of which 21% went on to beat the best, are
     * under the table's floor of {@link ChanceCalibration#BIN_FLOOR}). After the refit that followed a rise no longer
     * being told STOP for a training set classified without error (ridge 20, after the twenty-eighth round) there were
     * 22 advice over 0.9, of which 23% went on to beat the best, twelve of them on two families that tell their
     * schedule and never won ({@code lottery-rewind} and {@code pseudo-label}, 6 each). After the refit that followed a
     * second descent's pace being read from its peak on (after the forty-second round), 24 advice are over 0.9 (mean
     * 0.91), of which 8 (33%) went on to beat the best: the bin is off, on 24 of the 14,198 advice fitted; after the
     * refit that followed the turn's move to 1.25 (after the fiftieth round), the same 24 advice, of 14,174, and the
     * same 8. The test checks that these are the only bins off, so a new miss fails it, and so does a fix (update
     * this).
     */
    private static final java.util.Set<Double> LEFT_OUT_MISCALIBRATED = java.util.Set.of(0.9);

    private static List<ToldChances.Bin> bins(java.util.function.Predicate<String> family) {
        List<Given> rows = ChanceCalibration.given(
                families.entrySet().stream()
                        .filter(e -> family.test(e.getKey()))
                        .flatMap(e -> e.getValue().stream())
                        .toList(),
                SETTINGS);
        return ChanceCalibration.bins(rows);
    }
}
