package dev.athanor.uploader.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalkingRunDiscoveryTest {

    @TempDir
    Path dir;

    private void touch(String relative, int bytes) throws IOException {
        Path path = dir.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[bytes]);
    }

    @Test
    void everyDirectoryHoldingEventFilesIsARunRelativeToTheLogdir() throws IOException {
        touch("events.out.tfevents.1.host", 3);
        touch("train/events.out.tfevents.2.host.v2", 5);
        touch("a/b/c/events.out.tfevents.3.host", 0);
        touch("a/b/notes.txt", 1);
        touch("plugins/profile/2024/host.xplane.pb", 10);

        LogdirScan scan = new WalkingRunDiscovery(dir).scan();

        assertThat(scan.files()).extracting(DiscoveredFile::runPath, DiscoveredFile::fileName, DiscoveredFile::size)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(".", "events.out.tfevents.1.host", 3L),
                        org.assertj.core.groups.Tuple.tuple("a/b/c", "events.out.tfevents.3.host", 0L),
                        org.assertj.core.groups.Tuple.tuple("train", "events.out.tfevents.2.host.v2", 5L));
        assertThat(scan.files().get(1).displayName()).isEqualTo("a/b/c/events.out.tfevents.3.host");
        assertThat(scan.unreadableDirs()).isEmpty();
    }

    @Test
    void directorySymlinksAreNotFollowed() throws IOException {
        touch("real/events.out.tfevents.1.host", 1);
        Files.createSymbolicLink(dir.resolve("loop"), dir);

        LogdirScan scan = new WalkingRunDiscovery(dir).scan();

        assertThat(scan.files()).extracting(DiscoveredFile::runPath).containsExactly("real");
    }

    @Test
    void aMissingLogdirSaysSo() throws IOException {
        assertThatThrownBy(() -> new WalkingRunDiscovery(dir.resolve("gone")).scan())
                .isInstanceOf(LogdirMissingException.class)
                .hasMessageContaining(dir.resolve("gone") + " does not exist");
        Path file = Files.write(dir.resolve("file"), new byte[1]);
        assertThatThrownBy(() -> new WalkingRunDiscovery(file).scan())
                .isInstanceOf(LogdirMissingException.class).hasMessageContaining("is not a directory");
    }
}
