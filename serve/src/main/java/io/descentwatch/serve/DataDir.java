package io.descentwatch.serve;

import io.descentwatch.broker.ScratchDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The directory serve keeps everything in ({@code kafka/}: the broker's topics; {@code streams/}: the detector's
 * state), held with a lock for as long as serve runs, so that a second serve on it is refused with a clear
 * message instead of two brokers fighting over one log directory.
 */
public final class DataDir implements AutoCloseable {

    private static final String LOCK = "serve.lock";
    private static final String KAFKA = "kafka";
    private static final String STREAMS = "streams";

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDir(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code path} (creating it if missing); with {@code fresh}, deletes what an earlier serve kept there
     * (only its own two folders: nothing else in the directory is touched).
     *
     * @throws BadSettingException when another serve holds it or it cannot be created; the message names
     *                                  --data-dir
     */
    public static DataDir open(Path path, boolean fresh) {
        Path dir = path.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new BadSettingException("--data-dir " + dir + " is in use by another descentwatch serve; "
                        + "stop it, or give this one another --data-dir");
            }
            DataDir d = new DataDir(dir, channel, lock);
            if (fresh) {
                new ScratchDirectory(d.kafka()).close();
                new ScratchDirectory(d.streams()).close();
            }
            return d;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new BadSettingException("--data-dir " + dir + ": cannot use it: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // broad, and rethrown: whatever failed, the lock file's channel is let go
            closeQuietly(channel);
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public Path kafka() {
        return path.resolve(KAFKA);
    }

    public Path streams() {
        return path.resolve(STREAMS);
    }

    /** Whether an earlier serve left a broker's data here (so this start resumes it). */
    public boolean hasData() {
        return Files.exists(kafka().resolve("logs").resolve("meta.properties"));
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock on " + path, e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing holds it any more either way
            }
        }
    }
}
