package io.descentwatch.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A webhook receiver that prints what it is sent, one line per notification: the compose stack's default target
 * for Grafana's alert notifications (and for {@code alerts --webhook}), so that they can be seen with
 * {@code docker compose logs} before a real receiver (Slack, a pager) is configured. Understands Grafana's
 * webhook payload (one line per alert in it, with its status, name, sweep, run and summary; a notification of a
 * sweep's run alerts, grouped by the provisioned policy, as one line per sweep naming how many runs of each type)
 * and DescentWatch's own (its {@code text}); anything else is printed as it came, shortened.
 */
public final class NotificationLog implements AutoCloseable {

    /** Larger bodies are refused (413): a notification is a few kilobytes. */
    static final int MAX_BODY = 1 << 20;

    private static final int MAX_LINE = 2000;

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();

    private NotificationLog(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code address}; each line goes to {@code out} (called from the server's thread, one at a time). */
    public static NotificationLog start(InetSocketAddress address, Consumer<String> out) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        NotificationLog log = new NotificationLog(server);
        server.createContext("/", exchange -> log.handle(exchange, out));
        server.start();
        return log;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange, Consumer<String> out) throws IOException {
        try (exchange) {
            if ("GET".equals(exchange.getRequestMethod())
                    && "/health".equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                out.accept("refused a notification of more than " + MAX_BODY + " bytes");
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            lines(new String(body, StandardCharsets.UTF_8)).forEach(out);
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** The lines printed for one notification body. */
    List<String> lines(String body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            node = null;
        }
        List<String> lines = new ArrayList<>();
        if (node != null
                && node.path("alerts").size() > 1
                && "run".equals(node.path("groupLabels").path("scope").asText())) {
            lines.addAll(sweepLines(node));
        } else if (node != null && node.path("alerts").isArray()) {
            for (JsonNode a : node.path("alerts")) {
                JsonNode labels = a.path("labels");
                StringBuilder line = new StringBuilder("[")
                        .append(a.path("status").asText("?"))
                        .append("] ")
                        .append(labels.path("alertname").asText("alert"));
                String scope =
                        (labels.has("sweep") ? "sweep=" + labels.path("sweep").asText() : "")
                                + (labels.has("run")
                                        ? (labels.has("sweep") ? ", " : "") + "run="
                                                + labels.path("run").asText()
                                        : "");
                if (!scope.isEmpty()) {
                    line.append(" (").append(scope).append(')');
                }
                String summary = a.path("annotations").path("summary").asText("");
                if (!summary.isEmpty()) {
                    line.append(": ").append(summary);
                }
                lines.add(printable(line.toString()));
            }
        } else if (node != null && node.path("text").isTextual()) {
            lines.add(printable(node.path("text").asText()));
        } else {
            lines.add(printable(body));
        }
        return lines;
    }

    /**
     * A notification of a sweep's run alerts (the policy groups them by scope and sweep): one line per status,
     * {@code [firing] run alerts (sweep=rf): SECOND_DESCENT in 3 runs (a, b, c), DIVERGED in 1 run (d)}.
     */
    private static List<String> sweepLines(JsonNode node) {
        String sweep = node.path("groupLabels").path("sweep").asText("?");
        Map<String, Map<String, List<String>>> byStatus = new TreeMap<>();
        for (JsonNode a : node.path("alerts")) {
            JsonNode labels = a.path("labels");
            String type = labels.path("type").asText(labels.path("alertname").asText("alert"));
            String run = labels.path("run").asText("?");
            String prefix = sweep + "/";
            byStatus.computeIfAbsent(a.path("status").asText("?"), s -> new LinkedHashMap<>())
                    .computeIfAbsent(type, t -> new ArrayList<>())
                    .add(
                            run.startsWith(prefix) && run.length() > prefix.length()
                                    ? run.substring(prefix.length())
                                    : run);
        }
        List<String> lines = new ArrayList<>();
        byStatus.forEach((status, types) -> {
            StringJoiner line = new StringJoiner(", ", "[" + status + "] run alerts (sweep=" + sweep + "): ", "");
            types.forEach((type, runs) -> {
                Collections.sort(runs);
                String named = String.join(", ", runs.subList(0, Math.min(runs.size(), AlertText.RUNS_NAMED)));
                line.add(type + " in " + runs.size() + (runs.size() == 1 ? " run" : " runs") + " (" + named
                        + (runs.size() > AlertText.RUNS_NAMED ? " +" + (runs.size() - AlertText.RUNS_NAMED) : "")
                        + ")");
            });
            lines.add(printable(line.toString()));
        });
        return lines;
    }

    /** One line, without control characters (a log line must not be forged or broken by what was sent). */
    private static String printable(String s) {
        String flat = s.replaceAll("\\p{Cntrl}", " ").strip();
        return flat.length() > MAX_LINE ? flat.substring(0, MAX_LINE) + "..." : flat;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
