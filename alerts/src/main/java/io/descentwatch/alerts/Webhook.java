package io.descentwatch.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertWording;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Forwards alerts as HTTP POSTs of JSON: a Slack-compatible {@code text} line and the whole alert under
 * {@code alert}, or, for a sweep's digest of run alerts ({@link AlertDigest}), its line and the digest with every
 * alert in it under {@code digest} ({@link NoticeJson}). A failed delivery (no connection, a timeout, a 5xx or 429 answer) is retried with doubling backoff;
 * other 4xx answers mean the request itself is wrong and fail at once. Webhook URLs often carry a token in their
 * path, so messages name only the scheme, host and port ({@link #describe()}).
 */
public final class Webhook {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI uri;
    private final int attempts;
    private final Duration firstBackoff;
    private final Duration timeout;
    private final HttpClient http;
    private final AlertCodec codec = new AlertCodec();
    private final NoticeJson notices = new NoticeJson();

    /**
     * @param attempts     tries per alert, at least 1
     * @param firstBackoff wait after the first failure; it doubles after each further one
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL with a host
     */
    public Webhook(String url, int attempts, Duration firstBackoff, Duration timeout) {
        this.uri = parse(url);
        if (attempts < 1) {
            throw new IllegalArgumentException("webhook attempts must be at least 1, got " + attempts);
        }
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Only http and https: a webhook must not be able to read local files or reach other protocols. */
    static URI parse(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the webhook must be an http:// or https:// URL, not "
                    + (scheme.isEmpty() ? "a relative one" : scheme + "://"));
        }
        if (u.getHost() == null || u.getHost().isBlank()) {
            throw new IllegalArgumentException("the webhook URL has no host");
        }
        if (u.getUserInfo() != null) {
            throw new IllegalArgumentException("the webhook URL must not hold a user name or password");
        }
        return u;
    }

    /** Where alerts go, fit for a log line: without the path, which may hold a token. */
    public String describe() {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/...";
    }

    /** The JSON body posted for an alert. */
    public byte[] body(Alert alert) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("text", text(alert));
        body.set("alert", JSON.readTree(codec.encode(alert)));
        return JSON.writeValueAsBytes(body);
    }

    /** The JSON body posted for a notice: {@link #body(Alert)}, or a digest's line and the digest. */
    public byte[] body(AlertDigest.Notice notice) throws IOException {
        if (notice instanceof AlertDigest.Single s) {
            return body(s.alert());
        }
        AlertDigest.Digest d = (AlertDigest.Digest) notice;
        ObjectNode body = JSON.createObjectNode();
        body.put("text", "DescentWatch " + AlertText.summary(d));
        body.set("digest", notices.tree(d));
        return JSON.writeValueAsBytes(body);
    }

    /** One line a chat channel shows. */
    static String text(Alert a) {
        return "DescentWatch " + a.type().name() + " (p/n = " + AlertWording.num(a.pOverN()) + "): " + a.message();
    }

    /**
     * Posts one alert, retrying as described above.
     *
     * @throws WebhookException after the last failed attempt, saying why it failed
     */
    public void send(Alert alert) throws IOException, InterruptedException {
        send(new AlertDigest.Single(alert));
    }

    /**
     * Posts one notice (an alert, or a sweep's digest), retrying as described above.
     *
     * @throws WebhookException after the last failed attempt, saying why it failed
     */
    public void send(AlertDigest.Notice notice) throws IOException, InterruptedException {
        String what = notice instanceof AlertDigest.Single s
                ? "alert " + s.alert().alertId()
                : "the digest of " + notice.alerts().size() + " alerts of sweep "
                        + ((AlertDigest.Digest) notice).sweepId();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(notice)))
                .build();
        Duration wait = firstBackoff;
        String failure = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int status;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                status = -1;
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (status >= 200 && status < 300) {
                return;
            }
            if (status >= 0) {
                failure = "HTTP " + status;
                if (status < 500 && status != 429) {
                    throw new WebhookException("webhook " + describe() + " refused " + what + " with " + failure
                            + ": the request will not succeed by retrying");
                }
            }
            if (attempt < attempts) {
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
        throw new WebhookException("webhook " + describe() + " unreachable: " + what + " not delivered after "
                + attempts + " attempts (last: " + failure + ")");
    }

    /** A delivery that failed for good. */
    public static final class WebhookException extends IOException {
        public WebhookException(String message) {
            super(message);
        }
    }
}
