package io.descentwatch.cli;

import io.descentwatch.importers.ImportException;
import io.descentwatch.importers.LogFormat;
import io.descentwatch.importers.LogImport;
import io.descentwatch.producer.EpochPublisher;
import io.descentwatch.producer.JsonLinesReplay;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Publishes a JSON-lines file of epoch events (wire contract v1), or TensorBoard event files "
                + "or CSV logs imported as such events, to the epochs topic. Bad lines and records are reported "
                + "with their line number or file and reason; the rest still go through.")
final class ReplayCommand extends Subcommand {

    @Option(
            names = "--input",
            paramLabel = "FILE",
            required = true,
            description = "JSON lines, one epoch event per line ('-' reads stdin); or a TensorBoard log directory, a "
                    + "CSV log or a directory of them (see --format).")
    String input;

    @Mixin
    ImportOptions imports;

    @Mixin
    KafkaTarget kafka;

    @Override
    @SuppressWarnings("try") // the shutdown hook is held only to be closed: it flushes on Ctrl-C until then
    public Integer call() throws Exception {
        LogFormat format;
        try {
            format = imports.resolve(input);
        } catch (ImportException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--input: " + e.getMessage());
        }
        kafka.ensureTopics(kafka.topics.epochs);
        if (format != LogFormat.JSONL) {
            return replayImported(format);
        }
        boolean stdin = "-".equals(input);
        long size = stdin ? -1 : Files.size(Path.of(input));
        JsonLinesReplay.Outcome outcome;
        try (BufferedReader in = stdin
                        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
                EpochPublisher publisher = new EpochPublisher(kafka.clientProperties(), kafka.topics.epochs);
                ProgressBar progress = progressBar(size);
                // on Ctrl-C, deliver what was already read
                ShutdownHook onExit = ShutdownHook.runAtMost(
                        "dw-replay-shutdown",
                        publisher::flush,
                        TrainCommand.FLUSH_ON_EXIT,
                        "descentwatch replay: events not delivered: ")) {
            outcome = new JsonLinesReplay()
                    .replay(in, publisher, bad -> err().println("descentwatch replay: " + input + " " + bad), chars -> {
                        if (progress != null) {
                            progress.stepBy(chars);
                        }
                    });
        }
        out().printf(
                        "published %d events of %d runs to %s; %d lines rejected%n",
                        outcome.published(), outcome.runs(), kafka.topics.epochs, outcome.rejected());
        return 0;
    }

    /** Another tracker's logs, as events: what was found, then each event published as the import makes it. */
    @SuppressWarnings("try") // as in call(): the hook is held only to be closed
    private int replayImported(LogFormat format) throws Exception {
        LogImport.Result result;
        try (EpochPublisher publisher = new EpochPublisher(kafka.clientProperties(), kafka.topics.epochs);
                ShutdownHook onExit = ShutdownHook.runAtMost(
                        "dw-replay-shutdown",
                        publisher::flush,
                        TrainCommand.FLUSH_ON_EXIT,
                        "descentwatch replay: events not delivered: ")) {
            try {
                result = imports.importer()
                        .read(
                                Path.of(input),
                                format,
                                publisher::publish,
                                problem -> err().println("descentwatch replay: " + problem));
            } catch (ImportException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--input: " + e.getMessage());
            }
            publisher.flush();
        }
        ImportOptions.describe(Path.of(input), result, out());
        long events = result.runs().stream()
                .mapToLong(LogImport.FoundRun::evaluations)
                .sum();
        out().printf(
                        "published %d events of %d runs to %s; %d problems%n",
                        events, result.runs().size(), kafka.topics.epochs, result.problems());
        return 0;
    }

    /** A progress bar only for a person at a terminal; logs and tests get the summary line alone. */
    private static ProgressBar progressBar(long size) {
        if (size <= 0 || System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("replay")
                .setInitialMax(size)
                .setUnit(" MiB", 1 << 20)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .build();
    }
}
