package io.descentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.descentwatch.alerts.AlertText;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.report.HtmlReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo, shortened (--quick), end to end on its real in-process broker and detector with real DL4J training:
 * the alerts it must show, the report it must leave, and nothing else left behind.
 */
class DemoIntegrationTest {

    private static final Path DEMO_SCRATCH = Path.of(System.getProperty("user.home"), ".descentwatch", "demo");

    private static DemoSettings quick(Path reportDir) {
        DemoSettings s = DemoSettings.defaults();
        s.quick = true;
        s.reportDir = reportDir;
        s.refresh = Duration.ofMillis(500);
        s.sink.url = null;
        return s;
    }

    @Test
    void aShortDemoFindsTheThresholdThePeakNearNEqualsNAndBothDescentsAndReportsThem(@TempDir Path dir)
            throws Exception {
        Set<Path> leftoversBefore = scratchDirectories();
        StringWriter printed = new StringWriter();
        Demo.Outcome outcome = new Demo(
                        quick(dir.resolve("report")),
                        DetectionSettings.defaults(),
                        new PrintWriter(printed, true),
                        Clock.systemUTC())
                .run();

        assertThat(outcome.caughtUp()).as("the detector decided on every run").isTrue();
        List<Alert> alerts = outcome.report().alerts();
        Set<AlertType> types = alerts.stream().map(Alert::type).collect(Collectors.toSet());
        assertThat(types)
                .contains(
                        AlertType.INTERPOLATION_THRESHOLD,
                        AlertType.MODEL_WISE_PEAK,
                        AlertType.SECOND_DESCENT,
                        AlertType.BELOW_FIRST_MINIMUM);
        Alert peak = alerts.stream()
                .filter(a -> a.type() == AlertType.MODEL_WISE_PEAK)
                .findFirst()
                .orElseThrow();
        assertThat(peak.pOverN()).as("peak near N = n").isBetween(0.7, 1.4);
        Alert threshold = alerts.stream()
                .filter(a -> a.type() == AlertType.INTERPOLATION_THRESHOLD)
                .findFirst()
                .orElseThrow();
        assertThat(threshold.paramCount()).isGreaterThanOrEqualTo(peak.paramCount());

        // every alert was shown as it fired, and the summary names what was found
        String shown = printed.toString();
        for (Alert a : alerts) {
            assertThat(shown).contains(AlertText.line(a));
        }
        assertThat(shown)
                .contains("What the detector found:")
                .contains(String.format("model-wise peak at %,d parameters", peak.paramCount()))
                .contains(String.format("interpolation threshold at %,d parameters", threshold.paramCount()))
                .contains("second descent in")
                .contains("below first minimum in");

        // the report: every run, every alert, the charts with the threshold and peak marked, and the PNGs
        JsonNode data = reportData(outcome.page().getParent());
        assertThat(data.get("live").asBoolean()).isFalse();
        long runs = outcome.report().sweeps().stream()
                .mapToLong(s -> s.runs().size())
                .sum();
        int indexed = 0;
        for (JsonNode s : data.get("sweeps")) {
            indexed += s.get("runs").asInt();
        }
        assertThat(indexed).isEqualTo(runs);
        assertThat(runs).isEqualTo(10);
        // each sweep in detail in its own file: its runs, its alerts, its charts
        ArrayNode charts = new ObjectMapper().createArrayNode();
        int detailedRuns = 0;
        int detailedAlerts = 0;
        for (JsonNode s : data.get("sweeps")) {
            JsonNode sweep = sweepData(outcome.page().getParent(), s.get("key").asText());
            detailedRuns += sweep.get("runs").size();
            detailedAlerts += sweep.get("alerts").size();
            charts.addAll((ArrayNode) sweep.get("charts"));
        }
        assertThat(detailedRuns).isEqualTo(runs);
        assertThat(detailedAlerts).isEqualTo(alerts.size());
        assertThat(charts).hasSize(3);
        JsonNode modelWise = charts.get(0);
        assertThat(modelWise.get("id").asText()).endsWith("modelwise");
        List<Double> markers = new ArrayList<>();
        modelWise.get("markers").forEach(m -> markers.add(m.get("x").asDouble()));
        assertThat(markers).contains((double) peak.paramCount(), (double) threshold.paramCount());
        for (JsonNode chart : charts) {
            int points = 0;
            for (JsonNode series : chart.get("series")) {
                points += series.get("points").size();
            }
            assertThat(points).as(chart.get("id").asText()).isGreaterThan(5);
        }
        assertThat(outcome.pngs()).hasSize(3).allSatisfy(p -> assertThat(p).isRegularFile());
        assertThat(scratchDirectories()).isEqualTo(leftoversBefore);
    }

