package io.descentwatch.serve;

/**
 * A setting serve cannot run with (a malformed address, a taken port, a data directory in use), its message naming
 * the flag: a usage error for the command line, unlike any other exception from starting serve, which is a fault.
 */
public final class BadSettingException extends IllegalArgumentException {

    public BadSettingException(String message) {
        super(message);
    }

    public BadSettingException(String message, Throwable cause) {
        super(message, cause);
    }
}
