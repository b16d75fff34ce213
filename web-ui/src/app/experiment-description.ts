// An experiment's Markdown description under its title (marked, then DOMPurify), and for the
// project's writers an editor that PATCHes /api/v1/experiments/{id} (an empty text clears it).

import { patch, ApiError } from '../api/client';
import type { Experiment } from '../api/types';
import { h } from '../ui/dom';

export class ExperimentDescription {
  readonly element: HTMLElement;

  constructor(private experiment: Experiment, private readonly writable: Promise<boolean>) {
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
      parts.push(edit);
    }
    this.element.replaceChildren(...parts);
    this.element.dataset.loaded = 'true';
  }

  private edit(): void {
    const input = h('textarea', { class: 'description-input', 'aria-label': 'experiment description (Markdown)', rows: 5 });
    input.value = this.experiment.description ?? '';
    const save = h('button', { type: 'submit', class: 'save-description' }, 'Save');
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const error = h('div', { class: 'field-error', role: 'alert' });
    const form = h('form', { class: 'description-form' }, input, h('div', { class: 'form-actions' }, save, cancel), error);
    cancel.addEventListener('click', () => void this.show());
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      save.disabled = true;
      try {
        this.experiment = await patch<Experiment>(`/experiments/${this.experiment.id}`, { description: input.value.trim() ? input.value : null });
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
