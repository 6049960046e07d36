package io.descentwatch.producer.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MNIST IDX and CSV loaders on small files written here: nothing is downloaded. */
class DatasetLoadersTest {

    @TempDir
    Path tmp;

    /** Writes an IDX pair of {@code count} 2x3 images whose pixel j of image i is 10 i + j, labels i mod 10. */
    static void writeIdx(Path images, Path labels, int count, boolean gzip) throws IOException {
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        DataOutputStream i = new DataOutputStream(img);
        i.writeInt(MnistIdx.IMAGES_MAGIC);
        i.writeInt(count);
        i.writeInt(2);
        i.writeInt(3);
        for (int k = 0; k < count; k++) {
            for (int j = 0; j < 6; j++) {
                i.writeByte(10 * k + j);
            }
        }
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        DataOutputStream l = new DataOutputStream(lab);
        l.writeInt(MnistIdx.LABELS_MAGIC);
        l.writeInt(count);
        for (int k = 0; k < count; k++) {
            l.writeByte(k % 10);
        }
        write(images, img.toByteArray(), gzip);
        write(labels, lab.toByteArray(), gzip);
    }

    private static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out =
                gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }

    @Test
    void readsMnistIdxPlainAndGzipped() throws IOException {
        writeIdx(tmp.resolve("train-images-idx3-ubyte"), tmp.resolve("train-labels-idx1-ubyte"), 12, false);
        LabelledData plain = MnistIdx.readDirectory(tmp, 0);
        assertThat(plain.size()).isEqualTo(12);
        assertThat(plain.dimension()).isEqualTo(6);
        assertThat(plain.classes()).isEqualTo(10);
        assertThat(plain.labels()[11]).isEqualTo(1);
        assertThat(plain.x()[3][2]).isEqualTo(32 / 255.0);

        Path gz = Files.createDirectory(tmp.resolve("gz"));
        writeIdx(gz.resolve("train-images-idx3-ubyte.gz"), gz.resolve("train-labels-idx1-ubyte.gz"), 12, true);
        LabelledData zipped = MnistIdx.readDirectory(gz, 5);
        assertThat(zipped.size()).isEqualTo(5);
        assertThat(zipped.x()[4]).containsExactly(plain.x()[4]);
    }

    @Test
    void rejectsMismatchedOrForeignIdxFiles() throws IOException {
        writeIdx(tmp.resolve("a-images"), tmp.resolve("a-labels"), 4, false);
        writeIdx(tmp.resolve("b-images"), tmp.resolve("b-labels"), 5, false);
        assertThatThrownBy(() -> MnistIdx.read(tmp.resolve("a-images"), tmp.resolve("b-labels"), 0))
                .hasMessageContaining("4 images")
                .hasMessageContaining("5 labels");
        assertThatThrownBy(() -> MnistIdx.read(tmp.resolve("a-labels"), tmp.resolve("a-labels"), 0))
                .hasMessageContaining("not an IDX images file");
        assertThatThrownBy(() -> MnistIdx.readDirectory(Files.createDirectory(tmp.resolve("empty")), 0))
                .hasMessageContaining("no train-images-idx3-ubyte");
    }

    @Test
    void readsCsvWithANamedOrNumberedLabelColumn() throws IOException {
        Path csv = tmp.resolve("iris.csv");
        Files.writeString(csv, """
                sepal,"petal, width",species
                5.1,0.2,setosa
                7.0,1.4,versicolor

                6.3,2.5,virginica
                4.9,0.2,setosa
                """);
        LabelledData byName = CsvDataset.read(csv, "species", true, ',');
        assertThat(byName.size()).isEqualTo(4);
        assertThat(byName.dimension()).isEqualTo(2);
        assertThat(byName.classes()).isEqualTo(3);
        assertThat(byName.labels()).containsExactly(0, 1, 2, 0);
        assertThat(byName.x()[2]).containsExactly(6.3, 2.5);

        Path noHeader = tmp.resolve("digits.csv");
        Files.writeString(noHeader, "10,0.5,1.5\n2,0.1,0.2\n10,0.3,0.3\n");
        LabelledData byIndex = CsvDataset.read(noHeader, "0", false, ',');
        // numeric labels number in numeric order: 2 before 10
        assertThat(byIndex.labels()).containsExactly(1, 0, 1);
        assertThat(CsvDataset.read(noHeader, "-1", false, ',').classes()).isEqualTo(3);
    }

    @Test
    void reportsABadCellWithItsLineAndColumn() throws IOException {
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "a,b,label\n1,2,x\n3,oops,y\n");
        assertThatThrownBy(() -> CsvDataset.read(csv, "label", true, ','))
                .hasMessageContaining("line 3 column 2")
                .hasMessageContaining("'oops' is not a number");
        assertThatThrownBy(() -> CsvDataset.read(csv, "class", true, ','))
                .hasMessageContaining("no column named 'class'");
        Files.writeString(csv, "a,b,label\n1,2,x\n3,y\n");
        assertThatThrownBy(() -> CsvDataset.read(csv, "label", true, ','))
                .hasMessageContaining("line 3: 2 columns, expected 3");
    }

    @Test
    void labelNoiseReplacesAboutTheRequestedFraction() {
        LabelledData clean =
                TeacherClassification.random(Seeds.stream(1, "teacher"), 5, 4).sample(Seeds.stream(1, "train"), 4000);
        LabelledData noisy = clean.withLabelNoise(Seeds.stream(1, "noise"), 0.2);
        long changed = java.util.stream.IntStream.range(0, 4000)
                .filter(i -> clean.labels()[i] != noisy.labels()[i])
                .count();
        // a replaced label is a uniform class, so a quarter of replacements keep the true one: 0.2 * 3/4 = 15 %
        assertThat(changed / 4000.0).isBetween(0.13, 0.17);
    }
}
