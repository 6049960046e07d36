package io.descentwatch.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** JSON codec for {@link Alert}, wire contract v1. Numbers in {@code details} keep NaN/Infinity as strings. */
public final class AlertCodec {

    private final ContractLimits limits = ContractLimits.DEFAULT;

    public byte[] encode(Alert a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JsonObjects.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("schema", Alert.SCHEMA);
            g.writeStringField("alert_id", a.alertId());
            g.writeStringField("type", a.type().name());
            g.writeStringField("scope", a.scope().wireName());
            if (a.runId() != null) {
                g.writeStringField("run_id", a.runId());
            }
            g.writeStringField("sweep_id", a.sweepId());
            g.writeNumberField("epoch", a.epoch());
            g.writeNumberField("param_count", a.paramCount());
            g.writeNumberField("train_size", a.trainSize());
            g.writeNumberField("output_dim", a.outputDim());
            g.writeNumberField("p_over_n", a.pOverN());
            g.writeObjectFieldStart("details");
            for (Map.Entry<String, Object> e : a.details().entrySet()) {
                Object v = e.getValue();
                if (v instanceof Double d) {
                    JsonObjects.writeLoss(g, e.getKey(), d);
                } else {
                    g.writeObjectField(e.getKey(), v);
                }
            }
            g.writeEndObject();
            g.writeStringField("message", a.message());
            g.writeStringField("time", a.time().toString());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    public String encodeToString(Alert a) {
        return new String(encode(a), StandardCharsets.UTF_8);
    }

    public Decoded<Alert> decode(byte[] bytes) {
        if (bytes == null) {
            return new Decoded.Invalid<>(new Rejection(RejectionKind.NOT_JSON, "empty record (null value)"));
        }
        return JsonObjects.parse(bytes).flatMap(this::decodeObject);
    }

    public Decoded<Alert> decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private Decoded<Alert> decodeObject(ObjectNode node) {
        try {
            JsonFields f = new JsonFields(node, limits);
            String schema = f.text("schema", limits.maxIdLength());
            if (!schema.equals(Alert.SCHEMA)) {
                throw new JsonFields.RejectedException(
                        RejectionKind.UNKNOWN_SCHEMA,
                        "schema is \"" + JsonFields.abbreviate(schema) + "\"; this version reads " + Alert.SCHEMA);
            }
            String typeName = f.text("type", 64);
            AlertType type;
            try {
                type = AlertType.valueOf(typeName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new JsonFields.RejectedException(
                        RejectionKind.OUT_OF_RANGE, "unknown alert type \"" + JsonFields.abbreviate(typeName) + "\"");
            }
            String runId = f.has("run_id") ? f.id("run_id") : null;
            Map<String, Object> details = new LinkedHashMap<>(f.scalarObject("details"));
            Long outputDim = f.optionalInteger("output_dim", 1, 1_000_000);
            return new Decoded.Valid<>(new Alert(
                    f.text("alert_id", 128),
                    type,
                    runId,
                    f.id("sweep_id"),
                    f.integer("epoch", 0, limits.maxEpoch()),
                    f.integer("param_count", 1, limits.maxCount()),
                    f.integer("train_size", 1, limits.maxCount()),
                    outputDim == null ? 1 : outputDim.intValue(),
                    details,
                    f.text("message", 4096),
                    f.time("time")));
        } catch (JsonFields.RejectedException e) {
            return new Decoded.Invalid<>(e.rejection);
        }
    }
}
