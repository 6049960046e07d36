package io.descentwatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertDetails;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.AlertWording;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every alert type has everything a type needs, outside the enum's own declaration (docs/architecture.md lists the
 * places): the JSON schemas' enums, a wording the detectors use, declared and documented details keys, a mark on the
 * report's and the page's charts (or a declared none), and a Grafana alert rule (or a reason for none, below). A
 * type added without one of them fails here; the labelled corpus must also raise it (its generator makes labels).
 */
class AlertTypeTest {

    private static final Path ROOT =
            Path.of(System.getProperty("descentwatch.repo.root", "..")).toAbsolutePath();

    /** Types with no Grafana alert rule, and why: they stay on the dashboards and the alerts topic. */
    private static final Map<AlertType, String> NO_GRAFANA_RULE = Map.of(
            AlertType.INTERPOLATION_REACHED,
                    "every run that fits its training set reaches it: news for a chart, not "
                            + "a reason to wake anyone",
            AlertType.TEST_LOSS_RISING,
                    "nearly every run of a double-descent sweep rises first; the rules notify "
                            + "what follows (SECOND_DESCENT, BELOW_FIRST_MINIMUM)",
            AlertType.INTERPOLATION_THRESHOLD,
                    "a landmark the model-wise dashboard marks; the sweep's news is the "
                            + "peak and the win that the rules notify");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<AlertType, List<Alert>> RAISED = new EnumMap<>(AlertType.class);

    @BeforeAll
    static void raiseEveryTypeOnTheLabelledCorpus() throws IOException {
        EpochEventCodec codec = new EpochEventCodec();
        for (Path corpus : List.of(LabelledCurves.epochwise(), LabelledCurves.modelwise())) {
            DescentDetector detector = new DescentDetector();
            List<Alert> alerts = new ArrayList<>();
            for (String line : Files.readAllLines(corpus)) {
                alerts.addAll(detector.accept(codec.decode(line).value()));
            }
            alerts.addAll(detector.endOfInput());
            alerts.forEach(a ->
                    RAISED.computeIfAbsent(a.type(), t -> new ArrayList<>()).add(a));
        }
    }

    @Test
    void theLabelledCorpusRaisesEveryType() {
        assertThat(RAISED.keySet())
                .as("types the labelled corpus raises (a new type needs curves and labels: "
                        + "testkit/curves-generator)")
                .containsExactlyInAnyOrder(AlertType.values());
    }

    @Test
    void everyTypeIsInTheSchemasEnums() throws IOException {
        List<String> all = names(Arrays.asList(AlertType.values()));
        assertThat(enumOf(schema("alert-v1.schema.json").path("properties").path("type")))
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(enumOf(schema("alert-digest-v1.schema.json")
                        .path("properties")
                        .path("counts")
                        .path("propertyNames")))
                .as("a digest counts run alerts by type")
                .containsExactlyInAnyOrderElementsOf(names(ofScope(AlertScope.RUN)));
        assertThat(enumOf(schema("sweep-v1.schema.json").findPath("fired").path("items")))
                .as("the sweep alerts a sweep picture says it raised")
                .containsExactlyInAnyOrderElementsOf(names(ofScope(AlertScope.SWEEP)));
    }

    @Test
    void everyTypeIsWordedFromItsDetailsAndNamedInWordsOfItsOwn() {
        Set<String> words = new HashSet<>();
        for (AlertType type : AlertType.values()) {
            assertThat(words.add(type.words()))
                    .as("%s's words are its own", type)
                    .isTrue();
            assertThat(type.words()).as(type.name()).isNotBlank().isLowerCase();
            for (Alert a : RAISED.getOrDefault(type, List.of())) {
                String prefix = switch (type.scope()) {
                    case RUN -> AlertWording.run(a.runId(), "");
                    case SWEEP -> AlertWording.sweep(a.sweepId(), "");
                };
                assertThat(a.message()).as(type.name()).startsWith(prefix);
                // a detail the wording needs and the alert lacks shows as "?" (or -1 for a count)
                assertThat(a.message().substring(prefix.length()))
                        .as(a.message())
                        .doesNotContain("?")
                        .doesNotContain(" -1 ");
                // the wording is the details': the same alert worded again from them says the same
                Alert again = Alert.of(type)
                        .run(a.runId())
                        .sweep(a.sweepId())
                        .epoch(a.epoch())
                        .paramCount(a.paramCount())
                        .trainSize(a.trainSize())
                        .outputDim(a.outputDim())
                        .details(a.details())
                        .worded()
                        .at(a.time())
                        .build();
                assertThat(again.message()).isEqualTo(a.message());
            }
        }
    }

