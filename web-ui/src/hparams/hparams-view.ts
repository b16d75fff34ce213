// The hparams tab: the sessions table (hparams and each metric's last value, sorted on the
// server, CSV download), parallel coordinates over hparams and metrics, and a scatter of one
// hparam against one metric. Charts are ECharts, loaded on first use. With run groups chosen
// (the same `group` as the scalars view), a session-groups table comes first: AVG, MEDIAN, MIN and
// MAX of each metric per group, sorted and filtered on those aggregates.

import { get, fetchBlob, query } from '../api/client';
import type { HparamsInfo, SessionPage, Session, HparamValue } from '../api/types';
import type { AppState } from '../app/state';
import type { View, ViewContext } from '../app/context';
import { h, notice, download, formatNumber, counted } from '../ui/dom';
import { runColor } from '../ui/colors';
import { loadECharts, type ECharts } from '../ui/echarts';
import { GroupPicker } from '../groups/group-picker';
import { groupLabel } from '../groups/group-lines';
import { AGGREGATES, filterGroups, sortGroups, type AggregateFilter, type SessionGroupsAnswer } from '../groups/session-groups';

export class HparamsView implements View {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private key = '';
  private sort = '';
  private charts: ECharts[] = [];
  private readonly groupPicker = new GroupPicker(false);
  private readonly groupsHost: HTMLElement;
  private groups: SessionGroupsAnswer | null = null;
  private groupSort = '';
  private groupFilter: AggregateFilter | null = null;

  constructor() {
    this.body = h('div', { class: 'hparams-body' });
    this.groupsHost = h('div', { class: 'session-groups' });
    this.element = h('section', { class: 'view view-hparams', 'aria-label': 'hparams' },
      h('div', { class: 'toolbar' }, this.groupPicker.element), this.groupsHost, this.body);
  }

  update(ctx: ViewContext, state: AppState): void {
    this.groupPicker.sync(ctx.store, ctx.experimentId, ctx.runs, state);
    const key = `${ctx.experimentId}|${state.filter}|${state.group}|${this.sort}|${ctx.selected.map((r) => r.id).join(',')}`;
    if (key === this.key) return;
    this.key = key;
    void this.load(ctx, state);
  }

  refresh(ctx: ViewContext): void {
    this.key = '';
    this.update(ctx, ctx.store.state);
  }

  destroy(): void {
    this.charts.forEach((c) => c.dispose());
    this.charts = [];
  }

  private async load(ctx: ViewContext, state: AppState): Promise<void> {
    void this.loadGroups(ctx, state);
    try {
      const [info, page] = await Promise.all([
        get<HparamsInfo>(`/experiments/${ctx.experimentId}/hparams`),
        get<SessionPage>(`/experiments/${ctx.experimentId}/hparams/sessions${query({ filter: state.filter, sort: this.sort, limit: 1000 })}`),
      ]);
      this.render(ctx, state, info, page);
    } catch (e) {
      this.body.replaceChildren(notice((e as Error).message, 'error'));
    }
  }

  private render(ctx: ViewContext, state: AppState, info: HparamsInfo, page: SessionPage): void {
    this.destroy();
    if (!info.hparams.length) {
      this.body.replaceChildren(notice('No run of this experiment logged hparams.'));
      return;
    }
    const selected = new Set(ctx.selected.map((r) => r.id));
    const sessions = page.sessions.items;
    const csv = h('button', { type: 'button', class: 'small' }, 'Download CSV');
    csv.addEventListener('click', async () => {
      const url = `/api/v1/experiments/${ctx.experimentId}/hparams/sessions${query({ filter: state.filter, sort: this.sort, format: 'csv' })}`;
      download(`experiment-${ctx.experimentId}-hparams.csv`, await fetchBlob(url));
    });
    const parallel = h('div', { class: 'echart parallel', role: 'img', 'aria-label': 'parallel coordinates of hparams and metrics' });
    const scatter = h('div', { class: 'echart scatter', role: 'img', 'aria-label': 'scatter of an hparam against a metric' });
    const xSelect = h('select', { 'aria-label': 'scatter x (hparam)' }, ...info.hparams.map((p) => h('option', { value: p.name }, p.name)));
    const ySelect = h('select', { 'aria-label': 'scatter y (metric)' }, ...info.metrics.map((m) => h('option', { value: m.key }, m.key)));
    this.body.replaceChildren(
      h('div', { class: 'toolbar' },
        h('span', {}, `${counted(page.sessions.total, 'session')}${state.filter ? ' matching the filter' : ''}`),
        csv),
      this.table(info, page, selected),
      h('h3', {}, 'Parallel coordinates'), parallel,
      h('h3', {}, 'Scatter'), h('div', { class: 'toolbar' }, h('label', {}, 'x ', xSelect), h('label', {}, 'y ', ySelect)), scatter,
    );
    void loadECharts().then((echarts) => {
      const p = echarts.init(parallel, undefined, { renderer: 'canvas' });
      p.setOption(parallelOption(info, sessions));
      const s = echarts.init(scatter, undefined, { renderer: 'canvas' });
      const draw = () => s.setOption(scatterOption(xSelect.value, ySelect.value, sessions), true);
      xSelect.addEventListener('change', draw);
      ySelect.addEventListener('change', draw);
      draw();
      this.charts.push(p, s);
      parallel.dataset.ready = 'true';
    });
  }

