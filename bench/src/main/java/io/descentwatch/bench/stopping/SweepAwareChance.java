package io.descentwatch.bench.stopping;

import io.descentwatch.bench.stopping.ChanceCalibration.Given;
import io.descentwatch.detection.ChanceMove;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.SweepChanceEvidence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chance as the detector tells it to the runs of a sweep whose earlier runs have ended: each chance moved by
 * the sweep's offset ({@link SweepChanceEvidence}, with {@code --advice-sweep-prior}), learned from the ledgers of the
 * sweep's ended runs, as the sweep detector learns it.
 *
 * <p>Each family is read as one sweep of its runs in the order their trainer wrote them (its grid's order), trained
 * {@code workers} at a time: each run is told chances moved by what the runs of the batches before its own showed.
 * One worker (a sequential sweep) is the most a sweep could tell; more know fewer ended runs at each advice; a run
 * of the first batch is told its own curve's chance.
 */
final class SweepAwareChance {

    private SweepAwareChance() {}

    /** One run of a sweep: the move its sweep made of its chance when it started, and its advice to its end. */
    record Told(Curve curve, ChanceMove move, ChanceCalibration.Advised advised) {}

    static List<Given> given(List<Curve> curves, DetectionSettings settings, int workers) {
        return told(curves, settings, workers).stream()
                .flatMap(t -> t.advised().rows().stream())
                .toList();
    }

    /** Each run in order, with the move it was told and its advice to its end. */
    static List<Told> told(List<Curve> curves, DetectionSettings settings, int workers) {
        double prior = settings.advice().sweepPrior();
        Map<String, SweepChanceEvidence> ended = new HashMap<>();
        Map<String, List<LedgerState>> training = new HashMap<>();
        Map<String, Integer> started = new HashMap<>();
        List<Told> rows = new ArrayList<>();
        for (Curve c : curves) {
            String family = c.family();
            List<LedgerState> batch = training.computeIfAbsent(family, f -> new ArrayList<>());
            if (started.merge(family, 1, Integer::sum) % workers == 1 % workers) {
                // a new batch starts once the one before it has ended
                SweepChanceEvidence evidence = ended.getOrDefault(family, SweepChanceEvidence.NONE);
                for (LedgerState l : batch) {
                    evidence = evidence.with(l);
                }
                ended.put(family, evidence);
                batch.clear();
            }
            ChanceMove move =
                    ended.getOrDefault(family, SweepChanceEvidence.NONE).move(prior);
            ChanceCalibration.Advised advised = ChanceCalibration.advised(c, settings, sweepId -> move);
            rows.add(new Told(c, move, advised));
            batch.add(advised.ledger());
        }
        return rows;
    }
}
