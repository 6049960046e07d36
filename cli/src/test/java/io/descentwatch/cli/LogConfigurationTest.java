package io.descentwatch.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks run with the test kit on their class path, and log4j prefers its {@code log4j2-test.xml} to the
 * command's {@code log4j2.xml}: the two must configure the same, or a benchmark logs what the product does not.
 */
class LogConfigurationTest {

    @Test
    void theTestKitsLogConfigurationIsTheCommands() throws IOException {
        assertThat(configuration("log4j2-test.xml")).isEqualTo(configuration("log4j2.xml"));
    }

    /** From the configuration element on: the comment before it says why each file is there, and differs. */
    private static String configuration(String resource) throws IOException {
        try (InputStream in = LogConfigurationTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("%s on the class path", resource).isNotNull();
            String xml = new String(in.readAllBytes(), UTF_8);
            assertThat(xml).as(resource).contains("<Configuration");
            return xml.substring(xml.indexOf("<Configuration"));
        }
    }
}
