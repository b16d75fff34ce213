package dev.athanor.uploader.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogdirRunDiscoveryTest {

    @TempDir
    Path dir;

    private void touch(String relative, int bytes) throws IOException {
        Path path = dir.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[bytes]);
    }

    @Test
    void everyDirectoryHoldingEventFilesIsARunWithEachFilesSize() throws IOException {
        touch("events.out.tfevents.1.host", 3);
        touch("train/events.out.tfevents.2.host.v2", 5);
        touch("a/b/c/events.out.tfevents.3.host", 0);
        touch("a/b/notes.txt", 1);
        touch("train/plugins/profile/2024/host.xplane.pb", 10);
        touch(".ipynb_checkpoints/events.out.tfevents.4.host", 1);

        LogdirScan scan = new LogdirRunDiscovery(dir).scan();

        assertThat(scan.files()).extracting(DiscoveredFile::runPath, DiscoveredFile::fileName, DiscoveredFile::size)
                .containsExactly(
                        tuple(".", "events.out.tfevents.1.host", 3L),
                        tuple(".ipynb_checkpoints", "events.out.tfevents.4.host", 1L),
                        tuple("a/b/c", "events.out.tfevents.3.host", 0L),
                        tuple("train", "events.out.tfevents.2.host.v2", 5L));
        assertThat(scan.files().get(2).displayName()).isEqualTo("a/b/c/events.out.tfevents.3.host");
        assertThat(scan.files().get(0).displayName()).isEqualTo("events.out.tfevents.1.host");
        assertThat(scan.problems()).isEmpty();
    }

    @Test
    void aMissingLogdirSaysSo() throws IOException {
        assertThatThrownBy(() -> new LogdirRunDiscovery(dir.resolve("gone")).scan())
                .isInstanceOf(LogdirMissingException.class)
                .hasMessageContaining(dir.resolve("gone") + " does not exist");
        Path file = Files.write(dir.resolve("file"), new byte[1]);
        assertThatThrownBy(() -> new LogdirRunDiscovery(file).scan())
                .isInstanceOf(LogdirMissingException.class).hasMessageContaining("is not a directory");
    }
}
