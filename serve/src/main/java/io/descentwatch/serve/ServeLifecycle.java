package io.descentwatch.serve;

import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where serve is in its life, and what it has started, stated rather than implied by the order of a list (as
 * Debezium's engine states its own): {@link State#CREATED}, {@link State#STARTING}, {@link State#RUNNING},
 * {@link State#STOPPING}, {@link State#STOPPED}. Whatever order the parts started in, they stop in the order of
 * {@link Part}; stopping from any state stops what had started, so a start that fails half-way leaves nothing
 * running, and stopping twice stops once.
 */
final class ServeLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServeLifecycle.class);

    enum State {
        CREATED,
        STARTING,
        RUNNING,
        STOPPING,
        STOPPED
    }

    /**
     * What serve runs, declared in the order it stops them: first what delivers alerts and reads the topics (so
     * that nothing new arrives while the rest stops), then the digest ticker (which prints the last digests of
     * what they delivered), then, once the clients' threads have ended, the detector, and the broker they all
     * talk to last.
     */
    enum Part {
        /** The webhook's alert feed (its consumer group commits what it delivered). */
        WEBHOOK,
        /** The InfluxDB sink. */
        SINK,
        /** The live page and JSON API (Jetty). */
        PAGE,
        /** The live page's view of the topics. */
        FEED,
        /** The ticker that prints digests as their window ends; prints the last ones on stopping. */
        DIGEST,
        /** The streaming detector; the first part that is not a client of the others. */
        DETECTOR,
        /** The in-process broker. */
        BROKER;

        /** The parts that stop only once every client's thread has ended. */
        boolean outlivesClients() {
            return compareTo(DETECTOR) >= 0;
        }
    }

    /** Guarded by this. */
    private State state = State.CREATED;

    private final Map<Part, AutoCloseable> started = new EnumMap<>(Part.class);

    synchronized State state() {
        return state;
    }

    synchronized void starting() {
        move(State.CREATED, State.STARTING);
    }

    /** A part now runs and must be stopped; its stop is {@code stop}. */
    synchronized void started(Part part, AutoCloseable stop) {
        if (state != State.STARTING) {
            throw new IllegalStateException(part + " started while serve is " + state);
        }
        if (started.putIfAbsent(part, stop) != null) {
            throw new IllegalStateException(part + " started twice");
        }
    }

    synchronized void running() {
        move(State.STARTING, State.RUNNING);
    }

    /**
     * Stops every part that started, in the order of {@link Part}, running {@code clientsEnded} (which waits for
     * the clients' threads) before the first part that outlives them. A part that fails to stop is logged and the
     * rest still stop. Returns false, doing nothing, when serve is stopping or stopped already.
     */
    boolean stop(Runnable clientsEnded) {
        Map<Part, AutoCloseable> toStop;
        synchronized (this) {
            if (state == State.STOPPING || state == State.STOPPED) {
                return false;
            }
            state = State.STOPPING;
            toStop = new EnumMap<>(started);
            started.clear();
        }
        boolean clientsDone = false;
        for (Part part : Part.values()) {
            if (!clientsDone && part.outlivesClients()) {
                clientsEnded.run();
                clientsDone = true;
            }
            AutoCloseable stop = toStop.get(part);
            if (stop != null) {
                stopQuietly(part, stop);
            }
        }
        synchronized (this) {
            state = State.STOPPED;
        }
        return true;
    }

    private static void stopQuietly(Part part, AutoCloseable stop) {
        try {
            stop.close();
        } catch (Exception e) {
            // broad: AutoCloseable.close declares Exception, and whatever one part throws, the parts after it
            // (the broker above all) must still stop
            log.warn("stopping {}: {}", part, e.toString());
        }
    }

    private void move(State from, State to) {
        if (state != from) {
            throw new IllegalStateException("serve is " + state + ", not " + from + ": cannot become " + to);
        }
        state = to;
    }
}
