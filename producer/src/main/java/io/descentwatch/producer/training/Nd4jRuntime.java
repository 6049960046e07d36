package io.descentwatch.producer.training;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Sets up ND4J once per process: loads the native backend and fixes the threads each operation may use.
 *
 * <p>One single-threaded worker per core trains a sweep faster than one multi-threaded worker (the matrices here
 * are small: threads mostly wait on each other), and a fixed thread count makes results bit-identical from run
 * to run. The natives unpack into {@code org.bytedeco.javacpp.cachedir} (about 390 MB on first start).
 */
public final class Nd4jRuntime {

    private static int configuredThreads;

    private Nd4jRuntime() {}

    /** Loads ND4J and sets the OpenMP and BLAS threads per operation; later calls with the same count are free. */
    public static synchronized void configure(int threadsPerOperation) {
        if (threadsPerOperation < 1) {
            throw new IllegalArgumentException("threads per operation must be >= 1");
        }
        if (configuredThreads == threadsPerOperation) {
            return;
        }
        Nd4j.getBackend(); // loads the natives: NativeOpsHolder fails before that
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threadsPerOperation);
        Nd4j.getEnvironment().setMaxThreads(threadsPerOperation);
        Nd4j.factory().blas().setMaxThreads(threadsPerOperation);
        configuredThreads = threadsPerOperation;
    }
}
