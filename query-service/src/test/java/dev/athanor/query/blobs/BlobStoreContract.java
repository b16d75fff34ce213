package dev.athanor.query.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.query.blobs.store.BlobRead;
import dev.athanor.query.blobs.store.BlobSequenceRef;
import dev.athanor.query.blobs.store.BlobStore;
import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.query.common.error.RawDataUnavailableException;
import dev.athanor.query.common.series.SeriesInfo;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.testing.IndexTestData;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do: serve the exact bytes the writer put in the event, for
 * legacy and TF2 encodings, and refuse (never serve) bytes that fail the frame CRCs.
 */
public abstract class BlobStoreContract {

    protected abstract BlobStore store();

    protected abstract IndexTestData data();

    /** The hot root the store reads segments from. */
    protected abstract Path hotRoot();

    private long run;
    private IndexTestData.RawSegment segment;
    private String segmentPath;

    @BeforeEach
    void writeSegment() {
        long experiment = data().experiment(IndexTestData.unique("blobs"));
        run = data().run(experiment, "run");
        segmentPath = "exp-" + experiment + "/run/events.out.tfevents.1.test";
        segment = data().rawSegment(run, hotRoot(), segmentPath, List.of(
                BlobEvents.legacyImage("img", 1, BlobEvents.PNG),
                BlobEvents.tensorImages("batch", 2, BlobEvents.PNG, BlobEvents.PNG_2),
                BlobEvents.legacyAudio("voice", 3),
                BlobEvents.graph(0),
                BlobEvents.legacyImage("img", 5, BlobEvents.PNG_2)));
    }

    private SeriesInfo series(String tag, String plugin, int eventIndex, long step, int[] lengths) {
        long id = data().series(run, tag, plugin, 3);
        data().blobPoint(id, step, 1.0, segment.id(), segment.offsets().get(eventIndex), segment.lengths().get(eventIndex),
                lengths);
        return new SeriesInfo(id, run, "run", tag, plugin, 3, null);
    }

    private byte[] blob(SeriesInfo info, long step, int index) {
        BlobSequenceRef ref = store().at(info.seriesId(), step).orElseThrow();
        return store().blob(info, ref, index);
    }

    @Test
    void legacyImageIsMigratedToWidthHeightImage() {
        SeriesInfo img = series("img", "images", 0, 1, new int[] {1, 1, BlobEvents.PNG.length});
        assertThat(blob(img, 1, 0)).isEqualTo("2".getBytes());
        assertThat(blob(img, 1, 1)).isEqualTo("3".getBytes());
        assertThat(blob(img, 1, 2)).isEqualTo(BlobEvents.PNG);
        BlobSequenceRef ref = store().at(img.seriesId(), 1).orElseThrow();
        assertThat(ref.segmentPath()).isEqualTo(segmentPath);
        assertThat(ref.blobLengths()).containsExactly(1, 1, BlobEvents.PNG.length);
        assertThat(store().at(img.seriesId(), 2)).isEmpty();
    }

    @Test
    void tensorImagesAudioAndGraphs() {
        SeriesInfo batch = series("batch", "images", 1, 2, new int[] {2, 2, BlobEvents.PNG.length, BlobEvents.PNG_2.length});
        assertThat(blob(batch, 2, 3)).isEqualTo(BlobEvents.PNG_2);
        SeriesInfo voice = series("voice", "audio", 2, 3, new int[] {BlobEvents.WAV.length});
        assertThat(blob(voice, 3, 0)).isEqualTo(BlobEvents.WAV);
        SeriesInfo graph = series("__run_graph__", "graphs", 3, 0, new int[] {BlobEvents.GRAPH.length});
        assertThat(blob(graph, 0, 0)).isEqualTo(BlobEvents.GRAPH);
    }

    @Test
    void listingIsBoundedAndKeepsTheNewest() {
        long id = data().series(run, "img", "images", 3);
        for (long step = 0; step < 6; step++) {
            data().blobPoint(id, step, step, segment.id(), segment.offsets().get(0), segment.lengths().get(0), new int[] {1, 1, 19});
        }
        BlobRead read = store().list(id, StepRange.ALL, 3);
        assertThat(read.pointsInRange()).isEqualTo(6);
        assertThat(read.points()).extracting(BlobSequenceRef::step).containsExactly(0L, 3L, 5L);
        assertThat(store().list(id, new StepRange(4L, 4L), 3).points()).extracting(BlobSequenceRef::step).containsExactly(4L);
    }

    @Test
    void aCorruptFrameIsRefused() throws IOException {
        SeriesInfo img = series("img", "images", 4, 5, new int[] {1, 1, BlobEvents.PNG_2.length});
        try (RandomAccessFile file = new RandomAccessFile(segment.file().toFile(), "rw")) {
            long at = segment.offsets().get(4) + 12 + segment.lengths().get(4) - 2;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x01);
        }
        assertThatThrownBy(() -> blob(img, 5, 2)).isInstanceOf(CorruptRawDataException.class)
                .hasMessageContaining("payload CRC mismatch").hasMessageContaining(segmentPath);
    }

    @Test
    void aWrongPointerIsRefused() {
        long id = data().series(run, "img", "images", 3);
        data().blobPoint(id, 1, 1.0, segment.id(), segment.offsets().get(0) + 1, segment.lengths().get(0), new int[] {1, 1, 19});
        SeriesInfo info = new SeriesInfo(id, run, "run", "img", "images", 3, null);
        assertThatThrownBy(() -> blob(info, 1, 2)).isInstanceOf(CorruptRawDataException.class);
        long other = data().series(run, "batch", "images", 3);
        // Right frame, wrong tag: the event at this offset has nothing for 'batch'.
        data().blobPoint(other, 1, 1.0, segment.id(), segment.offsets().get(0), segment.lengths().get(0), new int[] {1});
        SeriesInfo wrongTag = new SeriesInfo(other, run, "run", "batch", "images", 3, null);
        assertThatThrownBy(() -> blob(wrongTag, 1, 0)).isInstanceOf(CorruptRawDataException.class)
                .hasMessageContaining("no blobs for tag 'batch'");
    }

    @Test
    void aMissingSegmentIsUnavailable() throws IOException {
        SeriesInfo img = series("img", "images", 0, 1, new int[] {1, 1, BlobEvents.PNG.length});
        Files.delete(segment.file());
        assertThatThrownBy(() -> blob(img, 1, 2)).isInstanceOf(RawDataUnavailableException.class)
                .hasMessageContaining("not in hot storage");
    }

    @Test
    void segmentPathsCannotLeaveTheHotRoot() {
        long segmentId = data().rawSegment(run, hotRoot(), "escape/events.out.tfevents.2.test",
                List.of(BlobEvents.graph(0))).id();
        data().execute("UPDATE raw_segment SET relative_path = '../../etc/passwd' WHERE id = ?", segmentId);
        long id = data().series(run, "__run_graph__", "graphs", 3);
        data().blobPoint(id, 0, 1.0, segmentId, 18, 10, new int[] {5});
        SeriesInfo info = new SeriesInfo(id, run, "run", "__run_graph__", "graphs", 3, null);
        assertThatThrownBy(() -> blob(info, 0, 0)).isInstanceOf(CorruptRawDataException.class)
                .hasMessageContaining("leaves the hot root");
    }
}
