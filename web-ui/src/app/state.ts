// Everything a shared link must restore lives in the URL hash:
//   #/                                         the experiment browser
//   #/e/<id>/<tab>?runs=1,2&tags=loss&smooth=0.6&x=step&log=1&outliers=1&filter=...&sort=...&cols=...
//                  &group=hparams.lr&agg=median&band=minmax&open=0.01,0.1   run groups (scalars)
//                  &bandAlpha=0.3                                          the groups' band opacity
//                  &compare=3,5,8                                          2-6 runs side by side
//                  &pins=loss,acc&step=1000                                pinned charts, the step data table
//                  &run=<runId>                                             a run's page
//                  &view=<viewId>                     a saved view: replaced by the view's state once read
// Hash routing keeps deep links working behind any static server (no fallback rule needed).

export const TABS = ['scalars', 'histograms', 'distributions', 'images', 'audio', 'text', 'pr-curves', 'hparams', 'graphs', 'profiles'] as const;
export type Tab = (typeof TABS)[number];
export type XAxis = 'step' | 'relative' | 'wall';
export type Aggregate = 'mean' | 'median';
export type Band = 'std' | 'minmax';

export interface AppState {
  experiment: number | null;
  tab: Tab;
  /** Selected run ids; null = the default selection (the first runs of the table). */
  runs: number[] | null;
  tagFilter: string;
  smoothing: number;
  x: XAxis;
  log: boolean;
  /** The y range leaves out outliers (5th..95th percentile of the drawn lines). */
  outliers: boolean;
  filter: string;
  sort: string;
  columns: string[];
  /** The server's groupBy (hparams.lr, label:x, label:, regex:…, an attribute); '' = no groups. */
  group: string;
  aggregate: Aggregate;
  band: Band;
  /** Names of the groups whose member runs are drawn. */
  open: string[];
  /** Opacity of the shaded bands (groups' ± std or min–max, buckets' min–max), 0..1. */
  bandOpacity: number;
  /** The runs compared side by side (2-6, in column order) in place of the tabs, or null. */
  compare: number[] | null;
  /** The step of the scalars' data table, or null (no table). */
  step: number | null;
  /** Scalar tags pinned to the top of the scalars view. */
  pins: string[];
  /** The run whose page is open in place of the tabs, or null. */
  run: number | null;
  /** A saved view to open (a shared link); the page replaces it with the view's state. */
  view: number | null;
}

export const DEFAULT_STATE: AppState = {
  experiment: null, tab: 'scalars', runs: null, tagFilter: '', smoothing: 0.6, x: 'step', log: false, outliers: false,
  filter: '', sort: '', columns: [], group: '', aggregate: 'mean', band: 'std', open: [], pins: [], step: null, run: null,
  view: null, bandOpacity: 0.16, compare: null,
};

/** How many runs a comparison takes (the server's bounds). */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 6;

export function parseHash(hash: string): AppState {
  const state: AppState = { ...DEFAULT_STATE, columns: [], open: [], pins: [] };
  const raw = hash.replace(/^#/, '');
  const [path, search = ''] = raw.split('?', 2);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'e' && parts[1] && /^\d+$/.test(parts[1])) {
    state.experiment = Number(parts[1]);
    const tab = parts[2] as Tab;
    if (TABS.includes(tab)) state.tab = tab;
  }
  const q = new URLSearchParams(search);
  const runs = q.get('runs');
  if (runs !== null) state.runs = runs.split(',').filter((s) => /^\d+$/.test(s)).map(Number);
  state.tagFilter = q.get('tags') ?? '';
  const smooth = Number(q.get('smooth'));
  if (q.has('smooth') && Number.isFinite(smooth)) state.smoothing = Math.min(0.999, Math.max(0, smooth));
  const x = q.get('x');
  if (x === 'step' || x === 'relative' || x === 'wall') state.x = x;
  state.log = q.get('log') === '1';
  state.outliers = q.get('outliers') === '1';
  state.filter = q.get('filter') ?? '';
  state.sort = q.get('sort') ?? '';
  const cols = q.get('cols');
  if (cols) state.columns = cols.split(',').map((s) => s.trim()).filter(Boolean);
  state.group = q.get('group') ?? '';
  if (q.get('agg') === 'median') state.aggregate = 'median';
  if (q.get('band') === 'minmax') state.band = 'minmax';
  // Group names may hold commas (label sets): each is URI-encoded inside the comma list.
  const bandAlpha = Number(q.get('bandAlpha'));
  if (q.has('bandAlpha') && Number.isFinite(bandAlpha)) state.bandOpacity = Math.min(1, Math.max(0, bandAlpha));
  const compare = q.get('compare');
  if (compare !== null) {
    const ids = [...new Set(compare.split(',').filter((s) => /^\d+$/.test(s)).map(Number))];
    if (ids.length >= COMPARE_MIN && ids.length <= COMPARE_MAX) state.compare = ids;
  }
  const open = q.get('open');
  if (open) state.open = open.split(',').map(decodeURIComponent);
  const step = q.get('step');
  if (step && /^-?\d+$/.test(step)) state.step = Number(step);
  const pins = q.get('pins');
  if (pins) state.pins = pins.split(',').map(decodeURIComponent);
  const run = q.get('run');
  if (run && /^\d+$/.test(run)) state.run = Number(run);
  const view = q.get('view');
  if (view && /^\d+$/.test(view)) state.view = Number(view);
  return state;
}

