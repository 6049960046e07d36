package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.testkit.ModelWiseCurve;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Sweeps of thousands of runs: the sweep's state stays bounded, many-seed sizes decide as their exact values do,
 * and a sweep past the cap on sizes keeps deciding on the sizes it has.
 */
class LargeSweepsTest {

    private static final long N = 100;
    private static final long[] SIZES = {
        10, 13, 16, 20, 25, 32, 40, 50, 63, 79, 100, 126, 158, 200, 251, 316, 398, 501, 631, 794, 1000
    };

    private final SweepDetector detector = new SweepDetector(DetectionSettings.defaults());
    private final BinaryStateCodec codec = new BinaryStateCodec();

    private record Seed(long paramCount, double loss) {}

    private static List<Seed> seeds(Random random, int perSize, double height, double noise) {
        List<Seed> seeds = new ArrayList<>();
        for (long p : SIZES) {
            for (int s = 0; s < perSize; s++) {
                seeds.add(new Seed(p, ModelWiseCurve.testLoss(p, N, height) * Math.exp(noise * random.nextGaussian())));
            }
        }
        return seeds;
    }

    /** A run of {@code seed}'s size at its loss: still training, or said final and gone quiet. */
    private static RunSummary summary(String runId, Seed seed, boolean ended) {
        RunSummary s =
                SweepDetectorTest.summary(runId, seed.paramCount(), 10, seed.loss(), seed.paramCount() >= N, ended);
        return ended ? SweepDetectorTest.quiet(s) : s;
    }

    @Test
    void manySeedsDecideAsTheirExactValuesDo() {
        Random random = new Random(11);
        int agreeing = 0;
        int peaks = 0;
        int sweeps = 40;
        for (int n = 0; n < sweeps; n++) {
            double height = random.nextDouble() < 0.3 ? 0 : 0.05 + 1.5 * random.nextDouble();
            double noise = 0.03 + 0.3 * random.nextDouble();
            List<Seed> seeds = seeds(random, 40 + random.nextInt(160), height, noise);
            SweepState state = SweepState.start("sw");
            Map<Long, List<Double>> bySize = new TreeMap<>();
            for (int i = 0; i < seeds.size(); i++) {
                state = state.with(summary("r" + i, seeds.get(i), true), 256);
                bySize.computeIfAbsent(seeds.get(i).paramCount(), k -> new ArrayList<>())
                        .add(seeds.get(i).loss());
            }
            List<ModelSize> binned = ModelSize.of(state.sizes().values(), true);
            List<ModelSize> exact = new ArrayList<>();
            bySize.forEach((p, losses) -> {
                double[] v = losses.stream().mapToDouble(d -> d).toArray();
                double median = SmoothedSeries.median(v);
                exact.add(new ModelSize(p, median, p >= N, true, v.length, v.length, exactScatter(v, median)));
            });
            assertThat(binned).allSatisfy(s -> assertThat(s.healthy()).isGreaterThan(SeedLosses.EXACT_LIMIT));
            Optional<ModelWisePeak.Peak> fromBins = detector.peak(binned, true);
            Optional<ModelWisePeak.Peak> fromValues = detector.peak(exact, true);
            peaks += fromValues.isPresent() ? 1 : 0;
            Optional<ModelSize> threshold = detector.settledThreshold(exact, true);
            boolean same = fromBins.map(p -> p.size().paramCount())
                            .equals(fromValues.map(p -> p.size().paramCount()))
                    && detector.settledThreshold(binned, true)
                            .map(ModelSize::paramCount)
                            .equals(threshold.map(ModelSize::paramCount));
            // the win: the same verdict; the size it names may be another one tied with the exact winner to
            // within the histogram's resolution (past the threshold, sizes differ by a percent or less)
            Optional<SweepDetector.Win> winFromBins = threshold.flatMap(t ->
                    detector.win(binned, detector.settledThreshold(binned, true).orElseThrow()));
            Optional<SweepDetector.Win> winFromValues = threshold.flatMap(t -> detector.win(exact, t));
            same &= winFromBins.isPresent() == winFromValues.isPresent();
            if (winFromBins.isPresent() && winFromValues.isPresent()) {
                double named = exactLoss(exact, winFromBins.get().winner().paramCount());
                double best = winFromValues.get().winner().testLoss();
                assertThat(named / best - 1)
                        .as("the named winner's exact loss over the exact winner's")
                        .isLessThan(Math.expm1(SeedLosses.BIN_WIDTH));
            }
            agreeing += same ? 1 : 0;
        }
        assertThat(peaks).as("the sweeps have peaks and flat ones").isBetween(5, sweeps - 5);
        assertThat(agreeing).isEqualTo(sweeps);
    }

