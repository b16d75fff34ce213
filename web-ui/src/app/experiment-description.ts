// An experiment's Markdown description under its title (marked, then DOMPurify), and for the
// project's writers an editor that PATCHes /api/v1/experiments/{id} (an empty text clears it),
// a rename, and moving the experiment to the trash (after a confirmation).

import { get, patch, del, ApiError } from '../api/client';
import { confirmAction } from '../ui/confirm';
import type { Experiment } from '../api/types';
import { h, counted } from '../ui/dom';

export class ExperimentDescription {
  readonly element: HTMLElement;

  /** `onRenamed` gets the experiment as the server answered a rename. */
  constructor(private experiment: Experiment, private readonly writable: Promise<boolean>,
    private readonly onRenamed: (experiment: Experiment) => void = () => {}) {
    this.element = h('section', { class: 'experiment-description', 'aria-label': 'experiment description' });
    void this.show();
  }

  private async show(): Promise<void> {
    const [{ renderMarkdown }, writable] = await Promise.all([import('../text/markdown'), this.writable]);
    const text = h('div', { class: 'description-text' });
    if (this.experiment.description) text.append(renderMarkdown(this.experiment.description));
    const parts: HTMLElement[] = [text];
    if (writable) {
      const edit = h('button', { type: 'button', class: 'small edit-description' }, this.experiment.description ? 'Edit description' : 'Add a description');
      edit.addEventListener('click', () => this.edit());
      const rename = h('button', { type: 'button', class: 'small rename-experiment' }, 'Rename');
      rename.addEventListener('click', () => this.rename());
      parts.push(edit, rename, confirmAction('experiment-delete', 'Move to trash…', 'Move to trash',
        async () => `Experiment “${this.experiment.name}” and its ${counted(await this.currentRunCount(), 'run')} will be hidden`
          + ' from every list, chart and export. Nothing is removed: it can be restored from the Trash on the start page until'
          + ' its trash window ends (30 days by default), then it is purged.',
        async () => {
          await del(`/experiments/${this.experiment.id}`);
          location.hash = '#/';
        }));
    }
    this.element.replaceChildren(...parts);
    this.element.dataset.loaded = 'true';
  }

  /** Runs come and go while the page is open (uploads, moves): the confirmation counts them now. */
  private async currentRunCount(): Promise<number> {
    const now = await get<Experiment>(`/experiments/${this.experiment.id}`);
    this.experiment = { ...this.experiment, runCount: now.runCount };
    return now.runCount;
  }

  private rename(): void {
    const input = h('input', { type: 'text', class: 'rename-input', 'aria-label': 'experiment name', value: this.experiment.name, maxlength: 256 });
    this.editWith(input, 'rename-form', h('button', { type: 'submit', class: 'save-rename' }, 'Rename'),
      { name: () => input.value.trim() }, (renamed) => this.onRenamed(renamed));
  }

  private edit(): void {
    const input = h('textarea', { class: 'description-input', 'aria-label': 'experiment description (Markdown)', rows: 5 });
    input.value = this.experiment.description ?? '';
    this.editWith(input, 'description-form', h('button', { type: 'submit', class: 'save-description' }, 'Save'),
      { description: () => (input.value.trim() ? input.value : null) });
  }

  /** An inline form that PATCHes the experiment with what `fields` read, then shows it again. */
  private editWith(input: HTMLInputElement | HTMLTextAreaElement, formClass: string, save: HTMLButtonElement,
                   fields: Record<string, () => unknown>, saved?: (e: Experiment) => void): void {
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const error = h('div', { class: 'field-error', role: 'alert' });
    const form = h('form', { class: formClass }, input, h('div', { class: 'form-actions' }, save, cancel), error);
    cancel.addEventListener('click', () => void this.show());
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      save.disabled = true;
      try {
        const body = Object.fromEntries(Object.entries(fields).map(([k, read]) => [k, read()]));
        this.experiment = await patch<Experiment>(`/experiments/${this.experiment.id}`, body);
        saved?.(this.experiment);
        await this.show();
      } catch (err) {
        save.disabled = false;
        error.textContent = err instanceof ApiError ? err.describe() : (err as Error).message;
      }
    });
    this.element.replaceChildren(form);
    input.focus();
  }
}
