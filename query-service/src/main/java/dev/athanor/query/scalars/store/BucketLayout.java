package dev.athanor.query.scalars.store;

/**
 * How one series' x range is cut into buckets: bucket = clamp(floor((x - lo) / width), 0, count - 1),
 * x being the step or the wall time. With width 0 (all points at one x) everything is bucket 0.
 */
public record BucketLayout(XAxis x, double lo, double width, int count) {

    /**
     * {@code count} buckets over the inclusive extent min..max. On steps every bucket holds whole
     * steps (the ceiling of the span over count), so a step never straddles two buckets.
     */
    public static BucketLayout over(XAxis x, double min, double max, int count) {
        if (x == XAxis.STEP) {
            long span = (long) max - (long) min;
            return new BucketLayout(x, min, Math.max(1, span / count + 1), count);
        }
        return new BucketLayout(x, min, (max - min) / count, count);
    }

    /**
     * At most {@code count} step buckets over min..max whose edges are multiples of {@code stride}
     * (a power of two): the width is the one {@link #over} gives rounded up to a multiple of the
     * stride, and the first edge the multiple at or below min. Sub-blocks cut at multiples of the
     * stride, or of any smaller power of two, then lie each in one bucket.
     */
    public static BucketLayout aligned(long min, long max, int count, long stride) {
        long lo = Math.floorDiv(min, stride) * stride;
        long nominal = (max - min) / count + 1;
        long width = Math.max(stride, (nominal + stride - 1) / stride * stride);
        while ((max - lo) / width + 1 > count) {
            width += stride;
        }
        return new BucketLayout(XAxis.STEP, lo, width, (int) ((max - lo) / width + 1));
    }

    /**
     * At most {@code count} wall-time buckets over min..max whose edges are multiples of
     * {@code stride} seconds (a power of two): as {@link #aligned} on steps. Wall blocks cut at
     * multiples of the stride, or of any smaller power of two, then lie each in one bucket. Edges
     * and widths are whole multiples of a power of two, so they are exact doubles.
     */
    public static BucketLayout alignedWall(double min, double max, int count, double stride) {
        double lo = Math.floor(min / stride) * stride;
        double width = Math.max(stride, Math.ceil((max - min) / count / stride) * stride);
        while (Math.floor((max - lo) / width) + 1 > count) {
            width += stride;
        }
        return new BucketLayout(XAxis.WALL_TIME, lo, width, (int) Math.floor((max - lo) / width) + 1);
    }

    /**
     * The same buckets moved by {@code origin} on the wall-time line: a relative-time layout
     * (0 = a series' first point) placed at one series' own start.
     */
    public BucketLayout startingAt(double origin) {
        return origin == 0 ? this : new BucketLayout(x, lo + origin, width, count);
    }

    /** The bucket of a point; on a time axis (wall or relative) by its wall time. */
    public int bucketOf(long step, double wallTime) {
        double value = x == XAxis.STEP ? step : wallTime;
        if (!(width > 0)) {
            return 0;
        }
        double b = Math.floor((value - lo) / width);
        return (int) Math.max(0, Math.min(count - 1, b));
    }
}
