import { test } from 'node:test';
import assert from 'node:assert/strict';
import { purgeSummary } from '../src/app/trash-view';
import type { TrashEntry } from '../src/api/types';

const entry = (over: Partial<TrashEntry>): TrashEntry => ({
  kind: 'run', id: 7, project: 'p', experimentId: 3, experiment: 'sweep', name: 'lr0.1', trashedAt: '2026-01-01T00:00:00Z',
  trashedBy: 'alice', purgeAfter: '2026-01-31T00:00:00Z', purgeRequestedAt: null, purgeError: null,
  footprint: { runs: 1, series: 12, hotFiles: 1, objects: 4 }, ...over,
});

test('the purge confirmation counts what a run purge removes', () => {
  assert.equal(purgeSummary(entry({})), 'Purging run “lr0.1” of experiment “sweep” removes 12 series from the index,'
    + ' 1 hot file and 4 archived or replicated objects, with an audit record of each. It cannot be undone.');
});

test('an experiment purge names its runs', () => {
  const text = purgeSummary(entry({ kind: 'experiment', name: 'sweep', footprint: { runs: 5, series: 1, hotFiles: 0, objects: 0 } }));
  assert.match(text, /^Purging experiment “sweep” and its 5 runs removes 1 series from the index, 0 hot files and 0 archived or replicated objects/);
});
