// The runs table: every run of the experiment that matches the filter, virtualised (only the
// rows in view are in the DOM, so 10,000 runs scroll like 10), with user-chosen hparam/metric
// columns, server-side sort, run colors and selection. Keyboard: Tab into the table, arrows move,
// Space toggles the focused run. Writers edit a run's metadata in place: the star pins and unpins it,
// ✎ opens the shared metadata form (metadata-form.ts) above the rows; readers see neither.

import type { Run, HparamValue } from '../api/types';
import { h, clear, formatNumber } from '../ui/dom';
import { runColor } from '../ui/colors';
import { runTitle } from './run-metadata';
import { metadataForm, saveRunMetadata } from './metadata-form';
import { ApiError } from '../api/client';

const ROW_HEIGHT = 28;
const OVERSCAN = 8;

export interface RunsTableEvents {
  /** The user changed the selection (explicit list of run ids). */
  select(ids: number[]): void;
  /** The user asked for a sort (server sort expression, '' for the default). */
  sort(expression: string): void;
  /** The user asked for a run's page. */
  open(runId: number): void;
  /** A run's metadata was saved from the table (the server's answer). */
  saved(run: Run): void;
}

interface Column {
  key: string; // the server's column expression, e.g. hparams.lr or metrics.loss@min
  label: string;
  value(run: Run): HparamValue | undefined;
}

function columnFor(expression: string): Column {
  const label = expression.replace(/^hparams\./, '').replace(/^metrics\./, '');
  return {
    key: expression,
    label,
    value: (run) => {
      if (run.values && expression in run.values) return run.values[expression];
      if (expression.startsWith('hparams.')) return run.hparams?.[expression.slice(8)];
      return undefined;
    },
  };
}

