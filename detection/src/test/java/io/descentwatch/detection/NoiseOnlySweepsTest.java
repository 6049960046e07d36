package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sweeps whose truth is monotone (test loss falling with size, as a regularised or under-parameterized family
 * does), as other trainers send them: 13 to 21 sizes on a jittered log grid, 1 to 3 seeds, 3% to 15% relative
 * noise per run with occasional heavy-tailed spikes (a Student-t with two degrees of freedom for one run in ten),
 * no planned run count, runs finishing in random order and then going quiet. Noise alone must not make a peak.
 */
class NoiseOnlySweepsTest {

    private final SweepDetector detector = new SweepDetector();

    /** How many of {@code count} noise-only sweeps got a MODEL_WISE_PEAK. */
    private int falsePeaks(int count, int seeds, double noise, long salt) {
        int peaks = 0;
        for (int sweep = 0; sweep < count; sweep++) {
            Random random = new Random(salt * 1_000_003L + sweep);
            int sizes = 13 + random.nextInt(9);
            double decades = 1.5 + random.nextDouble();
            double floor = 0.1 + 0.4 * random.nextDouble();
            double exponent = 0.3 + 0.7 * random.nextDouble();
            List<RunSummary> finals = new ArrayList<>();
            for (int i = 0; i < sizes; i++) {
                double jitter = (random.nextDouble() - 0.5) * 0.4 * decades / (sizes - 1);
                long p = Math.round(10 * Math.pow(10, decades * i / (sizes - 1) + jitter));
                for (int s = 0; s < seeds; s++) {
                    double e = random.nextDouble() < 0.1 ? SweepFixtures.studentT2(random) : random.nextGaussian();
                    double loss = (floor + Math.pow(p / 10.0, -exponent)) * Math.exp(noise * e);
                    finals.add(SweepDetectorTest.summary("n/p" + p + "/s" + s, p, 100, loss, false, true, 0));
                }
            }
            Collections.shuffle(finals, random);
            SweepState state = null;
            InMemorySweepRuns runs = new InMemorySweepRuns();
            boolean peak = false;
            for (RunSummary u : SweepDetectorTest.thenQuiet(finals)) {
                SweepStep step = detector.step(state, runs, u);
                state = step.state();
                peak |= step.alerts().stream().map(Alert::type).anyMatch(t -> t == AlertType.MODEL_WISE_PEAK);
            }
            peaks += peak ? 1 : 0;
        }
        return peaks;
    }

    @Test
    void oneSeedAtFivePercentNoiseAtMostOneFalsePeakInAHundred() {
        int peaks = falsePeaks(100, 1, 0.05, 1);
        System.out.printf("noise-only sweeps, 1 seed, 5%% noise: %d false peaks in 100%n", peaks);
        assertThat(peaks).isLessThanOrEqualTo(1);
    }

    @Test
    void oneSeedOverAThousandSweepsAtFivePercentAtMostOneInAHundred() {
        // the rate itself, over ten times the sweeps above: one draw of 100 says little about a rate near 1%
        int atFive = 0;
        for (double noise : new double[] {0.03, 0.05, 0.10}) {
            int peaks = 0;
            for (long salt = 1; salt <= 10; salt++) {
                peaks += falsePeaks(100, 1, noise, salt);
            }
            System.out.printf("noise-only sweeps, 1 seed, %.0f%% noise: %d false peaks in 1,000%n", 100 * noise, peaks);
            atFive = noise == 0.05 ? peaks : atFive;
        }
        assertThat(atFive).isLessThanOrEqualTo(10);
    }

    @Test
    void threeSeedsNoFalsePeakInFourHundredFromThreeToFifteenPercent() {
        int peaks = 0;
        double[] noises = {0.03, 0.05, 0.10, 0.15};
        for (int i = 0; i < noises.length; i++) {
            int here = falsePeaks(100, 3, noises[i], 10 + i);
            System.out.printf(
                    "noise-only sweeps, 3 seeds, %.0f%% noise: %d false peaks in 100%n", 100 * noises[i], here);
            peaks += here;
        }
        assertThat(peaks).isZero();
    }

    @Test
    void oneAndTwoSeedsFromThreeToFifteenPercentAreReported() {
        // not a target of the issue beyond one seed at 5%; measured and printed for the README
        for (int seeds : new int[] {1, 2}) {
            for (double noise : new double[] {0.03, 0.10, 0.15}) {
                System.out.printf(
                        "noise-only sweeps, %d seed(s), %.0f%% noise: %d false peaks in 100%n",
                        seeds, 100 * noise, falsePeaks(100, seeds, noise, 100 + seeds));
            }
        }
    }
}
