package dev.athanor.query.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import dev.athanor.query.export.store.ExportSelection;
import dev.athanor.query.export.store.ExportSnapshot;
import dev.athanor.query.export.store.ExportStore;
import dev.athanor.query.querylang.Parser;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.testing.IndexTestData;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ExportStore} must do: every value in order, the selection honoured, one snapshot. */
public abstract class ExportStoreContract {

    protected abstract ExportStore store();

    protected abstract IndexTestData data();

    private long experiment;
    private long train;
    private long lossSeries;

    @BeforeEach
    void createData() {
        IndexTestData data = data();
        experiment = data.experiment(IndexTestData.unique("export"));
        train = data.run(experiment, "train", "FINISHED", null, "{\"lr\": 0.1}");
        long eval = data.run(experiment, "eval", "RUNNING", null, "{\"lr\": 0.2}");
        lossSeries = data.scalarSeries(train, "loss", new double[] {3, Double.NaN, 1}, 2);
        data.scalarSeries(eval, "loss", new double[] {5}, 2);
        long hist = data.series(train, "weights", "histograms", 2);
        data.tensor(hist, 1, 1001.0, TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(0))
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(3))).build());
        long images = data.series(train, "samples", "images", 3);
        long segment = data.segmentRow(train, "export-" + experiment + "/train/seg");
        data.blobPoint(images, 2, 1002.0, segment, 0, 10, new int[] {1, 1, 300});
    }

    private List<String> export(ExportSelection selection) throws IOException {
        RecordingSink sink = new RecordingSink();
        try (ExportSnapshot snapshot = store().open(selection)) {
            snapshot.write(sink);
        }
        return sink.lines;
    }

    private ExportSelection all() {
        return new ExportSelection(experiment, null, null, List.of(), List.of(), StepRange.ALL);
    }

    @Test
    void everyValueInRunTagStepOrder() throws IOException {
        assertThat(export(all())).containsExactly(
                "eval|loss|scalars|0|1000.0|5.0",
                "train|loss|scalars|0|1000.0|3.0",
                "train|loss|scalars|1|1001.0|NaN",
                "train|loss|scalars|2|1002.0|1.0",
                "train|samples|images|2|1002.0|blobs [1, 1, 300]",
                "train|weights|histograms|1|1001.0|dtype 2 shape [0, 3] bytes 10");
    }

    @Test
    void selectionIsHonoured() throws IOException {
        assertThat(export(new ExportSelection(experiment, null, Parser.parseFilter("filter", "hparams.lr < 0.15"),
                List.of("loss"), List.of(), new StepRange(1L, 5L))))
                .containsExactly("train|loss|scalars|1|1001.0|NaN", "train|loss|scalars|2|1002.0|1.0");
        assertThat(export(new ExportSelection(experiment, List.of(train), null, List.of(), List.of("histograms", "images"),
                StepRange.ALL))).hasSize(2);
        assertThat(export(new ExportSelection(experiment, null, Parser.parseFilter("filter", "name = \"none\""), List.of(),
                List.of(), StepRange.ALL))).isEmpty();
    }

    @Test
    void anExportSeesOneSnapshot() throws IOException {
        RecordingSink sink = new RecordingSink();
        try (ExportSnapshot snapshot = store().open(all())) {
            // Ingest keeps writing while the export streams: none of it shows up in this export.
            data().scalars(lossSeries, new long[] {3, 4}, new double[] {1003, 1004}, new double[] {0.5, 0.25}, 2);
            data().run(experiment, "late");
            assertThat(snapshot.runs()).hasSize(2);
            snapshot.write(sink);
            assertThat(snapshot.snapshotTime()).isNotNull();
        }
        assertThat(sink.lines).hasSize(6).noneMatch(line -> line.contains("|3|1003.0"));
        assertThat(export(all())).hasSize(8);
    }
}
