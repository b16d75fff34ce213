// Distributions as TensorBoard draws them: at each step, the values at fixed percentiles of the
// histogram (basis points 0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000: the median, ±1, ±2
// and ±3 sigma of a normal, and the extremes), read off the bucket CDF with linear interpolation
// inside the bucket where the percentile falls.

export const BASIS_POINTS = [0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000];

/** buckets: [left, right, count] rows in increasing order. Returns one value per basis point (NaN when empty). */
export function percentiles(buckets: [number, number, number][], basisPoints = BASIS_POINTS): number[] {
  const total = buckets.reduce((n, b) => n + b[2], 0);
  if (!buckets.length || total <= 0) return basisPoints.map(() => NaN);
  return basisPoints.map((bp) => {
    const target = (bp / 10000) * total;
    let cumulative = 0;
    for (const [left, right, count] of buckets) {
      if (count <= 0) continue;
      if (cumulative + count >= target) {
        const fraction = (target - cumulative) / count;
        return left + (right - left) * Math.min(1, Math.max(0, fraction));
      }
      cumulative += count;
    }
    return buckets[buckets.length - 1][1];
  });
}
