package io.descentwatch.bench;

import io.descentwatch.options.CommandLines;

/**
 * The benchmarks as a program of their own, run by {@code ./descentwatch bench ...}: they start the test kit's
 * servers and carry JMH, none of which belongs in the product's classpath.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) {
        System.exit(CommandLines.configured(new BenchCommand())
                .setCommandName("descentwatch bench")
                .execute(args));
    }
}
