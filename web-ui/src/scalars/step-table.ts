// The step-selection data table (TensorBoard's time series has one): every line's value, smoothed
// value, step and relative time at a chosen step — each line's last point at or before it, so runs
// that logged on different steps still answer.

import type { Line } from './scalar-chart';

export interface StepRow {
  run: string;
  color: string;
  value: number;
  smoothed: number | null;
  step: number;
  /** Seconds since the line's first point, when its wall times are known. */
  relative: number | null;
}

/** Index of the last step ≤ `step` in ascending `steps`, or -1 when every step is after it. */
export function indexAtStep(steps: number[], step: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function stepRows(lines: Line[], smoothed: (number | null)[][], step: number): StepRow[] {
  const rows: StepRow[] = [];
  lines.forEach((line, i) => {
    const j = indexAtStep(line.steps, step);
    if (j < 0) return;
    rows.push({
      run: line.run, color: line.color, value: line.raw[j], smoothed: smoothed[i][j] ?? null, step: line.steps[j],
      relative: line.walls && line.walls.length ? line.walls[j] - line.walls[0] : null,
    });
  });
  return rows;
}
