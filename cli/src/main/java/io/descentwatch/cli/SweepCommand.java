package io.descentwatch.cli;

import io.descentwatch.options.Range;
import io.descentwatch.producer.jobs.JobPublisher;
import io.descentwatch.producer.jobs.PublishedSweeps;
import io.descentwatch.producer.training.PresetFlags;
import io.descentwatch.producer.training.SweepOptions;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        modelTransformer = PresetFlags.class,
        description = "Plans a preset's sweep and publishes one training job per run to the jobs topic, for "
                + "`descentwatch worker` processes to train. Takes the same preset flags as `train`; how each run "
                + "ends (`--stop end|auto`, as `train --stop`) is a setting of the workers, not of the jobs: the "
                + "advice is computed with the worker's detection settings, and the job format stays the same.")
final class SweepCommand extends Subcommand {

    @Mixin
    SweepOptions sweep;

    @Option(
            names = "--publish-timeout",
            defaultValue = "${env:DW_PUBLISH_TIMEOUT:-PT1M}",
            description = "How long to wait for Kafka to take the jobs (env DW_PUBLISH_TIMEOUT; default "
                    + "${DEFAULT-VALUE}).")
    @Range(above = "PT0S", max = "P1D")
    Duration publishTimeout;

    @Option(
            names = "--once",
            defaultValue = "${env:DW_SWEEP_ONCE:-false}",
            description = "Publish nothing if the jobs topic already holds a job of this sweep (needs --sweep-id, "
                    + "since a generated id carries the start time and never repeats): a job started again, like "
                    + "the compose stack's on every `docker compose up`, plans its sweep once (env DW_SWEEP_ONCE; "
                    + "default ${DEFAULT-VALUE}).")
    boolean once;

    @Mixin
    KafkaTarget kafka;

    @Override
    public Integer call() {
        if (once && !sweep.hasSweepId()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--once needs --sweep-id (env DW_SWEEP_ID): a generated sweep id carries the start time, so "
                            + "no earlier run of this command could have published it");
        }
        SweepOptions.Sweep plan = sweep.resolve(spec, Clock.systemUTC());
        kafka.ensureTopics(kafka.topics.jobs, kafka.topics.epochs);
        if (once
                && new PublishedSweeps(kafka.clientProperties(), kafka.topics.jobs)
                        .contains(plan.sweepId(), publishTimeout)) {
            out().printf("sweep %s is already on %s: nothing published (--once)%n", plan.sweepId(), kafka.topics.jobs);
            return 0;
        }
        new JobPublisher(kafka.clientProperties(), kafka.topics.jobs).publish(plan.runs(), publishTimeout);
        out().printf(
                        "published %d jobs of sweep %s (%s%s) to %s%n",
                        plan.runs().size(),
                        plan.sweepId(),
                        plan.preset().name(),
                        sweep.quick() ? ", quick" : "",
                        kafka.topics.jobs);
        return 0;
    }
}
