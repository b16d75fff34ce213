// The Trash, on the start page: trashed experiments and runs of the caller's projects (GET
// /api/v1/trash), each with when it goes for good. Writers restore; admins purge, after a
// confirmation that counts what a purge removes (series, hot files, archived and replicated objects).

import { get, post } from '../api/client';
import type { TrashEntry } from '../api/types';
import { h, notice, formatTime, counted } from '../ui/dom';
import { confirmAction } from '../ui/confirm';
import { canAdmin, canWrite } from '../runs/permissions';

/** What a purge of the entry removes, in words. */
export function purgeSummary(e: TrashEntry): string {
  const f = e.footprint;
  const what = e.kind === 'run' ? `run “${e.name}” of experiment “${e.experiment}”` : `experiment “${e.name}” and its ${counted(f.runs, 'run')}`;
  return `Purging ${what} removes ${counted(f.series, 'series', 'series')} from the index, ${counted(f.hotFiles, 'hot file')}`
    + ` and ${counted(f.objects, 'archived or replicated object')}, with an audit record of each.`
    + ' It cannot be undone.';
}

export function trashView(changed: () => void): HTMLElement {
  const list = h('div', { class: 'trash-list' });
  const details = h('details', { class: 'trash' }, h('summary', {}, 'Trash'), list);
  const load = async () => {
    list.replaceChildren(notice('loading the trash…', 'info'));
    try {
      const entries = await get<TrashEntry[]>('/trash');
      if (!entries.length) {
        list.replaceChildren(notice('The trash is empty.'));
        return;
      }
      const rows = await Promise.all(entries.map(async (e) => row(e, await canWrite(e.project), await canAdmin(e.project))));
      list.replaceChildren(h('table', { class: 'data-table trash-table' },
        h('thead', {}, h('tr', {}, ...['kind', 'name', 'project', 'deleted', 'purged after', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ...rows)));
    } catch (e) {
      list.replaceChildren(notice((e as Error).message, 'error'));
    }
  };
  const row = (e: TrashEntry, writer: boolean, admin: boolean): HTMLElement => {
    const path = e.kind === 'run' ? `/runs/${e.id}` : `/experiments/${e.id}`;
    const restore = h('button', { type: 'button', class: 'trash-restore' }, 'Restore');
    restore.addEventListener('click', () => {
      restore.disabled = true;
      post(`${path}/restore`, null).then(() => { changed(); return load(); },
        (err: Error) => { restore.disabled = false; restore.title = err.message; });
    });
    const pending = e.purgeRequestedAt !== null;
    return h('tr', { 'data-kind': e.kind, 'data-id': e.id },
      h('td', {}, e.kind),
      h('td', { class: 'trash-name' }, e.name, e.kind === 'run' ? h('div', { class: 'muted small' }, e.experiment) : null),
      h('td', {}, e.project),
      h('td', {}, formatTime(e.trashedAt), e.trashedBy ? h('div', { class: 'muted small' }, `by ${e.trashedBy}`) : null),
      h('td', {}, pending ? h('span', { class: 'trash-purging' }, `purge requested${e.purgeError ? `: ${e.purgeError}` : ''}`) : formatTime(e.purgeAfter)),
      h('td', { class: 'trash-actions' },
        writer && !pending ? restore : null,
        admin && !pending ? confirmAction('trash-purge', 'Purge…', 'Purge for good', () => purgeSummary(e),
          async () => { await post(`${path}/purge`, null); await load(); }) : null));
  };
  details.addEventListener('toggle', () => { if (details.open) void load(); });
  return details;
}
