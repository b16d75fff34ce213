// Two traces' ops side by side (two runs, or two sessions — profiled step ranges — of one run), as
// the server joins them (…/profiles/{session}/compare): self time and count in each, and the
// change, largest first; per trace or per step.

import { h } from '../ui/dom';
import { formatDuration, type ProfileSource } from './profile-types';

export interface CompareRow {
  name: string; type: string; side: 'host' | 'device';
  countA: number; countB: number; selfNsA: number; selfNsB: number; totalNsA: number; totalNsB: number;
  deltaSelfNs: number; ratio: number | null;
}
export interface CompareAnswer {
  a: ProfileSource; b: ProfileSource; per: 'trace' | 'step'; stepsA: number; stepsB: number;
  hostSelfNsA: number; hostSelfNsB: number; deviceSelfNsA: number; deviceSelfNsB: number; matched: number; items: CompareRow[];
}

/** A change of time with its sign: +1.5 ms, −230 µs, 0 ns. */
export function signedDuration(ns: number): string {
  return `${ns > 0 ? '+' : ns < 0 ? '−' : ''}${formatDuration(Math.abs(ns))}`;
}

/** B relative to A: ×1.25, new (only in B), gone (only in A). */
export function ratioText(r: CompareRow): string {
  if (r.ratio === null) return r.selfNsB > 0 ? 'new' : '';
  if (r.selfNsB === 0) return 'gone';
  return `×${r.ratio.toPrecision(3)}`;
}

const count = (n: number) => (Number.isInteger(n) ? n.toLocaleString() : n.toFixed(2));

export function compareTable(answer: CompareAnswer): HTMLElement {
  const per = answer.per === 'step' ? ' / step' : '';
  const totals = `self time on host ${formatDuration(answer.hostSelfNsA)} → ${formatDuration(answer.hostSelfNsB)}${per}`
    + (answer.deviceSelfNsA || answer.deviceSelfNsB
      ? `, on device ${formatDuration(answer.deviceSelfNsA)} → ${formatDuration(answer.deviceSelfNsB)}${per}` : '')
    + ` · steps ${answer.stepsA} → ${answer.stepsB} · ${answer.matched.toLocaleString()} ops`;
  return h('div', {}, h('p', { class: 'muted small compare-totals' }, totals),
    h('div', { class: 'table-scroll' }, h('table', { class: 'data-table ops-table compare-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'op'), h('th', {}, 'type'), h('th', {}, 'on'),
        h('th', { class: 'num' }, `self · A${per}`), h('th', { class: 'num' }, `self · B${per}`),
        h('th', { class: 'num' }, 'change'), h('th', { class: 'num' }, 'B / A'), h('th', { class: 'num' }, `count A → B${per}`))),
      h('tbody', {}, ...answer.items.map((r) => h('tr', {},
        h('td', { class: 'op-name', title: r.name }, r.name), h('td', {}, r.type), h('td', {}, r.side),
        h('td', { class: 'num' }, formatDuration(r.selfNsA)), h('td', { class: 'num' }, formatDuration(r.selfNsB)),
        h('td', { class: `num ${r.deltaSelfNs > 0 ? 'worse' : r.deltaSelfNs < 0 ? 'better' : ''}` }, signedDuration(r.deltaSelfNs)),
        h('td', { class: 'num' }, ratioText(r)),
        h('td', { class: 'num' }, `${count(r.countA)} → ${count(r.countB)}`)))))));
}
