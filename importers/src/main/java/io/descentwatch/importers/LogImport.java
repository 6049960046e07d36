package io.descentwatch.importers;

import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a tree of TensorBoard event files or CSV logs into epoch events (wire contract v1): one event per step that
 * has a test loss, with the train loss (and errors) of that step or the latest before it, since loggers often
 * write the train loss every batch and the test loss every epoch. Each run is checked against the contract
 * before any of its events go out. A run that cannot be mapped (no test loss, no parameter count...) is reported
 * with what was looked for and left out; the others are imported.
 */
public final class LogImport {

    /** How the tags and columns map, which CSV layout (null: by header), the run column (or null), the runs'
     *  attributes. */
    public record Settings(
            MetricMapping mapping,
            CsvLayout csvLayout,
            String runColumn,
            RunAttributes attributes,
            Set<Path> excluded) {}

    /** One run as imported, for the summary a person reads (fields of one type apart: none can be swapped
     *  unnoticed). */
    public record FoundRun(
            String runId,
            long paramCount,
            String sweepId,
            long trainSize,
            String trainLossTag,
            int evaluations,
            String testLossTag) {}

    /** What was found: the format read, every run imported, and how many problems were reported. */
    public record Result(LogFormat format, List<FoundRun> runs, long problems) {}

    /** Receives each event, run after run, in epoch order within a run. */
    @FunctionalInterface
    public interface EventSink {
        void accept(EpochEvent event) throws IOException;
    }

    private final Settings settings;
    private final EpochEventCodec codec = new EpochEventCodec();

    public LogImport(Settings settings) {
        this.settings = settings;
    }

    /** Reads {@code input} in {@code format} (TENSORBOARD or CSV) and sends its events; problems are one line each. */
    public Result read(Path input, LogFormat format, EventSink sink, Consumer<String> problems)
            throws IOException, ImportException {
        long[] problemCount = {0};
        Consumer<String> counted = p -> {
            problemCount[0]++;
            problems.accept(p);
        };
        List<LoggedRun> logged = switch (format) {
            case TENSORBOARD -> new TensorBoardReader().read(input, counted);
            case CSV ->
                new CsvLogReader(settings.csvLayout(), settings.runColumn()).read(input, settings.excluded(), counted);
            case AUTO, JSONL -> throw new IllegalArgumentException("not an imported format: " + format);
        };
        if (logged.isEmpty()) {
            throw new ImportException(input + ": no run with scalars found in its "
                    + format.name().toLowerCase() + " logs");
        }
        String defaultSweep = RunNames.baseName(input);
        List<Mapped> mapped = new ArrayList<>();
        for (LoggedRun run : logged) {
            map(run, defaultSweep, counted).ifPresent(mapped::add);
        }
        Map<String, Long> runsPerSweep = new HashMap<>();
        mapped.forEach(m -> runsPerSweep.merge(m.sweepId(), 1L, Long::sum));
        mapped.sort(Comparator.comparing(Mapped::sweepId)
                .thenComparingLong(Mapped::paramCount)
                .thenComparing(Mapped::runId));
        List<FoundRun> found = new ArrayList<>();
        for (Mapped m : mapped) {
            List<EpochEvent> events = m.events(runsPerSweep.get(m.sweepId()), format);
            Optional<String> rejected = firstRejection(events);
            if (rejected.isPresent()) {
                counted.accept("run " + m.runId() + " (" + m.run().source() + "): " + rejected.get() + "; run skipped");
                continue;
            }
            for (EpochEvent e : events) {
                sink.accept(e);
            }
            found.add(new FoundRun(
                    m.runId(),
                    m.paramCount(),
                    m.sweepId(),
                    m.trainSize(),
                    m.trainLoss().toString(),
                    events.size(),
                    m.testLoss().toString()));
        }
        return new Result(format, List.copyOf(found), problemCount[0]);
    }

