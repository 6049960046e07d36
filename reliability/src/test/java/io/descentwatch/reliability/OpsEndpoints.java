package io.descentwatch.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's health and metrics endpoints (--ops-port) as a health check or Prometheus reads them. */
final class OpsEndpoints {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;

    OpsEndpoints(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    /** The HTTP status of a path; -1 when nothing answers. */
    int status(String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String metrics() throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The value of one sample ({@code name} with its labels as written, e.g. {@code x_total{service="sink"}}). */
    static double sample(String metrics, String nameAndLabels) {
        Matcher m = Pattern.compile("^" + Pattern.quote(nameAndLabels) + " (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no sample " + nameAndLabels + " in:\n" + metrics);
        }
        return Double.parseDouble(m.group(1));
    }
}
