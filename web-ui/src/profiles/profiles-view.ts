// Profiles: the profiler sessions of the selected runs (plugins/profile/…, and PyTorch's traces in
// the run directory: a session per timestamp). Pick a session and a host: the step-time chart, the
// top ops and the timeline of its trace, decoded by the server (the first look at a big trace shows
// the server's indexing progress until it is ready); every file of the session stays downloadable.
// A trace the server cannot read shows its error (naming the file) in place of the report; the
// downloads remain.

import { get, fetchBlob, query, ApiError } from '../api/client';
import type { Run } from '../api/types';
import type { View, ViewContext } from '../app/context';
import { h, notice, download, debounce } from '../ui/dom';
import { OpsTable } from './ops-table';
import { compareTable, type CompareAnswer } from './compare-ops';
import { whenIndexed } from './indexing';
import { stepChart } from './step-chart';
import { TimelineView } from './timeline-view';
import { formatDuration, type MemoryAnswer, type OpsAnswer, type ProfileFile, type ProfileSession, type StepsAnswer,
  type TimelineAnswer } from './profile-types';

interface Choice { run: Run; session: ProfileSession }

export class ProfilesView implements View {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private key = '';
  private seq = 0;

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
    const seq = ++this.seq;
    this.body.replaceChildren(notice('looking for profiler sessions…', 'info'));
    const choices: Choice[] = [];
    const problems: HTMLElement[] = [];
    for (const run of runs) {
      try {
        const answer = await get<{ items: ProfileSession[] }>(`/runs/${run.id}/profiles`);
        for (const session of answer.items) choices.push({ run, session });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404 && !e.body?.where) {
          this.body.replaceChildren(notice('This server does not decode profiles yet, so there are no profiler sessions to list.'));
          return;
        }
        problems.push(notice(`${run.path}: ${(e as Error).message}`, 'error'));
      }
    }
    if (seq !== this.seq) return;
    if (!choices.length) {
      this.body.replaceChildren(...problems, notice('No profiler sessions in the selected runs (runs log them under plugins/profile/, PyTorch’s trace handler as <worker>.<timestamp>.pt.trace.json in the run directory).'));
      return;
    }
    const sessionSelect = h('select', { 'aria-label': 'profiler session', class: 'profile-session-select' },
      ...choices.map((c, i) => h('option', { value: String(i) }, sessionLabel(c))));
    const hostSelect = h('select', { 'aria-label': 'host' });
    const files = h('div', { class: 'profile-files' });
    const report = h('div', { class: 'profile-report' });
    const pickHost = () => {
      const choice = choices[Number(sessionSelect.value)]!;
      void this.report(report, choice, hostSelect.value, choices);
    };
    const pickSession = () => {
      const choice = choices[Number(sessionSelect.value)]!;
      // One entry per host: the server answers a host with its XPlane first (files are listed by path).
      const hosts = [...new Set(choice.session.files.filter((f) => f.format).map((f) => f.host))];
      const traces = hosts.map((host) => choice.session.files.find((f) => f.host === host && f.format === 'xplane')
        ?? choice.session.files.find((f) => f.host === host && f.format)!);
      hostSelect.replaceChildren(...traces.map((f) => h('option', { value: f.host }, `${f.host} (${f.format})`)));
      hostSelect.hidden = traces.length < 2;
      files.replaceChildren(h('span', { class: 'muted small' }, 'files: '), ...choice.session.files.map((f) => fileLink(f)));
      if (!traces.length) {
        report.replaceChildren(notice('This session has no trace the server decodes (.xplane.pb, .pt.trace.json[.gz], .trace.json[.gz]); its files can be downloaded.'));
        return;
      }
      pickHost();
    };
    sessionSelect.addEventListener('change', pickSession);
    hostSelect.addEventListener('change', pickHost);
    this.body.replaceChildren(...problems,
      h('div', { class: 'profile-picker' }, h('label', {}, 'session ', sessionSelect), hostSelect), files, report);
    pickSession();
  }

  private async report(into: HTMLElement, choice: Choice, host: string, choices: Choice[]): Promise<void> {
    const seq = ++this.seq;
    const base = `/runs/${choice.run.id}/profiles/${encodeURIComponent(choice.session.session)}`;
    into.replaceChildren(notice('decoding the trace…', 'info'));
    let steps: StepsAnswer;
    try {
      steps = await whenIndexed<StepsAnswer>(`${base}/steps${query({ host })}`, into, () => seq === this.seq);
    } catch (e) {
      if (seq === this.seq) into.replaceChildren(notice((e as Error).message, 'error'));
      return;
    }
    if (seq !== this.seq) return;
    const ops = new OpsTable((q) => get<OpsAnswer>(`${base}/ops${query({ host, search: q.search || undefined,
      side: q.side, sort: q.sort, limit: 200 })}`));
    const timeline = new TimelineView((start, end, width) => get<TimelineAnswer>(`${base}/timeline${query({ host, start, end, width })}`));
    const skipped = Object.entries(steps.skipped);
    into.replaceChildren(
      h('p', { class: 'muted small' }, `${steps.source.path} · ${steps.events.toLocaleString()} events over `
        + `${formatDuration(steps.spanNs)}${skipped.length ? ` · left out: ${skipped.map(([k, v]) => `${v} ${k}`).join(', ')}` : ''}`),
      h('section', { class: 'card profile-steps' }, h('h3', { class: 'card-title' }, 'Step time'),
        steps.steps.length ? stepChart(steps.steps) : notice('No step markers in this trace (Keras step_num, ProfilerStep#N, a device Steps line).')),
      h('section', { class: 'card profile-ops' }, h('h3', { class: 'card-title' }, 'Top ops by self time'), ops.element),
      compareSection(choice, host, choices),
      h('section', { class: 'card profile-timeline' }, h('h3', { class: 'card-title' }, 'Timeline'), timeline.element),
      memorySection(base, host));
    void ops.load();
    void timeline.load(steps.spanNs);
  }
}