    private static double exactLoss(List<ModelSize> sizes, long paramCount) {
        return sizes.stream()
                .filter(m -> m.paramCount() == paramCount)
                .findFirst()
                .orElseThrow()
                .testLoss();
    }

    private static double exactScatter(double[] v, double median) {
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double squares = 0;
        for (double x : v) {
            squares += (x - mean) * (x - mean);
        }
        return squares / (median * median);
    }

    /** Streams one sweep of {@code perSize} seeds a size, in random order, each run in twice (training, ended). */
    private record Streamed(Map<AlertType, Alert> alerts, SweepState state, int largestRecord, List<String> notices) {}

    private Streamed stream(SweepDetector sweepDetector, List<Seed> seeds, Random random) {
        List<RunSummary> updates = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            Seed s = seeds.get(i);
            updates.add(SweepDetectorTest.summary("r" + i, s.paramCount(), 5, s.loss() * 1.1, false, false));
            // (a run still training: a higher loss at an earlier epoch, its size's aggregate takes it out again)
        }
        Collections.shuffle(updates, random);
        List<RunSummary> ended = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            ended.add(summary("r" + i, seeds.get(i), true));
        }
        Collections.shuffle(ended, random);
        updates.addAll(ended);
        InMemorySweepRuns runs = new InMemorySweepRuns();
        SweepState state = null;
        Map<AlertType, Alert> alerts = new EnumMap<>(AlertType.class);
        List<String> notices = new ArrayList<>();
        int largest = 0;
        for (RunSummary u : updates) {
            SweepStep step = sweepDetector.step(state, runs, u);
            state = step.state();
            step.alerts()
                    .forEach(a ->
                            assertThat(alerts.put(a.type(), a)).as("fired once").isNull());
            step.notice().ifPresent(notices::add);
            largest = Math.max(largest, codec.encodeSweep(state).length);
        }
        return new Streamed(alerts, state, largest, notices);
    }

    @Test
    void aSweepsStateDoesNotGrowWithItsRunCount() {
        Random random = new Random(12);
        Streamed small = stream(detector, seeds(random, 50, 1.0, 0.1), random);
        Streamed large = stream(detector, seeds(random, 500, 1.0, 0.1), random);
        assertThat(large.state().knownRuns()).isEqualTo(500 * SIZES.length);
        assertThat(large.largestRecord()).isLessThan(2 * small.largestRecord()).isLessThan(20_000);
        for (Streamed s : List.of(small, large)) {
            assertThat(s.alerts()).containsKeys(AlertType.INTERPOLATION_THRESHOLD, AlertType.MODEL_WISE_PEAK);
            assertThat(s.alerts().get(AlertType.INTERPOLATION_THRESHOLD).paramCount())
                    .isEqualTo(N);
            Alert peak = s.alerts().get(AlertType.MODEL_WISE_PEAK);
            assertThat(peak.paramCount()).isBetween(79L, 126L);
            // the alert names a run of the peak's size
            assertThat(peak.runId()).startsWith("r");
            assertThat(codec.decodeSweep(codec.encodeSweep(s.state()))).isEqualTo(s.state());
        }
    }

    @Test
    void aSweepPastTheCapOnSizesIsSaidOnceAndDecidesOnTheSizesItHas() {
        SweepDetector capped =
                new SweepDetector(DetectionSettings.builder().sweepMaxSizes(16).build());
        Random random = new Random(13);
        // the sizes arrive smallest first, so the cap keeps the 16 smallest, the threshold among them
        List<Seed> seeds = seeds(random, 3, 1.0, 0.05);
        List<RunSummary> updates = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            updates.add(summary("r" + i, seeds.get(i), true));
        }
        InMemorySweepRuns runs = new InMemorySweepRuns();
        SweepState state = null;
        List<String> notices = new ArrayList<>();
        Map<AlertType, Alert> alerts = new EnumMap<>(AlertType.class);
        for (RunSummary u : updates) {
            SweepStep step = capped.step(state, runs, u);
            state = step.state();
            step.notice().ifPresent(notices::add);
            step.alerts().forEach(a -> alerts.put(a.type(), a));
        }
        assertThat(state.sizes()).hasSize(16);
        assertThat(state.runsPastSizeCap()).isEqualTo(3 * (SIZES.length - 16));
        assertThat(state.knownRuns()).isEqualTo(seeds.size());
        assertThat(notices).singleElement().asString().contains("sweep sw", "16 model sizes", "--sweep-max-sizes");
        assertThat(alerts.get(AlertType.INTERPOLATION_THRESHOLD).paramCount()).isEqualTo(N);
        assertThat(SweepPicture.of(state).runsPastSizeCap()).isEqualTo(state.runsPastSizeCap());
    }
}
