import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGroupBy, parseGroupBy } from '../src/groups/group-by';
import { groupLabel, groupLines } from '../src/groups/group-lines';
import { formatHash, parseHash } from '../src/app/state';
import type { ScalarGroup, ScalarSeries } from '../src/api/types';
import type { Line } from '../src/scalars/scalar-chart';

test('each picker choice becomes the groupBy the server reads, and back', () => {
  const cases: [Parameters<typeof formatGroupBy>[0], string][] = [
    [{ kind: 'hparam', value: 'lr' }, 'hparams.lr'],
    [{ kind: 'label', value: 'baseline' }, 'label:baseline'],
    [{ kind: 'label', value: '' }, 'label:'],
    [{ kind: 'regex', value: 'lr([0-9.]+)_seed' }, 'regex:lr([0-9.]+)_seed'],
    [{ kind: 'attribute', value: 'status' }, 'status'],
  ];
  for (const [choice, groupBy] of cases) {
    assert.equal(formatGroupBy(choice), groupBy);
    assert.deepEqual(parseGroupBy(groupBy), choice);
  }
  assert.deepEqual(parseGroupBy(''), { kind: 'none', value: '' });
});

test('an incomplete choice (no hparam, no pattern) asks for nothing', () => {
  assert.equal(formatGroupBy({ kind: 'hparam', value: '' }), '');
  assert.equal(formatGroupBy({ kind: 'regex', value: '' }), '');
  assert.equal(formatGroupBy({ kind: 'none', value: 'lr' }), '');
});

test('groups, aggregate, band, open groups and pinned charts survive the URL, names with commas included', () => {
  const state = parseHash('#/e/7/scalars');
  const shared = formatHash({ ...state, group: 'label:', aggregate: 'median', band: 'minmax', open: ['a,b', '(none)'], pins: ['train/loss', 'a,b'], run: 12 });
  const back = parseHash(shared);
  assert.equal(back.group, 'label:');
  assert.equal(back.aggregate, 'median');
  assert.equal(back.band, 'minmax');
  assert.deepEqual(back.open, ['a,b', '(none)']);
  assert.equal(back.run, 12);
  assert.deepEqual(back.pins, ['train/loss', 'a,b']);
  assert.equal(formatHash(state), '#/e/7/scalars', 'defaults leave the URL short');
});

function group(name: string, runIds: number[], center: (number | null)[]): ScalarGroup {
  return {
    key: name, name, runIds, runs: runIds.map(String),
    series: [{
      tag: 'loss', runIds, bucketWidth: 1,
      points: {
        x: center.map((_, i) => i), center, low: center.map((c) => (c === null ? null : c - 1)),
        high: center.map((c) => (c === null ? null : c + 1)), count: center.map(() => runIds.length), nonFinite: center.map(() => 0),
      },
    }],
  };
}

function member(runId: number): ScalarSeries {
  return {
    runId, run: `r${runId}`, tag: 'loss', totalPoints: 2,
    sampling: { method: 'all', x: 'step', maxPoints: 1000, pointsInRange: 2 },
    points: { x: [0, 1], step: [0, 1], wallTime: [0, 1], value: [1, 2], min: [null, null], max: [null, null], count: [1, 1], firstStep: [0, 1], nanCount: [0, 0] },
  };
}

const memberLine = (s: ScalarSeries, color: string): Line => ({
  runId: s.runId, run: s.run, color, xs: Float64Array.from(s.points.step), steps: s.points.step,
  raw: s.points.value as number[], mins: [], maxs: [], bucketed: true,
});

test('one banded line per group, legend with member counts; a missing center is a gap', () => {
  const groups = [group('0.1', [1, 2, 3], [5, null, 3]), group('0.3', [4, 5], [2, 1, 0])];
  const { lines, legend } = groupLines(groups, 'loss', new Set(), [], (i) => `#00000${i}`, memberLine);
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => l.bucketed && l.runId < 0), 'group lines carry a band and ids that are not run ids');
  assert.deepEqual(lines[0].mins, [4, null, 2]);
  assert.ok(Number.isNaN(lines[0].raw[1]));
  assert.deepEqual(legend.map((g) => [g.name, g.members, g.open]), [['0.1', 3, false], ['0.3', 2, false]]);
});

test('an open group adds its members in its color, without bands, under the aggregate', () => {
  const groups = [group('0.1', [1, 2], [5, 4]), group('0.3', [4], [2, 1])];
  const { lines, legend } = groupLines(groups, 'loss', new Set(['0.1']), [member(1), member(2), member(4)], (i) => ['#aa0000', '#00bb00'][i], memberLine);
  assert.deepEqual(lines.map((l) => l.runId), [1, 2, -1, -2]);
  assert.ok(lines.slice(0, 2).every((l) => l.color === '#aa0000' && !l.bucketed && (l.width ?? 1.5) < 1.5));
  assert.deepEqual(legend.map((g) => g.open), [true, false]);
});

test('groups without the tag are left out of that chart', () => {
  const other = { ...group('x', [9], [1]), series: [] };
  const { lines, legend } = groupLines([other], 'loss', new Set(), [], () => '#000000', memberLine);
  assert.equal(lines.length, 0);
  assert.equal(legend.length, 0);
});

test('number keys read as numbers elsewhere in the UI do (1, not 1.0); text keys as the server names them', () => {
  assert.equal(groupLabel({ key: 1, name: '1.0' }), '1');
  assert.equal(groupLabel({ key: 0.003, name: '0.003' }), '0.003');
  assert.equal(groupLabel({ key: null, name: '(none)' }), '(none)');
  assert.equal(groupLabel({ key: 'adam', name: 'adam' }), 'adam');
});
