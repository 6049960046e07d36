package io.descentwatch.serve;

import io.descentwatch.report.HtmlReport;
import io.descentwatch.report.Report;
import io.descentwatch.report.ReportBuilder;
import io.descentwatch.report.SweepIndex;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The page's scripts, made from the {@link LiveFeed}'s report: its index of sweeps ({@code data.js}) at most once per
 * version of the feed, and one sweep in detail ({@code sweeps/<key>.js}) again only when that sweep changed.
 */
final class PageScripts {

    private final ReportBuilder report;
    /** The feed's version: goes up whenever what the page shows changed. */
    private final LongSupplier version;
    /**
     * Guarded by this, as all the cache below. The page's index at {@link #cachedVersion}: one snapshot serves every
     * page that asks for that version.
     */
    private byte[] cachedPage;

    private long cachedVersion = -1;
    /** Sweep id and place in the index by key, as of the cached index. */
    private Map<String, String> sweepIds = Map.of();

    private Map<String, Integer> sweepPlaces = Map.of();
    /** The sweeps pages have open lately, at their version: the few a person looks at, not all (access order). */
    private final Map<String, Sweep> sweepCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sweep> eldest) {
            return size() > SWEEPS_CACHED;
        }
    };

    private static final int SWEEPS_CACHED = 8;

    private record Sweep(long version, byte[] script) {}

    PageScripts(ReportBuilder report, LongSupplier version) {
        this.report = report;
        this.version = version;
    }

    /** The index of sweeps, as {@link LiveFeed#pageData} gives it. */
    byte[] pageData() {
        long v;
        synchronized (this) {
            v = version.getAsLong();
            if (v == cachedVersion) {
                return cachedPage;
            }
        }
        Report now = report.overview(true);
        byte[] data = HtmlReport.dataScript(now);
        Map<String, String> ids = new HashMap<>();
        Map<String, Integer> places = new HashMap<>();
        for (Report.SweepView s : now.sweeps()) {
            String key = SweepIndex.key(s.sweepId());
            ids.put(key, s.sweepId());
            places.put(key, places.size() + 1);
        }
        synchronized (this) {
            if (v > cachedVersion) {
                cachedVersion = v;
                cachedPage = data;
                sweepIds = ids;
                sweepPlaces = places;
            }
        }
        return data;
    }

    /** One sweep in detail, as {@link LiveFeed#sweepData} gives it. */
    Optional<byte[]> sweepData(String key) {
        pageData();
        String sweepId;
        int place;
        synchronized (this) {
            sweepId = sweepIds.get(key);
            if (sweepId == null) {
                return Optional.empty();
            }
            place = sweepPlaces.get(key);
        }
        Optional<Report> now = report.sweep(sweepId, true);
        if (now.isEmpty()) {
            return Optional.empty();
        }
        Report.SweepView sweep = now.get().sweeps().get(0);
        synchronized (this) {
            Sweep cached = sweepCache.get(key);
            if (cached != null && cached.version() == sweep.version()) {
                return Optional.of(cached.script());
            }
        }
        byte[] script = HtmlReport.sweepScript(now.get(), sweep, place);
        synchronized (this) {
            sweepCache.put(key, new Sweep(sweep.version(), script));
        }
        return Optional.of(script);
    }
}
