// A run's page, shown in place of the tabs (#/e/<id>/<tab>?run=<runId>): what the run is (path,
// status, times, hparams) and the metadata people set — display name, labels, color, pinned and
// a Markdown note (rendered by marked, sanitized by DOMPurify). Writers get the metadata form
// (metadata-form.ts, shared with the runs table); readers see no edit controls.

import { get, getAll, post, del, ApiError } from '../api/client';
import { confirmAction } from '../ui/confirm';
import type { Experiment, Run } from '../api/types';
import { h, append, notice, formatTime, formatNumber } from '../ui/dom';
import { runColor } from '../ui/colors';
import { runTitle } from './run-metadata';
import { metadataForm } from './metadata-form';

export class RunPage {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private run: Run | null = null;

  /** `onSaved` gets the run as the server answered it, so the table and charts can follow. */
  constructor(private readonly runId: number, private readonly writable: Promise<boolean>,
    close: () => void, private readonly onSaved: (run: Run) => void,
    /** The run left this experiment (trashed or moved). */
    private readonly onGone: () => void = close) {
    const back = h('button', { type: 'button', class: 'run-back' }, '← back to the views');
    back.addEventListener('click', close);
    this.body = h('div', { class: 'run-body' }, notice('loading the run…', 'info'));
    this.element = h('section', { class: 'run-page', 'aria-label': 'run', 'data-run-id': runId }, back, this.body);
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [run, writable] = await Promise.all([get<Run>(`/runs/${this.runId}`), this.writable]);
      this.run = run;
      await this.render(run, writable);
    } catch (e) {
      this.body.replaceChildren(notice((e as Error).message, 'error'));
    }
  }

  private async render(run: Run, writable: boolean): Promise<void> {
    const { renderMarkdown } = await import('../text/markdown');
    const note = h('div', { class: 'run-note' });
    if (run.note) note.append(renderMarkdown(run.note));
    else note.append(h('p', { class: 'muted' }, 'No note.'));
    const facts = h('dl', { class: 'run-facts' },
      h('dt', {}, 'path'), h('dd', { class: 'run-path' }, run.path),
      h('dt', {}, 'status'), h('dd', {}, run.status.toLowerCase()),
      h('dt', {}, 'started'), h('dd', {}, formatTime(run.startedAt)),
      h('dt', {}, 'last event'), h('dd', {}, formatTime(run.lastEventAt)));
    const hparams = Object.entries(run.hparams ?? {});
    this.body.replaceChildren();
    append(this.body,
      h('h2', { class: 'run-title' },
        h('span', { class: 'swatch', style: `background:${run.color ?? runColor(run.id)}` }),
        run.pinned ? h('span', { class: 'pin', title: 'pinned', 'aria-label': 'pinned' }, '★') : null,
        runTitle(run)),
      h('p', { class: 'run-labels', 'aria-label': 'labels' }, ...(run.labels ?? []).map((l) => h('span', { class: 'chip' }, l))),
      facts,
      h('h3', {}, 'Note'), note,
      writable ? this.form(run) : h('p', { class: 'muted read-only' }, 'You can read this project; writers edit run names, labels and notes.'),
      writable ? h('div', { class: 'run-curate' }, this.mover(run), confirmAction('run-delete', 'Move to trash…', 'Move to trash',
        () => `Run “${runTitle(run)}” will be hidden from every list, chart, comparison and export. Nothing is removed:`
          + ' it can be restored from the Trash on the start page until its trash window ends (30 days by default),'
          + ' then it is purged. Uploads to it are refused meanwhile.',
        async () => {
          await del(`/runs/${run.id}`);
          this.onGone();
        })) : null,
      hparams.length ? h('h3', {}, 'Hparams') : null,
      hparams.length ? h('table', { class: 'data-table run-hparams' }, h('tbody', {}, ...hparams.map(([k, v]) =>
        h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, typeof v === 'number' ? formatNumber(v) : String(v)))))) : null);
    this.element.dataset.loaded = 'true';
  }

  /** Move the run to another experiment of its project (the server refuses a name clash, 409). */
  private mover(run: Run): HTMLElement {
    const select = h('select', { class: 'run-move-target', 'aria-label': 'experiment to move the run to' });
    const move = h('button', { type: 'button', class: 'run-move' }, 'Move');
    const error = h('div', { class: 'field-error', role: 'alert' });
    const form = h('div', { class: 'run-move-form' }, h('label', {}, 'Move to experiment ', select), ' ', move, error);
    move.disabled = true;
    void (async () => {
      const here = await get<Experiment>(`/experiments/${run.experimentId}`);
      const others = (await getAll<Experiment>('/experiments', { project: here.project, sort: 'name' })).items
        .filter((e) => e.id !== run.experimentId);
      select.replaceChildren(...others.map((e) => h('option', { value: e.id }, e.name)));
      move.disabled = others.length === 0;
    })().catch((e: Error) => { error.textContent = e.message; });
    move.addEventListener('click', () => {
      move.disabled = true;
      error.textContent = '';
      post<Run>(`/runs/${run.id}/move`, { experiment: Number(select.value) }).then(() => this.onGone(), (e: unknown) => {
        move.disabled = false;
        error.textContent = e instanceof ApiError ? e.describe() : (e as Error).message;
      });
    });
    return form;
  }

  /** The shared metadata form; after a save the page shows the run as the server answered it. */
  private form(run: Run): HTMLElement {
    return metadataForm(run, 'run', async (saved) => {
      this.run = saved;
      this.onSaved(saved);
      await this.render(saved, true);
      this.body.querySelector('.run-save-status')!.textContent = 'saved';
    });
  }
}
