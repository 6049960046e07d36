package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Sweeps as they arrive live from trainers that end each run with {@code final} but never say how many runs the
 * sweep has: sizes one after the other in increasing order (a sequential trainer) or in random order (parallel
 * workers), and the sweep complete only at the end (after the sweep quiet time). The peak of a sweep whose peak
 * stands at least twice the best size on each side must be named as soon as the sizes that decide it have ended,
 * before completeness; noise alone must not make a peak at any of the looks the sweep goes through; one-seed bumps
 * of 20% to 80% are found once the sweep is complete.
 *
 * <p>This generator is what the early peak rule was designed on (a bump in log size on a falling curve, 8 or 20
 * sizes, one or three seeds, 3% to 15% log-normal noise with heavy-tailed spikes); the preset, hard-synthetic,
 * noise-only and labelled sweeps and the live benchmark's sweeps were held out of that design.
 */
class LiveSweepsTest {

    private static final long N = 100;

    /** One generated sweep: its runs' final summaries in arrival order, and the truth. */
    record Sweep(List<RunSummary> finals, List<Long> sizes, int peakIndex, double prominence, int decidingRun) {
        boolean peaked() {
            return prominence >= 0.10;
        }
    }

    /**
     * A sweep of {@code k} sizes from 0.1 n to 10 n, {@code seeds} seeds each, a bump of {@code height} at the
     * threshold (0 for none), relative noise {@code noise}; in increasing size order or shuffled.
     */
    static Sweep generate(Random random, int k, int seeds, double height, double noise, boolean ascending) {
        double floor = 0.2 + 0.6 * random.nextDouble();
        double tail = 0.2 + random.nextDouble();
        double exponent = 0.3 + 0.6 * random.nextDouble();
        double width = 0.2 + 0.3 * random.nextDouble();
        List<Long> sizes = new ArrayList<>();
        List<Double> truth = new ArrayList<>();
        List<RunSummary> finals = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            double jitter = (random.nextDouble() - 0.5) * 0.3 * 2.0 / (k - 1);
            double ratio = Math.pow(10, -1 + 2.0 * i / (k - 1) + jitter);
            long p = Math.max(1, Math.round(ratio * N));
            if (sizes.contains(p)) {
                continue;
            }
            double g = Math.exp(-Math.pow(Math.log(ratio), 2) / (2 * width * width));
            double clean = (floor + tail * Math.pow(ratio, -exponent)) * Math.exp(Math.log1p(height) * g);
            sizes.add(p);
            truth.add(clean);
            for (int s = 0; s < seeds; s++) {
                double e = random.nextInt(10) == 0 ? SweepFixtures.studentT2(random) : random.nextGaussian();
                double loss = clean * Math.exp(noise * Math.max(-6, Math.min(e, 20)));
                boolean fits = ratio >= 1;
                finals.add(SweepFixtures.endedRun("live/p" + p + "/s" + s, "live", new RunSize(p, N, 1), loss, fits)
                        .withActivity(RunActivity.FINISHED));
            }
        }
        SweepFixtures.TruePeak peak = SweepFixtures.TruePeak.of(truth);
        int top = peak.index();
        double prominence = peak.prominence();
        if (!ascending) {
            Collections.shuffle(finals, random);
        }
        // the sizes that decide the peak: the peak and the best size on each side of it (truth)
        List<Long> deciding = List.of(
                sizes.get(top), sizes.get(argmin(truth, 0, top)), sizes.get(argmin(truth, top + 1, truth.size())));
        int decidingRun = 0;
        for (int i = 0; i < finals.size(); i++) {
            if (deciding.contains(finals.get(i).paramCount())) {
                decidingRun = i;
            }
        }
        return new Sweep(finals, sizes, top, prominence, decidingRun);
    }

    private static int argmin(List<Double> values, int from, int to) {
        int best = from;
        for (int i = from; i < to; i++) {
            if (values.get(i) < values.get(best)) {
                best = i;
            }
        }
        return best;
    }

    /** When the sweep's MODEL_WISE_PEAK came: the run index it came at (-1: never), and whether before completeness. */
    record Verdict(int atRun, boolean early, long paramCount) {
        boolean named() {
            return atRun >= 0;
        }
    }

    static Verdict feed(SweepDetector detector, Sweep sweep) {
        SweepState state = null;
        InMemorySweepRuns runs = new InMemorySweepRuns();
        List<RunSummary> updates = SweepDetectorTest.thenQuiet(sweep.finals());
        for (int i = 0; i < updates.size(); i++) {
            SweepStep step = detector.step(state, runs, updates.get(i));
            state = step.state();
            for (Alert a : step.alerts()) {
                if (a.type() == AlertType.MODEL_WISE_PEAK) {
                    return new Verdict(
                            Math.min(i, sweep.finals().size() - 1),
                            i < sweep.finals().size(),
                            a.paramCount());
                }
            }
        }
        return new Verdict(-1, false, -1);
    }

    private static boolean near(Sweep sweep, Verdict v) {
        return v.named() && Math.abs(sweep.sizes().indexOf(v.paramCount()) - sweep.peakIndex()) <= 1;
    }

    private final SweepDetector detector = new SweepDetector();

    @Test
    void peaksTwiceTheFlanksAreNamedAsSoonAsTheirSizesHaveEndedBeforeTheSweepIsComplete() {
        SoftAssertions softly = new SoftAssertions();
        int strongAll = 0;
        int inTimeAll = 0;
        for (boolean ascending : new boolean[] {true, false}) {
            for (int seeds : new int[] {1, 3}) {
                for (int k : new int[] {8, 20}) {
                    int strong = 0;
                    int early = 0;
                    int atDecidingRun = 0;
                    int right = 0;
                    for (int n = 0; n < 100; n++) {
                        Random random = new Random(31_000 + 1_000L * k + 100L * seeds + n + (ascending ? 0 : 50_000));
                        Sweep sweep = generate(
                                random,
                                k,
                                seeds,
                                1.5 + 3 * random.nextDouble(),
                                0.03 + 0.07 * random.nextDouble(),
                                ascending);
                        if (sweep.prominence() < 1.0) {
                            continue;
                        }
                        strong++;
                        Verdict v = feed(detector, sweep);
                        early += v.early() ? 1 : 0;
                        atDecidingRun += v.early() && v.atRun() <= sweep.decidingRun() ? 1 : 0;
                        right += near(sweep, v) ? 1 : 0;
                    }
                    System.out.printf(
                            "live sweeps, %s, %d seed(s), %d sizes, peaks >= 2x: %d sweeps, named before "
                                    + "completeness %d (by the run that ends the deciding sizes %d), within one size %d%n",
                            ascending ? "ascending" : "random order", seeds, k, strong, early, atDecidingRun, right);
                    // a sequential trainer's peak is named by the run that ends its deciding sizes; with workers in
                    // parallel a neighbour of the peak may still be missing then, and it is named before completeness
                    softly.assertThat(ascending ? atDecidingRun : early)
                            .as("named in time")
                            .isGreaterThanOrEqualTo((int) Math.floor(0.8 * strong));
                    softly.assertThat(right).as("named within one size").isGreaterThanOrEqualTo((int) (0.9 * strong));
                    strongAll += strong;
                    inTimeAll += ascending ? atDecidingRun : early;
                }
            }
        }
        softly.assertThat(inTimeAll).as("named in time, all cases").isGreaterThanOrEqualTo((int) (0.93 * strongAll));
        softly.assertAll();
    }

    @Test
    void oneSeedBumpsOfTwentyToEightyPercentAreFoundOnceComplete() {
        for (int k : new int[] {8, 20}) {
            int peaked = 0;
            int found = 0;
            int misplaced = 0;
            for (int n = 0; n < 400; n++) {
                Random random = new Random(41_000 + 1_000L * k + n);
                Sweep sweep = generate(random, k, 1, 0.2 + 1.3 * random.nextDouble(), 0.05, random.nextBoolean());
                if (sweep.prominence() < 0.20 || sweep.prominence() > 0.80) {
                    continue;
                }
                peaked++;
                Verdict v = feed(detector, sweep);
                found += near(sweep, v) ? 1 : 0;
                misplaced += v.named() && !near(sweep, v) ? 1 : 0;
            }
            System.out.printf(
                    "live sweeps, one seed, %d sizes, peaks 20%%-80%% over the best size on each side, 5%% noise: "
                            + "found %d of %d (%d named elsewhere)%n",
                    k, found, peaked, misplaced);
            // a recall figure for the README (the rule's limit with one seed); what it names, it names right
            assertThat(found).isPositive();
            assertThat(misplaced).isLessThanOrEqualTo(peaked / 50);
        }
    }

    @Test
    void noiseAloneMakesNoPeakAtAnyLook() {
        int[][] cases = {{1, 5}, {3, 3}, {3, 5}, {3, 10}, {3, 15}};
        int total = 0;
        for (int[] c : cases) {
            int peaks = 0;
            for (int n = 0; n < 200; n++) {
                Random random = new Random(51_000 + 1_000L * c[0] + 10L * c[1] + n);
                Sweep sweep =
                        generate(random, random.nextBoolean() ? 8 : 20, c[0], 0, c[1] / 100.0, random.nextBoolean());
                peaks += feed(detector, sweep).named() ? 1 : 0;
            }
            System.out.printf(
                    "live noise-only sweeps, %d seed(s), %d%% noise: %d false peaks in 200%n", c[0], c[1], peaks);
            total += c[0] == 1 ? 0 : peaks;
            if (c[0] == 1) {
                assertThat(peaks).isLessThanOrEqualTo(2);
            }
        }
        assertThat(total).isZero();
    }
}
