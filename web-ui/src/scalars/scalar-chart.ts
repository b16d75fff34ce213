// One scalar tag for many runs, drawn with uPlot in its faceted mode (each run keeps its own x
// values: runs never have to share steps, and nothing is joined). Under the smoothed lines it
// draws each run's raw line (faded) and the min/max band of the server's buckets, so a spike
// inside a bucket stays visible. Drag selects an x range to zoom (the owner fetches finer data
// for it); double-click resets. The tooltip lists every run's value at the cursor.

import uPlot from 'uplot';
import { h, formatNumber } from '../ui/dom';
import { smooth, smoothColumns } from './smoothing';
import type { XAxis } from '../app/state';
import { valueRange } from './y-range';
import { stepRows, type StepRow } from './step-table';

export interface Line {
  runId: number;
  run: string;
  color: string;
  /** x in axis units: step, seconds since the run's first point, or epoch seconds. */
  xs: Float64Array;
  steps: number[];
  /** Values as numbers (NaN and ±Infinity kept). */
  raw: number[];
  /** Bucket extremes (null when a bucket has no finite value or the series was not bucketed). */
  mins: (number | null)[];
  maxs: (number | null)[];
  bucketed: boolean;
  /** Line width in CSS pixels (default 1.5) and opacity (default 1): group members are drawn thinner and fainter. */
  width?: number;
  alpha?: number;
  /** Wall time (epoch seconds) per point, for the step table's relative time. */
  walls?: number[];
  /** A line reduced to pixel columns (M4): each column's mean and point count, what smoothing averages. */
  columns?: { means: (number | null)[]; sizes: number[] };
}

/** A line's smoothed values, one per point: over its columns' means when it has them. */
function smoothLine(line: Line, weight: number): (number | null)[] {
  if (line.columns && weight > 0) return smoothColumns(line.columns.means, line.columns.sizes, weight);
  return smooth(line.raw, weight);
}

