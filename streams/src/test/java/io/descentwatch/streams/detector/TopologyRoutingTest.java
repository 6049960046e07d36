package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.TopicSettings;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The outputs' routing keeps the topology's named nodes, and each named sink writes the topic it always did. */
class TopologyRoutingTest {

    @Test
    void eachDetectorsOutputsReachTheirTopicsThroughTheNamedNodes() {
        TopicSettings topics = TopicSettings.defaults().prefixed("routing-");
        Map<String, String> sinks = new HashMap<>();
        Set<String> nodes = new HashSet<>();
        for (TopologyDescription.Subtopology sub : subtopologies(DescentTopology.Stage.FULL, topics)) {
            for (TopologyDescription.Node node : sub.nodes()) {
                nodes.add(node.name());
                if (node instanceof TopologyDescription.Sink sink
                        && sink.topic().startsWith("routing-")) {
                    sinks.put(sink.name(), sink.topic());
                }
            }
        }
        assertThat(sinks)
                .isEqualTo(Map.of(
                        "dead-letters", topics.deadLetters,
                        "run-alerts-out", topics.alerts,
                        "sweep-alerts-out", topics.alerts,
                        "runs-out", topics.runs,
                        "advice-out", topics.advice,
                        "sweeps-out", topics.sweeps,
                        "sweep-chances-out", topics.sweepChances));
        assertThat(nodes)
                .contains(
                        "run-alerts",
                        "as-run-alerts",
                        "run-changes",
                        "as-run-changes",
                        "run-advice",
                        "as-advice",
                        "sweep-alerts",
                        "as-sweep-alerts",
                        "sweep-changes",
                        "sweep-pictures",
                        "sweep-chances",
                        "sweep-chance-moves");
        // the one path back: every run detector reads the sweep chances topic as a global store
        assertThat(DescentTopology.build(
                                DescentTopology.Stage.FULL,
                                topics,
                                DetectionSettings.defaults(),
                                StreamsAppSettings.defaults("routing-test", Path.of("unused")))
                        .describe()
                        .globalStores())
                .singleElement()
                .satisfies(g -> {
                    assertThat(g.source().topicSet()).containsExactly(topics.sweepChances);
                    assertThat(g.processor().stores()).containsExactly(DescentTopology.SWEEP_CHANCE_STORE);
                });
    }

    /**
     * The benchmark's stages build the same topology cut short: each stage keeps every sink and store of the one
     * before it, and adds only its own.
     */
    @Test
    void eachStageAddsItsOwnSinksAndStoresToTheStageBefore() {
        TopicSettings topics = TopicSettings.defaults().prefixed("routing-");
        Map<DescentTopology.Stage, Set<String>> sinks = new EnumMap<>(DescentTopology.Stage.class);
        Map<DescentTopology.Stage, Set<String>> stores = new EnumMap<>(DescentTopology.Stage.class);
        for (DescentTopology.Stage stage : DescentTopology.Stage.values()) {
            Set<String> stageSinks = new TreeSet<>();
            Set<String> stageStores = new TreeSet<>();
            for (TopologyDescription.Subtopology sub : subtopologies(stage, topics)) {
                for (TopologyDescription.Node node : sub.nodes()) {
                    if (node instanceof TopologyDescription.Sink sink) {
                        stageSinks.add(sink.name());
                    }
                    if (node instanceof TopologyDescription.Processor processor) {
                        stageStores.addAll(processor.stores());
                    }
                }
            }
            sinks.put(stage, stageSinks);
            stores.put(stage, stageStores);
        }
        Set<String> runStores = Set.of(DescentTopology.RUN_STORE, DescentTopology.RUN_ACTIVITY_STORE);
        assertThat(sinks.get(DescentTopology.Stage.VALIDATION))
                .containsExactlyInAnyOrder("dead-letters", "events-by-run-repartition-sink");
        assertThat(stores.get(DescentTopology.Stage.VALIDATION)).isEmpty();
        assertThat(sinks.get(DescentTopology.Stage.RUN_DETECTOR))
                .isEqualTo(sinks.get(DescentTopology.Stage.VALIDATION));
        assertThat(stores.get(DescentTopology.Stage.RUN_DETECTOR)).isEqualTo(runStores);
        assertThat(sinks.get(DescentTopology.Stage.RUN_OUTPUTS))
                .containsAll(sinks.get(DescentTopology.Stage.RUN_DETECTOR))
                .contains("run-alerts-out", "advice-out", "runs-out")
                .hasSize(5);
        assertThat(stores.get(DescentTopology.Stage.RUN_OUTPUTS)).isEqualTo(runStores);
        assertThat(sinks.get(DescentTopology.Stage.SWEEP_REPARTITION))
                .containsAll(sinks.get(DescentTopology.Stage.RUN_OUTPUTS))
                .contains("summaries-by-sweep-repartition-sink")
                .hasSize(6);
        assertThat(stores.get(DescentTopology.Stage.SWEEP_REPARTITION)).isEqualTo(runStores);
        assertThat(sinks.get(DescentTopology.Stage.FULL))
                .containsAll(sinks.get(DescentTopology.Stage.SWEEP_REPARTITION))
                .contains("sweep-alerts-out", "sweeps-out", "sweep-chances-out")
                .hasSize(9);
        assertThat(stores.get(DescentTopology.Stage.FULL))
                .containsAll(runStores)
                .contains(DescentTopology.SWEEP_STORE, DescentTopology.SWEEP_RUNS_STORE)
                .hasSize(4);
    }

    private static Set<TopologyDescription.Subtopology> subtopologies(
            DescentTopology.Stage stage, TopicSettings topics) {
        return DescentTopology.build(
                        stage,
                        topics,
                        DetectionSettings.defaults(),
                        StreamsAppSettings.defaults("routing-test", Path.of("unused")))
                .describe()
                .subtopologies();
    }
}
