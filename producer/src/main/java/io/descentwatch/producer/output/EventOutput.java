package io.descentwatch.producer.output;

import io.descentwatch.events.EpochEvent;

/**
 * Where training sends its epoch events: Kafka or a JSON-lines file. Thread-safe: several workers publish at once.
 * {@link #publish} may block when the output is slow (back-pressure on training, never a dropped event) and throws
 * when delivery has failed, so a run never goes on as if its events had arrived.
 */
public interface EventOutput extends AutoCloseable {

    void publish(EpochEvent event);

    /** Returns once every event published so far is delivered; throws if any was not. */
    void flush();

    /** Where the events go, for messages. */
    String describe();

    @Override
    void close();
}
