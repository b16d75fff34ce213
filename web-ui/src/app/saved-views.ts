// Named views of an experiment stored on the server (GET/POST /experiments/{id}/views): a picker
// that opens one, and for writers a name field with "Save view", and "Delete view". A view keeps the tab and the URL's
// state (selection, filter, groups, pinned charts, smoothing, axes); its link is
// #/e/<experiment>/<tab>?view=<id>, which the page replaces with the view's state once read.

import { get, post, del, ApiError } from '../api/client';
import type { SavedView } from '../api/types';
import { h } from '../ui/dom';
import { fromViewState, toViewState, type Store } from './state';

export class SavedViews {
  readonly element: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private readonly name: HTMLInputElement;
  private readonly save: HTMLButtonElement;
  private readonly remove: HTMLButtonElement;
  private readonly copy: HTMLButtonElement;
  private readonly status: HTMLElement;
  private views: SavedView[] = [];

  constructor(private readonly store: Store, private readonly experimentId: number, writable: Promise<boolean>) {
    this.picker = h('select', { class: 'saved-views', 'aria-label': 'saved views' });
    this.picker.addEventListener('change', () => {
      const view = this.views.find((v) => String(v.id) === this.picker.value);
      if (view) this.apply(view);
      this.showButtons();
    });
    this.name = h('input', {
      type: 'text', class: 'saved-view-name', hidden: true, maxlength: '128', spellcheck: 'false',
      placeholder: 'name this view', 'aria-label': 'name of the view to save',
    });
    this.save = h('button', { type: 'submit', class: 'save-view', hidden: true, title: 'save what this page shows under that name' }, 'Save view');
    const form = h('form', { class: 'save-view-form' }, this.name, this.save);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.saveCurrent();
    });
    this.remove = h('button', { type: 'button', class: 'delete-view', hidden: true }, 'Delete view');
    this.remove.addEventListener('click', () => void this.deleteSelected());
    this.copy = h('button', { type: 'button', class: 'copy-view-link', hidden: true, title: 'copy a link that opens this view' }, 'Copy link');
    this.copy.addEventListener('click', () => void this.copyLink());
    this.status = h('span', { class: 'muted saved-views-status', role: 'status' });
    this.element = h('div', { class: 'saved-views-bar' }, this.picker, this.copy, this.remove, form, this.status);
    void writable.then((ok) => {
      this.save.hidden = !ok;
      this.name.hidden = !ok;
      this.element.dataset.writable = ok ? 'true' : 'false';
      this.showButtons();
    });
    void this.load();
  }

  /** Opens the view a shared link names (?view=<id>), replacing the link with the view's state. */
  async openLinked(viewId: number): Promise<void> {
    try {
      const view = await get<SavedView>(`/experiments/${this.experimentId}/views/${viewId}`);
      this.apply(view);
      this.picker.value = String(view.id);
      this.showButtons();
    } catch (e) {
      this.status.textContent = e instanceof ApiError ? e.describe() : (e as Error).message;
      this.store.update({ view: null });
    }
  }

  private async load(selected?: number): Promise<void> {
    try {
      this.views = await get<SavedView[]>(`/experiments/${this.experimentId}/views`);
    } catch (e) {
      this.status.textContent = e instanceof ApiError ? e.describe() : (e as Error).message;
      return;
    }
    const keep = selected !== undefined ? String(selected) : this.picker.value;
    this.picker.replaceChildren(h('option', { value: '' }, this.views.length ? 'Saved views…' : 'No saved views'),
      ...this.views.map((v) => h('option', { value: String(v.id), title: `saved by ${v.updatedBy}` }, v.name)));
    this.picker.value = this.views.some((v) => String(v.id) === keep) ? keep : '';
    this.showButtons();
  }

  private apply(view: SavedView): void {
    this.store.update(fromViewState(this.experimentId, view.state), true);
    this.status.textContent = '';
  }

  private async saveCurrent(): Promise<void> {
    const name = this.name.value.trim();
    if (!name) {
      this.status.textContent = 'a view needs a name';
      return;
    }
    try {
      const saved = await post<SavedView>(`/experiments/${this.experimentId}/views`, { name, state: toViewState(this.store.state) });
      this.name.value = '';
      await this.load(saved.id);
      this.status.textContent = `saved “${saved.name}”`;
    } catch (e) {
      this.status.textContent = e instanceof ApiError ? e.describe() : (e as Error).message;
    }
  }

  private async deleteSelected(): Promise<void> {
    const view = this.views.find((v) => String(v.id) === this.picker.value);
    if (!view || !window.confirm(`Delete the saved view “${view.name}” for everyone in this project? Links to it stop working.`)) return;
    try {
      await del(`/experiments/${this.experimentId}/views/${view.id}`);
      this.status.textContent = `deleted “${view.name}”`;
      this.picker.value = '';
      await this.load();
    } catch (e) {
      this.status.textContent = e instanceof ApiError ? e.describe() : (e as Error).message;
    }
  }

  private async copyLink(): Promise<void> {
    const view = this.views.find((v) => String(v.id) === this.picker.value);
    if (!view) return;
    const link = `${location.origin}${location.pathname}#/e/${this.experimentId}/${view.state.tab ?? 'scalars'}?view=${view.id}`;
    try {
      await navigator.clipboard.writeText(link);
      this.status.textContent = 'link copied';
    } catch {
      this.status.textContent = link;
    }
    this.element.dataset.link = link;
  }

  private showButtons(): void {
    const chosen = this.picker.value !== '';
    this.copy.hidden = !chosen;
    this.remove.hidden = !chosen || this.element.dataset.writable !== 'true';
  }
}
