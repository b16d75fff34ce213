// Side by side: 2-6 runs' hparams and metric summaries (last, min, max, best and its step) in one
// table read in one request (GET /experiments/{id}/compare), rows where the runs differ marked and
// each metric's best run highlighted; under it the runs' scalar charts overlaid — the scalars view
// with the compared runs as its selection. `compare=` in the URL keeps it shareable.

import { get, query, ApiError } from '../api/client';
import type { ComparedMetric, ComparedValues, HparamValue, RunComparison } from '../api/types';
import type { AppState } from '../app/state';
import type { ViewContext } from '../app/context';
import { ScalarsView } from '../scalars/scalars-view';
import { runTitle } from '../runs/run-metadata';
import { runColor } from '../ui/colors';
import { h, notice, formatNumber } from '../ui/dom';

/** The rows each metric gets, in order, and what a cell shows. */
const STATS: { stat: keyof ComparedValues | 'best'; label: string }[] = [
  { stat: 'last', label: 'last' }, { stat: 'min', label: 'min' }, { stat: 'max', label: 'max' }, { stat: 'best', label: 'best' },
];

export class ComparePage {
  readonly element: HTMLElement;
  private readonly tableHost: HTMLElement;
  private readonly charts = new ScalarsView(false);
  private comparison: RunComparison | null = null;

  constructor(private readonly experimentId: number, readonly runIds: number[], close: () => void) {
    const back = h('button', { type: 'button', class: 'small compare-close' }, '← back to the views');
    back.addEventListener('click', close);
    this.tableHost = h('div', { class: 'compare-table-host', role: 'status' }, 'loading the comparison…');
    this.element = h('section', { class: 'run-compare', 'aria-label': 'run comparison' },
      h('header', { class: 'compare-head' }, back, h('h3', {}, `Comparing ${runIds.length} runs`),
        h('span', { class: 'muted' }, 'highlighted rows differ between the runs; ★ marks each metric\'s best run')),
      this.tableHost,
      h('h3', { class: 'compare-charts-title' }, 'Charts'),
      this.charts.element);
    void this.load();
  }

  /** The charts follow the page's state (smoothing, axes) with the compared runs as the selection. */
  update(ctx: ViewContext, state: AppState, previous: AppState | null): void {
    const byId = new Map(ctx.runs.map((r) => [r.id, r]));
    const selected = this.runIds.map((id) => byId.get(id)).filter((r) => r !== undefined);
    this.charts.update({ ...ctx, selected }, { ...state, group: '', open: [] }, previous && { ...previous, group: '', open: [] });
  }

  refresh(ctx: ViewContext): void {
    this.charts.refresh(ctx);
  }

  destroy(): void {
    this.charts.destroy();
  }

  private async load(): Promise<void> {
    try {
      this.comparison = await get<RunComparison>(`/experiments/${this.experimentId}/compare${query({ runs: this.runIds.join(',') })}`);
      this.tableHost.replaceChildren(this.table(this.comparison));
      this.tableHost.removeAttribute('role');
      this.tableHost.dataset.loaded = 'true';
    } catch (e) {
      this.tableHost.replaceChildren(notice(e instanceof ApiError ? e.describe() : (e as Error).message, 'error'));
    }
  }

  private table(c: RunComparison): HTMLElement {
    const head = h('tr', {}, h('th', { scope: 'col' }, 'run'), ...c.runs.map((r) => h('th', { scope: 'col', 'data-run': r.id },
      h('span', { class: 'swatch', style: `background:${r.color ?? runColor(r.id)}` }),
      h('a', { href: `#/e/${this.experimentId}/scalars?run=${r.id}`, title: r.path }, runTitle(r)))));
    const columns = c.runs.length + 1;
    const hparams = c.hparams.map((p) => h('tr', { class: p.differs ? 'differs' : '', 'data-hparam': p.name },
      h('th', { scope: 'row' }, p.name),
      ...p.values.map((v) => h('td', { 'data-value': JSON.stringify(v) }, hparamText(v)))));
    const metrics = c.metrics.flatMap((m) => STATS.map(({ stat, label }) => h('tr', {
      class: `${m.differs ? 'differs' : ''}${stat === 'last' ? ' metric-first' : ''}`, 'data-tag': m.tag, 'data-stat': stat,
    },
    h('th', { scope: 'row' }, stat === 'last' ? h('span', { class: 'metric-tag' }, m.tag) : null,
      h('span', { class: 'muted stat' }, stat === 'best' ? ` best (${m.goal === 'min' ? 'lowest' : 'highest'})` : ` ${label}`)),
    ...m.values.map((v, i) => metricCell(m, v, stat, c.runs[i].id)))));
    const omitted = c.metricsOmitted ? h('p', { class: 'muted' }, `${c.metricsOmitted} more metrics are not shown.`) : null;
    return h('div', { class: 'run-compare-scroll' },
      h('table', { class: 'data-table run-compare-table' },
        h('thead', {}, head),
        h('tbody', { class: 'compare-hparams' }, section('hparams', columns, c.hparams.length), ...hparams),
        h('tbody', { class: 'compare-metrics' }, section('metrics', columns, c.metrics.length), ...metrics)),
      omitted);
  }
}

function section(name: string, columns: number, count: number): HTMLElement {
  return h('tr', { class: 'section' }, h('th', { scope: 'rowgroup', colspan: columns }, count ? name : `${name}: none`));
}

function hparamText(v: HparamValue): string {
  if (v === null) return '–';
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

function metricCell(m: ComparedMetric, v: ComparedValues | null, stat: keyof ComparedValues | 'best', runId: number): HTMLElement {
  if (!v) return h('td', { class: 'num missing', 'data-value': 'null' }, '–');
  const value = v[stat];
  const best = stat === 'best' && m.bestRunId === runId;
  const text = value === null ? '–' : formatNumber(value);
  const step = stat === 'best' && v.bestStep !== null ? ` @ ${v.bestStep}` : stat === 'last' && v.lastStep !== null ? ` @ ${v.lastStep}` : '';
  return h('td', {
    class: `num${best ? ' best' : ''}`, 'data-value': String(value),
    'data-step': stat === 'best' ? String(v.bestStep) : stat === 'last' ? String(v.lastStep) : '',
  }, best ? '★ ' : '', text, step ? h('span', { class: 'muted' }, step) : null);
}
