// The form that creates or changes an alert rule (admins of the project). A new rule POSTs every
// field; a change PUTs only what differs, since the server keeps what is left out. The webhook URL
// is shown by the server only up to its host (paths of Slack-style URLs are credentials), and the
// secret never: both fields start empty, and empty means "keep".

import { post, put, ApiError } from '../api/client';
import type { AlertRule } from '../api/types';
import { h } from '../ui/dom';

/** What the form holds, as typed. */
export interface RuleFormValues {
  name: string;
  experiment: string;
  filter: string;
  condition: string;
  url: string;
  format: 'json' | 'slack';
  secret: string;
  removeSecret: boolean;
}

export function formOfRule(rule: AlertRule | null): RuleFormValues {
  return {
    name: rule?.name ?? '', experiment: rule?.experiment ?? '', filter: rule?.filter ?? '', condition: rule?.condition ?? '',
    url: '', format: rule?.webhook.format ?? 'json', secret: '', removeSecret: false,
  };
}

/**
 * The request body: every field of a new rule; for an existing one only what changed (a cleared
 * experiment or filter is sent as null, which removes it). Empty when nothing changed.
 */
export function ruleBody(values: RuleFormValues, rule: AlertRule | null): Record<string, unknown> {
  const optional = (v: string) => (v.trim() ? v.trim() : null);
  const webhook: Record<string, unknown> = {};
  if (values.url.trim()) webhook.url = values.url.trim();
  if (!rule || values.format !== rule.webhook.format) webhook.format = values.format;
  if (values.secret) webhook.secret = values.secret;
  else if (rule && values.removeSecret && rule.webhook.hasSecret) webhook.secret = null;
  const body: Record<string, unknown> = {};
  const fields: [string, string | null, string | null | undefined][] = [
    ['name', values.name.trim(), rule?.name],
    ['experiment', optional(values.experiment), rule?.experiment ?? null],
    ['filter', optional(values.filter), rule?.filter ?? null],
    ['condition', values.condition.trim(), rule?.condition],
  ];
  for (const [key, value, before] of fields) {
    if (!rule ? value !== null : value !== before) body[key] = value;
  }
  if (Object.keys(webhook).length) body.webhook = webhook;
  return body;
}

/** The form for a new rule (`rule` null) or a change of `rule`; `saved` gets the rule as the server answered. */
export function alertRuleForm(project: string, rule: AlertRule | null, saved: (rule: AlertRule) => void,
  cancelled: () => void): HTMLFormElement {
  const values = formOfRule(rule);
  const id = (name: string) => `alert-rule-${rule?.id ?? 'new'}-${name}`;
  const text = (name: string, cls: string, value: string, extra: Record<string, string | number | boolean> = {}) =>
    h('input', { type: 'text', id: id(name), class: cls, value, spellcheck: 'false', ...extra });
  const name = text('name', 'rule-name', values.name, { maxlength: 256, required: true });
  const experiment = text('experiment', 'rule-experiment', values.experiment, { placeholder: '(the whole project)' });
  const filter = text('filter', 'rule-filter', values.filter, { placeholder: "hparams.lr > 0.01 and status = 'running'" });
  const condition = text('condition', 'rule-condition', values.condition,
    { required: true, placeholder: 'no nan in metrics.loss' });
  const url = h('input', { type: 'url', id: id('url'), class: 'rule-url', required: !rule,
    placeholder: rule ? `${rule.webhook.url} (leave empty to keep)` : 'https://hooks.example.com/…' });
  const format = h('select', { id: id('format'), class: 'rule-format' },
    ...(['json', 'slack'] as const).map((f) => h('option', { value: f, selected: f === values.format }, f)));
  const secret = h('input', { type: 'password', id: id('secret'), class: 'rule-secret', autocomplete: 'new-password',
    placeholder: rule?.webhook.hasSecret ? '(kept; type to replace)' : 'at least 8 characters (optional)' });
  const removeSecret = h('input', { type: 'checkbox', id: id('remove-secret'), class: 'rule-remove-secret' });
  const save = h('button', { type: 'submit', class: 'rule-save' }, rule ? 'Save' : 'Create rule');
  const cancel = h('button', { type: 'button', class: 'rule-cancel' }, 'Cancel');
  cancel.addEventListener('click', cancelled);
  const status = h('span', { class: 'rule-save-status muted', role: 'status' });
  const error = h('div', { class: 'field-error rule-save-error', role: 'alert' });
  const label = (name: string, what: string) => h('label', { for: id(name) }, what);
  const form = h('form', { class: 'alert-rule-form', 'aria-label': rule ? `change alert rule ${rule.name}` : 'new alert rule' },
    label('name', 'Name'), name,
    label('condition', 'Condition'), h('div', {}, condition, h('div', { class: 'muted hint' },
      "e.g. no nan in metrics.loss · metrics.val_loss@last > 1.5 after step 1000 · no new points in metrics.loss for 15m · status = 'failed'")),
    label('experiment', 'Experiment'), experiment,
    label('filter', 'Run filter'), filter,
    label('url', 'Webhook URL'), url,
    label('format', 'Body'), format,
    label('secret', 'Signing secret'), h('div', {}, secret,
      ...(rule?.webhook.hasSecret ? [' ', h('label', {}, removeSecret, ' remove the secret')] : [])),
    h('div', { class: 'form-actions' }, save, cancel, status), error);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = ruleBody({
      name: name.value, experiment: experiment.value, filter: filter.value, condition: condition.value, url: url.value,
      format: format.value as 'json' | 'slack', secret: secret.value, removeSecret: removeSecret.checked,
    }, rule);
    if (rule && !Object.keys(body).length) {
      status.textContent = 'nothing changed';
      return;
    }
    const rules = `/projects/${encodeURIComponent(project)}/alert-rules`;
    save.disabled = true;
    error.textContent = '';
    status.textContent = 'saving…';
    (rule ? put<AlertRule>(`${rules}/${rule.id}`, body) : post<AlertRule>(rules, body)).then((answer) => {
      save.disabled = false;
      status.textContent = 'saved';
      saved(answer);
    }, (e: unknown) => {
      save.disabled = false;
      status.textContent = '';
      error.textContent = e instanceof ApiError ? e.describe() : (e as Error).message;
    });
  });
  return form;
}
