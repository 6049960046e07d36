package io.descentwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming decoder must accept exactly what the tree accepts, as the same event, and leave everything else
 * to the tree. Checked on mutations of a valid event: fields removed, nulled, duplicated, given values of every
 * type and range, unknown fields added.
 */
class StreamingEventDecoderTest {

    private static final String[][] BASE = {
        {"schema", "\"descentwatch.epoch/v1\""},
        {"run_id", "\"rf/N100/s1\""},
        {"sweep_id", "\"rf\""},
        {"epoch", "17"},
        {"train_loss", "0.031"},
        {"test_loss", "1.204"},
        {"train_error", "0.0"},
        {"test_error", "0.12"},
        {"param_count", "100"},
        {"train_size", "100"},
        {"output_dim", "10"},
        {"time", "\"2026-11-28T12:00:00.123Z\""},
        {"model", "{\"family\":\"rf\",\"width\":100}"},
        {"tags", "{\"label_noise\":\"0.5\",\"sweep_runs\":9}"},
        {"final", "false"}
    };

    private static final String[] VALUES = {
        "null",
        "0",
        "1",
        "-1",
        "2",
        "1.0",
        "0.5",
        "2.5",
        "-0.0",
        "1e3",
        "1e400",
        "1000000001",
        "1000001",
        "12345678901234567890123",
        "NaN",
        "Infinity",
        "-Infinity",
        "\"NaN\"",
        "\"-Infinity\"",
        "\"\"",
        "\" \"",
        "\"x\"",
        "\"a\\\\\"",
        "\"a\\\\ b\"",
        "\"a\\\\b\"",
        "\"\\u0001x\"",
        "\"descentwatch.epoch/v1\"",
        "\"descentwatch.epoch/v2\"",
        "\"" + "y".repeat(300) + "\"",
        "\"2026-11-28T12:00:00Z\"",
        "\"2026-11-28T12:00:00+02:00\"",
        "\"2026-02-30T12:00:00Z\"",
        "\"bogus\"",
        "true",
        "false",
        "{}",
        "[]",
        "[1,2]",
        "{\"a\":1}",
        "{\"a\":null}",
        "{\"a\":null,\"a\":2}",
        "{\"a\":{\"b\":1}}",
        "{\"a\":[1]}",
        "{\"a\":1.5,\"b\":true,\"c\":\"s\"}",
        "{\"a\":12345678901234567890123}",
        "{\"" + "k".repeat(300) + "\":1}",
        map(64, 0),
        map(65, 0),
        map(60, 10),
        "1" + "0".repeat(70)
    };

    private final EpochEventCodec codec = new EpochEventCodec();
    private final StreamingEventDecoder streaming = new StreamingEventDecoder(ContractLimits.DEFAULT);

    @Test
    void acceptsAndRejectsExactlyWhatTheTreeDoes() {
        Random random = new Random(20261201);
        int acceptedByStream = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = mutated(random).getBytes(StandardCharsets.UTF_8);
            Decoded<EpochEvent> tree = codec.decodeTree(bytes);
            EpochEvent fast = streaming.tryDecode(bytes);
            if (fast != null) {
                acceptedByStream++;
                assertThat(tree).as(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(new Decoded.Valid<>(fast));
            }
            assertThat(codec.decode(bytes))
                    .as(new String(bytes, StandardCharsets.UTF_8))
                    .isEqualTo(tree);
            rejected += tree.isValid() ? 0 : 1;
        }
        assertThat(acceptedByStream).as("mutations the fast path decided").isPositive();
        assertThat(rejected).as("mutations the tree rejected").isPositive();
    }

    @Test
    void decidesEveryEventOfTheLabelledCorpusItself() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(LabelledCurves.epochwise()));
        lines.addAll(Files.readAllLines(LabelledCurves.modelwise()));
        for (String line : lines) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            EpochEvent fast = streaming.tryDecode(bytes);
            assertThat(fast).as(line).isNotNull();
            assertThat(codec.decodeTree(bytes)).isEqualTo(new Decoded.Valid<>(fast));
        }
    }

    /** The base event with one or two of its fields changed, sometimes a duplicate or unknown field added. */
    private static String mutated(Random random) {
        int first = random.nextInt(BASE.length);
        int second = random.nextBoolean() ? random.nextInt(BASE.length) : -1;
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < BASE.length; i++) {
            String[] f = BASE[i];
            String value = f[1];
            if (i == first || i == second) {
                value = switch (random.nextInt(4)) {
                    case 0 -> null;
                    case 1 -> "null";
                    default -> VALUES[random.nextInt(VALUES.length)];
                };
            }
            if (value != null) {
                fields.add("\"" + f[0] + "\":" + value);
            }
            if (random.nextInt(40) == 0) {
                fields.add("\"" + f[0] + "\":" + VALUES[random.nextInt(VALUES.length)]);
            }
        }
        if (random.nextInt(10) == 0) {
            fields.add(
                    random.nextInt(fields.size() + 1),
                    "\"extra" + random.nextInt(3) + "\":" + VALUES[random.nextInt(VALUES.length)]);
        }
        if (random.nextInt(10) == 0) {
            Collections.shuffle(fields, random);
        }
        return "{" + String.join(",", fields) + "}";
    }

    /** An object of {@code values} numbers and {@code nulls} null entries. */
    private static String map(int values, int nulls) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < values + nulls; i++) {
            entries.add("\"k" + i + "\":" + (i < values ? String.valueOf(i) : "null"));
        }
        return "{" + String.join(",", entries) + "}";
    }
}
