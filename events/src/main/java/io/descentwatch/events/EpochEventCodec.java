package io.descentwatch.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON codec for {@link EpochEvent}: decoding validates every field of the contract and turns each fault into a
 * {@link Rejection}; it never throws on bad input. Unknown fields are ignored (forward compatibility).
 */
public final class EpochEventCodec {

    private static final String SCHEMA_FAMILY = "descentwatch.epoch/";

    private final ContractLimits limits;
    private final StreamingEventDecoder streaming;

    public EpochEventCodec() {
        this(ContractLimits.DEFAULT);
    }

    public EpochEventCodec(ContractLimits limits) {
        this.limits = limits;
        this.streaming = new StreamingEventDecoder(limits);
    }

    public Decoded<EpochEvent> decode(byte[] bytes) {
        if (bytes == null) {
            return new Decoded.Invalid<>(new Rejection(RejectionKind.NOT_JSON, "empty record (null value)"));
        }
        if (bytes.length > limits.maxRecordBytes()) {
            return new Decoded.Invalid<>(new Rejection(
                    RejectionKind.TOO_LARGE,
                    "record is " + bytes.length + " bytes; the limit is " + limits.maxRecordBytes()));
        }
        EpochEvent valid = streaming.tryDecode(bytes);
        return valid != null ? new Decoded.Valid<>(valid) : decodeTree(bytes);
    }

    /** Every rule of the contract, with the words of each rejection: the reference for the streaming decoder. */
    Decoded<EpochEvent> decodeTree(byte[] bytes) {
        return JsonObjects.parse(bytes).flatMap(this::decodeObject);
    }

    public Decoded<EpochEvent> decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private Decoded<EpochEvent> decodeObject(ObjectNode node) {
        try {
            JsonFields f = new JsonFields(node, limits);
            String schema = f.text("schema", limits.maxIdLength());
            if (!schema.equals(EpochEvent.SCHEMA)) {
                throw new JsonFields.RejectedException(
                        RejectionKind.UNKNOWN_SCHEMA,
                        "schema is \"" + JsonFields.abbreviate(schema) + "\"; this version reads " + EpochEvent.SCHEMA
                                + (schema.startsWith(SCHEMA_FAMILY) ? " only" : ""));
            }
            String runId = f.id("run_id");
            String sweepId = f.id("sweep_id");
            long epoch = f.integer("epoch", 0, limits.maxEpoch());
            double trainLoss = f.loss("train_loss");
            double testLoss = f.loss("test_loss");
            long paramCount = f.integer("param_count", 1, limits.maxCount());
            long trainSize = f.integer("train_size", 1, limits.maxCount());
            Long outputDim = f.optionalInteger("output_dim", 1, 1_000_000);
            return new Decoded.Valid<>(new EpochEvent(
                    runId,
                    sweepId,
                    epoch,
                    trainLoss,
                    testLoss,
                    f.optionalFraction("train_error"),
                    f.optionalFraction("test_error"),
                    paramCount,
                    trainSize,
                    outputDim == null ? 1 : outputDim.intValue(),
                    f.time("time"),
                    f.scalarObject("model"),
                    f.stringObject("tags"),
                    f.optionalBoolean("final")));
        } catch (JsonFields.RejectedException e) {
            return new Decoded.Invalid<>(e.rejection);
        }
    }

    public byte[] encode(EpochEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JsonObjects.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("schema", EpochEvent.SCHEMA);
            g.writeStringField("run_id", e.runId());
            g.writeStringField("sweep_id", e.sweepId());
            g.writeNumberField("epoch", e.epoch());
            JsonObjects.writeLoss(g, "train_loss", e.trainLoss());
            JsonObjects.writeLoss(g, "test_loss", e.testLoss());
            if (e.trainError() != null) {
                g.writeNumberField("train_error", e.trainError());
            }
            if (e.testError() != null) {
                g.writeNumberField("test_error", e.testError());
            }
            g.writeNumberField("param_count", e.paramCount());
            g.writeNumberField("train_size", e.trainSize());
            if (e.outputDim() != 1) {
                g.writeNumberField("output_dim", e.outputDim());
            }
            g.writeStringField("time", e.time().toString());
            if (!e.model().isEmpty()) {
                g.writeObjectField("model", e.model());
            }
            if (!e.tags().isEmpty()) {
                g.writeObjectField("tags", e.tags());
            }
            if (e.isFinal()) {
                g.writeBooleanField("final", true);
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    public String encodeToString(EpochEvent e) {
        return new String(encode(e), StandardCharsets.UTF_8);
    }
}
