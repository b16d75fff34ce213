import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formOf, metadataPatch, parseLabels, runTitle } from '../src/runs/run-metadata';
import type { Run } from '../src/api/types';

const run: Run = {
  id: 3, experimentId: 1, experiment: 'e', path: 'seed0_lr2', status: 'finished',
  displayName: 'baseline run', labels: ['baseline', 'lr'], note: '# why\n', color: '#aabbcc', pinned: true,
};

test('the display name wins over the path, which is the fallback', () => {
  assert.equal(runTitle(run), 'baseline run');
  assert.equal(runTitle({ path: 'p', displayName: null }), 'p');
  assert.equal(runTitle({ path: 'p', displayName: '' }), 'p');
});

test('labels split on commas and spaces, repeats and blanks dropped, order kept', () => {
  assert.deepEqual(parseLabels(' best,baseline  lr-0.1,, best '), ['best', 'baseline', 'lr-0.1']);
  assert.deepEqual(parseLabels('  '), []);
});

test('an untouched form sends nothing', () => {
  assert.deepEqual(metadataPatch(run, formOf(run)), {});
});

test('only the changed fields are sent; blank text and no labels clear', () => {
  const form = { ...formOf(run), displayName: '  ', labels: '', note: 'new *note*', pinned: false };
  assert.deepEqual(metadataPatch(run, form), { displayName: null, labels: null, note: 'new *note*', pinned: false });
});

test('a label reordered is a change; a color is sent lower case, none clears it', () => {
  assert.deepEqual(metadataPatch(run, { ...formOf(run), labels: 'lr, baseline' }), { labels: ['lr', 'baseline'] });
  assert.deepEqual(metadataPatch(run, { ...formOf(run), color: '#AABBCC' }), {});
  assert.deepEqual(metadataPatch(run, { ...formOf(run), color: '#112233' }), { color: '#112233' });
  assert.deepEqual(metadataPatch(run, { ...formOf(run), color: '' }), { color: null });
});

test('a run without metadata and an empty form send nothing', () => {
  const bare: Run = { id: 4, experimentId: 1, experiment: 'e', path: 'p', status: 'running' };
  assert.deepEqual(metadataPatch(bare, formOf(bare)), {});
});
