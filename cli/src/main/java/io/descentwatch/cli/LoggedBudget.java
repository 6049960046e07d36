package io.descentwatch.cli;

import picocli.CommandLine;

/**
 * The planned last epoch the offline advice is told for runs whose events do not tell their own (tag
 * {@code max_epochs}), as a trainer tells it live: none, one number for every run, or each run's last logged epoch.
 *
 * @param kind   which of the three
 * @param epochs the number, for {@link Kind#FIXED}; 0 otherwise
 */
record LoggedBudget(Kind kind, long epochs) {

    enum Kind {
        /** The advice is told nothing: where no second descent comes, it waits to the end of the run. */
        NONE,
        /** Every run planned to this epoch. */
        FIXED,
        /** Each run planned to the last epoch it logged: a finished log says how long its runs went. */
        LAST_LOGGED
    }

    static final String VALUES = "a whole number of at least 1, 'last' (each run's last logged epoch) or 'none'";

    /** {@code none}, {@code last} or a whole number of at least 1. */
    static LoggedBudget parse(String value) {
        String v = value.strip();
        if (v.equalsIgnoreCase("none")) {
            return new LoggedBudget(Kind.NONE, 0);
        }
        if (v.equalsIgnoreCase("last")) {
            return new LoggedBudget(Kind.LAST_LOGGED, 0);
        }
        try {
            long epochs = Long.parseLong(v);
            if (epochs >= 1) {
                return new LoggedBudget(Kind.FIXED, epochs);
            }
        } catch (NumberFormatException e) {
            // named below with the valid values
        }
        throw new IllegalArgumentException("'" + value + "' is not " + VALUES);
    }

    /** picocli's converter: a refused value names the flag and the valid values, and the command exits 2. */
    static final class Converter implements CommandLine.ITypeConverter<LoggedBudget> {
        @Override
        public LoggedBudget convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
