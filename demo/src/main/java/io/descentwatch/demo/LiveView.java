package io.descentwatch.demo;

import io.descentwatch.alerts.AlertText;
import io.descentwatch.detection.RunPhase;
import io.descentwatch.events.Alert;
import io.descentwatch.report.Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp.Capability;

/**
 * What the demo shows while it runs. On a terminal: a table with one line per run (size, epoch, losses, the
 * detector's phase), redrawn in place, with each alert printed above it as it fires. Elsewhere (a pipe, a log, a
 * CI job): the alerts as they fire and a progress line now and then, no control characters. Both fit 80 columns.
 */
abstract class LiveView implements AutoCloseable {

    static final int WIDTH = 80;

    protected final PrintWriter out;

    LiveView(PrintWriter out) {
        this.out = out;
    }

    /** A view on the process's terminal if there is one, else plain lines on {@code plain}. */
    static LiveView create(PrintWriter plain, Duration progressEvery) {
        if (System.console() != null) {
            try {
                Terminal terminal = TerminalBuilder.builder().system(true).build();
                if (!terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
                    return new TerminalView(terminal);
                }
                terminal.close();
            } catch (IOException e) {
                // no usable terminal: plain lines it is
            }
        }
        return new PlainView(plain, progressEvery);
    }

    abstract void alert(Alert a);

    abstract void refresh(Report report);

    /** A line of its own, above the live table. */
    abstract void message(String line);

    /** Prints the final table once, in full, and releases the terminal. */
    void finish(Report report) {
        out.println();
        table(report, Integer.MAX_VALUE).forEach(out::println);
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }

    /** The run table: per sweep a header and one line per run, cut to {@code maxLines} with a note. */
    static List<String> table(Report report, int maxLines) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "  %-16s %7s %6s %7s %10s %10s  %s",
                "run",
                "params",
                "p/n",
                "epoch",
                "train loss",
                "test loss",
                "phase"));
        int total = 1;
        for (Report.SweepView sweep : report.sweeps()) {
            long finished =
                    sweep.runs().stream().filter(Report.RunView::finished).count();
            lines.add(cut(
                    sweep.sweepId() + ": " + finished + " of " + sweep.runs().size() + " runs finished"));
            total++;
            for (Report.RunView r : sweep.runs()) {
                total++;
                if (lines.size() < maxLines - 1) {
                    lines.add(runLine(r));
                }
            }
        }
        if (total > lines.size()) {
            lines.add("... " + (total - lines.size()) + " more lines (the report has them all)");
        }
        return lines;
    }

    static String runLine(Report.RunView r) {
        String id = r.runId().startsWith(r.sweepId() + "/")
                ? r.runId().substring(r.sweepId().length() + 1)
                : r.runId();
        // '>' marks the runs still training
        return cut(String.format(
                Locale.ROOT,
                "%s %-16s %7d %6.2f %7d %10s %10s  %s",
                r.finished() ? " " : ">",
                cutTo(id, 16),
                r.paramCount(),
                r.pOverN(),
                r.epoch(),
                num(r.trainLoss()),
                num(r.testLoss()),
                phase(r.phase())));
    }

    /** The detector's phase in at most 14 characters; blank until the detector has said. */
    static String phase(RunPhase phase) {
        if (phase == null) {
            return "";
        }
        // exhaustive: a new phase does not compile until it has its words here
        return switch (phase) {
            case DESCENDING -> "descending";
            case RISING -> "rising";
            case SECOND_DESCENT -> "2nd descent";
            case BELOW_FIRST_MINIMUM -> "below 1st min";
            case DIVERGED -> "diverged";
        };
    }

    static String num(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v != 0)
                ? String.format(Locale.ROOT, "%.2e", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    /** A long line as several of at most 79 characters, broken at spaces, continuations indented. */
    static List<String> wrap(String line) {
        List<String> lines = new ArrayList<>();
        String rest = line;
        String indent = "";
        while (indent.length() + rest.length() > WIDTH - 1) {
            int room = WIDTH - 1 - indent.length();
            int cutAt = rest.lastIndexOf(' ', room);
            if (cutAt <= room / 2) {
                cutAt = room;
            }
            lines.add(indent + rest.substring(0, cutAt));
            rest = rest.substring(cutAt).stripLeading();
            indent = "    ";
        }
        lines.add(indent + rest);
        return lines;
    }

    static String cut(String line) {
        return cutTo(line, WIDTH - 1);
    }

    private static String cutTo(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }

    /** Redraws the table in place with the terminal's own cursor capabilities. */
    static final class TerminalView extends LiveView {
        private final Terminal terminal;
        private int drawn;

        TerminalView(Terminal terminal) {
            super(terminal.writer());
            this.terminal = terminal;
        }

        @Override
        synchronized void alert(Alert a) {
            message(AlertText.line(a));
        }

        @Override
        synchronized void message(String line) {
            erase();
            wrap(line).forEach(out::println);
            out.flush();
        }

        @Override
        synchronized void refresh(Report report) {
            erase();
            int height = terminal.getHeight() > 0 ? terminal.getHeight() : 24;
            List<String> lines = table(report, Math.max(4, height - 6));
            lines.forEach(out::println);
            drawn = lines.size();
            out.flush();
        }

        /** Moves back to the top of the table and clears it, so what comes next is drawn in its place. */
        private void erase() {
            for (int i = 0; i < drawn; i++) {
                terminal.puts(Capability.cursor_up);
            }
            terminal.puts(Capability.carriage_return);
            terminal.puts(Capability.clr_eos);
            drawn = 0;
        }

        @Override
        synchronized void finish(Report report) {
            erase();
            super.finish(report);
        }

        @Override
        public synchronized void close() {
            out.flush();
            try {
                terminal.close();
            } catch (IOException e) {
                // the terminal is gone already
            }
        }
    }

    /** Plain lines for pipes and logs: alerts as they fire, a progress line every so often. */
    static final class PlainView extends LiveView {
        private final long everyNanos;
        private long lastProgress = System.nanoTime();

        PlainView(PrintWriter out, Duration every) {
            super(out);
            this.everyNanos = every.toNanos();
        }

        @Override
        synchronized void alert(Alert a) {
            out.println(AlertText.line(a));
            out.flush();
        }

        @Override
        synchronized void message(String line) {
            out.println(line);
            out.flush();
        }

        @Override
        synchronized void refresh(Report report) {
            long now = System.nanoTime();
            if (now - lastProgress < everyNanos) {
                return;
            }
            lastProgress = now;
            long runs = report.sweeps().stream().mapToLong(s -> s.runs().size()).sum();
            long finished = report.sweeps().stream()
                    .flatMap(s -> s.runs().stream())
                    .filter(Report.RunView::finished)
                    .count();
            out.printf(
                    Locale.ROOT,
                    "progress: %d of %d runs finished, %d alerts%n",
                    finished,
                    runs,
                    report.alerts().size());
            out.flush();
        }
    }
}
