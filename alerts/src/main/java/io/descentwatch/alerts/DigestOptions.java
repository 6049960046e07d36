package io.descentwatch.alerts;

import io.descentwatch.options.Range;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How a subscriber's run alerts are gathered per sweep: {@code --digest-window} and {@code --per-alert}. */
public final class DigestOptions {

    @Option(
            names = "--digest-window",
            paramLabel = "DURATION",
            defaultValue = "${env:DW_ALERTS_DIGEST_WINDOW:-PT1M}",
            description = "Run alerts of one sweep that come within this long of its first are printed and posted "
                    + "as one digest (per type: how many runs, which); sweep alerts never wait. 1 min: long enough "
                    + "to gather the runs of a sweep that reach the same stage together (the README's PyTorch "
                    + "example: 48 run alerts over 25 s, at most 2 s apart, one line), short next to the training "
                    + "it reports on; a channel gets at most one run-alert message per sweep a minute, not one per "
                    + "run; 1 s to 1 h (env DW_ALERTS_DIGEST_WINDOW; default ${DEFAULT-VALUE}).")
    @Range(min = "PT1S", max = "PT1H")
    public Duration window;

    @Option(
            names = "--per-alert",
            defaultValue = "${env:DW_ALERTS_PER_ALERT:-false}",
            description = "No digests: one line and one post per alert, at once, as before digests "
                    + "(env DW_ALERTS_PER_ALERT).")
    public boolean perAlert;

    /** How long a sweep's first run alert waits for others: zero for one alert at a time. */
    public Duration effectiveWindow() {
        return perAlert ? Duration.ZERO : window;
    }
}
