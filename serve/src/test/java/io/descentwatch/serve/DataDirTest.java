package io.descentwatch.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.descentwatch.broker.ScratchDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataDirTest {

    @Test
    void aSecondServeOnTheSameDirectoryIsRefusedUntilTheFirstLetsGo() {
        try (ScratchDirectory tmp = ScratchDirectory.create("datadir-")) {
            Path dir = tmp.resolve("serve");
            try (DataDir first = DataDir.open(dir, false)) {
                assertThat(first.path()).isEqualTo(dir.toAbsolutePath());
                assertThatThrownBy(() -> DataDir.open(dir, false))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("--data-dir " + dir.toAbsolutePath())
                        .hasMessageContaining("in use by another descentwatch serve");
            }
            DataDir.open(dir, false).close();
        }
    }

    @Test
    void freshDeletesOnlyServesOwnFolders() throws Exception {
        try (ScratchDirectory tmp = ScratchDirectory.create("datadir-")) {
            Path dir = tmp.path();
            Files.createDirectories(dir.resolve("kafka/logs"));
            Files.writeString(dir.resolve("kafka/logs/meta.properties"), "x");
            Files.createDirectories(dir.resolve("streams/app"));
            Files.writeString(dir.resolve("notes.txt"), "mine");
            try (DataDir kept = DataDir.open(dir, false)) {
                assertThat(kept.hasData()).isTrue();
            }
            try (DataDir fresh = DataDir.open(dir, true)) {
                assertThat(fresh.hasData()).isFalse();
                assertThat(dir.resolve("kafka")).doesNotExist();
                assertThat(dir.resolve("streams")).doesNotExist();
                assertThat(dir.resolve("notes.txt")).hasContent("mine");
            }
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedNamesTheFlag() throws Exception {
        try (ScratchDirectory tmp = ScratchDirectory.create("datadir-")) {
            Path file = tmp.resolve("a-file");
            Files.writeString(file, "not a directory");
            assertThatThrownBy(() -> DataDir.open(file.resolve("serve"), false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--data-dir");
        }
    }
}
