// Everything a shared link must restore lives in the URL hash:
//   #/                                         the experiment browser
//   #/e/<id>/<tab>?runs=1,2&tags=loss&smooth=0.6&x=step&log=1&filter=...&sort=...&cols=...
// Hash routing keeps deep links working behind any static server (no fallback rule needed).

export const TABS = ['scalars', 'histograms', 'distributions', 'images', 'audio', 'text', 'pr-curves', 'hparams', 'graphs', 'profiles'] as const;
export type Tab = (typeof TABS)[number];
export type XAxis = 'step' | 'relative' | 'wall';

export interface AppState {
  experiment: number | null;
  tab: Tab;
  /** Selected run ids; null = the default selection (the first runs of the table). */
  runs: number[] | null;
  tagFilter: string;
  smoothing: number;
  x: XAxis;
  log: boolean;
  filter: string;
  sort: string;
  columns: string[];
}

export const DEFAULT_STATE: AppState = {
  experiment: null, tab: 'scalars', runs: null, tagFilter: '', smoothing: 0.6, x: 'step', log: false,
  filter: '', sort: '', columns: [],
};

export function parseHash(hash: string): AppState {
  const state: AppState = { ...DEFAULT_STATE, columns: [] };
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
  state.filter = q.get('filter') ?? '';
  state.sort = q.get('sort') ?? '';
  const cols = q.get('cols');
  if (cols) state.columns = cols.split(',').map((s) => s.trim()).filter(Boolean);
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
  if (state.filter) q.set('filter', state.filter);
  if (state.sort) q.set('sort', state.sort);
  if (state.columns.length) q.set('cols', state.columns.join(','));
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
