package dev.athanor.rawlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentNamesTest {

    @Test
    void namesSortInWriteOrderAndAreEventFiles() {
        String a = SegmentNames.name(1_795_729_064L, 3, "node-1", 9);
        String b = SegmentNames.name(1_795_729_064L, 3, "node-1", 10);
        String c = SegmentNames.name(1_795_729_065L, 3, "node-1", 11);
        assertThat(List.of(a, b, c)).isSorted();
        assertThat(a).startsWith(SegmentNames.EVENT_FILE_MARK);
        assertThat(SegmentNames.isSegment(a)).isTrue();
    }

    @Test
    void aLaterOwnerSortsAfterAnEarlierOneWithinTheSameSecondWhateverTheNodeNames() {
        // ingest-9 held the run at epoch 4; ingest-1 took it over at epoch 5 in the same second,
        // starting its own sequence: stock TensorBoard must still read ingest-9's segment first.
        String earlier = SegmentNames.name(1_795_729_064L, 4, "ingest-9", 17);
        String later = SegmentNames.name(1_795_729_064L, 5, "ingest-1", 0);
        assertThat(List.of(earlier, later)).isSorted();
        assertThat(SegmentNames.name(1_795_729_065L, 4, "ingest-9", 18)).isGreaterThan(later);
    }

    @Test
    void aNameParsesIntoWhatItEncodes() {
        String name = SegmentNames.name(1_795_729_064L, 7, "ingest-0", 42);
        SegmentNames.SegmentName parsed = SegmentNames.parse(name);
        assertThat(parsed).isEqualTo(new SegmentNames.SegmentName(1_795_729_064L, 7, "ingest-0", 42));
        assertThat(parsed.fileName()).isEqualTo(name);
    }

    @Test
    void namesFromBeforeFencingEpochsStillParseWithEpochZero() {
        String legacy = "events.out.tfevents.1795729064.ingest-0.00000042.athanor";
        SegmentNames.SegmentName parsed = SegmentNames.parse(legacy);
        assertThat(parsed).isEqualTo(new SegmentNames.SegmentName(1_795_729_064L, 0, "ingest-0", 42));
        assertThat(parsed.fileName()).isEqualTo(legacy);
        assertThat(SegmentNames.legacyName(1_795_729_064L, "ingest-0", 42)).isEqualTo(legacy);
        // A node whose name is ten digits is a legacy name, not an epoch without a node.
        assertThat(SegmentNames.parse("events.out.tfevents.1795729064.0123456789.00000001.athanor").node())
                .isEqualTo("0123456789");
        assertThatThrownBy(() -> SegmentNames.name(1, 0, "n", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void foreignNamesAreRejectedClearly() {
        for (String foreign : List.of(
                "events.out.tfevents.1585383831.host.66143.345.v2",          // stock TensorBoard
                "events.out.tfevents.0000000001.n.00000001.athanor.tmp",      // a suffix
                "events.out.tfevents.0000000001.n.1.athanor",                 // short sequence
                "events.out.tfevents.0000000001.a.b.00000001.athanor",        // node with a dot
                "events.out.tfevents.0000000001.000000001.n.00000001.athanor", // 9-digit epoch
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
        assertThat(SegmentNames.isSegment(SegmentNames.name(1, 1, SegmentNames.sanitizeNode("a.b/c"), 0))).isTrue();
    }
}
