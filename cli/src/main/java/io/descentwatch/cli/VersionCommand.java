package io.descentwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        description = "Prints the DescentWatch version and the versions of Kafka and DL4J it was built with.")
final class VersionCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        for (String line : lines()) {
            spec.commandLine().getOut().println(line);
        }
    }

    static String[] lines() {
        Properties p = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/descentwatch-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String[] {
            "descentwatch " + p.getProperty("version", "unknown"),
            "kafka " + p.getProperty("kafka", "unknown") + ", dl4j " + p.getProperty("dl4j", "unknown") + ", java "
                    + System.getProperty("java.version")
        };
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