    private Optional<Mapped> map(LoggedRun run, String defaultSweep, Consumer<String> problems) throws ImportException {
        Map<String, NavigableMap<Long, LoggedRun.Sample>> series = run.series();
        MetricMapping m = settings.mapping();
        String where = "run " + run.name() + " (" + run.source() + ")";
        Optional<MetricMapping.Source> test = m.testLossIn(series);
        Optional<MetricMapping.Source> train = m.trainLossIn(series);
        if (test.isEmpty() || train.isEmpty()) {
            problems.accept(where + ": no "
                    + (test.isEmpty()
                            ? "test loss (--test-loss; looked for "
                                    + MetricMapping.lookedFor(m.testLoss(), MetricMapping.TEST_LOSS_NAMES)
                            : "train loss (--train-loss; looked for "
                                    + MetricMapping.lookedFor(m.trainLoss(), MetricMapping.TRAIN_LOSS_NAMES))
                    + "); its tags: "
                    + String.join(", ", series.keySet().stream().sorted().toList()) + "; skipped");
            return Optional.empty();
        }
        RunAttributes attributes = settings.attributes();
        Optional<Long> params = attributes.paramCountOf(run);
        Optional<Long> size = attributes.trainSizeOf(run);
        if (params.isEmpty() || size.isEmpty() || params.get() < 1 || size.get() < 1) {
            String what = params.isEmpty() || params.get() < 1 ? "parameter count" : "training-set size";
            String key = what.equals("parameter count") ? RunAttributes.PARAM_COUNT : RunAttributes.TRAIN_SIZE;
            problems.accept(where + ": no " + what + " of at least 1: give --" + key.replace('_', '-') + ", a "
                    + key + " column in the runs file (--runs-file), or a " + key + " column or tag in the log; "
                    + "skipped");
            return Optional.empty();
        }
        String sweep = attributes.sweepOf(run).orElse(defaultSweep);
        String runId =
                run.name().equals(sweep) || run.name().startsWith(sweep + "/") ? run.name() : sweep + "/" + run.name();
        return Optional.of(new Mapped(
                run,
                runId,
                sweep,
                params.get(),
                size.get(),
                train.get(),
                test.get(),
                m.trainErrorIn(series),
                m.testErrorIn(series)));
    }

    private Optional<String> firstRejection(List<EpochEvent> events) {
        for (EpochEvent e : events) {
            if (codec.decode(codec.encode(e)) instanceof Decoded.Invalid<EpochEvent> invalid) {
                return Optional.of("epoch " + e.epoch() + ": " + invalid.rejection());
            }
        }
        return Optional.empty();
    }

    /** A run with everything it needs to become events. */
    private record Mapped(
            LoggedRun run,
            String runId,
            String sweepId,
            long paramCount,
            long trainSize,
            MetricMapping.Source trainLoss,
            MetricMapping.Source testLoss,
            Optional<MetricMapping.Source> trainError,
            Optional<MetricMapping.Source> testError) {

        List<EpochEvent> events(long sweepRuns, LogFormat format) {
            Map<String, NavigableMap<Long, LoggedRun.Sample>> series = run.series();
            NavigableMap<Long, LoggedRun.Sample> train = series.get(trainLoss.tag());
            List<EpochEvent> events = new ArrayList<>();
            Map<String, String> tags = Map.of(
                    EpochEvent.SWEEP_RUNS_TAG,
                    Long.toString(sweepRuns),
                    "imported_from",
                    format.name().toLowerCase());
            for (Map.Entry<Long, LoggedRun.Sample> test :
                    series.get(testLoss.tag()).entrySet()) {
                Map.Entry<Long, LoggedRun.Sample> trainAt = train.floorEntry(test.getKey());
                if (trainAt == null || test.getKey() < 0) {
                    continue; // no train loss yet: nothing to pair this evaluation with
                }
                Instant time =
                        test.getValue().wallTime() != null ? test.getValue().wallTime() : run.fileTime();
                events.add(EpochEvent.builder()
                        .runId(runId)
                        .sweepId(sweepId)
                        .epoch(test.getKey())
                        .trainLoss(trainLoss.valueOf(trainAt.getValue().value()))
                        .testLoss(testLoss.valueOf(test.getValue().value()))
                        .trainError(error(trainError, test.getKey()))
                        .testError(error(testError, test.getKey()))
                        .paramCount(paramCount)
                        .trainSize(trainSize)
                        .time(time)
                        .tags(tags)
                        .build());
            }
            if (!events.isEmpty()) {
                events.set(events.size() - 1, events.get(events.size() - 1).withFinal(true));
            }
            return events;
        }

        /** The error at this step (or the latest before it), when it is one: in [0, 1]. */
        private Double error(Optional<MetricMapping.Source> source, long step) {
            if (source.isEmpty()) {
                return null;
            }
            Map.Entry<Long, LoggedRun.Sample> at =
                    run.series().get(source.get().tag()).floorEntry(step);
            if (at == null) {
                return null;
            }
            double value = source.get().valueOf(at.getValue().value());
            return value >= 0 && value <= 1 ? value : null;
        }
    }
}
