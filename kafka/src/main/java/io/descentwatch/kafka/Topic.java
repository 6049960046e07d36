package io.descentwatch.kafka;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic as code meets it: its name with the serdes of its keys and values, so a topic is read and written with
 * its own format wherever it is used, and code routes by topic rather than by comparing names.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
