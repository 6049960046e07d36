package io.descentwatch.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.influxdb.dto.QueryResult;

/**
 * What Grafana 12.2 does with an InfluxQL answer on its way to a panel, restated in Java so that the dashboards can
 * be checked against real InfluxDB answers without a Grafana server. Each method follows one piece of Grafana's
 * source: the backend's buffered InfluxQL parser (pkg/tsdb/influxdb/influxql/buffered/response_parser.go, the
 * default parser), the sortBy and partitionByValues transformations, the XY chart's series preparation
 * (public/app/plugins/panel/xychart/v2/utils.ts, prepSeries) and the annotation parser
 * (public/app/plugins/datasource/influxdb/response_parser.ts, getTableRows). Only what the dashboards use.
 */
final class GrafanaFrames {

    /** A column of a data frame; {@code type} is Grafana's field type: time, string, number or boolean. */
    record Field(String name, String type, List<Object> values) {}

    record Frame(String name, List<Field> fields) {
        int length() {
            return fields.isEmpty() ? 0 : fields.get(0).values().size();
        }

        Field field(String name) {
            return fields.stream()
                    .filter(f -> f.name().equals(name))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** One drawn XY series: which frame, which fields, and how many points have both coordinates. */
    record XySeries(int frame, Field x, Field y, int points) {}

    private GrafanaFrames() {}

    /**
     * resultFormat table: one frame for all series; Time, then a column per tag of the first series (each row
     * takes its own series' tag value), then the selected columns.
     */
    static Frame table(QueryResult.Result result) {
        List<QueryResult.Series> rows = result.getSeries() == null ? List.of() : result.getSeries();
        if (rows.isEmpty()) {
            return new Frame("", List.of());
        }
        QueryResult.Series first = rows.get(0);
        List<Field> fields = new ArrayList<>();
        fields.add(column(rows, 0, "time".equals(first.getColumns().get(0)) ? "time" : null));
        if (first.getTags() != null) {
            for (String key : first.getTags().keySet()) {
                List<Object> values = new ArrayList<>();
                rows.forEach(
                        s -> s.getValues().forEach(v -> values.add(s.getTags().get(key))));
                fields.add(new Field(key, "string", values));
            }
        }
        for (int c = 1; c < first.getColumns().size(); c++) {
            fields.add(column(rows, c, null));
        }
        return new Frame(first.getName(), fields);
    }

    private static Field column(List<QueryResult.Series> rows, int c, String forcedType) {
        List<Object> values = new ArrayList<>();
        rows.forEach(s -> s.getValues().forEach(v -> values.add(v.get(c))));
        String type = forcedType != null
                ? forcedType
                : values.stream()
                        .filter(Objects::nonNull)
                        .findFirst()
                        .map(v -> v instanceof Number ? "number" : v instanceof Boolean ? "boolean" : "string")
                        .orElse("number");
        return new Field(rows.get(0).getColumns().get(c), type, values);
    }

    /** The panel's transformations, in order. */
    static List<Frame> transform(List<Frame> frames, JsonNode transformations) {
        List<Frame> out = frames;
        for (JsonNode t : transformations) {
            JsonNode options = t.path("options");
            out = switch (t.path("id").asText()) {
                case "sortBy" ->
                    out.stream()
                            .map(f -> sortBy(f, options.path("sort").get(0)))
                            .toList();
                case "partitionByValues" -> partitionByValues(out, options);
                case "organize" -> out;
                default -> throw new AssertionError("no model of transformation " + t.path("id"));
            };
        }
        return out;
    }

    /** sortBy: the first sort entry only, by display name (here: the column name); nulls last. */
    private static Frame sortBy(Frame frame, JsonNode sort) {
        Field key = frame.field(sort.path("field").asText());
        if (key == null) {
            return frame;
        }
        @SuppressWarnings("unchecked") // a field's values are of one comparable type: numbers, texts or times
        Comparator<Integer> order = Comparator.comparing(
                i -> (Comparable<Object>) key.values().get(i), Comparator.nullsLast(Comparator.naturalOrder()));
        if (sort.path("desc").asBoolean()) {
            order = order.reversed();
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < frame.length(); i++) {
            idx.add(i);
        }
        idx.sort(order);
        return new Frame(
                frame.name(),
                frame.fields().stream()
                        .map(f -> new Field(
                                f.name(),
                                f.type(),
                                idx.stream().map(f.values()::get).toList()))
                        .toList());
    }

    /**
     * partitionByValues: splits the first frame into one frame per distinct combination of the key fields, in
     * order of first appearance, rows in their order; the key fields are dropped unless keepFields.
     */
    private static List<Frame> partitionByValues(List<Frame> frames, JsonNode options) {
        if (frames.isEmpty()) {
            return frames;
        }
        Frame frame = frames.get(0);
        List<String> keys = new ArrayList<>();
        options.path("fields").forEach(k -> keys.add(k.asText()));
        List<Field> keyFields =
                frame.fields().stream().filter(f -> keys.contains(f.name())).toList();
        if (keyFields.isEmpty()) {
            return List.of(frame);
        }
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < frame.length(); i++) {
            int row = i;
            groups.computeIfAbsent(
                            keyFields.stream().map(f -> f.values().get(row)).toList(), k -> new ArrayList<>())
                    .add(i);
        }
        boolean keep = options.path("keepFields").asBoolean(false);
        return groups.values().stream()
                .map(rows -> new Frame(
                        frame.name(),
                        frame.fields().stream()
                                .filter(f -> keep || !keys.contains(f.name()))
                                .map(f -> new Field(
                                        f.name(),
                                        f.type(),
                                        rows.stream().map(f.values()::get).toList()))
                                .toList()))
                .toList();
    }

