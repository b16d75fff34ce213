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
