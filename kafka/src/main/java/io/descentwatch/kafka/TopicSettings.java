package io.descentwatch.kafka;

import io.descentwatch.options.Range;
import io.descentwatch.options.Ranges;
import picocli.CommandLine.Option;

/**
 * The product's topic names and how new topics are created. Names are settings so that several deployments can
 * share one cluster.
 */
public class TopicSettings {

    @Option(
            names = "--topic-epochs",
            defaultValue = "${env:DW_TOPIC_EPOCHS:-training.epochs}",
            description = "Epoch events in (env DW_TOPIC_EPOCHS; default ${DEFAULT-VALUE}).")
    public String epochs;

    @Option(
            names = "--topic-dlq",
            defaultValue = "${env:DW_TOPIC_DLQ:-training.epochs.dlq}",
            description = "Rejected records with their reason (env DW_TOPIC_DLQ; default ${DEFAULT-VALUE}).")
    public String deadLetters;

    @Option(
            names = "--topic-alerts",
            defaultValue = "${env:DW_TOPIC_ALERTS:-descent.alerts}",
            description = "Descent alerts out (env DW_TOPIC_ALERTS; default ${DEFAULT-VALUE}).")
    public String alerts;

    @Option(
            names = "--topic-runs",
            defaultValue = "${env:DW_TOPIC_RUNS:-descent.runs}",
            description = "Compacted per-run state (env DW_TOPIC_RUNS; default ${DEFAULT-VALUE}).")
    public String runs;

    @Option(
            names = "--topic-advice",
            defaultValue = "${env:DW_TOPIC_ADVICE:-descent.advice}",
            description = "Compacted stopping advice per run, key = run id, JSON schema descentwatch.advice/v1 "
                    + "(env DW_TOPIC_ADVICE; default ${DEFAULT-VALUE}).")
    public String advice;

    @Option(
            names = "--topic-sweeps",
            defaultValue = "${env:DW_TOPIC_SWEEPS:-descent.sweeps}",
            description = "Compacted per-sweep state (env DW_TOPIC_SWEEPS; default ${DEFAULT-VALUE}).")
    public String sweeps;

    @Option(
            names = "--topic-sweep-chances",
            defaultValue = "${env:DW_TOPIC_SWEEP_CHANCES:-descent.sweep-chances}",
            description = "Compacted, the detector's own: each sweep's move of the chance told to its runs, as its "
                    + "ended runs showed it, from the sweep detector back to the run detector (env "
                    + "DW_TOPIC_SWEEP_CHANCES; default ${DEFAULT-VALUE}).")
    public String sweepChances;

    @Option(
            names = "--topic-jobs",
            defaultValue = "${env:DW_TOPIC_JOBS:-training.jobs}",
            description = "Training jobs for workers (env DW_TOPIC_JOBS; default ${DEFAULT-VALUE}).")
    public String jobs;

    @Option(
            names = "--partitions",
            defaultValue = "${env:DW_PARTITIONS:-4}",
            description = "Partitions of topics this process creates (env DW_PARTITIONS; default ${DEFAULT-VALUE}). "
                    + "More partitions allow more detector instances and workers.")
    @Range(min = "1", max = "10000")
    public int partitions;

    @Option(
            names = "--replication-factor",
            defaultValue = "${env:DW_REPLICATION_FACTOR:-1}",
            description = "Replication of topics this process creates (env DW_REPLICATION_FACTOR; default "
                    + "${DEFAULT-VALUE}; use 3 on a production cluster).")
    @Range(min = "1", max = "32767")
    public short replicationFactor;

    /** The defaults (and DW_* environment variables), for code that is not started from the command line. */
    public static TopicSettings defaults() {
        return Ranges.populate(new TopicSettings());
    }

    /** The same settings with every name prefixed, so that tests sharing one broker never see each other. */
    public TopicSettings prefixed(String prefix) {
        TopicSettings t = new TopicSettings();
        t.epochs = prefix + epochs;
        t.deadLetters = prefix + deadLetters;
        t.alerts = prefix + alerts;
        t.runs = prefix + runs;
        t.advice = prefix + advice;
        t.sweeps = prefix + sweeps;
        t.sweepChances = prefix + sweepChances;
        t.jobs = prefix + jobs;
        t.partitions = partitions;
        t.replicationFactor = replicationFactor;
        return t;
    }
}