    /**
     * The XY chart's series: for every series config and every frame (only the frame its byIndex matcher names, if
     * it has one), x is the first number field matching x's matcher, and each other number field matching y's
     * matcher is a series (in manual mode only the first). Field matchers byName (name) or, when absent, byType
     * number; anything else is not modelled.
     */
    static List<XySeries> xySeries(JsonNode options, List<Frame> frames) {
        boolean manual = "manual".equals(options.path("mapping").asText("auto"));
        List<JsonNode> configs = new ArrayList<>();
        options.path("series").forEach(configs::add);
        if (configs.isEmpty()) {
            configs.add(JsonNodeFactory.instance.objectNode());
        }
        List<XySeries> out = new ArrayList<>();
        for (JsonNode cfg : configs) {
            if (manual
                    && (cfg.path("frame").path("matcher").isMissingNode()
                            || cfg.path("x").path("matcher").isMissingNode()
                            || cfg.path("y").path("matcher").isMissingNode())) {
                continue;
            }
            JsonNode frameMatcher = cfg.path("frame").path("matcher");
            for (int fi = 0; fi < frames.size(); fi++) {
                if (!frameMatcher.isMissingNode()) {
                    if (!"byIndex".equals(frameMatcher.path("id").asText())
                            || frameMatcher.path("options").asInt(-1) != fi) {
                        continue;
                    }
                }
                List<Field> numbers = frames.get(fi).fields().stream()
                        .filter(f -> "number".equals(f.type()))
                        .toList();
                Field x = numbers.stream()
                        .filter(f -> matches(cfg.path("x").path("matcher"), f))
                        .findFirst()
                        .orElse(null);
                if (x == null) {
                    continue;
                }
                for (Field y : numbers) {
                    if (y == x || !matches(cfg.path("y").path("matcher"), y)) {
                        continue;
                    }
                    int points = 0;
                    for (int i = 0; i < x.values().size(); i++) {
                        if (x.values().get(i) != null && y.values().get(i) != null) {
                            points++;
                        }
                    }
                    out.add(new XySeries(fi, x, y, points));
                    if (manual) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static boolean matches(JsonNode matcher, Field f) {
        if (matcher.isMissingNode()) {
            return "number".equals(f.type());
        }
        return switch (matcher.path("id").asText()) {
            case "byName" -> f.name().equals(matcher.path("options").asText(null));
            case "byType" -> f.type().equals(matcher.path("options").asText());
            default -> throw new AssertionError("no model of field matcher " + matcher);
        };
    }

    /**
     * The annotation parser: an annotation query runs as time_series (one frame per selected column and series),
     * and a row becomes an annotation only where every selected column has a value (getTableRows skips rows with
     * a null). Returns how many rows survive.
     */
    static int annotationRows(QueryResult.Result result) {
        int kept = 0;
        for (QueryResult.Series s : result.getSeries() == null ? List.<QueryResult.Series>of() : result.getSeries()) {
            for (List<Object> row : s.getValues()) {
                if (row.subList(1, row.size()).stream().allMatch(Objects::nonNull)) {
                    kept++;
                }
            }
        }
        return kept;
    }
}
