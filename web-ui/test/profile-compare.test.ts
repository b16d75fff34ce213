import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ratioText, signedDuration, type CompareRow } from '../src/profiles/compare-ops';

const row = (selfNsA: number, selfNsB: number): CompareRow => ({
  name: 'aten::mm', type: 'cpu_op', side: 'host', countA: 1, countB: 1, selfNsA, selfNsB, totalNsA: selfNsA,
  totalNsB: selfNsB, deltaSelfNs: selfNsB - selfNsA, ratio: selfNsA === 0 ? null : selfNsB / selfNsA,
});

test('a change reads with its sign and unit', () => {
  assert.equal(signedDuration(1_500_000), '+1.50 ms');
  assert.equal(signedDuration(-230_000), '−230 µs');
  assert.equal(signedDuration(0), '0 ns');
});

test('B against A: a ratio, or new / gone for an op on one side only', () => {
  assert.equal(ratioText(row(100, 125)), '×1.25');
  assert.equal(ratioText(row(0, 80)), 'new');
  assert.equal(ratioText(row(80, 0)), 'gone');
  assert.equal(ratioText(row(0, 0)), '');
});
