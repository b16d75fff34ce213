// Images and audio: per tag and run, a step slider over the logged steps and every sample of the
// chosen step. Bytes come through the API (with the token when signed in) as object URLs.

import { get, fetchBlob, query } from '../api/client';
import type { BlobSeries, Run } from '../api/types';
import { TagCardsView } from '../app/tag-cards';
import { h, notice } from '../ui/dom';

const STEPS = 100;

export class MediaView extends TagCardsView {
  private urls: string[] = [];

  constructor(private readonly kind: 'images' | 'audio') {
    super({ name: kind, label: kind, plugins: [kind], perRun: true,
      empty: `No ${kind} for the selected runs.`, bodyClass: 'card-grid media-grid' });
  }

  protected override dispose(): void {
    this.urls.forEach((u) => URL.revokeObjectURL(u));
    this.urls = [];
  }

  protected async load(card: HTMLElement, tag: string, [run]: Run[]): Promise<void> {
    const series = await get<BlobSeries>(`/runs/${run.id}/blobs${query({ tag, maxPoints: STEPS })}`);
    if (!series.points.length) {
      card.append(notice('no steps'));
      return;
    }
    const stage = h('div', { class: 'media-stage' });
    const label = h('output', { class: 'step-label' });
    const slider = h('input', {
      type: 'range', min: 0, max: series.points.length - 1, step: 1, value: series.points.length - 1,
      'aria-label': `step of ${tag} for ${run.path}`, class: 'step-slider',
    });
    const show = () => void this.showStep(stage, label, series, Number(slider.value), run, tag);
    slider.addEventListener('input', show);
    card.append(h('div', { class: 'step-row' }, h('label', {}, 'Step ', slider), label), stage);
    if (series.sampling.method !== 'all') {
      card.append(h('p', { class: 'muted small' }, `${series.points.length} of ${series.sampling.pointsInRange} steps shown (evenly spaced)`));
    }
    show();
  }

  private async showStep(stage: HTMLElement, label: HTMLElement, series: BlobSeries, index: number, run: Run, tag: string): Promise<void> {
    const point = series.points[index];
    label.textContent = `${point.step}`;
    stage.dataset.step = String(point.step);
    const role = this.kind === 'images' ? 'image' : 'audio';
    const items = await Promise.all(point.blobs.filter((b) => b.role === role).map(async (b) => {
      const url = URL.createObjectURL(await fetchBlob(b.url));
      this.urls.push(url);
      const alt = `${tag} — ${run.path}, step ${point.step}, sample ${b.index}`;
      if (this.kind === 'images') {
        return h('figure', { class: 'sample' },
          h('img', { src: url, alt, 'data-tag': tag, 'data-run-id': run.id, 'data-step': point.step, 'data-index': b.index }));
      }
      return h('figure', { class: 'sample' }, h('audio', { controls: true, src: url, 'aria-label': alt, 'data-tag': tag, preload: 'metadata' }),
        h('figcaption', { class: 'muted small' }, `sample ${b.index} · ${b.length.toLocaleString()} bytes`));
    }));
    if (String(point.step) === stage.dataset.step) stage.replaceChildren(...items);
  }
}
