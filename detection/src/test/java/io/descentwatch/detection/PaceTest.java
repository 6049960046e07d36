package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PaceTest {

    private static final double SPAN = Math.log(2);

    /** A history of levels at log-epochs 0, ln 2, ..., each test level given by {@code test}. */
    private static LevelHistory history(double... test) {
        LevelHistory h = LevelHistory.EMPTY;
        for (int i = 0; i < test.length; i++) {
            h = h.add(i * SPAN, 1, test[i], 10 * SPAN);
        }
        return h;
    }

    @Test
    void aFallThatHalvesEachSpanEndsWhereTheGeometricSeriesSays() {
        // falls of 0.4 then 0.2: the next are 0.1, 0.05, ... which add up to 0.2 more
        Pace pace = Pace.of(history(2.0, 1.6, 1.4), 2 * SPAN, SPAN, 1.4);
        assertThat(pace.slowing()).isTrue();
        assertThat(pace.ends()).isCloseTo(1.2, within(1e-9));
    }

    @Test
    void aFallThatIsNotSlowingDownHasNoEnd() {
        assertThat(Pace.of(history(2.0, 1.8, 1.5), 2 * SPAN, SPAN, 1.5).ends()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Pace.of(history(2.0, 1.8, 1.6), 2 * SPAN, SPAN, 1.6).slowing())
                .isFalse();
        // a history too short for two spans: falling, but how fast it slows cannot be told
        assertThat(Pace.of(history(2.0, 1.8), SPAN, SPAN, 1.8).ends()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void aFallReadFromBeforeThePeakIsNotTheSecondDescentsPace() {
        // the neural-ode-rk4 runs of the forty-first round: the smoothed level still falls from the first descent two
        // spans back, peaks within the last span and falls again; read across the peak, the falls 0.5 then 0.13
        // look like a descent slowing down to end near 0.42
        LevelHistory h = history(1.1, 0.6, 0.47);
        assertThat(Pace.of(h, 2 * SPAN, SPAN, 0.47).slowing()).isTrue();
        Pace sincePeak = Pace.since(h, 2 * SPAN, SPAN, 0.47, 1.5 * SPAN);
        assertThat(sincePeak.slowing()).isFalse();
        assertThat(sincePeak.ends()).isEqualTo(Double.NEGATIVE_INFINITY);
        // once both spans are past the peak the pace is read as before
        assertThat(Pace.since(h, 2 * SPAN, SPAN, 0.47, 0).ends())
                .isEqualTo(Pace.of(h, 2 * SPAN, SPAN, 0.47).ends());
    }

    @Test
    void aTestLossThatHasStoppedFallingEndsWhereItIs() {
        Pace pace = Pace.of(history(1.0, 1.2, 1.3), 2 * SPAN, SPAN, 1.3);
        assertThat(pace.slowing()).isFalse();
        assertThat(pace.ends()).isEqualTo(1.3);
    }
}