    @Test
    void everyTypesDetailsAreDeclaredContractKeysAndDocumentedInTheReadme() throws Exception {
        Set<String> contract = new HashSet<>();
        for (Field f : AlertDetails.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && f.getType() == String.class
                    && !f.getName().equals("MISSING")) {
                contract.add((String) f.get(null));
            }
        }
        Map<String, String> documented = readmeDetailsTable();
        for (AlertType type : AlertType.values()) {
            assertThat(type.detailKeys()).as(type.name()).isNotEmpty().doesNotHaveDuplicates();
            assertThat(contract).as(type.name()).containsAll(type.detailKeys());
            for (Alert a : RAISED.getOrDefault(type, List.of())) {
                assertThat(type.detailKeys())
                        .as("%s's declared details", type)
                        .containsAll(a.details().keySet());
            }
            assertThat(documented).as("README's table of details").containsKey(type.name());
            assertThat(documented.get(type.name()))
                    .as(type.name())
                    .isEqualTo(
                            type.detailKeys().stream().map(k -> "`" + k + "`").collect(Collectors.joining(", ")));
        }
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(names(Arrays.asList(AlertType.values())));
    }

    @Test
    void everyTypeIsMarkedOnTheChartsAsItsChartMarkSays() throws IOException {
        Report epochwise = CorpusReports.of(LabelledCurves.epochwise(), e -> true);
        Report modelwise = CorpusReports.of(LabelledCurves.modelwise(), e -> true);
        for (AlertType type : AlertType.values()) {
            switch (type.chartMark()) {
                case AT_EPOCH -> {
                    assertThat(type.scope()).as(type.name()).isEqualTo(AlertScope.RUN);
                    // a diverged run's losses may have no place on a log axis: those are counted out
                    assertThat(drawn(epochwise, type))
                            .as("%s drawn at its epoch where it fired", type)
                            .isEqualTo(raisedIn(epochwise, type));
                    assertThat(epochwise.sweeps().stream()
                                    .flatMap(s -> s.runs().stream())
                                    .flatMap(r -> r.alerts().stream()))
                            .as(type.name())
                            .anyMatch(a -> a.type() == type);
                }
                case AT_SIZE -> {
                    assertThat(type.scope()).as(type.name()).isEqualTo(AlertScope.SWEEP);
                    long marked = ReportCharts.of(modelwise).stream()
                            .flatMap(c -> c.markers().stream())
                            .filter(m -> m.label().startsWith(type.words() + ","))
                            .count();
                    assertThat(marked)
                            .as("%s marked at its size", type)
                            .isEqualTo(modelwise.sweeps().stream()
                                    .filter(s -> s.sizes() >= 3 && s.alert(type).isPresent())
                                    .count())
                            .isPositive();
                }
                case NONE ->
                    assertThat(ReportCharts.of(modelwise).stream().flatMap(c -> c.markers().stream()))
                            .noneMatch(m -> m.label().startsWith(type.words()));
            }
        }
    }

    @Test
    void thePageListsEveryTypeInTheOrderAPersonReadsThem() throws IOException {
        String page;
        try (InputStream in = HtmlReport.class.getResourceAsStream(HtmlReport.PAGE)) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(jsList(page, "RUN_TYPES")).isEqualTo(names(byRank(AlertScope.RUN)));
        assertThat(jsList(page, "SWEEP_TYPES")).isEqualTo(names(byRank(AlertScope.SWEEP)));
    }

    @Test
    void grafanaAnnotatesEveryTypeAndHasARuleForEachOrAReasonWhyNot() throws IOException {
        String liveRuns = Files.readString(ROOT.resolve("dashboards/json/live-runs.json"));
        for (AlertScope scope : AlertScope.values()) {
            // annotations select by scope, never by type: every type of the scope is drawn
            assertThat(liveRuns)
                    .as("live-runs annotates %s alerts", scope.wireName())
                    .contains("FROM \\\"alert\\\" WHERE \\\"scope\\\" = '" + scope.wireName() + "'");
        }
        String rules = Files.readString(ROOT.resolve("dashboards/provisioning/alerting/descent-alerts.yaml"));
        Matcher label =
                Pattern.compile("labels: \\{type: (\\w+), scope: (\\w+)}").matcher(rules);
        Map<String, String> ruled = new java.util.HashMap<>();
        while (label.find()) {
            ruled.put(label.group(1), label.group(2));
        }
        for (AlertType type : AlertType.values()) {
            if (NO_GRAFANA_RULE.containsKey(type)) {
                assertThat(ruled)
                        .as("%s is opted out of rules: %s", type, NO_GRAFANA_RULE.get(type))
                        .doesNotContainKey(type.name());
                continue;
            }
            assertThat(ruled)
                    .as("a Grafana rule for %s (or a reason in NO_GRAFANA_RULE)", type)
                    .containsEntry(type.name(), type.scope().wireName());
            assertThat(rules).as(type.name()).contains("WHERE \"type\" = '" + type.name() + "'");
        }
        assertThat(ruled.keySet())
                .allMatch(t ->
                        Arrays.stream(AlertType.values()).anyMatch(a -> a.name().equals(t)));
    }

    private static long drawn(Report report, AlertType type) {
        long n = 0;
        for (Report.SweepView sweep : report.sweeps()) {
            n += ReportCharts.epochWise(sweep, "e").series().stream()
                    .filter(s -> s.name().equals(type.words()))
                    .mapToLong(s -> s.points().size())
                    .sum();
        }
        return n;
    }

    /** Alerts of a type whose landmark can be drawn on a log-log chart (a diverged run's loss may not be). */
    private static long raisedIn(Report report, AlertType type) {
        return report.sweeps().stream()
                .flatMap(s -> s.runs().stream())
                .filter(r -> r.alerts().stream().anyMatch(a -> a.type() == type && drawable(a, r)))
                .count();
    }

    private static boolean drawable(Alert a, Report.RunView run) {
        Object loss = a.details().containsKey(AlertDetails.LOSS)
                ? a.details().get(AlertDetails.LOSS)
                : a.details().get(AlertDetails.TEST_LOSS);
        double y = loss instanceof Number n
                ? n.doubleValue()
                : run.points().stream()
                        .filter(p -> Double.isFinite(p.testLoss()))
                        .min(Comparator.comparingLong(p -> Math.abs(p.epoch() - a.epoch())))
                        .map(Report.Point::testLoss)
                        .orElse(Double.NaN);
        return a.epoch() > 0 && y > 0 && Double.isFinite(y);
    }

    /** README's table of details per type: type name to its keys as the table lists them. */
    private static Map<String, String> readmeDetailsTable() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("| type | details |"));
        table = table.substring(0, table.indexOf("\n\n"));
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        for (String line : table.lines().skip(2).toList()) {
            String[] cells = line.split("\\|");
            rows.put(cells[1].trim().replace("`", ""), cells[2].trim());
        }
        return rows;
    }

    private static List<String> jsList(String page, String name) {
        Matcher m = Pattern.compile("const " + name + " = \\[([^]]*)]").matcher(page);
        assertThat(m.find()).as(name).isTrue();
        return Arrays.stream(m.group(1).split(","))
                .map(s -> s.trim().replace("\"", ""))
                .toList();
    }

    private static JsonNode schema(String name) throws IOException {
        try (InputStream in = AlertType.class.getResourceAsStream("/schemas/" + name)) {
            return JSON.readTree(in);
        }
    }

    private static List<String> enumOf(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.path("enum").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<AlertType> ofScope(AlertScope scope) {
        return Arrays.stream(AlertType.values()).filter(t -> t.scope() == scope).toList();
    }

    private static List<AlertType> byRank(AlertScope scope) {
        return ofScope(scope).stream()
                .sorted(Comparator.comparingInt(AlertType::actionRank))
                .toList();
    }

    private static List<String> names(List<AlertType> types) {
        return types.stream().map(Enum::name).toList();
    }
}
