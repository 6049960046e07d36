package io.descentwatch.producer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalScheduleAndParametersTest {

    @Test
    void schedulesAlwaysIncludeTheStartAndTheEnd() {
        assertThat(EvalSchedule.parse("every").epochs(4)).containsExactly(0, 1, 2, 3, 4);
        assertThat(EvalSchedule.parse("3").epochs(10)).containsExactly(0, 3, 6, 9, 10);
        assertThat(EvalSchedule.parse("log:1").epochs(1000)).containsExactly(0, 1, 10, 100, 1000);
        long[] log = EvalSchedule.parse("log").epochs(20_000);
        // 20 points per decade over 4.3 decades, the first ones merging at small epochs
        assertThat(log.length).isBetween(70, 90);
        assertThat(log).startsWith(0, 1, 2, 3, 4).endsWith(20_000).isSorted();
        assertThatThrownBy(() -> EvalSchedule.parse("sometimes")).hasMessageContaining("every, K");
    }

    @Test
    void parametersFillDefaultsAndRejectUnknownKeys() {
        Preset rf = Presets.named("rf-modelwise");
        Parameters quick = Parameters.resolve(rf.parameters(), true, Map.of("epochs", "10"), rf.name());
        assertThat(quick.integer("epochs")).isEqualTo(10);
        assertThat(RandomFeaturesPreset.widths(quick)).containsExactly(10, 30, 50, 80, 100, 120, 200, 500, 1000);
        assertThat(Parameters.resolve(rf.parameters(), false, Map.of("widths", "5,7"), rf.name())
                        .integers("widths"))
                .containsExactly(5, 7);
        assertThat(new Parameters(Map.of("s", "1..3,7")).integers("s")).isEqualTo(List.of(1, 2, 3, 7));
        assertThatThrownBy(() -> Parameters.resolve(rf.parameters(), true, Map.of("classes", "3"), rf.name()))
                .hasMessageContaining("no setting 'classes'")
                .hasMessageContaining("train-size");
        assertThatThrownBy(() -> quick.with("epochs", "many").integer("epochs"))
                .hasMessageContaining("'epochs' must be an integer");
    }

    @Test
    void everyPresetPlansOneRunPerSizeAndSeedWithDistinctIds() {
        for (Preset p : Presets.all()) {
            Parameters params = Parameters.resolve(p.parameters(), true, Map.of(), p.name());
            List<RunSpec> runs = p.plan("s", params);
            assertThat(runs).as(p.name()).isNotEmpty();
            assertThat(runs.stream().map(RunSpec::runId).distinct().count()).isEqualTo(runs.size());
            assertThat(runs).allSatisfy(r -> assertThat(r.runId()).startsWith("s/"));
        }
    }
}