  private async loadGroups(ctx: ViewContext, state: AppState): Promise<void> {
    if (!state.group) {
      this.groups = null;
      this.groupsHost.replaceChildren();
      return;
    }
    try {
      this.groups = await get<SessionGroupsAnswer>(`/experiments/${ctx.experimentId}/hparams/groups${query({ groupBy: state.group, filter: state.filter })}`);
      this.renderGroups();
    } catch (e) {
      this.groupsHost.replaceChildren(notice((e as Error).message, 'error'));
    }
  }

  /** The session-groups table with its aggregate filter; sorting and filtering redraw it without a request. */
  private renderGroups(): void {
    const answer = this.groups;
    if (!answer) return;
    const columns = answer.metricColumns.flatMap((m) => AGGREGATES.map((a) => `${m}@${a}`));
    const column = h('select', { class: 'group-filter-column', 'aria-label': 'aggregate to filter groups on' },
      h('option', { value: '' }, 'every group'), ...columns.map((c) => h('option', { value: c }, c)));
    const op = h('select', { class: 'group-filter-op', 'aria-label': 'comparison' }, ...['<', '<=', '>', '>='].map((o) => h('option', { value: o }, o)));
    const value = h('input', { type: 'number', step: 'any', class: 'group-filter-value', 'aria-label': 'value to compare with' });
    if (this.groupFilter) {
      column.value = this.groupFilter.column;
      op.value = this.groupFilter.op;
      value.value = String(this.groupFilter.value);
    }
    const form = h('form', { class: 'toolbar group-filter' }, h('label', {}, 'Keep ', column), op, value, h('button', { type: 'submit' }, 'Filter'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.groupFilter = column.value && value.value !== ''
        ? { column: column.value, op: op.value as AggregateFilter['op'], value: Number(value.value) } : null;
      this.renderGroups();
    });
    const shown = sortGroups(filterGroups(answer.groups, this.groupFilter), this.groupSort);
    const header = (key: string, label: string, attrs: Record<string, string | number> = {}) => {
      const asc = this.groupSort === key;
      const desc = this.groupSort === `-${key}`;
      const b = h('button', { type: 'button', class: 'sort' }, label + (asc ? ' ▲' : desc ? ' ▼' : ''));
      b.addEventListener('click', () => {
        this.groupSort = asc ? `-${key}` : desc ? '' : key;
        this.renderGroups();
      });
      return h('th', { scope: 'col', 'aria-sort': asc ? 'ascending' : desc ? 'descending' : 'none', 'data-column': key, ...attrs }, b);
    };
    const table = h('table', { class: 'data-table session-groups-table' },
      h('thead', {},
        h('tr', {}, header('name', 'group', { rowspan: 2 }), header('members', 'runs', { rowspan: 2 }),
          ...answer.metricColumns.map((m) => h('th', { scope: 'colgroup', colspan: AGGREGATES.length }, m))),
        h('tr', {}, ...answer.metricColumns.flatMap((m) => AGGREGATES.map((a) => header(`${m}@${a}`, a))))),
      h('tbody', {}, ...shown.map((g) => h('tr', { 'data-group': g.name, 'data-members': g.runIds.length },
        h('th', { scope: 'row', title: g.runs.join('\n') }, groupLabel(g)),
        h('td', { class: 'num' }, String(g.runIds.length)),
        ...answer.metricColumns.flatMap((m) => AGGREGATES.map((a) => h('td', { class: 'num' }, formatNumber(g.metrics[m]?.[a] ?? null))))))));
    this.groupsHost.replaceChildren(
      h('h3', {}, `Session groups by ${answer.groupBy}: ${shown.length} of ${answer.groups.length}`),
      form, h('div', { class: 'table-scroll' }, table));
    this.groupsHost.dataset.groups = String(shown.length);
  }

