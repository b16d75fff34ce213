package dev.athanor.rawlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentNamesTest {

    @Test
    void namesSortInWriteOrderAndAreEventFiles() {
        String a = SegmentNames.name(1_795_729_064L, "node-1", 9);
        String b = SegmentNames.name(1_795_729_064L, "node-1", 10);
        String c = SegmentNames.name(1_795_729_065L, "node-1", 11);
        assertThat(List.of(a, b, c)).isSorted();
        assertThat(a).startsWith(SegmentNames.EVENT_FILE_MARK);
        assertThat(SegmentNames.isSegment(a)).isTrue();
    }

    @Test
    void aNameParsesIntoWhatItEncodes() {
        String name = SegmentNames.name(1_795_729_064L, "ingest-0", 42);
        SegmentNames.SegmentName parsed = SegmentNames.parse(name);
        assertThat(parsed).isEqualTo(new SegmentNames.SegmentName(1_795_729_064L, "ingest-0", 42));
        assertThat(parsed.fileName()).isEqualTo(name);
    }

    @Test
    void foreignNamesAreRejectedClearly() {
        for (String foreign : List.of(
                "events.out.tfevents.1585383831.host.66143.345.v2",          // stock TensorBoard
                "events.out.tfevents.0000000001.n.00000001.athanor.tmp",      // a suffix
                "events.out.tfevents.0000000001.n.1.athanor",                 // short sequence
                "events.out.tfevents.0000000001.a.b.00000001.athanor",        // node with a dot
                "p/e/events.out.tfevents.0000000001.n.00000001.athanor",      // a path, not a name
                Journal.FILE_NAME)) {
            assertThat(SegmentNames.isSegment(foreign)).as(foreign).isFalse();
            assertThatThrownBy(() -> SegmentNames.parse(foreign)).as(foreign)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(foreign)
                    .hasMessageContaining("not a raw-log segment name");
        }
    }

    @Test
    void nodeNamesAreMadeFileSafe() {
        assertThat(SegmentNames.sanitizeNode("pod_1.ns.svc")).isEqualTo("pod-1-ns-svc");
        assertThat(SegmentNames.sanitizeNode("")).isEqualTo("node");
        assertThat(SegmentNames.isSegment(SegmentNames.name(1, SegmentNames.sanitizeNode("a.b/c"), 0))).isTrue();
    }
}
