import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formOfRule, ruleBody } from '../src/app/alert-rule-form';
import type { AlertRule } from '../src/api/types';

const rule: AlertRule = {
  id: 4, project: 'p', name: 'nan watch', experiment: 'sweep', experimentId: 2, filter: "status = 'running'",
  condition: 'no nan in metrics.loss', kind: 'CHANGE', webhook: { url: 'https://hooks.example.com/…', format: 'slack', hasSecret: true },
  firing: [],
};

test('a new rule sends every field it has, and nothing for empty optional ones', () => {
  const body = ruleBody({ ...formOfRule(null), name: ' r ', condition: 'no nan in metrics.loss', url: 'https://h.example/x' }, null);
  assert.deepEqual(body, { name: 'r', condition: 'no nan in metrics.loss', webhook: { url: 'https://h.example/x', format: 'json' } });
});

test('a change of an untouched form sends nothing: the URL and secret start empty, meaning keep', () => {
  assert.deepEqual(ruleBody(formOfRule(rule), rule), {});
});

test('a change sends only what differs; a cleared experiment or filter is sent as null', () => {
  const values = { ...formOfRule(rule), condition: 'metrics.loss@last > 3', experiment: ' ', filter: '' };
  assert.deepEqual(ruleBody(values, rule), { experiment: null, filter: null, condition: 'metrics.loss@last > 3' });
});

test('the webhook: a new URL, format or secret is sent; removing the secret sends null', () => {
  assert.deepEqual(ruleBody({ ...formOfRule(rule), format: 'json', secret: 'new-secret-1' }, rule),
    { webhook: { format: 'json', secret: 'new-secret-1' } });
  assert.deepEqual(ruleBody({ ...formOfRule(rule), removeSecret: true }, rule), { webhook: { secret: null } });
  assert.deepEqual(ruleBody({ ...formOfRule({ ...rule, webhook: { ...rule.webhook, hasSecret: false } }), removeSecret: true },
    { ...rule, webhook: { ...rule.webhook, hasSecret: false } }), {}, 'no secret to remove');
});
