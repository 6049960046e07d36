package io.descentwatch.producer.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.producer.datasets.DatasetLoadersTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MLP preset's plumbing on the data a user brings: parameter counts, outputs, errors. */
class MlpLabelNoisePresetTest {

    @TempDir
    Path tmp;

    @Test
    void quickWidthsAroundTheThresholdShowAModelWisePeak() throws Exception {
        // n = 100, 4 classes: p = n * classes = 400 at h ~ 26; h = 32 (p/nK = 1.2) just interpolates the noise
        MemoryOutput sink =
                MemoryOutput.train(MlpLabelNoisePreset.NAME, true, Map.of("widths", "8,32,128", "test-size", "500"), 2);
        List<EpochEvent> finals = sink.finals();
        StringBuilder curve = new StringBuilder("mlp final test loss by p/(n k):");
        finals.forEach(e -> curve.append(String.format(
                " %.2f=%.4f (train %.1e, error %.3f)", e.pOverN(), e.testLoss(), e.trainLoss(), e.testError())));
        System.out.println(curve);
        assertThat(finals).extracting(EpochEvent::paramCount).containsExactly(124L, 484L, 1924L);
        EpochEvent small = finals.get(0);
        EpochEvent threshold = finals.get(1);
        EpochEvent large = finals.get(2);
        assertThat(threshold.trainLoss()).as("interpolates").isLessThan(0.01);
        assertThat(threshold.testLoss())
                .as(curve.toString())
                .isGreaterThan(1.2 * small.testLoss())
                .isGreaterThan(1.2 * large.testLoss());
    }

    @Test
    void trainsOnACsvFileAndCountsEveryTrainableParameter() throws Exception {
        Path csv = tmp.resolve("blobs.csv");
        StringBuilder lines = new StringBuilder("x1,x2,x3,class\n");
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 120; i++) {
            int c = i % 3;
            lines.append(String.format(
                    java.util.Locale.ROOT,
                    "%.4f,%.4f,%.4f,c%d%n",
                    3 * c + r.nextGaussian(),
                    r.nextGaussian(),
                    100 + 10 * r.nextGaussian(),
                    c));
        }
        Files.writeString(csv, lines);
        MemoryOutput sink = MemoryOutput.train(
                MlpLabelNoisePreset.NAME,
                true,
                Map.of(
                        "dataset",
                        "csv:" + csv,
                        "label-column",
                        "class",
                        "train-size",
                        "60",
                        "test-size",
                        "60",
                        "widths",
                        "5",
                        "epochs",
                        "300",
                        "label-noise",
                        "0"),
                1);
        List<EpochEvent> events = sink.events;
        EpochEvent last = events.get(events.size() - 1);
        assertThat(last.isFinal()).isTrue();
        assertThat(last.paramCount()).isEqualTo(5 * (3 + 1) + (5 + 1) * 3);
        assertThat(last.outputDim()).isEqualTo(3);
        assertThat(last.trainSize()).isEqualTo(60);
        assertThat(last.testError()).isLessThan(0.2);
        assertThat(last.tags()).containsEntry("classes", "3").containsEntry("input_dim", "3");
    }

    @Test
    void trainsOnMnistIdxFiles() throws Exception {
        DatasetLoadersTestSupport.writeIdx(
                tmp.resolve("train-images-idx3-ubyte"), tmp.resolve("train-labels-idx1-ubyte"), 40);
        MemoryOutput sink = MemoryOutput.train(
                MlpLabelNoisePreset.NAME,
                true,
                Map.of(
                        "dataset",
                        "mnist:" + tmp,
                        "train-size",
                        "20",
                        "test-size",
                        "20",
                        "widths",
                        "3",
                        "epochs",
                        "20",
                        "eval",
                        "10"),
                1);
        EpochEvent last = sink.events.get(sink.events.size() - 1);
        assertThat(last.epoch()).isEqualTo(20);
        assertThat(last.outputDim()).isEqualTo(10);
        assertThat(last.paramCount()).isEqualTo(3 * (6 + 1) + (3 + 1) * 10);
    }
}
