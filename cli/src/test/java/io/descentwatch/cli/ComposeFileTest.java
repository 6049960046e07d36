package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks docker-compose.yml without a Docker engine: every app service's command is a valid CLI invocation,
 * images are pinned, mounted paths exist, and no password has a default value.
 */
class ComposeFileTest {

    private static final Path ROOT =
            Path.of(System.getProperty("descentwatch.repo.root", "..")).toAbsolutePath();
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
            if (!isApp(s.getValue())) {
                continue;
            }
            @SuppressWarnings("unchecked")
            List<String> command = ((List<String>) s.getValue().get("command"))
                    .stream().map(ComposeFileTest::withDefaults).toList();
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
                    assertThat(ROOT.resolve(host))
                            .as(s.getKey() + " mounts " + host)
                            .exists();
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
                .containsPattern("(?m)^INFLUXDB_ADMIN_PASSWORD=$")
                .containsPattern("(?m)^GRAFANA_ADMIN_PASSWORD=$");
    }

    @Test
    void noScalableServiceSharesANamedVolumeBetweenItsReplicas() throws IOException {
        // --scale gives every replica the same named volume; Kafka Streams locks its state directory, so a second
        // detector sharing the first one's state fails and restarts forever
        for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
            if (!s.getValue().containsKey("build")) {
                continue;
            }
            @SuppressWarnings("unchecked")
            List<String> volumes = (List<String>) s.getValue().getOrDefault("volumes", List.of());
            assertThat(volumes)
                    .as(s.getKey() + " volumes")
                    .allSatisfy(v -> assertThat(v).doesNotContain(":"));
        }
        assertThat(volumesOf("detector"))
                .as("the detector's state on a volume of its own")
                .contains("/app/state");
    }

    @Test
    void kafkaKeepsItsLogsOnItsVolumeUnderItsOwnClusterId() throws IOException {
        Map<String, String> env = environment("kafka");
        String mount = volumesOf("kafka").stream()
                .filter(v -> v.startsWith("kafka-data:"))
                .findFirst()
                .orElseThrow()
                .split(":")[1];
        // the image defaults an unset KAFKA_LOG_DIRS to a directory under /tmp, off the volume
        assertThat(env.get("KAFKA_LOG_DIRS")).isEqualTo(mount);
        // the image defaults CLUSTER_ID to one fixed id; a KRaft cluster id is a base64url UUID (22 characters)
        assertThat(withDefaults(env.get("CLUSTER_ID"))).matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    void trainersOnTheHostReachKafkaThroughAPublishedLocalhostListener() throws IOException {
        Map<String, String> env = environment("kafka");
        Map<String, String> advertised = listeners(withDefaults(env.get("KAFKA_ADVERTISED_LISTENERS")));
        Map<String, String> listening = listeners(env.get("KAFKA_LISTENERS"));
        Map.Entry<String, String> host = advertised.entrySet().stream()
                .filter(e -> e.getValue().startsWith("localhost:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no listener advertised on localhost: " + advertised));
        String hostPort = host.getValue().split(":")[1];
        String containerPort = listening.get(host.getKey()).split(":")[1];
        @SuppressWarnings("unchecked")
        List<String> ports = ((List<String>) services().get("kafka").getOrDefault("ports", List.of()))
                .stream().map(ComposeFileTest::withDefaults).toList();
        assertThat(ports)
                .as("published on this machine's loopback")
                .contains("127.0.0.1:" + hostPort + ":" + containerPort);
        assertThat(hostPort)
                .as("the port host-side tools default to (--bootstrap localhost:9092)")
                .isEqualTo("9092");
        // and the containers use the listener advertised under the service's own name
        String internal = advertised.get(env.get("KAFKA_INTER_BROKER_LISTENER_NAME"));
        assertThat(internal).startsWith("kafka:");
        for (String app : List.of("detector", "sink", "worker", "sweep")) {
            assertThat(environment(app).get("DW_BOOTSTRAP")).as(app).isEqualTo(internal);
        }
    }

    @Test
    void theOneShotSweepPlansItsSweepOnlyOnceAcrossUps() throws IOException {
        Map<String, Object> sweep = services().get("sweep");
        // started again when it failed (Kafka not ready), not when it succeeded
        assertThat(sweep.get("restart")).isEqualTo("on-failure");
        @SuppressWarnings("unchecked")
        List<String> command = ((List<String>) sweep.get("command"))
                .stream().map(ComposeFileTest::withDefaults).toList();
        // `docker compose up` starts an exited one-shot container again: only --once with a fixed id makes it idle
        assertThat(command).contains("--once", "--sweep-id");
        assertThat(command.get(command.indexOf("--sweep-id") + 1)).doesNotContain("$");
    }

    @Test
    void grafanasDefaultWebhookIsTheStacksNotificationLog() throws IOException {
        String url = withDefaults(environment("grafana").get("DW_WEBHOOK_URL"));
        URI uri = URI.create(url);
        assertThat(uri.getScheme()).isEqualTo("http");
        // localhost inside the Grafana container is Grafana itself: every notification would fail
        assertThat(uri.getHost())
                .isNotIn("localhost", "127.0.0.1")
                .isIn(services().keySet());
        @SuppressWarnings("unchecked")
        List<String> receiver = (List<String>) services().get(uri.getHost()).get("command");
        assertThat(receiver.get(0)).isEqualTo("notification-log");
        assertThat(receiver.get(receiver.indexOf("--port") + 1)).isEqualTo(String.valueOf(uri.getPort()));
        assertThat(receiver.get(receiver.indexOf("--bind") + 1)).isEqualTo("0.0.0.0");
        assertThat(Files.readString(ROOT.resolve("dashboards/provisioning/alerting/descent-alerts.yaml")))
                .contains("url: ${DW_WEBHOOK_URL}");
    }

    @Test
    void theStackRunsTheGrafanaTheDashboardsAreCheckedAgainst() throws IOException {
        String schema = new ObjectMapper()
                .readTree(ROOT.resolve("dashboards/typecheck/package.json").toFile())
                .path("devDependencies")
                .path("@grafana/schema")
                .asText();
        assertThat(services().get("grafana").get("image")).isEqualTo("grafana/grafana:" + schema);
    }

    @Test
    void passwordsStayOutOfGitAndOutOfTheImage() throws IOException {
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env", ".env.*", "!.env.example");
        assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains(".env");
    }

    @Test
    void theReadmesModuleTableListsExactlyTheModules() throws IOException {
        List<String> modules = new java.util.ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (module.find()) {
            modules.add(module.group(1));
        }
        String readme = Files.readString(ROOT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("| module | what it is |"));
        table = table.substring(0, table.indexOf("\n\n"));
        List<String> listed = table.lines()
                .map(l -> l.split("\\|"))
                .filter(c -> c.length > 1)
                .map(c -> c[1].trim())
                .filter(c -> c.startsWith("`"))
                .map(c -> c.replace("`", ""))
                .filter(m -> !m.contains("/"))
                .toList();
        assertThat(listed).as("README's module table").containsExactlyInAnyOrderElementsOf(modules);
    }

    @Test
    void theImageCachesEveryModulesDependenciesOnAPinnedRuntimeForX8664() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (module.find()) {
            assertThat(dockerfile)
                    .as("the dependency layer copies %s's pom", module.group(1))
                    .contains("COPY " + module.group(1) + "/pom.xml " + module.group(1) + "/");
        }
        assertThat(dockerfile).as("a failing dependency download is not hidden").doesNotContain("|| true");
        List<String> froms =
                dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(froms.get(froms.size() - 1)).as("the runtime image").matches("FROM [^:]+:\\d+\\.\\d+\\.\\d+\\S*");
        for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
            if (isApp(s.getValue())) {
                assertThat(s.getValue().get("platform")).as(s.getKey()).isEqualTo("linux/amd64");
            }
        }
    }

    /** A service running the application image (every role but Kafka, InfluxDB and Grafana). */
    private static boolean isApp(Map<String, Object> service) {
        return String.valueOf(service.get("image")).startsWith("descentwatch:");
    }

    @Test
    void oneServiceBuildsTheImageTheOthersRunAndUpRebuildsIt() throws IOException {
        // Bake builds services with a build section concurrently: two exporting one tag fail a first `up`
        List<String> building = services().entrySet().stream()
                .filter(s -> s.getValue().containsKey("build"))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(building).containsExactly("detector");
        assertThat(services().get("detector").get("pull_policy")).isEqualTo("build");
        assertThat(services().values().stream().filter(ComposeFileTest::isApp).count())
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void healthchecksAskTheServicesEndpointsAndStartNoJvm() throws IOException {
        for (String app : List.of("detector", "sink")) {
            Map<String, String> env = environment(app);
            @SuppressWarnings("unchecked")
            List<String> test =
                    (List<String>) ((Map<String, Object>) services().get(app).get("healthcheck")).get("test");
            assertThat(String.join(" ", test))
                    .as(app)
                    .contains("curl", "http://localhost:" + env.get("DW_OPS_PORT") + "/health/live");
            assertThat(env.get("DW_OPS_BIND"))
                    .as(app + " reachable by a Prometheus in the network")
                    .isEqualTo("0.0.0.0");
            DescentWatchCommand.commandLine().parseArgs(app, "--ops-port", env.get("DW_OPS_PORT"));
        }
        for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
            Object check = s.getValue().get("healthcheck");
            assertThat(String.valueOf(check))
                    .as(s.getKey() + "'s healthcheck starts no Kafka tool (a JVM)")
                    .doesNotContain("kafka-")
                    .doesNotContain(".sh ");
        }
    }

    @Test
    void passwordsThatTheImagesWouldMangleStopInfluxdbAndGrafanaBeforeTheyWriteAnything() throws Exception {
        for (Map.Entry<String, String> service :
                Map.of("influxdb", "/entrypoint.sh", "grafana", "/run.sh").entrySet()) {
            @SuppressWarnings("unchecked")
            List<String> entrypoint =
                    (List<String>) services().get(service.getKey()).get("entrypoint");
            // as the container's shell runs it: Compose turns $$ into $; the image's own entrypoint becomes echo
            String script = entrypoint.get(2).replace("$$", "$").replace("exec " + service.getValue(), "exec echo");
            Map<String, String> env = new HashMap<>();
            for (Map.Entry<String, String> e : environment(service.getKey()).entrySet()) {
                env.put(e.getKey(), "Fine-pass_1.2~3+=@%,:");
            }
            assertThat(runShell(script, env))
                    .as(service.getKey() + " with allowed characters")
                    .isZero();
            for (String bad : List.of("pa$word", "it's", "back\\slash", "two words", "quo\"te", "`cmd`")) {
                for (String key : env.keySet().stream()
                        .filter(k -> k.contains("PASSWORD"))
                        .toList()) {
                    Map<String, String> one = new HashMap<>(env);
                    one.put(key, bad);
                    assertThat(runShell(script, one))
                            .as(service.getKey() + " " + key + "=" + bad)
                            .isEqualTo(1);
                }
            }
        }
        assertThat(Files.readString(ROOT.resolve(".env.example")))
                .contains("may hold only letters, digits", "Changing a password");
    }

    private static int runShell(String script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script, "--").redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void appsGetLongerToStopThanTheSinkTakesToCommitAndGrafanaKeepsItsState() throws IOException {
        for (Map.Entry<String, Map<String, Object>> s : services().entrySet()) {
            if (isApp(s.getValue())) {
                String grace = String.valueOf(s.getValue().get("stop_grace_period"));
                assertThat(Integer.parseInt(grace.replace("s", "")))
                        .as(s.getKey() + " stop grace (s)")
                        .isGreaterThan(15);
            }
        }
        assertThat(volumesOf("grafana")).anySatisfy(v -> assertThat(v).endsWith(":/var/lib/grafana"));
        @SuppressWarnings("unchecked")
        List<String> ports = (List<String>) services().get("grafana").get("ports");
        assertThat(withDefaults(ports.get(0)))
                .as("Grafana on loopback unless .env says otherwise")
                .startsWith("127.0.0.1:");
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumesOf(String service) throws IOException {
        return (List<String>) services().get(service).getOrDefault("volumes", List.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String service) throws IOException {
        Map<String, String> env = new HashMap<>();
        ((Map<String, Object>) services().get(service).get("environment"))
                .forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    /** NAME://host:port,... as NAME -> host:port. */
    private static Map<String, String> listeners(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : spec.split(",")) {
            String[] parts = l.split("://");
            out.put(parts[0], parts[1]);
        }
        return out;
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
