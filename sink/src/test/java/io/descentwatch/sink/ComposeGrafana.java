package io.descentwatch.sink;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The Grafana version the compose stack runs: the version every dashboard panel must be written for. */
final class ComposeGrafana {

    private ComposeGrafana() {}

    static String version() {
        Path compose =
                Path.of(System.getProperty("descentwatch.repo.root", "..")).resolve("docker-compose.yml");
        try {
            String image = new YAMLMapper()
                    .readTree(compose.toFile())
                    .path("services")
                    .path("grafana")
                    .path("image")
                    .asText();
            if (!image.startsWith("grafana/grafana:")) {
                throw new IllegalStateException("docker-compose.yml runs no grafana/grafana image: " + image);
            }
            return image.substring("grafana/grafana:".length());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + compose, e);
        }
    }
}
