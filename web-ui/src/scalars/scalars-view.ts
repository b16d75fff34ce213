// The scalars tab: one chart per tag for the selected runs, grouped by the tag's first path
// segment as TensorBoard does. Charts load when scrolled into view; smoothing redraws without a
// fetch; zooming on the step axis fetches the visible range again at full resolution. With run
// groups chosen, each chart is one request that answers every group's aggregate and band (and the
// members' own series only while a group is open).

import { post, fetchBlob, query } from '../api/client';
import { num, type ChartLine, type ChartResponse, type ScalarGroup, type ScalarResponse, type ScalarSeries, type Run } from '../api/types';
import type { AppState } from '../app/state';
import { type View, type ViewContext, tagsFor, tagMatcher, LazyLoader } from '../app/context';
import { h, notice, download, formatNumber, counted } from '../ui/dom';
import { paletteColor, runColor } from '../ui/colors';
import { ScalarChart, type Line } from './scalar-chart';
import { GroupPicker } from '../groups/group-picker';
import { runTitle } from '../runs/run-metadata';
import { groupLines, type GroupLegendEntry } from '../groups/group-lines';

const MAX_SERIES_PER_REQUEST = 500;
/** The card-group key of pinned charts (not a tag prefix: tags never start with NUL). */
const PINNED = '\u0000pinned';
/** The server groups at most this many runs in one request (query-service max-series). */
const MAX_GROUPED_RUNS = 500;

interface Card {
  tag: string;
  runs: Run[];
  element: HTMLElement;
  chart: ScalarChart | null;
  status: HTMLElement;
  series: ScalarSeries[];
  /** What the JSON button saves: the width-based answers as received (null: the grouped series). */
  download?: ChartResponse[];
  groups: ScalarGroup[] | null;
  legend: HTMLElement;
  stepTable: HTMLElement;
  abort: AbortController | null;
  loaded: boolean;
}

export class ScalarsView implements View {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly tagError: HTMLElement;
  private cards: Card[] = [];
  private lazy = new LazyLoader();
  private state!: AppState;
  private ctx!: ViewContext;
  /** First wall time per run, for the relative axis. */
  private readonly starts = new Map<number, number>();
  private readonly groupPicker = new GroupPicker();

  /** `groups`: offer the run-group picker (not where the runs are fixed, as in a comparison). */
  constructor(groups = true) {
    this.groupPicker.element.hidden = !groups;
    this.body = h('div', { class: 'card-groups' });
    this.tagError = h('div', { class: 'field-error', role: 'alert' });
    this.element = h('section', { class: 'view view-scalars', 'aria-label': 'scalars' }, this.toolbar(), this.tagError, this.body);
  }

  private toolbar(): HTMLElement {
    const tags = h('input', { type: 'search', class: 'tag-filter', placeholder: 'filter tags (regex)', 'aria-label': 'filter tags by regular expression' });
    tags.addEventListener('input', () => this.ctx.store.update({ tagFilter: tags.value }));
    const smoothing = h('input', { type: 'range', min: 0, max: 0.99, step: 0.01, class: 'smoothing', 'aria-label': 'smoothing' });
    const smoothingValue = h('output', { class: 'smoothing-value' });
    smoothing.addEventListener('input', () => {
      smoothingValue.textContent = Number(smoothing.value).toFixed(2);
      this.ctx.store.update({ smoothing: Number(smoothing.value) });
    });
    const wall = h('option', { value: 'wall' }, 'wall time');
    const x = h('select', { class: 'x-axis', 'aria-label': 'x axis' },
      h('option', { value: 'step' }, 'step'), h('option', { value: 'relative' }, 'relative'), wall);
    x.addEventListener('change', () => this.ctx.store.update({ x: x.value as AppState['x'] }));
    const log = h('input', { type: 'checkbox', class: 'log-scale' });
    log.addEventListener('change', () => this.ctx.store.update({ log: log.checked }));
    const step = h('input', { type: 'number', class: 'table-step', min: 0, step: 1, placeholder: 'step', 'aria-label': 'step of the data table (empty: no table)' });
    const applyStep = () => this.ctx.store.update({ step: step.value === '' ? null : Math.max(0, Math.round(Number(step.value))) });
    step.addEventListener('change', applyStep);
    step.addEventListener('keydown', (e) => { if (e.key === 'Enter') applyStep(); });
    const outliers = h('input', { type: 'checkbox', class: 'ignore-outliers' });
    outliers.addEventListener('change', () => this.ctx.store.update({ outliers: outliers.checked }));
    this.syncToolbar = (s: AppState) => {
      if (document.activeElement !== tags) tags.value = s.tagFilter;
      smoothing.value = String(s.smoothing);
      smoothingValue.textContent = s.smoothing.toFixed(2);
      // Groups align their members on steps or on relative time (the server's buckets); never on wall time.
      x.value = s.group ? groupAxis(s) : s.x;
      wall.disabled = !!s.group;
      x.title = s.group ? 'run groups are aligned on steps or on time since each run started' : '';
      log.checked = s.log;
      outliers.checked = s.outliers;
      if (document.activeElement !== step) step.value = s.step === null ? '' : String(s.step);
    };
    return h('div', { class: 'toolbar' },
      tags,
      h('label', {}, 'Smoothing ', smoothing, smoothingValue),
      h('label', {}, 'X axis ', x),
      h('label', {}, log, ' log scale'),
      h('label', { title: 'the y range leaves out values beyond the 5th and 95th percentile' }, outliers, ' ignore outliers'),
      h('label', { title: 'a table of every line\'s value at this step under each chart' }, 'Data at step ', step),
      this.groupPicker.element,
      h('span', { class: 'muted hint' }, 'drag to zoom · double-click to reset'));
  }

