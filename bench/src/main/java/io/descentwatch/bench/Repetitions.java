package io.descentwatch.bench;

import io.descentwatch.options.Range;
import picocli.CommandLine.Option;

/** {@code --repetitions}: how often a benchmark measures; its tables give the median and every value. */
final class Repetitions {

    @Option(
            names = "--repetitions",
            defaultValue = "3",
            description = "Repetitions, alternating with the baseline where there is one; the tables give their "
                    + "median and each value (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1000")
    int count;
}
