package dev.athanor.query.scalars.api;

import dev.athanor.query.scalars.store.M4Series;
import dev.athanor.query.scalars.store.XAxis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the compact {@link ChartResponse}: x columns sent once, lines naming them by index. */
public final class ChartShape {

    private final List<NumberColumn> xs = new ArrayList<>();
    private final Map<NumberColumn, Integer> index = new HashMap<>();

    private ChartShape() {
    }

    public static ChartResponse of(ChartResponse.Chart chart, XAxis x, List<M4Series> read,
                                   List<ScalarResponse.Missing> missing) {
        ChartShape shape = new ChartShape();
        List<ChartResponse.Line> lines = new ArrayList<>(read.size());
        for (M4Series s : read) {
            int steps = shape.column(NumberColumn.of(s.steps()));
            int xColumn = x == XAxis.STEP ? steps : shape.column(NumberColumn.of(s.wallTimes()));
            lines.add(new ChartResponse.Line(s.runId(), s.run(), s.tag(), s.totalPoints(), s.pointsInRange(), xColumn,
                    x == XAxis.STEP ? null : steps, NumberColumn.of(s.values()), s.bucketSizes(),
                    NumberColumn.ofRounded(s.means())));
        }
        return new ChartResponse(chart, shape.xs, lines, missing);
    }

    private int column(NumberColumn column) {
        return index.computeIfAbsent(column, c -> {
            xs.add(c);
            return xs.size() - 1;
        });
    }
}
