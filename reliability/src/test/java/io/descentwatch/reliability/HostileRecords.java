package io.descentwatch.reliability;

import io.descentwatch.events.EpochEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Malformed and adversarial records of every kind the contract must refuse, and valid runs whose ids carry
 * everything that breaks naive code (quotes, commas, equals signs, spaces, backslashes, unicode, InfluxDB
 * line-protocol syntax).
 */
final class HostileRecords {

    /** Ids that are valid (no control characters) but hostile to anything that builds strings from them. */
    static final List<String> ODD_IDS = List.of(
            "run \"quoted\" 'both'",
            "a,b,c",
            "key=value other=1",
            "ünïcødé/研究/🧪",
            "back\\slash\\in\\\\the middle",
            "epoch,run=x train_loss=1 1700000000",
            "  leading and trailing  ",
            "semi;colon|pipe#hash%percent",
            "\"\"",
            "<script>alert(1)</script>");

    private static final String VALID = "{\"schema\":\"descentwatch.epoch/v1\",\"run_id\":\"r\",\"sweep_id\":\"s\","
            + "\"epoch\":3,\"train_loss\":0.5,\"test_loss\":0.7,\"param_count\":10,\"train_size\":100,"
            + "\"time\":\"2026-11-01T00:00:00Z\"}";

    private HostileRecords() {}

    /** {@code count} records the contract rejects, cycling through every kind; null stands for a tombstone. */
    static List<byte[]> rejected(int count, SplittableRandom random) {
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(one(i % 16, i, random));
        }
        return out;
    }

    private static byte[] one(int kind, int i, SplittableRandom random) {
        return switch (kind) {
            case 0 -> randomBytes(random, 1 + random.nextInt(300));
            case 1 -> utf8(VALID.substring(0, 1 + random.nextInt(VALID.length() - 2)));
            case 2 -> utf8(VALID.replace("\"epoch\":3", "\"epoch\":\"3\""));
            case 3 -> utf8(VALID.replace("\"train_loss\":0.5", "\"train_loss\":{\"value\":0.5}"));
            case 4 -> utf8(VALID.replace("\"param_count\":10", "\"param_count\":" + "9".repeat(30)));
            case 5 -> utf8(VALID.replace("\"epoch\":3", "\"epoch\":1e400"));
            case 6 ->
                utf8(VALID.replace(
                        "\"run_id\":\"r\"",
                        "\"run_id\":\"" + "x".repeat(i % 2000 == 6 ? 1_048_250 : 300 + random.nextInt(2000)) + "\""));
            case 7 -> utf8(VALID.replace("\"epoch\":3", "\"epoch\":-" + (1 + random.nextInt(1000))));
            case 8 -> utf8(VALID.replace("\"epoch\":3", "\"epoch\":" + (1_000_000_001L + random.nextLong(1L << 40))));
            case 9 ->
                utf8(VALID.replace(
                        "\"param_count\":10", i % 2 == 0 ? "\"param_count\":NaN" : "\"param_count\":\"NaN\""));
            case 10 ->
                utf8(VALID.replace("descentwatch.epoch/v1", i % 2 == 0 ? "descentwatch.epoch/v2" : "someone.else/v1"));
            case 11 -> utf8(VALID.replace("\"run_id\":\"r\"", "\"run_id\":\"line\\nbreak\\ttab\\u0000nul " + i + "\""));
            case 12 ->
                i % 2 == 0
                        ? utf8(VALID.replace(",\"time\":\"2026-11-01T00:00:00Z\"", ""))
                        : utf8(VALID.replace("\"sweep_id\":\"s\"", "\"sweep_id\":\"ends in a backslash\\\\\""));
            case 13 ->
                utf8(
                        switch (i % 5) {
                            case 0 -> "[]";
                            case 1 -> "null";
                            case 2 -> "\"a string\"";
                            case 3 -> "{}";
                            default -> "   ";
                        });
            case 14 -> utf8("[".repeat(2000) + "]".repeat(2000));
            default -> i % 2 == 0 ? null : new byte[0];
        };
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        // random bytes that happen to be a JSON object are vanishingly rare; a leading byte outside JSON rules out
        // the rest
        b[0] = (byte) 0xFF;
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A short run that falls, rises and falls again, under an odd id, in an odd sweep. */
    static List<EpochEvent> oddRun(String runId, int seed) {
        List<EpochEvent> events = new ArrayList<>();
        SplittableRandom noise = new SplittableRandom(seed);
        Instant t0 = Instant.parse("2026-11-02T00:00:00Z").plusSeconds(seed * 10_000L);
        for (int epoch = 1; epoch <= 120; epoch++) {
            double bump = 0.6 * Math.exp(-Math.pow(Math.log(epoch / 30.0), 2) / 0.2);
            double test = 1.0 + 2.0 * Math.exp(-epoch / 4.0) + bump - 0.5 * epoch / 120.0;
            double train = 2.0 * Math.exp(-epoch / 8.0);
            events.add(EpochEvent.builder()
                    .runId(runId)
                    .sweepId("odd sweep, \"quoted\" = yes")
                    .epoch(epoch)
                    .trainLoss(train * (1 + 0.005 * noise.nextGaussian()))
                    .testLoss(test * (1 + 0.005 * noise.nextGaussian()))
                    .paramCount(50 + seed)
                    .trainSize(100)
                    .time(t0.plusSeconds(epoch))
                    .model(Map.of("family", "odd"))
                    .tags(Map.of("note", "tag, with = odd \"chars\""))
                    .isFinal(epoch == 120)
                    .build());
        }
        return events;
    }
}
