// A project's alert rules (#/alerts/<project>): the rules, what fires now (links to the run and to
// the chart at the firing step) and, per rule, its history with the delivery log. The project's
// admins also create, change, test and delete rules here (as with `athanor alerts`, docs/alerts.md).

import { get, post, del, ApiError } from '../api/client';
import type { AlertEvent, AlertRule } from '../api/types';
import { h, notice, formatTime } from '../ui/dom';
import { confirmAction } from '../ui/confirm';
import { canAdmin } from '../runs/permissions';
import { firingByRun } from './alert-links';
import { alertRuleForm } from './alert-rule-form';

/** What a row's admin buttons do; null for readers, who see no buttons. */
interface RuleActions {
  edit(rule: AlertRule): void;
  test(rule: AlertRule, status: HTMLElement): void;
  remove(rule: AlertRule): Promise<void>;
}

interface TestResult { event: number; delivery: number; delivered: boolean; status?: number | null; error?: string | null }

/** Run ids that some rule of the project fires for now, with the rules' names. */
export async function firingRuns(project: string): Promise<Map<number, string[]>> {
  return firingByRun(await get<AlertRule[]>(`/projects/${encodeURIComponent(project)}/alert-rules`));
}

function rulesTable(rules: AlertRule[], showHistory: (rule: AlertRule) => void, actions: RuleActions | null): HTMLElement {
  return h('table', { class: 'data-table alert-rules' },
    h('thead', {}, h('tr', {}, ...['rule', 'scope', 'condition', 'webhook', 'firing', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rules.map((rule) => {
      const history = h('button', { type: 'button', class: 'small rule-history' }, 'history');
      history.addEventListener('click', () => showHistory(rule));
      const buttons: HTMLElement[] = [history];
      if (actions) {
        const edit = h('button', { type: 'button', class: 'small rule-edit' }, 'edit');
        edit.addEventListener('click', () => actions.edit(rule));
        const status = h('span', { class: 'rule-test-status small', role: 'status' });
        const test = h('button', { type: 'button', class: 'small rule-test' }, 'send a test');
        test.addEventListener('click', () => actions.test(rule, status));
        buttons.push(edit, test, confirmAction('rule-delete', 'delete…', 'Delete rule',
          () => `Rule “${rule.name}” is deleted with its history and any deliveries not yet made.`, () => actions.remove(rule)), status);
      }
      const scope = `${rule.experiment ?? '(whole project)'}${rule.filter ? ` where ${rule.filter}` : ''}`;
      return h('tr', { 'data-rule-id': rule.id },
        h('td', { class: 'rule-name' }, rule.name), h('td', {}, scope), h('td', {}, h('code', { class: 'rule-condition' }, rule.condition)),
        h('td', { class: 'small' }, `${rule.webhook.url} (${rule.webhook.format}${rule.webhook.hasSecret ? ', signed' : ''})`),
        h('td', { class: 'num' }, String(rule.firing.length)), h('td', { class: 'rule-actions' }, ...buttons));
    })));
}

function firingTable(rules: AlertRule[]): HTMLElement {
  const rows = rules.flatMap((rule) => rule.firing.map((f) => h('tr', { 'data-run-id': f.runId },
    h('td', {}, rule.name),
    h('td', {}, h('a', { href: `#/e/${f.experimentId}/scalars?runs=${f.runId}&run=${f.runId}` }, `${f.experiment} / ${f.run}`)),
    h('td', {}, f.observed ?? ''),
    h('td', { class: 'num' }, f.chart ? h('a', { href: f.chart, class: 'chart-at-step' }, f.step === null || f.step === undefined ? 'chart' : `step ${f.step}`) : ''),
    h('td', {}, formatTime(f.since)))));
  if (!rows.length) return notice('Nothing fires now.');
  return h('table', { class: 'data-table alerts-firing' },
    h('thead', {}, h('tr', {}, ...['rule', 'run', 'what was seen', 'chart', 'since'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows));
}

function historyTable(events: AlertEvent[]): HTMLElement {
  if (!events.length) return notice('No events yet.');
  return h('table', { class: 'data-table alert-history' },
    h('thead', {}, h('tr', {}, ...['at', 'event', 'run', 'what was seen', 'delivery', 'attempts', 'last answer'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...events.map((e) => {
      const d = e.deliveries[0];
      const answer = d ? (d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : '')) : '';
      return h('tr', { 'data-event-id': e.id },
        h('td', {}, formatTime(e.at)), h('td', {}, e.kind.toLowerCase()), h('td', {}, e.run ?? ''), h('td', {}, e.observed ?? ''),
        h('td', { class: d ? `delivery-${d.state.toLowerCase()}` : '' }, d ? d.state.toLowerCase() + (d.state === 'PENDING' && d.nextAttemptAt ? `, next ${formatTime(d.nextAttemptAt)}` : '') : ''),
        h('td', { class: 'num' }, d ? String(d.attempts) : ''), h('td', { class: 'small' }, answer));
    })));
}

export function alertsPage(project: string): HTMLElement {
  const rulesPath = `/projects/${encodeURIComponent(project)}/alert-rules`;
  const body = h('div', {}, notice('loading alert rules…', 'info'));
  const editor = h('section', { class: 'alert-rule-editor', 'aria-label': 'alert rule editor' });
  const history = h('section', { class: 'alert-history-host', 'aria-label': 'delivery log' });
  const newRule = h('button', { type: 'button', class: 'new-alert-rule', hidden: true }, 'New rule');
  const root = h('section', { class: 'alerts', 'aria-label': 'alerts' },
    h('div', { class: 'toolbar' }, h('h2', {}, `Alerts · project ${project}`), h('span', { class: 'grow' }), newRule,
      h('a', { href: '#/' }, 'experiments')),
    editor, body, history);
  const showHistory = (rule: AlertRule) => {
    history.replaceChildren(notice(`loading the history of ${rule.name}…`, 'info'));
    get<AlertEvent[]>(`${rulesPath}/${rule.id}/events`)
      .then((events) => history.replaceChildren(h('h3', {}, `History and deliveries · ${rule.name}`), historyTable(events)))
      .catch((e: Error) => history.replaceChildren(notice(e.message, 'error')));
  };
  const openEditor = (rule: AlertRule | null) => {
    editor.replaceChildren(h('h3', {}, rule ? `Change rule · ${rule.name}` : 'New rule'),
      alertRuleForm(project, rule, () => { editor.replaceChildren(); void load(); }, () => editor.replaceChildren()));
    editor.querySelector('input')?.focus();
  };
  const actions: RuleActions = {
    edit: openEditor,
    test(rule, status) {
      status.textContent = 'sending…';
      post<TestResult>(`${rulesPath}/${rule.id}/test`, null).then((r) => {
        // The error says more than the status when there is one ("the target answered HTTP 503", a refused connection).
        const answer = r.error ?? (r.status ? `HTTP ${r.status}` : 'no answer');
        status.textContent = `test ${r.delivered ? 'delivered' : 'not delivered'} (${answer})`;
        status.className = `rule-test-status small ${r.delivered ? 'delivery-delivered' : 'delivery-failed'}`;
        showHistory(rule);
      }, (e: unknown) => {
        status.textContent = e instanceof ApiError ? e.describe() : (e as Error).message;
      });
    },
    async remove(rule) {
      await del(`${rulesPath}/${rule.id}`);
      history.replaceChildren();
      await load();
    },
  };
  const admin = canAdmin(project);
  newRule.addEventListener('click', () => openEditor(null));
  const load = () => Promise.all([get<AlertRule[]>(rulesPath), admin])
    .then(([rules, isAdmin]) => {
      newRule.hidden = !isAdmin;
      if (!rules.length) {
        body.replaceChildren(notice(isAdmin ? 'No alert rules in this project yet: create one with “New rule”, `athanor alerts create`'
          + ' or POST /api/v1/projects/{project}/alert-rules.' : 'No alert rules in this project.'));
      } else {
        body.replaceChildren(h('h3', {}, 'Firing now'), firingTable(rules), h('h3', {}, 'Rules'),
          rulesTable(rules, showHistory, isAdmin ? actions : null));
      }
      body.dataset.loaded = 'true';
    })
    .catch((e: Error) => body.replaceChildren(notice(e.message, 'error')));
  void load();
  return root;
}
