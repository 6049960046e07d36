package io.descentwatch.producer.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEvent;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * minnorm-linear trained by gradient descent agrees with the Belkin-Hsu-Xu closed form away from p = n, averaged
 * over seeds (the formula is an expectation over training sets; one set scatters widely around it).
 */
class MinNormClosedFormTest {

    static final int SEEDS = 24;

    @Test
    void trainedRiskMatchesTheClosedFormAwayFromTheThreshold() throws Exception {
        Map<String, String> settings = Map.of(
                "train-size",
                "40",
                "total-features",
                "120",
                "widths",
                "8,20,80,120",
                "epochs",
                "600",
                "eval",
                "log:2",
                "seeds",
                "1.." + SEEDS);
        MemoryOutput sink = MemoryOutput.train(MinNormLinearPreset.NAME, true, settings, 2);
        Map<Long, List<EpochEvent>> byWidth =
                sink.finals().stream().collect(Collectors.groupingBy(EpochEvent::paramCount));
        Parameters p = Parameters.resolve(new MinNormLinearPreset().parameters(), true, settings, "minnorm-linear");
        assertThat(byWidth).hasSize(4);
        byWidth.forEach((width, finals) -> {
            assertThat(finals).hasSize(SEEDS);
            double trained =
                    finals.stream().mapToDouble(EpochEvent::testLoss).average().orElseThrow();
            double formula = MinNormLinearPreset.closedFormTestLoss(p, width.intValue());
            double sigmaSq = 0.25;
            System.out.printf(
                    "p=%d: trained risk %.4f, closed form %.4f (ratio %.3f); train loss %.2e%n",
                    width,
                    trained + sigmaSq,
                    formula + sigmaSq,
                    (trained + sigmaSq) / (formula + sigmaSq),
                    finals.stream().mapToDouble(EpochEvent::trainLoss).average().orElseThrow());
            assertThat(trained + sigmaSq)
                    .as("p = %d", width)
                    .isCloseTo(formula + sigmaSq, org.assertj.core.api.Assertions.withinPercentage(10));
            assertThat(finals.get(0).tags()).containsKey("bhx_test_loss");
        });
    }

    @Test
    void theFormulaHasNoValueAtTheThreshold() {
        assertThat(BelkinHsuXu.risk(40, 39, 0.3, 0.7, 0.25)).isNaN();
        assertThat(BelkinHsuXu.risk(40, 41, 0.3, 0.7, 0.25)).isNaN();
        // p = 0: the model predicts 0 and the risk is all of the target's variance plus the noise
        assertThat(BelkinHsuXu.risk(40, 0, 0, 1, 0.25)).isEqualTo(1.25);
    }
}
