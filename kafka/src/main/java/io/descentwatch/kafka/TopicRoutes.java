package io.descentwatch.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a consumer of several topics does with a record of each: every topic with its handler, the record's value
 * decoded with that topic's own serde, so that code routes by {@link Topic} rather than by comparing names.
 *
 * @param <R> what a handler makes of a record
 */
public final class TopicRoutes<R> {

    /** What a topic's records become: the record as read (key, offset, timestamp) and its decoded value. */
    @FunctionalInterface
    public interface Handler<V, R> {
        R handle(ConsumerRecord<String, byte[]> record, V value);
    }

    private record Route<V, R>(Topic<String, V> topic, Handler<V, R> handler) {
        R apply(ConsumerRecord<String, byte[]> r) {
            return handler.handle(r, topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
        }
    }

    /** In the order added: {@link #names()} subscribes in it. */
    private final Map<String, Route<?, R>> routes = new LinkedHashMap<>();

    /** Adds a topic's handler; a topic routed twice is a mistake in the caller's code. */
    public <V> TopicRoutes<R> on(Topic<String, V> topic, Handler<V, R> handler) {
        if (routes.putIfAbsent(topic.name(), new Route<>(topic, handler)) != null) {
            throw new IllegalArgumentException("topic " + topic.name() + " is routed twice");
        }
        return this;
    }

    /** The names of the routed topics, in the order they were added, to subscribe to. */
    public List<String> names() {
        return List.copyOf(routes.keySet());
    }

    /**
     * What the record's topic makes of it; empty for a tombstone or a topic not routed here. Whatever its serde
     * or handler throws (a value that does not decode) is the caller's to count.
     */
    public Optional<R> route(ConsumerRecord<String, byte[]> r) {
        Route<?, R> route = routes.get(r.topic());
        if (route == null || r.value() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(route.apply(r));
    }
}
