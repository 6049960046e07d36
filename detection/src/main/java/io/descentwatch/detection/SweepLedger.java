package io.descentwatch.detection;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/**
 * A sweep's advice ledger: its runs' ledgers added up, rule by rule.
 *
 * @param runs        runs with at least one evaluation
 * @param epochsSoFar epochs the runs have trained (to the end, for runs that have ended): the cost of never
 *                    stopping
 * @param rules       each rule's totals
 */
public record SweepLedger(int runs, long epochsSoFar, Map<StopRule, Totals> rules) {

    /**
     * One rule's totals over a sweep's runs.
     *
     * @param stopped     runs it has stopped (the others are still training)
     * @param epochsSpent epochs it spends over all runs (the run's epochs so far where it is still training)
     * @param kept        runs where what it keeps is within {@link LedgerState#KEPT_TOLERANCE} of the run's best so
     *                    far
     * @param meanExcess  mean relative excess of what it keeps over the run's best (NaN without runs)
     */
    public record Totals(int stopped, long epochsSpent, int kept, double meanExcess) {}

    public SweepLedger {
        rules = Map.copyOf(rules);
    }

    public Totals of(StopRule rule) {
        return rules.get(rule);
    }

    /** The totals over these runs' ledgers; ledgers without an evaluation are left out. */
    public static SweepLedger of(Collection<LedgerState> ledgers) {
        int runs = 0;
        long epochs = 0;
        Map<StopRule, Totals> rules = new EnumMap<>(StopRule.class);
        for (StopRule rule : StopRule.values()) {
            int stopped = 0;
            long spent = 0;
            int kept = 0;
            double excess = 0;
            int withExcess = 0;
            for (LedgerState l : ledgers) {
                if (l.lastEpoch() < 0) {
                    continue;
                }
                RuleTrack t = rule.of(l);
                stopped += t.stopped() ? 1 : 0;
                spent += t.epochsSpent();
                kept += l.kept(rule) ? 1 : 0;
                double e = t.excessOver(l.bestTestLoss());
                if (Double.isFinite(e)) {
                    excess += e;
                    withExcess++;
                }
            }
            rules.put(rule, new Totals(stopped, spent, kept, withExcess == 0 ? Double.NaN : excess / withExcess));
        }
        for (LedgerState l : ledgers) {
            if (l.lastEpoch() >= 0) {
                runs++;
                epochs += l.lastEpoch();
            }
        }
        return new SweepLedger(runs, epochs, rules);
    }
}
