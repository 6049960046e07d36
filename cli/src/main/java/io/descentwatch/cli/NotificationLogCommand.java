package io.descentwatch.cli;

import io.descentwatch.alerts.NotificationLog;
import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "notification-log",
        mixinStandardHelpOptions = true,
        description = "Receives webhook notifications (Grafana's alert notifications, `alerts --webhook`) and "
                + "prints one line per alert: the compose stack's default receiver, read with `docker compose logs "
                + "notifications`. Runs until stopped.")
final class NotificationLogCommand extends Subcommand {

    @Option(
            names = "--port",
            defaultValue = "${env:DW_NOTIFICATION_PORT:-8080}",
            description = "HTTP port, 1-65535 (env DW_NOTIFICATION_PORT; default ${DEFAULT-VALUE}); "
                    + "POST notifications to any path, GET /health answers 200.")
    @Range(min = "1", max = "65535")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "${env:DW_NOTIFICATION_BIND:-127.0.0.1}",
            description = "Address to listen on (env DW_NOTIFICATION_BIND; default ${DEFAULT-VALUE}: this machine "
                    + "only; the compose stack sets 0.0.0.0 inside its network).")
    String bind;

    @Override
    @SuppressWarnings("try") // the shutdown hook is held only to be closed: until then it stops the log on Ctrl-C
    public Integer call() throws InterruptedException {
        PrintWriter out = out();
        CountDownLatch stopped = new CountDownLatch(1);
        try (NotificationLog log = NotificationLog.start(new InetSocketAddress(bind, port), line -> {
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                });
                ShutdownHook onExit = ShutdownHook.stopThenAwait(
                        "notification-log-shutdown", stopped::countDown, Duration.ofSeconds(5))) {
            out.println("notification-log listening on " + bind + ":" + log.port());
            out.flush();
            stopped.await();
        }
        return 0;
    }
}
