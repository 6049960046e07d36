#!/usr/bin/env bash
# Regenerates the independent PyTorch curves the stopping advice is judged on (issue 21), one gzipped JSON-lines
# file per family under bench/src/main/resources/stopping/independent/. Deterministic (one thread, seeded
# generators, synthetic event times): the same files, up to round-off in train losses under about 1e-17 of runs
# that interpolate. Needs /usr/bin/python3 with Debian's python3-torch and python3-sklearn; about 45 CPU minutes on
# one thread in all (README.md lists each family's time). The families of train_more.py (kernel-gd, two-layer-relu,
# schedules, legendre-poly; issue 21's second held-out round) are run by it, those of train_third.py
# (matrix-sensing, ridge-rf, glm-poisson; the third held-out round) by it, those of train_fourth.py
# (autoencoder-digits, quantile-pinball, conv1d-bands; the fourth held-out round) by it, those of train_fifth.py
# (bilinear-ratings, tanh-student, resnet-layernorm; the fifth held-out round) by it, those of train_sixth.py
# (gru-sequence, attention-tokens, sign-logcosh; the sixth held-out round) by it, those of train_seventh.py
# (graph-conv, moe-gated, small-val-noisy; the seventh held-out round) by it, those of train_eighth.py
# (vae-digits, batchnorm-cnn, weightnorm-relu; the eighth held-out round) by it, those of train_ninth.py
# (lasso-ista, distill-kl, shift-error; the ninth held-out round) by it, those of train_tenth.py
# (ordinal-logit, multitask-trunk, cg-nystroem; the tenth held-out round) by it, those of train_eleventh.py
# (hetero-nll, damped-newton, augment-ema; the eleventh held-out round) by it, those of train_twelfth.py
# (pairwise-rank, discrete-hazard, quant-ste; the twelfth held-out round) by it, those of train_thirteenth.py
# (sam-relu, pegasos-hinge, prune-magnitude; the thirteenth held-out round) by it, those of train_fourteenth.py
# (coteach-select, reg-schedule, stream-grow; the fourteenth held-out round) by it, those of train_fifteenth.py
# (boost-trees, finetune-unfreeze, robust-gce; the fifteenth held-out round) by it, those of train_sixteenth.py
# (net-grow, curriculum-pace, pseudo-label; the sixteenth held-out round) by it, those of train_seventeenth.py
# (nw-attention, crammer-singer, tweedie-kfac; the seventeenth held-out round) by it, those of train_eighteenth.py
# (freezeout-layers, lottery-rewind, annotator-relabel; the eighteenth held-out round) by it, those of train_nineteenth.py
# (fm-interact, raw-units, focal-flip; the nineteenth held-out round) by it, those of train_twentieth.py
# (adversarial-pgd, rbf-learned, lars-lamb; the twentieth held-out round) by it, those of train_twentyfirst.py
# (multilabel-bce, deep-ensemble, imbalance-logit; the twenty-first held-out round) by it, those of train_twentysecond.py
# (spline-gam, triplet-centroid, sgld-chain; the twenty-second held-out round) by it, those of train_twentythird.py
# (mdn-mixture, sgdr-convnet, ard-gp; the twenty-third held-out round) by it, those of train_twentyfourth.py
# (realnvp-flow, es-evolve, siren-signal; the twenty-fourth held-out round) by it,
# those of train_twentyfifth.py (ar-forecast, nmf-multiplicative, lora-adapt; the twenty-fifth held-out round) by it,
# those of train_twentysixth.py (nca-metric, deq-fixedpoint, bbb-variational; the twenty-sixth held-out round) by it,
# those of train_twentyseventh.py (svgp-inducing, dsm-score, tabular-embed; the twenty-seventh held-out round) by it,
# those of train_twentyeighth.py (modular-grok, esn-readout, cox-partial; the twenty-eighth held-out round) by it,
# those of train_twentyninth.py (sparse-parity, gmm-em, cp-als; the twenty-ninth held-out round) by it,
# those of train_thirtieth.py (sgns-embed, brier-flip, hyper-task; the thirtieth held-out round) by it,
# those of train_thirtyfirst.py (art-tomography, crf-chain, rbm-cd; the thirty-first held-out round) by it,
# those of train_thirtysecond.py (mixer-patches, infonce-views, deepsets-pool; the thirty-second held-out round) by it,
# those of train_thirtythird.py (tobit-censored, beta-fourier, ica-natgrad; the thirty-third held-out round) by it,
# those of train_thirtyfourth.py (tcn-gated, unet-dimmed, kan-ordinal; the thirty-fourth held-out round) by it,
# those of train_thirtyfifth.py (vonmises-glm, maf-flow, studentt-net; the thirty-fifth held-out round) by it,
# those of train_thirtysixth.py (mutual-maxout, bitemp-stochdepth, ple-rangetest; the thirty-sixth held-out round) by it,
# those of train_thirtyseventh.py (polyak-sps, sparsemax-schedfree, ekf-online; the thirty-seventh held-out round) by it,
# those of train_thirtyeighth.py (gmlvq-relevance, ppr-expectile, mkl-svr; the thirty-eighth held-out round) by it,
# those of train_thirtyninth.py (muon-mlp, shampoo-linear, swa-lookahead; the thirty-ninth held-out round) by it,
# those of train_fortieth.py (zinb-counts, sinkhorn-hist, evidential-reg; the fortieth held-out round) by it,
# those of train_fortyfirst.py (ssm-diagonal, neural-ode-rk4, hopfield-retrieval; the forty-first held-out round) by it,
# those of train_fortysecond.py (snapshot-ensemble, spectral-norm-mlp, ntk-linearised; the forty-second held-out round) by it,
# those of train_fortythird.py (lion-sign, adafactor-factored, radam-rectified; the forty-third held-out round) by it,
# those of train_fortyfourth.py (pinn-poisson, neural-process, transe-kg; the forty-fourth held-out round) by it,
# those of train_fortyfifth.py (rdrop-consistency, manifold-mixup, cutout-occlusion; the forty-fifth held-out round) by it,
# those of train_fortysixth.py (svrg-logistic, adagrad-bow, ftrl-proximal; the forty-sixth held-out round) by it,
# those of train_fortyseventh.py (capsule-routing, perceiver-latent, film-conditioned; the forty-seventh held-out round) by it,
# those of train_fortyeighth.py (ctc-align, hier-softmax, set-hungarian; the forty-eighth held-out round) by it,
# those of train_fortyninth.py (vq-codebook, energy-nce, oja-pca; the forty-ninth held-out round) by it,
# those of train_fiftieth.py (label-smooth, dropconnect-mlp, batch-ramp; the fiftieth held-out round) by it,
# those of train_fiftyfirst.py (warmup-cosine-cnn, onecycle-mlp, deep-supervision; the fifty-first held-out round) by it,
# those of train_fiftysecond.py (width-sweep-conv, depth-sweep-resmlp, embed-width-bag; the fifty-second held-out round) by it,
# those of train_fiftythird.py (charlm-lstm, seq2seq-reverse, sort-transformer; the fifty-third held-out round) by it,
# those of train_fiftyfourth.py (huber-mlp-diabetes, linnerud-multiout, poisson-mlp-counts; the fifty-fourth held-out round) by it,
# those of train_fiftysixth.py (denoise-ae-digits, lista-unrolled, dict-learn-sgd; the fifty-sixth held-out round) by it,
# those of train_fiftyfifth.py (nbeats-blocks, dilated-wavenet, lstm-window; the fifty-fifth held-out round) by it,
# those of train_fiftyseventh.py (fedavg-noniid, local-sgd-avg, async-stale-sgd; the fifty-seventh held-out round) by it,
# those of train_fiftyeighth.py (mil-digit-bags, llp-bag-props, nnpu-prior; the fifty-eighth held-out round) by it,
# those of train_fiftyninth.py (td-lambda-linear, fitted-q-net, bellman-residual; the fifty-ninth held-out round) by it,
# those of train_sixtieth.py (split-digits-replay, permuted-ewc, drift-der; the sixtieth held-out round) by it,
# those of train_sixtyfirst.py (lif-surrogate, pade-activation, product-units; the sixty-first held-out round) by it,
# those of train_sixtysecond.py (p4-gconv-digits, orbit-avg-perm, bbox-regress; the sixty-second held-out round) by it,
# those of train_sixtythird.py (dann-reversal, coral-align, group-dro; the sixty-third held-out round) by it,
# those of train_sixtyfourth.py (fcn-seg-shapes, heatmap-keypoints, soft-tree-ensemble; the sixty-fourth held-out round) by it,
# those of train_sixtyfifth.py (gan-ring, wgan-gp-digits, cgan-mixture; the sixty-fifth held-out round) by it,
# those of train_sixtysixth.py (bpr-mf, ncf-mlp, gru-session; the sixty-sixth held-out round) by it,
# those of train_sixtyseventh.py (maml-sine, reptile-fewshot, protonet-digits; the sixty-seventh held-out round) by it,
# those of train_sixtyeighth.py (pointnet-shapes, gat-nodes, edgeconv-knn; the sixty-eighth held-out round) by it,
# those of train_sixtyninth.py (hamiltonian-nn, fourier-operator, koopman-ae; the sixty-ninth held-out round) by it,
# those of train_seventieth.py (performer-favor, linformer-proj, longconv-implicit; the seventieth held-out round) by it,
# those of train_seventyfirst.py (sincnet-filters, spectrogram-cnn, scattering-linear; the seventy-first held-out round) by it,
# those of train_seventysecond.py (gin-graphs, gae-links, sage-inductive; the seventy-second held-out round) by it,
# those of train_seventythird.py (fair-lagrange, chi2-dro-saddle, actor-critic-bandit; the seventy-third held-out round) by it,
# those of train_seventyfourth.py (eos-fullbatch-mlp, irnn-digit-rows, poisson-adam-eps; the seventy-fourth held-out round) by it,
# those of train_seventyfifth.py (complement-labels, partial-label-sets, svdd-oneclass; the seventy-fifth held-out round) by it,
# those of train_seventysixth.py (lbfgs-wolfe-mlp, levmar-tanh-net, adahessian-convnet; the seventy-sixth held-out round) by it,
# those of train_seventyseventh.py (matrix-tree-parse, rnnt-transducer, listmle-plackett; the seventy-seventh held-out round) by it,
# those of train_seventyeighth.py (wsd-cooldown-mlp, rsqrt-kernel-sgd, poly-d2z-convnet; the seventy-eighth held-out round) by it,
# those of train_seventyninth.py (bigval-gd-mlp, elman-rnn-stepeval, rff-sqhinge-twoscale; the seventy-ninth held-out round) by it,
# those of train_eightieth.py (preact-resnet-shift, mcnn-invsqrt-sgd, pointer-transformer-dmodel; the eightieth held-out round) by it,
# those of train_eightyfirst.py (fw-l1-ball, eg-exemplar-mix, fw-nuclear-complete; the eighty-first held-out round) by it,
# those of train_eightysecond.py (lpft-rotnet-cnn, maskae-llrd-mlp, surgical-block-shift; the eighty-second held-out round) by it,
# those of train_eightythird.py (bf16-sr-mlp, fp16-lossscale-cnn, kahan-bf16-linear; the eighty-third held-out round) by it,
# those of train_eightyfourth.py (anderson-deq-digits, node-solver-steps, looped-tied-mlp; the eighty-fourth held-out round) by it,
# those of train_eightyfifth.py (fedprox-dirichlet-mlp, topk-ef-linreg, ef-signsgd-cnn; the eighty-fifth held-out round) by it,
# those of train_eightysixth.py (maml2-teacher-tasks, reptile-nway-digits, hypernet-bump-tasks; the eighty-sixth held-out round) by it,
# those of train_eightyseventh.py (rigl-set-mlp, droppath-resmlp, gauss-inject-cnn; the eighty-seventh held-out round) by it,
# those of train_eightyeighth.py (ema-decay-mlp, swa-cyclic-linear, lawa-lookahead-cnn; the eighty-eighth held-out round) by it,
# those of train_eightyninth.py (mixup-beta-mlp, cutmix-smooth-cnn, lsmix-teacher-mlp; the eighty-ninth held-out round) by it,
# those of train_ninetieth.py (deepar-rnn-nll, mq-pinball-cnn, dlinear-stdecomp; the ninetieth held-out round) by it,
# those of train_ninetyfirst.py (sampled-softmax-mf, twotower-inbatch, wmf-confidence; the ninety-first held-out round) by it,
# those of train_ninetysecond.py (mlp-width-ladder, rf-count-ladder, poly-degree-ladder; the ninety-second held-out round) by it,
# those of train_ninetythird.py (ft-transformer-cls, glu-ffn-tabular, tabnet-attn-select; the ninety-third held-out round) by it,
# those of train_ninetyfifth.py (spiked-cov-linreg, sk-randfeat-sgd, monomial-tiny-ridge; the ninety-fifth held-out round) by it,
# those of train_ninetysixth.py (stepdrop-batchgrow-mlp, warmexp-glm-pairs, cyclic-lr-convnet; the ninety-sixth held-out round) by it,
# those of train_ninetyfourth.py (epochdd-mlp-sgdm, epochdd-cnn-adamw, epochdd-cancer-rmsprop; the ninety-fourth held-out round) by it,
# those of train_ninetyeighth.py (heavytail-mlp-losses, robust-rf-readout, outlier-real-mlp; the ninety-eighth held-out round) by it,
# those of train_ninetyseventh.py (modsum-attn-wd, parity-gru-flip, seqsort-conv1d; the ninety-seventh held-out round) by it,
# those of train_hundredfirst.py (relufeat-softmax-gd, fourierfeat-sqhinge-sgd, cancer-rf-logit-l2; the hundred-first held-out round) by it,
# those of train_hundredth.py (shiftrot-cnn-sgdm, pixnoise-ramp-mlp, randerase-ramp-cnn; the hundredth held-out round) by it,
# those of train_ninetyninth.py (siamese-margin-pairs, triplet-semihard-mine, supcon-temp-embed; the ninety-ninth held-out round) by it,
# those of train_hundredsecond.py (ngram-mlp-markov, gru-pcfg-lm, tinyformer-hmm-lm; the hundred-second held-out round) by it,
# those of train_hundredthird.py (groupmul-onehot-mlp, parity-initscale-mlp, modop-tinyformer; the hundred-third held-out round) by it,
# those of train_hundredfourth.py (deepfact-synth-complete, deepfact-sklearn-complete, deepfact-bilinear-sense; the hundred-fourth held-out round) by it,
# those of train_hundredfifth.py (normflip-deep-mlp, normflip-small-cnn, normflip-wine-mlp; the hundred-fifth held-out round) by it,
# those of train_hundredsixth.py (cumlink-ordinal-mlp, dtime-hazard-net, cox-breslow-mlp; the hundred-sixth held-out round) by it,
# those of train_hundredseventh.py (poincare-tree-rsgd, sphere-agglo-nce, poincare-distortion-radam; the hundred-seventh held-out round) by it,
# those of train_hundredeighth.py (nam-additive-mlp, icnn-convex-reg, monotone-minmax-net; the hundred-eighth held-out round) by it,
# those of train_hundredninth.py (made-gauss-tabular, made-mog-synth, coupling-flow-toys; the hundred-ninth held-out round) by it,
# those of train_hundredtenth.py (proxl1-padded-linear, grouplasso-input-mlp, hardconcrete-l0-mlp; the hundred-tenth held-out round) by it,
# those of train_hundredeleventh.py (hawkes-expsum-mle, rmtpp-gru-marks, lognormmix-gaps-covars; the hundred-eleventh held-out round) by it,
# those of train_hundredtwelfth.py (phase-flow, blind-deconv-demix, rpca-factor-gd; the hundred-twelfth held-out round) by it,
# those of train_hundredthirteenth.py (cvnn-dft-digits, quat-hamilton-mlp, urnn-expm-seq; the hundred-thirteenth held-out round) by it,
# those of train_hundredfourteenth.py (ranslope-lmm-gd, groupembed-sklearn-mlp, taskhead-pool-bce; the hundred-fourteenth held-out round) by it,
# those of train_hundredfifteenth.py (mps-bond-digits, pinet-ccp-poly, hofm-anova-rank; the hundred-fifteenth held-out round) by it,
# those of train_hundredsixteenth.py (clfratio-rff-iwgd, selbias-digits-iwmlp, gdro-reweight-cancer; the hundred-sixteenth held-out round) by it,
# those of train_hundredseventeenth.py (kdtemp-width-digits, bornagain-rf-softmax, confpl-gelu-blobs; the hundred-seventeenth held-out round) by it,
# those of train_hundredeighteenth.py (gaussff-mosaic-mlp, sine-dj-huber, posenc-occupancy-bce; the hundred-eighteenth held-out round) by it,
# those of train_hundrednineteenth.py (negcorr-ensemble-mlp, jointavg-width-members, stagewise-resid-nets; the hundred-nineteenth held-out round) by it,
# those of train_hundredtwentieth.py (eiv-featnoise-rf, mar-impute-mlp, cleantest-inputnoise-mlp; the hundred-twentieth held-out round) by it,
# those of train_hundredtwentyfirst.py (digitsum-deepsets, pma-vote-tables, logdet-pointset-hb; the hundred-twenty-first held-out round) by it,
# those of train_hundredtwentysecond.py (gambler-abstain-digits, selnet-coverage-mix, costratio-rf-cancer; the hundred-twenty-second held-out round) by it,
# the others by train.py.
#   bench/advice-trainers/generate.sh [FAMILY ...]      (default: every family)
# On a shared machine run it niced and under the build lock, e.g.
#   for f in two-scale-linear random-features mlp-sgd mlp-adam cnn-digits first-min-wins \
#            logistic-two-scale sgd-two-scale real-data deep-linear kernel-gd two-layer-relu schedules legendre-poly \
#            matrix-sensing ridge-rf glm-poisson autoencoder-digits quantile-pinball conv1d-bands \
#            bilinear-ratings tanh-student resnet-layernorm gru-sequence attention-tokens sign-logcosh \
#            graph-conv moe-gated small-val-noisy vae-digits batchnorm-cnn weightnorm-relu \
#            lasso-ista distill-kl shift-error ordinal-logit multitask-trunk cg-nystroem \
#            hetero-nll damped-newton augment-ema pairwise-rank discrete-hazard quant-ste \
#            sam-relu pegasos-hinge prune-magnitude coteach-select reg-schedule stream-grow \
#            boost-trees finetune-unfreeze robust-gce net-grow curriculum-pace pseudo-label \
#            nw-attention crammer-singer tweedie-kfac freezeout-layers lottery-rewind annotator-relabel \
#            fm-interact raw-units focal-flip adversarial-pgd rbf-learned lars-lamb \
#            multilabel-bce deep-ensemble imbalance-logit spline-gam triplet-centroid sgld-chain \
#            mdn-mixture sgdr-convnet ard-gp realnvp-flow es-evolve siren-signal
#            ar-forecast nmf-multiplicative lora-adapt nca-metric deq-fixedpoint bbb-variational \
#            svgp-inducing dsm-score tabular-embed modular-grok esn-readout cox-partial \
#            sparse-parity gmm-em cp-als sgns-embed brier-flip hyper-task \
#            art-tomography crf-chain rbm-cd \
#            mixer-patches infonce-views deepsets-pool \
#            tobit-censored beta-fourier ica-natgrad \
#            tcn-gated unet-dimmed kan-ordinal \
#            vonmises-glm maf-flow studentt-net \
#            mutual-maxout bitemp-stochdepth ple-rangetest \
#            polyak-sps sparsemax-schedfree ekf-online \
#            gmlvq-relevance ppr-expectile mkl-svr \
#            muon-mlp shampoo-linear swa-lookahead \
#            zinb-counts sinkhorn-hist evidential-reg \
#            ssm-diagonal neural-ode-rk4 hopfield-retrieval \
#            snapshot-ensemble spectral-norm-mlp ntk-linearised \
#            lion-sign adafactor-factored radam-rectified \
#            pinn-poisson neural-process transe-kg \
#            rdrop-consistency manifold-mixup cutout-occlusion \
#            svrg-logistic adagrad-bow ftrl-proximal \
#            capsule-routing perceiver-latent film-conditioned \
#            ctc-align hier-softmax set-hungarian \
#            vq-codebook energy-nce oja-pca \
#            label-smooth dropconnect-mlp batch-ramp \
#            warmup-cosine-cnn onecycle-mlp deep-supervision \
#            width-sweep-conv depth-sweep-resmlp embed-width-bag \
#            charlm-lstm seq2seq-reverse sort-transformer \
#            huber-mlp-diabetes linnerud-multiout poisson-mlp-counts \
#            denoise-ae-digits lista-unrolled dict-learn-sgd \
#            nbeats-blocks dilated-wavenet lstm-window \
#            fedavg-noniid local-sgd-avg async-stale-sgd \
#            mil-digit-bags llp-bag-props nnpu-prior \
#            td-lambda-linear fitted-q-net bellman-residual \
#            split-digits-replay permuted-ewc drift-der \
#            lif-surrogate pade-activation product-units \
#            p4-gconv-digits orbit-avg-perm bbox-regress \
#            dann-reversal coral-align group-dro \
#            fcn-seg-shapes heatmap-keypoints soft-tree-ensemble \
#            gan-ring wgan-gp-digits cgan-mixture \
#            bpr-mf ncf-mlp gru-session \
#            maml-sine reptile-fewshot protonet-digits \
#            pointnet-shapes gat-nodes edgeconv-knn \
#            hamiltonian-nn fourier-operator koopman-ae \
#            performer-favor linformer-proj longconv-implicit \
#            sincnet-filters spectrogram-cnn scattering-linear \
#            gin-graphs gae-links sage-inductive \
#            fair-lagrange chi2-dro-saddle actor-critic-bandit \
#            eos-fullbatch-mlp irnn-digit-rows poisson-adam-eps \
#            complement-labels partial-label-sets svdd-oneclass \
#            lbfgs-wolfe-mlp levmar-tanh-net adahessian-convnet \
#            matrix-tree-parse rnnt-transducer listmle-plackett \
#            wsd-cooldown-mlp rsqrt-kernel-sgd poly-d2z-convnet \
#            bigval-gd-mlp elman-rnn-stepeval rff-sqhinge-twoscale \
#            preact-resnet-shift mcnn-invsqrt-sgd pointer-transformer-dmodel \
#            fw-l1-ball eg-exemplar-mix fw-nuclear-complete \
#            lpft-rotnet-cnn maskae-llrd-mlp surgical-block-shift \
#            bf16-sr-mlp fp16-lossscale-cnn kahan-bf16-linear \
#            anderson-deq-digits node-solver-steps looped-tied-mlp \
#            fedprox-dirichlet-mlp topk-ef-linreg ef-signsgd-cnn \
#            maml2-teacher-tasks reptile-nway-digits hypernet-bump-tasks \
#            rigl-set-mlp droppath-resmlp gauss-inject-cnn \
#            ema-decay-mlp swa-cyclic-linear lawa-lookahead-cnn \
#            mixup-beta-mlp cutmix-smooth-cnn lsmix-teacher-mlp \
#            deepar-rnn-nll mq-pinball-cnn dlinear-stdecomp \
#            sampled-softmax-mf twotower-inbatch wmf-confidence \
#            mlp-width-ladder rf-count-ladder poly-degree-ladder \
#            ft-transformer-cls glu-ffn-tabular tabnet-attn-select \
#            spiked-cov-linreg sk-randfeat-sgd monomial-tiny-ridge \
#            stepdrop-batchgrow-mlp warmexp-glm-pairs cyclic-lr-convnet \
#            epochdd-mlp-sgdm epochdd-cnn-adamw epochdd-cancer-rmsprop \
#            heavytail-mlp-losses robust-rf-readout outlier-real-mlp \
#            modsum-attn-wd parity-gru-flip seqsort-conv1d \
#            relufeat-softmax-gd fourierfeat-sqhinge-sgd cancer-rf-logit-l2 \
#            shiftrot-cnn-sgdm pixnoise-ramp-mlp randerase-ramp-cnn \
#            siamese-margin-pairs triplet-semihard-mine supcon-temp-embed \
#            ngram-mlp-markov gru-pcfg-lm tinyformer-hmm-lm \
#            deepfact-synth-complete deepfact-sklearn-complete deepfact-bilinear-sense \
#            normflip-deep-mlp normflip-small-cnn normflip-wine-mlp \
#            cumlink-ordinal-mlp dtime-hazard-net cox-breslow-mlp \
#            poincare-tree-rsgd sphere-agglo-nce poincare-distortion-radam \
#            groupmul-onehot-mlp parity-initscale-mlp modop-tinyformer \
#            nam-additive-mlp icnn-convex-reg monotone-minmax-net \
#            made-gauss-tabular made-mog-synth coupling-flow-toys \
#            proxl1-padded-linear grouplasso-input-mlp hardconcrete-l0-mlp \
#            hawkes-expsum-mle rmtpp-gru-marks lognormmix-gaps-covars \
#            phase-flow blind-deconv-demix rpca-factor-gd \
#            cvnn-dft-digits quat-hamilton-mlp urnn-expm-seq \
#            ranslope-lmm-gd groupembed-sklearn-mlp taskhead-pool-bce \
#            mps-bond-digits pinet-ccp-poly hofm-anova-rank \
#            clfratio-rff-iwgd selbias-digits-iwmlp gdro-reweight-cancer \
#            kdtemp-width-digits bornagain-rf-softmax confpl-gelu-blobs \
#            gaussff-mosaic-mlp sine-dj-huber posenc-occupancy-bce \
#            negcorr-ensemble-mlp jointavg-width-members stagewise-resid-nets \
#            eiv-featnoise-rf mar-impute-mlp cleantest-inputnoise-mlp \
#            digitsum-deepsets pma-vote-tables logdet-pointset-hb \
#            gambler-abstain-digits selnet-coverage-mix costratio-rf-cancer; do
#     flock /tmp/dw-build.lock nice -n 10 bench/advice-trainers/generate.sh "$f"; done
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../src/main/resources/stopping/independent"
python="${DW_PYTHON:-/usr/bin/python3}"
families=("$@")
[ ${#families[@]} -gt 0 ] || families=(two-scale-linear random-features mlp-sgd mlp-adam cnn-digits first-min-wins
                                      logistic-two-scale sgd-two-scale real-data deep-linear
                                      kernel-gd two-layer-relu schedules legendre-poly
                                      matrix-sensing ridge-rf glm-poisson
                                      autoencoder-digits quantile-pinball conv1d-bands
                                      bilinear-ratings tanh-student resnet-layernorm
                                      gru-sequence attention-tokens sign-logcosh
                                      graph-conv moe-gated small-val-noisy
                                      vae-digits batchnorm-cnn weightnorm-relu
                                      lasso-ista distill-kl shift-error
                                      ordinal-logit multitask-trunk cg-nystroem
                                      hetero-nll damped-newton augment-ema
                                      pairwise-rank discrete-hazard quant-ste
                                      sam-relu pegasos-hinge prune-magnitude
                                      coteach-select reg-schedule stream-grow
                                      boost-trees finetune-unfreeze robust-gce
                                      net-grow curriculum-pace pseudo-label
                                      nw-attention crammer-singer tweedie-kfac
                                      freezeout-layers lottery-rewind annotator-relabel
                                      fm-interact raw-units focal-flip
                                      adversarial-pgd rbf-learned lars-lamb
                                      multilabel-bce deep-ensemble imbalance-logit
                                      spline-gam triplet-centroid sgld-chain
                                      mdn-mixture sgdr-convnet ard-gp
                                      realnvp-flow es-evolve siren-signal
                                      ar-forecast nmf-multiplicative lora-adapt
                                      nca-metric deq-fixedpoint bbb-variational
                                      svgp-inducing dsm-score tabular-embed
                                      modular-grok esn-readout cox-partial
                                      sparse-parity gmm-em cp-als
                                      sgns-embed brier-flip hyper-task
                                      art-tomography crf-chain rbm-cd
                                      mixer-patches infonce-views deepsets-pool
                                      tobit-censored beta-fourier ica-natgrad
                                      tcn-gated unet-dimmed kan-ordinal
                                      vonmises-glm maf-flow studentt-net
                                      mutual-maxout bitemp-stochdepth ple-rangetest
                                      polyak-sps sparsemax-schedfree ekf-online
                                      gmlvq-relevance ppr-expectile mkl-svr
                                      muon-mlp shampoo-linear swa-lookahead
                                      zinb-counts sinkhorn-hist evidential-reg
                                      ssm-diagonal neural-ode-rk4 hopfield-retrieval
                                      snapshot-ensemble spectral-norm-mlp ntk-linearised
                                      lion-sign adafactor-factored radam-rectified
                                      pinn-poisson neural-process transe-kg
                                      rdrop-consistency manifold-mixup cutout-occlusion
                                      svrg-logistic adagrad-bow ftrl-proximal
                                      capsule-routing perceiver-latent film-conditioned
                                      ctc-align hier-softmax set-hungarian
                                      vq-codebook energy-nce oja-pca
                                      label-smooth dropconnect-mlp batch-ramp
                                      warmup-cosine-cnn onecycle-mlp deep-supervision
                                      width-sweep-conv depth-sweep-resmlp embed-width-bag
                                      charlm-lstm seq2seq-reverse sort-transformer
                                      huber-mlp-diabetes linnerud-multiout poisson-mlp-counts
                                      denoise-ae-digits lista-unrolled dict-learn-sgd
                                      nbeats-blocks dilated-wavenet lstm-window
                                      fedavg-noniid local-sgd-avg async-stale-sgd
                                      mil-digit-bags llp-bag-props nnpu-prior
                                      td-lambda-linear fitted-q-net bellman-residual
                                      split-digits-replay permuted-ewc drift-der
                                      lif-surrogate pade-activation product-units
                                      p4-gconv-digits orbit-avg-perm bbox-regress
                                      dann-reversal coral-align group-dro
                                      fcn-seg-shapes heatmap-keypoints soft-tree-ensemble
                                      gan-ring wgan-gp-digits cgan-mixture
                                      bpr-mf ncf-mlp gru-session
                                      maml-sine reptile-fewshot protonet-digits
                                      pointnet-shapes gat-nodes edgeconv-knn
                                      hamiltonian-nn fourier-operator koopman-ae
                                      performer-favor linformer-proj longconv-implicit
                                      sincnet-filters spectrogram-cnn scattering-linear
                                      gin-graphs gae-links sage-inductive
                                      fair-lagrange chi2-dro-saddle actor-critic-bandit
                                      eos-fullbatch-mlp irnn-digit-rows poisson-adam-eps
                                      complement-labels partial-label-sets svdd-oneclass
                                      lbfgs-wolfe-mlp levmar-tanh-net adahessian-convnet
                                      matrix-tree-parse rnnt-transducer listmle-plackett
                                      wsd-cooldown-mlp rsqrt-kernel-sgd poly-d2z-convnet
                                      bigval-gd-mlp elman-rnn-stepeval rff-sqhinge-twoscale
                                      preact-resnet-shift mcnn-invsqrt-sgd pointer-transformer-dmodel
                                      fw-l1-ball eg-exemplar-mix fw-nuclear-complete
                                      lpft-rotnet-cnn maskae-llrd-mlp surgical-block-shift
                                      bf16-sr-mlp fp16-lossscale-cnn kahan-bf16-linear
                                      anderson-deq-digits node-solver-steps looped-tied-mlp
                                      fedprox-dirichlet-mlp topk-ef-linreg ef-signsgd-cnn
                                      maml2-teacher-tasks reptile-nway-digits hypernet-bump-tasks
                                      rigl-set-mlp droppath-resmlp gauss-inject-cnn
                                      ema-decay-mlp swa-cyclic-linear lawa-lookahead-cnn
                                      mixup-beta-mlp cutmix-smooth-cnn lsmix-teacher-mlp
                                      deepar-rnn-nll mq-pinball-cnn dlinear-stdecomp
                                      sampled-softmax-mf twotower-inbatch wmf-confidence
                                      mlp-width-ladder rf-count-ladder poly-degree-ladder
                                      ft-transformer-cls glu-ffn-tabular tabnet-attn-select
                                      spiked-cov-linreg sk-randfeat-sgd monomial-tiny-ridge
                                      stepdrop-batchgrow-mlp warmexp-glm-pairs cyclic-lr-convnet
                                      epochdd-mlp-sgdm epochdd-cnn-adamw epochdd-cancer-rmsprop
                                      heavytail-mlp-losses robust-rf-readout outlier-real-mlp
                                      modsum-attn-wd parity-gru-flip seqsort-conv1d
                                      relufeat-softmax-gd fourierfeat-sqhinge-sgd cancer-rf-logit-l2
                                      shiftrot-cnn-sgdm pixnoise-ramp-mlp randerase-ramp-cnn
                                      siamese-margin-pairs triplet-semihard-mine supcon-temp-embed
                                      ngram-mlp-markov gru-pcfg-lm tinyformer-hmm-lm
                                      deepfact-synth-complete deepfact-sklearn-complete deepfact-bilinear-sense
                                      normflip-deep-mlp normflip-small-cnn normflip-wine-mlp
                                      cumlink-ordinal-mlp dtime-hazard-net cox-breslow-mlp
                                      poincare-tree-rsgd sphere-agglo-nce poincare-distortion-radam
                                      groupmul-onehot-mlp parity-initscale-mlp modop-tinyformer
                                      nam-additive-mlp icnn-convex-reg monotone-minmax-net
                                      made-gauss-tabular made-mog-synth coupling-flow-toys
                                      proxl1-padded-linear grouplasso-input-mlp hardconcrete-l0-mlp
                                      hawkes-expsum-mle rmtpp-gru-marks lognormmix-gaps-covars
                                      phase-flow blind-deconv-demix rpca-factor-gd
                                      cvnn-dft-digits quat-hamilton-mlp urnn-expm-seq
                                      ranslope-lmm-gd groupembed-sklearn-mlp taskhead-pool-bce
                                      mps-bond-digits pinet-ccp-poly hofm-anova-rank
                                      clfratio-rff-iwgd selbias-digits-iwmlp gdro-reweight-cancer
                                      kdtemp-width-digits bornagain-rf-softmax confpl-gelu-blobs
                                      gaussff-mosaic-mlp sine-dj-huber posenc-occupancy-bce
                                      negcorr-ensemble-mlp jointavg-width-members stagewise-resid-nets
                                      eiv-featnoise-rf mar-impute-mlp cleantest-inputnoise-mlp
                                      digitsum-deepsets pma-vote-tables logdet-pointset-hb
                                      gambler-abstain-digits selnet-coverage-mix costratio-rf-cancer)
mkdir -p "$out"
for f in "${families[@]}"; do
  start=$(date +%s)
  case "$f" in
    kernel-gd|two-layer-relu|schedules|legendre-poly) trainer=train_more.py ;;
    matrix-sensing|ridge-rf|glm-poisson) trainer=train_third.py ;;
    autoencoder-digits|quantile-pinball|conv1d-bands) trainer=train_fourth.py ;;
    bilinear-ratings|tanh-student|resnet-layernorm) trainer=train_fifth.py ;;
    gru-sequence|attention-tokens|sign-logcosh) trainer=train_sixth.py ;;
    graph-conv|moe-gated|small-val-noisy) trainer=train_seventh.py ;;
    vae-digits|batchnorm-cnn|weightnorm-relu) trainer=train_eighth.py ;;
    lasso-ista|distill-kl|shift-error) trainer=train_ninth.py ;;
    ordinal-logit|multitask-trunk|cg-nystroem) trainer=train_tenth.py ;;
    hetero-nll|damped-newton|augment-ema) trainer=train_eleventh.py ;;
    pairwise-rank|discrete-hazard|quant-ste) trainer=train_twelfth.py ;;
    sam-relu|pegasos-hinge|prune-magnitude) trainer=train_thirteenth.py ;;
    coteach-select|reg-schedule|stream-grow) trainer=train_fourteenth.py ;;
    boost-trees|finetune-unfreeze|robust-gce) trainer=train_fifteenth.py ;;
    net-grow|curriculum-pace|pseudo-label) trainer=train_sixteenth.py ;;
    nw-attention|crammer-singer|tweedie-kfac) trainer=train_seventeenth.py ;;
    freezeout-layers|lottery-rewind|annotator-relabel) trainer=train_eighteenth.py ;;
    fm-interact|raw-units|focal-flip) trainer=train_nineteenth.py ;;
    adversarial-pgd|rbf-learned|lars-lamb) trainer=train_twentieth.py ;;
    multilabel-bce|deep-ensemble|imbalance-logit) trainer=train_twentyfirst.py ;;
    spline-gam|triplet-centroid|sgld-chain) trainer=train_twentysecond.py ;;
    mdn-mixture|sgdr-convnet|ard-gp) trainer=train_twentythird.py ;;
    realnvp-flow|es-evolve|siren-signal) trainer=train_twentyfourth.py ;;
    ar-forecast|nmf-multiplicative|lora-adapt) trainer=train_twentyfifth.py ;;
    nca-metric|deq-fixedpoint|bbb-variational) trainer=train_twentysixth.py ;;
    svgp-inducing|dsm-score|tabular-embed) trainer=train_twentyseventh.py ;;
    modular-grok|esn-readout|cox-partial) trainer=train_twentyeighth.py ;;
    sparse-parity|gmm-em|cp-als) trainer=train_twentyninth.py ;;
    sgns-embed|brier-flip|hyper-task) trainer=train_thirtieth.py ;;
    art-tomography|crf-chain|rbm-cd) trainer=train_thirtyfirst.py ;;
    mixer-patches|infonce-views|deepsets-pool) trainer=train_thirtysecond.py ;;
    tobit-censored|beta-fourier|ica-natgrad) trainer=train_thirtythird.py ;;
    tcn-gated|unet-dimmed|kan-ordinal) trainer=train_thirtyfourth.py ;;
    vonmises-glm|maf-flow|studentt-net) trainer=train_thirtyfifth.py ;;
    mutual-maxout|bitemp-stochdepth|ple-rangetest) trainer=train_thirtysixth.py ;;
    polyak-sps|sparsemax-schedfree|ekf-online) trainer=train_thirtyseventh.py ;;
    gmlvq-relevance|ppr-expectile|mkl-svr) trainer=train_thirtyeighth.py ;;
    muon-mlp|shampoo-linear|swa-lookahead) trainer=train_thirtyninth.py ;;
    zinb-counts|sinkhorn-hist|evidential-reg) trainer=train_fortieth.py ;;
    ssm-diagonal|neural-ode-rk4|hopfield-retrieval) trainer=train_fortyfirst.py ;;
    snapshot-ensemble|spectral-norm-mlp|ntk-linearised) trainer=train_fortysecond.py ;;
    lion-sign|adafactor-factored|radam-rectified) trainer=train_fortythird.py ;;
    pinn-poisson|neural-process|transe-kg) trainer=train_fortyfourth.py ;;
    rdrop-consistency|manifold-mixup|cutout-occlusion) trainer=train_fortyfifth.py ;;
    svrg-logistic|adagrad-bow|ftrl-proximal) trainer=train_fortysixth.py ;;
    capsule-routing|perceiver-latent|film-conditioned) trainer=train_fortyseventh.py ;;
    ctc-align|hier-softmax|set-hungarian) trainer=train_fortyeighth.py ;;
    vq-codebook|energy-nce|oja-pca) trainer=train_fortyninth.py ;;
    label-smooth|dropconnect-mlp|batch-ramp) trainer=train_fiftieth.py ;;
    warmup-cosine-cnn|onecycle-mlp|deep-supervision) trainer=train_fiftyfirst.py ;;
    width-sweep-conv|depth-sweep-resmlp|embed-width-bag) trainer=train_fiftysecond.py ;;
    charlm-lstm|seq2seq-reverse|sort-transformer) trainer=train_fiftythird.py ;;
    huber-mlp-diabetes|linnerud-multiout|poisson-mlp-counts) trainer=train_fiftyfourth.py ;;
    denoise-ae-digits|lista-unrolled|dict-learn-sgd) trainer=train_fiftysixth.py ;;
    nbeats-blocks|dilated-wavenet|lstm-window) trainer=train_fiftyfifth.py ;;
    fedavg-noniid|local-sgd-avg|async-stale-sgd) trainer=train_fiftyseventh.py ;;
    mil-digit-bags|llp-bag-props|nnpu-prior) trainer=train_fiftyeighth.py ;;
    td-lambda-linear|fitted-q-net|bellman-residual) trainer=train_fiftyninth.py ;;
    split-digits-replay|permuted-ewc|drift-der) trainer=train_sixtieth.py ;;
    lif-surrogate|pade-activation|product-units) trainer=train_sixtyfirst.py ;;
    p4-gconv-digits|orbit-avg-perm|bbox-regress) trainer=train_sixtysecond.py ;;
    dann-reversal|coral-align|group-dro) trainer=train_sixtythird.py ;;
    fcn-seg-shapes|heatmap-keypoints|soft-tree-ensemble) trainer=train_sixtyfourth.py ;;
    gan-ring|wgan-gp-digits|cgan-mixture) trainer=train_sixtyfifth.py ;;
    bpr-mf|ncf-mlp|gru-session) trainer=train_sixtysixth.py ;;
    maml-sine|reptile-fewshot|protonet-digits) trainer=train_sixtyseventh.py ;;
    pointnet-shapes|gat-nodes|edgeconv-knn) trainer=train_sixtyeighth.py ;;
    hamiltonian-nn|fourier-operator|koopman-ae) trainer=train_sixtyninth.py ;;
    performer-favor|linformer-proj|longconv-implicit) trainer=train_seventieth.py ;;
    sincnet-filters|spectrogram-cnn|scattering-linear) trainer=train_seventyfirst.py ;;
    gin-graphs|gae-links|sage-inductive) trainer=train_seventysecond.py ;;
    fair-lagrange|chi2-dro-saddle|actor-critic-bandit) trainer=train_seventythird.py ;;
    eos-fullbatch-mlp|irnn-digit-rows|poisson-adam-eps) trainer=train_seventyfourth.py ;;
    complement-labels|partial-label-sets|svdd-oneclass) trainer=train_seventyfifth.py ;;
    lbfgs-wolfe-mlp|levmar-tanh-net|adahessian-convnet) trainer=train_seventysixth.py ;;
    matrix-tree-parse|rnnt-transducer|listmle-plackett) trainer=train_seventyseventh.py ;;
    wsd-cooldown-mlp|rsqrt-kernel-sgd|poly-d2z-convnet) trainer=train_seventyeighth.py ;;
    bigval-gd-mlp|elman-rnn-stepeval|rff-sqhinge-twoscale) trainer=train_seventyninth.py ;;
    preact-resnet-shift|mcnn-invsqrt-sgd|pointer-transformer-dmodel) trainer=train_eightieth.py ;;
    fw-l1-ball|eg-exemplar-mix|fw-nuclear-complete) trainer=train_eightyfirst.py ;;
    lpft-rotnet-cnn|maskae-llrd-mlp|surgical-block-shift) trainer=train_eightysecond.py ;;
    bf16-sr-mlp|fp16-lossscale-cnn|kahan-bf16-linear) trainer=train_eightythird.py ;;
    anderson-deq-digits|node-solver-steps|looped-tied-mlp) trainer=train_eightyfourth.py ;;
    fedprox-dirichlet-mlp|topk-ef-linreg|ef-signsgd-cnn) trainer=train_eightyfifth.py ;;
    maml2-teacher-tasks|reptile-nway-digits|hypernet-bump-tasks) trainer=train_eightysixth.py ;;
    rigl-set-mlp|droppath-resmlp|gauss-inject-cnn) trainer=train_eightyseventh.py ;;
    ema-decay-mlp|swa-cyclic-linear|lawa-lookahead-cnn) trainer=train_eightyeighth.py ;;
    mixup-beta-mlp|cutmix-smooth-cnn|lsmix-teacher-mlp) trainer=train_eightyninth.py ;;
    deepar-rnn-nll|mq-pinball-cnn|dlinear-stdecomp) trainer=train_ninetieth.py ;;
    sampled-softmax-mf|twotower-inbatch|wmf-confidence) trainer=train_ninetyfirst.py ;;
    mlp-width-ladder|rf-count-ladder|poly-degree-ladder) trainer=train_ninetysecond.py ;;
    ft-transformer-cls|glu-ffn-tabular|tabnet-attn-select) trainer=train_ninetythird.py ;;
    spiked-cov-linreg|sk-randfeat-sgd|monomial-tiny-ridge) trainer=train_ninetyfifth.py ;;
    stepdrop-batchgrow-mlp|warmexp-glm-pairs|cyclic-lr-convnet) trainer=train_ninetysixth.py ;;
    epochdd-mlp-sgdm|epochdd-cnn-adamw|epochdd-cancer-rmsprop) trainer=train_ninetyfourth.py ;;
    heavytail-mlp-losses|robust-rf-readout|outlier-real-mlp) trainer=train_ninetyeighth.py ;;
    modsum-attn-wd|parity-gru-flip|seqsort-conv1d) trainer=train_ninetyseventh.py ;;
    relufeat-softmax-gd|fourierfeat-sqhinge-sgd|cancer-rf-logit-l2) trainer=train_hundredfirst.py ;;
    shiftrot-cnn-sgdm|pixnoise-ramp-mlp|randerase-ramp-cnn) trainer=train_hundredth.py ;;
    siamese-margin-pairs|triplet-semihard-mine|supcon-temp-embed) trainer=train_ninetyninth.py ;;
    ngram-mlp-markov|gru-pcfg-lm|tinyformer-hmm-lm) trainer=train_hundredsecond.py ;;
    groupmul-onehot-mlp|parity-initscale-mlp|modop-tinyformer) trainer=train_hundredthird.py ;;
    deepfact-synth-complete|deepfact-sklearn-complete|deepfact-bilinear-sense) trainer=train_hundredfourth.py ;;
    normflip-deep-mlp|normflip-small-cnn|normflip-wine-mlp) trainer=train_hundredfifth.py ;;
    cumlink-ordinal-mlp|dtime-hazard-net|cox-breslow-mlp) trainer=train_hundredsixth.py ;;
    poincare-tree-rsgd|sphere-agglo-nce|poincare-distortion-radam) trainer=train_hundredseventh.py ;;
    nam-additive-mlp|icnn-convex-reg|monotone-minmax-net) trainer=train_hundredeighth.py ;;
    made-gauss-tabular|made-mog-synth|coupling-flow-toys) trainer=train_hundredninth.py ;;
    proxl1-padded-linear|grouplasso-input-mlp|hardconcrete-l0-mlp) trainer=train_hundredtenth.py ;;
    hawkes-expsum-mle|rmtpp-gru-marks|lognormmix-gaps-covars) trainer=train_hundredeleventh.py ;;
    phase-flow|blind-deconv-demix|rpca-factor-gd) trainer=train_hundredtwelfth.py ;;
    cvnn-dft-digits|quat-hamilton-mlp|urnn-expm-seq) trainer=train_hundredthirteenth.py ;;
    ranslope-lmm-gd|groupembed-sklearn-mlp|taskhead-pool-bce) trainer=train_hundredfourteenth.py ;;
    mps-bond-digits|pinet-ccp-poly|hofm-anova-rank) trainer=train_hundredfifteenth.py ;;
    clfratio-rff-iwgd|selbias-digits-iwmlp|gdro-reweight-cancer) trainer=train_hundredsixteenth.py ;;
    kdtemp-width-digits|bornagain-rf-softmax|confpl-gelu-blobs) trainer=train_hundredseventeenth.py ;;
    gaussff-mosaic-mlp|sine-dj-huber|posenc-occupancy-bce) trainer=train_hundredeighteenth.py ;;
    negcorr-ensemble-mlp|jointavg-width-members|stagewise-resid-nets) trainer=train_hundrednineteenth.py ;;
    eiv-featnoise-rf|mar-impute-mlp|cleantest-inputnoise-mlp) trainer=train_hundredtwentieth.py ;;
    digitsum-deepsets|pma-vote-tables|logdet-pointset-hb) trainer=train_hundredtwentyfirst.py ;;
    gambler-abstain-digits|selnet-coverage-mix|costratio-rf-cancer) trainer=train_hundredtwentysecond.py ;;
    *) trainer=train.py ;;
  esac
  OMP_NUM_THREADS=1 "$python" "$here/$trainer" --family "$f" --out "$out/$f.jsonl.work"
  gzip -9n < "$out/$f.jsonl.work" > "$out/$f.jsonl.gz"
  rm -f "$out/$f.jsonl.work"
  echo "$f: $(zcat "$out/$f.jsonl.gz" | wc -l) events, $(( $(date +%s) - start )) s wall" >&2
done
