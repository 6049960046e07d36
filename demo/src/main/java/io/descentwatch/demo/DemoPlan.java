package io.descentwatch.demo;

import io.descentwatch.producer.training.CommonParameters;
import io.descentwatch.producer.training.Presets;
import io.descentwatch.producer.training.RandomFeaturesPreset;
import io.descentwatch.producer.training.RunSpec;
import io.descentwatch.producer.training.SweepOptions;
import io.descentwatch.producer.training.TwoScalePreset;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the demo trains: a model-wise random-features sweep (13 widths around N = n) and one epoch-wise
 * two-scale run. The full demo trains through DL4J's {@code MultiLayerNetwork.fit} (the network engine), which
 * takes about two minutes on 2 cores: long enough to watch the curves form. The quick one uses the presets'
 * quick sizes and the ND4J engine, a few seconds of training, for tests and impatient people.
 */
record DemoPlan(List<SweepOptions.Sweep> sweeps) {

    static DemoPlan of(boolean quick, Clock clock) {
        String engine = quick ? "nd4j" : "network";
        List<SweepOptions.Sweep> sweeps = new ArrayList<>();
        sweeps.add(SweepOptions.plan(
                Presets.named(RandomFeaturesPreset.NAME), quick, Map.of(CommonParameters.ENGINE, engine), null, clock));
        sweeps.add(SweepOptions.plan(
                Presets.named(TwoScalePreset.NAME),
                quick,
                Map.of(CommonParameters.ENGINE, engine, CommonParameters.SEEDS, "1"),
                null,
                clock));
        return new DemoPlan(List.copyOf(sweeps));
    }

    List<RunSpec> runs() {
        return sweeps.stream().flatMap(s -> s.runs().stream()).toList();
    }
}
