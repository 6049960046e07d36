package io.descentwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.serve.Serve;
import io.descentwatch.serve.ServeSettings;
import io.descentwatch.testkit.BrowserPage;
import io.descentwatch.testkit.LabSweeps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The live page at lab scale: a real serve in this process fed a lab of sweeps ({@link LabSweeps}) epoch by epoch
 * across all runs, so the same runs grow longer. At each checkpoint (a number of events) the heap after a full
 * collection, beside the same for the serve before its first event; at the end the page opened in headless
 * Chromium again and again: when the index, and then the first sweep in detail, were drawn, and how many bytes
 * each load took, beside the bytes of every sweep in detail (what a page that loads everything at once carries).
 */
final class PageScaleBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Settings(int sweeps, int runsPerSweep, List<Long> checkpoints, int loads, Duration timeout) {}

    record Heap(long events, long usedBytes, double seconds) {}

    record Load(double firstPaintMs, double indexMs, double sweepMs) {}

    record Result(
            long baselineBytes,
            List<Heap> heaps,
            List<Load> loads,
            int indexBytes,
            int sweepBytes,
            long allSweepsBytes,
            int runs) {}

    private PageScaleBench() {}

    static Result run(Settings s, PrintWriter progress) throws Exception {
        int runs = s.sweeps() * s.runsPerSweep();
        long last = s.checkpoints().get(s.checkpoints().size() - 1);
        int epochs = (int) Math.max(2, last / runs);
        LabSweeps lab = new LabSweeps(s.sweeps(), s.runsPerSweep(), epochs);
        try (ScratchDirectory data = ScratchDirectory.create("bench-page-scale-")) {
            ServeSettings settings = LocalServe.settings(data);
            try (Serve serve = new Serve(
                    settings,
                    DetectionSettings.defaults(),
                    TopicSettings.defaults(),
                    new PrintWriter(Writer.nullWriter()),
                    Clock.systemUTC())) {
                String base = "http://" + serve.httpAt() + "/";
                long baseline = heapAfterGc();
                List<Heap> heaps = new ArrayList<>();
                Properties p = serve.kafka().clientProperties();
                p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
                p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
                long sent = 0;
                long start = System.nanoTime();
                try (KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                    String topic = TopicSettings.defaults().epochs;
                    int next = 0;
                    for (int e = 1; e <= epochs && next < s.checkpoints().size(); e++) {
                        for (int sw = 0; sw < s.sweeps(); sw++) {
                            for (int r = 0; r < s.runsPerSweep(); r++) {
                                String line = lab.event(sw, r, e);
                                producer.send(new ProducerRecord<>(
                                        topic, lab.runId(sw, r), line.getBytes(StandardCharsets.UTF_8)));
                                sent++;
                            }
                        }
                        if (next < s.checkpoints().size()
                                && sent >= s.checkpoints().get(next)) {
                            producer.flush();
                            awaitEvents(base, sent, s.timeout());
                            heaps.add(new Heap(sent, heapAfterGc(), (System.nanoTime() - start) / 1e9));
                            progress.printf(
                                    Locale.ROOT,
                                    "page-scale: %,d events in %.0f s, heap %,d MB%n",
                                    sent,
                                    heaps.get(heaps.size() - 1).seconds(),
                                    heaps.get(heaps.size() - 1).usedBytes() >> 20);
                            progress.flush();
                            next++;
                        }
                    }
                }
                return pageLoads(base, s, baseline, heaps, runs);
            }
        }
    }

    private static Result pageLoads(String base, Settings s, long baseline, List<Heap> heaps, int runs)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        byte[] index = get(http, base + "data.js");
        long all = 0;
        int one = 0;
        JsonNode sweeps = JSON.readTree(new String(index, StandardCharsets.US_ASCII)
                        .replaceFirst("^dwReport\\(", "")
                        .replaceFirst("\\);\\s*$", ""))
                .get("sweeps");
        for (JsonNode sweep : sweeps) {
            int bytes = get(http, base + "sweeps/" + sweep.get("key").asText() + ".js").length;
            all += bytes;
            one = Math.max(one, bytes);
        }
        List<Load> loads = new ArrayList<>();
        try (BrowserPage page = BrowserPage.open(base)) {
            for (int i = 0; i < s.loads(); i++) {
                if (i > 0) {
                    page.evaluate("location.reload()");
                    Thread.sleep(200);
                }
                JsonNode t = page.await(
                        "window.dwTimes && window.dwTimes.sweep && document.querySelector("
                                + "'.chart[id$=\"-epochwise\"]') && document.querySelector('.chart[id$=\"-epochwise\"]')"
                                + ".dataset.rendered === 'true' ? { index: dwTimes.index, sweep: dwTimes.sweep, fcp: "
                                + "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime } : null",
                        v -> v.isObject(),
                        s.timeout());
                loads.add(new Load(
                        t.path("fcp").asDouble(Double.NaN),
                        t.get("index").asDouble(),
                        t.get("sweep").asDouble()));
            }
        }
        return new Result(baseline, heaps, loads, index.length, one, all, runs);
    }

    private static void awaitEvents(String base, long sent, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = JSON.readTree(get(http, base + "api/status"));
            if (status.get("events").asLong() >= sent) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("serve did not take in " + sent + " events within " + timeout);
    }

    private static byte[] get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    /**
     * The heap in use right after a full collection, as the collector itself reports it (each heap pool's usage
     * after its last collection), so what serve's threads allocate right after it does not count; the least of a
     * few.
     */
    static long heapAfterGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    used += pool.getCollectionUsage().getUsed();
                }
            }
            least = Math.min(least, used);
            Thread.sleep(100);
        }
        return least;
    }
}
