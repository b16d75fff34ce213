// What every view needs: the store (URL state), the experiment's runs and tags, the selection.

import type { Run, ExperimentTags } from '../api/types';
import type { Store, AppState } from './state';

export interface ViewContext {
  store: Store;
  experimentId: number;
  /** Every run of the experiment matching the filter, in table order. */
  runs: Run[];
  /** Selected runs, in table order. */
  selected: Run[];
  tags: ExperimentTags;
}

/** A tab's content. `update` is called when the selection, tags or URL state change; `refresh` on live polls. */
export interface View {
  readonly element: HTMLElement;
  update(ctx: ViewContext, state: AppState, previous: AppState | null): void;
  refresh(ctx: ViewContext): void;
  destroy(): void;
}

/** Tags of a plugin that at least one selected run has, sorted, with those runs. */
export function tagsFor(ctx: ViewContext, ...plugins: string[]): { tag: string; runs: Run[] }[] {
  const selected = new Map(ctx.selected.map((r) => [r.id, r]));
  const out = new Map<string, Run[]>();
  for (const plugin of plugins) {
    for (const [tag, ids] of Object.entries(ctx.tags[plugin] ?? {})) {
      const runs = ids.filter((id) => selected.has(id));
      if (!runs.length) continue;
      const list = out.get(tag) ?? [];
      for (const id of runs) if (!list.some((r) => r.id === id)) list.push(selected.get(id)!);
      out.set(tag, list);
    }
  }
  const order = new Map(ctx.selected.map((r, i) => [r.id, i]));
  return [...out.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tag, runs]) => ({ tag, runs: runs.sort((a, b) => order.get(a.id)! - order.get(b.id)!) }));
}

/** Compiles a user's tag regex; returns the error text instead of throwing. */
export function tagMatcher(pattern: string): { test(tag: string): boolean; error: string | null } {
  if (!pattern) return { test: () => true, error: null };
  try {
    const re = new RegExp(pattern, 'i');
    return { test: (t) => re.test(t), error: null };
  } catch (e) {
    return { test: () => true, error: `tag filter: ${(e as Error).message}` };
  }
}

/** Calls `load` the first time `el` scrolls into view (and again after `stale` is set). */
export class LazyLoader {
  private readonly observer: IntersectionObserver;
  private readonly pending = new Map<Element, () => void>();

  constructor() {
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const load = this.pending.get(entry.target);
        if (load) {
          this.pending.delete(entry.target);
          this.observer.unobserve(entry.target);
          load();
        }
      }
    }, { rootMargin: '300px' });
  }

  watch(el: Element, load: () => void): void {
    this.pending.set(el, load);
    this.observer.observe(el);
  }

  disconnect(): void {
    this.observer.disconnect();
    this.pending.clear();
  }
}
