// Histograms (offset: one ridge per step, newest in front) and distributions (percentile bands
// over steps), per tag and run, drawn with ECharts.

import { get, query } from '../api/client';
import type { TensorSeries, HistogramPoint, Run } from '../api/types';
import { TagCardsView } from '../app/tag-cards';
import { h, notice, formatNumber } from '../ui/dom';
import { runColor } from '../ui/colors';
import { loadECharts, type ECharts } from '../ui/echarts';
import { percentiles, BASIS_POINTS } from './percentiles';
import uPlot from 'uplot';

const OFFSET_STEPS = 30;
const DISTRIBUTION_STEPS = 300;

export class HistogramsView extends TagCardsView {
  private charts: ECharts[] = [];
  private plots: uPlot[] = [];

  constructor(private readonly mode: 'histograms' | 'distributions') {
    super({ name: mode, label: mode, plugins: ['histograms'], perRun: true, empty: 'No histograms for the selected runs.', bodyClass: 'card-grid' });
  }

  protected override dispose(): void {
    this.charts.forEach((c) => c.dispose());
    this.charts = [];
    this.plots.forEach((p) => p.destroy());
    this.plots = [];
  }

  protected async load(card: HTMLElement, tag: string, [run]: Run[]): Promise<void> {
    const host = h('div', { class: 'echart histogram-chart', role: 'img', 'aria-label': `${this.mode} of ${tag} for ${run.path}` });
    card.append(host);
    const steps = this.mode === 'histograms' ? OFFSET_STEPS : DISTRIBUTION_STEPS;
    const [series, echarts] = await Promise.all([
      get<TensorSeries<HistogramPoint>>(`/runs/${run.id}/histograms${query({ tag, maxPoints: steps })}`),
      this.mode === 'histograms' ? loadECharts() : Promise.resolve(null),
    ]);
    if (!series.points.length) {
      host.replaceWith(notice('no steps'));
      return;
    }
    if (echarts) {
      const chart = echarts.init(host, undefined, { renderer: 'canvas' });
      chart.setOption(offsetOption(series.points, runColor(run.id)));
      this.charts.push(chart);
    } else {
      host.classList.remove('echart');
      this.plots.push(drawDistribution(host, series.points, runColor(run.id)));
    }
    card.dataset.steps = String(series.points.length);
  }
}

function offsetOption(points: HistogramPoint[], color: string): Record<string, unknown> {
  const maxCount = Math.max(1e-12, ...points.flatMap((p) => p.buckets.map((b) => b[2] / Math.max(1e-12, b[1] - b[0]))));
  const ridge = 1 / Math.max(4, points.length * 0.35);
  const series = points.map((p, i) => {
    const offset = (points.length - 1 - i) * ridge;
    const data: [number, number][] = [];
    for (const [left, right, count] of p.buckets) {
      const density = count / Math.max(1e-12, right - left) / maxCount;
      data.push([(left + right) / 2, offset + density]);
    }
    const age = points.length > 1 ? i / (points.length - 1) : 1;
    return {
      type: 'line', name: `step ${p.step}`, data, showSymbol: false, smooth: false, z: i,
      lineStyle: { width: 1, color, opacity: 0.35 + 0.65 * age },
      areaStyle: { color, opacity: 0.08 + 0.2 * age, origin: offset },
    };
  });
  return {
    animation: false,
    grid: { left: 50, right: 20, top: 16, bottom: 30 },
    xAxis: { type: 'value', scale: true, axisLabel: { formatter: (v: number) => formatNumber(v) } },
    yAxis: { type: 'value', show: false },
    tooltip: { trigger: 'item', formatter: (p: { seriesName: string }) => p.seriesName },
    series,
  };
}

/** Percentile bands with uPlot's bands between series (all nine share the steps, so x aligns). */
function drawDistribution(host: HTMLElement, points: HistogramPoint[], color: string): uPlot {
  const rows = points.map((p) => percentiles(p.buckets));
  const data: uPlot.AlignedData = [points.map((p) => p.step), ...BASIS_POINTS.map((_, k) => rows.map((r) => (Number.isFinite(r[k]) ? r[k] : null)))];
  const css = getComputedStyle(document.documentElement);
  const axis = css.getPropertyValue('--muted').trim() || '#5b616b';
  const grid = { stroke: 'rgba(128,128,128,0.18)' };
  const fill = (alpha: number) => `color-mix(in srgb, ${color} ${alpha}%, transparent)`;
  return new uPlot({
    width: Math.max(200, host.clientWidth || 400), height: 300,
    legend: { show: false },
    cursor: { points: { show: false } },
    scales: { x: { time: false } },
    axes: [{ stroke: axis, grid, ticks: grid }, { stroke: axis, grid, ticks: grid, size: 60, values: (_u, splits) => splits.map((v) => formatNumber(v)) }],
    series: [{}, ...BASIS_POINTS.map((bp, k) => ({
      label: `p${bp / 100}`, stroke: k === 4 ? color : 'transparent', width: k === 4 ? 1.5 : 0, points: { show: false },
    }))],
    bands: [[9, 1], [8, 2], [7, 3], [6, 4]].map(([hi, lo], i) => ({ series: [hi, lo] as [number, number], fill: fill(14 + i * 10) })),
  }, data, host);
}
