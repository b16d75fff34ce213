// A project's alert rules (#/alerts/<project>): the rules, what fires now (links to the run and to
// the chart at the firing step) and, per rule, its history with the delivery log. Rules are made
// with the API or `athanor alerts create` (docs/alerts.md).

import { get } from '../api/client';
import type { AlertEvent, AlertRule } from '../api/types';
import { h, notice, formatTime } from '../ui/dom';
import { firingByRun } from './alert-links';

/** Run ids that some rule of the project fires for now, with the rules' names. */
export async function firingRuns(project: string): Promise<Map<number, string[]>> {
  return firingByRun(await get<AlertRule[]>(`/projects/${encodeURIComponent(project)}/alert-rules`));
}

function rulesTable(rules: AlertRule[], showHistory: (rule: AlertRule) => void): HTMLElement {
  return h('table', { class: 'data-table alert-rules' },
    h('thead', {}, h('tr', {}, ...['rule', 'scope', 'condition', 'webhook', 'firing', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rules.map((rule) => {
      const history = h('button', { type: 'button', class: 'small' }, 'history');
      history.addEventListener('click', () => showHistory(rule));
      const scope = `${rule.experiment ?? '(whole project)'}${rule.filter ? ` where ${rule.filter}` : ''}`;
      return h('tr', { 'data-rule-id': rule.id },
        h('td', {}, rule.name), h('td', {}, scope), h('td', {}, h('code', {}, rule.condition)),
        h('td', { class: 'small' }, `${rule.webhook.url} (${rule.webhook.format}${rule.webhook.hasSecret ? ', signed' : ''})`),
        h('td', { class: 'num' }, String(rule.firing.length)), h('td', {}, history));
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
  const body = h('div', {}, notice('loading alert rules…', 'info'));
  const history = h('section', { class: 'alert-history-host', 'aria-label': 'delivery log' });
  const root = h('section', { class: 'alerts', 'aria-label': 'alerts' },
    h('div', { class: 'toolbar' }, h('h2', {}, `Alerts · project ${project}`), h('span', { class: 'grow' }), h('a', { href: '#/' }, 'experiments')),
    body, history);
  const showHistory = (rule: AlertRule) => {
    history.replaceChildren(notice(`loading the history of ${rule.name}…`, 'info'));
    get<AlertEvent[]>(`/projects/${encodeURIComponent(project)}/alert-rules/${rule.id}/events`)
      .then((events) => history.replaceChildren(h('h3', {}, `History and deliveries · ${rule.name}`), historyTable(events)))
      .catch((e: Error) => history.replaceChildren(notice(e.message, 'error')));
  };
  get<AlertRule[]>(`/projects/${encodeURIComponent(project)}/alert-rules`)
    .then((rules) => {
      if (!rules.length) {
        body.replaceChildren(notice('No alert rules in this project: create one with `athanor alerts create` or POST /api/v1/projects/{project}/alert-rules.'));
        return;
      }
      body.replaceChildren(h('h3', {}, 'Firing now'), firingTable(rules), h('h3', {}, 'Rules'), rulesTable(rules, showHistory));
    })
    .catch((e: Error) => body.replaceChildren(notice(e.message, 'error')));
  return root;
}
