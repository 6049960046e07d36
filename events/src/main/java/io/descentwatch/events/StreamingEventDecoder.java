package io.descentwatch.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes a well-formed event in one pass over Jackson's token stream, without building a tree: the detector and
 * the sink decode every event, and the tree was most of what decoding cost. It only ever accepts: anything it is
 * not sure of (a missing field, a value of another type or out of range, a timestamp in another shape, a parse
 * error) makes it answer null, and the caller decodes through the tree, which holds every rule of the contract and
 * words the rejection. So the two cannot disagree on what is valid, only on how fast they say so.
 */
final class StreamingEventDecoder {

    private static final Object NULL = new Object();

    private final ContractLimits limits;

    StreamingEventDecoder(ContractLimits limits) {
        this.limits = limits;
    }

    /** The event, or null when the tree must decide. */
    EpochEvent tryDecode(byte[] bytes) {
        try (JsonParser p = JsonObjects.MAPPER.getFactory().createParser(bytes)) {
            return p.nextToken() == JsonToken.START_OBJECT ? object(p) : null;
        } catch (IOException | JsonFields.RejectedException | RuntimeException e) {
            // broad: this is only the fast path; on anything it did not expect, the tree decoder decides, and
            // says why a record is rejected
            return null;
        }
    }

    private EpochEvent object(JsonParser p) throws IOException, JsonFields.RejectedException {
        String schema = null;
        String runId = null;
        String sweepId = null;
        long epoch = -1;
        double trainLoss = 0;
        double testLoss = 0;
        boolean hasTrainLoss = false;
        boolean hasTestLoss = false;
        Double trainError = null;
        Double testError = null;
        long paramCount = -1;
        long trainSize = -1;
        long outputDim = 1;
        Instant time = null;
        Map<String, Object> model = Map.of();
        Map<String, String> tags = Map.of();
        boolean isFinal = false;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                // null reads as absent, as in the tree
                switch (name) {
                    case "schema",
                            "run_id",
                            "sweep_id",
                            "epoch",
                            "train_loss",
                            "test_loss",
                            "param_count",
                            "train_size",
                            "time" -> {
                        return null;
                    }
                    case "train_error" -> trainError = null;
                    case "test_error" -> testError = null;
                    case "output_dim" -> outputDim = 1;
                    case "model" -> model = Map.of();
                    case "tags" -> tags = Map.of();
                    case "final" -> isFinal = false;
                    default -> {}
                }
                continue;
            }
            switch (name) {
                case "schema" -> schema = text(p, t, limits.maxIdLength());
                case "run_id" -> runId = JsonFields.checkedId(name, text(p, t, limits.maxIdLength()));
                case "sweep_id" -> sweepId = JsonFields.checkedId(name, text(p, t, limits.maxIdLength()));
                case "epoch" -> epoch = JsonFields.checkedRange(name, integer(p, t), 0, limits.maxEpoch());
                case "train_loss" -> {
                    trainLoss = loss(p, t);
                    hasTrainLoss = true;
                }
                case "test_loss" -> {
                    testLoss = loss(p, t);
                    hasTestLoss = true;
                }
                case "train_error" -> trainError = fraction(p, t);
                case "test_error" -> testError = fraction(p, t);
                case "param_count" -> paramCount = JsonFields.checkedRange(name, integer(p, t), 1, limits.maxCount());
                case "train_size" -> trainSize = JsonFields.checkedRange(name, integer(p, t), 1, limits.maxCount());
                case "output_dim" -> outputDim = JsonFields.checkedRange(name, integer(p, t), 1, 1_000_000);
                case "time" -> time = Rfc3339.parseUtc(text(p, t, 64));
                case "model" -> model = scalars(p, t, name);
                case "tags" -> tags = JsonFields.asStrings(scalars(p, t, name));
                case "final" -> isFinal = bool(t);
                default -> unknown(p, t);
            }
        }
        if (!EpochEvent.SCHEMA.equals(schema)
                || runId == null
                || sweepId == null
                || epoch < 0
                || !hasTrainLoss
                || !hasTestLoss
                || paramCount < 0
                || trainSize < 0
                || time == null) {
            return null;
        }
        return new EpochEvent(
                runId,
                sweepId,
                epoch,
                trainLoss,
                testLoss,
                trainError,
                testError,
                paramCount,
                trainSize,
                (int) outputDim,
                time,
                model,
                tags,
                isFinal);
    }

    private static String text(JsonParser p, JsonToken t, int maxLength)
            throws IOException, JsonFields.RejectedException {
        if (t != JsonToken.VALUE_STRING) {
            throw notSure();
        }
        return JsonFields.checkedText("", p.getText(), maxLength);
    }

    private static long integer(JsonParser p, JsonToken t) throws IOException, JsonFields.RejectedException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw notSure();
        }
        return p.getLongValue();
    }

    private static double number(JsonParser p, JsonToken t) throws IOException, JsonFields.RejectedException {
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        return integer(p, t);
    }

    /** Divergence is data: our own encoder writes non-finite losses as strings. */
    private static double loss(JsonParser p, JsonToken t) throws IOException, JsonFields.RejectedException {
        if (t != JsonToken.VALUE_STRING) {
            return number(p, t);
        }
        return switch (p.getText()) {
            case "NaN" -> Double.NaN;
            case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw notSure();
        };
    }

    private static Double fraction(JsonParser p, JsonToken t) throws IOException, JsonFields.RejectedException {
        double d = number(p, t);
        if (!(d >= 0.0 && d <= 1.0)) {
            throw notSure();
        }
        return d;
    }

    private static boolean bool(JsonToken t) throws JsonFields.RejectedException {
        return switch (t) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            default -> throw notSure();
        };
    }

    private Map<String, Object> scalars(JsonParser p, JsonToken t, String field)
            throws IOException, JsonFields.RejectedException {
        if (t != JsonToken.START_OBJECT) {
            throw notSure();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        // the tree counts entries with null values against the limit, then drops them
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonFields.checkedText(field, key, limits.maxIdLength());
            JsonToken v = p.nextToken();
            switch (v) {
                case VALUE_STRING -> out.put(key, JsonFields.checkedText(field, p.getText(), limits.maxTextLength()));
                case VALUE_NUMBER_INT -> out.put(key, integer(p, v));
                case VALUE_NUMBER_FLOAT -> out.put(key, p.getDoubleValue());
                case VALUE_TRUE, VALUE_FALSE -> out.put(key, bool(v));
                case VALUE_NULL -> out.put(key, NULL);
                default -> throw notSure();
            }
        }
        if (out.size() > limits.maxMapEntries()) {
            throw notSure();
        }
        out.values().removeIf(v -> v == NULL);
        return out;
    }

    /**
     * Unknown fields are ignored, but read as the tree reads them, so that a number or string the parser's
     * limits refuse is refused here too; anything nested is left to the tree.
     */
    private static void unknown(JsonParser p, JsonToken t) throws IOException, JsonFields.RejectedException {
        switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    p.getBigIntegerValue();
                } else {
                    p.getLongValue();
                }
            }
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE, VALUE_FALSE -> {}
            default -> throw notSure();
        }
    }

    private static JsonFields.RejectedException notSure() {
        return new JsonFields.RejectedException(RejectionKind.WRONG_TYPE, "left to the tree");
    }
}
