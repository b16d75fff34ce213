// Step time as stacked bars (one per step, as TensorBoard's overview page shows it), on a canvas.

import { h } from '../ui/dom';
import { STEP_PARTS, formatDuration, type StepTime } from './profile-types';

export function stepChart(steps: StepTime[]): HTMLElement {
  const canvas = h('canvas', { class: 'step-chart', 'aria-label': 'step time', 'data-steps': String(steps.length) });
  const tip = h('div', { class: 'timeline-tip', hidden: true });
  const legend = h('div', { class: 'step-legend' }, ...STEP_PARTS.map((p) => {
    const total = steps.reduce((sum, s) => sum + (s[p.key] as number), 0);
    const all = steps.reduce((sum, s) => sum + s.durationNs, 0) || 1;
    return h('span', { class: 'step-legend-item' }, h('span', { class: 'swatch', style: `background:${p.color}` }),
      `${p.label} ${(100 * total / all).toFixed(1)}%`);
  }));
  const box = h('div', { class: 'step-chart-box' }, canvas, tip);
  const bars: { x: number; w: number; step: StepTime }[] = [];
  const draw = () => {
    const width = canvas.clientWidth || 800;
    const height = 220;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.style.height = `${height}px`;
    const g = canvas.getContext('2d');
    if (!g) return;
    g.scale(ratio, ratio);
    const max = Math.max(1, ...steps.map((s) => s.durationNs));
    const left = 70;
    const bottom = height - 22;
    const plot = width - left - 10;
    const slot = plot / Math.max(1, steps.length);
    const color = getComputedStyle(canvas).color;
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = color;
    g.strokeStyle = color;
    g.globalAlpha = 0.3;
    for (let i = 0; i <= 4; i++) {
      const y = bottom - (bottom - 10) * i / 4;
      g.beginPath();
      g.moveTo(left, y);
      g.lineTo(width - 10, y);
      g.stroke();
    }
    g.globalAlpha = 1;
    for (let i = 0; i <= 4; i++) g.fillText(formatDuration(max * i / 4), 4, bottom - (bottom - 10) * i / 4 + 4);
    bars.length = 0;
    steps.forEach((s, i) => {
      const x = left + i * slot + slot * 0.15;
      const w = Math.max(1, slot * 0.7);
      let y = bottom;
      for (const p of STEP_PARTS) {
        const hgt = (s[p.key] as number) / max * (bottom - 10);
        g.fillStyle = p.color;
        g.fillRect(x, y - hgt, w, hgt);
        y -= hgt;
      }
      bars.push({ x, w, step: s });
      if (steps.length <= 40 || i % Math.ceil(steps.length / 40) === 0) {
        g.fillStyle = color;
        g.fillText(String(s.step), x, height - 6);
      }
    });
  };
  canvas.addEventListener('mousemove', (e) => {
    const bar = bars.find((b) => e.offsetX >= b.x && e.offsetX <= b.x + b.w);
    if (!bar) {
      tip.hidden = true;
      return;
    }
    tip.hidden = false;
    tip.replaceChildren(h('b', {}, `step ${bar.step.step} · ${formatDuration(bar.step.durationNs)}`),
      ...STEP_PARTS.map((p) => h('div', {}, `${p.label}: ${formatDuration(bar.step[p.key] as number)}`)));
    tip.style.left = `${Math.min(e.offsetX + 12, (canvas.clientWidth || 800) - 220)}px`;
    tip.style.top = `${e.offsetY + 12}px`;
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  requestAnimationFrame(draw);
  new ResizeObserver(() => draw()).observe(canvas);
  return h('div', { class: 'step-time' }, box, legend);
}
