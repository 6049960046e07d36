package io.descentwatch.detection;

import java.util.List;

/**
 * The level one side of a one-seed sweep's peak is judged against once the sweep is complete: the lowest level that
 * two neighbouring sizes hold together (the higher of the two), where they are within the size resolution.
 *
 * <p>Why: with one seed per size no median removes an outlier size, and a single low outlier beside a flat or
 * falling curve makes every size after it stand out, neighbours included, so the broadness a peak must show does
 * not guard against it. A real valley, like a real peak, spans neighbouring sizes on a grid fine enough to resolve
 * it. Where two neighbours are further apart than the resolution the curve may bend sharply between them, so there
 * the lower of the two counts, as the lowest size always did. With several seeds the median already removes a lone
 * outlier run, and the lowest size counts.
 *
 * @param size   the size whose loss is the level
 * @param paired whether the level is held by two neighbouring sizes within the resolution: then noise must move
 *               two sizes together to lower it
 */
record SideFloor(ModelSize size, boolean paired) {

    static SideFloor of(List<ModelSize> side, double sizeResolution) {
        if (side.size() < 2 || side.stream().anyMatch(s -> s.healthy() > 1)) {
            return new SideFloor(ModelWisePeak.lowest(side), false);
        }
        SideFloor floor = null;
        for (int j = 0; j + 1 < side.size(); j++) {
            ModelSize a = side.get(j);
            ModelSize b = side.get(j + 1);
            boolean resolved = SweepNoise.resolved(a, b, sizeResolution);
            ModelSize level = (a.testLoss() >= b.testLoss()) == resolved ? a : b;
            if (floor == null || level.testLoss() < floor.size().testLoss()) {
                floor = new SideFloor(level, resolved);
            }
        }
        return floor;
    }

    double testLoss() {
        return size.testLoss();
    }
}
