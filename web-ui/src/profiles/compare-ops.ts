// Two traces' ops side by side (two runs, or two sessions/steps of one run): self time and count
// in each, and the change, largest change first.

import { h } from '../ui/dom';
import { formatDuration, type OpRow } from './profile-types';

export interface OpDelta { name: string; type: string; side: string; selfA: number; selfB: number; countA: number; countB: number; delta: number }

/** Joins by (name, type, side); an op missing on one side counts 0 there. */
export function compareOps(a: OpRow[], b: OpRow[]): OpDelta[] {
  const key = (o: OpRow) => `${o.side}\u0000${o.type}\u0000${o.name}`;
  const rows = new Map<string, OpDelta>();
  for (const o of a) rows.set(key(o), { name: o.name, type: o.type, side: o.side, selfA: o.selfNs, selfB: 0, countA: o.count, countB: 0, delta: -o.selfNs });
  for (const o of b) {
    const row = rows.get(key(o)) ?? { name: o.name, type: o.type, side: o.side, selfA: 0, selfB: 0, countA: 0, countB: 0, delta: 0 };
    row.selfB = o.selfNs;
    row.countB = o.count;
    row.delta = row.selfB - row.selfA;
    rows.set(key(o), row);
  }
  return [...rows.values()].sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.name.localeCompare(y.name));
}

export function compareTable(labelA: string, labelB: string, rows: OpDelta[], limit = 200): HTMLElement {
  const signed = (ns: number) => `${ns > 0 ? '+' : ns < 0 ? '−' : ''}${formatDuration(Math.abs(ns))}`;
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data-table ops-table compare-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'op'), h('th', {}, 'type'), h('th', { class: 'num' }, `self · ${labelA}`),
      h('th', { class: 'num' }, `self · ${labelB}`), h('th', { class: 'num' }, 'change'),
      h('th', { class: 'num' }, 'count A → B'))),
    h('tbody', {}, ...rows.slice(0, limit).map((r) => h('tr', {},
      h('td', { class: 'op-name', title: r.name }, r.name), h('td', {}, r.type),
      h('td', { class: 'num' }, formatDuration(r.selfA)), h('td', { class: 'num' }, formatDuration(r.selfB)),
      h('td', { class: `num ${r.delta > 0 ? 'worse' : r.delta < 0 ? 'better' : ''}` }, signed(r.delta)),
      h('td', { class: 'num' }, `${r.countA.toLocaleString()} → ${r.countB.toLocaleString()}`))))));
}