  private syncToolbar: (s: AppState) => void = () => undefined;

  update(ctx: ViewContext, state: AppState, previous: AppState | null): void {
    this.ctx = ctx;
    const prev = this.state;
    this.state = state;
    this.syncToolbar(state);
    this.groupPicker.sync(ctx.store, ctx.experimentId, ctx.runs, state);
    const matcher = tagMatcher(state.tagFilter);
    this.tagError.textContent = matcher.error ?? '';
    const wanted = tagsFor(ctx, 'scalars').filter((t) => matcher.test(t.tag));
    const axisChanged = !prev || prev.x !== state.x || prev.log !== state.log || prev.outliers !== state.outliers || prev.group !== state.group
      || prev.pins.join('\n') !== state.pins.join('\n') || prev.aggregate !== state.aggregate || prev.band !== state.band || prev.open.join('\n') !== state.open.join('\n');
    const sameCards = !axisChanged && wanted.length === this.cards.length
      && wanted.every((t, i) => t.tag === this.cards[i].tag && sameRuns(t.runs, this.cards[i].runs));
    if (sameCards) {
      if (previous && previous.smoothing !== state.smoothing) {
        for (const card of this.cards) card.chart?.setSmoothing(state.smoothing);
      }
      if (previous && previous.bandOpacity !== state.bandOpacity) {
        for (const card of this.cards) card.chart?.setBandOpacity(state.bandOpacity);
      }
      if (previous && (previous.smoothing !== state.smoothing || previous.step !== state.step)) {
        for (const card of this.cards) this.showStepTable(card);
      }
      return;
    }
    this.rebuild(wanted);
  }

  refresh(ctx: ViewContext): void {
    this.ctx = ctx;
    for (const card of this.cards) if (card.loaded) void this.load(card, card.chart?.zoomRange ?? null);
  }

  destroy(): void {
    this.lazy.disconnect();
    this.cards.forEach((c) => {
      c.abort?.abort();
      c.chart?.destroy();
    });
  }

  private rebuild(wanted: { tag: string; runs: Run[] }[]): void {
    this.destroy();
    this.lazy = new LazyLoader();
    this.cards = [];
    this.body.replaceChildren();
    if (!wanted.length) {
      this.body.append(notice(this.ctx.selected.length ? 'No scalar tags for the selected runs (or none match the tag filter).' : 'Select runs in the table to see their scalars.'));
      return;
    }
    const groups = new Map<string, HTMLElement>();
    const pinned = new Set(this.state.pins);
    // Pinned charts first, in their own section, as TensorBoard's pinned cards.
    const ordered = [...wanted.filter((t) => pinned.has(t.tag)), ...wanted.filter((t) => !pinned.has(t.tag))];
    for (const { tag, runs } of ordered) {
      const group = pinned.has(tag) ? PINNED : tag.includes('/') ? tag.slice(0, tag.indexOf('/')) : '';
      let grid = groups.get(group);
      if (!grid) {
        grid = h('div', { class: 'card-grid' });
        groups.set(group, grid);
        this.body.append(h('details', { class: `card-group${group === PINNED ? ' pinned-group' : ''}`, open: true },
          h('summary', {}, group === PINNED ? 'Pinned' : group || 'ungrouped'), grid));
      }
      const card = this.card(tag, runs);
      grid.append(card.element);
      this.cards.push(card);
      this.lazy.watch(card.element, () => void this.load(card, null));
    }
  }

