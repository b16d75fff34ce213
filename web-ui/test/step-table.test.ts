import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexAtStep, stepRows } from '../src/scalars/step-table';
import type { Line } from '../src/scalars/scalar-chart';

test('the last step at or before the chosen one; none before the first', () => {
  assert.equal(indexAtStep([0, 10, 20], 10), 1);
  assert.equal(indexAtStep([0, 10, 20], 15), 1);
  assert.equal(indexAtStep([0, 10, 20], 99), 2);
  assert.equal(indexAtStep([5, 10], 4), -1);
  assert.equal(indexAtStep([], 4), -1);
});

function line(run: string, steps: number[], raw: number[], walls?: number[]): Line {
  return { runId: 1, run, color: '#000000', xs: Float64Array.from(steps), steps, raw, mins: [], maxs: [], bucketed: false, walls };
}

test('each line answers with its own point, smoothed value and time since its start; late starters are left out', () => {
  const lines = [line('a', [0, 2, 4], [1, 2, 3], [100, 110, 130]), line('b', [1, 3], [5, 6]), line('late', [50], [9])];
  const rows = stepRows(lines, [[1, 1.5, 2], [5, 5.5], [9]], 3);
  assert.deepEqual(rows.map((r) => [r.run, r.step, r.value, r.smoothed, r.relative]), [['a', 2, 2, 1.5, 10], ['b', 3, 6, 5.5, null]]);
});
