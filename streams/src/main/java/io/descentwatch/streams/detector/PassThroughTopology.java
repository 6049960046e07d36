package io.descentwatch.streams.detector;

import io.descentwatch.kafka.TopicSettings;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The baseline the detector is measured against: reads the epochs topic and writes every record unchanged to the
 * alerts topic, with the same guarantees, so the difference is the cost of detection alone.
 */
public final class PassThroughTopology {

    private PassThroughTopology() {}

    public static Topology build(TopicSettings topics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topics.epochs, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .to(topics.alerts, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }
}
