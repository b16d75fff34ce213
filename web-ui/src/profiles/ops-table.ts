// The top-ops table: sorted by the server (click a header; again to reverse), searched by name or
// type, host and device ops apart or together.

import { h, debounce } from '../ui/dom';
import { formatDuration, type OpsAnswer } from './profile-types';

const COLUMNS: { key: string; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'op', numeric: false },
  { key: 'type', label: 'type', numeric: false },
  { key: 'side', label: 'on', numeric: false },
  { key: 'count', label: 'count', numeric: true },
  { key: 'total', label: 'total time', numeric: true },
  { key: 'self', label: 'self time', numeric: true },
  { key: 'avg', label: 'avg time', numeric: true },
  { key: 'share', label: 'self share', numeric: true },
];

export interface OpsQuery { search: string; side: string; sort: string }

export class OpsTable {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly head: HTMLTableRowElement;
  private readonly summary: HTMLElement;
  private readonly query: OpsQuery = { search: '', side: 'all', sort: 'self' };
  private seq = 0;

  constructor(private readonly fetchOps: (q: OpsQuery) => Promise<OpsAnswer>) {
    const search = h('input', { type: 'search', placeholder: 'search ops (name or type)', 'aria-label': 'search ops' });
    const side = h('select', { 'aria-label': 'host or device' },
      h('option', { value: 'all' }, 'host and device'), h('option', { value: 'host' }, 'host'),
      h('option', { value: 'device' }, 'device'));
    const reload = debounce(() => void this.load(), 200);
    search.addEventListener('input', () => { this.query.search = search.value; reload(); });
    side.addEventListener('change', () => { this.query.side = side.value; void this.load(); });
    this.head = h('tr', {});
    this.body = h('tbody', {});
    this.summary = h('span', { class: 'muted small' });
    this.element = h('div', { class: 'ops' }, h('div', { class: 'ops-controls' }, search, side, this.summary),
      h('div', { class: 'table-scroll' }, h('table', { class: 'data-table ops-table' }, h('thead', {}, this.head), this.body)));
    this.renderHead();
  }

  private renderHead(): void {
    const key = this.query.sort.replace(/^-/, '');
    this.head.replaceChildren(...COLUMNS.map((c) => {
      const sortable = c.key !== 'side' && c.key !== 'share';
      const arrow = key === c.key ? (this.query.sort.startsWith('-') === (c.numeric) ? ' ▲' : ' ▼') : '';
      const th = h('th', { class: c.numeric ? 'num' : '', 'data-sort': c.key }, c.label + arrow);
      if (sortable) {
        th.classList.add('sortable');
        th.addEventListener('click', () => {
          this.query.sort = this.query.sort === c.key ? `-${c.key}` : c.key;
          this.renderHead();
          void this.load();
        });
      }
      return th;
    }));
  }

  async load(): Promise<void> {
    const seq = ++this.seq;
    this.element.dataset.loaded = 'false';
    try {
      const answer = await this.fetchOps(this.query);
      if (seq !== this.seq) return;
      this.summary.textContent = `${answer.matched.toLocaleString()} ops · self time on host `
        + `${formatDuration(answer.hostSelfNs)}${answer.deviceSelfNs ? `, on device ${formatDuration(answer.deviceSelfNs)}` : ''}`;
      this.body.replaceChildren(...answer.items.map((op) => h('tr', {},
        h('td', { class: 'op-name', title: op.name }, op.name), h('td', {}, op.type), h('td', {}, op.side),
        h('td', { class: 'num' }, op.count.toLocaleString()), h('td', { class: 'num' }, formatDuration(op.totalNs)),
        h('td', { class: 'num' }, formatDuration(op.selfNs)), h('td', { class: 'num' }, formatDuration(op.avgNs)),
        h('td', { class: 'num' }, `${(op.share * 100).toFixed(1)}%`))));
      this.element.dataset.loaded = 'true';
    } catch (e) {
      if (seq === this.seq) this.summary.textContent = (e as Error).message;
    }
  }
}
