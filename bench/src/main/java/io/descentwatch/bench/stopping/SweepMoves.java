package io.descentwatch.bench.stopping;

import io.descentwatch.detection.AdviceSettings.TurnChanceFrom;
import io.descentwatch.detection.ChanceMove;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.SweepChances;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each run's sweep moved its chance when the run started, each family read as one sequential sweep in the order
 * its trainer wrote its runs (its grid's order), every earlier run trained to its end ({@link SweepAwareChance}, one
 * worker): what a stopping rule that reads the sweep's chance ({@code --advice-turn-chance-from sweep}) is told. A
 * sweep trained with more workers at once, or whose runs end in another order, tells its runs other moves. With the
 * own curve's chance ({@link TurnChanceFrom#OWN}) no stop depends on the move, and none is computed.
 */
final class SweepMoves {

    /** No run's chance moved. */
    static final SweepMoves NONE = new SweepMoves(Map.of());

    private final Map<Curve, ChanceMove> moves;

    private SweepMoves(Map<Curve, ChanceMove> moves) {
        this.moves = moves;
    }

    /** The moves for {@code curves} in their order, or {@link #NONE} when the advice does not read them. */
    static SweepMoves of(List<Curve> curves, DetectionSettings settings) {
        return switch (settings.advice().turnChanceFrom()) {
            case OWN -> NONE;
            case SWEEP -> {
                // by identity: two runs of equal events in two families are two runs
                Map<Curve, ChanceMove> moves = new IdentityHashMap<>();
                SweepAwareChance.told(curves, settings, 1).forEach(t -> moves.put(t.curve(), t.move()));
                yield new SweepMoves(moves);
            }
        };
    }

    /** What the detector reads of {@code run}'s sweep while the run trains: its move at the run's start. */
    SweepChances of(Curve run) {
        ChanceMove move = moves.getOrDefault(run, ChanceMove.NONE);
        return sweepId -> move;
    }
}
