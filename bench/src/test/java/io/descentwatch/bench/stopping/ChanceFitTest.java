package io.descentwatch.bench.stopping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.descentwatch.bench.stopping.ChanceCalibration.Given;
import io.descentwatch.detection.AdviceChance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChanceFitTest {

    private static final int K = AdviceChance.FEATURES.length;

    /** A model with a strong slope on two features, the rest zero. */
    private static double[] truth(double bias) {
        double[] w = new double[K];
        w[0] = bias;
        w[1] = 3;
        w[2] = -3;
        return w;
    }

    /** Rows of one family drawn from the logistic model with the given weights: bias 1, the rest uniform in [0, 1]. */
    private static List<Given> family(String name, double[] weights, int n, Random random) {
        List<Given> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[K];
            x[0] = 1;
            for (int j = 1; j < K; j++) {
                x[j] = random.nextDouble();
            }
            boolean beaten = random.nextDouble() < AdviceChance.estimate(x, weights);
            rows.add(new Given(name, x, Double.NaN, beaten));
        }
        return rows;
    }

    @Test
    void familiesThatAgreeGetAlmostNoRidgeAndTheirModelBack() {
        Random random = new Random(1);
        List<Given> rows = new ArrayList<>();
        for (String f : List.of("a", "b", "c", "d")) {
            rows.addAll(family(f, truth(0), 2_000, random));
        }
        ChanceFit.Result fit = ChanceFit.fit(rows);

        assertThat(fit.ridge()).isLessThanOrEqualTo(1);
        assertThat(fit.weights()[1]).isCloseTo(3, within(0.4));
        assertThat(fit.weights()[2]).isCloseTo(-3, within(0.4));
        assertThat(fit.scores()).hasSameSizeAs(ChanceFit.RIDGES);
        assertThat(fit.chosen().estimated()).hasSameSizeAs(rows);
    }

    @Test
    void familiesWhoseFrequenciesDifferAreFittedWithALargerRidgeThanFamiliesThatAgree() {
        Random random = new Random(2);
        List<Given> agree = new ArrayList<>();
        List<Given> differ = new ArrayList<>();
        double[] biases = {-2.5, 2.5, -2, 2};
        for (int f = 0; f < biases.length; f++) {
            agree.addAll(family("f" + f, truth(0), 1_000, random));
            // the same slopes, but each family with its own base rate, and only one slope feature learned per family
            double[] w = truth(biases[f]);
            w[1 + f % 2] *= 2;
            differ.addAll(family("f" + f, w, 1_000, random));
        }

        double agreeing = ChanceFit.fit(agree).ridge();
        ChanceFit.Result differing = ChanceFit.fit(differ);

        assertThat(differing.ridge()).isGreaterThan(agreeing);
        // the chosen ridge predicts a left-out family better than almost none does, which is why it is chosen
        assertThat(differing.chosen().logLoss())
                .isLessThan(differing.scores().get(0).logLoss());
    }

    @Test
    void oneFamilyCannotBeLeftOut() {
        List<Given> rows = family("only", truth(0), 10, new Random(3));
        assertThatThrownBy(() -> ChanceFit.fit(rows)).hasMessageContaining("two families");
    }
}
