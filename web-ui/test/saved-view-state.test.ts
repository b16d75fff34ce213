import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STATE, fromViewState, parseHash, toViewState, type AppState } from '../src/app/state';

const shown: AppState = {
  ...DEFAULT_STATE, experiment: 7, tab: 'scalars', runs: [3, 1], tagFilter: 'loss', smoothing: 0.9, x: 'relative', log: true,
  outliers: true, filter: 'hparams.lr < 0.01', sort: '-metrics.loss@min', columns: ['hparams.lr'], group: 'hparams.lr',
  aggregate: 'median', band: 'minmax', open: ['0.01, 0.1'], pins: ['val/loss'], step: 1000, run: 42, view: null,
  bandOpacity: 0.35, compare: [8, 3, 5],
};

test('a saved view gives back what the page showed, in any experiment, without the open run page', () => {
  const saved = JSON.parse(JSON.stringify(toViewState(shown)));
  assert.equal(saved.tab, 'scalars');
  assert.ok(!saved.query.includes('run=42'));
  assert.deepEqual(fromViewState(7, saved), { ...shown, run: null });
  assert.equal(fromViewState(9, saved).experiment, 9);
});

test('a view link is parsed, and a view of unknown shape opens as the default scalars page', () => {
  assert.equal(parseHash('#/e/7/hparams?view=12').view, 12);
  assert.equal(parseHash('#/e/7/hparams?view=x').view, null);
  assert.deepEqual(fromViewState(7, { tab: 'nonsense', query: 42 as never }), { ...DEFAULT_STATE, experiment: 7, columns: [], open: [], pins: [] });
});

test('a comparison link takes 2 to 6 distinct runs; anything else opens no comparison', () => {
  assert.deepEqual(parseHash('#/e/7/scalars?compare=5,3').compare, [5, 3]);
  assert.deepEqual(parseHash('#/e/7/scalars?compare=5,3,5').compare, [5, 3]);
  assert.equal(parseHash('#/e/7/scalars?compare=5').compare, null);
  assert.equal(parseHash('#/e/7/scalars?compare=1,2,3,4,5,6,7').compare, null);
  assert.equal(parseHash('#/e/7/scalars?bandAlpha=4').bandOpacity, 1);
  assert.equal(parseHash('#/e/7/scalars?bandAlpha=x').bandOpacity, DEFAULT_STATE.bandOpacity);
});
