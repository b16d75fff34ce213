import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smooth, smoothColumns } from '../src/scalars/smoothing';

test('weight 0 leaves the series alone', () => {
  assert.deepEqual(smooth([1, 5, 2], 0), [1, 5, 2]);
});

test('the first smoothed point equals the first value (debiased, not pulled to 0)', () => {
  assert.equal(smooth([10, 0, 0], 0.9)[0], 10);
});

test('debiased EMA matches the hand-computed value', () => {
  // n=2: last = 0.9*(0.1*10) + 0.1*0 = 0.9; debias 1 - 0.81 = 0.19
  const out = smooth([10, 0], 0.9);
  assert.ok(Math.abs((out[1] as number) - 0.9 / 0.19) < 1e-12);
});

test('NaN and infinities pass through and do not poison later points', () => {
  const out = smooth([1, NaN, Infinity, 3], 0.5);
  assert.ok(Number.isNaN(out[1] as number));
  assert.equal(out[2], Infinity);
  // two finite points: last = 0.5*(0.5*1) + 0.5*3 = 1.75; debias 0.75
  assert.ok(Math.abs((out[3] as number) - 1.75 / 0.75) < 1e-12);
});

test('a constant series stays constant', () => {
  assert.deepEqual(smooth([2, 2, 2], 0.99), [2, 2, 2]);
});

test('pixel columns are smoothed by their means, one step per column, spread over their points', () => {
  // Columns of 4, 1 and 2 points; means 10, 0, null: the kept extremes play no part.
  const out = smoothColumns([10, 0, null], [4, 1, 2], 0.9);
  assert.equal(out.length, 7);
  assert.deepEqual(out.slice(0, 4), [10, 10, 10, 10]);
  assert.ok(Math.abs((out[4] as number) - 0.9 / 0.19) < 1e-12);
  assert.deepEqual(out.slice(5), [null, null]);
});