  private card(tag: string, runs: Run[]): Card {
    const status = h('span', { class: 'card-status muted', role: 'status' }, 'loading…');
    const legend = h('ul', { class: 'group-legend', 'aria-label': `groups of ${tag}`, hidden: true });
    const stepTable = h('div', { class: 'step-table', hidden: true });
    const card: Card = { tag, runs, element: h('article', { class: 'card scalar-card', 'data-tag': tag }), chart: null, status, series: [], groups: null, legend, stepTable, abort: null, loaded: false };
    const csv = h('button', { type: 'button', class: 'small', title: 'every point of these runs and this tag, as CSV (from /api/v1/export)' }, 'CSV');
    csv.addEventListener('click', () => void this.downloadCsv(card));
    const json = h('button', { type: 'button', class: 'small', title: 'the series as drawn (downsampled), as JSON' }, 'JSON');
    json.addEventListener('click', () => this.downloadJson(card));
    const isPinned = this.state.pins.includes(tag);
    const pin = h('button', {
      type: 'button', class: 'small pin-chart', 'aria-pressed': isPinned ? 'true' : 'false',
      'aria-label': `${isPinned ? 'unpin' : 'pin'} ${tag}`, title: isPinned ? 'unpin this chart' : 'pin this chart to the top',
    }, isPinned ? '★' : '☆');
    pin.addEventListener('click', () => this.ctx.store.update({
      pins: isPinned ? this.state.pins.filter((t) => t !== tag) : [...this.state.pins, tag],
    }));
    card.element.append(
      h('header', { class: 'card-head' }, h('h3', { class: 'card-title', title: tag }, tag), status, h('span', { class: 'card-actions' }, pin, csv, json)),
      legend,
    );
    return card;
  }

  private async load(card: Card, range: [number, number] | null): Promise<void> {
    card.abort?.abort();
    const abort = new AbortController();
    card.abort = abort;
    card.loaded = true;
    if (this.state.group) {
      await this.loadGroups(card, range, abort);
      return;
    }
    const xAxis = this.state.x;
    const byStep = xAxis === 'step';
    // The chart's width in pixels: the server cuts every line into that many columns (M4) or fewer,
    // the lines sharing one budget, so the answer's size follows the chart, not runs × points.
    const width = Math.max(100, Math.min(4000, Math.round(card.chart?.element.clientWidth || card.element.clientWidth || 800)));
    try {
      const requested = performance.now();
      const answers: ChartResponse[] = [];
      for (let i = 0; i < card.runs.length; i += MAX_SERIES_PER_REQUEST) {
        const runs = card.runs.slice(i, i + MAX_SERIES_PER_REQUEST).map((r) => r.id);
        answers.push(await post<ChartResponse>('/scalars', {
          runs, tags: [card.tag], width, x: byStep ? 'step' : 'wall_time',
          stepMin: byStep && range ? Math.floor(range[0]) : null,
          stepMax: byStep && range ? Math.ceil(range[1]) : null,
        }, abort.signal));
      }
      const arrived = performance.now();
      card.series = [];
      card.download = answers;
      const lines = answers.flatMap((a) => a.series.map((s) => this.chartLine(a, s, xAxis, !range)));
      if (!card.chart) {
        card.chart = new ScalarChart({ xAxis, log: this.state.log, smoothing: this.state.smoothing, ignoreOutliers: this.state.outliers, bandOpacity: this.state.bandOpacity },
          (zoom) => { if (byStep) void this.load(card, zoom); });
        card.element.append(card.chart.element);
      }
      card.chart.element.dataset.smoothing = String(this.state.smoothing);
      const drawMs = card.chart.setData(lines);
      this.showStepTable(card);
      card.element.dataset.series = String(lines.length);
      card.element.dataset.fetchMs = (arrived - requested).toFixed(0);
      card.element.dataset.loads = String(Number(card.element.dataset.loads ?? 0) + 1);
      card.element.dataset.stepRange = range ? `${Math.floor(range[0])}-${Math.ceil(range[1])}` : 'all';
      card.element.dataset.drawMs = drawMs.toFixed(1);
      const all = answers.flatMap((a) => a.series);
      const points = all.reduce((n, s) => n + s.pointsInRange, 0);
      const reduced = all.some((s) => s.y.length < s.pointsInRange);
      card.element.dataset.width = String(width);
      card.element.dataset.columns = String(answers[0]?.chart.bucketsPerSeries ?? width);
      card.status.textContent = `${counted(lines.length, 'run')} · ${points.toLocaleString()} points${reduced ? ' (M4 pixel columns)' : ''}`;
      card.element.dataset.loaded = 'true';
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      card.status.textContent = '';
      card.element.append(notice((e as Error).message, 'error'));
    }
  }

