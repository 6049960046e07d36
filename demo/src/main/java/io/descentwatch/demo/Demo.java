package io.descentwatch.demo;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.producer.output.KafkaOutput;
import io.descentwatch.producer.training.SweepRunner;
import io.descentwatch.report.Chart;
import io.descentwatch.report.Findings;
import io.descentwatch.report.HtmlReport;
import io.descentwatch.report.PngCharts;
import io.descentwatch.report.Report;
import io.descentwatch.report.ReportBuilder;
import io.descentwatch.report.ReportCharts;
import io.descentwatch.sink.SinkSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole idea in one JVM: an in-process broker and the detector, workers training a model-wise sweep and an
 * epoch-wise run and publishing to the broker, a live terminal view and a live HTML report of what the detector
 * says, and at the end a summary of what was found. Everything it starts it stops, and its temporary directories
 * go with it, also when interrupted (Ctrl-C).
 */
public final class Demo {

    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    /** How often a view without a terminal prints a progress line. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** What a demo found, and where its report is. */
    public record Outcome(
            Report report, List<String> findings, Path page, List<Path> pngs, long events, boolean caughtUp) {}

    private final DemoSettings settings;
    private final DetectionSettings detection;
    private final PrintWriter out;
    private final Clock clock;

    public Demo(DemoSettings settings, DetectionSettings detection, PrintWriter out, Clock clock) {
        this.settings = settings;
        this.detection = detection;
        this.out = out;
        this.clock = clock;
    }

    /** Runs the demo to its end; an interrupt stops it early, cleanly. */
    public Outcome run() throws InterruptedException {
        DemoPlan plan = DemoPlan.of(settings.quick, clock);
        out.printf(
                Locale.ROOT,
                "descentwatch demo: %d runs in %d sweeps (%s), %d workers; starting an in-process "
                        + "Kafka broker and the detector%s...%n",
                plan.runs().size(),
                plan.sweeps().size(),
                String.join(
                        ", ", plan.sweeps().stream().map(s -> s.preset().name()).toList()),
                settings.effectiveWorkers(),
                settings.sink.url == null ? "" : " and the sink to " + settings.sink.url);
        out.flush();
        EmbeddedPipeline pipeline = new EmbeddedPipeline(TopicSettings.defaults(), detection, sink());
        try (LiveView view = LiveView.create(out, PROGRESS_EVERY)) {
            return runOn(pipeline, plan, view);
        } finally {
            uninterrupted(pipeline::close);
        }
    }

    private Outcome runOn(EmbeddedPipeline pipeline, DemoPlan plan, LiveView view) throws InterruptedException {
        ReportBuilder report = new ReportBuilder(clock, ReportBuilder.DEFAULT_POINTS_PER_RUN);
        HtmlReport html = new HtmlReport(settings.reportDir.toAbsolutePath());
        PipelineWatch watch =
                new PipelineWatch(pipeline.kafka().clientProperties(), pipeline.topics(), report, view::alert);
        Thread watchThread = new Thread(watch, "demo-watch");
        watchThread.setDaemon(true);
        watchThread.start();
        ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-refresh");
            t.setDaemon(true);
            return t;
        });
        try {
            Path page = write(html, report.snapshot(true));
            view.message("broker at " + pipeline.bootstrapServers() + "; live report: " + page.toUri());
            refresh.scheduleWithFixedDelay(
                    () -> {
                        try {
                            Report now = report.snapshot(true);
                            write(html, now);
                            view.refresh(now);
                        } catch (RuntimeException e) {
                            // a failed redraw must not end the next ones (a scheduled task that throws is cancelled)
                            log.warn("could not refresh the live view: {}", e.getMessage());
                        }
                    },
                    settings.refresh.toMillis(),
                    settings.refresh.toMillis(),
                    TimeUnit.MILLISECONDS);

            SweepRunner.Outcome trained;
            try (KafkaOutput sink = KafkaOutput.create(
                    pipeline.kafka().clientProperties(), pipeline.topics().epochs, Duration.ofMinutes(2))) {
                trained = new SweepRunner(settings.effectiveWorkers(), 1, clock)
                        .run(plan.runs(), sink, new SweepRunner.Progress() {});
            }
            view.message(String.format(
                    Locale.ROOT,
                    "training done: %,d events of %d runs; waiting for the " + "detector's last decisions...",
                    trained.events(),
                    trained.runs()));
            boolean caughtUp = awaitDetector(watch);
            if (!caughtUp) {
                view.message("the detector had not decided on every run after " + settings.drainTimeout
                        + "; reporting what it said so far");
            }
            refresh.shutdownNow();
            refresh.awaitTermination(10, TimeUnit.SECONDS);
            return finish(pipeline, view, report.snapshot(false), html, trained, caughtUp);
        } finally {
            refresh.shutdownNow();
            watch.stop();
            uninterrupted(() -> watchThread.join(10_000));
        }
    }

    /** The final report, its PNGs, and the summary of what was found. */
    private Outcome finish(
            EmbeddedPipeline pipeline,
            LiveView view,
            Report last,
            HtmlReport html,
            SweepRunner.Outcome trained,
            boolean caughtUp) {
        List<Chart> charts = ReportCharts.of(last);
        List<String> findings = Findings.of(last);
        Path page = html.write(last);
        Path pngDir = settings.reportDir.toAbsolutePath().resolve("png");
        List<Path> pngs = PngCharts.write(charts, pngDir);
        view.finish(last);
        out.println();
        out.println("What the detector found:");
        findings.forEach(out::println);
        out.printf(
                Locale.ROOT,
                "%n%d alerts; report: %s (charts as PNG in %s)%n",
                last.alerts().size(),
                page.toUri(),
                pngDir);
        if (settings.sink.url != null) {
            out.printf(
                    Locale.ROOT,
                    "%,d points written to InfluxDB %s, database %s%n",
                    pipeline.pointsWritten(),
                    settings.sink.url,
                    settings.sink.database);
        }
        out.flush();
        return new Outcome(last, findings, page, pngs, trained.events(), caughtUp);
    }

    private Path write(HtmlReport html, Report now) {
        return html.write(now);
    }

    /** Something that waits, and must wait even when this thread was interrupted (stopping after Ctrl-C). */
    @FunctionalInterface
    private interface Wait {
        void run() throws InterruptedException;
    }

    /**
     * Runs a clean-up step with the interrupt status cleared, and restores it afterwards: stopping a broker or a
     * Streams app waits for their threads, and an interrupted wait would leave them running.
     */
    private static void uninterrupted(Wait step) {
        boolean interrupted = Thread.interrupted();
        try {
            step.run();
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean awaitDetector(PipelineWatch watch) throws InterruptedException {
        long deadline = System.nanoTime() + settings.drainTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (watch.detectorCaughtUp()) {
                return true;
            }
            Thread.sleep(100);
        }
        return watch.detectorCaughtUp();
    }

    private SinkSettings sink() {
        return settings.sink.settings("descentwatch-demo-sink");
    }
}
