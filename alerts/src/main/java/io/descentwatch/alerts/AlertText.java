package io.descentwatch.alerts;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertWording;

import java.util.Locale;

/** The one-line text form of an alert, for terminals and logs. */
public final class AlertText {

    private AlertText() {
    }

    public static String line(Alert a) {
        String time = a.time().toString().replace('T', ' ');
        int dot = time.indexOf('.');
        if (dot > 0) {
            time = time.substring(0, dot) + "Z";
        }
        return String.format(Locale.ROOT, "%s %-23s p/n %-6s %s", time, a.type().name(),
                AlertWording.num(a.pOverN()), a.message());
    }
}
