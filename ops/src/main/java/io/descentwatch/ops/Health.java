package io.descentwatch.ops;

/**
 * What a service says of itself when asked: whether it is alive (a restart would not help otherwise, so an
 * orchestrator should restart it when it is not) and whether it is ready (doing its work now: joined its group,
 * caught up, its database reachable), with one line saying why.
 */
public record Health(Liveness liveness, Readiness readiness, String detail) {

    /** Whether the process still does, or can get back to, its work without a restart. */
    public enum Liveness {
        LIVE,
        DEAD
    }

    /** Whether the process is doing its work at this moment. */
    public enum Readiness {
        READY,
        NOT_READY
    }

    public static Health ready(String detail) {
        return new Health(Liveness.LIVE, Readiness.READY, detail);
    }

    public static Health starting(String detail) {
        return new Health(Liveness.LIVE, Readiness.NOT_READY, detail);
    }

    public static Health dead(String detail) {
        return new Health(Liveness.DEAD, Readiness.NOT_READY, detail);
    }

    public boolean isLive() {
        return liveness == Liveness.LIVE;
    }

    public boolean isReady() {
        return readiness == Readiness.READY;
    }
}
