// The y range a chart shows. With "ignore outliers" (TensorBoard's checkbox) the range covers the
// values between the 5th and 95th percentile, as TensorBoard's, so one spike does not flatten
// every other line.

const LOW = 0.05;
const HIGH = 0.95;

/** [min, max] of the finite values (positive only on a log scale), or null when there are none. */
export function valueRange(values: number[], log: boolean, ignoreOutliers: boolean): [number, number] | null {
  const kept = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (!kept.length) return null;
  if (!ignoreOutliers) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of kept) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return [min, max];
  }
  kept.sort((a, b) => a - b);
  const at = (q: number) => kept[Math.min(kept.length - 1, Math.max(0, Math.round(q * (kept.length - 1))))];
  return [at(LOW), at(HIGH)];
}
