// One experiment: the runs pane (filter, columns, virtualised table) and the tabbed views of the
// selected runs. Owns loading runs and tags, the selection, and live polling while runs train.

import { get, getAll, ApiError } from '../api/client';
import type { Experiment, ExperimentTags, Run, HparamsInfo } from '../api/types';
import { TABS, COMPARE_MAX, COMPARE_MIN, type AppState, type Tab, type Store } from './state';
import type { View, ViewContext } from './context';
import { RunsTable } from '../runs/runs-table';
import { firingRuns } from './alerts-page';
import { assignRunColors, rememberChosenColors } from '../ui/colors';
import { h, notice, debounce, counted } from '../ui/dom';
import { createView } from './views';
import { RunPage } from '../runs/run-page';
import { canWrite } from '../runs/permissions';
import { ExperimentDescription } from './experiment-description';
import { SavedViews } from './saved-views';
import { ComparePage } from '../compare/compare-page';

const DEFAULT_SELECTION = 100;
const POLL_MS = 10_000;

const TAB_LABELS: Record<Tab, string> = {
  scalars: 'Scalars', histograms: 'Histograms', distributions: 'Distributions', images: 'Images', audio: 'Audio',
  text: 'Text', 'pr-curves': 'PR curves', hparams: 'HParams', graphs: 'Graphs', profiles: 'Profiles',
};

export class ExperimentPage {
  readonly element: HTMLElement;
  private readonly table: RunsTable;
  private readonly filterInput: HTMLInputElement;
  private readonly filterError: HTMLElement;
  private readonly columnsInput: HTMLInputElement;
  private readonly columnsList: HTMLDataListElement;
  private readonly count: HTMLElement;
  private readonly liveBadge: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly viewHost: HTMLElement;
  private readonly title: HTMLElement;
  private runs: Run[] = [];
  private tags: ExperimentTags = {};
  private view: View | null = null;
  private viewTab: Tab | null = null;
  private runsKey = '';
  private runsRequest = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private runPage: RunPage | null = null;
  private runPageId: number | null = null;
  private readonly runPageHost: HTMLElement;
  private comparePage: ComparePage | null = null;
  private readonly compareHost: HTMLElement;
  private readonly compareButton: HTMLButtonElement;
  /** Whether the caller may edit this experiment's runs (its project's role). */
  private writable: Promise<boolean>;
  private resolveProject!: (project: string) => void;
  private readonly savedViews: SavedViews;
  /** The saved view a link asked for that is being read (opened once). */
  private linkedView: number | null = null;

