package io.descentwatch.importers;

/** Input that cannot be imported at all (no logs found, a bad runs file); the message names the file. */
public final class ImportException extends Exception {
    public ImportException(String message) {
        super(message);
    }
}
