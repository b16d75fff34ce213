import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zoomWindow, panWindow } from '../src/profiles/timeline-view';
import { formatDuration } from '../src/profiles/profile-types';

test('zooming keeps the time under the pointer where it was', () => {
  const [s, e] = zoomWindow(0, 1000_000, 250_000, 0.5, 1000_000);
  assert.equal(e - s, 500_000);
  assert.equal((250_000 - s) / (e - s), 0.25);
});

test('zooming out stops at the whole trace, zooming in at a microsecond', () => {
  assert.deepEqual(zoomWindow(100, 900, 500, 10, 1000), [0, 1000]);
  const [s, e] = zoomWindow(0, 2000, 1000, 0.01, 1_000_000);
  assert.equal(e - s, 1000);
});

test('panning is kept inside the trace', () => {
  assert.deepEqual(panWindow(100, 300, -500, 1000), [0, 200]);
  assert.deepEqual(panWindow(100, 300, 5000, 1000), [800, 1000]);
  assert.deepEqual(panWindow(100, 300, 50, 1000), [150, 350]);
});

test('durations read as people write them', () => {
  assert.equal(formatDuration(12), '12 ns');
  assert.equal(formatDuration(230_000), '230 µs');
  assert.equal(formatDuration(1_500_000), '1.50 ms');
  assert.equal(formatDuration(3_200_000_000), '3.20 s');
});
