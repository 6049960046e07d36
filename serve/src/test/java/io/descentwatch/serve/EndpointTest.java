package io.descentwatch.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void hostAndPortAreParsedIncludingBracketedIpv6() {
        assertThat(Endpoint.parse("--kafka", "localhost:9092")).isEqualTo(new Endpoint("localhost", 9092));
        assertThat(Endpoint.parse("--http", " 0.0.0.0:8080 ")).isEqualTo(new Endpoint("0.0.0.0", 8080));
        Endpoint v6 = Endpoint.parse("--http", "[::1]:8080");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6).hasToString("[::1]:8080");
    }

    @Test
    void malformedValuesNameTheFlagAndWhatIsValid() {
        assertThatThrownBy(() -> Endpoint.parse("--kafka", "localhost"))
                .hasMessageContaining("--kafka must be " + "HOST:PORT");
        assertThatThrownBy(() -> Endpoint.parse("--kafka", ":9092")).hasMessageContaining("--kafka must be");
        assertThatThrownBy(() -> Endpoint.parse("--http", "h:80a"))
                .hasMessageContaining("--http")
                .hasMessageContaining("numeric port");
        assertThatThrownBy(() -> Endpoint.parse("--http", "h:0")).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> Endpoint.parse("--http", "h:65536")).hasMessageContaining("1..65535");
    }

    @Test
    void aTakenPortIsReportedWithTheFlag() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Endpoint e = new Endpoint("127.0.0.1", taken.getLocalPort());
            assertThatThrownBy(() -> e.checkFree("--kafka"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--kafka 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void aHostThatIsNotThisMachineCannotBeListenedOn() {
        // TEST-NET-1 (RFC 5737): never an address of this machine
        assertThatThrownBy(() -> new Endpoint("192.0.2.1", 9092).checkFree("--kafka"))
                .hasMessageContaining("--kafka 192.0.2.1:9092: cannot listen there");
    }
}
