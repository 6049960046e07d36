package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `descentwatch demo` as a user runs it, in a process of its own: stopped with SIGTERM (what Ctrl-C's SIGINT
 * also triggers: the JVM's shutdown hooks) while it trains, it exits promptly and leaves no directories behind.
 */
class DemoCommandTest {

    @Test
    void sigtermStopsTheDemoPromptlyAndCleanly(@TempDir Path tmp) throws Exception {
        Path scratchTmp = Files.createDirectories(tmp.resolve("tmp"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + scratchTmp,
                "-Duser.home=" + home,
                "-Dorg.bytedeco.javacpp.cachedir=" + Path.of(System.getProperty("user.home"), ".javacpp", "cache"),
                "-cp",
                System.getProperty("java.class.path"),
                DescentWatchCommand.class.getName(),
                "demo",
                "--report-dir",
                tmp.resolve("report").toString());
        Process demo = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder printed = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (printed) {
                        printed.append(line).append('\n');
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!text(printed).contains("live report") && System.nanoTime() < deadline && demo.isAlive()) {
            Thread.sleep(200);
        }
        assertThat(text(printed)).as("the demo started").contains("live report");
        Thread.sleep(3000); // training under way

        // SIGTERM through the process handle: Process.destroy() would also close our end of its output
        demo.toHandle().destroy();
        boolean exited = demo.waitFor(60, TimeUnit.SECONDS);
        reader.join(5000);

        assertThat(exited)
                .as("exited within a minute of SIGTERM:\n" + text(printed))
                .isTrue();
        assertThat(text(printed)).as(text(printed)).contains("demo stopped");
        assertThat(contents(scratchTmp)).as("temporary directories left").isEmpty();
        assertThat(contents(home.resolve(".descentwatch/demo")))
                .as("state directories left")
                .isEmpty();
    }

    private static String text(StringBuilder b) {
        synchronized (b) {
            return b.toString();
        }
    }

    private static Set<Path> contents(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new HashSet<>(s.filter(p -> !p.getFileName().toString().startsWith("hsperfdata"))
                    .toList());
        }
    }
}
