package io.descentwatch.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A confusion count for one alert type against one label, with the cases that went wrong kept for messages. */
final class Score {

    final String name;
    int truePositives;
    int falsePositives;
    int falseNegatives;
    int trueNegatives;
    final List<String> misses = new ArrayList<>();
    final List<String> falseAlarms = new ArrayList<>();

    Score(String name) {
        this.name = name;
    }

    void add(String id, boolean expected, boolean fired) {
        if (expected && fired) {
            truePositives++;
        } else if (expected) {
            falseNegatives++;
            misses.add(id);
        } else if (fired) {
            falsePositives++;
            falseAlarms.add(id);
        } else {
            trueNegatives++;
        }
    }

    double precision() {
        int fired = truePositives + falsePositives;
        return fired == 0 ? 1.0 : (double) truePositives / fired;
    }

    double recall() {
        int expected = truePositives + falseNegatives;
        return expected == 0 ? 1.0 : (double) truePositives / expected;
    }

    String row() {
        return String.format(
                Locale.ROOT,
                "| %-36s | %4d | %4d | %4d | %4d | %9.3f | %6.3f |",
                name,
                truePositives,
                falsePositives,
                falseNegatives,
                trueNegatives,
                precision(),
                recall());
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "| %-36s | %4s | %4s | %4s | %4s | %9s | %6s |%n|%s|",
                "alert vs label",
                "TP",
                "FP",
                "FN",
                "TN",
                "precision",
                "recall",
                "-".repeat(89));
    }

    String problems() {
        return name + ": missed " + misses + ", false alarms " + falseAlarms;
    }
}
