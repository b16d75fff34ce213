// The start page: projects and their experiments (name, runs, last update), searchable.

import { getAll } from '../api/client';
import type { Experiment } from '../api/types';
import { h, notice, formatTime } from '../ui/dom';
import { alertsHash } from './alert-links';
import { trashView } from './trash-view';

export function experimentBrowser(open: (id: number) => void): HTMLElement {
  const list = h('div', { class: 'experiment-list' }, notice('loading experiments…', 'info'));
  const search = h('input', { type: 'search', placeholder: 'search experiments', 'aria-label': 'search experiments', class: 'grow' });
  const root = h('section', { class: 'browser', 'aria-label': 'experiments' },
    h('div', { class: 'toolbar' }, h('h2', {}, 'Experiments'), search), list);
  let experiments: Experiment[] = [];
  const reload = () => getAll<Experiment>('/experiments', { sort: '-updated' })
    .then((page) => {
      experiments = page.items;
      render();
    })
    .catch((e: Error) => list.replaceChildren(notice(e.message, 'error')));
  root.append(trashView(() => void reload()));

  const render = () => {
    const needle = search.value.trim().toLowerCase();
    const shown = experiments.filter((e) => !needle || e.name.toLowerCase().includes(needle) || e.project.toLowerCase().includes(needle));
    if (!shown.length) {
      list.replaceChildren(notice(experiments.length ? 'No experiment matches.' : 'No experiments yet: upload a logdir with `athanor upload --logdir DIR --experiment NAME`.'));
      return;
    }
    const byProject = new Map<string, Experiment[]>();
    for (const e of shown) byProject.set(e.project, [...(byProject.get(e.project) ?? []), e]);
    list.replaceChildren(...[...byProject.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([project, items]) =>
      h('section', { class: 'project', 'data-project': project },
        h('h3', {}, `Project ${project}`, ' ', h('a', { href: alertsHash(project), class: 'small alerts-link' }, 'alerts')),
        h('table', { class: 'data-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'experiment'), h('th', { scope: 'col' }, 'runs'), h('th', { scope: 'col' }, 'updated'))),
          h('tbody', {}, ...items.map((e) => {
            const link = h('a', { href: `#/e/${e.id}/scalars`, 'data-experiment-id': e.id }, e.name);
            link.addEventListener('click', (ev) => {
              ev.preventDefault();
              open(e.id);
            });
            return h('tr', {}, h('td', {}, link, e.description ? h('div', { class: 'muted small' }, e.description) : null),
              h('td', { class: 'num' }, String(e.runCount)), h('td', {}, formatTime(e.updatedAt)));
          }))))));
  };
  search.addEventListener('input', render);
  void reload();
  return root;
}
