package io.descentwatch.producer.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.descentwatch.producer.training.Parameters;
import io.descentwatch.producer.training.RunSpec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training job on the jobs topic: one run of a sweep as JSON ({@code descentwatch.job/v1}), carrying the
 * sweep's complete settings so that any worker trains exactly the run the planner meant.
 *
 * <pre>{"schema":"descentwatch.job/v1","preset":"rf-modelwise","sweep_id":"rf","run_id":"rf/N0100/s1",
 *  "width":100,"seed":1,"parameters":{"train-size":"100", ...}}</pre>
 */
public final class JobCodec {

    public static final String SCHEMA = "descentwatch.job/v1";

    private final ObjectMapper mapper = new ObjectMapper();

    public byte[] encode(RunSpec run) {
        ObjectNode node = mapper.createObjectNode();
        node.put("schema", SCHEMA);
        node.put("preset", run.preset());
        node.put("sweep_id", run.sweepId());
        node.put("run_id", run.runId());
        node.put("width", run.width());
        node.put("seed", run.seed());
        ObjectNode params = node.putObject("parameters");
        run.parameters().values().forEach(params::put);
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode job " + run.runId(), e);
        }
    }

    /** @throws BadJobException with the reason when the bytes are not a v1 job */
    public RunSpec decode(byte[] bytes) {
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new BadJobException("not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadJobException("not a JSON object");
        }
        String schema = node.path("schema").asText("");
        if (!SCHEMA.equals(schema)) {
            throw new BadJobException("schema is '" + schema + "', this worker reads " + SCHEMA);
        }
        JsonNode params = node.path("parameters");
        if (!params.isObject()) {
            throw new BadJobException("missing 'parameters' object");
        }
        Map<String, String> values = new LinkedHashMap<>();
        params.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        for (String field : new String[] {"preset", "sweep_id", "run_id"}) {
            if (!node.path(field).isTextual()) {
                throw new BadJobException("missing text field '" + field + "'");
            }
        }
        for (String field : new String[] {"width", "seed"}) {
            if (!node.path(field).canConvertToLong()) {
                throw new BadJobException("missing integer field '" + field + "'");
            }
        }
        return new RunSpec(
                node.get("preset").asText(),
                node.get("sweep_id").asText(),
                node.get("run_id").asText(),
                node.get("width").asInt(),
                node.get("seed").asLong(),
                new Parameters(values));
    }

    /** The record is not a job this worker can run. */
    public static final class BadJobException extends RuntimeException {
        public BadJobException(String message) {
            super(message);
        }
    }
}
