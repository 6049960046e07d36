package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.LoopbackPorts;
import io.descentwatch.broker.ScratchDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python client's subscription (alerts, advice, callbacks), its Sweep helper and the README's Optuna example
 * against a real {@code serve} in a process of its own: pytest runs {@code clients/python/serve_tests} with real
 * PyTorch training and real Optuna (Debian's python3-torch and python3-optuna, or DW_PYTHON).
 */
class PythonAgainstServeTest {

    private static final Path ROOT = Path.of(System.getProperty("descentwatch.repo.root", ".."))
            .toAbsolutePath()
            .normalize();

    @Test
    void subscriptionSweepAndTheOptunaPrunerWorkAgainstServe() throws Exception {
        int kafkaPort = LoopbackPorts.free();
        int httpPort = LoopbackPorts.free();
        try (ScratchDirectory data = ScratchDirectory.create("serve-python-");
                CliProcess serve = CliProcess.start(
                        "serve-python",
                        List.of(
                                "serve",
                                "--kafka",
                                "127.0.0.1:" + kafkaPort,
                                "--http",
                                "127.0.0.1:" + httpPort,
                                "--data-dir",
                                data.path().toString(),
                                "--fresh"),
                        Map.of())) {
            serve.awaitOutput("live page at", Duration.ofMinutes(2));
            String python = System.getenv().getOrDefault("DW_PYTHON", "/usr/bin/python3");
            Path tests = ROOT.resolve("clients/python/serve_tests");
            ProcessBuilder pytest = new ProcessBuilder(
                            python,
                            "-m",
                            "pytest",
                            "-q",
                            "-p",
                            "no:cacheprovider",
                            "-rs",
                            tests.resolve("check_subscribe.py").toString(),
                            tests.resolve("check_optuna_example.py").toString())
                    .redirectErrorStream(true);
            pytest.environment().put("DW_SERVE_URL", "http://127.0.0.1:" + httpPort);
            pytest.environment().put("DW_SERVE_BOOTSTRAP", "127.0.0.1:" + kafkaPort);
            pytest.environment().put("OMP_NUM_THREADS", "1");
            Process p = pytest.start();
            boolean ended = p.waitFor(6, TimeUnit.MINUTES);
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(ended).as("pytest within 6 minutes:\n" + out).isTrue();
            assertThat(p.exitValue()).as(out + "\nserve:\n" + serve.output()).isZero();
            // every check ran: none skipped for want of a serve or a package
            assertThat(out).contains("4 passed").doesNotContain("skipped");
        }
    }
}
