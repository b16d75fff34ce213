import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentiles } from '../src/histograms/percentiles';

test('a uniform histogram over [0, 10) has its median at 5 and extremes at the edges', () => {
  const buckets: [number, number, number][] = Array.from({ length: 10 }, (_, i) => [i, i + 1, 1]);
  const [min, , , , median, , , , max] = percentiles(buckets);
  assert.equal(min, 0);
  assert.equal(median, 5);
  assert.equal(max, 10);
});

test('empty buckets are skipped: the minimum is the left edge of the first non-empty bucket', () => {
  const p = percentiles([[-5, -4, 0], [0, 1, 4], [1, 2, 0]]);
  assert.equal(p[0], 0);
  assert.equal(p[8], 1);
});

test('no data gives NaN, not zero', () => {
  assert.ok(percentiles([]).every(Number.isNaN));
  assert.ok(percentiles([[0, 1, 0]]).every(Number.isNaN));
});