  private table(info: HparamsInfo, page: SessionPage, selected: Set<number>): HTMLElement {
    const header = (key: string, label: string) => {
      const asc = this.sort === key;
      const desc = this.sort === `-${key}`;
      const b = h('button', { type: 'button', class: 'sort' }, label + (asc ? ' ▲' : desc ? ' ▼' : ''));
      b.addEventListener('click', () => {
        this.sort = asc ? `-${key}` : desc ? '' : key;
        this.key = '';
        this.element.dispatchEvent(new CustomEvent('resort', { bubbles: true }));
      });
      return h('th', { scope: 'col', 'aria-sort': asc ? 'ascending' : desc ? 'descending' : 'none', 'data-column': key }, b);
    };
    const rows = page.sessions.items.map((s) => h('tr', { 'data-run-id': s.runId, class: selected.has(s.runId) ? 'selected' : '' },
      h('th', { scope: 'row', title: s.run }, h('span', { class: 'swatch', style: `background:${runColor(s.runId)}` }), s.run),
      h('td', {}, (s.sessionStatus ?? s.status ?? '').replace(/^STATUS_/, '').toLowerCase()),
      ...info.hparams.map((p) => h('td', {}, show(s.hparams[p.name]))),
      ...info.metrics.map((m) => h('td', { class: 'num' }, formatNumber(s.metrics[m.key] ?? null)))));
    return h('div', { class: 'table-scroll' }, h('table', { class: 'data-table hparams-table' },
      h('thead', {}, h('tr', {}, header('name', 'run'), h('th', { scope: 'col' }, 'status'),
        ...info.hparams.map((p) => header(`hparams.${p.name}`, p.name)),
        ...info.metrics.map((m) => header(`metrics.${m.key}`, m.key)))),
      h('tbody', {}, ...rows)));
  }
}

function show(v: HparamValue | undefined): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

function parallelOption(info: HparamsInfo, sessions: Session[]): Record<string, unknown> {
  const dims = [
    ...info.hparams.map((p) => ({ name: p.name, kind: p.type })),
    ...info.metrics.map((m) => ({ name: m.key, kind: 'metric' })),
  ];
  const parallelAxis = dims.map((d, dim) => {
    if (d.kind === 'number' || d.kind === 'metric') return { dim, name: d.name, type: 'value', scale: true };
    const values = [...new Set(sessions.map((s) => String(s.hparams[d.name] ?? 'null')))].sort();
    return { dim, name: d.name, type: 'category', data: values };
  });
  const data = sessions.map((s) => ({
    value: dims.map((d) => {
      if (d.kind === 'metric') return s.metrics[d.name] ?? null;
      const v = s.hparams[d.name];
      return d.kind === 'number' ? v ?? null : String(v ?? 'null');
    }),
    name: s.run,
    lineStyle: { color: runColor(s.runId) },
  }));
  return {
    animation: false,
    parallelAxis,
    parallel: { left: 60, right: 80, top: 40, bottom: 30, parallelAxisDefault: { nameLocation: 'start', nameGap: 20, nameTextStyle: { color: 'inherit' } } },
    tooltip: { trigger: 'item', formatter: (p: { name: string }) => escapeText(p.name) },
    series: [{ type: 'parallel', lineStyle: { width: 1.5, opacity: 0.7 }, data }],
  };
}

function scatterOption(x: string, y: string, sessions: Session[]): Record<string, unknown> {
  const points = sessions
    .filter((s) => s.metrics[y] !== null && s.metrics[y] !== undefined && s.hparams[x] !== undefined)
    .map((s) => ({ value: [s.hparams[x], s.metrics[y]], name: s.run, itemStyle: { color: runColor(s.runId) } }));
  const numeric = points.every((p) => typeof p.value[0] === 'number');
  return {
    animation: false,
    grid: { left: 70, right: 30, top: 20, bottom: 50 },
    xAxis: numeric ? { type: 'value', name: x, nameLocation: 'middle', nameGap: 30, scale: true }
      : { type: 'category', name: x, nameLocation: 'middle', nameGap: 30, data: [...new Set(points.map((p) => String(p.value[0])))].sort() },
    yAxis: { type: 'value', name: y, scale: true },
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: unknown[] }) => `${escapeText(p.name)}<br>${escapeText(String(p.value[0]))} → ${escapeText(formatNumber(p.value[1] as number))}` },
    series: [{ type: 'scatter', symbolSize: 9, data: numeric ? points : points.map((p) => ({ ...p, value: [String(p.value[0]), p.value[1]] })) }],
  };
}

/** ECharts tooltips are HTML: run names go in escaped. */
export function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
