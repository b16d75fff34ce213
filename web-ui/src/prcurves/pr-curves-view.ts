// PR curves: per tag, every selected run's precision/recall curve at a chosen step (a slider over
// the steps the runs logged; each run shows its newest step at or before it).

import { get, query } from '../api/client';
import type { TensorSeries, PrCurvePoint, Run } from '../api/types';
import { TagCardsView } from '../app/tag-cards';
import { h, notice } from '../ui/dom';
import { runColor } from '../ui/colors';
import { loadECharts, type ECharts } from '../ui/echarts';
import { escapeText } from '../hparams/hparams-view';

export class PrCurvesView extends TagCardsView {
  private charts: ECharts[] = [];

  constructor() {
    super({ name: 'pr-curves', label: 'PR curves', plugins: ['pr_curves'], perRun: false, empty: 'No PR curves for the selected runs.', bodyClass: 'card-grid' });
  }

  protected override dispose(): void {
    this.charts.forEach((c) => c.dispose());
    this.charts = [];
  }

  protected async load(card: HTMLElement, tag: string, runs: Run[]): Promise<void> {
    const host = h('div', { class: 'echart', role: 'img', 'aria-label': `PR curves of ${tag}` });
    card.append(host);
    const [all, echarts] = await Promise.all([
      Promise.all(runs.map((r) => get<TensorSeries<PrCurvePoint>>(`/runs/${r.id}/pr-curves${query({ tag, maxPoints: 50 })}`))),
      loadECharts(),
    ]);
    const steps = [...new Set(all.flatMap((s) => s.points.map((p) => p.step)))].sort((a, b) => a - b);
    if (!steps.length) {
      host.replaceWith(notice('no steps'));
      return;
    }
    const chart = echarts.init(host, undefined, { renderer: 'canvas' });
    this.charts.push(chart);
    const label = h('output', {}, String(steps[steps.length - 1]));
    const slider = h('input', { type: 'range', min: 0, max: steps.length - 1, value: steps.length - 1, 'aria-label': `step of ${tag}` });
    const draw = () => {
      const step = steps[Number(slider.value)];
      label.textContent = String(step);
      chart.setOption({
        animation: false,
        grid: { left: 50, right: 20, top: 16, bottom: 40 },
        xAxis: { type: 'value', name: 'recall', nameLocation: 'middle', nameGap: 26, min: 0, max: 1 },
        yAxis: { type: 'value', name: 'precision', min: 0, max: 1 },
        tooltip: { trigger: 'item', formatter: (p: { seriesName: string; value: number[] }) => `${escapeText(p.seriesName)}<br>recall ${p.value[0].toFixed(3)}, precision ${p.value[1].toFixed(3)}` },
        series: all.map((s, i) => {
          const point = [...s.points].reverse().find((p) => p.step <= step) ?? s.points[0];
          return {
            type: 'line', name: runs[i].path, showSymbol: false, lineStyle: { color: runColor(runs[i].id), width: 1.5 },
            data: point ? point.recall.map((r, k) => [r, point.precision[k]]) : [],
          };
        }),
      }, true);
    };
    slider.addEventListener('input', draw);
    card.insertBefore(h('div', { class: 'step-row' }, h('label', {}, 'Step ', slider), label), host);
    draw();
  }
}
