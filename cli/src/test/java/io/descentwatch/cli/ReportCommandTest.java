package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.testkit.LabelledCurves;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `descentwatch report` over logged runs: the HTML report, a PNG per chart, and bad lines named. */
class ReportCommandTest {

    @Test
    void writesThePageAndOnePngPerChartAndNamesRejectedLines(@TempDir Path tmp) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(LabelledCurves.modelwise())) {
            if (line.contains("\"sweep_id\":\"mw-m00\"") || line.contains("\"sweep_id\":\"mw-m01\"")) {
                lines.add(line);
            }
        }
        lines.add(3, "{\"schema\":\"descentwatch.epoch/v1\",\"run_id\":\"x\"}");
        Path input = tmp.resolve("events.jsonl");
        Files.write(input, lines);
        Path out = tmp.resolve("report");

        CommandRun run = CommandRun.of("report", "--input", input.toString(), "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("line 4: MISSING_FIELD").contains("1 lines rejected");
        assertThat(run.out()).contains("sweep mw-m00").contains("sweep mw-m01").contains("report: file:");
        assertThat(out.resolve("index.html")).isRegularFile();
        assertThat(Files.readString(out.resolve("data.js"))).contains("mw-m00").contains("\"live\":false");
        try (Stream<Path> pngs = Files.list(out.resolve("png"))) {
            List<Path> files = pngs.toList();
            // per sweep: loss against size and loss against epoch
            assertThat(files).hasSize(4);
            for (Path png : files) {
                assertThat(ImageIO.read(png.toFile())).as(png.toString()).isNotNull();
            }
        }
    }

    @Test
    void theOutputDirectoryIsRequired() {
        CommandRun run = CommandRun.of("report", "--input", "x.jsonl");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--out");
    }
}
