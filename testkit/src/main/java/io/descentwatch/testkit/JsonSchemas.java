package io.descentwatch.testkit;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The contract's published JSON Schemas ({@code schemas/} in the events module), for tests to validate against. */
public final class JsonSchemas {

    private JsonSchemas() {}

    /** A schema by file name, e.g. {@code "epoch-v1.schema.json"}, with format assertions (date-time) on. */
    public static JsonSchema load(String name) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("schemas/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no schema " + name + " on the class path");
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                    .formatAssertionsEnabled(true)
                    .build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
