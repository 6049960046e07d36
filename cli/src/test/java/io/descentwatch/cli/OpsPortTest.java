package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A taken --ops-port is a flag error (exit 2, one line naming the flag) before the service starts anything. */
class OpsPortTest {

    @Test
    void aTakenOpsPortStopsDetectorAndSinkWithAFlagError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            // nothing listens on the bootstrap address: had the command got that far, it would hang or fail there
            for (String role : new String[] {"detector", "sink"}) {
                CommandRun run = CommandRun.of(role, "--bootstrap", "127.0.0.1:1", "--ops-port", port);
                assertThat(run.exitCode()).as(role + ": " + run.err()).isEqualTo(2);
                assertThat(run.err()).contains("--ops-port " + port, "cannot listen there");
            }
        }
    }
}
