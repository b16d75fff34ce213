import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareOps } from '../src/profiles/compare-ops';
import type { OpRow } from '../src/profiles/profile-types';

const op = (name: string, selfNs: number, count = 1, side: 'host' | 'device' = 'host'): OpRow =>
  ({ name, type: 'cpu_op', side, kind: 'host_op', count, totalNs: selfNs, selfNs, avgNs: selfNs, share: 0 });

test('ops join by name, type and side; the largest change comes first', () => {
  const rows = compareOps([op('mm', 100, 3), op('add', 10), op('mm', 5, 1, 'device')], [op('mm', 40, 3), op('relu', 80)]);
  assert.deepEqual(rows.map((r) => [r.name, r.side, r.delta]), [
    ['relu', 'host', 80], ['mm', 'host', -60], ['add', 'host', -10], ['mm', 'device', -5]]);
  assert.deepEqual([rows[1]!.countA, rows[1]!.countB], [3, 3]);
  assert.deepEqual([rows[0]!.selfA, rows[0]!.countA], [0, 0]);
});
