package io.descentwatch.streams.detector;

import io.descentwatch.detection.AdviceSettings;
import io.descentwatch.options.Range;
import io.descentwatch.options.Ranges;
import picocli.CommandLine.Option;

/**
 * The thresholds of the stopping advice (the detection module's {@code StoppingAdvisor}), as picocli options with an
 * environment fallback, mixed into {@link DetectionOptions} so every command that detects also advises with the
 * same numbers; they map onto the plain, checked {@link AdviceSettings}.
 * Each description says why its default is what it is; each value is checked against its {@link Range} by
 * {@link Ranges}, so a bad one stops the command before anything starts (exit 2, naming the flag and the range).
 *
 * <p>Falls are measured between the smoothed value now and the smoothed value a number of doublings of epochs ago
 * (by interpolation between stored points, in constant space), because training curves move on a log scale of
 * epochs: a feature that is learned 10x slower shows up a decade later, and a fall per step would call it flat.
 */
public final class AdviceOptions {

    @Option(
            names = "--advice-train-fall",
            defaultValue = "${env:DW_ADVICE_TRAIN_FALL:-0.005}",
            description = "While the test loss is above its first minimum, the advice is CONTINUE as long as the "
                    + "smoothed train loss still falls by more than this fraction over the advice span (default "
                    + "${DEFAULT-VALUE}), a fraction in (0, 1). A second descent is the fitting of slower features, and "
                    + "fitting them lowers the train loss: on the shipped two-scale runs it falls 3-10%% per "
                    + "doubling while their second descent builds up. Where most of the train loss is noise nothing "
                    + "fits, it falls less: 0.5-1%% a doubling in an autoencoder of the eighth held-out round, whose "
                    + "winners 1%% stopped. Over the 248 winning runs of the presets and the first eight rounds it "
                    + "fell by more than 0.5%% a doubling at every evaluation above the first minimum in all but 4, "
                    + "and none of those stayed under it for a span; 0.5%% cost no family a point of epochs with the "
                    + "budget told (docs/benchmarks.md).")
    @Range(above = "0", below = "1")
    double trainFall;

    @Option(
            names = "--advice-test-fall",
            defaultValue = "${env:DW_ADVICE_TEST_FALL:-0.01}",
            description = "A falling test loss keeps the advice at CONTINUE while it falls by more than this fraction "
                    + "over the advice span (default ${DEFAULT-VALUE}), a fraction in (0, 1). Below it, a second descent "
                    + "counts as levelled off; 1%% per doubling is what is left to gain is within the 2%% a kept "
                    + "checkpoint is judged by, over the next doubling.")
    @Range(above = "0", below = "1")
    double testFall;

    @Option(
            names = "--advice-turn",
            defaultValue = "${env:DW_ADVICE_TURN:-0.75}",
            description = "For a run that tells its planned last epoch (tag max_epochs): a test loss still rising "
                    + "(not falling) with fewer than this many doublings of epochs left is told to STOP, and so is one "
                    + "not yet read as rising that is not falling and has set no new best for a doubling (default "
                    + "${DEFAULT-VALUE}), in [0.25, 8]. It rests on where second descents that win peak: at most 5%% "
                    + "of them may peak with fewer doublings left. Of the independent trainers' 919, 25 (2.7%%) "
                    + "peaked with fewer than 0.75 left; 46 (5.005%%) with fewer than 1, the default until the "
                    + "seventy-fourth round; 43 of 843 (5.1%%) with fewer than 1.25, the default until the "
                    + "sixty-sixth; 38 of 752 (5.05%%) with fewer than 1.5, the default until the fiftieth, and 36 of "
                    + "666 (5.4%%) with fewer than 1.75, the default until the fortieth (bench stopping "
                    + "--turn-premise), though from the peak to below the first minimum took a median of 1.23 "
                    + "doublings and a quarter of them under 0.50. A run still rising at 59%% of its planned epochs "
                    + "stops there; each quarter doubling higher loses a few more winners for 5 to 9 points fewer of "
                    + "the epochs where nothing better comes.")
    @Range(min = "0.25", max = "8")
    double turnDoublings;

