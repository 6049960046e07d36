package io.descentwatch.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** JSON codec for {@link Advice}, wire contract v1 (schema {@code schemas/advice-v1.schema.json}). */
public final class AdviceCodec {

    private final ContractLimits limits = ContractLimits.DEFAULT;

    public byte[] encode(Advice a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator g = JsonObjects.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("schema", Advice.SCHEMA);
            writeFields(g, a);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /**
     * An advice's fields after its schema, into an object already open: the advice topic's record, and the
     * {@code advice} field of a run summary (which has no schema field of its own).
     */
    public static void writeFields(JsonGenerator g, Advice a) throws IOException {
        g.writeStringField("run_id", a.runId());
        g.writeStringField("sweep_id", a.sweepId());
        g.writeNumberField("epoch", a.epoch());
        g.writeStringField("advice", a.verdict().name());
        g.writeStringField("basis", a.basis().wireName());
        if (a.chance() != null) {
            g.writeNumberField("chance", a.chance());
        }
        g.writeStringField("reason", a.reason());
        g.writeNumberField("best_epoch", a.bestEpoch());
        JsonObjects.writeLoss(g, "best_test_loss", a.bestTestLoss());
        g.writeStringField("time", a.time().toString());
    }

    public String encodeToString(Advice a) {
        return new String(encode(a), StandardCharsets.UTF_8);
    }

    public Decoded<Advice> decode(byte[] bytes) {
        if (bytes == null) {
            return new Decoded.Invalid<>(new Rejection(RejectionKind.NOT_JSON, "empty record (null value)"));
        }
        return JsonObjects.parse(bytes).flatMap(this::decodeObject);
    }

    public Decoded<Advice> decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private Decoded<Advice> decodeObject(ObjectNode node) {
        try {
            JsonFields f = new JsonFields(node, limits);
            String schema = f.text("schema", limits.maxIdLength());
            if (!schema.equals(Advice.SCHEMA)) {
                throw new JsonFields.RejectedException(
                        RejectionKind.UNKNOWN_SCHEMA,
                        "schema is \"" + JsonFields.abbreviate(schema) + "\"; this version reads " + Advice.SCHEMA);
            }
            Advice.Verdict verdict = member(Advice.Verdict.class, "advice", f.text("advice", 32));
            Advice.Basis basis = member(Advice.Basis.class, "basis", f.text("basis", 64));
            return new Decoded.Valid<>(new Advice(
                    f.id("run_id"),
                    f.id("sweep_id"),
                    f.integer("epoch", 0, limits.maxEpoch()),
                    verdict,
                    basis,
                    chance(f),
                    f.text("reason", 4096),
                    f.integer("best_epoch", -1, limits.maxEpoch()),
                    f.loss("best_test_loss"),
                    f.time("time")));
        } catch (JsonFields.RejectedException e) {
            return new Decoded.Invalid<>(e.rejection);
        }
    }

    /** The optional chance: null when absent (an advice from before it existed, or still warming up). */
    private static Double chance(JsonFields f) throws JsonFields.RejectedException {
        return f.optionalFraction("chance");
    }

    private static <E extends Enum<E>> E member(Class<E> type, String field, String value)
            throws JsonFields.RejectedException {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JsonFields.RejectedException(
                    RejectionKind.OUT_OF_RANGE,
                    field + " is \"" + JsonFields.abbreviate(value) + "\"; it is one of "
                            + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }
}
