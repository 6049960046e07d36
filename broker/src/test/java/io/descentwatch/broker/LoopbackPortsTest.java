package io.descentwatch.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void portsAskedForOneAfterTheOtherAreDistinctThoughNoneIsBoundInBetween() {
        // the kernel hands back a just-released port often enough that a few hundred unbound asks repeat one
        // without the guard; serve's client port and its broker's controller port once collided this way
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            assertThat(ports.add(LoopbackPorts.free())).as("ask %d", i).isTrue();
        }
        assertThat(ports).allSatisfy(port -> assertThat(port).isBetween(1, 65_535));
    }
}
