package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.TopicSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The outputs' routing keeps the topology's named nodes, and each named sink writes the topic it always did. */
class TopologyRoutingTest {

    @Test
    void eachDetectorsOutputsReachTheirTopicsThroughTheNamedNodes() {
        TopicSettings topics = TopicSettings.defaults().prefixed("routing-");
        Map<String, String> sinks = new HashMap<>();
        Set<String> nodes = new HashSet<>();
        for (TopologyDescription.Subtopology sub : DescentTopology.build(
                        topics,
                        DetectionSettings.defaults(),
                        StreamsAppSettings.defaults("routing-test", Path.of("unused")))
                .describe()
                .subtopologies()) {
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
                        "sweeps-out", topics.sweeps));
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
                        "sweep-pictures");
    }
}
