package io.descentwatch.importers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** What an offline command reads: DescentWatch's own JSON lines, TensorBoard event files, or CSV logs. */
public enum LogFormat {
    /** Told by the input: a directory with event files is TensorBoard's, one with {@code *.csv} files CSV, a file by
     *  its name. */
    AUTO,
    JSONL,
    TENSORBOARD,
    CSV;

    /** The format of {@code input} when this is AUTO (files in {@code excluded}, such as the runs file, are not
     *  logs); this format otherwise. */
    public LogFormat resolve(Path input, Set<Path> excluded) throws IOException, ImportException {
        if (this != AUTO) {
            return this;
        }
        if (!Files.exists(input)) {
            throw new ImportException(input + ": no such file or directory");
        }
        if (Files.isRegularFile(input)) {
            String name = input.getFileName().toString();
            return TensorBoardReader.isEventFile(input) ? TENSORBOARD : name.endsWith(".csv") ? CSV : JSONL;
        }
        if (TensorBoardReader.holdsEventFiles(input)) {
            return TENSORBOARD;
        }
        if (CsvLogReader.holdsCsvFiles(input, excluded)) {
            return CSV;
        }
        throw new ImportException(
                input + ": no TensorBoard event files (*tfevents*) and no CSV logs (*.csv) under " + "this directory");
    }
}
