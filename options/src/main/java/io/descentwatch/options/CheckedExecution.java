package io.descentwatch.options;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * What runs between reading the command line and running the command: an unknown command is an error (even with
 * {@code --help} after it, which picocli would otherwise answer with the top-level help and exit 0), and every
 * option is checked against its range ({@link Ranges}). Both are usage errors: picocli prints the message and the
 * command's usage and exits 2, before the command has started anything.
 */
final class CheckedExecution implements IExecutionStrategy {

    private final IExecutionStrategy next = new CommandLine.RunLast();

    @Override
    public int execute(ParseResult parseResult) {
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            refuseUnmatched(level);
            if (!level.isUsageHelpRequested() && !level.isVersionHelpRequested()) {
                Ranges.check(level.commandSpec().commandLine());
            }
        }
        return next.execute(parseResult);
    }

    /** Arguments picocli left unread: picocli lets them pass when help was asked for. */
    private static void refuseUnmatched(ParseResult level) {
        List<String> unmatched = level.unmatched();
        if (unmatched.isEmpty()) {
            return;
        }
        CommandLine cli = level.commandSpec().commandLine();
        String first = unmatched.get(0);
        if (!cli.getSubcommands().isEmpty() && !first.startsWith("-")) {
            throw new ParameterException(
                    cli,
                    "Unknown command '" + first + "' for " + cli.getCommandName() + "; the commands are: "
                            + String.join(", ", cli.getSubcommands().keySet()));
        }
        throw new CommandLine.UnmatchedArgumentException(cli, unmatched);
    }
}
