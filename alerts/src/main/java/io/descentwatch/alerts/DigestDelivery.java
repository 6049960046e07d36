package io.descentwatch.alerts;

import io.descentwatch.events.Alert;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link AlertFeed.Delivery} through an {@link AlertDigest}: sweep alerts are handed on at once, the run alerts
 * of a sweep once their window closes, as one digest; every notice goes to one handler (print it, post it).
 */
public final class DigestDelivery implements AlertFeed.Delivery {

    /** Handles one notice; an exception stops the feed, leaving its alerts uncommitted. */
    @FunctionalInterface
    public interface NoticeHandler {
        void handle(AlertDigest.Notice notice) throws Exception;
    }

    private final AlertDigest digest;
    private final Clock clock;
    private final NoticeHandler handler;

    public DigestDelivery(AlertDigest digest, Clock clock, NoticeHandler handler) {
        this.digest = digest;
        this.clock = clock;
        this.handler = handler;
    }

    @Override
    public List<Alert> accept(Alert alert) throws Exception {
        return handled(digest.accept(alert, clock.instant()));
    }

    @Override
    public List<Alert> tick() throws Exception {
        return handled(digest.due(clock.instant()));
    }

    @Override
    public List<Alert> flush() throws Exception {
        return handled(digest.flush());
    }

    private List<Alert> handled(List<AlertDigest.Notice> notices) throws Exception {
        if (notices.isEmpty()) {
            return List.of();
        }
        List<Alert> delivered = new ArrayList<>();
        for (AlertDigest.Notice n : notices) {
            handler.handle(n);
            delivered.addAll(n.alerts());
        }
        return delivered;
    }
}