export function formatHash(state: AppState): string {
  if (state.experiment === null) return '#/';
  const q = new URLSearchParams();
  if (state.runs !== null) q.set('runs', state.runs.join(','));
  if (state.tagFilter) q.set('tags', state.tagFilter);
  if (state.smoothing !== DEFAULT_STATE.smoothing) q.set('smooth', String(state.smoothing));
  if (state.x !== 'step') q.set('x', state.x);
  if (state.log) q.set('log', '1');
  if (state.outliers) q.set('outliers', '1');
  if (state.filter) q.set('filter', state.filter);
  if (state.sort) q.set('sort', state.sort);
  if (state.columns.length) q.set('cols', state.columns.join(','));
  if (state.group) q.set('group', state.group);
  if (state.aggregate !== 'mean') q.set('agg', state.aggregate);
  if (state.band !== 'std') q.set('band', state.band);
  if (state.group && state.open.length) q.set('open', state.open.map(encodeURIComponent).join(','));
  if (state.bandOpacity !== DEFAULT_STATE.bandOpacity) q.set('bandAlpha', String(state.bandOpacity));
  if (state.compare !== null) q.set('compare', state.compare.join(','));
  if (state.step !== null) q.set('step', String(state.step));
  if (state.pins.length) q.set('pins', state.pins.map(encodeURIComponent).join(','));
  if (state.run !== null) q.set('run', String(state.run));
  if (state.view !== null) q.set('view', String(state.view));
  const search = q.toString();
  return `#/e/${state.experiment}/${state.tab}${search ? `?${search}` : ''}`;
}

type Listener = (state: AppState, previous: AppState) => void;

/** The app's state, mirrored into the URL hash (replaceState for small changes, so Back stays useful). */
export class Store {
  private current: AppState;
  private readonly listeners: Listener[] = [];

  constructor() {
    this.current = parseHash(location.hash);
    window.addEventListener('hashchange', () => {
      const next = parseHash(location.hash);
      const previous = this.current;
      this.current = next;
      this.listeners.forEach((l) => l(next, previous));
    });
  }

  get state(): AppState {
    return this.current;
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Changes the state; `navigate` pushes a history entry (new experiment or tab), otherwise the URL is replaced. */
  update(patch: Partial<AppState>, navigate = false): void {
    const previous = this.current;
    this.current = { ...previous, ...patch };
    const hash = formatHash(this.current);
    if (hash !== location.hash) {
      if (navigate) history.pushState(null, '', hash);
      else history.replaceState(null, '', hash);
    }
    this.listeners.forEach((l) => l(this.current, previous));
  }
}

/** What a saved view keeps: the tab and the view's part of the URL (selection, filter, groups, pins, smoothing, axes). */
export interface ViewState {
  tab: Tab;
  query: string;
}

/** The saved form of a state: everything the URL says except the experiment, an open run page and a view link. */
export function toViewState(state: AppState): ViewState {
  const hash = formatHash({ ...state, run: null, view: null });
  const search = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  return { tab: state.tab, query: search };
}

/** The state a saved view gives in an experiment; fields a newer or older UI does not know are ignored. */
export function fromViewState(experiment: number, saved: { tab?: string; query?: string }): AppState {
  const tab = TABS.includes(saved.tab as Tab) ? (saved.tab as Tab) : 'scalars';
  const query = typeof saved.query === 'string' ? saved.query : '';
  return { ...parseHash(`#/e/${experiment}/${tab}?${query}`), run: null, view: null };
}
