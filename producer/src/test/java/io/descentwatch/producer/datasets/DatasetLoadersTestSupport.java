package io.descentwatch.producer.datasets;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests in other packages write small IDX files. */
public final class DatasetLoadersTestSupport {

    private DatasetLoadersTestSupport() {}

    public static void writeIdx(Path images, Path labels, int count) throws IOException {
        DatasetLoadersTest.writeIdx(images, labels, count, false);
    }
}
