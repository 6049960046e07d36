package io.descentwatch.testkit;

import io.descentwatch.broker.ScratchDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for tests that must see a page the way a browser draws it. Started with the flags
 * that keep it off the network (it would otherwise keep trying hosts this machine cannot reach) and a fresh
 * profile each time. A missing browser fails the test with the install command: CI installs it.
 */
public final class HeadlessChromium {

    private static final long TIMEOUT_SECONDS = 90;

    private HeadlessChromium() {}

    /** The page's DOM after its scripts ran for up to {@code budgetMillis} of virtual time. */
    public static String dumpDom(Path page, int budgetMillis) {
        return dumpDom(page.toUri().toString(), budgetMillis);
    }

    /** As {@link #dumpDom(Path, int)} for an address (a page with a fragment that says what it shows). */
    public static String dumpDom(String url, int budgetMillis) {
        return run(List.of("--virtual-time-budget=" + budgetMillis, "--dump-dom", url));
    }

    /** A PNG of the page at the given window size, after its scripts ran. */
    public static void screenshot(Path page, Path png, int width, int height, int budgetMillis) {
        run(List.of(
                "--virtual-time-budget=" + budgetMillis,
                "--hide-scrollbars",
                "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath(),
                page.toUri().toString()));
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
    }

    public static String binary() {
        String override = System.getenv("DW_CHROMIUM");
        if (override != null && !override.isBlank()) {
            return override;
        }
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("chromium not found: install it (apt-get install -y chromium) or set "
                + "DW_CHROMIUM to its path; .ci/run installs it");
    }

    /**
     * Headless Chromium with its own profile in {@code profile} and nothing that reaches the network on its own
     * (updates, sync, QUIC): the start of every command line the tests run it with, which adds its own flags.
     */
    static List<String> command(Path profile) {
        return new ArrayList<>(List.of(
                binary(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
    }

    private static String run(List<String> pageArgs) {
        try (ScratchDirectory profile = ScratchDirectory.create("descentwatch-chromium-")) {
            List<String> cmd = command(profile.path());
            cmd.add("--allow-file-access-from-files");
            cmd.addAll(pageArgs);
            Path output = profile.resolve("stdout.txt");
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("chromium exited with " + p.exitValue());
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run chromium: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while chromium ran", e);
        }
    }
}
