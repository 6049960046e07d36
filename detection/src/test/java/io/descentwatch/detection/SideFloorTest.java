package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A one-seed sweep's peak is judged, once complete, against the level neighbouring sizes hold, not one low size. */
class SideFloorTest {

    private static ModelSize size(long params, double loss) {
        return new ModelSize(params, loss, false, true, 1, 1, Double.NaN);
    }

    /** Sizes {@code step} apart from 100 parameters, one seed each, with the given losses. */
    private static List<ModelSize> sweep(double step, double... losses) {
        List<ModelSize> sizes = new ArrayList<>();
        double p = 100;
        for (double loss : losses) {
            sizes.add(size(Math.round(p), loss));
            p *= step;
        }
        return sizes;
    }

    @Test
    void aLoneLowSizeOnAFineGridIsNotTheFloor() {
        SideFloor floor = SideFloor.of(sweep(1.3, 1.00, 0.98, 0.60, 0.99, 0.97), 1.5);
        assertThat(floor.testLoss()).isEqualTo(0.98);
        assertThat(floor.paired()).isTrue();
    }

    @Test
    void onAGridCoarserThanTheResolutionTheLowerOfTwoNeighboursCounts() {
        // two decades in four steps: the curve may really bend this sharply between neighbours
        SideFloor floor = SideFloor.of(sweep(3.2, 1.00, 0.98, 0.60, 0.99, 0.97), 1.5);
        assertThat(floor.testLoss()).isEqualTo(0.60);
        assertThat(floor.paired()).isFalse();
    }

    @Test
    void withSeedsTheLowestSizeCountsSinceItIsAlreadyAMedian() {
        List<ModelSize> sizes = new ArrayList<>(sweep(1.3, 1.00, 0.98, 0.60, 0.99));
        sizes.set(2, new ModelSize(sizes.get(2).paramCount(), 0.60, false, true, 3, 3, 0.01));
        assertThat(SideFloor.of(sizes, 1.5).testLoss()).isEqualTo(0.60);
    }

    /** Flat at 1.0 (+-1%) over 15 sizes, with a lone low size at 0.8 near each end. */
    private static double[] flatWithLoneLows() {
        double[] losses = new double[15];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = i % 2 == 0 ? 1.01 : 0.99;
        }
        losses[1] = 0.8;
        losses[13] = 0.8;
        return losses;
    }

    @Test
    void twoLoneLowSizesDoNotMakeTheFlatCurveBetweenThemAPeakOnceComplete() {
        // over the lone low sizes every size between stands 25% out, its neighbours too, and the noise cannot be
        // measured away from so wide a region, so judged against the lowest sizes this was a peak
        ModelWisePeak peaks = new ModelWisePeak(DetectionSettings.defaults());
        assertThat(peaks.find(sweep(1.3, flatWithLoneLows()), true)).isEmpty();
    }

    @Test
    void aBroadBumpOverTheSameCurveIsStillNamed() {
        double[] losses = flatWithLoneLows();
        losses[6] = 1.25;
        losses[7] = 1.40;
        losses[8] = 1.30;
        List<ModelSize> sizes = sweep(1.3, losses);
        ModelWisePeak peaks = new ModelWisePeak(DetectionSettings.defaults());
        assertThat(peaks.find(sizes, true))
                .hasValueSatisfying(p -> assertThat(p.size()).isEqualTo(sizes.get(7)));
    }
}
