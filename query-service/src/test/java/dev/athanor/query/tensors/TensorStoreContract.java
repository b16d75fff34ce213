package dev.athanor.query.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.tensors.store.StoredTensor;
import dev.athanor.query.tensors.store.TensorRead;
import dev.athanor.query.tensors.store.TensorStore;
import dev.athanor.query.testing.IndexTestData;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TensorStore} must do: bounded, evenly spaced reads that keep the newest step. */
public abstract class TensorStoreContract {

    protected abstract TensorStore store();

    protected abstract IndexTestData data();

    private long series;

    static TensorProto text(String s) {
        return TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(TensorShapeProto.getDefaultInstance())
                .addStringVal(ByteString.copyFromUtf8(s)).build();
    }

    @BeforeEach
    void createSeries() {
        long run = data().run(data().experiment(IndexTestData.unique("tensors")), "run");
        series = data().series(run, "notes", "text", 2);
        for (int step = 0; step < 100; step += 10) {
            data().tensor(series, step, 1000.0 + step, text("note " + step));
        }
    }

    @Test
    void readsEverythingWhenItFits() {
        TensorRead read = store().read(series, StepRange.ALL, 100);
        assertThat(read.pointsInRange()).isEqualTo(10);
        assertThat(read.points()).extracting(StoredTensor::step).containsExactly(0L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L);
        StoredTensor first = read.points().get(0);
        assertThat(first.wallTime()).isEqualTo(1000.0);
        assertThat(first.dtype()).isEqualTo(DataType.DT_STRING_VALUE);
        assertThat(first.shape()).isEmpty();
        assertThat(first.tensor()).isEqualTo(text("note 0").toByteArray());
    }

    @Test
    void samplesEvenlyKeepingFirstAndLast() {
        assertThat(store().read(series, StepRange.ALL, 4).points()).extracting(StoredTensor::step)
                .containsExactly(0L, 30L, 60L, 90L);
        assertThat(store().read(series, StepRange.ALL, 1).points()).extracting(StoredTensor::step).containsExactly(90L);
        TensorRead zoom = store().read(series, new StepRange(15L, 55L), 2);
        assertThat(zoom.pointsInRange()).isEqualTo(4);
        assertThat(zoom.points()).extracting(StoredTensor::step).containsExactly(20L, 50L);
        assertThat(store().read(series, new StepRange(91L, null), 5).points()).isEmpty();
        assertThat(store().read(-1, StepRange.ALL, 5).points()).isEmpty();
        assertThat(List.of(series)).isNotEmpty();
    }
}
