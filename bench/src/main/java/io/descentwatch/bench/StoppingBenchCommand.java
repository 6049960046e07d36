package io.descentwatch.bench;

import io.descentwatch.bench.stopping.ChanceCalibration;
import io.descentwatch.bench.stopping.Curve;
import io.descentwatch.bench.stopping.StoppingBench;
import io.descentwatch.bench.stopping.StoppingCurves;
import io.descentwatch.bench.stopping.StoppingTrace;
import io.descentwatch.bench.stopping.TurnPremise;
import io.descentwatch.streams.detector.DetectionOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench stopping`: DescentWatch's stopping advice against classic early-stopping rules on real DL4J curves. */
@Command(
        name = "stopping",
        mixinStandardHelpOptions = true,
        description = "Early stopping on real curves: DescentWatch's advice against patience 3, patience 10, "
                + "Prechelt GL5 and training to the end, on runs held out of tuning (and on the tuning runs).")
final class StoppingBenchCommand extends BenchSubcommand {
    @Option(
            names = "--curves",
            paramLabel = "FILE",
            arity = "1..*",
            description = "Runs to judge on, as epoch events in JSON lines, gzipped or not, each trained to its "
                    + "end; one or more files (default: the DL4J curves shipped with the benchmark, made by "
                    + "bench/stopping/generate-curves.sh; the independent PyTorch curves of "
                    + "bench/advice-trainers are under bench/src/main/resources/stopping/independent/).")
    List<Path> curves;

    @Option(
            names = "--trace",
            paramLabel = "TEXT",
            description = "Instead of the tables, print every evaluation of the runs whose id contains TEXT: "
                    + "losses, the detector's phase and each rule's stop.")
    String trace;

    @Option(
            names = "--by-family",
            description = "One table per family of held-out runs (tag preset, else tag family, else the sweep id), "
                    + "each followed by the runs the advice loses (its kept model more than 2%% above the run's "
                    + "best), with where it stopped and why. Runs "
                    + "without the preset tag (any trainer but the project's own) are all held out. Each family is "
                    + "read as one sweep whose runs end in file order, each run told what the runs before it showed "
                    + "(what the early turn reads with --advice-turn-chance-from sweep).")
    boolean byFamily;

    @Option(
            names = "--fit-chance",
            description = "Instead of the tables, fit the advice's chance (a logistic model) on the runs of the "
                    + "families the rule was designed on and print its weights.")
    boolean fitChance;

    @Option(
            names = "--calibration",
            description = "Instead of the tables, print the chance's calibration per family: the advice given in "
                    + "each range of chance against the share that went on to beat the best so far by 2%%; pooled "
                    + "over the families held out of the chance's fit, each run told its own curve's chance and, "
                    + "each family read as one sweep run after run, as the detector tells it (moved by the sweep's "
                    + "ended runs), with each family's mean chance against what followed.")
    boolean calibration;

    @Option(
            names = "--turn-premise",
            description = "Instead of the tables, measure the premise of --advice-turn on the winning second "
                    + "descents, per family: the doublings of epochs from each one's peak to below its first minimum, "
                    + "and the doublings of the run left at its peak, with the share under the turn.")
    boolean turnPremise;

    @Option(
            names = "--announce-budget",
            description = "Judge as if every trainer told its planned last epoch (tag max_epochs, set to the run's "
                    + "last epoch on each event), as the project's workers and the Python client with epochs= do. "
                    + "Without it, the runs say only what their files say.")
    boolean announceBudget;

    @CommandLine.Mixin
    DetectionOptions settings;

    @Override
    void measure(PrintWriter out) throws Exception {
        var all = new ArrayList<Curve>();
        if (curves == null || curves.isEmpty()) {
            all.addAll(StoppingCurves.load(null));
        } else {
            for (Path file : curves) {
                all.addAll(StoppingCurves.load(file));
            }
        }
        if (announceBudget) {
            all.replaceAll(Curve::withBudgetAnnounced);
        }
        if (fitChance) {
            ChanceCalibration.printFit(out, all, settings.settings());
        } else if (calibration) {
            ChanceCalibration.printTables(out, all, settings.settings());
        } else if (turnPremise) {
            TurnPremise.print(out, all, settings.settings().advice().turnDoublings());
        } else if (trace != null) {
            StoppingTrace.print(out, all, trace, settings.settings());
        } else {
            StoppingBench.print(out, all, settings.settings(), byFamily);
        }
    }
}
