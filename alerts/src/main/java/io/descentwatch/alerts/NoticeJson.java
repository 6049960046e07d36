package io.descentwatch.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of what a subscriber is sent: a single alert as the detector wrote it ({@code descentwatch.alert/v1}),
 * or a sweep's digest of run alerts ({@code descentwatch.alert-digest/v1}, schema
 * {@code schemas/alert-digest-v1.schema.json} in the events module) holding every alert it summarises, whole.
 */
public final class NoticeJson {

    public static final String DIGEST_SCHEMA = "descentwatch.alert-digest/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertCodec codec = new AlertCodec();

    public ObjectNode tree(AlertDigest.Notice notice) {
        try {
            if (notice instanceof AlertDigest.Single s) {
                return (ObjectNode) JSON.readTree(codec.encode(s.alert()));
            }
            AlertDigest.Digest d = (AlertDigest.Digest) notice;
            ObjectNode o = JSON.createObjectNode();
            o.put("schema", DIGEST_SCHEMA);
            o.put("sweep_id", d.sweepId());
            o.put("scope", "run");
            o.put("alert_count", d.alerts().size());
            ObjectNode counts = o.putObject("counts");
            for (Map.Entry<AlertType, List<Alert>> e : d.byType().entrySet()) {
                counts.put(e.getKey().name(), e.getValue().size());
            }
            o.put("first_time", d.firstTime().toString());
            o.put("last_time", d.lastTime().toString());
            o.put("message", AlertText.summary(d));
            ArrayNode alerts = o.putArray("alerts");
            for (Alert a : d.alerts()) {
                alerts.add(JSON.readTree(codec.encode(a)));
            }
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a notice", e);
        }
    }

    /** One line of JSON. */
    public String line(AlertDigest.Notice notice) {
        try {
            return JSON.writeValueAsString(tree(notice));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a notice", e);
        }
    }
}