  constructor(private readonly store: Store, readonly experimentId: number) {
    this.title = h('h2', { class: 'experiment-title' }, `experiment ${experimentId}`);
    this.filterInput = h('input', {
      type: 'search', class: 'run-filter', spellcheck: 'false', 'aria-describedby': 'filter-error',
      placeholder: 'filter: hparams.lr < 0.01 and metrics.loss@min < 0.5', 'aria-label': 'run filter (query language)',
    });
    this.filterError = h('div', { id: 'filter-error', class: 'field-error', role: 'alert' });
    const filterForm = h('form', { class: 'filter-form' }, this.filterInput, h('button', { type: 'submit' }, 'Apply'));
    filterForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.store.update({ filter: this.filterInput.value.trim() });
    });
    this.columnsList = h('datalist', { id: 'column-suggestions' });
    this.columnsInput = h('input', {
      type: 'text', class: 'run-columns', list: 'column-suggestions', spellcheck: 'false',
      placeholder: 'columns: hparams.lr, metrics.loss@min', 'aria-label': 'extra columns (comma-separated)',
    });
    const applyColumns = debounce(() => this.store.update({
      columns: this.columnsInput.value.split(',').map((s) => s.trim()).filter(Boolean),
    }), 600);
    this.columnsInput.addEventListener('change', applyColumns);
    this.count = h('span', { class: 'muted run-count', role: 'status' });
    this.liveBadge = h('span', { class: 'live-badge', hidden: true, title: 'runs are training: views refresh every 10 s' }, '● live');
    this.table = new RunsTable({
      select: (ids) => this.store.update({ runs: ids }),
      sort: (sort) => this.store.update({ sort }),
      open: (id) => this.store.update({ run: id }, true),
      saved: () => {
        // Edited in the table: read the runs again (names, labels, pins, colors; the view follows).
        this.runsKey = '';
        this.onState(this.store.state, null);
      },
    });
    this.writable = new Promise<string>((resolve) => { this.resolveProject = resolve; }).then(canWrite);
    void this.writable.then((writable) => this.table.setWritable(writable));
    this.savedViews = new SavedViews(this.store, experimentId, this.writable);
    this.compareButton = h('button', {
      type: 'button', class: 'small compare-runs', disabled: true,
      title: `select ${COMPARE_MIN} to ${COMPARE_MAX} runs to compare them side by side`,
    }, 'Compare');
    this.compareButton.addEventListener('click', () => this.store.update({ compare: this.selectedIds(this.store.state), run: null }, true));
    const runsPane = h('aside', { class: 'runs-pane', 'aria-label': 'runs' },
      filterForm, this.filterError, this.columnsInput, this.columnsList,
      h('div', { class: 'pane-line' }, this.count, this.liveBadge, this.compareButton), this.table.element);
    this.tabs = h('nav', { class: 'tabs', role: 'tablist', 'aria-label': 'views' });
    this.viewHost = h('div', { class: 'view-host', role: 'tabpanel' });
    this.runPageHost = h('div', { class: 'run-page-host', hidden: true });
    this.compareHost = h('div', { class: 'compare-host', hidden: true });
    this.element = h('div', { class: 'experiment-page' },
      h('div', { class: 'page-head' }, h('a', { href: '#/', class: 'back' }, '← experiments'), this.title,
        this.savedViews.element),
      h('div', { class: 'split' }, runsPane, h('section', { class: 'main-pane' }, this.tabs, this.viewHost, this.compareHost, this.runPageHost)));
    this.viewHost.addEventListener('resort', () => this.view?.refresh(this.context()));
    void this.loadExperiment();
  }

  private async loadExperiment(): Promise<void> {
    try {
      const [experiment, tags] = await Promise.all([
        get<Experiment>(`/experiments/${this.experimentId}`),
        get<ExperimentTags>(`/experiments/${this.experimentId}/tags`),
      ]);
      this.resolveProject(experiment.project);
      firingRuns(experiment.project).then((firing) => this.table.setFiring(firing)).catch(() => undefined);
      this.title.textContent = experiment.name;
      this.title.parentElement!.after(new ExperimentDescription(experiment, this.writable, (renamed) => {
        this.title.textContent = renamed.name;
        document.title = `${renamed.name} · Athanor`;
      }).element);
      this.title.title = `project ${experiment.project}, experiment ${experiment.id}`;
      document.title = `${experiment.name} · Athanor`;
      this.tags = tags;
      this.suggestColumns();
      this.onState(this.store.state, null);
    } catch (e) {
      this.viewHost.replaceChildren(notice((e as Error).message, 'error'));
    }
  }

  private async suggestColumns(): Promise<void> {
    const names = Object.keys(this.tags.scalars ?? {}).map((t) => `metrics.${quoteName(t)}`);
    try {
      const info = await get<HparamsInfo>(`/experiments/${this.experimentId}/hparams`);
      names.unshift(...info.hparams.map((p) => `hparams.${quoteName(p.name)}`));
    } catch {
      // no hparams: metric suggestions only
    }
    this.columnsList.replaceChildren(...names.map((n) => h('option', { value: n })));
  }

  /** Called for every state change while this experiment is open. */
  onState(state: AppState, previous: AppState | null): void {
    if (state.view !== null) {
      if (state.view !== this.linkedView) {
        this.linkedView = state.view;
        void this.savedViews.openLinked(state.view);
      }
      return;  // the view's state replaces the link's once read
    }
    this.linkedView = null;
    if (document.activeElement !== this.filterInput) this.filterInput.value = state.filter;
    if (document.activeElement !== this.columnsInput) this.columnsInput.value = state.columns.join(', ');
    this.renderTabs(state.tab);
    this.showRunPage(state);
    const runsKey = `${state.filter}|${state.sort}|${state.columns.join(',')}`;
    if (runsKey !== this.runsKey) {
      this.runsKey = runsKey;
      void this.loadRuns(state);
      return;
    }
    this.table.setSelected(this.selectedIds(state));
    this.showView(state, previous);
  }

  /** Compare is offered for 2-6 selected runs. */
  private syncCompareButton(state: AppState): void {
    const n = this.selectedIds(state).length;
    this.compareButton.disabled = n < COMPARE_MIN || n > COMPARE_MAX;
    this.compareButton.textContent = n >= COMPARE_MIN && n <= COMPARE_MAX ? `Compare ${n}` : 'Compare';
  }

  private async loadRuns(state: AppState): Promise<void> {
    const request = ++this.runsRequest;
    this.count.textContent = 'loading runs…';
    try {
      const page = await getAll<Run>('/runs', {
        experiment: this.experimentId, filter: state.filter || undefined, sort: state.sort || undefined,
        columns: state.columns.length ? state.columns.join(',') : undefined,
      });
      if (request !== this.runsRequest) return;
      this.filterError.textContent = '';
      this.filterInput.removeAttribute('aria-invalid');
      this.runs = page.items;
      if (!state.filter) assignRunColors(this.runs.map((r) => r.id));
      rememberChosenColors(this.runs);
      this.count.textContent = `${counted(this.runs.length, 'run')}${state.filter ? ' match' : ''}`;
      this.table.setData(this.runs, state.columns, this.selectedIds(state), state.sort);
      this.schedulePolling();
      this.showView(this.store.state, null);
    } catch (e) {
      if (request !== this.runsRequest) return;
      const message = e instanceof ApiError ? e.describe() : (e as Error).message;
      this.filterError.textContent = message;
      this.filterInput.setAttribute('aria-invalid', 'true');
      this.count.textContent = '';
    }
  }

  private selectedIds(state: AppState): number[] {
    if (state.runs === null) return this.runs.slice(0, DEFAULT_SELECTION).map((r) => r.id);
    const wanted = new Set(state.runs);
    return this.runs.filter((r) => wanted.has(r.id)).map((r) => r.id);
  }

  context(): ViewContext {
    const ids = new Set(this.selectedIds(this.store.state));
    return {
      store: this.store, experimentId: this.experimentId, runs: this.runs,
      selected: this.runs.filter((r) => ids.has(r.id)), tags: this.tags,
    };
  }

  /** The run's page replaces the tabs and view while `run=` is in the URL. */
  private showRunPage(state: AppState): void {
    const open = state.run !== null;
    const comparing = !open && state.compare !== null;
    this.runPageHost.hidden = !open;
    this.compareHost.hidden = !comparing;
    this.tabs.hidden = open || comparing;
    this.viewHost.hidden = open || comparing;
    if (state.run === this.runPageId) return;
    this.runPageId = state.run;
    this.runPage = state.run === null ? null : new RunPage(state.run, this.writable,
      () => this.store.update({ run: null }, true),
      () => {
        // Names, labels and colors changed: read the table again (the view follows it).
        this.runsKey = '';
        this.onState(this.store.state, null);
      },
      () => {
        // The run went to the trash: back to the views, without it in the table or the selection.
        this.runsKey = '';
        const runs = this.store.state.runs?.filter((id) => id !== state.run) ?? null;
        this.store.update({ run: null, runs }, true);
      });
    this.runPageHost.replaceChildren(...(this.runPage ? [this.runPage.element] : []));
  }

  private renderTabs(active: Tab): void {
    if (this.tabs.childElementCount && this.tabs.dataset.active === active) return;
    this.tabs.dataset.active = active;
    this.tabs.replaceChildren(...TABS.map((tab) => {
      const selected = tab === active;
      const a = h('a', {
        href: '#', role: 'tab', class: `tab${selected ? ' active' : ''}`, 'aria-selected': selected ? 'true' : 'false',
        tabindex: selected ? 0 : -1, 'data-tab': tab,
      }, TAB_LABELS[tab]);
      a.addEventListener('click', (e) => {
        e.preventDefault();
        this.store.update({ tab }, true);
      });
      a.addEventListener('keydown', (e) => {
        const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        e.preventDefault();
        const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length];
        this.store.update({ tab: next }, true);
        (this.tabs.querySelector(`[data-tab="${next}"]`) as HTMLElement | null)?.focus();
      });
      return a;
    }));
  }

  private showView(state: AppState, previous: AppState | null): void {
    if (!this.runsKey || this.runsRequest === 0) return;
    this.syncCompareButton(state);
    if (state.compare !== null) {
      this.showComparePage(state, previous);
      return;
    }
    this.comparePage?.destroy();
    this.comparePage = null;
    this.compareHost.replaceChildren();
    if (this.viewTab !== state.tab || !this.view) {
      this.view?.destroy();
      this.view = createView(state.tab);
      this.viewTab = state.tab;
      this.viewHost.replaceChildren(this.view.element);
      previous = null;
    }
    this.view.update(this.context(), state, previous);
  }

  /** The comparison replaces the tabs while `compare=` is in the URL; a new set of runs builds a new one. */
  private showComparePage(state: AppState, previous: AppState | null): void {
    const ids = state.compare!;
    if (!this.comparePage || this.comparePage.runIds.join(',') !== ids.join(',')) {
      this.comparePage?.destroy();
      this.comparePage = new ComparePage(this.experimentId, ids, () => this.store.update({ compare: null }, true));
      this.compareHost.replaceChildren(this.comparePage.element);
      previous = null;
    }
    this.comparePage.update(this.context(), state, previous);
  }

  /** While any run of the table is running, re-read runs and tags and refresh the view. */
  private schedulePolling(): void {
    const live = this.runs.some((r) => r.status.toLowerCase() === 'running');
    this.liveBadge.hidden = !live;
    clearInterval(this.timer);
    if (!live) return;
    this.timer = setInterval(async () => {
      if (document.hidden) return;
      try {
        const state = this.store.state;
        const [page, tags] = await Promise.all([
          getAll<Run>('/runs', {
            experiment: this.experimentId, filter: state.filter || undefined, sort: state.sort || undefined,
            columns: state.columns.length ? state.columns.join(',') : undefined,
          }),
          get<ExperimentTags>(`/experiments/${this.experimentId}/tags`),
        ]);
        this.runs = page.items;
        rememberChosenColors(this.runs);
        this.tags = tags;
        this.table.setData(this.runs, state.columns, this.selectedIds(state), state.sort);
        this.liveBadge.hidden = !this.runs.some((r) => r.status.toLowerCase() === 'running');
        this.view?.update(this.context(), state, state);
        this.view?.refresh(this.context());
        this.comparePage?.refresh(this.context());
      } catch {
        // a failed poll is retried on the next tick
      }
    }, POLL_MS);
  }

  destroy(): void {
    clearInterval(this.timer);
    this.view?.destroy();
    this.comparePage?.destroy();
  }
}

/** A name as the filter language takes it: bare when it is an identifier path, quoted otherwise. */
export function quoteName(name: string): string {
  // Bare names may hold letters, digits, '_', '-', '/' and ':' (the query language's lexer); '.' separates.
  return /^[A-Za-z_][\w\-/:]*$/.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
}
