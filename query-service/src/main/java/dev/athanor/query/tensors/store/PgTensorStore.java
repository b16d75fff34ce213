package dev.athanor.query.tensors.store;

import dev.athanor.query.common.jdbc.Jdbc;
import dev.athanor.query.common.jdbc.SqlFragment;
import dev.athanor.query.common.series.EvenSample;
import dev.athanor.query.scalars.store.StepRange;
import java.util.List;

/**
 * {@link TensorStore} over tensor_point: the steps are listed first (an index-only walk of the
 * primary key), the chosen ones are then fetched with their tensors.
 */
public final class PgTensorStore implements TensorStore {

    private final Jdbc jdbc;

    public PgTensorStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public TensorRead read(long seriesId, StepRange range, int maxPoints) {
        List<Long> steps = jdbc.list(SqlFragment.builder().sql("SELECT step FROM tensor_point WHERE series_id = ")
                .param(seriesId).sql(" AND step BETWEEN ").param(range.lo()).sql(" AND ").param(range.hi())
                .sql(" ORDER BY step").build(), rs -> rs.getLong(1));
        List<Long> chosen = EvenSample.of(steps, maxPoints);
        if (chosen.isEmpty()) {
            return new TensorRead(List.of(), 0);
        }
        List<StoredTensor> points = jdbc.list(SqlFragment.builder()
                .sql("SELECT step, wall_time, dtype, shape, tensor FROM tensor_point WHERE series_id = ").param(seriesId)
                .sql(" AND step = ANY(").param(chosen).sql(") ORDER BY step").build(), rs -> {
                    Object[] dims = (Object[]) rs.getArray(4).getArray();
                    long[] shape = new long[dims.length];
                    for (int i = 0; i < dims.length; i++) {
                        shape[i] = ((Number) dims[i]).longValue();
                    }
                    return new StoredTensor(rs.getLong(1), rs.getDouble(2), rs.getInt(3), shape, rs.getBytes(5));
                });
        return new TensorRead(points, steps.size());
    }
}
