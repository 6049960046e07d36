package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A sweep's move of the chance: its arithmetic, what a ledger keeps of it, and its bytes on the topic. */
class ChanceMoveTest {

    @Test
    void theMoveIsAnOffsetAfterASlopeInLogOddsAndLeavesCertaintiesAlone() {
        ChanceMove move = new ChanceMove(0.4, 1.5);
        double own = 0.3;
        double expected = 1 / (1 + Math.exp(-(0.4 + 1.5 * Math.log(own / (1 - own)))));
        assertThat(move.apply(own)).isCloseTo(expected, within(1e-15));
        assertThat(move.apply(0.0)).isZero();
        assertThat(move.apply(1.0)).isEqualTo(1.0);
        assertThat(ChanceMove.NONE.apply(0.37)).isEqualTo(0.37);
        // the slope turns about even odds: 0.5 moves by the offset alone
        assertThat(new ChanceMove(0, 3).apply(0.5)).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void aLedgerKeepsHowFarTheMoveTookAChanceAndGetsTheOwnChanceBack() {
        ChanceMove move = new ChanceMove(-0.7, 1.8);
        for (double own : new double[] {0.05, 0.3, 0.5, 0.81, 0.97}) {
            double told = move.apply(own);
            float kept = (float) move.logOddsFrom(own);
            assertThat(new ChanceTold(told, 1, 1.0, kept).ownChance()).isCloseTo(own, within(1e-6));
        }
        assertThat(ChanceMove.NONE.logOddsFrom(0.4)).isZero();
    }

    @Test
    void itsBytesReadBackAndAnOffsetAloneReadsAsBeforeTheSlope() {
        ChanceMove move = new ChanceMove(-0.25, 0.8);
        assertThat(ChanceMove.ofBytes(move.bytes())).isEqualTo(move);
        byte[] offsetAlone = ByteBuffer.allocate(Double.BYTES).putDouble(0.6).array();
        assertThat(ChanceMove.ofBytes(offsetAlone)).isEqualTo(new ChanceMove(0.6, 1));
        assertThatThrownBy(() -> ChanceMove.ofBytes(new byte[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes")
                .hasMessageContaining("not 5");
        assertThatThrownBy(() -> new ChanceMove(0, 0)).hasMessageContaining("positive finite slope");
        assertThatThrownBy(() -> new ChanceMove(Double.NaN, 1)).hasMessageContaining("finite offset");
    }
}
