package dev.athanor.archive.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArchiveLayoutTest {

    private final ArchiveLayout layout = new ArchiveLayout("athanor/eu");

    @Test
    void keysAreThePrefixPlusTheLogdirPath() throws Exception {
        assertThat(layout.keyFor("default/mnist/lr=0.1/train/events.out.tfevents.1700000000.node-1.00000003.athanor"))
                .isEqualTo("athanor/eu/default/mnist/lr=0.1/train/events.out.tfevents.1700000000.node-1.00000003.athanor");
        // A run at the logdir itself ('.') sits directly in the experiment folder.
        assertThat(layout.keyFor("default/mnist/events.out.tfevents.1.n.00000000.athanor"))
                .isEqualTo("athanor/eu/default/mnist/events.out.tfevents.1.n.00000000.athanor");
        assertThat(new ArchiveLayout("").keyFor("p/e/events.out.tfevents.1")).isEqualTo("p/e/events.out.tfevents.1");
        assertThat(new ArchiveLayout("archive/").prefix()).isEqualTo("archive");
        assertThat(layout.experimentPrefix("default", "mnist")).isEqualTo("athanor/eu/default/mnist/");
    }

    @Test
    void pathsThatCouldLeaveThePrefixAreRefused() {
        for (String bad : new String[] {
                "../default/e/events.out.tfevents.1",
                "default/e/../../../etc/events.out.tfevents.1",
                "default/e/./r/events.out.tfevents.1",
                "/default/e/events.out.tfevents.1",
                "default//e/events.out.tfevents.1",
                "default/e\\..\\..\\x/events.out.tfevents.1",
                "default/e/r\u0000/events.out.tfevents.1",
                "default/e/r\n/events.out.tfevents.1"}) {
            assertThatThrownBy(() -> layout.keyFor(bad)).as(bad).isInstanceOf(UnsafePathException.class)
                    .hasMessageContaining("refusing to archive");
        }
    }

    @Test
    void onlyEventFilesInARunFolderAreArchived() {
        assertThatThrownBy(() -> layout.keyFor("default/e/.athanor.journal"))
                .isInstanceOf(UnsafePathException.class).hasMessageContaining("events.out.tfevents.");
        assertThatThrownBy(() -> layout.keyFor("default/events.out.tfevents.1"))
                .isInstanceOf(UnsafePathException.class).hasMessageContaining("<project>/<experiment>");
    }

    @Test
    void anUnsafePrefixIsAConfigurationError() {
        assertThatThrownBy(() -> new ArchiveLayout("a/../b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a/../b");
        assertThatThrownBy(() -> new ArchiveLayout("/archive")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
    }
}
