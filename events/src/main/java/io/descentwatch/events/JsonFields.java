package io.descentwatch.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed reads of one JSON object's fields that fail with a {@link Rejection} naming the field and the fault.
 * Shared by the event and alert codecs so both contracts reject bad input in the same words.
 */
final class JsonFields {

    /** Thrown inside a decode and turned into {@link Decoded.Invalid} at its edge. */
    static final class RejectedException extends Exception {
        final Rejection rejection;

        RejectedException(RejectionKind kind, String reason) {
            super(reason, null, false, false);
            this.rejection = new Rejection(kind, reason);
        }
    }

    private final ObjectNode node;
    private final ContractLimits limits;

    JsonFields(ObjectNode node, ContractLimits limits) {
        this.node = node;
        this.limits = limits;
    }

    private JsonNode present(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private JsonNode required(String field) throws RejectedException {
        JsonNode v = present(field);
        if (v == null) {
            throw new RejectedException(RejectionKind.MISSING_FIELD, "missing required field '" + field + "'");
        }
        return v;
    }

    boolean has(String field) {
        return present(field) != null;
    }

    String text(String field, int maxLength) throws RejectedException {
        JsonNode v = required(field);
        if (!v.isTextual()) {
            throw wrongType(field, "a string", v);
        }
        return checkedText(field, v.textValue(), maxLength);
    }

    /**
     * An identifier: non-blank, bounded, and free of control characters (it becomes a key and a tag). A backslash
     * may not end it or stand before a space, comma or equals sign: InfluxDB's line protocol reads those as an
     * escape and cannot store them in a tag, whatever the client does.
     */
    String id(String field) throws RejectedException {
        return checkedId(field, text(field, limits.maxIdLength()));
    }

    /** The checks of {@link #id} on a string already within the length limit. */
    static String checkedId(String field, String s) throws RejectedException {
        if (s.isBlank()) {
            throw new RejectedException(RejectionKind.OUT_OF_RANGE, "'" + field + "' must not be blank");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new RejectedException(
                        RejectionKind.OUT_OF_RANGE,
                        "'" + field + "' contains control character U+" + String.format("%04X", (int) c) + " at index "
                                + i);
            }
            if (c == '\\' && (i == s.length() - 1 || " ,=".indexOf(s.charAt(i + 1)) >= 0)) {
                throw new RejectedException(
                        RejectionKind.OUT_OF_RANGE,
                        "'" + field + "' has a backslash "
                                + (i == s.length() - 1
                                        ? "at its end"
                                        : "before '" + s.charAt(i + 1) + "' at index " + i)
                                + ", which InfluxDB cannot store in a tag");
            }
        }
        return s;
    }

    static String checkedText(String field, String s, int maxLength) throws RejectedException {
        if (s.length() > maxLength) {
            throw new RejectedException(
                    RejectionKind.TOO_LONG,
                    "'" + field + "' is " + s.length() + " characters long; the limit is " + maxLength);
        }
        return s;
    }

    long integer(String field, long min, long max) throws RejectedException {
        return checkedInteger(field, required(field), min, max);
    }

    Long optionalInteger(String field, long min, long max) throws RejectedException {
        JsonNode v = present(field);
        return v == null ? null : checkedInteger(field, v, min, max);
    }

    private static long checkedInteger(String field, JsonNode v, long min, long max) throws RejectedException {
        if (!v.isNumber()) {
            throw wrongType(field, "an integer", v);
        }
        double d = v.doubleValue();
        boolean integral = v.isIntegralNumber() || (Double.isFinite(d) && d == Math.rint(d));
        if (!integral) {
            throw wrongType(field, "an integer", v);
        }
        if (v.isIntegralNumber() && !v.canConvertToLong() || d < min || d > max) {
            throw new RejectedException(
                    RejectionKind.OUT_OF_RANGE,
                    "'" + field + "' is " + abbreviate(v.asText()) + "; it must be between " + min + " and " + max);
        }
        return checkedRange(field, v.isIntegralNumber() ? v.longValue() : (long) d, min, max);
    }

    static long checkedRange(String field, long value, long min, long max) throws RejectedException {
        if (value < min || value > max) {
            throw new RejectedException(
                    RejectionKind.OUT_OF_RANGE,
                    "'" + field + "' is " + value + "; it must be between " + min + " and " + max);
        }
        return value;
    }

    /** A loss: a JSON number, or "NaN" / "Infinity" / "-Infinity" as strings, since divergence is data. */
    double loss(String field) throws RejectedException {
        JsonNode v = required(field);
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            switch (v.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                case "+Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw wrongType(field, "a number or one of \"NaN\", \"Infinity\", \"-Infinity\"", v);
    }

    Double optionalFraction(String field) throws RejectedException {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw wrongType(field, "a number in [0, 1]", v);
        }
        double d = v.doubleValue();
        if (!(d >= 0.0 && d <= 1.0)) {
            throw new RejectedException(
                    RejectionKind.OUT_OF_RANGE,
                    "'" + field + "' is " + abbreviate(v.asText()) + "; it must be in [0, 1]");
        }
        return d;
    }

    double number(String field) throws RejectedException {
        JsonNode v = required(field);
        if (!v.isNumber()) {
            throw wrongType(field, "a number", v);
        }
        return v.doubleValue();
    }

    boolean optionalBoolean(String field) throws RejectedException {
        JsonNode v = present(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw wrongType(field, "true or false", v);
        }
        return v.booleanValue();
    }

    Instant time(String field) throws RejectedException {
        String s = text(field, 64);
        Instant fast = Rfc3339.parseUtc(s);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new RejectedException(
                    RejectionKind.WRONG_TYPE,
                    "'" + field + "' is \"" + abbreviate(s) + "\"; it must be an RFC 3339 timestamp such as "
                            + "2026-11-28T12:00:00.123Z");
        }
    }

    /** A flat object of scalars; values keep their JSON type (string, long, double, boolean). */
    Map<String, Object> scalarObject(String field) throws RejectedException {
        JsonNode v = present(field);
        Map<String, Object> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            throw wrongType(field, "an object", v);
        }
        if (v.size() > limits.maxMapEntries()) {
            throw new RejectedException(
                    RejectionKind.TOO_LONG,
                    "'" + field + "' has " + v.size() + " entries; the limit is " + limits.maxMapEntries());
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = checkedText(field + " key", e.getKey(), limits.maxIdLength());
            JsonNode x = e.getValue();
            Object value;
            if (x.isTextual()) {
                value = checkedText(field + "." + key, x.textValue(), limits.maxTextLength());
            } else if (x.isIntegralNumber() && x.canConvertToLong()) {
                value = x.longValue();
            } else if (x.isNumber()) {
                value = x.doubleValue();
            } else if (x.isBoolean()) {
                value = x.booleanValue();
            } else if (x.isNull()) {
                continue;
            } else {
                throw wrongType(field + "." + key, "a string, number or boolean", x);
            }
            out.put(key, value);
        }
        return out;
    }

    Map<String, String> stringObject(String field) throws RejectedException {
        return asStrings(scalarObject(field));
    }

    /** Tags are strings on the wire to InfluxDB: scalars of any JSON type are kept as their text. */
    static Map<String, String> asStrings(Map<String, Object> scalars) {
        Map<String, String> out = new LinkedHashMap<>();
        scalars.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    static RejectedException wrongType(String field, String expected, JsonNode actual) {
        return new RejectedException(
                RejectionKind.WRONG_TYPE, "'" + field + "' must be " + expected + ", got " + describe(actual));
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "string \"" + abbreviate(v.textValue()) + "\"";
        }
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(v.toString());
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
