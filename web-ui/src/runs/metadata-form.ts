// The form that edits a run's metadata — display name, labels, color, pinned, Markdown note — and
// PATCHes only what changed (the run's page and the runs table's inline editor both use it, so
// there is one PATCH path). The server's message shows on refusal.

import { patch, ApiError } from '../api/client';
import type { Run, RunMetadataPatch } from '../api/types';
import { h } from '../ui/dom';
import { runColor } from '../ui/colors';
import { formOf, metadataPatch } from './run-metadata';

/** The one PATCH of run metadata: only the fields in `body` change; answers the run as saved. */
export function saveRunMetadata(runId: number, body: RunMetadataPatch): Promise<Run> {
  return patch<Run>(`/runs/${runId}`, body);
}

/**
 * The form for `run`. `idPrefix` keeps element ids unique when two forms could be on the page;
 * `saved` gets the run as the server answered it (the form has then marked itself 'saved').
 */
export function metadataForm(run: Run, idPrefix: string, saved: (run: Run) => void | Promise<void>): HTMLFormElement {
  let current = run;
  const id = (name: string) => `${idPrefix}-${name}`;
  const values = formOf(run);
  const displayName = h('input', { type: 'text', id: id('display-name'), class: 'run-display-name', value: values.displayName, maxlength: 256, placeholder: run.path });
  const labels = h('input', { type: 'text', id: id('labels'), class: 'run-labels-input', value: values.labels, spellcheck: 'false', placeholder: 'baseline, lr-sweep', 'aria-describedby': id('labels-hint') });
  const hasColor = h('input', { type: 'checkbox', id: id('has-color'), class: 'run-has-color', checked: !!values.color });
  const color = h('input', { type: 'color', id: id('color'), class: 'run-color', value: values.color || runColor(run.id), 'aria-label': 'run color' });
  color.addEventListener('input', () => { hasColor.checked = true; });
  const pinned = h('input', { type: 'checkbox', id: id('pinned'), class: 'run-pinned', checked: values.pinned });
  const note = h('textarea', { id: id('note-input'), class: 'run-note-input', spellcheck: 'true' });
  note.value = values.note;
  const save = h('button', { type: 'submit', class: 'run-save' }, 'Save');
  const status = h('span', { class: 'run-save-status muted', role: 'status' });
  const error = h('div', { class: 'field-error run-save-error', role: 'alert' });
  const form = h('form', { class: 'run-metadata-form', 'aria-label': 'edit run metadata' },
    h('label', { for: id('display-name') }, 'Display name'), displayName,
    h('label', { for: id('labels') }, 'Labels'),
    h('div', {}, labels, h('div', { id: id('labels-hint'), class: 'muted hint' }, 'comma or space separated; letters, digits and . _ - : / = +')),
    h('label', { for: id('color') }, 'Color'), h('div', {}, color, ' ', h('label', {}, hasColor, ' use this color')),
    h('label', { for: id('pinned') }, 'Pinned'), pinned,
    h('label', { for: id('note-input') }, 'Note (Markdown)'), note,
    h('div', { class: 'form-actions' }, save, status), error);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = metadataPatch(current, {
      displayName: displayName.value, labels: labels.value, note: note.value,
      color: hasColor.checked ? color.value : '', pinned: pinned.checked,
    });
    if (!Object.keys(body).length) {
      status.textContent = 'nothing changed';
      return;
    }
    save.disabled = true;
    error.textContent = '';
    status.textContent = 'saving…';
    saveRunMetadata(run.id, body).then(async (answer) => {
      current = answer;
      status.textContent = 'saved';
      save.disabled = false;
      await saved(answer);
    }, (e: unknown) => {
      save.disabled = false;
      status.textContent = '';
      error.textContent = e instanceof ApiError ? e.describe() : (e as Error).message;
    });
  });
  return form;
}