    @Test
    void anInterruptStopsTrainingTheDetectorAndTheBrokerAndLeavesNoDirectoriesBehind(@TempDir Path dir)
            throws Exception {
        Set<Path> leftoversBefore = scratchDirectories();
        StringWriter printed = new StringWriter();
        DemoSettings settings = quick(dir.resolve("report"));
        settings.quick = false; // long enough to be stopped half way
        Demo demo = new Demo(settings, DetectionSettings.defaults(), new PrintWriter(printed, true), Clock.systemUTC());
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                demo.run();
                ended.set(new AssertionError("the demo ran to its end"));
            } catch (Throwable t) {
                ended.set(t);
            }
        });
        running.start();
        String bootstrap = awaitBroker(printed, Duration.ofMinutes(2));
        awaitSomeEvents(settings.reportDir, Duration.ofMinutes(2));

        running.interrupt();
        running.join(Duration.ofMinutes(1).toMillis());

        assertThat(running.isAlive())
                .as("demo still running a minute after the interrupt")
                .isFalse();
        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        assertThat(scratchDirectories()).isEqualTo(leftoversBefore);
        String[] hostPort = bootstrap.split(":");
        assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000);
                    }
                })
                .as("the broker's port is closed")
                .isInstanceOf(IOException.class);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneSatisfy(
                        t -> assertThat(t.getName()).matches("dw-train-.*|demo-.*|descentwatch-demo-.*StreamThread.*"));
    }

    private static String awaitBroker(StringWriter printed, Duration timeout) throws InterruptedException {
        Pattern broker = Pattern.compile("broker at (\\S+);");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = broker.matcher(printed.toString());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the demo never said where its broker is:\n" + printed);
    }

    private static void awaitSomeEvents(Path reportDir, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(reportDir.resolve(HtmlReport.DATA))) {
                JsonNode data = reportData(reportDir);
                if (data.get("sweeps").size() > 0) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no events reached the report within " + timeout);
    }

    static JsonNode sweepData(Path reportDir, String key) throws IOException {
        String js = Files.readString(reportDir.resolve(HtmlReport.SWEEPS).resolve(key + ".js"))
                .strip();
        assertThat(js).startsWith("dwSweep(").endsWith(");");
        return new ObjectMapper().readTree(js.substring("dwSweep(".length(), js.length() - 2));
    }

    static JsonNode reportData(Path reportDir) throws IOException {
        String js = Files.readString(reportDir.resolve(HtmlReport.DATA)).strip();
        assertThat(js).startsWith("dwReport(").endsWith(");");
        return new ObjectMapper().readTree(js.substring("dwReport(".length(), js.length() - 2));
    }

    /** The broker's and the detector's directories: the demo must leave none behind. */
    private static Set<Path> scratchDirectories() throws IOException {
        Set<Path> all = new HashSet<>();
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            tmp.filter(p -> p.getFileName().toString().startsWith("descentwatch-kafka-"))
                    .forEach(all::add);
        }
        if (Files.isDirectory(DEMO_SCRATCH)) {
            try (Stream<Path> demo = Files.list(DEMO_SCRATCH)) {
                demo.forEach(all::add);
            }
        }
        return all;
    }
}
