// The shape every per-tag view shares: the tags of some plugins that the selected runs logged
// (filtered by the tag regex), one card per tag — or per tag and run — loaded when scrolled into
// view. Subclasses only say what a card loads and draws.

import type { Run } from '../api/types';
import type { AppState } from './state';
import { type View, type ViewContext, tagsFor, tagMatcher, LazyLoader } from './context';
import { h, notice } from '../ui/dom';
import { runColor } from '../ui/colors';

export abstract class TagCardsView implements View {
  readonly element: HTMLElement;
  protected readonly body: HTMLElement;
  private lazy = new LazyLoader();
  private key = '';

  protected constructor(
    private readonly options: { name: string; label: string; plugins: string[]; perRun: boolean; empty: string; bodyClass: string },
  ) {
    this.body = h('div', { class: options.bodyClass });
    this.element = h('section', { class: `view view-${options.name}`, 'aria-label': options.label }, this.body);
  }

  /** Fills the card (already in the DOM) for the tag and its runs (one run when per run). */
  protected abstract load(card: HTMLElement, tag: string, runs: Run[]): Promise<void>;

  /** Releases what the cards hold (charts, object URLs). */
  protected dispose(): void {}

  update(ctx: ViewContext, state: AppState): void {
    const matcher = tagMatcher(state.tagFilter);
    const wanted = tagsFor(ctx, ...this.options.plugins).filter((t) => matcher.test(t.tag));
    const key = JSON.stringify(wanted.map((t) => [t.tag, t.runs.map((r) => r.id)]));
    if (key === this.key) return;
    this.key = key;
    this.destroy();
    this.lazy = new LazyLoader();
    this.body.replaceChildren();
    if (!wanted.length) {
      this.body.append(notice(this.options.empty));
      return;
    }
    for (const { tag, runs } of wanted) {
      for (const group of this.options.perRun ? runs.map((r) => [r]) : [runs]) {
        const card = this.card(tag, group);
        this.body.append(card);
        this.lazy.watch(card, () => {
          this.load(card, tag, group).then(() => { card.dataset.loaded = 'true'; }, (e: Error) => card.append(notice(e.message, 'error')));
        });
      }
    }
  }

  refresh(): void {}

  destroy(): void {
    this.lazy.disconnect();
    this.dispose();
  }

  private card(tag: string, runs: Run[]): HTMLElement {
    const head = h('header', { class: 'card-head' }, h('h3', { class: 'card-title', title: tag }, tag));
    const one = this.options.perRun ? runs[0] : null;
    if (one) {
      head.append(h('span', { class: 'run-label', title: one.path }, h('span', { class: 'swatch', style: `background:${runColor(one.id)}` }), one.path));
    }
    return h('article', { class: `card ${this.options.name}-card`, 'data-tag': tag, 'data-run-id': one?.id ?? null }, head);
  }
}
