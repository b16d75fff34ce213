import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertsHash, alertsProject, firingByRun } from '../src/app/alert-links';
import type { AlertRule } from '../src/api/types';

test('the alerts page hash round-trips a project name and is told apart from other pages', () => {
  assert.equal(alertsHash('vision-team'), '#/alerts/vision-team');
  assert.equal(alertsProject(alertsHash('a.b_c-1')), 'a.b_c-1');
  assert.equal(alertsProject('#/alerts/default?x=1'), 'default');
  assert.equal(alertsProject('#/'), null);
  assert.equal(alertsProject('#/e/3/scalars'), null);
  assert.equal(alertsProject('#/alerts/'), null);
});

function rule(id: number, name: string, runIds: number[]): AlertRule {
  return {
    id, project: 'p', name, condition: 'no nan in metrics.loss', kind: 'CHANGE',
    webhook: { url: 'https://h/…', format: 'json', hasSecret: true },
    firing: runIds.map((runId) => ({ ruleId: id, runId, run: `r${runId}`, experimentId: 1, experiment: 'e', since: '2026-01-01T00:00:00Z' })),
  };
}

test('each firing run lists every rule that fires for it', () => {
  const firing = firingByRun([rule(1, 'nan', [10, 11]), rule(2, 'stalled', [11]), rule(3, 'quiet', [])]);
  assert.deepEqual([...firing.keys()].sort(), [10, 11]);
  assert.deepEqual(firing.get(11), ['nan', 'stalled']);
  assert.deepEqual(firing.get(10), ['nan']);
});
