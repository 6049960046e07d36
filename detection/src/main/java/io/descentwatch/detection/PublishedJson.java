package io.descentwatch.detection;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.descentwatch.events.Advice;
import io.descentwatch.events.AdviceCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * JSON bytes for what people and other programs read of the detector: each run's {@link RunSummary} (the compacted
 * runs topic), each sweep's {@link SweepPicture} (the sweeps topic), and a run's {@link RunState} (for tests and
 * debugging; the stores use {@link BinaryStateCodec}). Non-finite doubles are written as the
 * strings "NaN" and "Infinity" and read back. Field names are snake_case; unknown fields are ignored so that readers
 * and detectors of different versions understand each other.
 */
public final class PublishedJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                    .build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .addModule(instants())
            .build();

    /** Instants as RFC 3339 strings, without depending on the JSR-310 module. */
    private static SimpleModule instants() {
        SimpleModule module = new SimpleModule("instants");
        module.addSerializer(Instant.class, new ToStringSerializer(Instant.class));
        module.addDeserializer(Instant.class, new FromStringDeserializer<>(Instant.class) {
            @Override
            protected Instant _deserialize(String value, DeserializationContext context) {
                return Instant.parse(value);
            }
        });
        return module;
    }

    public byte[] encodeRun(RunState state) {
        return write(state);
    }

    public RunState decodeRun(byte[] bytes) {
        return read(bytes, RunState.class);
    }

    /** A sweep's picture, as the sweeps topic carries it. */
    public byte[] encodeSweep(SweepPicture picture) {
        return write(picture);
    }

    public SweepPicture decodeSweep(byte[] bytes) {
        return read(bytes, SweepPicture.class);
    }

    /**
     * Written field by field rather than through data binding: the detector publishes a summary for a good share
     * of its events, and this is the same JSON at a fraction of the cost (a test holds the two equal).
     */
    public byte[] encodeSummary(RunSummary s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(384);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("run_id", s.runId());
            g.writeStringField("sweep_id", s.sweepId());
            g.writeNumberField("param_count", s.paramCount());
            g.writeNumberField("train_size", s.trainSize());
            g.writeNumberField("output_dim", s.outputDim());
            g.writeNumberField("epoch", s.epoch());
            if (s.time() == null) {
                g.writeNullField("time");
            } else {
                g.writeStringField("time", s.time().toString());
            }
            g.writeNumberField("test_loss", s.testLoss());
            g.writeNumberField("train_loss", s.trainLoss());
            g.writeBooleanField("interpolated", s.interpolated());
            g.writeNumberField("interpolation_epoch", s.interpolationEpoch());
            g.writeBooleanField("finished", s.finished());
            g.writeBooleanField("diverged", s.diverged());
            g.writeStringField("phase", s.phase().name());
            g.writeNumberField("sweep_runs", s.sweepRuns());
            g.writeBooleanField("idle", s.idle());
            writeAdvice(g, s.advice());
            writeLedger(g, s.ledger());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The run's advice as data binding writes {@link Advice} (the advice topic's fields, without its schema). */
    private static void writeAdvice(JsonGenerator g, Advice a) throws IOException {
        if (a == null) {
            g.writeNullField("advice");
            return;
        }
        g.writeObjectFieldStart("advice");
        AdviceCodec.writeFields(g, a);
        g.writeEndObject();
    }

    /** The run's ledger as data binding writes {@link LedgerState}: the run's best, then each rule's account. */
    private static void writeLedger(JsonGenerator g, LedgerState l) throws IOException {
        if (l == null) {
            g.writeNullField("ledger");
            return;
        }
        g.writeObjectFieldStart("ledger");
        g.writeNumberField("best_epoch", l.bestEpoch());
        g.writeNumberField("best_test_loss", l.bestTestLoss());
        g.writeNumberField("last_epoch", l.lastEpoch());
        for (StopRule rule : StopRule.values()) {
            RuleTrack t = rule.of(l);
            g.writeObjectFieldStart(rule.wireName());
            g.writeNumberField("stop_epoch", t.stopEpoch());
            g.writeNumberField("kept_epoch", t.keptEpoch());
            g.writeNumberField("kept_test_loss", t.keptTestLoss());
            g.writeNumberField("epochs_spent", t.epochsSpent());
            g.writeNumberField("without_best", t.withoutBest());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The same summary through data binding: what {@link #encodeSummary} must equal. */
    byte[] encodeSummaryByBinding(RunSummary summary) {
        return write(RunSummaryJson.of(summary));
    }

    public RunSummary decodeSummary(byte[] bytes) {
        return read(bytes, RunSummaryJson.class).summary();
    }

    private static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + type.getSimpleName() + " state", e);
        }
    }
}
