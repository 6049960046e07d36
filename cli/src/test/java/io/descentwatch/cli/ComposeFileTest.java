package io.descentwatch.cli;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks docker-compose.yml without a Docker engine: every app service's command is a valid CLI invocation,
 * images are pinned, mounted paths exist, and no password has a default value.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of(System.getProperty("descentwatch.repo.root", "..")).toAbsolutePath();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(?::?[-?]([^}]*))?}");

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void everyAppServiceCommandParsesAsACliInvocation() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
            if (!s.getValue().containsKey("build")) {
                continue;
            }
            @SuppressWarnings("unchecked")
            List<String> command = ((List<String>) s.getValue().get("command")).stream()
                    .map(ComposeFileTest::withDefaults).toList();
            DescentWatchCommand.commandLine().parseArgs(command.toArray(String[]::new));
            checked.add(s.getKey());
        }
        assertThat(checked).contains("detector", "sink", "worker", "sweep");
    }

    @Test
    void everyImageIsPinnedToAVersion() throws IOException {
        for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
            String image = (String) s.getValue().get("image");
            assertThat(image).as(s.getKey()).isNotNull().matches("[^:]+:\\d[\\w.-]*");
        }
    }

    @Test
    void everyMountedPathExists() throws IOException {
        for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
            @SuppressWarnings("unchecked")
            List<String> volumes = (List<String>) s.getValue().getOrDefault("volumes", List.of());
            for (String v : volumes) {
                String host = v.split(":")[0];
                if (host.startsWith("./")) {
                    assertThat(ROOT.resolve(host)).as(s.getKey() + " mounts " + host).exists();
                }
            }
        }
    }

    @Test
    void noPasswordHasADefault() throws IOException {
        for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
            Object env = s.getValue().get("environment");
            if (!(env instanceof Map<?, ?> vars)) {
                continue;
            }
            vars.forEach((k, v) -> {
                if (k.toString().contains("PASSWORD")) {
                    assertThat(String.valueOf(v)).as(s.getKey() + " " + k).matches("\\$\\{[A-Z_]+(:\\?[^}]*)?}");
                }
            });
        }
        assertThat(Files.readString(ROOT.resolve(".env.example")))
                .containsPattern("(?m)^INFLUXDB_ADMIN_PASSWORD=$").containsPattern("(?m)^GRAFANA_ADMIN_PASSWORD=$");
    }

    /** Compose substitutes ${VAR:-default}; with no .env, the default is what runs. */
    private static String withDefaults(String arg) {
        Matcher m = VARIABLE.matcher(arg);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
