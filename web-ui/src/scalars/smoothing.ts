// TensorBoard's scalar smoothing: an exponential moving average debiased like Adam's first
// moment (divide by 1 - w^n), so the first points are not dragged towards zero. Non-finite
// values pass through and do not enter the average; a constant series is returned as is.

export function smooth(values: ArrayLike<number | null>, weight: number): (number | null)[] {
  const out: (number | null)[] = new Array(values.length);
  const w = Math.min(Math.max(weight, 0), 0.999999);
  let first: number | null = null;
  let constant = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) continue;
    if (first === null) first = v;
    else if (v !== first) {
      constant = false;
      break;
    }
  }
  if (w === 0 || constant) {
    for (let i = 0; i < values.length; i++) out[i] = values[i];
    return out;
  }
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    n++;
    out[i] = last / (1 - Math.pow(w, n));
  }
  return out;
}

/**
 * Smoothing of a line reduced to pixel columns (M4): the average runs over the columns' means,
 * one step per column, so a column's 1–4 kept extremes do not weigh in; every kept point of a
 * column takes its column's smoothed mean. `bucketSizes[c]` points belong to column c, in order.
 */
export function smoothColumns(means: ArrayLike<number | null>, bucketSizes: ArrayLike<number>, weight: number): (number | null)[] {
  const perColumn = smooth(means, weight);
  const out: (number | null)[] = [];
  for (let c = 0; c < bucketSizes.length; c++) {
    for (let k = 0; k < bucketSizes[c]; k++) out.push(perColumn[c]);
  }
  return out;
}
