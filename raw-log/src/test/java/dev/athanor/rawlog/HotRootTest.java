package dev.athanor.rawlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotRootTest {

    @TempDir
    Path tmp;

    @Test
    void runDirectoriesFollowTheLogdirLayout() throws IOException {
        HotRoot root = new HotRoot(tmp.resolve("raw"));
        assertThat(HotRoot.relativeRunDirectory("p", "e", ".")).isEqualTo("p/e");
        assertThat(HotRoot.relativeRunDirectory("p", "e", "a/b")).isEqualTo("p/e/a/b");
        assertThat(root.runDirectory("p", "e", "a/b")).isEqualTo(tmp.resolve("raw/p/e/a/b"));
        assertThat(root.resolve("p/e/r/events.out.tfevents.1")).isEqualTo(tmp.resolve("raw/p/e/r/events.out.tfevents.1"));
    }

    @Test
    void pathTricksAreRefused() {
        HotRoot root = new HotRoot(tmp.resolve("raw"));
        for (String trick : List.of("../x", "p/../../x", "p/./e", "/etc/passwd", "p//e", "p\\..\\x", "", "p/e/",
                "p/e\u0000/x")) {
            assertThatThrownBy(() -> root.resolve(trick)).as(trick)
                    .isInstanceOf(UnsafeHotPathException.class)
                    .hasMessageContaining("leaves the hot root");
        }
        assertThatThrownBy(() -> root.runDirectory("p", "..", "r")).isInstanceOf(UnsafeHotPathException.class);
    }

    @Test
    void aSymbolicLinkOutOfTheRootIsRefused() throws IOException {
        Path raw = Files.createDirectories(tmp.resolve("raw/p"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "x");
        Files.createSymbolicLink(raw.resolve("e"), outside);
        HotRoot root = new HotRoot(tmp.resolve("raw"));
        assertThatThrownBy(() -> root.resolve("p/e/secret")).isInstanceOf(UnsafeHotPathException.class)
                .hasMessageContaining("symbolic link");
        // Not yet existing below the link: still refused, the link is on the way.
        assertThatThrownBy(() -> root.resolve("p/e/r/new-file")).isInstanceOf(UnsafeHotPathException.class);
    }

    @Test
    void aSymbolicLinkInsideTheRootIsFollowed() throws IOException {
        Path raw = Files.createDirectories(tmp.resolve("raw/p/e1"));
        Files.createSymbolicLink(tmp.resolve("raw/p/e2"), raw);
        HotRoot root = new HotRoot(tmp.resolve("raw"));
        assertThat(root.resolve("p/e2/r")).isEqualTo(tmp.resolve("raw/p/e2/r"));
    }

    @Test
    void aRootReachedThroughALinkStillWorks() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("volume/raw/p/e"));
        Path link = Files.createSymbolicLink(tmp.resolve("raw-link"), tmp.resolve("volume/raw"));
        HotRoot root = new HotRoot(link);
        assertThat(root.resolve("p/e")).isEqualTo(link.resolve("p/e"));
        assertThat(Files.isDirectory(real)).isTrue();
    }
}
