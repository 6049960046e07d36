package io.descentwatch.detection;

/**
 * Losses moved and compared by a share of their size, whatever their sign. The advice's and the sweep's rules were
 * written as products ({@code (1 + share) * loss}, {@code level / loss - 1}), which hold only for losses above
 * zero: a loss that goes under zero (a density's negative log-likelihood, as four held-out families' train or test
 * losses did) was moved the wrong way, so a 2% margin under a best of -0.05 lay above it, and a rise was worded as
 * "-364% above its first minimum". For a loss at or above zero each method gives what the product gave, bit for bit,
 * so no verdict on such a loss changes.
 */
final class LossShares {

    private LossShares() {}

    /** {@code loss} raised by {@code share} of its size. */
    static double raised(double loss, double share) {
        return loss >= 0 ? (1 + share) * loss : (1 - share) * loss;
    }

    /** {@code loss} lowered by {@code share} of its size. */
    static double lowered(double loss, double share) {
        return loss >= 0 ? (1 - share) * loss : (1 + share) * loss;
    }

    /** How far {@code value} is above {@code reference}, as a share of the reference's size (negative under it). */
    static double above(double value, double reference) {
        return reference > 0 ? value / reference - 1 : (value - reference) / Math.abs(reference);
    }

    /** How far {@code value} is under {@code reference}, as a share of the reference's size (negative above it). */
    static double below(double value, double reference) {
        return reference > 0 ? 1 - value / reference : (reference - value) / Math.abs(reference);
    }
}
