package io.descentwatch.events;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
                    .build())
            .build();

    private JsonObjects() {
    }

    static Decoded<ObjectNode> parse(byte[] bytes) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            return new Decoded.Invalid<>(new Rejection(RejectionKind.NOT_JSON,
                    "not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            return new Decoded.Invalid<>(new Rejection(RejectionKind.NOT_JSON, "unreadable: " + e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            return new Decoded.Invalid<>(new Rejection(RejectionKind.NOT_JSON, "empty record"));
        }
        if (!node.isObject()) {
            return new Decoded.Invalid<>(new Rejection(RejectionKind.NOT_AN_OBJECT,
                    "expected a JSON object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return new Decoded.Valid<>((ObjectNode) node);
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
