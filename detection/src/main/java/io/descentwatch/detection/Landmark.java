package io.descentwatch.detection;

/**
 * A point of the smoothed test-loss curve that a decision refers to (a minimum, a peak), with the variance weight
 * the smoothed value had then (see {@link SmoothedSeries#varianceWeight()}): a minimum taken early, from few
 * values, is less certain than a late one.
 */
public record Landmark(long epoch, double loss, double varianceWeight) {

    public static Landmark at(long epoch, SmoothedSeries series) {
        return new Landmark(epoch, series.level(), series.varianceWeight());
    }

    public Landmark lowest(long epoch, SmoothedSeries series) {
        return series.level() < loss ? at(epoch, series) : this;
    }

    public Landmark highest(long epoch, SmoothedSeries series) {
        return series.level() > loss ? at(epoch, series) : this;
    }
}
