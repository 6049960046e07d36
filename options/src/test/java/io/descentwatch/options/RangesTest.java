package io.descentwatch.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

class RangesTest {

    static final class Settings {
        @Option(names = "--window", defaultValue = "5")
        @Range(min = "1", max = "51")
        int window;

        @Option(names = "--fraction", defaultValue = "0.5")
        @Range(above = "0", below = "1")
        double fraction;

        @Option(names = "--timeout", defaultValue = "PT1S")
        @Range(above = "PT0S", max = "PT1M")
        Duration timeout;

        @Option(names = "--rates", split = ",", defaultValue = "1,2")
        @Range(min = "1")
        List<Integer> rates;
    }

    @Test
    void valuesInsideTheirRangesPass() {
        Settings s = Ranges.parse(new Settings(), "--window", "51", "--fraction", "0.99", "--timeout", "PT1M");
        assertThat(s.window).isEqualTo(51);
        assertThat(Ranges.populate(new Settings()).rates).containsExactly(1, 2);
    }

    @Test
    void aValueOutsideItsRangeNamesTheFlagTheValueAndTheRange() {
        assertThatThrownBy(() -> Ranges.parse(new Settings(), "--window", "0"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid value for option '--window': 0 is out of range, valid: [1, 51]");
        assertThatThrownBy(() -> Ranges.parse(new Settings(), "--fraction", "1"))
                .hasMessageContaining("--fraction")
                .hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> Ranges.parse(new Settings(), "--fraction", "NaN"))
                .hasMessageContaining("--fraction");
        assertThatThrownBy(() -> Ranges.parse(new Settings(), "--timeout", "PT0S"))
                .hasMessageContaining("--timeout")
                .hasMessageContaining("(PT0S, PT1M]");
        assertThatThrownBy(() -> Ranges.parse(new Settings(), "--rates", "5,0"))
                .hasMessageContaining("--rates")
                .hasMessageContaining("at least 1");
    }

    @Test
    void aValueSetInCodeIsCheckedToo() {
        Settings s = Ranges.populate(new Settings());
        s.window = 99;
        assertThatThrownBy(() -> Ranges.check(s)).hasMessageContaining("--window");
    }

    @Test
    void theExampleOutsideARangeIsOutsideIt() {
        for (Bounds b : List.of(
                Bounds.closed(1, 51), Bounds.open(0, 1), Bounds.atLeast(0.25), Bounds.of(rangeOf("timeout"), true))) {
            String outside = b.outsideExample();
            Object value = outside.startsWith("PT") ? Duration.parse(outside) : Double.parseDouble(outside);
            assertThat(b.contains(value)).as(b.describe() + " " + outside).isFalse();
        }
    }

    private static Range rangeOf(String field) {
        try {
            return Settings.class.getDeclaredField(field).getAnnotation(Range.class);
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }
}
