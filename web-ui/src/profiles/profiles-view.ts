// Profiles: each selected run's profiler sessions (plugins/profile/<session>/…) with download
// links, from the run's assets. A server without the assets endpoint gets an empty state.

import { get, fetchBlob, query, ApiError } from '../api/client';
import type { Asset, Run } from '../api/types';
import type { View, ViewContext } from '../app/context';
import { h, notice, download } from '../ui/dom';
import { runColor } from '../ui/colors';

const PREFIX = 'plugins/profile/';

export class ProfilesView implements View {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private key = '';

  constructor() {
    this.body = h('div', { class: 'profiles' });
    this.element = h('section', { class: 'view view-profiles', 'aria-label': 'profiles' }, this.body);
  }

  update(ctx: ViewContext): void {
    const key = ctx.selected.map((r) => r.id).join(',');
    if (key === this.key) return;
    this.key = key;
    void this.load(ctx.selected.slice(0, 50));
  }

  refresh(ctx: ViewContext): void {
    this.key = '';
    this.update(ctx);
  }

  destroy(): void {}

  private async load(runs: Run[]): Promise<void> {
    this.body.replaceChildren(notice('looking for profiler sessions…', 'info'));
    const sections: HTMLElement[] = [];
    for (const run of runs) {
      let assets: Asset[];
      try {
        assets = (await get<{ items: Asset[] }>(`/runs/${run.id}/assets${query({ prefix: PREFIX })}`)).items;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404 && !e.body?.where) {
          this.body.replaceChildren(notice('This server does not keep run assets yet, so there are no profiler sessions to list.'));
          return;
        }
        sections.push(h('section', {}, h('h3', {}, run.path), notice((e as Error).message, 'error')));
        continue;
      }
      if (!assets.length) continue;
      const sessions = new Map<string, Asset[]>();
      for (const a of assets) {
        const session = a.path.slice(PREFIX.length).split('/')[0] ?? '';
        sessions.set(session, [...(sessions.get(session) ?? []), a]);
      }
      sections.push(h('section', { class: 'card', 'data-run-id': run.id },
        h('h3', { class: 'card-title' }, h('span', { class: 'swatch', style: `background:${runColor(run.id)}` }), run.path),
        ...[...sessions.entries()].map(([session, files]) => h('div', { class: 'profile-session', 'data-session': session },
          h('h4', {}, `session ${session}`),
          h('ul', {}, ...files.map((f) => {
            const link = h('a', { href: f.downloadUrl }, f.path.slice(PREFIX.length + session.length + 1) || f.path);
            link.addEventListener('click', async (ev) => {
              ev.preventDefault();
              download(f.path.split('/').pop() ?? 'profile', await fetchBlob(f.downloadUrl));
            });
            return h('li', {}, link, h('span', { class: 'muted small' }, ` ${f.size.toLocaleString()} bytes`));
          }))))));
    }
    this.body.replaceChildren(...(sections.length ? sections : [notice('No profiler sessions in the selected runs (runs log them under plugins/profile/).')]));
  }
}
