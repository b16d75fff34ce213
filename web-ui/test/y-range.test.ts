import { test } from 'node:test';
import assert from 'node:assert/strict';
import { valueRange } from '../src/scalars/y-range';

const withSpike = [...Array.from({ length: 99 }, (_, i) => i / 100), 1000];

test('the full range keeps a spike', () => {
  assert.deepEqual(valueRange(withSpike, false, false), [0, 1000]);
});

test('ignoring outliers drops the spike and keeps the body of the values', () => {
  const [min, max] = valueRange(withSpike, false, true)!;
  assert.ok(max < 1, `max ${max}`);
  assert.ok(min <= 0.05, `min ${min}`);
});

test('non-finite values never count, and a log scale drops the non-positive', () => {
  assert.deepEqual(valueRange([NaN, Infinity, -1, 0, 2, 8], true, false), [2, 8]);
  assert.equal(valueRange([NaN], false, true), null);
});