    @Option(
            names = "--advice-turn-chance",
            defaultValue = "${env:DW_ADVICE_TURN_CHANCE:-0.3}",
            description = "For a run that tells its planned last epoch: within half a doubling before the turn "
                    + "(--advice-turn), a test loss not falling, rising or not yet read as rising, is told to STOP as "
                    + "at the turn when the chance that going on beats the best, estimated as if the run were told to "
                    + "go on and read as --advice-turn-chance-from says, is under this (default ${DEFAULT-VALUE}), in "
                    + "[0, 1); 0 turns it off. No turn comes before 59%% of the planned epochs; this lets the runs the "
                    + "chance gives up on stop sooner. 0.3, read from the chance the sweep has moved, was written down "
                    + "with its rule for adoption before the eighty-fourth to eighty-eighth rounds were written blind, "
                    + "and adopted on them (their median family 62.0%% of the epochs where nothing better comes against "
                    + "64.0%%, none of their winners lost). Over the eighty-eight rounds it keeps 926 of 972 winners "
                    + "(95.3%%) at a median family of 51.2%%, against 934 and 62.5%% with the own curve's chance under "
                    + "0.1, the default until then (docs/benchmarks.md).")
    @Range(min = "0", below = "1")
    double turnChance;

    @Option(
            names = "--advice-turn-chance-from",
            defaultValue = "${env:DW_ADVICE_TURN_CHANCE_FROM:-sweep}",
            description = "Which chance --advice-turn-chance reads (default ${DEFAULT-VALUE}), one of "
                    + "${COMPLETION-CANDIDATES}. sweep: the chance as the detector tells it, moved by the sweep's "
                    + "ended runs (--advice-sweep-prior), so that a run of a sweep whose ended runs found nothing "
                    + "better is given up on sooner, and one of a sweep of winners later; a verdict then depends on "
                    + "which of the sweep's runs ended before it (offline, their order in the input; live, the order "
                    + "they end in). own: the run's own curve's, the same whatever the sweep's other runs did (the "
                    + "default, at 0.1, until the eighty-eighth round). The sweep's chance is far better calibrated per "
                    + "family: over the sixty rounds after the chance's fit, 13 of 180 families more than 10 points "
                    + "off against 86 (docs/benchmarks.md).")
    AdviceSettings.TurnChanceFrom turnChanceFrom;

    @Option(
            names = "--advice-untold-turn-chance",
            defaultValue = "${env:DW_ADVICE_UNTOLD_TURN_CHANCE:-0.1}",
            description = "With --advice-turn-chance-from sweep, for a run its sweep has told nothing (no ended run "
                    + "yet, --advice-sweep-prior 0, or advice computed in process, as train --stop auto does): the "
                    + "threshold its own curve's chance is read against in the early turn instead of "
                    + "--advice-turn-chance (default ${DEFAULT-VALUE}), in [0, 1); 0 turns the early turn off for "
                    + "such runs. 0.1, the own curve's threshold until the eighty-eighth round, was written down with "
                    + "its rule for adoption before the ninety-fourth to ninety-eighth rounds were written blind, and "
                    + "adopted on them: with every run told nothing it keeps 967 of 1,009 winners over the ninety-eight "
                    + "rounds (95.8%%), where 0.3, the rule before (judged on sequential sweeps, where only a sweep's "
                    + "first runs are told nothing), kept 953 (94.4%%); sequential sweeps keep the same winners either "
                    + "way. The price is in process: a median family of 62.5%% of the epochs where nothing better comes "
                    + "against 50.2%% (docs/benchmarks.md).")
    @Range(min = "0", below = "1")
    double untoldTurnChance;

    @Option(
            names = "--advice-long-shot-chance",
            defaultValue = "${env:DW_ADVICE_LONG_SHOT_CHANCE:-0.15}",
            description = "In the half doubling of epochs before the early turn (from 1.75 to 1.25 doublings left, "
                    + "30%% to 42%% of the planned epochs), a run whose test loss is not falling is told STOP as in "
                    + "the early turn when its chance, read as the early turn reads it (moved by its sweep, or its "
                    + "own where its sweep has told it nothing), is under this (default ${DEFAULT-VALUE}), in [0, 1); "
                    + "0 turns it off. Written down at 0.15 with its rule for adoption before the hundred-eleventh "
                    + "round, and adopted on the hundred-eleventh to hundred-fourteenth, written blind after it: "
                    + "they lost no winner to it, and over the hundred and fourteen rounds it kept 1,024 of 1,077 "
                    + "winners (95.1%%) at a median family of 48.7%% of the epochs where nothing better comes, "
                    + "against 1,027 (95.4%%) and 50.7%% without it; with the chance refitted for it, 1,023 (94.99%%, "
                    + "one under the issue's 95%%) at 48.7%% (docs/benchmarks.md).")
    @Range(min = "0", below = "1")
    double longShotChance;

