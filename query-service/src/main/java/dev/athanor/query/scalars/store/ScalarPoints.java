package dev.athanor.query.scalars.store;

/**
 * Columnar points of a (possibly downsampled) series. Index i across the arrays is one point or
 * bucket: {@code x} is the step or wall time of the bucket's last point, {@code value} that
 * point's value, {@code min}/{@code max} the extremes of the finite values in the bucket (null when
 * there are none), {@code count} how many points the bucket stands for, {@code firstStep} the
 * first step it covers. NaN and infinities are written as the strings "NaN", "Infinity",
 * "-Infinity".
 */
public record ScalarPoints(double[] x, long[] step, double[] wallTime, double[] value, Double[] min, Double[] max,
                           long[] count, long[] firstStep, long[] nanCount) {

    public int size() {
        return step.length;
    }
}