  /** One request for the card: every group's aggregate, band and member count per bucket. */
  private async loadGroups(card: Card, range: [number, number] | null, abort: AbortController): Promise<void> {
    const state = this.state;
    const open = new Set(state.open);
    const runs = card.runs.slice(0, MAX_GROUPED_RUNS).map((r) => r.id);
    const xAxis = groupAxis(state);
    const byStep = xAxis === 'step';
    try {
      const requested = performance.now();
      const answer = await post<ScalarResponse>('/scalars', {
        runs, tags: [card.tag], maxPoints: 1000, x: xAxis,
        stepMin: byStep && range ? Math.floor(range[0]) : null, stepMax: byStep && range ? Math.ceil(range[1]) : null,
        groupBy: state.group, aggregate: state.aggregate, band: state.band, members: open.size > 0,
      }, abort.signal);
      const arrived = performance.now();
      card.series = answer.series;
      card.download = undefined;
      card.groups = answer.groups ?? [];
      const { lines, legend } = groupLines(card.groups, card.tag, open, answer.series, paletteColor,
        // A member's x is the server's: its step, or seconds since its first point (the groups' buckets).
        (s, color) => ({ ...this.line(s, 'step'), xs: Float64Array.from(s.points.x, (v) => num(v) as number), color }));
      if (!card.chart) {
        card.chart = new ScalarChart({ xAxis, log: state.log, smoothing: state.smoothing, ignoreOutliers: state.outliers, bandOpacity: state.bandOpacity },
          (zoom) => { if (byStep) void this.load(card, zoom); });
        card.element.append(card.chart.element);
      }
      card.chart.element.dataset.smoothing = String(state.smoothing);
      card.chart.setData(lines);
      this.showLegend(card, legend);
      this.showStepTable(card);
      card.element.dataset.series = String(lines.length);
      card.element.dataset.groups = String(legend.length);
      card.element.dataset.fetchMs = (arrived - requested).toFixed(0);
      card.element.dataset.loads = String(Number(card.element.dataset.loads ?? 0) + 1);
      card.element.dataset.stepRange = range ? `${Math.floor(range[0])}-${Math.ceil(range[1])}` : 'all';
      const members = legend.reduce((n, g) => n + g.members, 0);
      const capped = card.runs.length > runs.length ? ` (first ${runs.length} of ${card.runs.length} runs)` : '';
      card.status.textContent = `${counted(legend.length, 'group')} · ${counted(members, 'run')}${capped} · ${state.aggregate} ${state.band === 'std' ? '± std' : 'min–max'}${byStep ? '' : ' · aligned on time since start'}`;
      card.element.dataset.x = xAxis;
      card.element.dataset.loaded = 'true';
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      card.status.textContent = '';
      card.element.append(notice((e as Error).message, 'error'));
    }
  }

