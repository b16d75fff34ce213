import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counted } from '../src/ui/dom';

test('a count names its noun in the singular only for one', () => {
  assert.equal(counted(1, 'run'), '1 run');
  assert.equal(counted(0, 'run'), '0 runs');
  assert.equal(counted(2, 'hot file'), '2 hot files');
  assert.equal(counted(3, 'series', 'series'), '3 series');
});

test('large counts are grouped the way the reader\'s locale writes them', () => {
  assert.equal(counted(1200, 'run'), `${(1200).toLocaleString()} runs`);
});
