package io.descentwatch.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.descentwatch.broker.ScratchDirectory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One page kept open in headless Chromium, watched while it runs: a test evaluates JavaScript in it through the
 * DevTools protocol (the JDK's WebSocket client) and sees what the page shows now, as it updates by itself, where
 * {@link HeadlessChromium} sees a page once. The browser runs with the same flags that keep it off the network,
 * a fresh profile, and is killed with its profile on close.
 */
public final class BrowserPage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final ScratchDirectory profile;
    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    private BrowserPage(ScratchDirectory profile, Process process, WebSocket socket, Listener listener) {
        this.profile = profile;
        this.process = process;
        this.socket = socket;
        listener.page = this;
    }

    /** Opens {@code url} in a new headless Chromium. */
    public static BrowserPage open(String url) {
        ScratchDirectory profile = ScratchDirectory.create("descentwatch-chromium-");
        Process process = null;
        try {
            List<String> cmd = HeadlessChromium.command(profile.path());
            cmd.addAll(
                    List.of("--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=1280,2000", url));
            process = new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            int port = debuggingPort(profile.resolve("DevToolsActivePort"), process);
            String target = pageTarget(port);
            Listener listener = new Listener();
            WebSocket socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(target), listener)
                    .get(30, TimeUnit.SECONDS);
            return new BrowserPage(profile, process, socket, listener);
        } catch (IOException | InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            // broad, and rethrown: whatever failed, the browser and its profile go
            if (process != null) {
                process.destroyForcibly();
            }
            profile.close();
            throw new IllegalStateException("cannot open " + url + " in chromium: " + e.getMessage(), e);
        }
    }

    private static int debuggingPort(Path file, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).strip());
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited with " + process.exitValue());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("chromium did not open its debugging port within " + START_TIMEOUT);
    }

    private static String pageTarget(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String body = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (JsonNode t : JSON.readTree(body)) {
                if ("page".equals(t.path("type").asText()) && t.has("webSocketDebuggerUrl")) {
                    return t.get("webSocketDebuggerUrl").asText();
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("chromium shows no page to debug");
    }

    /** Evaluates a JavaScript expression in the page (promises awaited) and returns its value as JSON. */
    public JsonNode evaluate(String expression) {
        ObjectNode params = JSON.createObjectNode()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode r = call("Runtime.evaluate", params);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /**
     * Moves the mouse to a point of the page's viewport (CSS pixels), as a person's pointer does: the page sees the
     * same events (hover included) as from a real mouse.
     */
    public void mouseMove(double x, double y) {
        call(
                "Input.dispatchMouseEvent",
                JSON.createObjectNode().put("type", "mouseMoved").put("x", x).put("y", y));
    }

    /** A PNG of what the page shows now, its viewport or its full height. */
    public void screenshot(Path png, boolean fullPage) throws IOException {
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", fullPage);
        String data = call("Page.captureScreenshot", params).path("data").asText();
        Files.write(png, java.util.Base64.getDecoder().decode(data));
    }

    /** Sends one DevTools protocol command and returns its result. */
    public JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode call = JSON.createObjectNode().put("id", id).put("method", method);
        call.set("params", params);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        calls.put(id, reply);
        try {
            socket.sendText(JSON.writeValueAsString(call), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode result = reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (result.has("error")) {
                throw new IllegalStateException("chromium: " + result.get("error"));
            }
            return result.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("evaluating in chromium failed: " + e.getMessage(), e);
        } finally {
            calls.remove(id);
        }
    }

    /** Evaluates {@code expression} until {@code until} holds for its value; returns that value. */
    public JsonNode await(String expression, Predicate<JsonNode> until, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = evaluate(expression);
                if (until.test(last)) {
                    return last;
                }
            } catch (IllegalStateException e) {
                // the page is still loading (its elements are not there yet): ask again
                last = JSON.getNodeFactory().textNode(e.getMessage());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the page did not get there within " + timeout + ": " + expression + " = " + last);
    }

    @Override
    public void close() {
        socket.abort();
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        profile.close();
    }

    /** Hands each reply to the call waiting for it; events the page sends on its own are not asked for. */
    private static final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();
        volatile BrowserPage page;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    if (message.has("id") && page != null) {
                        CompletableFuture<JsonNode> call =
                                page.calls.get(message.get("id").asInt());
                        if (call != null) {
                            call.complete(message);
                        }
                    }
                } catch (IOException e) {
                    // not JSON: nothing waits for it
                } finally {
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