function show(value: HparamValue | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

export class RunsTable {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowsLayer: HTMLElement;
  private runs: Run[] = [];
  private columns: Column[] = [];
  private selected = new Set<number>();
  private firing = new Map<number, string[]>();
  private sortExpression = '';
  private focusIndex = 0;
  private frame = 0;
  private writable = false;
  private readonly editor: HTMLElement;

  constructor(private readonly events: RunsTableEvents) {
    this.header = h('div', { class: 'runs-row runs-head', role: 'row' });
    this.spacer = h('div', { class: 'runs-spacer' });
    this.rowsLayer = h('div', { class: 'runs-rows', role: 'rowgroup' });
    this.viewport = h('div', { class: 'runs-viewport', tabindex: 0, 'aria-label': 'runs; arrow keys move, space selects, enter opens the run page' },
      this.spacer, this.rowsLayer);
    this.editor = h('div', { class: 'run-editor', role: 'dialog', hidden: true });
    this.element = h('div', { class: 'runs-table', role: 'grid', 'aria-multiselectable': 'true' }, this.header, this.editor, this.viewport);
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  setData(runs: Run[], columns: string[], selected: number[], sort: string): void {
    this.runs = runs;
    this.columns = columns.map(columnFor);
    this.selected = new Set(selected);
    this.sortExpression = sort;
    this.element.dataset.total = String(runs.length);
    this.layout();
    // The runs pane widens with the chosen columns (up to 45% of the window).
    document.documentElement.style.setProperty('--runs-pane', `${Math.min(45, 30 + 5 * this.columns.length)}%`);
    this.renderHeader();
    this.spacer.style.height = `${runs.length * ROW_HEIGHT}px`;
    this.focusIndex = Math.min(this.focusIndex, Math.max(0, runs.length - 1));
    this.render();
  }

  /** One grid template for header and rows: the fixed columns (the run-page column wider with ✎), then one per chosen column. */
  private layout(): void {
    this.element.style.setProperty('--row-columns',
      `28px minmax(160px, 1fr) ${this.writable ? 52 : 30}px 74px${' minmax(72px, 96px)'.repeat(this.columns.length)}`);
  }

  /** Runs some alert rule fires for now, with the rules' names: marked in the status column. */
  setFiring(firing: Map<number, string[]>): void {
    this.firing = firing;
    this.render();
  }

  /** Whether the caller may edit the runs (the project's writers): shows the pin and edit controls. */
  setWritable(writable: boolean): void {
    this.writable = writable;
    this.element.dataset.writable = String(writable);
    this.layout();
    this.render();
  }

  setSelected(selected: number[]): void {
    this.selected = new Set(selected);
    this.render();
  }

  private renderHeader(): void {
    clear(this.header);
    const allSelected = this.runs.length > 0 && this.runs.every((r) => this.selected.has(r.id));
    const all = h('input', { type: 'checkbox', 'aria-label': 'select every run shown', checked: allSelected });
    all.addEventListener('change', () => this.events.select(all.checked ? this.runs.map((r) => r.id) : []));
    this.header.append(h('span', { class: 'cell cell-check', role: 'columnheader' }, all),
      this.sortButton('name', 'Run', 'cell-name'), h('span', { class: 'cell cell-open', role: 'columnheader', 'aria-label': 'run page' }),
      this.sortButton('status', 'Status', 'cell-status'));
    for (const column of this.columns) this.header.append(this.sortButton(column.key, column.label, 'cell-value'));
  }

  private sortButton(key: string, label: string, cls: string): HTMLElement {
    const ascending = this.sortExpression === key;
    const descending = this.sortExpression === `-${key}`;
    const arrow = ascending ? ' ▲' : descending ? ' ▼' : '';
    const button = h('button', { class: 'sort', type: 'button', title: `sort by ${key}` }, label + arrow);
    button.addEventListener('click', () => this.events.sort(ascending ? `-${key}` : descending ? '' : key));
    return h('span', {
      class: `cell ${cls}`, role: 'columnheader',
      'aria-sort': ascending ? 'ascending' : descending ? 'descending' : 'none',
    }, button);
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.runs.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) rows.push(this.row(this.runs[i], i));
    this.rowsLayer.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.rowsLayer.replaceChildren(...rows);
    this.element.dataset.firstRendered = String(first);
    this.element.dataset.rendered = String(rows.length);
  }

  private row(run: Run, index: number): HTMLElement {
    const isSelected = this.selected.has(run.id);
    const box = h('input', { type: 'checkbox', tabindex: -1, 'aria-label': `select ${run.path}`, checked: isSelected });
    box.addEventListener('change', () => this.toggle(run.id));
    const status = run.status.toLowerCase();
    const row = h('div', {
      class: `runs-row${isSelected ? ' selected' : ''}${index === this.focusIndex ? ' focused' : ''}`,
      role: 'row', 'aria-selected': isSelected ? 'true' : 'false', 'aria-rowindex': index + 2,
      'data-run-id': run.id, 'data-run-path': run.path,
    },
    h('span', { class: 'cell cell-check', role: 'gridcell' }, box),
    h('span', { class: 'cell cell-name', role: 'gridcell', title: run.displayName ? `${run.displayName} (${run.path})` : run.path },
      h('span', { class: 'swatch', style: `background:${runColor(run.id)}` }),
      this.pin(run),
      h('span', { class: 'run-title' }, runTitle(run)),
      ...(run.labels ?? []).map((l) => h('span', { class: 'chip' }, l))),
    h('span', { class: 'cell cell-open', role: 'gridcell' }, this.writable ? this.editButton(run) : null, this.openButton(run)),
    h('span', { class: 'cell cell-status', role: 'gridcell' }, h('span', { class: `status status-${status}` }, status),
      this.firing.has(run.id) ? h('span', { class: 'alert-firing', title: `alert firing: ${this.firing.get(run.id)!.join(', ')}`, 'aria-label': 'alert firing' }, '🔔') : null));
    for (const column of this.columns) {
      const text = show(column.value(run));
      row.append(h('span', { class: 'cell cell-value', role: 'gridcell', title: text }, text));
    }
    row.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).tagName !== 'INPUT') {
        this.focusIndex = index;
        this.toggle(run.id);
      }
    });
    return row;
  }

  /** The pinned star; for writers a button that pins or unpins the run. */
  private pin(run: Run): HTMLElement | null {
    if (!this.writable) return run.pinned ? h('span', { class: 'pin', title: 'pinned', 'aria-label': 'pinned' }, '★') : null;
    const button = h('button', {
      type: 'button', class: `pin pin-toggle${run.pinned ? '' : ' unpinned'}`, tabindex: -1, 'aria-pressed': run.pinned ? 'true' : 'false',
      title: run.pinned ? 'pinned: click to unpin' : 'pin this run', 'aria-label': `${run.pinned ? 'unpin' : 'pin'} ${runTitle(run)}`,
    }, run.pinned ? '★' : '☆');
    button.addEventListener('click', (e) => {
      e.stopPropagation();
      button.disabled = true;
      saveRunMetadata(run.id, { pinned: !run.pinned }).then((saved) => this.events.saved(saved), (err: unknown) => {
        button.disabled = false;
        button.title = err instanceof ApiError ? err.describe() : (err as Error).message;
      });
    });
    return button;
  }

  private editButton(run: Run): HTMLElement {
    const button = h('button', { type: 'button', class: 'run-edit', tabindex: -1, title: 'edit name, labels, color, pin and note', 'aria-label': `edit ${runTitle(run)}` }, '✎');
    button.addEventListener('click', (e) => {
      e.stopPropagation();
      this.edit(run);
    });
    return button;
  }

  /** Opens the metadata form of `run` above the rows; a save closes it and tells the page. */
  private edit(run: Run): void {
    const close = h('button', { type: 'button', class: 'run-editor-close', 'aria-label': 'close the editor' }, '×');
    close.addEventListener('click', () => this.closeEditor());
    this.editor.replaceChildren(
      h('div', { class: 'run-editor-head' }, h('strong', {}, `Edit ${runTitle(run)}`), close),
      metadataForm(run, 'inline-run', (saved) => {
        this.closeEditor();
        this.events.saved(saved);
      }));
    this.editor.dataset.runId = String(run.id);
    this.editor.setAttribute('aria-label', `edit ${runTitle(run)}`);
    this.editor.hidden = false;
    (this.editor.querySelector('input') as HTMLInputElement | null)?.focus();
  }

  private closeEditor(): void {
    this.editor.hidden = true;
    this.editor.replaceChildren();
    delete this.editor.dataset.runId;
  }

  private openButton(run: Run): HTMLElement {
    const button = h('button', { type: 'button', class: 'run-open', tabindex: -1, title: 'the run\'s page: note, labels, display name', 'aria-label': `open the page of ${runTitle(run)}` }, '›');
    button.addEventListener('click', (e) => {
      e.stopPropagation();
      this.events.open(run.id);
    });
    return button;
  }

  private toggle(id: number): void {
    const next = new Set(this.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.events.select(this.runs.filter((r) => next.has(r.id)).map((r) => r.id));
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.runs.length) return;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves || e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      if (e.key === 'Home') this.focusIndex = 0;
      else if (e.key === 'End') this.focusIndex = this.runs.length - 1;
      else this.focusIndex = Math.min(this.runs.length - 1, Math.max(0, this.focusIndex + moves[e.key]));
      const y = this.focusIndex * ROW_HEIGHT;
      if (y < this.viewport.scrollTop) this.viewport.scrollTop = y;
      else if (y + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) {
        this.viewport.scrollTop = y + ROW_HEIGHT - this.viewport.clientHeight;
      }
      this.render();
    } else if (e.key === ' ') {
      e.preventDefault();
      this.toggle(this.runs[this.focusIndex].id);
    } else if (e.key === 'Enter') {
      // Enter opens the focused run's page (Space selects).
      e.preventDefault();
      this.events.open(this.runs[this.focusIndex].id);
    }
  }
}
