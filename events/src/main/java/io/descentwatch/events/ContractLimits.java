package io.descentwatch.events;

/**
 * Bounds on what a valid event may hold. They exist so that one hostile or broken producer cannot make the
 * detector keep unbounded state or write absurd series to InfluxDB; the defaults are far above anything a real
 * training run produces.
 *
 * @param maxRecordBytes  a whole record; Kafka's own default message limit is about 1 MB
 * @param maxIdLength     run_id and sweep_id: ids become InfluxDB tags and state-store keys
 * @param maxTextLength   any other string value (tag values, model fields)
 * @param maxMapEntries   entries in {@code tags} and in {@code model}
 * @param maxEpoch        1e9 evaluations is beyond any training run; larger values are a producer bug
 * @param maxCount        param_count and train_size: 1e15 is beyond any model or data set built so far
 */
public record ContractLimits(
        int maxRecordBytes, int maxIdLength, int maxTextLength, int maxMapEntries, long maxEpoch, long maxCount) {

    public static final ContractLimits DEFAULT =
            new ContractLimits(256 * 1024, 256, 1024, 64, 1_000_000_000L, 1_000_000_000_000_000L);
}
