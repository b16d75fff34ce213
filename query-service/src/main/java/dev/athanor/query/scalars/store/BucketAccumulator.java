package dev.athanor.query.scalars.store;

/**
 * The aggregate of the points one bucket stands for, fed whole chunk roll-ups, partial aggregates
 * or single points: count, NaN count, min/max over finite values, first step, and the last point.
 */
final class BucketAccumulator {
    long count;
    long nanCount;
    boolean hasFinite;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long firstStep = Long.MAX_VALUE;
    long lastStep = Long.MIN_VALUE;
    double lastValue;
    double lastWall;

    void addChunk(ChunkSummary c) {
        count += c.pointCount();
        nanCount += c.nanCount();
        if (c.minValue() != null) {
            hasFinite = true;
            min = Math.min(min, c.minValue());
            max = Math.max(max, c.maxValue());
        }
        firstStep = Math.min(firstStep, c.firstStep());
        if (c.lastStep() > lastStep) {
            lastStep = c.lastStep();
            lastValue = c.lastValue();
            lastWall = c.lastWallTime();
        }
    }

    void addAggregate(BucketAggregate a) {
        count += a.count();
        nanCount += a.nanCount();
        if (a.min() != null) {
            hasFinite = true;
            min = Math.min(min, a.min());
            max = Math.max(max, a.max());
        }
        firstStep = Math.min(firstStep, a.firstStep());
        if (a.lastStep() > lastStep) {
            lastStep = a.lastStep();
            lastValue = a.lastValue();
            lastWall = a.lastWallTime();
        }
    }

    void addPoint(long step, double wall, double value) {
        count++;
        if (Double.isNaN(value)) {
            nanCount++;
        } else if (Double.isFinite(value)) {
            hasFinite = true;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        firstStep = Math.min(firstStep, step);
        if (step > lastStep) {
            lastStep = step;
            lastValue = value;
            lastWall = wall;
        }
    }

    BucketAggregate result(long seriesId, int bucket) {
        return new BucketAggregate(seriesId, bucket, count, hasFinite ? min : null, hasFinite ? max : null, nanCount,
                firstStep, lastStep, lastValue, lastWall);
    }
}