    @Option(
            names = "--advice-span",
            defaultValue = "${env:DW_ADVICE_SPAN:-1}",
            description = "How far back falls are measured, in doublings of epochs (default ${DEFAULT-VALUE}), in "
                    + "[0.25, 4]: at epoch 800, one doubling compares with epoch 400. One doubling is long enough "
                    + "for the smoothing (a 0.15 log-epoch time constant) to have settled and short enough to "
                    + "notice within one doubling that a run has stopped learning.")
    // shorter than a quarter doubling is within the smoothing's lag; longer than four waits for ever
    @Range(min = "0.25", max = "4")
    double spanDoublings;

    @Option(
            names = "--advice-train-climb",
            defaultValue = "${env:DW_ADVICE_TRAIN_CLIMB:-0.1}",
            description = "While the test loss rises, a smoothed train loss that climbs back by more than this "
                    + "fraction over the advice span keeps the advice at CONTINUE (default ${DEFAULT-VALUE}), in "
                    + "(0, 10]. Fitting never raises the train loss: when it climbs, the training itself has changed "
                    + "(weights pruned as the run goes, a regulariser ramped up, new data), and the STOPs read from "
                    + "the curve so far (interpolation, a flat train loss, too little budget to turn) no longer hold. "
                    + "In a rise it climbed 10%% a doubling in 15 of 20 runs of a network pruned while it trained "
                    + "(the thirteenth held-out round), whose second descents came within half a doubling, and in "
                    + "6 of the 945 runs of the other 46 families and the presets, where it cost no family a point "
                    + "of epochs (docs/benchmarks.md).")
    @Range(above = "0", max = "10")
    double trainClimb;

    @Option(
            names = "--advice-schedule-settle",
            defaultValue = "${env:DW_ADVICE_SCHEDULE_SETTLE:-0.25}",
            description = "For a run that tells the last epoch at which its own schedule changes what is fitted (tag "
                    + "schedule_end: data added, weights pruned, a regulariser switched or ramped): no STOP is read "
                    + "from the curve until this many doublings of epochs after it (default ${DEFAULT-VALUE}), in "
                    + "[0, 4]. Readings from before the change (interpolation, a flat train loss) are of another "
                    + "problem. On the design runs (a network pruned while it trains, a regulariser switched on late, "
                    + "growing data; the tag added from each trainer's settings), 0 lost three of ten winners told to "
                    + "STOP within four evaluations of the switch; 0.25 kept all 32 scheduled winners, at 79.5%%, "
                    + "66.5%% and 44.3%% of the epochs where nothing better comes (0: 78.1%%, 21.9%%, 34.3%%: a late "
                    + "regulariser's second descents that end above the first minimum are then followed); 0.5 kept "
                    + "no more and cost 15 points more on pruned runs (docs/benchmarks.md).")
    @Range(min = "0", max = "4")
    double scheduleSettle;

    @Option(
            names = "--advice-sweep-prior",
            defaultValue = "${env:DW_ADVICE_SWEEP_PRIOR:-0.5}",
            description = "How far a sweep's ended runs may move the chance told to its other runs: the standard "
                    + "deviation of the priors around no move, on an offset in log-odds and on the log of a slope "
                    + "(default ${DEFAULT-VALUE}), in [0, 4]; 0 tells each run its own curve's chance. The chance is "
                    + "fitted on many trainers and misses on a new one by its base rate of winning second descents, "
                    + "which no single curve shows and a sweep's ended runs do, and within one trainer's sweep it "
                    + "tells winners from losers more sharply than across trainers: the move is the most likely one "
                    + "for what they were told and what followed. 0.5 and 0.75 had the lowest log loss on the "
                    + "chance's own design families among 0.25 to 2 (0.420 and 0.419); on the rounds held out of its "
                    + "fit, read as sequential sweeps, 0.5 lowered the log loss from 0.472 to 0.409 "
                    + "(docs/benchmarks.md). A wider prior lets a few runs move it further.")
    @Range(min = "0", max = "4")
    double sweepPrior;

    /** The options' values as the advisor takes them. */
    public AdviceSettings settings() {
        return AdviceSettings.defaults()
                .withTrainFall(trainFall)
                .withTestFall(testFall)
                .withTurnDoublings(turnDoublings)
                .withSpanDoublings(spanDoublings)
                .withTrainClimb(trainClimb)
                .withScheduleSettle(scheduleSettle)
                .withSweepPrior(sweepPrior)
                .withTurnChance(turnChance)
                .withTurnChanceFrom(turnChanceFrom)
                .withUntoldTurnChance(untoldTurnChance)
                .withLongShotChance(longShotChance);
    }
}