/** A faded line's stroke as rgba, so uPlot draws it fainter without a second pass. */
function strokeOf(line: Line): string {
  if (line.alpha === undefined || line.alpha >= 1 || !/^#[0-9a-f]{6}$/i.test(line.color)) return line.color;
  const n = parseInt(line.color.slice(1), 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${line.alpha})`;
}

export interface ChartOptions {
  xAxis: XAxis;
  log: boolean;
  smoothing: number;
  /** The y range leaves out the values beyond the 5th and 95th percentile. */
  ignoreOutliers?: boolean;
  height?: number;
  /** Opacity of the shaded min–max / ± std bands (default 0.16). */
  bandOpacity?: number;
}

function duration(seconds: number): string {
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  if (s < 60) return `${sign}${formatNumber(s)}s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m${Math.round(s % 60) ? ` ${Math.round(s % 60)}s` : ''}`;
  return `${sign}${Math.floor(s / 3600)}h ${Math.round((s % 3600) / 60)}m`;
}

function lowerBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ScalarChart {
  readonly element: HTMLElement;
  private readonly plotHost: HTMLElement;
  private readonly tooltip: HTMLElement;
  private plot: uPlot | null = null;
  private lines: Line[] = [];
  private smoothed: (number | null)[][] = [];
  private zoom: [number, number] | null = null;
  private readonly resize: ResizeObserver;

  constructor(private options: ChartOptions, private readonly onZoom: (range: [number, number] | null) => void) {
    this.plotHost = h('div', { class: 'plot-host' });
    this.tooltip = h('div', { class: 'chart-tooltip', role: 'status', hidden: true });
    this.element = h('div', { class: 'scalar-chart' }, this.plotHost, this.tooltip);
    this.element.dataset.bandOpacity = String(options.bandOpacity ?? 0.16);
    this.resize = new ResizeObserver(() => {
      if (this.plot && this.plotHost.clientWidth > 0 && Math.abs(this.plot.width - this.plotHost.clientWidth) > 2) {
        this.plot.setSize({ width: this.plotHost.clientWidth, height: this.height() });
      }
    });
    this.resize.observe(this.plotHost);
    window.addEventListener('athanor-theme', this.onTheme);
  }

  private readonly onTheme = () => {
    if (this.plot) {
      this.create();
      this.plot.redraw(false, true);
    }
  };

  get zoomRange(): [number, number] | null {
    return this.zoom;
  }

  /** Replaces the data; returns the milliseconds spent smoothing and drawing it. */
  setData(lines: Line[]): number {
    const start = performance.now();
    this.lines = lines;
    this.smoothed = lines.map((l) => smoothLine(l, this.options.smoothing));
    if (!this.plot || this.plot.series.length - 1 !== lines.length || this.seriesChanged()) this.create();
    else this.update();
    // uPlot draws in a microtask after setData; force it now so the figure covers the drawing.
    this.plot!.redraw(false, true);
    const ms = performance.now() - start;
    this.element.dataset.series = String(this.plot!.series.length - 1);
    this.element.dataset.points = String(lines.reduce((n, l) => n + l.xs.length, 0));
    this.element.dataset.renderMs = ms.toFixed(1);
    return ms;
  }

  /** Every line's value, smoothed value, step and relative time at `step` (the step data table). */
  rowsAtStep(step: number): StepRow[] {
    return stepRows(this.lines, this.smoothed, step);
  }

  /** Redraws the bands with another opacity (no new data). */
  setBandOpacity(opacity: number): void {
    this.options = { ...this.options, bandOpacity: opacity };
    this.element.dataset.bandOpacity = String(opacity);
    this.plot?.redraw(false, true);
  }

  setSmoothing(weight: number): void {
    this.options = { ...this.options, smoothing: weight };
    this.smoothed = this.lines.map((l) => smoothLine(l, weight));
    this.element.dataset.smoothing = String(weight);
    if (this.plot) this.update();
  }

  destroy(): void {
    this.resize.disconnect();
    window.removeEventListener('athanor-theme', this.onTheme);
    this.plot?.destroy();
    this.plot = null;
  }

  private height(): number {
    return this.options.height ?? 260;
  }

  private seriesChanged(): boolean {
    return this.plot!.series.slice(1).some((s, i) => s.label !== this.lines[i].run || s.stroke !== strokeOf(this.lines[i]));
  }

  /** [xs, ys] per run; non-finite and (on a log scale) non-positive values become gaps. */
  private data(): uPlot.AlignedData {
    const data: unknown[] = [null];
    this.lines.forEach((line, i) => {
      const ys = this.smoothed[i].map((v) => (v === null || !Number.isFinite(v) || (this.options.log && v <= 0) ? null : v));
      data.push([line.xs, ys]);
    });
    return data as unknown as uPlot.AlignedData;
  }

  private xExtent(): [number, number] {
    if (this.zoom) return this.zoom;
    let min = Infinity;
    let max = -Infinity;
    for (const l of this.lines) {
      if (!l.xs.length) continue;
      min = Math.min(min, l.xs[0]);
      max = Math.max(max, l.xs[l.xs.length - 1]);
    }
    if (!Number.isFinite(min)) return [0, 1];
    if (min === max) return [min - 1, max + 1];
    return [min, max];
  }

  private yExtent([x0, x1]: [number, number]): [number, number] {
    const values: number[] = [];
    const take = (v: number | null) => {
      if (v !== null) values.push(v);
    };
    this.lines.forEach((line, i) => {
      const from = lowerBound(line.xs, x0);
      for (let j = from; j < line.xs.length && line.xs[j] <= x1; j++) {
        take(this.smoothed[i][j]);
        // Without outliers the range follows the drawn (smoothed) lines only, as TensorBoard's;
        // otherwise the faded raw lines and the bands must fit too.
        if (!this.options.ignoreOutliers) {
          take(line.raw[j]);
          take(line.mins[j]);
          take(line.maxs[j]);
        }
      }
    });
    const range = valueRange(values, this.options.log, !!this.options.ignoreOutliers);
    if (!range) return this.options.log ? [1, 10] : [0, 1];
    const [min, max] = range;
    if (this.options.log) return [min / 1.2, max * 1.2];
    const pad = (max - min) * 0.05 || Math.abs(max) * 0.05 || 1;
    return [min - pad, max + pad];
  }

  private applyScales(): void {
    const p = this.plot!;
    const x = this.xExtent();
    const y = this.yExtent(x);
    p.setScale('x', { min: x[0], max: x[1] });
    p.setScale('y', { min: y[0], max: y[1] });
    this.element.dataset.yRange = `${y[0]},${y[1]}`;
  }

  private update(): void {
    const p = this.plot!;
    p.batch(() => {
      p.setData(this.data(), false);
      this.applyScales();
    });
  }

  private create(): void {
    this.plot?.destroy();
    const xAxis = this.options.xAxis;
    // Canvas text cannot use CSS variables: take the theme's colors as they are now.
    const css = getComputedStyle(document.documentElement);
    const axisColor = css.getPropertyValue('--muted').trim() || '#5b616b';
    const gridColor = 'rgba(128,128,128,0.18)';
    const opts: uPlot.Options = {
      mode: 2,
      width: Math.max(200, this.plotHost.clientWidth || 480),
      height: this.height(),
      legend: { show: false },
      scales: {
        x: { time: xAxis === 'wall', auto: false },
        y: { auto: false, distr: this.options.log ? 3 : 1, log: 10 },
      },
      axes: [
        {
          stroke: axisColor,
          grid: { stroke: gridColor },
          ticks: { stroke: gridColor },
          values: xAxis === 'relative' ? (_u, splits) => splits.map(duration) : undefined,
        },
        {
          stroke: axisColor,
          grid: { stroke: gridColor },
          ticks: { stroke: gridColor },
          size: 60,
          values: (_u, splits) => splits.map((v) => formatNumber(v)),
        },
      ],
      series: [
        {},
        ...this.lines.map((line) => ({
          label: line.run,
          stroke: strokeOf(line),
          width: line.width ?? 1.5,
          paths: uPlot.paths.linear!(),
          points: { show: false },
          facets: [{ scale: 'x', auto: false }, { scale: 'y', auto: false }],
        } as uPlot.Series)),
      ],
      cursor: {
        x: true, y: false,
        points: { show: false },
        drag: { x: true, y: false, setScale: false },
        dataIdx: () => null as unknown as number,
      },
      hooks: {
        drawAxes: [(u) => this.drawUnderlay(u)],
        setCursor: [(u) => this.showTooltip(u)],
        setSelect: [(u) => this.onSelect(u)],
      },
    };
    this.plot = new uPlot(opts, this.data(), this.plotHost);
    this.plot.over.addEventListener('dblclick', () => {
      this.zoom = null;
      this.applyScales();
      this.onZoom(null);
    });
    this.plot.over.addEventListener('mouseleave', () => { this.tooltip.hidden = true; });
    this.applyScales();
  }

  /** The raw (unsmoothed) lines and the min/max bands, drawn before the smoothed lines. */
  private drawUnderlay(u: uPlot): void {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    const log = this.options.log;
    const yPos = (v: number) => u.valToPos(v, 'y', true);
    let bands = 0;
    this.lines.forEach((line) => {
      if (line.bucketed) {
        ctx.beginPath();
        let started = false;
        const back: [number, number][] = [];
        for (let j = 0; j < line.xs.length; j++) {
          const lo = line.mins[j];
          const hi = line.maxs[j];
          if (lo === null || hi === null || (log && lo <= 0)) continue;
          const px = u.valToPos(line.xs[j], 'x', true);
          if (!started) ctx.moveTo(px, yPos(hi));
          else ctx.lineTo(px, yPos(hi));
          started = true;
          back.push([px, yPos(lo)]);
        }
        for (let k = back.length - 1; k >= 0; k--) ctx.lineTo(back[k][0], back[k][1]);
        if (started) {
          bands++;
          ctx.globalAlpha = this.options.bandOpacity ?? 0.16;
          ctx.fillStyle = line.color;
          ctx.fill();
        }
      }
      if (this.options.smoothing > 0) {
        ctx.beginPath();
        let pen = false;
        for (let j = 0; j < line.xs.length; j++) {
          const v = line.raw[j];
          if (!Number.isFinite(v) || (log && v <= 0)) {
            pen = false;
            continue;
          }
          const px = u.valToPos(line.xs[j], 'x', true);
          if (pen) ctx.lineTo(px, yPos(v));
          else ctx.moveTo(px, yPos(v));
          pen = true;
        }
        ctx.globalAlpha = 0.28;
        ctx.strokeStyle = line.color;
        ctx.lineWidth = 1 * devicePixelRatio;
        ctx.stroke();
      }
    });
    ctx.restore();
    // How many shaded bands were drawn: what a test (or a curious user) can read off the chart.
    this.element.dataset.bands = String(bands);
  }

  private onSelect(u: uPlot): void {
    if (u.select.width < 4) return;
    const min = u.posToVal(u.select.left, 'x');
    const max = u.posToVal(u.select.left + u.select.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.zoom = [min, max];
    this.applyScales();
    this.onZoom(this.zoom);
  }

  private showTooltip(u: uPlot): void {
    const left = u.cursor.left;
    if (left === undefined || left < 0 || !this.lines.length) {
      this.tooltip.hidden = true;
      return;
    }
    const x = u.posToVal(left, 'x');
    const rows: { line: Line; smoothed: number | null; raw: number; step: number; xv: number }[] = [];
    this.lines.forEach((line, i) => {
      if (!line.xs.length) return;
      let j = lowerBound(line.xs, x);
      if (j >= line.xs.length || (j > 0 && x - line.xs[j - 1] < line.xs[j] - x)) j = Math.max(0, j - 1);
      rows.push({ line, smoothed: this.smoothed[i][j], raw: line.raw[j], step: line.steps[j], xv: line.xs[j] });
    });
    rows.sort((a, b) => (b.smoothed ?? -Infinity) - (a.smoothed ?? -Infinity));
    const shown = rows.slice(0, 24);
    const table = h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'run'), h('th', {}, 'smoothed'), h('th', {}, 'value'), h('th', {}, 'step'))),
      h('tbody', {}, ...shown.map((r) => h('tr', {},
        h('td', {}, h('span', { class: 'swatch', style: `background:${r.line.color}` }), r.line.run),
        h('td', {}, formatNumber(r.smoothed)), h('td', {}, formatNumber(r.raw)), h('td', {}, String(r.step))))));
    this.tooltip.replaceChildren(table, rows.length > shown.length ? h('div', { class: 'muted' }, `+${rows.length - shown.length} more runs`) : '');
    this.tooltip.hidden = false;
    const hostWidth = this.plotHost.clientWidth;
    const place = left + u.bbox.left / devicePixelRatio;
    this.tooltip.style.left = place > hostWidth / 2 ? '' : `${place + 16}px`;
    this.tooltip.style.right = place > hostWidth / 2 ? `${hostWidth - place + 16}px` : '';
  }
}