  /** Under the chart: every line's value, smoothed value, step and relative time at the chosen step. */
  private showStepTable(card: Card): void {
    const step = this.state.step;
    if (step === null || !card.chart) {
      card.stepTable.hidden = true;
      card.stepTable.replaceChildren();
      return;
    }
    const rows = card.chart.rowsAtStep(step);
    card.element.append(card.stepTable);
    card.stepTable.hidden = false;
    card.stepTable.dataset.rows = String(rows.length);
    card.stepTable.replaceChildren(h('table', { class: 'data-table' },
      h('caption', { class: 'muted' }, `at step ${step} (each line's last point at or before it)`),
      h('thead', {}, h('tr', {}, ...['run', 'value', 'smoothed', 'step', 'relative'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', { 'data-run': r.run },
        h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${r.color}` }), r.run),
        h('td', { class: 'num' }, formatNumber(r.value)), h('td', { class: 'num' }, formatNumber(r.smoothed)),
        h('td', { class: 'num' }, String(r.step)), h('td', { class: 'num' }, r.relative === null ? '–' : `${formatNumber(r.relative)} s`))))));
  }

  /** The card's legend: a button per group (its color, name, member count) that opens or closes it. */
  private showLegend(card: Card, legend: GroupLegendEntry[]): void {
    card.legend.hidden = legend.length === 0;
    card.legend.replaceChildren(...legend.map((g) => {
      const toggle = h('button', {
        type: 'button', class: 'group-toggle', 'aria-expanded': g.open ? 'true' : 'false',
        title: g.open ? 'hide the member runs' : 'show the member runs',
      },
      h('span', { class: 'group-arrow', 'aria-hidden': 'true' }, g.open ? '▾' : '▸'),
      h('span', { class: 'swatch', style: `background:${g.color}` }),
      h('span', { class: 'group-name' }, g.label),
      h('span', { class: 'group-count muted' }, ` ${counted(g.members, 'run')}`));
      toggle.addEventListener('click', () => {
        const open = new Set(this.state.open);
        if (open.has(g.name)) open.delete(g.name);
        else open.add(g.name);
        this.ctx.store.update({ open: [...open] });
      });
      return h('li', { 'data-group': g.name, 'data-members': g.members, 'data-open': g.open ? 'true' : 'false' }, toggle);
    }));
  }

  private line(s: ScalarSeries, xAxis: AppState['x']): Line {
    const p = s.points;
    const start = this.starts.get(s.runId) ?? p.wallTime[0] ?? 0;
    const xs = new Float64Array(p.step.length);
    for (let i = 0; i < xs.length; i++) {
      xs[i] = xAxis === 'step' ? p.step[i] : xAxis === 'relative' ? p.wallTime[i] - start : p.wallTime[i];
    }
    const run = this.ctx.runs.find((r) => r.id === s.runId);
    return {
      runId: s.runId, run: run ? runTitle(run) : s.run, color: runColor(s.runId), xs, steps: p.step,
      raw: p.value.map((v) => num(v) as number), walls: p.wallTime,
      mins: p.min.map((v) => num(v)), maxs: p.max.map((v) => num(v)),
      bucketed: s.sampling.method !== 'all',
    };
  }

  /** A line of a width-based answer: its x column, steps, values, and its columns for smoothing. */
  private chartLine(answer: ChartResponse, s: ChartLine, xAxis: AppState['x'], whole: boolean): Line {
    const x = answer.xs[s.x].map((v) => num(v) as number);
    const byStep = answer.chart.x === 'step';
    const steps = byStep ? x : answer.xs[s.step ?? s.x].map((v) => num(v) as number);
    if (!byStep && whole && x.length) this.starts.set(s.runId, x[0]);
    const start = this.starts.get(s.runId) ?? x[0] ?? 0;
    const xs = Float64Array.from(x, (v) => (xAxis === 'relative' ? v - start : v));
    const run = this.ctx.runs.find((r) => r.id === s.runId);
    const none = new Array<null>(x.length).fill(null);
    return {
      runId: s.runId, run: run ? runTitle(run) : s.run, color: runColor(s.runId), xs, steps,
      raw: s.y.map((v) => num(v) as number), walls: byStep ? undefined : x, mins: none, maxs: none, bucketed: false,
      columns: { means: s.mean.map((v) => num(v)), sizes: s.buckets },
    };
  }

  private downloadJson(card: Card): void {
    const body = card.download ?? card.series.map((s) => ({ run: s.run, runId: s.runId, tag: s.tag, sampling: s.sampling, points: s.points }));
    download(`${safeName(card.tag)}.json`, new Blob([JSON.stringify(body, null, 1)], { type: 'application/json' }));
  }

  private async downloadCsv(card: Card): Promise<void> {
    try {
      const url = `/api/v1/export${query({ experiment: this.ctx.experimentId, run: card.runs.map((r) => r.id), tag: card.tag, format: 'csv' })}`;
      download(`${safeName(card.tag)}.csv`, await fetchBlob(url));
    } catch (e) {
      card.status.textContent = (e as Error).message;
    }
  }
}

/** The axis groups are aligned on: relative time when asked, otherwise steps (wall time does not align runs). */
function groupAxis(state: AppState): 'step' | 'relative' {
  return state.x === 'relative' ? 'relative' : 'step';
}

function sameRuns(a: Run[], b: Run[]): boolean {
  return a.length === b.length && a.every((r, i) => r.id === b[i].id);
}

export function safeName(tag: string): string {
  return tag.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'tag';
}
