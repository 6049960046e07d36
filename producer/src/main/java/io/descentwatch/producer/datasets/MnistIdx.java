package io.descentwatch.producer.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style IDX files (an images file of unsigned bytes, rows x cols per image, and a labels file), plain
 * or gzipped, as the user downloaded them: train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]. Pixels
 * become [0, 1]. Nothing is downloaded: DL4J's own fetchers do that at run time, which fails offline.
 */
public final class MnistIdx {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private MnistIdx() {}

    /** The training files of an MNIST directory (Fashion-MNIST and KMNIST use the same names). */
    public static LabelledData readDirectory(Path dir, int maxExamples) throws IOException {
        return read(find(dir, "train-images-idx3-ubyte"), find(dir, "train-labels-idx1-ubyte"), maxExamples);
    }

    /** Reads at most {@code maxExamples} examples (all when it is 0 or negative). */
    public static LabelledData read(Path images, Path labels, int maxExamples) throws IOException {
        try (DataInputStream img = open(images);
                DataInputStream lab = open(labels)) {
            int magic = img.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(images + ": not an IDX images file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x" + Integer.toHexString(IMAGES_MAGIC) + ")");
            }
            int count = img.readInt();
            int rows = img.readInt();
            int cols = img.readInt();
            int labelMagic = lab.readInt();
            if (labelMagic != LABELS_MAGIC) {
                throw new IOException(labels + ": not an IDX labels file (magic 0x" + Integer.toHexString(labelMagic)
                        + ", expected 0x" + Integer.toHexString(LABELS_MAGIC) + ")");
            }
            int labelCount = lab.readInt();
            if (labelCount != count) {
                throw new IOException(
                        images + " has " + count + " images but " + labels + " has " + labelCount + " labels");
            }
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw new IOException(images + ": bad dimensions " + count + " x " + rows + " x " + cols);
            }
            int n = maxExamples > 0 ? Math.min(maxExamples, count) : count;
            int pixels = rows * cols;
            double[][] x = new double[n][pixels];
            int[] y = new int[n];
            byte[] buffer = new byte[pixels];
            int maxLabel = 0;
            for (int i = 0; i < n; i++) {
                img.readFully(buffer);
                for (int j = 0; j < pixels; j++) {
                    x[i][j] = (buffer[j] & 0xff) / 255.0;
                }
                y[i] = lab.readUnsignedByte();
                maxLabel = Math.max(maxLabel, y[i]);
            }
            // MNIST has 10 classes even if a small prefix misses one; other IDX sets may have more
            return new LabelledData(x, y, Math.max(10, maxLabel + 1));
        } catch (EOFException e) {
            throw new IOException(images + " or " + labels + " ends before its header says", e);
        }
    }

    private static Path find(Path dir, String stem) throws IOException {
        for (String name :
                new String[] {stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("no " + stem + " (or .gz) in " + dir);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) { // gzip magic, whatever the file is called
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return new DataInputStream(in);
    }
}
