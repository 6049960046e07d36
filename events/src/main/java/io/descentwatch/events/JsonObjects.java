package io.descentwatch.events;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The one Jackson mapper of the contract, and the parse step both codecs share. */
final class JsonObjects {

    /**
     * Nesting and number limits keep a hostile record from costing more than its size. Bare NaN and Infinity
     * tokens are accepted because Python's json module writes them for float('nan').
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxNumberLength(64)
                            .build())
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    // every event carries several doubles: the JDK's parser and printer were a large share of
                    // the detector's per-event cost
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                    .build())
            .build();

    private JsonObjects() {}

    /**
     * Parses one record into a tree. Built straight from the token stream rather than through
     * {@code ObjectMapper.readTree}: the same tree (numbers as long or double, the last of duplicate keys) at
     * about half the cost, which matters because the detector parses every event. Tokens after the first value
     * are ignored, as readTree ignores them.
     */
    static Decoded<ObjectNode> parse(byte[] bytes) {
        JsonNode node;
        try (JsonParser parser = MAPPER.getFactory().createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Decoded.Invalid<>(new Rejection(RejectionKind.NOT_JSON, "empty record"));
            }
            node = value(parser, first);
        } catch (JsonProcessingException e) {
            return new Decoded.Invalid<>(
                    new Rejection(RejectionKind.NOT_JSON, "not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            return new Decoded.Invalid<>(new Rejection(RejectionKind.NOT_JSON, "unreadable: " + e.getMessage()));
        }
        if (!node.isObject()) {
            return new Decoded.Invalid<>(new Rejection(
                    RejectionKind.NOT_AN_OBJECT,
                    "expected a JSON object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return new Decoded.Valid<>((ObjectNode) node);
    }

    /** The value that starts at {@code token}; nesting depth is bounded by the parser's read constraints. */
    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    object.set(name, value(p, p.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t));
                }
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_NUMBER_INT ->
                switch (p.getNumberType()) {
                    case INT, LONG -> nodes.numberNode(p.getLongValue());
                    default -> nodes.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default -> throw new JsonParseException(p, "unexpected " + token);
        };
    }

    static void writeLoss(JsonGenerator g, String field, double value) throws IOException {
        if (Double.isNaN(value)) {
            g.writeStringField(field, "NaN");
        } else if (Double.isInfinite(value)) {
            g.writeStringField(field, value > 0 ? "Infinity" : "-Infinity");
        } else {
            g.writeNumberField(field, value);
        }
    }
}