/** "run › session", with the capture time when the session's name is PyTorch's timestamp. */
function sessionLabel(c: Choice): string {
  const at = c.session.startedAt && /^\d+$/.test(c.session.session)
    ? ` (${c.session.startedAt.replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC')})` : '';
  return `${c.run.path} › ${c.session.session}${at}`;
}

/** Compare: this trace's ops beside another session's (another run, or another profiled step range), joined by the server. */
function compareSection(choice: Choice, host: string, choices: Choice[]): HTMLElement {
  const others = choices.flatMap((c) => [...new Set(c.session.files.filter((f) => f.format).map((f) => f.host))]
    .map((hst) => ({ c, host: hst }))).filter((o) => o.c !== choice || o.host !== host);
  const section = h('section', { class: 'card profile-compare' }, h('h3', { class: 'card-title' }, 'Compare'));
  if (!others.length) {
    section.append(h('p', { class: 'muted small' }, 'Select a run with another profiler session to compare its ops with these.'));
    return section;
  }
  const label = (c: Choice, hst: string) => `${sessionLabel(c)}${hst !== c.session.session ? ` › ${hst}` : ''}`;
  const select = h('select', { 'aria-label': 'compare with', class: 'profile-compare-select' },
    h('option', { value: '' }, 'compare with…'), ...others.map((o, i) => h('option', { value: String(i) }, label(o.c, o.host))));
  const per = h('select', { 'aria-label': 'compare per', class: 'profile-compare-per' },
    h('option', { value: 'trace' }, 'whole traces'), h('option', { value: 'step' }, 'per step'));
  const search = h('input', { type: 'search', placeholder: 'search ops', 'aria-label': 'search compared ops' });
  const out = h('div', {});
  let seq = 0;
  const load = async () => {
    const mine = ++seq;
    const other = others[Number(select.value)];
    out.dataset.loaded = 'false';
    if (!select.value || !other) {
      out.replaceChildren();
      return;
    }
    out.replaceChildren(notice('decoding…', 'info'));
    const path = `/runs/${choice.run.id}/profiles/${encodeURIComponent(choice.session.session)}/compare${query({
      host, withRun: other.c.run.id, withSession: other.c.session.session, withHost: other.host,
      per: per.value, search: search.value || undefined, limit: 200 })}`;
    try {
      const answer = await whenIndexed<CompareAnswer>(path, out, () => mine === seq);
      if (mine !== seq) return;
      out.replaceChildren(compareTable(answer));
      out.dataset.loaded = 'true';
    } catch (e) {
      if (mine === seq) out.replaceChildren(notice((e as Error).message, 'error'));
    }
  };
  select.addEventListener('change', () => void load());
  per.addEventListener('change', () => void load());
  search.addEventListener('input', debounce(() => void load(), 250));
  section.append(h('div', { class: 'ops-controls' }, h('span', { class: 'muted small' }, `A: ${label(choice, host)} · B:`),
    select, per, search), out);
  return section;
}

function fileLink(f: ProfileFile): HTMLElement {
  const link = h('a', { href: f.downloadUrl }, f.path.split('/').pop() ?? f.path);
  link.addEventListener('click', async (ev) => {
    ev.preventDefault();
    download(f.path.split('/').pop() ?? 'profile', await fetchBlob(f.downloadUrl));
  });
  return h('span', { class: 'profile-file' }, link, h('span', { class: 'muted small' }, ` ${f.size.toLocaleString()} bytes`));
}

/** Memory in use over time, when the trace records it: peak per series and a sparkline. */
function memorySection(base: string, host: string): HTMLElement {
  const section = h('section', { class: 'card profile-memory', hidden: true }, h('h3', { class: 'card-title' }, 'Memory'));
  void get<MemoryAnswer>(`${base}/memory${query({ host, maxPoints: 400 })}`).then((m) => {
    if (!m.series.length) return;
    section.hidden = false;
    for (const s of m.series) {
      const canvas = h('canvas', { class: 'memory-line', width: 600, height: 60 });
      const g = canvas.getContext('2d');
      if (g && s.points.length) {
        g.strokeStyle = '#4e79a7';
        g.beginPath();
        s.points.forEach(([t, b], i) => {
          const x = t / Math.max(1, m.spanNs) * 600;
          const y = 58 - b / Math.max(1, s.peakBytes) * 54;
          if (i) g.lineTo(x, y); else g.moveTo(x, y);
        });
        g.stroke();
      }
      section.append(h('div', { class: 'memory-series' }, h('div', {}, `${s.name}: peak ${(s.peakBytes / 2 ** 20).toFixed(1)} MiB`), canvas));
    }
  }).catch(() => undefined);
  return section;
}
