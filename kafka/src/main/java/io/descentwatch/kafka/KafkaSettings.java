package io.descentwatch.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * How every role reaches Kafka: the bootstrap address plus any client settings (SASL, TLS, timeouts) passed
 * through unchanged, from a properties file and/or repeated {@code --kafka-property} flags.
 */
public class KafkaSettings {

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            defaultValue = "${env:DW_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (env DW_BOOTSTRAP; default ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            defaultValue = "${env:DW_KAFKA_CONFIG}",
            description = "Kafka client properties file, e.g. security.protocol, sasl.*, ssl.* (env DW_KAFKA_CONFIG).")
    Path configFile;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "A Kafka client property; repeatable; wins over --kafka-config.")
    Map<String, String> properties = new LinkedHashMap<>();

    public KafkaSettings() {}

    public static KafkaSettings of(String bootstrap) {
        KafkaSettings s = new KafkaSettings();
        s.bootstrap = bootstrap;
        return s;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public KafkaSettings withProperty(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Client properties for any producer, consumer, admin or Streams app of this product. */
    public Properties clientProperties() {
        Properties p = new Properties();
        if (configFile != null) {
            try (InputStream in = Files.newInputStream(configFile)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --kafka-config " + configFile, e);
            }
        }
        p.putAll(properties);
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    /** The settings as a person may see them in a log line: secrets are replaced by a placeholder. */
    public String describe() {
        Map<String, Object> shown = new TreeMap<>();
        clientProperties().forEach((k, v) -> shown.put(k.toString(), isSecret(k.toString()) ? "[hidden]" : v));
        return shown.toString();
    }

    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("jaas")
                || k.contains("secret")
                || k.contains("token")
                || k.endsWith(".key")
                || k.contains("credential");
    }
}
