import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterGroups, sortGroups, type SessionGroup } from '../src/groups/session-groups';

function group(name: string, members: number, acc: number | null): SessionGroup {
  return {
    key: name, name, runIds: Array.from({ length: members }, (_, i) => i), runs: [],
    metrics: { acc: { avg: acc, median: acc, min: acc === null ? null : acc - 0.1, max: acc, count: acc === null ? 0 : members } },
  };
}

const groups = [group('lr10', 2, 0.5), group('lr2', 3, 0.9), group('none', 1, null), group('lr1', 5, 0.7)];

test('sorts on an aggregate either way, groups without the value last', () => {
  assert.deepEqual(sortGroups(groups, 'acc@avg').map((g) => g.name), ['lr10', 'lr1', 'lr2', 'none']);
  assert.deepEqual(sortGroups(groups, '-acc@avg').map((g) => g.name), ['lr2', 'lr1', 'lr10', 'none']);
  assert.deepEqual(sortGroups(groups, '-members').map((g) => g.name), ['lr1', 'lr2', 'lr10', 'none']);
});

test('names sort naturally; no sort keeps the server order', () => {
  assert.deepEqual(sortGroups(groups, 'name').map((g) => g.name), ['lr1', 'lr2', 'lr10', 'none']);
  assert.equal(sortGroups(groups, ''), groups);
});

test('filters on an aggregate; a group without the value never passes', () => {
  assert.deepEqual(filterGroups(groups, { column: 'acc@min', op: '>=', value: 0.6 }).map((g) => g.name), ['lr2', 'lr1']);
  assert.deepEqual(filterGroups(groups, { column: 'acc@max', op: '<', value: 0.6 }).map((g) => g.name), ['lr10']);
  assert.equal(filterGroups(groups, { column: 'acc@avg', op: '<', value: NaN }).length, 4, 'no number, no filter');
});

test('metric names with @ in them still find their aggregate', () => {
  const odd: SessionGroup = { ...group('x', 1, null), metrics: { 'a@b': { avg: 1, median: 1, min: 1, max: 1, count: 1 } } };
  assert.equal(filterGroups([odd], { column: 'a@b@max', op: '>', value: 0 }).length, 1);
});
